// The outbound documents' store (migration 10) against the real database.
import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/store/conn.js';
import {
  getOdooCursor, getOutboundDocument, insertOutboundDocument, knownOutboundVersions, lockOutboundDocument, markOutboundDocumentSent,
  outboundDocumentTimeline, queueOutbound, replaceOutboundDocument, setOdooCursor, type OutboundDocumentVersion,
} from '../../src/store/index.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import { OUTBOUND_DOCUMENT_STATES } from '../../src/store/types.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let record = 1000;

const held = (reason: string): OutboundDocumentVersion => ({
  partner: 'acme', sourceName: 'S00042', sourceVersion: '2026-12-07 10:00:00', state: 'held', reason, document: null,
  interchangeControl: null, groupControl: null, controlNumber: null, outboundId: null, ackWindowSeconds: null,
});
const event = (message: string) => ({ stage: 'outbound', actor: 'system', message });

describe('outbound documents', () => {
  it('accept every state the code knows, and nothing else', async () => {
    const doc = await insertOutboundDocument(db, { model: 'sale.order', recordId: ++record, setId: '855', generation: 1 }, held('no GLN'), event('held'));
    const table = `${quoteIdent(db.schema)}.outbound_documents`;
    for (const state of OUTBOUND_DOCUMENT_STATES) await db.query(`UPDATE ${table} SET state = $2 WHERE id = $1`, [doc.id, state]);
    await expect(db.query(`UPDATE ${table} SET state = 'bogus' WHERE id = $1`, [doc.id])).rejects.toMatchObject({ code: '23514' });
  });

  it('go held -> built with one event each, and built -> sent with the acknowledgment due after the partner\'s window', async () => {
    const source = { model: 'sale.order', recordId: ++record, setId: '855' };
    const first = await insertOutboundDocument(db, { ...source, generation: 1 }, held('unit Box has no X12 code'), event('held: unit'));
    const entry = await queueOutbound(db, { partner: 'acme', kind: '855', fileId: null, sourceKey: `test:${record}`, payload: 'ISA...' });
    const built = await withTransaction(db, async (tx) => {
      expect((await lockOutboundDocument(tx, source))?.id).toBe(first.id);
      return replaceOutboundDocument(tx, first.id, ['held'], {
        ...held(''), state: 'built', reason: null, document: { poNumber: 'X' }, interchangeControl: '000000007', groupControl: '7', controlNumber: '0007', outboundId: entry!.id, ackWindowSeconds: 3600,
      }, event('built'));
    });
    expect(built).toMatchObject({ state: 'built', controlNumber: '0007', outboundId: entry!.id, reason: null });
    // A second replace finds it no longer held.
    expect(await replaceOutboundDocument(db, first.id, ['held'], held('again'), event('again'))).toBeUndefined();
    expect(await markOutboundDocumentSent(db, entry!.id, '/in/acme_855_7.edi')).toEqual([first.id]);
    expect(await markOutboundDocumentSent(db, entry!.id, '/in/acme_855_7.edi')).toEqual([]);
    const sent = (await getOutboundDocument(db, first.id))!;
    expect(sent.state).toBe('sent');
    expect(sent.ackDueAt!.getTime() - sent.sentAt!.getTime()).toBe(3600 * 1000);
    const timeline = await outboundDocumentTimeline(db, first.id);
    expect(timeline.map((e) => [e.fromState, e.toState])).toEqual([[null, 'held'], ['held', 'built'], ['built', 'sent']]);
    expect(timeline[2]!.message).toContain('/in/acme_855_7.edi');
    expect(await knownOutboundVersions(db, { model: 'sale.order', setId: '855', recordIds: [record, record + 999] })).toEqual(new Map([[record, { state: 'sent', sourceVersion: '2026-12-07 10:00:00' }]]));
  });

  it('keep the poller\'s cursor moving forward only', async () => {
    await setOdooCursor(db, 'sale.order', '855', '2026-12-07 10:00:00');
    await setOdooCursor(db, 'sale.order', '855', '2026-12-07 09:00:00');
    expect(await getOdooCursor(db, 'sale.order', '855')).toBe('2026-12-07 10:00:00');
    await setOdooCursor(db, 'sale.order', '855', '2026-12-07 11:30:00');
    expect(await getOdooCursor(db, 'sale.order', '855')).toBe('2026-12-07 11:30:00');
    expect(await getOdooCursor(db, 'purchase.order', '850')).toBeUndefined();
  });
});
