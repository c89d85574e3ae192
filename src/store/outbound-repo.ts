// Outbound entries waiting for delivery, and the control numbers they are built with.
import { run, type Conn } from './conn.js';
import { toOutbound, type Row } from './rows.js';
import * as sql from './sql/outbound.js';
import type { ControlNumberKind, OutboundRecord } from './types.js';

/** Queues an entry; undefined when one with the same source key exists already (a re-run). */
export async function queueOutbound(conn: Conn, entry: sql.NewOutbound): Promise<OutboundRecord | undefined> {
  const row = (await run<Row>(conn, sql.insertOutbound(conn.schema, entry))).rows[0];
  return row && toOutbound(row);
}

export async function listOutbound(conn: Conn, filter: Parameters<typeof sql.listOutbound>[1] = {}): Promise<OutboundRecord[]> {
  return (await run<Row>(conn, sql.listOutbound(conn.schema, filter))).rows.map(toOutbound);
}

export async function setOutboundState(conn: Conn, change: Parameters<typeof sql.setOutboundState>[1]): Promise<OutboundRecord | undefined> {
  const row = (await run<Row>(conn, sql.setOutboundState(conn.schema, change))).rows[0];
  return row && toOutbound(row);
}

/**
 * Takes the next control number (1, 2, 3, ... wrapping after `max`). Taken inside a transaction that
 * later rolls back, the number is given back; taken on the pool, it is used up even if unused.
 */
export async function takeControlNumber(conn: Conn, partner: string, kind: ControlNumberKind, max?: number): Promise<number> {
  const row = (await run<{ value: string }>(conn, sql.nextControlNumber(conn.schema, { partner, kind, ...(max ? { max } : {}) }))).rows[0]!;
  return Number(row.value);
}

/** `count` control numbers at once (nextControlNumbers): as many takeControlNumber calls in one statement. */
export async function takeControlNumbers(conn: Conn, partner: string, kind: ControlNumberKind, count: number, max = 999_999_999): Promise<number[]> {
  if (count === 0) return [];
  const row = (await run<{ value: string }>(conn, sql.nextControlNumbers(conn.schema, { partner, kind, count, max }))).rows[0]!;
  const first = Number(row.value);
  return Array.from({ length: count }, (_, i) => ((first - 1 + i) % max) + 1);
}

/** queueOutbound for many entries in one statement; returns those queued (an existing source key is skipped). */
export async function queueOutboundMany(conn: Conn, entries: readonly sql.NewOutbound[]): Promise<OutboundRecord[]> {
  if (entries.length === 0) return [];
  return (await run<Row>(conn, sql.insertOutboundMany(conn.schema, entries))).rows.map(toOutbound);
}

/** Which of these source keys have an entry queued (or sent). */
export async function findOutboundSourceKeys(conn: Conn, sourceKeys: readonly string[]): Promise<Set<string>> {
  if (sourceKeys.length === 0) return new Set();
  return new Set((await run<{ source_key: string }>(conn, sql.findOutboundSourceKeys(conn.schema, sourceKeys))).rows.map((r) => r.source_key));
}

export async function setControlNumber(conn: Conn, partner: string, kind: ControlNumberKind, next: number): Promise<void> {
  await run(conn, sql.setControlNumber(conn.schema, { partner, kind, next }));
}

/** The entry queued under this source key, if any (lets a stage skip building what is queued already). */
export async function findOutbound(conn: Conn, sourceKey: string): Promise<OutboundRecord | undefined> {
  const row = (await run<Row>(conn, sql.findOutboundBySourceKey(conn.schema, sourceKey))).rows[0];
  return row && toOutbound(row);
}

/** 'kind state' -> count, for the entries queued for these files (e.g. { '997 sent': 3 }). */
export async function countOutboundOfFiles(conn: Conn, fileIds: readonly number[]): Promise<Record<string, number>> {
  if (fileIds.length === 0) return {};
  const { rows } = await run<{ kind: string; state: string; n: number }>(conn, sql.countOutboundOfFiles(conn.schema, fileIds));
  return Object.fromEntries(rows.map((r) => [`${r.kind} ${r.state}`, r.n]));
}
