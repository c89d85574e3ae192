// An order's thread and a received interchange's acknowledgment (plans in sql/threads.ts).
import { run, type Conn } from './conn.js';
import * as sql from './sql/index.js';

export interface ThreadEntry {
  direction: 'in' | 'out';
  /** A received document's id (documents) or a sent one's (outbound_documents). */
  id: number;
  partner: string;
  setId: string;
  /** Received: the document's own number; sent: the Odoo record it was built from. */
  label: string | null;
  state: string;
  createdAt: Date;
  /** Received: the acknowledgment we sent for its interchange, if any. */
  ack: { kind: string; state: string; sentAt: Date | null } | null;
}

export interface SentAcknowledgment {
  id: number;
  kind: string;
  state: string;
  reason: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

type Row = Record<string, unknown>;

export async function readOrderThread(conn: Conn, poNumber: string, limit = 200): Promise<ThreadEntry[]> {
  return (await run<Row>(conn, sql.orderThread(conn.schema, poNumber, limit))).rows.map((r) => ({
    direction: r.direction as 'in' | 'out',
    id: Number(r.id),
    partner: String(r.partner),
    setId: String(r.set_id),
    label: (r.number as string | null) ?? null,
    state: String(r.state),
    createdAt: r.created_at as Date,
    ack: r.ack_kind ? { kind: String(r.ack_kind), state: String(r.ack_state), sentAt: (r.ack_sent_at as Date | null) ?? null } : null,
  }));
}

export async function acknowledgmentOf(conn: Conn, interchangeId: number): Promise<SentAcknowledgment | undefined> {
  const r = (await run<Row>(conn, sql.acknowledgmentOf(conn.schema, interchangeId))).rows[0];
  return r ? { id: Number(r.id), kind: String(r.kind), state: String(r.state), reason: (r.reason as string | null) ?? null, createdAt: r.created_at as Date, sentAt: (r.sent_at as Date | null) ?? null } : undefined;
}
