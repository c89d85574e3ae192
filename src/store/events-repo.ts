// The timeline.
import { run, type Conn } from './conn.js';
import { toEvent, type Row } from './rows.js';
import * as sql from './sql/events.js';
import type { EventRecord } from './types.js';

export async function addEvent(conn: Conn, event: sql.NewEvent): Promise<EventRecord> {
  return toEvent((await run<Row>(conn, sql.insertEvent(conn.schema, event))).rows[0]!);
}

export async function addEvents(conn: Conn, events: readonly sql.NewEvent[]): Promise<EventRecord[]> {
  if (events.length === 0) return [];
  return (await run<Row>(conn, sql.insertEvents(conn.schema, events))).rows.map(toEvent);
}

export async function documentTimeline(conn: Conn, documentId: number): Promise<EventRecord[]> {
  return (await run<Row>(conn, sql.documentTimeline(conn.schema, documentId))).rows.map(toEvent);
}

export async function fileTimeline(conn: Conn, fileId: number): Promise<EventRecord[]> {
  return (await run<Row>(conn, sql.fileTimeline(conn.schema, fileId))).rows.map(toEvent);
}
