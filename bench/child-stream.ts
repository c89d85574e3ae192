// Child process of the benchmark: streams one file through the full parse and prints
// its time and peak RSS as one JSON line (a fresh process, so RSS is this work's alone).
import { fullParse } from './stages.js';

const file = process.argv[2] as string;
const t0 = performance.now();
const r = await fullParse(file);
const ms = performance.now() - t0;
if (r.errors > 0) throw new Error(`${r.errors} errors while streaming ${file}`);
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, sets: r.sets }));
