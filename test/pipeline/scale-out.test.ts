// Three gateway processes on one database and one schema take a burst of files: pg-boss hands each
// job to one of them (SKIP LOCKED) and the per-row guards make any second try a no-op, so every
// transaction is posted exactly once and none is left behind.
import { describe, expect, it } from 'vitest';
import { burst } from '../../bench/pipeline-files.js';
import { expectEachPostedOnce, startChild, stopChild, useChildGateways, waitForAllPosted } from '../support/gateway-children.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const FILES = 100;
const SETS = 5;

const gateways = useChildGateways(db, { pool: 6 });
const { children } = gateways;

describe('scale-out', () => {
  it('three gateway processes post every transaction of a burst exactly once', { timeout: 90_000 }, async () => {
    const started = await Promise.all(['gw-a', 'gw-b', 'gw-c'].map((name) => startChild(name, { url: db.url, schema: db.schema })));
    children.push(...started);

    const files = burst(FILES, SETS, { sender: 'SCALEOUT' });
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < files.length) {
          const f = files[next++]!;
          const r = await gateways.intake.intake({ partner: 'scale', channel: 'test', sourceName: f.name, bytes: f.bytes });
          expect(r.duplicate).toBe(false);
        }
      }),
    );
    const counts = await waitForAllPosted(db, FILES * SETS, 60_000);
    const elapsed = Date.now() - t0;
    expect(counts.byState, `after ${elapsed} ms`).toEqual({ posted: FILES * SETS });

    // Let any retried or duplicate job run out before checking that nothing happened twice.
    await gateways.intake.idle(30_000);
    await expectEachPostedOnce(db, FILES, FILES * SETS);

    const codes = await Promise.all(children.splice(0).map((c) => stopChild(c)));
    expect(codes).toEqual([0, 0, 0]);
    expect(started.flatMap((c) => c.stderr).join('')).not.toMatch(/\bERROR\b/);
    // The work was shared: each process says how many documents it handed to the target.
    const posts = started.map((c) => c.posts());
    // No transaction was handed to the target twice, not even as an idempotent repeat.
    expect(posts.reduce((a, b) => a + b, 0)).toBe(FILES * SETS);
    expect(posts.filter((n) => n > 0).length, `posts per process: ${posts.join(', ')}`).toBeGreaterThanOrEqual(2);
  });
});
