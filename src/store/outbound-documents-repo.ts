// Outbound business documents (850/855/856/810 built from Odoo records) and the Odoo poller's cursors.
import { run, type Conn } from './conn.js';
import { toOutbound, toOutboundDocument, type Row } from './rows.js';
import * as sql from './sql/outbound-documents.js';
import type { Json, OutboundDocumentRecord, OutboundDocumentState, OutboundRecord } from './types.js';

export type { OutboundDocumentVersion, OutboundEventInput, OutboundSource } from './sql/outbound-documents.js';

/** The newest generation of a record's document of a kind, locked until the transaction ends. */
export async function lockOutboundDocument(conn: Conn, source: sql.OutboundSource): Promise<OutboundDocumentRecord | undefined> {
  const row = (await run<Row>(conn, sql.lockOutboundDocument(conn.schema, source))).rows[0];
  return row && toOutboundDocument(row);
}

export async function getOutboundDocument(conn: Conn, id: number): Promise<OutboundDocumentRecord | undefined> {
  const row = (await run<Row>(conn, sql.getOutboundDocument(conn.schema, id))).rows[0];
  return row && toOutboundDocument(row);
}

export async function insertOutboundDocument(conn: Conn, source: sql.OutboundSource & { generation: number }, version: sql.OutboundDocumentVersion, event: sql.OutboundEventInput): Promise<OutboundDocumentRecord> {
  return toOutboundDocument((await run<Row>(conn, sql.insertOutboundDocument(conn.schema, source, version, event))).rows[0]!);
}

/** Undefined when the document is no longer in one of `from`. */
export async function replaceOutboundDocument(conn: Conn, id: number, from: readonly OutboundDocumentState[], version: sql.OutboundDocumentVersion, event: sql.OutboundEventInput): Promise<OutboundDocumentRecord | undefined> {
  const row = (await run<Row>(conn, sql.replaceOutboundDocument(conn.schema, id, from, version, event))).rows[0];
  return row && toOutboundDocument(row);
}

/** The document whose delivery entry (first or a resend) `outboundId` was just sent, moved and noted (none for an acknowledgment): its ids. */
export async function markOutboundDocumentSent(conn: Conn, outboundId: number, remotePath: string | null): Promise<number[]> {
  return (await run<{ id: string }>(conn, sql.markOutboundDocumentSent(conn.schema, outboundId, remotePath))).rows.map((r) => Number(r.id));
}

export async function listOutboundDocuments(conn: Conn, filter: Parameters<typeof sql.listOutboundDocuments>[1] = {}): Promise<OutboundDocumentRecord[]> {
  return (await run<Row>(conn, sql.listOutboundDocuments(conn.schema, filter))).rows.map(toOutboundDocument);
}

/** The newest posted inbound document with one of these repeat keys, with its canonical document. */
export async function findPostedByRepeatKeys(conn: Conn, repeatKeys: readonly string[]): Promise<{ id: number; document: Json } | undefined> {
  if (!repeatKeys.length) return undefined;
  const row = (await run<Row>(conn, sql.findPostedByRepeatKeys(conn.schema, repeatKeys))).rows[0];
  return row && { id: Number(row.id), document: row.document as Json };
}

/** By record id: the state and built version of its newest document of the kind. */
export async function knownOutboundVersions(conn: Conn, of: Parameters<typeof sql.knownOutboundVersions>[1]): Promise<Map<number, { state: OutboundDocumentState; sourceVersion: string | null }>> {
  const { rows } = await run<Row>(conn, sql.knownOutboundVersions(conn.schema, of));
  return new Map(rows.map((r) => [Number(r.source_id), { state: r.state as OutboundDocumentState, sourceVersion: (r.source_version ?? null) as string | null }]));
}

export async function getOdooCursor(conn: Conn, model: string, kind: string): Promise<string | undefined> {
  return (await run<{ write_date: string }>(conn, sql.getOdooCursor(conn.schema, model, kind))).rows[0]?.write_date;
}

/** Moves the cursor forward only (two pollers never move it back). */
export async function setOdooCursor(conn: Conn, model: string, kind: string, writeDate: string): Promise<void> {
  await run(conn, sql.setOdooCursor(conn.schema, model, kind, writeDate));
}

/** One document by id, locked until the transaction ends. */
export async function lockOutboundDocumentById(conn: Conn, id: number): Promise<OutboundDocumentRecord | undefined> {
  const row = (await run<Row>(conn, sql.lockOutboundDocumentById(conn.schema, id))).rows[0];
  return row && toOutboundDocument(row);
}

/** -> cancelled from one of `from`, with its event; false when it is in none of them. */
export async function cancelOutboundDocument(conn: Conn, id: number, from: readonly OutboundDocumentState[], event: sql.OutboundEventInput): Promise<boolean> {
  return (await run(conn, sql.cancelOutboundDocument(conn.schema, id, from, event))).rows.length > 0;
}

/** A delivery entry of an outbound document: the one it was built with, or a resend's. */
export interface OutboundDocumentDelivery extends OutboundRecord {
  fileName: string | null;
  remotePath: string | null;
  attempts: number;
  resend: boolean;
}

export async function deliveriesOfOutboundDocument(conn: Conn, id: number): Promise<OutboundDocumentDelivery[]> {
  return (await run<Row>(conn, sql.deliveriesOfOutboundDocument(conn.schema, id))).rows.map((r) => ({
    ...toOutbound(r),
    fileName: (r.file_name ?? null) as string | null,
    remotePath: (r.remote_path ?? null) as string | null,
    attempts: Number(r.attempts),
    resend: r.resend === true,
  }));
}
