// Scenario 1: gateway processes killed with SIGKILL at random (seeded) moments, many times, while a
// burst goes through two of them; each is started again at once (test/support/kill-storm.ts, the same
// storm test/pipeline/crash.test.ts runs). Every transaction must end posted once.
import { killStorm } from '../../test/support/kill-storm.js';
import { scenarioDatabase, tallyRecording, type ProofContext } from '../harness.js';
import { someKeys, type ProofResult } from '../tally.js';

export async function killStormScenario(ctx: ProofContext): Promise<ProofResult> {
  const full = ctx.size === 'full';
  const db = await scenarioDatabase(ctx.url, 'kill');
  try {
    const files = full ? 200 : 30;
    const sets = 5;
    const kills = full ? 25 : 4;
    const storm = await killStorm({ db, url: ctx.url, files, sets, kills, seed: ctx.seed, sender: 'PROOFKILL', settleMs: full ? 180_000 : 60_000 });
    const t = await tallyRecording(db, storm.poNumbers);
    return {
      scenario: `kill -9 x${kills}`,
      files,
      transactions: storm.poNumbers.length,
      lost: t.lost,
      duplicated: t.duplicated,
      recoverSeconds: storm.recoverMs === null ? null : storm.recoverMs / 1000,
      notes: `${storm.midFlight} of ${kills} kills mid-flight, 2 processes; files stored ${storm.counts.files}, unsplit ${storm.counts.filesReceived}${t.lost ? `; lost ${someKeys(t.lostKeys)}` : ''}`,
    };
  } finally {
    await db.drop();
  }
}
