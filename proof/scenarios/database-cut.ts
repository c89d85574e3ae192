// Scenario 2: the database goes away under running gateway processes. Every connection of the two
// gateway children (pool, lock connection, LISTEN; told apart by the application_name in their URL)
// is terminated (pg_terminate_backend) at random moments, then for a stretch every 100 ms (the
// database unreachable for that long), while a burst goes through. This process only receives the
// files, on connections of its own. After the cuts every transaction must be posted once.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway } from '../../src/jobs/gateway.js';
import type { Conn } from '../../src/store/index.js';
import { seeded, startChild, stopChild, type Child, type ChildEnv } from '../../test/support/gateway-children.js';
import { recovered, scenarioDatabase, storedCounts, tallyRecording, type ProofContext } from '../harness.js';
import { someKeys, type ProofResult } from '../tally.js';

/** Terminates every backend whose application_name is `tag`; how many. */
export async function cutConnections(db: Conn, tag: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, [tag]);
  return rows[0]!.n;
}

export async function databaseCutScenario(ctx: ProofContext): Promise<ProofResult> {
  const full = ctx.size === 'full';
  const FILES = full ? 150 : 20;
  const SETS = 5;
  const CUTS = full ? 10 : 3;
  const OUTAGE_MS = full ? 60_000 : 5_000;
  const random = seeded(ctx.seed + 2);
  const db = await scenarioDatabase(ctx.url, 'dbcut');
  // The gateway's own retry policy (doubling delays for about 17 minutes), not the tests' quick one:
  // what carries a production gateway over a flapping database is what is proved here.
  const intake = await startGateway({ db, workers: false, jobExpireSeconds: 3 });
  const env: ChildEnv = { url: db.taggedUrl, schema: db.schema, jobExpireSeconds: 3, maxRuntimeMs: 30 * 60_000, extra: { RETRY_LIMIT: '' } };
  const children: Child[] = [];
  let restarts = 0;
  let terminated = 0;
  try {
    for (const name of ['gw-a', 'gw-b']) children.push(await startChild(name, env));
    const files = burst(FILES, SETS, { sender: 'PROOFDB' });
    const expected = files.flatMap((f) => f.poNumbers);
    // A process that exits on a lost database is a finding too: it is started again and counted.
    const keepAlive = async () => {
      for (const [i, c] of children.entries()) {
        if (c.process.exitCode !== null || c.process.signalCode !== null) {
          restarts++;
          children[i] = await startChild(c.name, env);
        }
      }
    };
    const half = Math.ceil(FILES / 2);
    const arrive = async (from: number, to: number) => {
      for (const f of files.slice(from, to)) await intake.intake({ partner: 'dbcut', channel: 'test', sourceName: f.name, bytes: f.bytes });
    };
    // Single cuts at random moments while the first half arrives and goes through.
    const first = arrive(0, half);
    for (let k = 0; k < CUTS; k++) {
      await sleep(200 + Math.floor(random() * 800));
      terminated += await cutConnections(db, db.tag);
    }
    await first;
    // Then the database "down" for OUTAGE_MS while the second half arrives.
    const second = arrive(half, FILES);
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      terminated += await cutConnections(db, db.tag);
      await sleep(100);
    }
    await second;
    const backAt = Date.now();
    let recoverSeconds: number | null = null;
    while (recoverSeconds === null && Date.now() - backAt < (full ? 180_000 : 60_000)) {
      await keepAlive();
      recoverSeconds = await recovered(db, expected, backAt, 3_000);
    }
    if (recoverSeconds !== null) await intake.idle(30_000).catch(() => undefined);
    const t = await tallyRecording(db, expected);
    const stored = await storedCounts(db);
    const errors = children.map((c) => c.stderr.join('')).join('');
    // What the children said, for whoever looks into a run that did not recover.
    const log = join(tmpdir(), `edi-proof-${db.schema}.log`);
    if (recoverSeconds === null) await writeFile(log, errors);
    return {
      scenario: `database cut x${CUTS} + down ${OUTAGE_MS / 1000}s`,
      files: FILES,
      transactions: expected.length,
      lost: t.lost,
      duplicated: t.duplicated,
      recoverSeconds,
      notes: `${terminated} connections terminated; gateway restarts ${restarts}; ${(errors.match(/ERROR/g) ?? []).length} error lines; documents ${JSON.stringify(stored.byState)}, files not split ${stored.unsplit}${t.lost ? `; lost ${someKeys(t.lostKeys)}; children's log ${log}` : ''}`,
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await intake.stop();
    await db.drop();
  }
}
