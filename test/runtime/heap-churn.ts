// Child process of heap-growth.test.ts: a gateway's shape of memory use, a small live set and many
// objects that survive a few young collections and then die; prints the peak heap used, in bytes.
// argv[2]: the percent given to limitHeapGrowth; argv[3]: 'node-option' to pass ours on as execArgv.
import { limitHeapGrowth } from '../../src/runtime/heap-growth.js';

const percent = Number(process.argv[2]);
const outcome = limitHeapGrowth(percent, process.argv[3] === 'node-option' ? ['--heap-growing-percent=300'] : process.execArgv);
const live: Array<{ n: number; s: string }> = [];
for (let i = 0; i < 150_000; i++) live.push({ n: i, s: `live ${i}` });
// Each object stays reachable for the next 200,000 allocations: long enough to be promoted.
const ring: Array<{ n: number; s: string; pair: number[] } | undefined> = new Array(200_000);
let peak = 0;
for (let r = 0; r < 3_000_000; r++) {
  ring[r % ring.length] = { n: r, s: `mid ${r}`, pair: [r, r + 1] };
  if ((r & 1023) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
process.stdout.write(JSON.stringify({ outcome, peak, live: live.length }) + '\n');
