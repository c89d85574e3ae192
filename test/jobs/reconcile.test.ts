// Inbound 997/999 reconciled with the documents we sent, through the real pipeline (intake -> split ->
// validate -> map) on the real database: states, acknowledged_at and timelines of outbound_documents,
// the warning on an ack that matches nothing, and the overdue sweep followed by a late ack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { markAcksOverdue } from '../../src/jobs/reconcile.js';
import { tableIn } from '../../src/store/identifiers.js';
import { fileTimeline, listInterchanges } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, testGateway } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await testGateway(db);
});
afterAll(async () => {
  await gateway?.stop();
});

const samples = join(import.meta.dirname, '..', '..', 'samples');

/** A sample ack in a new envelope (ISA13 `isa13`), acknowledging our group `group` instead of the sample's. */
function ackFile(path: string, isa13: number, group?: string): string {
  const text = readFileSync(join(samples, path), 'latin1');
  const old = /\*(\d{9})\*[01]\*[PT]\*/.exec(text)![1]!;
  const renumbered = text.replaceAll(old, String(isa13).padStart(9, '0'));
  return group ? renumbered.replace(/AK1\*(\w+)\*\d+/, `AK1*$1*${group}`) : renumbered;
}

let serial = 0;
/** Sends an ack file through the pipeline; returns the inbound 997/999 document once everything is done. */
async function receive(text: string, partner = 'acme') {
  const r = await gateway.intake({ partner, channel: 'test', sourceName: `ack-${++serial}.edi`, bytes: bytes(text) });
  await gateway.idle(20_000);
  const docs = await documentsOf(db, r.fileId);
  expect(docs).toHaveLength(1);
  return docs[0]!;
}

let sourceId = 0;
interface Sent {
  partner?: string;
  setId: string;
  group: string;
  control: string;
  state?: string;
  sentAt?: Date;
  ackDueAt?: Date | null;
  /** ISA13 (default: one of its own). */
  interchange?: string;
  /** The bytes sent (a delivery entry): what a TA1's date and time are compared with. */
  payload?: string;
}
/** An outbound document as the outbound stage leaves it after sending (test SQL, not the outbound code). */
async function sentDocument(d: Sent): Promise<number> {
  const sentAt = d.sentAt ?? new Date(Date.now() - 3_600_000);
  const outboundId = d.payload === undefined ? null : Number((await db.query<{ id: string }>(
    `INSERT INTO ${tableIn(db.schema, 'outbound')} (partner, kind, payload, state) VALUES ($1, $2, $3, 'sent') RETURNING id`, [d.partner ?? 'acme', d.setId, d.payload],
  )).rows[0]!.id);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ${tableIn(db.schema, 'outbound_documents')}
       (partner, set_id, source_model, source_id, state, interchange_control, group_control, control_number, sent_at, ack_due_at, outbound_id)
     VALUES ($1, $2, 'test.record', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [d.partner ?? 'acme', d.setId, ++sourceId, d.state ?? 'sent', d.interchange ?? String(4000 + sourceId).padStart(9, '0'), d.group, d.control, sentAt,
      d.ackDueAt === undefined ? new Date(sentAt.getTime() + 86_400_000) : d.ackDueAt, outboundId],
  );
  return Number(rows[0]!.id);
}

async function statesOf(ids: number[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string; state: string }>(`SELECT id, state FROM ${tableIn(db.schema, 'outbound_documents')} WHERE id = ANY($1::bigint[])`, [ids]);
  return ids.map((id) => rows.find((r) => Number(r.id) === id)!.state);
}

async function acknowledgedAt(id: number): Promise<Date | null> {
  const { rows } = await db.query<{ acknowledged_at: Date | null }>(`SELECT acknowledged_at FROM ${tableIn(db.schema, 'outbound_documents')} WHERE id = $1`, [id]);
  return rows[0]!.acknowledged_at;
}

interface OutboundEvent {
  stage: string;
  from_state: string | null;
  to_state: string | null;
  message: string;
  details: { ackDocumentId?: number; lines?: string[] };
  document_id: string | null;
  file_id: string | null;
}
async function timeline(id: number): Promise<OutboundEvent[]> {
  return (await db.query<OutboundEvent>(
    `SELECT stage, from_state, to_state, message, details, document_id, file_id FROM ${tableIn(db.schema, 'events')} WHERE outbound_document_id = $1 ORDER BY id`,
    [id],
  )).rows;
}
const moves = async (id: number) => (await timeline(id)).map((e) => [e.from_state, e.to_state]);

const findingCodes = (doc: { findings: unknown[] }) => (doc.findings as { code: string; severity: string }[]).map((f) => `${f.code}:${f.severity}`);

describe('inbound 997/999 reconciled with what we sent', () => {
  it('all accepted: each set of the group acknowledged, with acknowledged_at and an event linking the 997', async () => {
    const before = new Date();
    const listed = await sentDocument({ setId: '856', group: '1201', control: '0001' });
    // Another partner's document with the same control numbers is not this partner's to acknowledge.
    const other = await sentDocument({ partner: 'globex', setId: '856', group: '1201', control: '0001' });
    const ack = await receive(ackFile('004010/997/accepted.edi', 70001));
    expect(ack).toMatchObject({ setId: '997', documentType: 'functional_ack', state: 'posted' });
    expect(findingCodes(ack)).toEqual([]);

    expect(await statesOf([listed, other])).toEqual(['acknowledged', 'sent']);
    expect((await acknowledgedAt(listed))!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(await acknowledgedAt(other)).toBeNull();
    const [event, ...more] = await timeline(listed);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ stage: 'ack', from_state: 'sent', to_state: 'acknowledged', document_id: null, file_id: null, details: { ackDocumentId: ack.id } });
    expect(event!.message).toBe(`acknowledged by 997 0001 (inbound document #${ack.id}): group 1201 (SH) by 997: accepted: 1 of 1 transaction sets accepted (AK9 A); set 856 0001: accepted (AK5 A)`);
    expect(await timeline(other)).toEqual([]);
  });

  it('one set rejected: its event gives the AK3/AK4 reasons in plain words, the others are acknowledged', async () => {
    const ids = [await sentDocument({ setId: '856', group: '1202', control: '0001' }), await sentDocument({ setId: '856', group: '1202', control: '0002' }), await sentDocument({ setId: '856', group: '1202', control: '0003' })];
    const ack = await receive(ackFile('004010/997/partial.edi', 70002));
    expect(await statesOf(ids)).toEqual(['acknowledged', 'ack-rejected', 'acknowledged']);
    const [rejected] = await timeline(ids[1]!);
    expect(rejected).toMatchObject({ from_state: 'sent', to_state: 'ack-rejected', details: { ackDocumentId: ack.id } });
    expect(rejected!.message).toContain('set 856 0002: rejected: one or more segments are in error (AK5 R 5)');
    expect(rejected!.message).toContain('segment HL at position 12 in loop HL: segment has data element errors (AK3 8)');
    expect(rejected!.message).toContain('element 03 (data element 735): invalid code value, bad data "X" (AK4 7)');
    expect(rejected!.message).toContain('segment LIN at position 17 in loop HL: segment has data element errors (AK3 8)');
    expect(rejected!.message).toContain('element 05 (data element 234): mandatory data element missing (AK4 1)');
    // The 997's own timeline says what it answered.
    const { rows } = await db.query<{ message: string; details: { moved: unknown[] } }>(`SELECT message, details FROM ${tableIn(db.schema, 'events')} WHERE document_id = $1 AND stage = 'map'`, [ack.id]);
    expect(rows[0]!.message).toMatch(/answers 3 document\(s\) we sent, 3 moved$/);
    expect(rows[0]!.details.moved).toHaveLength(3);
  });

  it('a 999 with IK3/IK4: the rejected set ack-rejected with the IK reasons, the other acknowledged', async () => {
    const ids = [await sentDocument({ setId: '856', group: '2301', control: '0001' }), await sentDocument({ setId: '856', group: '2301', control: '0002' })];
    const ack = await receive(ackFile('005010/999/partial.edi', 70003));
    expect(ack).toMatchObject({ setId: '999', documentType: 'functional_ack' });
    expect(await statesOf(ids)).toEqual(['ack-rejected', 'acknowledged']);
    const [event] = await timeline(ids[0]!);
    expect(event!.message).toMatch(/^ack-rejected by 999 0001 /);
    expect(event!.message).toContain('set 856 0001: rejected: one or more segments are in error (IK5 R 5)');
    expect(event!.message).toContain('segment REF at position 8 in loop HL: segment has data element errors (IK3 8)');
    expect(event!.message).toContain('element 02 (repetition 2) (data element 127): data element too long, bad data "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ" (IK4 5)');
  });

  it('unlisted sets take the group verdict: accepted in a partial group, rejected in a rejected one; AK5 E -> accepted-with-errors', async () => {
    const partial = [await sentDocument({ setId: '810', group: '1302', control: '0006' }), await sentDocument({ setId: '810', group: '1302', control: '0007' }), await sentDocument({ setId: '810', group: '1302', control: '0008' })];
    await receive(ackFile('004010/997/errors-only.edi', 70004));
    expect(await statesOf(partial)).toEqual(['acknowledged', 'ack-rejected', 'acknowledged']);
    expect((await timeline(partial[0]!))[0]!.message).toContain("set 810 0006: not listed, so it takes the group's verdict");

    const rejected = [await sentDocument({ setId: '855', group: '1401', control: '0002' }), await sentDocument({ setId: '855', group: '1401', control: '0009' })];
    await receive(ackFile('004010/997/rejected.edi', 70005));
    expect(await statesOf(rejected)).toEqual(['ack-rejected', 'ack-rejected']);

    const withErrors = await sentDocument({ setId: '810', group: '1301', control: '0001' });
    await receive(ackFile('004010/997/accepted-with-errors.edi', 70006));
    expect(await statesOf([withErrors])).toEqual(['accepted-with-errors']);
    expect((await timeline(withErrors))[0]!.message).toContain('segment IT1 at position 6 in loop IT1: segment has data element errors (AK3 8)');
  });

  it('a repeated 997 (new envelope, same answer) changes nothing and adds no event, and is no unmatched ack', async () => {
    const ids = [await sentDocument({ setId: '856', group: '1501', control: '0001' }), await sentDocument({ setId: '856', group: '1501', control: '0002' })];
    await receive(ackFile('004010/997/partial.edi', 70007, '1501'));
    expect(await statesOf(ids)).toEqual(['acknowledged', 'ack-rejected']);
    const firstAckAt = await acknowledgedAt(ids[0]!);
    const again = await receive(ackFile('004010/997/partial.edi', 70008, '1501'));
    expect(again.state).toBe('posted');
    expect(await statesOf(ids)).toEqual(['acknowledged', 'ack-rejected']);
    expect(await acknowledgedAt(ids[0]!)).toEqual(firstAckAt);
    expect(await moves(ids[0]!)).toEqual([['sent', 'acknowledged']]);
    expect(await moves(ids[1]!)).toEqual([['sent', 'ack-rejected']]);
    // Set 0003 of that 997 is not ours: that is unmatched; the group and our two sets are not.
    const unmatched = (again.findings as { code: string; message: string }[]).filter((f) => f.code === 'ACK_UNMATCHED');
    expect(unmatched.map((f) => f.message)).toEqual(['997 0001 acknowledges what we never sent to partner acme: set 856 0003 of group 1501 (SH)']);
  });

  it('an unmatched 997: a warning on the inbound document, nothing we sent changes', async () => {
    const ours = await sentDocument({ setId: '856', group: '1601', control: '0001' });
    const ack = await receive(ackFile('004010/997/accepted.edi', 70009, '1699'));
    expect(ack.state).toBe('posted');
    expect(findingCodes(ack)).toEqual(['ACK_UNMATCHED:warning']);
    expect((ack.findings as { message: string }[])[0]!.message).toBe('997 0001 acknowledges what we never sent to partner acme: group 1699 (SH)');
    expect(await statesOf([ours])).toEqual(['sent']);
    expect(await timeline(ours)).toEqual([]);
    const { rows } = await db.query<{ message: string }>(`SELECT message FROM ${tableIn(db.schema, 'events')} WHERE document_id = $1 AND stage = 'map'`, [ack.id]);
    expect(rows[0]!.message).toMatch(/matches nothing we sent$/);
  });

  it('overdue: sent documents past their ack_due_at go ack-overdue in one sweep (one event each); a late 997 still acknowledges them', async () => {
    const now = new Date();
    const hour = 3_600_000;
    const overdue = await sentDocument({ setId: '810', group: '1701', control: '0001', sentAt: new Date(now.getTime() - 25 * hour), ackDueAt: new Date(now.getTime() - hour) });
    const notYet = await sentDocument({ setId: '810', group: '1701', control: '0002', sentAt: new Date(now.getTime() - hour), ackDueAt: new Date(now.getTime() + hour) });
    const answered = await sentDocument({ setId: '810', group: '1702', control: '0001', state: 'acknowledged', ackDueAt: new Date(now.getTime() - hour) });
    const built = await sentDocument({ setId: '810', group: '1703', control: '0001', state: 'built', ackDueAt: null });

    const marked = await markAcksOverdue(db, now);
    expect(marked.map((m) => m.id)).toEqual([overdue]);
    expect(marked[0]).toMatchObject({ partner: 'acme', setId: '810', controlNumber: '0001' });
    expect(await statesOf([overdue, notYet, answered, built])).toEqual(['ack-overdue', 'sent', 'acknowledged', 'built']);
    const [event] = await timeline(overdue);
    expect(event).toMatchObject({ stage: 'ack', from_state: 'sent', to_state: 'ack-overdue', document_id: null });
    const due = new Date(now.getTime() - hour).toISOString().slice(0, 19).replace('T', ' ');
    expect(event!.message).toMatch(new RegExp(`^no 997/999 came by ${due} UTC \\(sent `));
    // A second sweep finds nothing more.
    expect(await markAcksOverdue(db, now)).toEqual([]);
    expect(await timeline(overdue)).toHaveLength(1);

    // The late 997 (AK1 1701, set 0001 accepted; 0002 unlisted takes the group's A).
    await receive(ackFile('004010/997/accepted.edi', 70010, '1701').replace('AK2*856*0001', 'AK2*810*0001').replace('AK1*SH', 'AK1*IN'));
    expect(await statesOf([overdue, notYet])).toEqual(['acknowledged', 'acknowledged']);
    expect(await moves(overdue)).toEqual([['sent', 'ack-overdue'], ['ack-overdue', 'acknowledged']]);
    expect(await acknowledgedAt(overdue)).not.toBeNull();
  });
});

/** An interchange from acme (ISA13 `isa13`) holding these TA1 segments (e.g. 'TA1*000009001*261102*1710*A*000'), then `rest` (groups). */
function ta1File(isa13: number, ta1s: string[], rest = ''): string {
  const isa = readFileSync(join(samples, '004010/ta1/accepted.edi'), 'latin1').split('~')[0]!.replace('000000507', String(isa13).padStart(9, '0'));
  const groups = rest ? (rest.match(/^GS\*/gm) ?? []).length : 0;
  return `${isa}~\n${ta1s.map((t) => `${t}~\n`).join('')}${rest}IEA*${groups}*${String(isa13).padStart(9, '0')}~\n`;
}

/** Sends a file of TA1s through the pipeline; returns its file id once everything is done. */
async function receiveTa1(text: string): Promise<number> {
  const r = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: `ta1-${++serial}.edi`, bytes: bytes(text) });
  await gateway.idle(20_000);
  return r.fileId;
}

/** The ISA of an interchange we sent acme with ISA13 `isa13`, dated YYMMDD `date` HHMM `time`. */
const ourIsa = (isa13: string, date: string, time: string) =>
  `ISA*00*          *00*          *ZZ*OURCOMPANY     *ZZ*ACMEBUYER      *${date}*${time}*U*00401*${isa13}*0*P*>~`;

const ackEvents = async (fileId: number) => (await fileTimeline(db, fileId)).filter((e) => e.stage === 'ack');

describe('inbound TA1 reconciled with the interchanges we sent', () => {
  it('A: noted on the timeline of each document of that interchange, still waiting for its 997; the file says what it answered', async () => {
    const ids = [await sentDocument({ setId: '856', group: '3101', control: '0001', interchange: '000009001' }), await sentDocument({ setId: '856', group: '3101', control: '0002', interchange: '000009001' })];
    // TA101 may come without its padding.
    const fileId = await receiveTa1(ta1File(71001, ['TA1*9001*261102*1710*A*000']));
    expect(await statesOf(ids)).toEqual(['sent', 'sent']);
    const [note, ...more] = await timeline(ids[0]!);
    expect(more).toEqual([]);
    expect(note).toMatchObject({ stage: 'ack', from_state: null, to_state: null, file_id: null, details: { fileId, ack: 'TA1' } });
    expect(note!.message).toBe(`TA1 (interchange 000071001 of file #${fileId}): interchange 9001: accepted: no error (TA1 A 000); its 997/999 is still awaited`);
    expect(await timeline(ids[1]!)).toHaveLength(1);
    const [event] = await ackEvents(fileId);
    expect(event!.message).toBe('TA1 in interchange 000071001: interchange 9001: accepted: no error (TA1 A 000): answers 2 document(s) we sent');
    expect(event!.details).toMatchObject({ outboundDocuments: ids });
    const [ic] = await listInterchanges(db, fileId);
    expect(ic).toMatchObject({ state: 'accepted', findings: [] });
    // The 997 that follows still moves them.
    await receive(ackFile('004010/997/accepted.edi', 71002, '3101').replace('AK9*A*1*1*1', 'AK9*A*2*2*2'));
    expect(await statesOf(ids)).toEqual(['acknowledged', 'acknowledged']);
  });

  it('E then R in one interchange: E is a note with TA105 in plain words; R rejects every document of its interchange still waiting, with the reason', async () => {
    const noted = await sentDocument({ setId: '810', group: '3201', control: '0001', interchange: '000009002' });
    const rejected = [
      await sentDocument({ setId: '810', group: '3202', control: '0001', interchange: '000009003' }),
      await sentDocument({ setId: '810', group: '3202', control: '0002', interchange: '000009003', state: 'ack-overdue' }),
      await sentDocument({ setId: '810', group: '3202', control: '0003', interchange: '000009003', state: 'acknowledged' }),
    ];
    const other = await sentDocument({ partner: 'globex', setId: '810', group: '3202', control: '0001', interchange: '000009003' });
    const fileId = await receiveTa1(ta1File(71003, ['TA1*000009002*261102*1720*E*022', 'TA1*000009003*261102*1721*R*006']));
    expect(await statesOf([noted, ...rejected, other])).toEqual(['sent', 'ack-rejected', 'ack-rejected', 'acknowledged', 'sent']);
    const [e] = await timeline(noted);
    expect(e!.message).toBe(`TA1 (interchange 000071003 of file #${fileId}): interchange 000009002: accepted with errors noted: the interchange control structure is invalid (TA1 E 022); its 997/999 is still awaited`);
    expect(await moves(rejected[0]!)).toEqual([['sent', 'ack-rejected']]);
    expect(await moves(rejected[1]!)).toEqual([['ack-overdue', 'ack-rejected']]);
    const [r] = await timeline(rejected[0]!);
    expect(r!.message).toBe(`ack-rejected by TA1 (interchange 000071003 of file #${fileId}): interchange 000009003: rejected: the sender id (ISA06) is invalid (TA1 R 006)`);
    expect(r!.details).toMatchObject({ ack: 'TA1', outcome: 'rejected', ta1: { interchange: '000009003', status: 'R', note: '006' } });
    expect(await acknowledgedAt(rejected[0]!)).not.toBeNull();
    // Already answered, and another partner's interchange with the same number: untouched.
    expect(await timeline(rejected[2]!)).toEqual([]);
    expect(await timeline(other)).toEqual([]);
    expect((await ackEvents(fileId)).map((x) => x.message.replace(/^.*: /, ''))).toEqual(['answers 1 document(s) we sent', 'answers 3 document(s) we sent, 2 moved to ack-rejected']);
  });

  it('a TA1 before the groups of its interchange: the TA1 is applied at split, the 997 in map', async () => {
    const ours = await sentDocument({ setId: '856', group: '3301', control: '0001', interchange: '000009004' });
    const groups = readFileSync(join(samples, '004010/997/accepted.edi'), 'latin1').split('~\n').slice(1, -2).join('~\n').replace('AK1*SH*1201', 'AK1*SH*3301') + '~\n';
    const text = ta1File(71004, ['TA1*000009004*261102*1730*A*000'], groups);
    const r = await gateway.intake({ partner: 'acme', channel: 'test', sourceName: `ta1-${++serial}.edi`, bytes: bytes(text) });
    await gateway.idle(20_000);
    const [ack] = await documentsOf(db, r.fileId);
    expect(ack).toMatchObject({ setId: '997', state: 'posted' });
    expect(await statesOf([ours])).toEqual(['acknowledged']);
    expect((await timeline(ours)).map((e) => [e.from_state, e.to_state, e.message.slice(0, 10)])).toEqual([[null, null, 'TA1 (inter'], ['sent', 'acknowledged', 'acknowledg']]);
  });

  it('a TA1 that matches nothing we sent: ACK_UNMATCHED on its interchange and a file event; the file is stored and split as usual', async () => {
    const ours = await sentDocument({ setId: '856', group: '3401', control: '0001', interchange: '000009005' });
    const fileId = await receiveTa1(ta1File(71005, ['TA1*000009099*261102*1740*R*006']));
    expect(await statesOf([ours])).toEqual(['sent']);
    const { rows } = await db.query<{ state: string }>(`SELECT state FROM ${tableIn(db.schema, 'files')} WHERE id = $1`, [fileId]);
    expect(rows[0]!.state).toBe('split');
    const [ic] = await listInterchanges(db, fileId);
    expect(ic!.state).toBe('accepted');
    expect((ic!.findings as { code: string; severity: string; message: string }[]).map((f) => [f.code, f.severity, f.message])).toEqual([
      ['ACK_UNMATCHED', 'warning', 'TA1 acknowledges what we never sent to partner acme: interchange 000009099'],
    ]);
    expect((await ackEvents(fileId))[0]!.message).toMatch(/: matches nothing we sent$/);
  });

  it('after the counter wrapped, two interchanges share an ISA13: the date and time the TA1 echoes pick ours', async () => {
    const old = await sentDocument({ setId: '856', group: '3501', control: '0001', interchange: '000009006', state: 'acknowledged', payload: ourIsa('000009006', '250101', '0800') });
    const recent = await sentDocument({ setId: '856', group: '3502', control: '0001', interchange: '000009006', payload: ourIsa('000009006', '261102', '1750') });
    await receiveTa1(ta1File(71006, ['TA1*000009006*250101*0800*A*000']));
    expect(await timeline(recent)).toEqual([]);
    expect(await timeline(old)).toHaveLength(1);
    await receiveTa1(ta1File(71007, ['TA1*000009006*261102*1750*R*006']));
    expect(await statesOf([old, recent])).toEqual(['acknowledged', 'ack-rejected']);
    expect(await timeline(old)).toHaveLength(1);
  });
});
