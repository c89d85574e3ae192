// Issue 10, finding 9: one 60 MB file of 46,041 interchanges was split and validated in one
// transaction each (907 MB of memory, 6 minutes), and its 46,041 per-document jobs were queued ahead
// of every file that came after it (a small file posted 56 minutes after its arrival). Now a file is
// split and validated slice by slice, each slice committed with the file's progress, and the jobs of
// a large file's later parts yield to other files' jobs (queues.ts priorityAt).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAckPolicy } from '../../src/acks/policy.js';
import { addressedIdentity } from '../../src/jobs/acks.js';
import type { PipelineContext } from '../../src/jobs/context.js';
import { intake } from '../../src/jobs/intake.js';
import { priorityAt, PRIORITY_STEP_BYTES, startQueues, STAGE_QUEUES, type JobData, type JobQueue } from '../../src/jobs/queues.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { splitFile } from '../../src/jobs/split.js';
import { validateFile } from '../../src/jobs/validate.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import { silentLogger } from '../../src/logging/logger.js';
import { withTransaction } from '../../src/store/conn.js';
import { getFile, getSplitProgress } from '../../src/store/files-repo.js';
import { burst, burstFile } from '../../bench/pipeline-files.js';
import { scriptedTarget, testGateway } from '../jobs/support.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let queue: JobQueue;
let ctx: PipelineContext;
const SLICE = 3000;

beforeAll(async () => {
  queue = await startQueues({
    db, bossSchema: `${db.schema}_slices`, retry: { limit: 0, delaySeconds: 0, backoff: false }, expireSeconds: 10,
    supervise: false, applySettings: true, maintenanceIntervalSeconds: 30, onError: () => undefined,
  });
  ctx = {
    db, queue, log: silentLogger, target: recordingTarget(db), maxFileBytes: 100 * 1024 * 1024,
    ack: { policy: { ...defaultAckPolicy }, identity: addressedIdentity }, now: () => new Date('2026-11-01T12:00:00Z'), sliceBytes: SLICE,
  };
});
afterAll(async () => {
  await queue?.stop();
});

/** The jobs queued for `fileId` in a queue, oldest first. */
async function jobsOf(name: string, fileId: number): Promise<Array<{ data: JobData; priority: number }>> {
  const { rows } = await db.query<{ data: JobData; priority: number }>(
    `SELECT data, priority FROM "${db.schema}_slices".job WHERE name = $1 AND (data->>'fileId')::bigint = $2 ORDER BY created_on, id`,
    [name, fileId],
  );
  return rows;
}

async function count(table: string, fileId: number): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.schema}.${table} WHERE file_id = $1`, [fileId])).rows[0]!.n;
}

describe('a file split in slices', () => {
  it('commits each slice on its own, and a split that dies between slices goes on where it stopped, without duplicates', async () => {
    const N = 40;
    const files = burst(N, 1, { sender: 'SLICEBUYER' });
    const bytes = Buffer.concat(files.map((f) => f.bytes));
    const { fileId } = await intake(ctx, { partner: 'acme', channel: 'test', sourceName: 'many.edi', bytes });

    // Slice by slice, as the split jobs run: each commits its interchanges, documents and progress.
    const progress: number[] = [];
    for (let i = 0; i < 3; i++) {
      await withTransaction(db, (tx) => splitFile(ctx, tx, fileId));
      progress.push((await getSplitProgress(db, fileId)).offset);
    }
    expect(progress[0]).toBeGreaterThan(0);
    expect(progress[1]).toBeGreaterThan(progress[0]!);
    expect(progress[2]).toBeGreaterThan(progress[1]!);
    // Whole interchanges only: each slice ends after an IEA's terminator (before its line break).
    const ends = files.reduce<number[]>((acc, f) => [...acc, (acc.at(-1) ?? -1) + f.bytes.length], []);
    for (const p of progress) expect(ends).toContain(p);
    const committed = await count('interchanges', fileId);
    expect(committed).toBe(ends.indexOf(progress[2]!) + 1);
    expect(await count('documents', fileId)).toBe(committed);
    expect((await getFile(db, fileId))?.state).toBe('received');

    // The fourth slice dies before its commit (here: queueing its jobs fails): nothing of it stays.
    const dying: PipelineContext = { ...ctx, queue: { ...queue, enqueue: () => Promise.reject(new Error('killed')) } };
    await expect(withTransaction(db, (tx) => splitFile(dying, tx, fileId))).rejects.toThrow('killed');
    expect(await count('interchanges', fileId)).toBe(committed);
    expect((await getSplitProgress(db, fileId)).offset).toBe(progress[2]);

    // The retried job, and a stray second copy of it, go on from there to the end.
    let runs = 0;
    while ((await getFile(db, fileId))?.state === 'received') {
      await withTransaction(db, (tx) => splitFile(ctx, tx, fileId));
      runs++;
    }
    await withTransaction(db, (tx) => splitFile(ctx, tx, fileId)); // the stray copy: the file is split
    expect(runs).toBeGreaterThan(1);
    expect(await count('interchanges', fileId)).toBe(N);
    expect(await count('documents', fileId)).toBe(N);
    const distinct = await db.query(`SELECT DISTINCT interchange_id, byte_offset FROM ${db.schema}.documents WHERE file_id = $1`, [fileId]);
    expect(distinct.rowCount).toBe(N);
    expect(await count('events', fileId)).toBeGreaterThanOrEqual(N);
    const parsedEvents = await db.query(`SELECT 1 FROM ${db.schema}.events WHERE file_id = $1 AND to_state = 'parsed'`, [fileId]);
    expect(parsedEvents.rowCount).toBe(N);

    // One validate job per committed slice: together they cover the file once, in order.
    const validates = (await jobsOf(STAGE_QUEUES.validate, fileId)).map((j) => (j.data as { slice: { from: number; to: number; line: number } }).slice);
    expect(validates.length).toBe(runs + 3);
    expect(validates[0]!.from).toBe(0);
    for (let i = 1; i < validates.length; i++) expect(validates[i]!.from).toBe(validates[i - 1]!.to);
    expect(validates.at(-1)!.to).toBe(bytes.length);

    // Validating the slices answers each interchange once, with control numbers taken in order.
    for (const slice of validates) await withTransaction(db, (tx) => validateFile(ctx, tx, fileId, slice));
    const validated = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.schema}.documents WHERE file_id = $1 AND state = 'validated'`, [fileId])).rows[0]!.n;
    expect(validated).toBe(N);
    const acks = await db.query<{ payload: string }>(`SELECT payload FROM ${db.schema}.outbound WHERE file_id = $1 ORDER BY id`, [fileId]);
    expect(acks.rowCount).toBe(N);
    const isa13 = acks.rows.map((r) => Number(r.payload.split('*')[13]!.slice(0, 9)));
    expect(new Set(isa13).size).toBe(N);
    expect(isa13).toEqual([...isa13].sort((a, b) => a - b));
  });

  it('lowers the priority of a large file\'s later parts, never a small file\'s', () => {
    expect(priorityAt(0, 500)).toBe(0);
    expect(priorityAt(PRIORITY_STEP_BYTES - 1, PRIORITY_STEP_BYTES)).toBe(0);
    expect(priorityAt(0, PRIORITY_STEP_BYTES + 1)).toBe(-1);
    expect(priorityAt(5 * PRIORITY_STEP_BYTES + 7, 60 * PRIORITY_STEP_BYTES)).toBe(-6);
  });
});

describe('a small file behind a large one', () => {
  let gateway: Gateway | undefined;
  afterAll(async () => {
    await gateway?.stop({ timeoutMs: 5000 });
  });

  it('is posted while the large one is still being posted', { timeout: 120_000 }, async () => {
    // Over one MiB of interchanges, so its jobs rank behind a small file's; a target of 20 ms a call.
    const big = Buffer.concat(burst(2200, 1, { sender: 'BIGBUYER' }).map((f) => f.bytes));
    expect(big.length).toBeGreaterThan(PRIORITY_STEP_BYTES);
    const target = scriptedTarget(db, () => undefined);
    const slow = { ...target, post: async (req: Parameters<typeof target.post>[0]) => (await new Promise((r) => setTimeout(r, 20)), target.post(req)) };
    gateway = await testGateway(db, { target: slow, bossSchema: `${db.schema}_fair` });
    const large = await gateway.intake({ partner: 'big', channel: 'test', sourceName: 'large.edi', bytes: big });
    // The small file comes once the large one's documents are queued for posting.
    await waitUntil(async () => (await stateCount(large.fileId, 'posted')) > 0);
    const small = await gateway.intake({ partner: 'small', channel: 'test', sourceName: 'small.edi', bytes: burstFile(1, 1, { sender: 'SMALLBUYER' }).bytes });
    await waitUntil(async () => (await stateCount(small.fileId, 'posted')) === 1);
    const bigPosted = await stateCount(large.fileId, 'posted');
    expect(bigPosted).toBeLessThan(2200);
  });
});

async function stateCount(fileId: number, state: string): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${db.schema}.documents WHERE file_id = $1 AND state = $2`, [fileId, state])).rows[0]!.n;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
