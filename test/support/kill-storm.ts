// A kill storm: gateway processes are SIGKILLed at random (seeded) moments while a burst goes through,
// and started again. Run by test/pipeline/crash.test.ts (with the exactly-once checks) and by the
// proof suite (proof/scenarios/kill-storm.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway } from '../../src/jobs/gateway.js';
import type { Database } from '../../src/store/index.js';
import { killChild, pipelineCounts, seeded, startChild, stopChild, waitForAllPosted, type Child, type ChildEnv, type PipelineCounts } from './gateway-children.js';

export interface KillStormOptions {
  /** The intake's database (this process receives the files; the children do the stage work). */
  db: Database;
  /** The URL the children use (e.g. with an application_name). */
  url: string;
  files: number;
  sets: number;
  kills: number;
  seed: number;
  sender: string;
  /** A job held by a killed process is handed out again after this many seconds. */
  expireSeconds?: number;
  retries?: number;
  /** How long to wait for every document to post after the last restart. */
  settleMs?: number;
}

export interface KillStorm {
  /** Where each kill landed. */
  kills: string[];
  /** Kills that hit a process while work was in flight. */
  midFlight: number;
  counts: PipelineCounts;
  poNumbers: string[];
  /** From the last restart to every document posted (ms), null if not in time. */
  recoverMs: number | null;
  /** What the children wrote to stderr, and the jobs pg-boss still held when not everything posted. */
  stderr: string;
}

export async function killStorm(o: KillStormOptions): Promise<KillStorm> {
  const expire = o.expireSeconds ?? 3;
  const retries = o.retries ?? 20;
  const random = seeded(o.seed);
  // Job options travel with each job: the split jobs this process enqueues must expire and retry
  // like the children's, or a split killed mid-way waits out a 60 s default.
  const intake = await startGateway({ db: o.db, workers: false, jobExpireSeconds: expire, retry: { limit: retries, delaySeconds: 0, backoff: false } });
  const env: ChildEnv = { url: o.url, schema: o.db.schema, jobExpireSeconds: expire, retryLimit: retries, maxRuntimeMs: 30 * 60_000 };
  const children = new Map<string, Child>();
  try {
    for (const name of ['gw-a', 'gw-b']) children.set(name, await startChild(name, env));
    const files = burst(o.files, o.sets, { sender: o.sender });
    const waves = o.kills + 1;
    const perWave = Math.ceil(o.files / waves);
    const receive = async (wave: number) => {
      for (const f of files.slice(wave * perWave, (wave + 1) * perWave)) {
        const r = await intake.intake({ partner: 'crash', channel: 'test', sourceName: f.name, bytes: f.bytes });
        if (r.duplicate) throw new Error(`${f.name} taken for a duplicate`);
      }
    };
    // Each kill lands while a wave of files is going through the stages: a random moment 0-250 ms
    // after the wave starts arriving, in a random one of the two processes.
    const kills: string[] = [];
    let midFlight = 0;
    const arrivals: Promise<void>[] = [];
    let lastRestart = Date.now();
    for (let k = 0; k < o.kills; k++) {
      arrivals.push(receive(k));
      await sleep(Math.floor(random() * 250));
      const name = random() < 0.5 ? 'gw-a' : 'gw-b';
      const at = await pipelineCounts(o.db);
      await killChild(children.get(name)!);
      kills.push(`${name} at ${JSON.stringify(at.byState)}, ${at.filesReceived} file(s) not split`);
      if (at.filesReceived > 0 || at.documents > (at.byState.posted ?? 0)) midFlight++;
      children.set(name, await startChild(name, env));
      lastRestart = Date.now();
    }
    arrivals.push(receive(o.kills));
    await Promise.all(arrivals);
    const counts = await waitForAllPosted(o.db, o.files * o.sets, o.settleMs ?? 60_000);
    const recoverMs = (counts.byState.posted ?? 0) >= o.files * o.sets ? Date.now() - lastRestart : null;
    // Jobs re-run after an expiry must find nothing left to do: wait for them before anyone counts.
    await intake.idle(30_000).catch(() => undefined);
    const jobs = recoverMs === null ? (await o.db.query(`SELECT name, state, retry_count, count(*)::int AS n FROM "${o.db.schema}_boss".job WHERE state < 'completed' GROUP BY 1, 2, 3`)).rows : [];
    const stderr = `jobs: ${JSON.stringify(jobs)}\n${[...children.values()].map((c) => c.stderr.join('')).join('')}`;
    return { kills, midFlight, counts: await pipelineCounts(o.db), poNumbers: files.flatMap((f) => f.poNumbers), recoverMs, stderr };
  } finally {
    await Promise.all([...children.values()].map((c) => stopChild(c)));
    await intake.stop();
  }
}

