// Crash safety: gateway processes are SIGKILLed at random (seeded) moments while a burst goes
// through, and restarted. A job's effects commit in one transaction before the job is completed,
// so a killed job is handed out again (after its expiry) and finds its work done or not started:
// every transaction still ends posted exactly once, with one 'posted' event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import type { Database } from '../../src/store/index.js';
import { expectEachPostedOnce, killChild, pipelineCounts, seeded, startChild, stopChild, waitForAllPosted, type Child, type ChildEnv } from '../support/gateway-children.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const FILES = 60;
const SETS = 5;
const KILLS = 5;
const SEED = Number(process.env.CRASH_SEED ?? 20261101);
// A job held by a killed process is handed out again after EXPIRE s.
const EXPIRE = 3;
const RETRIES = 20;

let intakeDb: Database;
let intake: Gateway;
const children = new Map<string, Child>();

beforeAll(async () => {
  intakeDb = db.another(6);
  // Job options travel with each job: the split jobs this process enqueues must expire and retry
  // like the children's, or a split killed mid-way waits out a 60 s default.
  intake = await startGateway({ db: intakeDb, workers: false, jobExpireSeconds: EXPIRE, retry: { limit: RETRIES, delaySeconds: 0, backoff: false } });
});

afterAll(async () => {
  await Promise.all([...children.values()].map((c) => stopChild(c)));
  await intake?.stop();
});

describe('crash safety', () => {
  it(`every transaction reaches its final state exactly once across ${KILLS} SIGKILLs (seed ${SEED})`, { timeout: 90_000 }, async () => {
    const random = seeded(SEED);
    const env: ChildEnv = { url: db.url, schema: db.schema, jobExpireSeconds: EXPIRE, retryLimit: RETRIES };
    for (const name of ['gw-a', 'gw-b']) children.set(name, await startChild(name, env));

    const files = burst(FILES, SETS, { sender: 'CRASHTEST' });
    const waves = KILLS + 1;
    const perWave = Math.ceil(FILES / waves);
    const receive = async (wave: number) => {
      for (const f of files.slice(wave * perWave, (wave + 1) * perWave)) {
        const r = await intake.intake({ partner: 'crash', channel: 'test', sourceName: f.name, bytes: f.bytes });
        expect(r.duplicate).toBe(false);
      }
    };

    // Each kill lands while a wave of files is going through the stages: a random moment 0-250 ms
    // after the wave starts arriving, in a random one of the two processes.
    const kills: string[] = [];
    let midFlight = 0;
    const arrivals: Promise<void>[] = [];
    for (let k = 0; k < KILLS; k++) {
      arrivals.push(receive(k));
      await sleep(Math.floor(random() * 250));
      const name = random() < 0.5 ? 'gw-a' : 'gw-b';
      const at = await pipelineCounts(db);
      await killChild(children.get(name)!);
      kills.push(`${name} at ${JSON.stringify(at.byState)}, ${at.filesReceived} file(s) not split`);
      if (at.filesReceived > 0 || at.documents > (at.byState.posted ?? 0)) midFlight++;
      children.set(name, await startChild(name, env));
    }
    arrivals.push(receive(KILLS));
    await Promise.all(arrivals);

    const counts = await waitForAllPosted(db, FILES * SETS, 60_000);
    // On failure: what pg-boss still holds, and what the children said.
    const jobs = counts.byState.posted === FILES * SETS ? [] : (await db.query(`SELECT name, state, retry_count, count(*)::int AS n FROM "${db.schema}_boss".job WHERE state < 'completed' GROUP BY 1, 2, 3`)).rows;
    expect(counts.byState, `kills: ${kills.join('; ')}\njobs: ${JSON.stringify(jobs)}\n${[...children.values()].map((c) => c.stderr.join('')).join('')}`).toEqual({ posted: FILES * SETS });
    // Jobs re-run after an expiry must find nothing left to do: wait for them, then check.
    await intake.idle(30_000);
    await expectEachPostedOnce(db, FILES, FILES * SETS);
    expect(kills).toHaveLength(KILLS);
    // The test proves something only if processes died with work in hand.
    expect(midFlight, kills.join('; ')).toBeGreaterThanOrEqual(2);
  });
});
