// The timeline.
import { run, type Conn } from './conn.js';
import { toEvent, type Row } from './rows.js';
import * as sql from './sql/events.js';
import type { EventRecord } from './types.js';

export async function addEvent(conn: Conn, event: sql.NewEvent): Promise<EventRecord> {
  return toEvent((await run<Row>(conn, sql.insertEvent(conn.schema, event))).rows[0]!);
}

export async function documentTimeline(conn: Conn, documentId: number): Promise<EventRecord[]> {
  return (await run<Row>(conn, sql.documentTimeline(conn.schema, documentId))).rows.map(toEvent);
}

export async function outboundDocumentTimeline(conn: Conn, outboundDocumentId: number): Promise<EventRecord[]> {
  return (await run<Row>(conn, sql.outboundDocumentTimeline(conn.schema, outboundDocumentId))).rows.map(toEvent);
}

export async function fileTimeline(conn: Conn, fileId: number): Promise<EventRecord[]> {
  return (await run<Row>(conn, sql.fileTimeline(conn.schema, fileId))).rows.map(toEvent);
}

/** An event as the log tail shows it: with its document's set and control number and its file's name. */
export interface TailedEvent {
  id: number;
  fileId: number | null;
  documentId: number | null;
  /** An outbound document's event (migration 10), with its partner. */
  outboundDocumentId: number | null;
  outboundPartner: string | null;
  /** A document's interchange; the partner of the file (inbound). */
  interchangeId: number | null;
  filePartner: string | null;
  stage: string;
  actor: string;
  fromState: string | null;
  toState: string | null;
  message: string;
  setId: string | null;
  controlNumber: string | null;
  sourceName: string | null;
}

export async function eventsSince(conn: Conn, afterId: number, limit = 1000): Promise<TailedEvent[]> {
  const { rows } = await run<Row>(conn, sql.eventsSince(conn.schema, afterId, limit));
  return rows.map((r) => ({
    id: Number(r.id),
    fileId: r.file_id === null ? null : Number(r.file_id),
    documentId: r.document_id === null ? null : Number(r.document_id),
    outboundDocumentId: r.outbound_document_id == null ? null : Number(r.outbound_document_id),
    outboundPartner: (r.outbound_partner as string | null) ?? null,
    interchangeId: r.interchange_id == null ? null : Number(r.interchange_id),
    filePartner: (r.file_partner as string | null) ?? null,
    stage: String(r.stage),
    actor: String(r.actor),
    fromState: (r.from_state as string | null) ?? null,
    toState: (r.to_state as string | null) ?? null,
    message: String(r.message),
    setId: (r.set_id as string | null) ?? null,
    controlNumber: (r.control_number as string | null) ?? null,
    sourceName: (r.source_name as string | null) ?? null,
  }));
}

export async function lastEventId(conn: Conn): Promise<number> {
  return Number((await run<{ id: string }>(conn, sql.lastEventId(conn.schema))).rows[0]?.id ?? 0);
}
