// Child process of the benchmark: node-x12's full (strict) parse of one file, for the ratio.
// It holds the whole file and object model in memory, so it runs with a larger heap.
import { readFileSync } from 'node:fs';
import { X12Parser } from 'node-x12';

const file = process.argv[2] as string;
const t0 = performance.now();
const ic = new X12Parser(true).parse(readFileSync(file, 'utf8')) as unknown as { functionalGroups: { transactions: unknown[] }[] };
const ms = performance.now() - t0;
const sets = ic.functionalGroups.reduce((n, g) => n + g.transactions.length, 0);
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, sets }));
