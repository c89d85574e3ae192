// Documents: creation, guarded state changes, and the ops queries.
import { run, type Conn } from './conn.js';
import { toDocument, toDocumentDetail, toDocumentSummary, toDelimiters, type Row } from './rows.js';
import * as sql from './sql/documents.js';
import type { DocumentDetail, DocumentRecord, DocumentState, DocumentSummary, StoredDelimiters } from './types.js';

export type ChangedDocument = DocumentRecord & { previousState: DocumentState };

/** Inserts documents; those already recorded (a re-run) are skipped and not returned. */
export async function insertDocuments(conn: Conn, docs: readonly sql.NewDocument[], event?: sql.EventNote): Promise<DocumentRecord[]> {
  if (docs.length === 0) return [];
  return (await run<Row>(conn, sql.insertDocuments(conn.schema, docs, event))).rows.map(toDocument);
}

/** What the stages need of documents they inserted or moved: sql.STATE_COLUMNS. */
export interface MovedDocument {
  id: number;
  fileId: number;
  byteOffset: number;
  state: DocumentState;
}

/** insertDocuments for a stage that needs only where they went (the split): no JSON read back. */
export async function addDocuments(conn: Conn, docs: readonly sql.NewDocument[], event?: sql.EventNote): Promise<MovedDocument[]> {
  if (docs.length === 0) return [];
  return (await run<Row>(conn, sql.insertDocuments(conn.schema, docs, event, sql.STATE_COLUMNS))).rows.map(stateOf);
}

/** transitionDocuments returning only where the changed documents went (validate, map). */
export async function moveDocuments(conn: Conn, transition: Omit<sql.Transition, 'only'>): Promise<MovedDocument[]> {
  if (transition.changes.length === 0) return [];
  return (await run<Row>(conn, sql.transitionDocuments(conn.schema, { ...transition, only: sql.STATE_COLUMNS }))).rows.map(stateOf);
}

const stateOf = (r: Row): MovedDocument => ({ id: Number(r.id), fileId: Number(r.file_id), byteOffset: Number(r.byte_offset), state: r.state as DocumentState });

/** Changes many documents at once; returns those whose guard allowed it (others were not in `from`). */
export async function transitionDocuments(conn: Conn, transition: sql.Transition): Promise<ChangedDocument[]> {
  if (transition.changes.length === 0) return [];
  return (await run<Row>(conn, sql.transitionDocuments(conn.schema, transition))).rows.map(changed);
}

/** Undefined when the guard refused: the document is not (or no longer) in one of `from`. */
export async function setDocumentState(conn: Conn, change: Parameters<typeof sql.setDocumentState>[1]): Promise<ChangedDocument | undefined> {
  const row = (await run<Row>(conn, sql.setDocumentState(conn.schema, change))).rows[0];
  return row && changed(row);
}

export async function getDocument(conn: Conn, id: number): Promise<DocumentDetail | undefined> {
  const row = (await run<Row>(conn, sql.getDocument(conn.schema, id))).rows[0];
  return row && toDocumentDetail(row);
}

/** The set's raw bytes (ST..SE) as received. */
export async function getDocumentBytes(conn: Conn, id: number): Promise<Buffer | undefined> {
  const row = (await run<Row>(conn, sql.getDocumentBytes(conn.schema, id))).rows[0];
  return row?.bytes as Buffer | undefined;
}

export interface DocumentPage {
  items: DocumentSummary[];
  /** Pass as `before` for the next page; null on the last page. */
  next: number | null;
}

export async function listDocuments(conn: Conn, filter: sql.DocumentFilter = {}): Promise<DocumentPage> {
  const limit = filter.limit ?? 50;
  const rows = (await run<Row>(conn, sql.listDocuments(conn.schema, { ...filter, limit: limit + 1 }))).rows;
  const items = rows.slice(0, limit).map(toDocumentSummary);
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}

export async function listDocumentsOf(conn: Conn, of: Parameters<typeof sql.listDocumentsOf>[1]): Promise<DocumentRecord[]> {
  return (await run<Row>(conn, sql.listDocumentsOf(conn.schema, of))).rows.map(toDocument);
}

/** listDocumentsOf without the JSON: where each document is and its state (validate). */
export async function listDocumentStates(conn: Conn, of: Parameters<typeof sql.listDocumentsOf>[1]): Promise<MovedDocument[]> {
  return (await run<Row>(conn, sql.listDocumentsOf(conn.schema, of, sql.STATE_COLUMNS))).rows.map(stateOf);
}

/** Counts per state (states with no document are absent). */
export async function countDocumentsByState(conn: Conn, filter: { fileId?: number } = {}): Promise<Partial<Record<DocumentState, number>>> {
  const rows = (await run<{ state: DocumentState; count: number }>(conn, sql.countDocumentsByState(conn.schema, filter))).rows;
  return Object.fromEntries(rows.map((r) => [r.state, r.count]));
}

/** Documents by state of one `edi start --once` run (sql.countDocumentsOfRun). */
export async function countDocumentsOfRun(conn: Conn, runOf: { fileIds: readonly number[]; afterEventId: number }): Promise<Partial<Record<DocumentState, number>>> {
  const rows = (await run<{ state: DocumentState; count: number }>(conn, sql.countDocumentsOfRun(conn.schema, runOf))).rows;
  return Object.fromEntries(rows.map((r) => [r.state, r.count]));
}

/** A document as a stage works on it (see lockDocumentsForWork). */
export interface WorkDocument extends DocumentDetail {
  /** The interchange's delimiters; null for rows written before migration 2. */
  delimiters: StoredDelimiters | null;
  /** The set's own bytes (ST..SE), when asked for. */
  bytes?: Buffer;
}

/** Locks and returns the documents of `ids` still in one of `states` (use inside withTransaction). */
export async function lockDocumentsForWork(conn: Conn, work: { ids: readonly number[]; states: readonly DocumentState[]; bytes?: boolean }): Promise<WorkDocument[]> {
  if (work.ids.length === 0) return [];
  return (await run<Row>(conn, sql.lockDocumentsForWork(conn.schema, work))).rows.map((row) => {
    const doc: WorkDocument = { ...toDocumentDetail(row), delimiters: toDelimiters(row) };
    if (row.bytes) doc.bytes = row.bytes as Buffer;
    return doc;
  });
}

function changed(row: Row): ChangedDocument {
  return { ...toDocument(row), previousState: row.previous_state as DocumentState };
}
