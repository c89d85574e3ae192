// Several gateway processes starting at the same moment on a new database: each creates the
// gateway's schema (migrations) and pg-boss's schema and queues. Both are serialized across
// processes, so every one of them starts, and together they post a burst exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burst } from '../../bench/pipeline-files.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { expectEachPostedOnce, startChild, stopChild, waitForAllPosted, type Child } from '../support/gateway-children.js';
import { useTestDatabase } from '../support/db.js';

// Not migrated: neither the gateway's schema nor pg-boss's exists when the processes start.
const db = useTestDatabase({ migrate: false });
const PROCESSES = 4;
const FILES = 20;
const SETS = 5;

const children: Child[] = [];
let intake: Gateway | undefined;

afterAll(async () => {
  await Promise.all(children.map((c) => stopChild(c)));
  await intake?.stop();
});

beforeAll(async () => {
  const schemas = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname IN ($1, $2)`, [db.schema, `${db.schema}_boss`]);
  expect(schemas.rows[0]!.n).toBe(0);
});

describe('concurrent start on a new database', () => {
  it(`${PROCESSES} gateway processes starting at once all start and post a burst exactly once`, { timeout: 90_000 }, async () => {
    const env = { url: db.url, schema: db.schema, jobExpireSeconds: 5, retryLimit: 10 };
    const started = await Promise.allSettled(Array.from({ length: PROCESSES }, (_, i) => startChild(`gw-${i}`, env)));
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    expect(failures).toEqual([]);
    expect(children).toHaveLength(PROCESSES);

    intake = await startGateway({ db, workers: false, jobExpireSeconds: 5, retry: { limit: 10, delaySeconds: 0, backoff: false } });
    for (const f of burst(FILES, SETS, { sender: 'TOGETHER' })) {
      const r = await intake.intake({ partner: 'together', channel: 'test', sourceName: f.name, bytes: f.bytes });
      expect(r.duplicate).toBe(false);
    }
    const counts = await waitForAllPosted(db, FILES * SETS, 60_000);
    expect(counts.byState).toEqual({ posted: FILES * SETS });
    await intake.idle(30_000);
    await expectEachPostedOnce(db, FILES, FILES * SETS);

    const codes = await Promise.all(children.splice(0).map((c) => stopChild(c)));
    expect(codes).toEqual(Array.from({ length: PROCESSES }, () => 0));
    expect(started.flatMap((s) => (s.status === 'fulfilled' ? s.value.stderr : [])).join('')).not.toMatch(/\bERROR\b/);
  });
});
