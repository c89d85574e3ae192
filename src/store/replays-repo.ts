// Bulk replays (migration 16, plans in sql/replays.ts): the documents a filter matches, the batch a
// person started, and its progress from the documents' current states.
import { run, type Conn } from './conn.js';
import type { DocumentFilter } from './sql/documents.js';
import * as sql from './sql/replays.js';
import type { DocumentState, Json } from './types.js';

export interface ReplayBatchRecord {
  id: number;
  filter: Json;
  documentIds: number[];
  /** Documents the filter matched that were not replayed, and why. */
  skipped: Array<{ documentId?: number; reason: string }>;
  actor: string;
  via: string;
  reason: string | null;
  createdAt: Date;
  /** How many of its documents are in each state now. */
  states: Partial<Record<DocumentState, number>>;
}

type Row = Record<string, unknown>;

/** The ids a filter matches, oldest first, at most `max` (more than `max` match when `max + 1` come back with max + 1). */
export async function documentIdsMatching(conn: Conn, filter: Omit<DocumentFilter, 'before' | 'limit'>, max: number): Promise<number[]> {
  return (await run<Row>(conn, sql.documentIdsMatching(conn.schema, filter, max))).rows.map((r) => Number(r.id));
}

export async function insertReplayBatch(conn: Conn, batch: sql.NewReplayBatch): Promise<number> {
  return Number((await run<Row>(conn, sql.insertReplayBatch(conn.schema, batch))).rows[0]!.id);
}

export async function getReplayBatch(conn: Conn, id: number): Promise<ReplayBatchRecord | undefined> {
  const r = (await run<Row>(conn, sql.replayBatchProgress(conn.schema, id))).rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id), filter: r.filter as Json, documentIds: (r.document_ids as Array<string | number>).map(Number),
    skipped: r.skipped as ReplayBatchRecord['skipped'], actor: String(r.actor), via: String(r.via), reason: (r.reason as string | null) ?? null,
    createdAt: r.created_at as Date, states: r.states as ReplayBatchRecord['states'],
  };
}

export async function setReplayBatchDocuments(conn: Conn, id: number, documentIds: readonly number[], skipped: ReplayBatchRecord['skipped']): Promise<void> {
  await run(conn, sql.setReplayBatchDocuments(conn.schema, id, documentIds, skipped));
}
