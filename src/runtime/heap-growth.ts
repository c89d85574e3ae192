// How far V8 lets the old generation grow past what survived its last full collection before the
// next one. Left to itself V8 picks up to 4x when collecting is cheap, which a gateway always finds:
// its live set is small (about 35 MB through a 60 MB file), but what it promotes (rows, jobs, calls
// in flight for tens of milliseconds) dies soon after, so the heap filled to ~160 MB of mostly dead
// objects before each full collection. 3x takes the peak RSS of that case from 284-289 MB to
// ~252 MB for the same rate and CPU; 2x to ~243 MB, but with 15-20% more CPU per transaction
// (docs/reliability.md#the-heap-and-its-garbage).
import { setFlagsFromString } from 'node:v8';

/** HEAP_GROWTH_PERCENT's default: V8 collects once the old generation is 3x what survived the last time. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 200;

const FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor to 1 + percent/100 for this process, and says what it did. 0 leaves
 * V8's own choice; a `--heap-growing-percent` given to node itself wins over ours. V8 reads the
 * flag at each full collection, so setting it after start takes effect from the next one.
 */
export function limitHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv): 'set' | 'v8-default' | 'node-option' {
  if (execArgv.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`) || arg.startsWith('--heap_growing_percent'))) return 'node-option';
  if (percent === 0) return 'v8-default';
  setFlagsFromString(`${FLAG}=${Math.round(percent)}`);
  return 'set';
}
