// The sweep resumes what nothing else would: a file left 'received' whose split job was lost, and
// a posting whose holder died (its lease ran out). Replay treats a document in 'posting' the same
// way, and leaves one whose lease still runs alone. A holder whose lease was taken over records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAckPolicy } from '../../src/acks/policy.js';
import { addressedIdentity } from '../../src/jobs/acks.js';
import type { PipelineContext } from '../../src/jobs/context.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import { postingSettings } from '../../src/jobs/posting-settings.js';
import { DEFAULT_RETRY, startQueues, type JobQueue } from '../../src/jobs/queues.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { sweepOnce } from '../../src/jobs/sweep.js';
import { silentLogger } from '../../src/logging/logger.js';
import { withTransaction } from '../../src/store/conn.js';
import { getDocument, transitionDocuments } from '../../src/store/documents-repo.js';
import { documentTimeline, fileTimeline } from '../../src/store/events-repo.js';
import { getFile } from '../../src/store/files-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import { claimPostings, leasesOf } from '../../src/store/postings-repo.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, testGateway, x12 } from './support.js';

const db = useTestDatabase();
let queue: JobQueue;
let ctx: PipelineContext;
const gateways: Gateway[] = [];
const start = async (options: Parameters<typeof testGateway>[1]) => {
  const g = await testGateway(db, options);
  gateways.push(g);
  return g;
};

beforeAll(async () => {
  // The sweep's own view of the queue (no workers): the gateways below share its pg-boss schema.
  queue = await startQueues({
    db, bossSchema: `${db.schema}_boss`, retry: DEFAULT_RETRY, expireSeconds: 10, supervise: false, applySettings: false,
    maintenanceIntervalSeconds: 30, onError: () => undefined,
  });
  ctx = {
    db, queue, log: silentLogger, target: recordingTarget(db), maxFileBytes: 1e6,
    ack: { policy: { ...defaultAckPolicy }, identity: addressedIdentity }, now: () => new Date(), posting: postingSettings(),
  };
});
afterAll(async () => {
  for (const g of gateways) await g.stop();
  await queue?.stop();
});

const splitJobs = async (fileId: number) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}_boss".job WHERE name = 'edi-split' AND data->>'fileId' = $1`, [String(fileId)])).rows[0]!.n;
const stateOf = async (id: number) => (await getDocument(db, id))!.state;

describe('sweep', () => {
  it('queues the split of a received file whose job was lost, and only of such a file', async () => {
    const intakeOnly = await start({ workers: false });
    const kept = await intakeOnly.intake({ partner: 'acme', channel: 'test', sourceName: 'kept.edi', bytes: bytes(x12({ control: 401 })) });
    const lost = await intakeOnly.intake({ partner: 'acme', channel: 'test', sourceName: 'lost.edi', bytes: bytes(x12({ control: 402, sets: 2 })) });
    // Waiting for a worker is not lost: nothing to do.
    expect(await sweepOnce(ctx)).toEqual({ postings: [], files: [] });

    // A job deleted by hand (or a restore without pg-boss's schema): the file would stay 'received' forever.
    await db.query(`DELETE FROM "${db.schema}_boss".job WHERE name = 'edi-split' AND data->>'fileId' = $1`, [String(lost.fileId)]);
    expect(await splitJobs(lost.fileId)).toBe(0);
    expect(await sweepOnce(ctx)).toEqual({ postings: [], files: [lost.fileId] });
    expect(await splitJobs(lost.fileId)).toBe(1);
    expect(await sweepOnce(ctx)).toEqual({ postings: [], files: [] });

    // The gateway's own sweep loop does the same (here for a second lost job), and the files go all the way.
    await db.query(`DELETE FROM "${db.schema}_boss".job WHERE name = 'edi-split' AND data->>'fileId' = $1`, [String(lost.fileId)]);
    const workers = await start({ posting: { sweepIntervalSeconds: 0.2 } });
    await expect.poll(async () => (await getFile(db, lost.fileId))?.state, { timeout: 10_000 }).toBe('split');
    await workers.idle(20_000);
    expect((await documentsOf(db, lost.fileId)).map((d) => d.state)).toEqual(['posted', 'posted']);
    expect((await documentsOf(db, kept.fileId)).map((d) => d.state)).toEqual(['posted']);
    const notes = (await fileTimeline(db, lost.fileId)).filter((e) => e.message === 'no split job was waiting for this received file: queued again');
    expect(notes).toHaveLength(2);
    expect((await fileTimeline(db, kept.fileId)).map((e) => e.message)).not.toContain(notes[0]!.message);
    await Promise.all([workers.stop(), intakeOnly.stop()]);
  });

  it('sends a posting whose lease ran out back to post, leaves a live one alone; replay does the same', async () => {
    // Map only (no post loop): the documents wait in 'mapped' with their post jobs queued.
    const mapper = await start({ concurrency: { post: 0 } });
    const { fileId } = await mapper.intake({ partner: 'acme', channel: 'test', sourceName: 'lease.edi', bytes: bytes(x12({ control: 410, sets: 3 })) });
    await expect.poll(async () => (await documentsOf(db, fileId)).map((d) => d.state), { timeout: 10_000 }).toEqual(['mapped', 'mapped', 'mapped']);
    const [dead, alive, late] = (await documentsOf(db, fileId)).map((d) => d.id) as [number, number, number];

    // What a process leaves when it dies between call and record: 'posting' under its lease.
    const claim = (id: number, holder: string, leaseSeconds: number) =>
      withTransaction(db, (tx) => claimPostings(tx, { holder, leaseSeconds, stage: 'post', actor: 'system', claims: [{ id, businessKey: `test|${id}`, event: { message: 'posting to recording' } }] }));
    expect((await claim(dead, 'host/1/dead', 0.01)).has(dead)).toBe(true);
    expect((await claim(alive, 'host/2/alive', 60)).has(alive)).toBe(true);
    expect((await claim(late, 'host/3/late', 60)).has(late)).toBe(true);
    // A second claim of a document in 'posting' finds nothing to claim.
    expect((await claim(dead, 'host/4/other', 60)).size).toBe(0);
    await new Promise((r) => setTimeout(r, 50));

    expect(await sweepOnce(ctx)).toEqual({ postings: [dead], files: [] });
    expect(await stateOf(dead)).toBe('mapped');
    expect(await stateOf(alive)).toBe('posting');
    const resumed = (await documentTimeline(db, dead)).at(-1)!;
    expect(resumed).toMatchObject({ stage: 'post', actor: 'system', fromState: 'posting', toState: 'mapped', details: { holder: 'host/1/dead' } });
    expect(resumed.message).toMatch(/^the posting by host\/1\/dead did not finish before its lease ran out \(.+\): posting again$/);

    // The dead holder's late record (its process came back?) is refused: the sweep took the document over.
    const refused = await transitionDocuments(db, { from: ['posting'], lease: { holder: 'host/1/dead' }, stage: 'post', actor: 'system', changes: [{ id: dead, to: 'posted', targetRef: 'x' }] });
    expect(refused).toEqual([]);

    const poster = await start({});
    // A document someone is posting: replay leaves it alone and says why.
    const live = await poster.replayDocument(alive, 'erin');
    expect(live.replayed).toEqual([]);
    expect(live.skipped[0]!.reason).toMatch(new RegExp(`^document ${alive} is being posted \\(lease held by host/2/alive until .+\\)`));
    // Once its lease ran out, replay sends it back to post at once (without waiting for the sweep).
    await db.query(`UPDATE ${db.schema}.documents SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [alive]);
    expect((await leasesOf(db, [alive]))[0]).toMatchObject({ holder: 'host/2/alive', expired: true });
    expect(await poster.replayDocument(alive, 'erin')).toEqual({ found: true, replayed: [{ documentId: alive, from: 'posting', stage: 'post' }], skipped: [] });
    // Not idle(): that waits for every posting to end, and `late` stays claimed by a live holder.
    await expect.poll(async () => [await stateOf(dead), await stateOf(alive)], { timeout: 20_000 }).toEqual(['posted', 'posted']);
    expect(await stateOf(late)).toBe('posting');
    for (const id of [dead, alive]) expect(await listPosted(db, { documentId: id })).toHaveLength(1);
    expect((await documentTimeline(db, alive)).slice(-4).map((e) => [e.actor, e.fromState, e.toState])).toEqual([
      ['system', 'mapped', 'posting'],
      ['erin', 'posting', 'mapped'],
      ['system', 'mapped', 'posting'],
      ['system', 'posting', 'posted'],
    ]);
    // Each queued post job that found its document claimed by another holder did nothing.
    expect((await documentTimeline(db, dead)).filter((e) => e.toState === 'posted')).toHaveLength(1);
  });
});
