// The delivery stage's view of `outbound`: an entry with its file name, tries, next attempt and lease.
import { run, type Conn } from './conn.js';
import { toOutbound, type Row } from './rows.js';
import * as sql from './sql/delivery.js';
import type { OutboundRecord } from './types.js';

export interface DeliveryRecord extends OutboundRecord {
  /** Fixed before the first upload; null until then. */
  fileName: string | null;
  /** Where it was delivered (remote or local path); null until sent. */
  remotePath: string | null;
  /** Tries started. */
  attempts: number;
  nextAttemptAt: Date | null;
  /** Who delivers it now, until when (a claim); null when no one does. */
  leaseHolder: string | null;
  leaseExpiresAt: Date | null;
}

function toDelivery(r: Row): DeliveryRecord {
  return {
    ...toOutbound(r),
    fileName: (r.file_name ?? null) as string | null,
    remotePath: (r.remote_path ?? null) as string | null,
    attempts: Number(r.attempts),
    nextAttemptAt: (r.next_attempt_at ?? null) as Date | null,
    leaseHolder: (r.lease_holder ?? null) as string | null,
    leaseExpiresAt: (r.lease_expires_at ?? null) as Date | null,
  };
}

async function rows(conn: Conn, plan: ReturnType<typeof sql.getDelivery>): Promise<DeliveryRecord[]> {
  return (await run<Row>(conn, plan)).rows.map(toDelivery);
}

export const lockDueDeliveries = (conn: Conn, limit: number) => rows(conn, sql.lockDueDeliveries(conn.schema, limit));
export const claimDelivery = async (conn: Conn, c: Parameters<typeof sql.claimDelivery>[1]) => (await rows(conn, sql.claimDelivery(conn.schema, c)))[0];
/** Renews the holder's leases of `ids`; returns those it still holds. */
export async function renewDeliveryLeases(conn: Conn, r: Parameters<typeof sql.renewDeliveryLeases>[1]): Promise<Set<number>> {
  if (r.ids.length === 0) return new Set();
  const { rows: held } = await run<{ id: string }>(conn, sql.renewDeliveryLeases(conn.schema, r));
  return new Set(held.map((x) => Number(x.id)));
}
export const markDelivered = async (conn: Conn, c: Parameters<typeof sql.markDelivered>[1]) => (await rows(conn, sql.markDelivered(conn.schema, c)))[0];
export const deferDelivery = async (conn: Conn, c: Parameters<typeof sql.deferDelivery>[1]) => (await rows(conn, sql.deferDelivery(conn.schema, c)))[0];
export const replayDelivery = async (conn: Conn, id: number) => (await rows(conn, sql.replayDelivery(conn.schema, id)))[0];
/** The entry with `payload` instead, if no delivery ever took it (sql/delivery.ts replaceUndelivered); undefined otherwise. */
export const replaceUndelivered = async (conn: Conn, id: number, payload: string) => (await rows(conn, sql.replaceUndelivered(conn.schema, id, payload)))[0];
/** Whether the entry was taken back before any delivery touched it (sql/delivery.ts withdrawUndelivered). */
export const withdrawUndelivered = async (conn: Conn, id: number): Promise<boolean> => (await run(conn, sql.withdrawUndelivered(conn.schema, id))).rows.length > 0;
export const getDelivery = async (conn: Conn, id: number) => (await rows(conn, sql.getDelivery(conn.schema, id)))[0];
