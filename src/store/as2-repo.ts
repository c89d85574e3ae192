// AS2 messages received and sent, with their MDNs (plans in sql/as2.ts, migration 19).
import { run, type Conn } from './conn.js';
import * as sql from './sql/as2.js';

export type { As2Direction, As2State, MdnMode, NewInboundAs2Message, NewOutboundAs2Message } from './sql/as2.js';

export interface As2MessageRecord {
  id: number;
  direction: sql.As2Direction;
  partner: string | null;
  from: string;
  to: string;
  messageId: string;
  state: sql.As2State;
  reason: string | null;
  headers: Record<string, string>;
  fileId: number | null;
  outboundId: number | null;
  mic: { value: string; algorithm: string } | null;
  mdnMode: sql.MdnMode;
  mdnUrl: string | null;
  mdn: { contentType: string; body: Buffer; disposition: string | null } | null;
  mdnState: 'pending' | 'sent' | 'failed' | null;
  mdnAttempts: number;
  mdnNextAt: Date | null;
  mdnDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Record<string, unknown>;

function toRecord(r: Row): As2MessageRecord {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    direction: r.direction as sql.As2Direction,
    partner: (r.partner as string | null) ?? null,
    from: r.as2_from as string,
    to: r.as2_to as string,
    messageId: r.message_id as string,
    state: r.state as sql.As2State,
    reason: (r.reason as string | null) ?? null,
    headers: (r.headers ?? {}) as Record<string, string>,
    fileId: num(r.file_id),
    outboundId: num(r.outbound_id),
    mic: r.mic ? { value: r.mic as string, algorithm: r.mic_algorithm as string } : null,
    mdnMode: r.mdn_mode as sql.MdnMode,
    mdnUrl: (r.mdn_url as string | null) ?? null,
    mdn: r.mdn_body ? { contentType: r.mdn_content_type as string, body: r.mdn_body as Buffer, disposition: (r.mdn_disposition as string | null) ?? null } : null,
    mdnState: (r.mdn_state as As2MessageRecord['mdnState']) ?? null,
    mdnAttempts: Number(r.mdn_attempts ?? 0),
    mdnNextAt: (r.mdn_next_at as Date | null) ?? null,
    mdnDueAt: (r.mdn_due_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** The stored message, or undefined when this Message-ID was received before (then find it with findAs2Message). */
export async function insertInboundAs2Message(conn: Conn, m: sql.NewInboundAs2Message): Promise<As2MessageRecord | undefined> {
  const row = (await run<Row>(conn, sql.insertInboundAs2Message(conn.schema, m))).rows[0];
  return row && toRecord(row);
}

export async function findAs2Message(conn: Conn, k: Parameters<typeof sql.findAs2Message>[1]): Promise<As2MessageRecord | undefined> {
  const row = (await run<Row>(conn, sql.findAs2Message(conn.schema, k))).rows[0];
  return row && toRecord(row);
}

export async function as2MessageBody(conn: Conn, id: number): Promise<Buffer | undefined> {
  return (await run<{ body: Buffer | null }>(conn, sql.as2MessageBody(conn.schema, id))).rows[0]?.body ?? undefined;
}

export async function lockDueAsyncMdns(conn: Conn, limit: number): Promise<As2MessageRecord[]> {
  return (await run<Row>(conn, sql.lockDueAsyncMdns(conn.schema, limit))).rows.map(toRecord);
}

export async function leaseAsyncMdn(conn: Conn, id: number, seconds: number): Promise<number> {
  return Number((await run<{ mdn_attempts: number }>(conn, sql.leaseAsyncMdn(conn.schema, id, seconds))).rows[0]?.mdn_attempts ?? 0);
}

export async function recordAsyncMdnTry(conn: Conn, t: Parameters<typeof sql.recordAsyncMdnTry>[1]): Promise<void> {
  await run(conn, sql.recordAsyncMdnTry(conn.schema, t));
}

export async function requeueAsyncMdn(conn: Conn, id: number): Promise<boolean> {
  return ((await run(conn, sql.requeueAsyncMdn(conn.schema, id))).rowCount ?? 0) > 0;
}

export async function latestOutboundAs2(conn: Conn, outboundId: number): Promise<As2MessageRecord | undefined> {
  const row = (await run<Row>(conn, sql.latestOutboundAs2(conn.schema, outboundId))).rows[0];
  return row && toRecord(row);
}

export async function insertOutboundAs2Message(conn: Conn, m: sql.NewOutboundAs2Message): Promise<As2MessageRecord> {
  return toRecord((await run<Row>(conn, sql.insertOutboundAs2Message(conn.schema, m))).rows[0]!);
}

export async function awaitAs2Mdn(conn: Conn, id: number, dueSeconds: number): Promise<boolean> {
  return ((await run(conn, sql.awaitAs2Mdn(conn.schema, id, dueSeconds))).rowCount ?? 0) > 0;
}

export async function recordOutboundMdn(conn: Conn, r: Parameters<typeof sql.recordOutboundMdn>[1]): Promise<As2MessageRecord | undefined> {
  const row = (await run<Row>(conn, sql.recordOutboundMdn(conn.schema, r))).rows[0];
  return row && toRecord(row);
}

export async function markOverdueAs2Mdns(conn: Conn, limit: number): Promise<As2MessageRecord[]> {
  return (await run<Row>(conn, sql.markOverdueAs2Mdns(conn.schema, limit))).rows.map(toRecord);
}

/** Each with the document we send it carried (sentDocumentId), when it carried one. */
export async function listAs2Messages(conn: Conn, filter: { partner?: string; direction?: sql.As2Direction; state?: sql.As2State; limit?: number } = {}): Promise<Array<As2MessageRecord & { sentDocumentId: number | null }>> {
  return (await run<Row>(conn, sql.listAs2Messages(conn.schema, { ...filter, limit: filter.limit ?? 100 }))).rows.map((r) => ({ ...toRecord(r), sentDocumentId: sentDocumentOf(r) }));
}

const sentDocumentOf = (r: Row): number | null => (r.sent_document_id === null || r.sent_document_id === undefined ? null : Number(r.sent_document_id));

export async function addDeliveryEvent(conn: Conn, e: Parameters<typeof sql.addDeliveryEvent>[1]): Promise<void> {
  await run(conn, sql.addDeliveryEvent(conn.schema, e));
}

/** Whether the entry failed now, and the state its document left for built (none: an acknowledgment, or a resend). */
export async function failSentDelivery(conn: Conn, id: number, reason: string): Promise<{ failed: boolean; documentFrom: string | null }> {
  const row = (await run<{ failed: boolean; document_from: string | null }>(conn, sql.failSentDelivery(conn.schema, id, reason))).rows[0];
  return { failed: row?.failed === true, documentFrom: row?.document_from ?? null };
}

export { AS2_STATES } from './sql/as2.js';

/** One message by its id, with the size of the body it came or went with (null: none kept). */
export async function getAs2Message(conn: Conn, id: number): Promise<(As2MessageRecord & { bodyBytes: number | null; sentDocumentId: number | null }) | undefined> {
  const row = (await run<Row>(conn, sql.getAs2Message(conn.schema, id))).rows[0];
  return row && { ...toRecord(row), bodyBytes: row.body_bytes === null || row.body_bytes === undefined ? null : Number(row.body_bytes), sentDocumentId: sentDocumentOf(row) };
}

/** An AS2 message the as2-mdn alert rule lists (sql.as2MdnProblems). */
export type As2MdnProblem = As2MessageRecord;

export async function listAs2MdnProblems(conn: Conn, limit: number): Promise<As2MdnProblem[]> {
  return (await run<Row>(conn, sql.as2MdnProblems(conn.schema, limit))).rows.map(toRecord);
}
