// Crash safety: gateway processes are SIGKILLed at random (seeded) moments while a burst goes
// through, and restarted (test/support/kill-storm.ts, which the proof suite runs too). A job's effects
// commit in one transaction before the job is completed, so a killed job is handed out again (after
// its expiry) and finds its work done or not started: every transaction still ends posted exactly
// once, with one 'posted' event.
import { describe, expect, it } from 'vitest';
import { expectEachPostedOnce } from '../support/gateway-children.js';
import { killStorm } from '../support/kill-storm.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const FILES = 60;
const SETS = 5;
const KILLS = 5;
const SEED = Number(process.env.CRASH_SEED ?? 20261101);

describe('crash safety', () => {
  it(`every transaction reaches its final state exactly once across ${KILLS} SIGKILLs (seed ${SEED})`, { timeout: 90_000 }, async () => {
    // A job held by a killed process is handed out again after 3 s.
    const storm = await killStorm({ db: db.another(6), url: db.url, files: FILES, sets: SETS, kills: KILLS, seed: SEED, sender: 'CRASHTEST', expireSeconds: 3, retries: 20 });
    expect(storm.counts.byState, `kills: ${storm.kills.join('; ')}\n${storm.stderr}`).toEqual({ posted: FILES * SETS });
    // The storm waited for the jobs re-run after an expiry: they must have found nothing left to do.
    await expectEachPostedOnce(db, FILES, FILES * SETS);
    expect(storm.kills).toHaveLength(KILLS);
    // The test proves something only if processes died with work in hand.
    expect(storm.midFlight, storm.kills.join('; ')).toBeGreaterThanOrEqual(2);
  });
});
