// How long crash recovery takes with the gateway's own defaults (job expiry, pg-boss maintenance,
// posting lease, sweep): the only gateway process is SIGKILLed while a burst goes through and
// restarted at once; everything the dead process held must be posted again within seconds, not
// after a minute-long expiry, and still exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import type { Database } from '../../src/store/index.js';
import { tableIn } from '../../src/store/identifiers.js';
import { expectEachPostedOnce, killChild, pipelineCounts, startChild, stopChild, waitForAllPosted, type Child, type ChildEnv } from '../support/gateway-children.js';
import { useTestDatabase } from '../support/db.js';
import { createProbeTable } from '../support/probe-target.js';

const db = useTestDatabase();
const FILES = 20;
const SETS = 5;
// Well under the 60 s expiry recovery used to wait for.
const RECOVERY_LIMIT_MS = 20_000;

let intakeDb: Database;
let intake: Gateway;
let child: Child | undefined;

beforeAll(async () => {
  await createProbeTable(db);
  intakeDb = db.another(6);
  intake = await startGateway({ db: intakeDb, workers: false });
});

afterAll(async () => {
  if (child) await stopChild(child);
  await intake?.stop();
});

describe('crash recovery time', () => {
  it(`work held by a killed gateway is posted within ${RECOVERY_LIMIT_MS / 1000} s of its restart, exactly once`, { timeout: 90_000 }, async () => {
    // Empty values: the gateway's defaults, as `edi start` runs (job expiry, pg-boss maintenance,
    // sweep interval), but for the posting lease: by default it outlasts Odoo's 30 s client timeout
    // on purpose, and a posting cut short waits for it. The post stage is slowed a little (PROBE_MS)
    // so that the kill finds documents being posted.
    const env: ChildEnv = {
      url: db.url,
      schema: db.schema,
      extra: { JOB_EXPIRE_SECONDS: '', LEASE_SECONDS: '5', SWEEP_SECONDS: '', MAINTENANCE_SECONDS: '', RETRY_LIMIT: '5', PROBE_MS: '50' },
    };
    child = await startChild('gw', env);
    for (const f of burst(FILES, SETS, { sender: 'RECOVERY' })) {
      const r = await intake.intake({ partner: 'recovery', channel: 'test', sourceName: f.name, bytes: f.bytes });
      expect(r.duplicate).toBe(false);
    }
    // Kill once the child holds work: documents being posted, and others not there yet.
    const deadline = Date.now() + 30_000;
    let at = await pipelineCounts(db);
    while (!((at.byState.posting ?? 0) > 0 && (at.byState.posted ?? 0) < FILES * SETS) && Date.now() < deadline) {
      await sleep(10);
      at = await pipelineCounts(db);
    }
    await killChild(child);
    at = await pipelineCounts(db);
    const active = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}_boss".job WHERE state = 'active'`);
    expect(at.byState.posting ?? 0, `at the kill: ${JSON.stringify(at.byState)}`).toBeGreaterThan(0);
    expect(active.rows[0]!.n).toBeGreaterThan(0);

    const restarted = Date.now();
    child = await startChild('gw', env);
    const counts = await waitForAllPosted(db, FILES * SETS, 60_000);
    const recoveryMs = Date.now() - restarted;
    process.stdout.write(`recovery after SIGKILL: ${recoveryMs} ms from restart to all ${FILES * SETS} posted (at the kill: ${JSON.stringify(at.byState)}, ${active.rows[0]!.n} active jobs)\n`);
    expect(counts.byState).toEqual({ posted: FILES * SETS });
    expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);

    await intake.idle(30_000);
    await expectEachPostedOnce(db, FILES, FILES * SETS);
    const resumed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'events')} WHERE message LIKE '%lease ran out%'`);
    // The dead process's postings came back through the sweep.
    expect(resumed.rows[0]!.n).toBeGreaterThan(0);
  });
});
