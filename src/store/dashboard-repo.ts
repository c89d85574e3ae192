// The console dashboard's reads (plans in sql/dashboard.ts).
import { run, type Conn } from './conn.js';
import * as sql from './sql/index.js';
import type { DocumentState } from './types.js';

export interface PartnerStateCount {
  partner: string;
  state: DocumentState;
  today: number;
  week: number;
}

export interface WaitingDocument {
  id: number;
  partner: string;
  setId: string;
  number: string | null;
  state: DocumentState;
  failedStage: string | null;
  reason: string | null;
  updatedAt: Date;
}

export interface OverdueAcknowledgment {
  id: number;
  partner: string;
  setId: string;
  sourceModel: string;
  sourceName: string | null;
  ackDueAt: Date | null;
}

export interface FailedDelivery {
  id: number;
  partner: string;
  kind: string;
  reason: string | null;
  createdAt: Date;
}

export interface Dashboard {
  counts: PartnerStateCount[];
  waiting: WaitingDocument[];
  waitingTotal: number;
  overdue: OverdueAcknowledgment[];
  failedDeliveries: FailedDelivery[];
  /** AS2 messages we sent whose asynchronous MDN is overdue, not tried again since (docs/as2.md). */
  as2MdnsOverdue: number;
}

type Row = Record<string, unknown>;

/** Everything the dashboard shows but partner health (partners-repo), read at once. */
export async function readDashboard(conn: Conn, now: Date, limit = 20): Promise<Dashboard> {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const week = new Date(today.getTime() - 6 * 86_400_000);
  const [counts, waiting, total, overdue, failed, as2Overdue] = await Promise.all([
    run<Row>(conn, sql.documentCounts(conn.schema, { today, week })),
    run<Row>(conn, sql.waitingForPerson(conn.schema, limit)),
    run<Row>(conn, sql.countWaitingForPerson(conn.schema)),
    run<Row>(conn, sql.acknowledgmentsOverdue(conn.schema, limit)),
    run<Row>(conn, sql.failedDeliveries(conn.schema, limit)),
    run<Row>(conn, sql.countAs2MdnsOverdue(conn.schema)),
  ]);
  return {
    counts: counts.rows.map((r) => ({ partner: String(r.partner), state: r.state as DocumentState, today: Number(r.today), week: Number(r.week) })),
    waiting: waiting.rows.map((r) => ({
      id: Number(r.id), partner: String(r.partner), setId: String(r.set_id), number: (r.number as string | null) ?? null, state: r.state as DocumentState,
      failedStage: (r.failed_stage as string | null) ?? null, reason: (r.reason as string | null) ?? null, updatedAt: r.updated_at as Date,
    })),
    waitingTotal: Number(total.rows[0]?.count ?? 0),
    overdue: overdue.rows.map((r) => ({ id: Number(r.id), partner: String(r.partner), setId: String(r.set_id), sourceModel: String(r.source_model), sourceName: (r.source_name as string | null) ?? null, ackDueAt: (r.ack_due_at as Date | null) ?? null })),
    failedDeliveries: failed.rows.map((r) => ({ id: Number(r.id), partner: String(r.partner), kind: String(r.kind), reason: (r.reason as string | null) ?? null, createdAt: r.created_at as Date })),
    as2MdnsOverdue: Number(as2Overdue.rows[0]?.count ?? 0),
  };
}
