// The posting target's errors (transient, auth, business) and replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { TargetError } from '../../src/jobs/ports.js';
import { OdooError } from '../../src/odoo/client/errors.js';
import { MasterDataGap } from '../../src/odoo/postings/gap.js';
import { getDocument } from '../../src/store/documents-repo.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { getFile, setFileState } from '../../src/store/files-repo.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import { useTestDatabase } from '../support/db.js';
import { business, bytes, documentsOf, invalidPo, scriptedTarget, testGateway, timelineOf, transient, unmappablePo, x12 } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;
/** Interchange control numbers whose documents the target refuses until they are "fixed". */
const refuse = new Map<string, 'transient' | 'auth' | 'business'>();
let target: ReturnType<typeof scriptedTarget>;

beforeAll(async () => {
  target = scriptedTarget(db, (req, attempt) => {
    const control = req.naturalKey.split('|')[3]!;
    if (control === '000000201' && attempt <= 2) throw transient();
    // Coded failures as the Odoo target passes them on: the catalog's policy of the code decides.
    if (control === '000000220' && attempt === 1) throw TargetError.from(new OdooError('ODOO_UNKNOWN_MODEL', "Odoo UserError (sale.order.create): Object sale.order doesn't exist", { odooMessage: "Object sale.order doesn't exist" }));
    if (control === '000000221') throw TargetError.from(new MasterDataGap('product', 'line 1: unknown product: GTIN 00012345678905', { gtin: '00012345678905' }));
    const kind = refuse.get(control);
    if (kind === 'business') throw business();
    if (kind) throw new TargetError(kind, kind === 'auth' ? 'invalid API key' : 'connection reset');
  });
  gateway = await testGateway(db, { target });
});
afterAll(async () => {
  await gateway?.stop();
});

let serial = 0;
async function process(text: string) {
  const r = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: `t-${++serial}.edi`, bytes: bytes(text) });
  await gateway.idle(20_000);
  return { fileId: r.fileId, docs: await documentsOf(db, r.fileId) };
}
const postedFor = async (documentId: number) => (await listPosted(db, { documentId })).length;
const callsFor = (documentId: number) => target.calls.filter((c) => c.documentId === documentId).length;

describe('target errors', () => {
  it('transient: the post is retried and then posted; each failed try is in the timeline', async () => {
    const { docs } = await process(x12({ control: 201 }));
    const doc = docs[0]!;
    expect(doc).toMatchObject({ state: 'posted', failedStage: null, reason: null });
    expect(callsFor(doc.id)).toBe(3);
    expect(await postedFor(doc.id)).toBe(1);
    const timeline = await documentTimeline(db, doc.id);
    expect(timeline.map((e) => [e.stage, e.fromState, e.toState])).toEqual([
      ['split', null, 'parsed'],
      ['validate', 'parsed', 'validated'],
      ['map', 'validated', 'mapped'],
      // Each try: claimed (posting), then recorded outside the call (back to mapped, or posted).
      ['post', 'mapped', 'posting'],
      ['post', 'posting', 'mapped'],
      ['post', 'mapped', 'posting'],
      ['post', 'posting', 'mapped'],
      ['post', 'mapped', 'posting'],
      ['post', 'posting', 'posted'],
    ]);
    expect(timeline[4]!.message).toBe('post failed (try 1), will retry in 0 s: target unavailable (503)');
    expect(timeline[4]!.details).toMatchObject({ code: 'PIPELINE_TARGET_UNAVAILABLE', policy: 'transient', try: 1, retryInSeconds: 0 });
  });

  it('permanent transient/auth errors: failed (dead letter) after the last retry, with the last error', async () => {
    refuse.set('000000202', 'transient');
    refuse.set('000000203', 'auth');
    const a = (await process(x12({ control: 202 }))).docs[0]!;
    const b = (await process(x12({ control: 203 }))).docs[0]!;
    for (const [doc, error] of [[a, 'connection reset'], [b, 'invalid API key']] as const) {
      const now = (await getDocument(db, doc.id))!;
      expect(now).toMatchObject({ state: 'failed', failedStage: 'post', reason: `post failed 3 times; last error: ${error}` });
      expect((now.findings as { code: string }[]).map((f) => f.code)).toEqual(['PIPELINE_RETRIES_EXHAUSTED']);
      expect(callsFor(doc.id)).toBe(3);
      expect(await postedFor(doc.id)).toBe(0);
      // The post stage counts its tries itself: one 'failed' event, no dead letter involved.
      expect((await timelineOf(db, doc.id)).slice(3)).toEqual([
        ['post', 'system', 'mapped', 'posting'],
        ['post', 'system', 'posting', 'mapped'],
        ['post', 'system', 'mapped', 'posting'],
        ['post', 'system', 'posting', 'mapped'],
        ['post', 'system', 'mapped', 'posting'],
        ['post', 'system', 'posting', 'failed'],
      ]);
    }
  });

  it('a coded failure follows its catalog policy: protocol (a missing Odoo module) is retried, a master-data gap rejects; the timeline keeps both codes', async () => {
    const retried = (await process(x12({ control: 220 }))).docs[0]!;
    expect(retried.state).toBe('posted');
    expect(callsFor(retried.id)).toBe(2);
    expect((await documentTimeline(db, retried.id)).find((e) => e.message.startsWith('post failed'))!.details).toMatchObject({
      code: 'PIPELINE_TARGET_UNAVAILABLE', policy: 'transient', failure: { code: 'ODOO_UNKNOWN_MODEL', odooMessage: "Object sale.order doesn't exist" },
    });

    const rejected = (await process(x12({ control: 221 }))).docs[0]!;
    expect(rejected).toMatchObject({ state: 'rejected', failedStage: 'post', reason: 'recording refused the document: line 1: unknown product: GTIN 00012345678905' });
    expect(callsFor(rejected.id)).toBe(1);
    expect((await documentTimeline(db, rejected.id)).at(-1)!.details).toMatchObject({
      failure: { code: 'ODOO_MASTER_DATA_GAP', gap: 'product', lookedFor: { gtin: '00012345678905' } },
    });
  });

  it('business error: rejected at post with the reason, no retry', async () => {
    refuse.set('000000204', 'business');
    const doc = (await process(x12({ control: 204 }))).docs[0]!;
    expect(doc).toMatchObject({ state: 'rejected', failedStage: 'post', reason: 'recording refused the document: unknown product 012345678905' });
    expect(callsFor(doc.id)).toBe(1);
    const last = (await documentTimeline(db, doc.id)).at(-1)!;
    expect(last).toMatchObject({ stage: 'post', fromState: 'posting', toState: 'rejected', details: { fault: 'ValidationError' } });
  });
});

describe('replay', () => {
  it('after a fix, a rejected document goes back to post and is posted; the replay is in the timeline with its actor', async () => {
    const doc = (await process(x12({ control: 205 })).then(async (r) => r)).docs[0]!;
    expect(doc.state).toBe('posted');
    refuse.set('000000206', 'business');
    const rejected = (await process(x12({ control: 206 }))).docs[0]!;
    expect(rejected.state).toBe('rejected');
    refuse.delete('000000206');
    const result = await gateway.replayDocument(rejected.id, 'alice');
    expect(result).toEqual({ found: true, replayed: [{ documentId: rejected.id, from: 'rejected', stage: 'post' }], skipped: [] });
    await gateway.idle(20_000);
    const now = (await getDocument(db, rejected.id))!;
    expect(now).toMatchObject({ state: 'posted', failedStage: null, reason: null });
    expect((now.findings as { code: string }[]).map((f) => f.code)).not.toContain('PIPELINE_TARGET_REJECTED');
    const timeline = await documentTimeline(db, rejected.id);
    expect(timeline.slice(-3).map((e) => [e.stage, e.actor, e.fromState, e.toState, e.message])).toEqual([
      ['replay', 'alice', 'rejected', 'mapped', 'replayed by alice: back to post'],
      ['post', 'system', 'mapped', 'posting', 'posting to recording'],
      ['post', 'system', 'posting', 'posted', `posted to recording as recording:${rejected.id}`],
    ]);
    expect(await postedFor(rejected.id)).toBe(1);
  });

  it('a failed (dead-letter) document replays too; replaying twice is a no-op, and so is replaying a posted one', async () => {
    refuse.set('000000207', 'transient');
    const doc = (await process(x12({ control: 207 }))).docs[0]!;
    expect(doc.state).toBe('failed');
    refuse.delete('000000207');
    const [first, second] = [await gateway.replayDocument(doc.id, 'bob'), await gateway.replayDocument(doc.id, 'bob')];
    expect(first.replayed).toEqual([{ documentId: doc.id, from: 'failed', stage: 'post' }]);
    // The first replay's posting may have begun already: either way the second one replays nothing.
    expect(second).toMatchObject({ found: true, replayed: [], skipped: [{ documentId: doc.id }] });
    expect(second.skipped[0]!.reason).toMatch(new RegExp(`^document ${doc.id} is (mapped: only rejected or failed documents are replayed|being posted \\(lease held by .+\\): it ends posted, rejected or failed by itself)$`));
    await gateway.idle(20_000);
    const third = await gateway.replayDocument(doc.id, 'bob');
    expect(third.replayed).toEqual([]);
    expect(third.skipped[0]!.reason).toMatch(/is posted/);
    await gateway.idle(20_000);
    expect(await postedFor(doc.id)).toBe(1);
    const timeline = await documentTimeline(db, doc.id);
    expect(timeline.filter((e) => e.stage === 'replay')).toHaveLength(1);
    expect(timeline.filter((e) => e.toState === 'posted')).toHaveLength(1);
  });

  it('replays go back to the stage that failed: map and validate (same verdict again, no second 997)', async () => {
    const mapped = (await process(x12({ control: 208, body: unmappablePo }))).docs[0]!;
    expect(mapped).toMatchObject({ state: 'rejected', failedStage: 'map' });
    expect((await gateway.replayDocument(mapped.id, 'carol')).replayed).toEqual([{ documentId: mapped.id, from: 'rejected', stage: 'map' }]);
    await gateway.idle(20_000);
    const again = (await getDocument(db, mapped.id))!;
    expect(again).toMatchObject({ state: 'rejected', failedStage: 'map' });
    // The mapping findings are those of the last run, not piled up.
    expect((again.findings as { code: string }[]).filter((f) => f.code === 'MAP_REQUIRED_VALUE')).toHaveLength(2);
    expect((await timelineOf(db, mapped.id)).slice(-3)).toEqual([
      ['map', 'system', 'validated', 'rejected'],
      ['replay', 'carol', 'rejected', 'validated'],
      ['map', 'system', 'validated', 'rejected'],
    ]);

    const { fileId, docs } = await process(x12({ control: 209, body: invalidPo }));
    expect(docs[0]).toMatchObject({ state: 'rejected', failedStage: 'validate' });
    const acks = await listOutbound(db, { fileId });
    const result = await gateway.replayFile(fileId, 'carol');
    expect(result.replayed).toEqual([{ documentId: docs[0]!.id, from: 'rejected', stage: 'validate' }]);
    await gateway.idle(20_000);
    expect(await getDocument(db, docs[0]!.id)).toMatchObject({ state: 'rejected', failedStage: 'validate' });
    expect(await listOutbound(db, { fileId })).toEqual(acks);
  });

  it('a file that failed as a whole goes back to split; envelope rejections and unknown ids are reported, not replayed', async () => {
    // A file whose split gave up (e.g. the database kept failing): replay brings it back.
    const r = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: 'late.edi', bytes: bytes(x12({ control: 210 })) });
    await gateway.idle(20_000);
    await db.query(`DELETE FROM ${db.schema}.events WHERE document_id IN (SELECT id FROM ${db.schema}.documents WHERE file_id = $1)`, [r.fileId]);
    await db.query(`DELETE FROM ${db.schema}.posted WHERE document_id IN (SELECT id FROM ${db.schema}.documents WHERE file_id = $1)`, [r.fileId]);
    await db.query(`DELETE FROM ${db.schema}.documents WHERE file_id = $1`, [r.fileId]);
    await db.query(`DELETE FROM ${db.schema}.outbound WHERE file_id = $1`, [r.fileId]);
    await db.query(`DELETE FROM ${db.schema}.interchanges WHERE file_id = $1`, [r.fileId]);
    await setFileState(db, { id: r.fileId, from: ['split'], to: 'failed', reason: 'split failed 3 times; last error: boom' });
    const result = await gateway.replayFile(r.fileId, 'dave');
    expect(result).toEqual({ found: true, replayed: [], file: { fileId: r.fileId, from: 'failed' }, skipped: [] });
    await gateway.idle(20_000);
    expect(await getFile(db, r.fileId)).toMatchObject({ state: 'split' });
    expect((await documentsOf(db, r.fileId)).map((d) => d.state)).toEqual(['posted']);

    const broken = await process(x12({ control: 211 }).replace('IEA*1*000000211', 'IEA*1*000000212'));
    const replay = await gateway.replayFile(broken.fileId, 'dave');
    expect(replay.replayed).toEqual([]);
    expect(replay.skipped[0]!.reason).toMatch(/rejected with its envelope.*the partner must send it again/);
    expect(await gateway.replayDocument(999_999, 'dave')).toMatchObject({ found: false });
    expect(await gateway.replayFile(999_999, 'dave')).toMatchObject({ found: false });
  });
});
