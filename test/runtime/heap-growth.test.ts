import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth } from '../../src/runtime/heap-growth.js';
import { runtimeConfig } from '../../src/runtime/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the churn in a fresh process (V8's flags are per process) and reads what it printed. */
function churn(percent: number, nodeOption = false): { outcome: string; peak: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/runtime/heap-churn.ts', String(percent), ...(nodeOption ? ['node-option'] : [])], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

describe('limitHeapGrowth', () => {
  it('keeps the heap of short-lived garbage lower than V8 left to itself', () => {
    const v8Own = churn(0);
    const limited = churn(100);
    const byDefault = churn(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(v8Own.outcome).toBe('v8-default');
    expect(limited.outcome).toBe('set');
    expect(byDefault.outcome).toBe('set');
    // Same work, same live set: only how much garbage the heap may hold differs.
    expect(limited.peak).toBeLessThan(v8Own.peak * 0.8);
    expect(byDefault.peak).toBeLessThan(v8Own.peak);
    expect(limited.peak).toBeLessThan(byDefault.peak);
  }, 120_000);

  it('leaves a --heap-growing-percent given to node alone', () => {
    expect(limitHeapGrowth(50, ['--heap-growing-percent=300'])).toBe('node-option');
    expect(limitHeapGrowth(50, ['--heap-growing-percent', '300'])).toBe('node-option');
    expect(churn(100, true).outcome).toBe('node-option');
  }, 60_000);

  it('is HEAP_GROWTH_PERCENT of the runtime configuration, 200 unless set', () => {
    expect(runtimeConfig({}, {}, 'partners').heapGrowthPercent).toBe(200);
    expect(runtimeConfig({}, { HEAP_GROWTH_PERCENT: '0' }, 'partners').heapGrowthPercent).toBe(0);
    expect(runtimeConfig({}, { HEAP_GROWTH_PERCENT: '' }, 'partners').heapGrowthPercent).toBe(200);
    expect(() => runtimeConfig({}, { HEAP_GROWTH_PERCENT: '-5' }, 'partners')).toThrow(/HEAP_GROWTH_PERCENT takes a number of percent/);
    expect(() => runtimeConfig({}, { HEAP_GROWTH_PERCENT: '2.5' }, 'partners')).toThrow(/HEAP_GROWTH_PERCENT takes a whole number of percent \(0 to 1000\), not "2.5"/);
    expect(() => runtimeConfig({}, { HEAP_GROWTH_PERCENT: '5000' }, 'partners')).toThrow(/HEAP_GROWTH_PERCENT/);
  });
});
