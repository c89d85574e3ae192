// A partner resends the same purchase orders re-enveloped: new ISA13, GS06 and ST02, the same
// content. Through the real pipeline with the recording target, each order is posted once: the
// resent documents end `duplicate`, with a link to the first on their timeline. A replace (BEG01 05)
// or a cancellation (01) of a posted order is no repeat and goes to the target; replaying a duplicate
// posts nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { documentTimeline } from '../../src/store/events-repo.js';
import { listPosted } from '../../src/store/posted-repo.js';
import type { DocumentRecord } from '../../src/store/types.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';
import { useTestDatabase } from '../support/db.js';
import { bytes, documentsOf, testGateway } from '../jobs/support.js';

const db = useTestDatabase();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await testGateway(db);
});
afterAll(async () => {
  await gateway?.stop();
});

const FILES = 10;
const SETS = 2;

/** An 850 with the given PO number (BEG03) and purpose (BEG01). */
const order = (po: string, purpose = '00'): SegmentData[] => [
  ['BEG', purpose, 'SA', po, '', '20261101'],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

/** One interchange (ISA13 = GS06 = `control`) of 850s, ST02 counting from `firstSt`. */
function interchange(control: number, bodies: readonly SegmentData[][], firstSt: number): string {
  return serializeInterchange(
    {
      header: {
        senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY',
        date: '261101', time: '1230', version: '00401', controlNumber: control, usage: 'P', ackRequested: '0',
      },
      groups: [{
        functionalId: 'PO', senderId: 'ACMEBUYER', receiverId: 'OURCOMPANY', date: '20261101', time: '1230', controlNumber: String(control), version: '004010',
        transactions: bodies.map((body, i) => ({ id: '850', controlNumber: String(firstSt + i).padStart(4, '0'), body })),
      }],
    },
    { delimiters: defaultDelimiters('00401'), lineBreak: '\n' },
  );
}

let serial = 0;
async function drop(texts: readonly string[]): Promise<DocumentRecord[]> {
  const files = await Promise.all(texts.map((text) => gateway.intake({ partner: 'acme', channel: 'test', sourceName: `resend-${++serial}.edi`, bytes: bytes(text) })));
  await gateway.idle(30_000);
  return (await Promise.all(files.map((f) => documentsOf(db, f.fileId)))).flat();
}

const poOf = (d: DocumentRecord) => (d.document as { poNumber: string }).poNumber;

describe('a resend with new control numbers', () => {
  it('posts each order once; the resent documents are duplicates of the first', async () => {
    const pos = Array.from({ length: FILES }, (_, f) => Array.from({ length: SETS }, (_, s) => `RS-${f}-${s}`));
    const first = await drop(pos.map((p, f) => interchange(1001 + f, p.map((po) => order(po)), 1)));
    expect(first.map((d) => d.state)).toEqual(Array(FILES * SETS).fill('posted'));

    // The same content under new ISA13, GS06 and ST02.
    const again = await drop(pos.map((p, f) => interchange(2001 + f, p.map((po) => order(po)), 9001)));
    expect(again.map((d) => d.controlNumber)).not.toContain('0001');

    const postedTwice = again.filter((d) => d.state === 'posted').length;
    expect(postedTwice, `${postedTwice} of ${again.length} resent orders posted a second time`).toBe(0);
    expect(again.map((d) => d.state)).toEqual(Array(FILES * SETS).fill('duplicate'));
    const ledger = await listPosted(db, { target: 'recording' });
    expect(new Set(ledger.map((p) => (p.payload as { document: { poNumber: string } }).document.poNumber)).size).toBe(ledger.length);
    expect(ledger).toHaveLength(FILES * SETS);

    // Each duplicate names the first posting of its order.
    const byPo = new Map(first.map((d) => [poOf(d), d]));
    for (const d of again) {
      const original = byPo.get(poOf(d))!;
      const last = (await documentTimeline(db, d.id)).at(-1)!;
      expect(last).toMatchObject({
        fromState: 'mapped', toState: 'duplicate', stage: 'post',
        message: `duplicate of document #${original.id} (posted as ${original.targetRef})`,
        details: { duplicateOf: original.id, targetRef: original.targetRef },
      });
      expect(d.reason).toBe(last.message);
      expect(d.targetRef).toBeNull();
    }
  });

  it('two copies of one order in one file: one is posted, the other is its duplicate', async () => {
    const docs = await drop([interchange(3001, [order('RS-TWIN'), order('RS-TWIN')], 1)]);
    expect(docs.map((d) => d.state).sort()).toEqual(['duplicate', 'posted']);
    expect((await listPosted(db, { target: 'recording' })).filter((p) => (p.payload as { document: { poNumber: string } }).document.poNumber === 'RS-TWIN')).toHaveLength(1);
  });

  it('eight copies of one order arriving at once in eight files: one is posted, seven are duplicates', async () => {
    const docs = await drop(Array.from({ length: 8 }, (_, i) => interchange(3101 + i, [order('RS-RUSH')], 1 + i)));
    expect(docs.map((d) => d.state).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'posted']);
    const posted = docs.find((d) => d.state === 'posted')!;
    for (const d of docs.filter((x) => x !== posted)) expect(d.reason).toBe(`duplicate of document #${posted.id} (posted as ${posted.targetRef})`);
  });

  it('a replace (05) or a cancellation (01) of a posted order goes to the target, each time it comes; an original again does not', async () => {
    const [original] = await drop([interchange(4001, [order('RS-CHG')], 1)]);
    const [replace] = await drop([interchange(4002, [order('RS-CHG', '05')], 1)]);
    const [replaceAgain] = await drop([interchange(4003, [order('RS-CHG', '05')], 7)]);
    const [cancel] = await drop([interchange(4004, [order('RS-CHG', '01')], 1)]);
    const [originalAgain] = await drop([interchange(4005, [order('RS-CHG')], 3)]);
    expect([original, replace, replaceAgain, cancel, originalAgain].map((d) => d!.state)).toEqual(['posted', 'posted', 'posted', 'posted', 'duplicate']);
    expect(originalAgain!.reason).toBe(`duplicate of document #${original!.id} (posted as ${original!.targetRef})`);
  });

  it('replaying a duplicate posts nothing', async () => {
    const [first] = await drop([interchange(5001, [order('RS-RPL')], 1)]);
    const [dup] = await drop([interchange(5002, [order('RS-RPL')], 2)]);
    expect(dup!.state).toBe('duplicate');
    const result = await gateway.replayDocument(dup!.id, 'tester');
    expect(result.replayed).toEqual([]);
    expect(result.skipped[0]?.reason).toBe(`document ${dup!.id} is duplicate (duplicate of document #${first!.id} (posted as ${first!.targetRef})): only rejected or failed documents are replayed`);
    await gateway.idle(20_000);
    const [after] = (await documentsOf(db, dup!.fileId));
    expect(after!.state).toBe('duplicate');
    expect(await listPosted(db, { documentId: dup!.id })).toEqual([]);
    expect(await listPosted(db, { documentId: first!.id })).toHaveLength(1);
  });
});
