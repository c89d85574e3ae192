// The posted ledger of the recording / dry-run target.
import { run, type Conn } from './conn.js';
import { toPosted, type Row } from './rows.js';
import * as sql from './sql/posted.js';
import type { PostedRecord } from './types.js';

/** Records a posting once per (target, natural key); a repeat returns the first posting with created: false. */
export async function recordPosted(conn: Conn, entry: sql.NewPosted): Promise<{ posted: PostedRecord; created: boolean }> {
  const inserted = (await run<Row>(conn, sql.insertPosted(conn.schema, entry))).rows[0];
  if (inserted) return { posted: toPosted(inserted), created: true };
  const existing = (await run<Row>(conn, sql.findPosted(conn.schema, entry.target, entry.naturalKey))).rows[0];
  if (!existing) throw new Error(`posting ${entry.target}/${entry.naturalKey} conflicted on insert but cannot be read back`);
  return { posted: toPosted(existing), created: false };
}

/** Records postings in one statement; returns those it added (a (target, natural key) already there keeps its first posting). */
export async function recordPostedMany(conn: Conn, entries: readonly sql.NewPosted[]): Promise<PostedRecord[]> {
  if (entries.length === 0) return [];
  return (await run<Row>(conn, sql.insertPostedMany(conn.schema, entries))).rows.map(toPosted);
}

export async function findPosted(conn: Conn, target: string, naturalKey: string): Promise<PostedRecord | undefined> {
  const row = (await run<Row>(conn, sql.findPosted(conn.schema, target, naturalKey))).rows[0];
  return row && toPosted(row);
}

export async function listPosted(conn: Conn, filter: Parameters<typeof sql.listPosted>[1] = {}): Promise<PostedRecord[]> {
  return (await run<Row>(conn, sql.listPosted(conn.schema, filter))).rows.map(toPosted);
}
