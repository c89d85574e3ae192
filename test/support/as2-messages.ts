// AS2 messages in a test's store, made through the store's own functions (src/store/as2-repo.ts) as
// the receiving and sending code makes them: a message received and taken in as a file, one from an
// unknown sender whose asynchronous MDN failed for good, messages sent with their MDN delivered,
// overdue or refusing; and the delivery entries and documents they carry.
import {
  awaitAs2Mdn, insertInboundAs2Message, insertOutboundAs2Message, markOverdueAs2Mdns, recordAsyncMdnTry, recordOutboundMdn, type As2MessageRecord,
} from '../../src/store/as2-repo.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import type { Database } from '../../src/store/database.js';

const MDN_OK = 'automatic-action/MDN-sent-automatically; processed';
const MDN_REFUSED = 'automatic-action/MDN-sent-automatically; processed/error: decryption-failed';

export interface SeededAs2 {
  fileId: number;
  /** Received from bigbox, taken in as fileId, answered with a synchronous MDN. */
  received: As2MessageRecord;
  /** From AS2 id STRANGER (no partner), its asynchronous MDN failed for good. */
  unknown: As2MessageRecord;
  /** Sent to bigbox carrying sent document sentDocumentId; its MDN came back good. */
  delivered: As2MessageRecord;
  sentDocumentId: number;
  /** Sent to bigbox, its asynchronous MDN overdue. */
  overdue: As2MessageRecord;
  /** Sent to bigbox, refused by its MDN. */
  refused: As2MessageRecord;
  /** The delivery entries of overdue and refused. */
  overdueEntry: number;
  refusedEntry: number;
}

export async function seedAs2(db: Database): Promise<SeededAs2> {
  const t = (name: string) => `${quoteIdent(db.schema)}.${name}`;
  const fileId = Number((await db.query(`INSERT INTO ${t('files')} (partner, channel, source_name, sha256, size, bytes, state) VALUES ('bigbox', 'as2', 'po-1.x12', $1, 3, 'ISA', 'split') RETURNING id`, ['a'.repeat(64)])).rows[0]!.id);
  const entry = async (key: string) => Number((await db.query(`INSERT INTO ${t('outbound')} (partner, kind, source_key, payload, state) VALUES ('bigbox', '856', $1, 'ISA*00~', 'sent') RETURNING id`, [key])).rows[0]!.id);

  const received = (await insertInboundAs2Message(db, {
    partner: 'bigbox', from: 'BIGBOX', to: 'OURCO', messageId: '<in-1@bigbox.example>', state: 'processed',
    headers: { 'as2-from': 'BIGBOX', 'as2-to': 'OURCO', 'message-id': '<in-1@bigbox.example>', subject: '<script>alert(1)</script>' },
    body: Buffer.from('RAW MESSAGE BYTES \x00\xff', 'latin1'), fileId, mic: { value: 'bWljLXZhbHVl', algorithm: 'sha-256' }, mdnMode: 'sync',
    mdn: { contentType: 'multipart/report; report-type=disposition-notification; boundary=b', body: Buffer.from('MDN BYTES'), disposition: MDN_OK },
  }))!;
  const unknown = (await insertInboundAs2Message(db, {
    partner: null, from: 'STRANGER', to: 'OURCO', messageId: '<in-2@stranger.example>', state: 'rejected', reason: 'no partner file names AS2-From STRANGER [AS2_PARTNER_UNKNOWN]',
    headers: { 'as2-from': 'STRANGER' }, body: Buffer.from('x'), mdnMode: 'async', mdnUrl: 'https://stranger.example/mdn',
    mdn: { contentType: 'multipart/report; boundary=c', body: Buffer.from('OUR MDN'), disposition: 'automatic-action/MDN-sent-automatically; processed/error: authentication-failed' },
  }))!;
  await recordAsyncMdnTry(db, { id: unknown.id, sent: false, reason: 'asynchronous MDN try 5 of 5 to stranger.example failed: ECONNREFUSED', fail: true });

  const deliveredEntry = await entry('shipment:1:856');
  const sentDocumentId = Number((await db.query(`INSERT INTO ${t('outbound_documents')} (partner, set_id, source_model, source_id, source_name, state, document, outbound_id) VALUES ('bigbox', '856', 'stock.picking', 1, 'WH/OUT/1', 'sent', '{}', $1) RETURNING id`, [deliveredEntry])).rows[0]!.id);
  const out = (messageId: string, outboundId: number, mdnMode: 'sync' | 'async') => insertOutboundAs2Message(db, {
    partner: 'bigbox', from: 'OURCO', to: 'BIGBOX', messageId, outboundId, headers: { 'as2-to': 'BIGBOX', 'message-id': messageId }, body: Buffer.from(`SENT ${messageId}`),
    mic: { value: 'c2VudA==', algorithm: 'sha-256' }, mdnMode,
  });
  const delivered0 = await out('<out-1@ourco.example>', deliveredEntry, 'sync');
  const delivered = (await recordOutboundMdn(db, { id: delivered0.id, state: 'delivered', mdn: { contentType: 'multipart/report; boundary=d', body: Buffer.from('THEIR MDN'), disposition: MDN_OK } }))!;

  const overdueEntry = await entry('shipment:2:856');
  const overdue0 = await out('<out-2@ourco.example>', overdueEntry, 'async');
  await awaitAs2Mdn(db, overdue0.id, -60);
  const [overdue] = await markOverdueAs2Mdns(db, 10);

  const refusedEntry = await entry('shipment:3:856');
  const refused0 = await out('<out-3@ourco.example>', refusedEntry, 'sync');
  const refused = (await recordOutboundMdn(db, { id: refused0.id, state: 'mdn-error', reason: 'the partner refused the message: decryption-failed [AS2_MDN_NEGATIVE]', mdn: { contentType: 'multipart/report; boundary=e', body: Buffer.from('REFUSAL'), disposition: MDN_REFUSED } }))!;
  return { fileId, received, unknown, delivered, sentDocumentId, overdue: overdue!, refused, overdueEntry, refusedEntry };
}
