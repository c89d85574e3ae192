// The post stage's leases (see sql/postings.ts) and the sweep's look-ups (sql/sweep.ts).
import { run, type Conn, type Tx } from './conn.js';
import type { Row } from './rows.js';
import * as sql from './sql/postings.js';
import * as sweep from './sql/sweep.js';

export interface PostingLease {
  id: number;
  fileId: number;
  businessKey: string | null;
  holder: string | null;
  expiresAt: Date | null;
  /** By the database's clock. */
  expired: boolean;
}

const UNIQUE_VIOLATION = '23505';

/**
 * Claims what it can of `claims` (see sql.claimPostings); returns the claimed ids with their lease
 * expiry. Run it inside a transaction: a claim that loses a race for a key is retried from a savepoint.
 */
export async function claimPostings(tx: Tx, claim: sql.ClaimRequest): Promise<Map<number, Date>> {
  if (claim.claims.length === 0) return new Map();
  for (let attempt = 1; ; attempt++) {
    await tx.query('SAVEPOINT claim');
    try {
      const { rows } = await run<{ id: string; lease_expires_at: Date }>(tx, sql.claimPostings(tx.schema, claim));
      await tx.query('RELEASE SAVEPOINT claim');
      return new Map(rows.map((r) => [Number(r.id), r.lease_expires_at]));
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT claim');
      // The other claim has committed by now: the next run sees its key as held.
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION || attempt >= 5) throw error;
    }
  }
}

/** The first posted document of each repeat key that has one (see sql.firstPosted). */
export async function firstPostedOf(conn: Conn, repeatKeys: readonly string[]): Promise<Map<string, { id: number; targetRef: string | null }>> {
  if (repeatKeys.length === 0) return new Map();
  const { rows } = await run<{ repeat_key: string; id: string; target_ref: string | null }>(conn, sql.firstPosted(conn.schema, repeatKeys));
  return new Map(rows.map((r) => [r.repeat_key, { id: Number(r.id), targetRef: r.target_ref }]));
}

/** Renews the holder's leases of `ids`; returns those it still holds. */
export async function renewLeases(conn: Conn, renew: { ids: readonly number[]; holder: string; leaseSeconds: number }): Promise<Set<number>> {
  if (renew.ids.length === 0) return new Set();
  const { rows } = await run<{ id: string }>(conn, sql.renewLeases(conn.schema, renew));
  return new Set(rows.map((r) => Number(r.id)));
}

export async function leasesOf(conn: Conn, ids: readonly number[]): Promise<PostingLease[]> {
  if (ids.length === 0) return [];
  return (await run<Row>(conn, sql.leasesOf(conn.schema, ids))).rows.map(toLease);
}

export async function expiredPostings(conn: Conn, limit = 100): Promise<PostingLease[]> {
  return (await run<Row>(conn, sql.expiredPostings(conn.schema, limit))).rows.map(toLease);
}

/** Files in 'received' for which no job waits (see sql.filesWithoutJob). */
export async function filesWithoutJob(conn: Conn, bossSchema: string, w: { queues: readonly string[]; limit?: number }): Promise<number[]> {
  const { rows } = await run<{ id: string }>(conn, sweep.filesWithoutJob(conn.schema, bossSchema, { queues: w.queues, limit: w.limit ?? 100 }));
  return rows.map((r) => Number(r.id));
}

/** Inside a transaction: whether this one is the schema's sweeper until it ends. */
export async function trySweepLock(tx: Tx): Promise<boolean> {
  return (await run<{ locked: boolean }>(tx, sweep.trySweepLock(tx.schema))).rows[0]?.locked === true;
}

function toLease(r: Row): PostingLease {
  return {
    id: Number(r.id),
    fileId: Number(r.file_id),
    businessKey: (r.business_key ?? null) as string | null,
    holder: (r.lease_holder ?? null) as string | null,
    expiresAt: (r.lease_expires_at ?? null) as Date | null,
    expired: r.expired === true,
  };
}

/** Documents in 'posting' now, in every process on this database. */
export async function countPostings(conn: Conn): Promise<number> {
  return (await run<{ n: number }>(conn, sql.countPostings(conn.schema))).rows[0]?.n ?? 0;
}
