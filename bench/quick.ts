// Quick in-process figures for iterating on speed (the full report is npm run bench).
// Same order as the report: both files warm the JIT first (the 856 makes shared code polymorphic).
import { statSync } from 'node:fs';
import { fullParse, validateOnly, tokenizeOnly } from './stages.js';

const f = 'bench/out/850-20mb.edi';
const g = 'bench/out/856-large.edi';
await fullParse(f);
await fullParse(g);
const cases: [string, (file: string) => Promise<unknown>, string][] = [['tokenize', tokenizeOnly, f], ['validate', validateOnly, f], ['full', fullParse, f], ['full856', fullParse, g]];
const rates: Record<string, number> = {};
for (const [name, fn, file] of cases) {
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    await fn(file);
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  rates[name] = statSync(file).size / 1e6 / ((t[1] as number) / 1000);
  console.log(name.padEnd(9), rates[name].toFixed(1), 'MB/s');
}
// The figure the bench's 856 target comes down to (40 MB/s where the 850s make 62): 0.645 or more.
console.log('856/850  ', ((rates.full856 ?? 0) / (rates.full ?? 1)).toFixed(2));
