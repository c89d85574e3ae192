// Idle means nothing left in any process: the reads must not miss a document that a sweep moves
// from 'posting' (lease ran out) to 'mapped' with its post job in one transaction.
import { describe, expect, it } from 'vitest';
import { waitIdle, type IdleReaders } from '../../src/jobs/idle.js';

/**
 * One document in 'posting' whose lease ran out. The sweep commits right after the first read of
 * either kind (the worst moment); the post job then takes `readsUntilPosted` more reads to finish.
 */
function sweptBetweenReads(readsUntilPosted: number) {
  const world = { document: 'posting' as 'posting' | 'mapped' | 'posted', jobs: 0, reads: 0 };
  const afterRead = () => {
    world.reads++;
    if (world.reads === 1) Object.assign(world, { document: 'mapped', jobs: 1 });
    else if (world.reads === 1 + readsUntilPosted) Object.assign(world, { document: 'posted', jobs: 0 });
  };
  const readers: IdleReaders = {
    async postings() {
      const n = world.document === 'posting' ? 1 : 0;
      afterRead();
      return n;
    },
    async pending() {
      const jobs: Record<string, number> = world.jobs ? { 'edi-post': world.jobs } : {};
      afterRead();
      return jobs;
    },
  };
  return { world, readers };
}

describe('waitIdle', () => {
  it('does not report idle while a swept posting waits for its post job, whatever the read that comes first sees', async () => {
    const { world, readers } = sweptBetweenReads(6);
    await waitIdle(readers, 5_000, 1);
    expect(world.document).toBe('posted');
  });

  it('says what is still pending when the time runs out', async () => {
    const readers: IdleReaders = { postings: async () => 2, pending: async () => ({ 'edi-post': 3 }) };
    await expect(waitIdle(readers, 30, 5)).rejects.toThrow('the pipeline is not idle after 30 ms: {"edi-post":3,"documents in posting":2}');
  });

  it('looks less often while the work goes on, up to its longest wait', async () => {
    let looks = 0;
    const readers: IdleReaders = { postings: async () => (looks++, 1), pending: async () => ({}) };
    await expect(waitIdle(readers, 1_000, 25, 250)).rejects.toThrow('not idle');
    // Waits 25, 50, 100, 200, then 250 ms: about 8 looks in a second, where a fixed 25 ms made 40.
    expect(looks).toBeGreaterThanOrEqual(5);
    expect(looks).toBeLessThanOrEqual(10);
  });
});
