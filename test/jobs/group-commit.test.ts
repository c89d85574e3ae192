// groupCommit (src/jobs/group-commit.ts): outcomes recorded together, and settled() always returns.
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/jobs/group-commit.js';

describe('groupCommit', () => {
  it('settles at once when nothing was added (a batch whose claims all ran out before their calls)', async () => {
    const flushed: number[][] = [];
    const recorder = groupCommit(async (items: number[]) => void flushed.push(items), () => undefined, 50);
    // Before the fix this never resolved: an empty drain finished before it was stored, and
    // settled() awaited the stored promise in a loop that starved the event loop.
    const outcome = await Promise.race([recorder.settled().then(() => 'settled'), new Promise((r) => setTimeout(() => r('hung'), 500))]);
    expect(outcome).toBe('settled');
    expect(flushed).toEqual([]);
  });

  it('records what came within the wait in one flush, and what came during a flush in the next', async () => {
    const flushed: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const recorder = groupCommit(async (items: number[]) => {
      flushed.push(items);
      if (flushed.length === 1) await gate;
    }, () => undefined, 20);
    recorder.add(1);
    recorder.add(2);
    await new Promise((r) => setTimeout(r, 40));
    recorder.add(3);
    release();
    await recorder.settled();
    expect(flushed).toEqual([[1, 2], [3]]);
  });

  it('hands a failed flush to `failed` and goes on', async () => {
    const failedItems: number[][] = [];
    const recorder = groupCommit(async (items: number[]) => {
      if (items.includes(1)) throw new Error('database away');
    }, (items) => void failedItems.push(items), 5);
    recorder.add(1);
    await recorder.settled();
    recorder.add(2);
    await recorder.settled();
    expect(failedItems).toEqual([[1]]);
  });
});
