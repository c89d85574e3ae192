// The pipeline's state paths end to end against the real database: intake -> split -> validate ->
// map -> post, the acknowledgments queued on the way, duplicates, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { getFile, listReceipts } from '../../src/store/files-repo.js';
import { fileTimeline } from '../../src/store/events-repo.js';
import { listInterchanges } from '../../src/store/interchanges-repo.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import { readX12 } from '../../src/x12/reader.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, invalidPo, testGateway, timelineOf, unmappablePo, x12 } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await testGateway(db, { maxFileBytes: 4096 });
});
afterAll(async () => {
  await gateway?.stop();
});

let serial = 0;
const intake = (text: string | Buffer, partner = 'acme') =>
  gateway.intake({ partner, channel: 'test', sourceName: `in-${++serial}.edi`, bytes: typeof text === 'string' ? bytes(text) : text });

/** The segments of an outbound payload, e.g. ['TA1', '000000905', ...]. */
function segmentsOf(payload: string): string[][] {
  const read = readX12(payload);
  const out: string[][] = [];
  for (const ic of read.interchanges) {
    for (const t of ic.ta1) out.push([...t.elements]);
    for (const g of ic.groups) for (const t of g.transactions) for (const s of t.segments) out.push([...s.elements]);
  }
  return out;
}

describe('stages', () => {
  it('an inbound 997 is read into what it says about our group and sets, recorded, and never acknowledged', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const r = await intake(readFileSync(join(import.meta.dirname, '..', '..', 'samples', '004010', '997', 'partial.edi')));
    await gateway.idle(20_000);
    const docs = await documentsOf(db, r.fileId);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ setId: '997', state: 'posted', documentType: 'functional_ack' });
    const ack = docs[0]!.document as { kind: string; outcome: string; group: { controlNumber: string }; sets: { controlNumber: string; outcome: string }[] };
    expect(ack.kind).toBe('997');
    expect(ack.outcome).toBe('partially-accepted');
    expect(ack.sets.some((s) => s.outcome === 'rejected')).toBe(true);
    expect(ack.sets.some((s) => s.outcome === 'accepted')).toBe(true);
    // An acknowledgment is never functionally acknowledged.
    expect((await listOutbound(db, { fileId: r.fileId })).filter((o) => o.kind === '997' || o.kind === '999')).toEqual([]);
  });

  it('valid: split -> validated -> mapped -> posted, one ledger row per set, a 997 accepting the group', async () => {
    const r = await intake(x12({ control: 101, sets: 3 }));
    expect(r).toMatchObject({ duplicate: false, state: 'received' });
    await gateway.idle(20_000);

    expect(await getFile(db, r.fileId)).toMatchObject({ state: 'split' });
    const docs = await documentsOf(db, r.fileId);
    expect(docs.map((d) => [d.setId, d.controlNumber, d.state, d.documentType])).toEqual([
      ['850', '0001', 'posted', 'purchase_order'],
      ['850', '0002', 'posted', 'purchase_order'],
      ['850', '0003', 'posted', 'purchase_order'],
    ]);
    expect(docs[0]!.document).toMatchObject({ poNumber: expect.any(String) });
    expect(docs[0]!.targetRef).toBe(`recording:${docs[0]!.id}`);
    expect(await timelineOf(db, docs[0]!.id)).toEqual([
      ['split', 'system', null, 'parsed'],
      ['validate', 'system', 'parsed', 'validated'],
      ['map', 'system', 'validated', 'mapped'],
      ['post', 'system', 'mapped', 'posting'],
      ['post', 'system', 'posting', 'posted'],
    ]);
    const posted = (await listPosted(db)).filter((p) => docs.some((d) => d.id === p.documentId));
    expect(posted).toHaveLength(3);
    expect(posted.find((p) => p.documentId === docs[0]!.id)!.naturalKey).toBe('acme|850|ZZ/ACMEBUYER|000000101|101|0001');

    const [ack] = await listOutbound(db, { fileId: r.fileId });
    expect(ack).toMatchObject({ partner: 'acme', kind: '997', state: 'ready' });
    const segs = segmentsOf(ack!.payload);
    expect(segs.find((s) => s[0] === 'AK1')).toEqual(['AK1', 'PO', '101']);
    expect(segs.find((s) => s[0] === 'AK9')).toEqual(['AK9', 'A', '3', '3', '3']);
    // Our identity in the ack is whom the partner addressed.
    expect(readX12(ack!.payload).interchanges[0]!.header).toMatchObject({ senderId: 'OURCOMPANY', receiverId: 'ACMEBUYER' });
  });

  it('envelope error: the interchange and its sets are rejected at split, a TA1 R goes back, nothing is validated', async () => {
    const text = x12({ control: 102, sets: 2 }).replace('IEA*1*000000102', 'IEA*1*000000999');
    const r = await intake(text);
    await gateway.idle(20_000);
    const [ic] = await listInterchanges(db, r.fileId);
    expect(ic).toMatchObject({ state: 'rejected', controlNumber: '000000102' });
    const docs = await documentsOf(db, r.fileId);
    expect(docs.map((d) => [d.state, d.failedStage])).toEqual([
      ['rejected', 'split'],
      ['rejected', 'split'],
    ]);
    expect(docs[0]!.reason).toMatch(/interchange 000000102 rejected.*TA1 R 001/);
    expect(await timelineOf(db, docs[0]!.id)).toEqual([['split', 'system', null, 'rejected']]);
    const acks = await listOutbound(db, { fileId: r.fileId });
    expect(acks.map((a) => a.kind)).toEqual(['TA1']);
    expect(segmentsOf(acks[0]!.payload)).toEqual([['TA1', '000000102', '261101', '1230', 'R', '001']]);
  });

  it('validation error: the set is rejected at validate with its findings, the 997 says R, the good set still posts', async () => {
    const good = x12({ control: 103, sets: 1 });
    const bad = x12({ control: 103, sets: 1, body: invalidPo });
    // Two sets in one group: the first valid, the second without BEG05.
    const text = good.replace(/SE\*(\d+)\*0001~\n/, (se) => se + bad.slice(bad.indexOf('ST*850')).split('SE*')[0]!.replace('ST*850*0001', 'ST*850*0002') + 'SE*5*0002~\n').replace('GE*1*103', 'GE*2*103');
    const r = await intake(text);
    await gateway.idle(20_000);
    const docs = await documentsOf(db, r.fileId);
    expect(docs.map((d) => [d.controlNumber, d.state, d.failedStage])).toEqual([
      ['0001', 'posted', null],
      ['0002', 'rejected', 'validate'],
    ]);
    expect(docs[1]!.reason).toMatch(/BEG05|mandatory|missing/i);
    expect((docs[1]!.findings as { code: string }[]).map((f) => f.code)).toContain('X12_ELEMENT_MISSING');
    expect(await timelineOf(db, docs[1]!.id)).toEqual([
      ['split', 'system', null, 'parsed'],
      ['validate', 'system', 'parsed', 'rejected'],
    ]);
    const [ack] = await listOutbound(db, { fileId: r.fileId });
    const segs = segmentsOf(ack!.payload);
    expect(segs.filter((s) => s[0] === 'AK5').map((s) => s[1])).toEqual(['A', 'R']);
    expect(segs.find((s) => s[0] === 'AK9')).toEqual(['AK9', 'P', '2', '2', '1']);
  });

  it('mapping error: valid X12 the map cannot use is rejected at map with the mapping findings', async () => {
    const r = await intake(x12({ control: 104, body: unmappablePo }));
    await gateway.idle(20_000);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ state: 'rejected', failedStage: 'map', documentType: 'purchase_order', document: null });
    expect(doc!.reason).toMatch(/PO102 \(quantity ordered\) is missing \[MAP_REQUIRED_VALUE\]/);
    expect((doc!.findings as { code: string }[]).filter((f) => f.code === 'MAP_REQUIRED_VALUE')).toHaveLength(2);
    expect(await timelineOf(db, doc!.id)).toEqual([
      ['split', 'system', null, 'parsed'],
      ['validate', 'system', 'parsed', 'validated'],
      ['map', 'system', 'validated', 'rejected'],
    ]);
    // The 997 accepted it: mapping problems are business problems, never acknowledged as syntax errors.
    const [ack] = await listOutbound(db, { fileId: r.fileId });
    expect(segmentsOf(ack!.payload).find((s) => s[0] === 'AK9')).toEqual(['AK9', 'A', '1', '1', '1']);
  });

  it('duplicate file: the same bytes from the same partner are one file with two receipts, processed once', async () => {
    const text = x12({ control: 105 });
    const first = await intake(text);
    const second = await intake(text);
    expect(second).toMatchObject({ fileId: first.fileId, duplicate: true });
    expect(second.receiptId).not.toBe(first.receiptId);
    // Another partner sending the same bytes is another file.
    const other = await intake(text, 'initech');
    expect(other).toMatchObject({ duplicate: false });
    expect(other.fileId).not.toBe(first.fileId);
    await gateway.idle(20_000);
    expect((await listReceipts(db, first.fileId)).map((rc) => rc.duplicate)).toEqual([false, true]);
    expect((await documentsOf(db, first.fileId)).map((d) => d.state)).toEqual(['posted']);
    expect((await fileTimeline(db, first.fileId)).filter((e) => e.stage === 'intake').map((e) => e.message)).toEqual([
      expect.stringMatching(/^received/),
      expect.stringMatching(/duplicate receipt, not processed again/),
    ]);
  });

  it('duplicate interchange: same sender + ISA13 in a new file -> duplicate, TA1 R 025, not posted', async () => {
    const original = await intake(x12({ control: 106, sets: 2 }));
    await gateway.idle(20_000);
    // Different bytes (another set count), same sender and ISA13.
    const again = await intake(x12({ control: 106, sets: 3 }));
    await gateway.idle(20_000);
    const [ic] = await listInterchanges(db, again.fileId);
    const [first] = await listInterchanges(db, original.fileId);
    expect(ic).toMatchObject({ state: 'duplicate', duplicateOf: first!.id });
    expect((ic!.findings as { code: string }[]).map((f) => f.code)).toContain('X12_INTERCHANGE_DUPLICATE');
    const docs = await documentsOf(db, again.fileId);
    expect(docs.map((d) => d.state)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(docs[0]!.reason).toMatch(/duplicate of one received before/);
    const acks = await listOutbound(db, { fileId: again.fileId });
    expect(acks.map((a) => a.kind)).toEqual(['TA1']);
    expect(segmentsOf(acks[0]!.payload)).toEqual([['TA1', '000000106', '261101', '1230', 'R', '025']]);
    const posted = (await listPosted(db)).filter((p) => p.naturalKey.includes('|000000106|'));
    expect(posted).toHaveLength(2);
  });

  it('bad input (0 bytes, blank, not X12, bare ST, too large) is kept and rejected with a clear reason; workers carry on', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /empty \(0 bytes\) \[X12_EMPTY_FILE\]/],
      [bytes(' \r\n\t \n'), /only white space \(6 bytes\) \[X12_EMPTY_FILE\]/],
      [bytes('%PDF-1.7 this is not edi at all'), /does not start with an ISA segment.*\[X12_NOT_X12\]/],
      [bytes('ST*850*0001~BEG*00*SA*PO1**20261101~SE*3*0001~'), /ISA interchange envelope is missing \[X12_NO_ENVELOPE\]/],
      [Buffer.alloc(5000, 'ISA'), /5000 bytes, more than the maximum of 4096 bytes \[PIPELINE_FILE_TOO_LARGE\]/],
    ];
    const results = [];
    for (const [input] of cases) results.push(await intake(input));
    const after = await intake(x12({ control: 107 }));
    await gateway.idle(20_000);
    for (const [i, [, reason]] of cases.entries()) {
      const file = await getFile(db, results[i]!.fileId);
      expect(file, `case ${i}`).toMatchObject({ state: 'rejected' });
      expect(file!.reason, `case ${i}`).toMatch(reason);
      const events = await fileTimeline(db, file!.id);
      expect(events.at(-1), `case ${i}`).toMatchObject({ toState: 'rejected', message: expect.stringContaining(file!.reason!) });
    }
    // Rejected at intake without a split job for the first two and the last; the oversized one is kept without its bytes.
    expect(results.map((r) => r.state)).toEqual(['rejected', 'rejected', 'received', 'received', 'rejected']);
    expect(await getFile(db, results[4]!.fileId)).toMatchObject({ size: 5000 });
    expect((await db.query(`SELECT length(bytes) AS n FROM ${db.schema}.files WHERE id = $1`, [results[4]!.fileId])).rows[0]).toEqual({ n: 0 });
    expect((await documentsOf(db, after.fileId)).map((d) => d.state)).toEqual(['posted']);
  });

  it('two sets sharing one ST02 are both kept: the second is rejected at validate (X12_ST_DUPLICATE), not merged', async () => {
    const text = x12({ control: 108, sets: 2 }).replace('ST*850*0002', 'ST*850*0001').replace('SE*7*0002', 'SE*7*0001');
    const r = await intake(text);
    await gateway.idle(20_000);
    const docs = await documentsOf(db, r.fileId);
    expect(docs.map((d) => [d.controlNumber, d.state, d.failedStage])).toEqual([
      ['0001', 'posted', null],
      ['0001', 'rejected', 'validate'],
    ]);
    expect(docs[1]!.reason).toMatch(/X12_ST_DUPLICATE/);
  });
});
