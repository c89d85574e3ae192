// The alert rules' reads and the digests' state (plans in sql/alerts.ts; the waiting documents and
// overdue acknowledgments are the dashboard's own plans, so the console and the alerts agree).
import { run, type Conn } from './conn.js';
import * as sql from './sql/index.js';

type Row = Record<string, unknown>;
const date = (v: unknown) => v as Date;
const text = (v: unknown) => (v as string | null) ?? null;

export interface WaitingRow { id: number; partner: string; setId: string; number: string | null; state: string; reason: string | null; updatedAt: Date }
export interface OverdueRow { id: number; partner: string; setId: string; sourceModel: string; sourceName: string | null; ackDueAt: Date | null }
export interface OrderWithoutAckRow { id: number; partner: string; poNumber: string; state: string; createdAt: Date }
export interface ShipmentWithoutNoticeRow { id: number; partner: string; sourceName: string | null; poNumber: string | null; state: string; reason: string | null; createdAt: Date }
export interface InvoiceMismatchRow { id: number; partner: string; number: string | null; poNumber: string | null; mismatches: number; updatedAt: Date }

/** Documents waiting for a person (rejected, failed), the longest waiting first. */
export async function listWaitingForAlerts(conn: Conn, limit: number): Promise<WaitingRow[]> {
  return (await run<Row>(conn, sql.waitingForPerson(conn.schema, limit))).rows.map((r) => ({
    id: Number(r.id), partner: String(r.partner), setId: String(r.set_id), number: text(r.number), state: String(r.state), reason: text(r.reason), updatedAt: date(r.updated_at),
  }));
}

export async function listOverdueForAlerts(conn: Conn, limit: number): Promise<OverdueRow[]> {
  return (await run<Row>(conn, sql.acknowledgmentsOverdue(conn.schema, limit))).rows.map((r) => ({
    id: Number(r.id), partner: String(r.partner), setId: String(r.set_id), sourceModel: String(r.source_model), sourceName: text(r.source_name), ackDueAt: (r.ack_due_at as Date | null) ?? null,
  }));
}

export async function listOrdersWithoutAck(conn: Conn, before: Date, limit: number): Promise<OrderWithoutAckRow[]> {
  return (await run<Row>(conn, sql.ordersWithoutAck(conn.schema, before, limit))).rows.map((r) => ({
    id: Number(r.id), partner: String(r.partner), poNumber: String(r.po_number), state: String(r.state), createdAt: date(r.created_at),
  }));
}

export async function listShipmentsWithoutNotice(conn: Conn, before: Date, limit: number): Promise<ShipmentWithoutNoticeRow[]> {
  return (await run<Row>(conn, sql.shipmentsWithoutNotice(conn.schema, before, limit))).rows.map((r) => ({
    id: Number(r.id), partner: String(r.partner), sourceName: text(r.source_name), poNumber: text(r.po_number), state: String(r.state), reason: text(r.reason), createdAt: date(r.created_at),
  }));
}

export async function listInvoiceMismatches(conn: Conn, limit: number): Promise<InvoiceMismatchRow[]> {
  return (await run<Row>(conn, sql.invoiceMismatches(conn.schema, limit))).rows.map((r) => ({
    id: Number(r.id), partner: String(r.partner), number: text(r.number), poNumber: text(r.po_number), mismatches: Number(r.mismatches), updatedAt: date(r.updated_at),
  }));
}

/** The claim of a rule's digest: undefined when another process (or an earlier tick) sent one within the period. */
export async function claimDigest(conn: Conn, c: Parameters<typeof sql.claimDigest>[1]): Promise<{ previous: Date | null } | undefined> {
  const row = (await run<Row>(conn, sql.claimDigest(conn.schema, c))).rows[0];
  return row ? { previous: (row.previous as Date | null) ?? null } : undefined;
}

export async function releaseDigest(conn: Conn, c: Parameters<typeof sql.releaseDigest>[1]): Promise<void> {
  await run(conn, sql.releaseDigest(conn.schema, c));
}

export async function lastDigestAt(conn: Conn, rule: string): Promise<Date | undefined> {
  return ((await run<Row>(conn, sql.lastDigest(conn.schema, rule))).rows[0]?.last_digest_at as Date | undefined) ?? undefined;
}

/** item -> when a digest of the rule last listed it. */
export async function alertLogOf(conn: Conn, rule: string): Promise<Map<string, Date>> {
  return new Map((await run<Row>(conn, sql.listAlertLog(conn.schema, rule))).rows.map((r) => [String(r.item), date(r.last_sent_at)]));
}

export async function recordAlertItems(conn: Conn, c: Parameters<typeof sql.recordAlertItems>[1]): Promise<void> {
  if (c.items.length) await run(conn, sql.recordAlertItems(conn.schema, c));
}

export async function forgetClosedAlertItems(conn: Conn, c: Parameters<typeof sql.forgetClosedAlertItems>[1]): Promise<void> {
  await run(conn, sql.forgetClosedAlertItems(conn.schema, c));
}
