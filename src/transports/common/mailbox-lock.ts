// One poller per mailbox at a time, across every gateway process on the database: a PostgreSQL
// session advisory lock on a hash of schema + mailbox, held on one dedicated connection for the
// poll's duration. A process that dies loses its connection and with it the lock.
//
//   const lock = await tryMailboxLock(db, mailboxKey(partner, folder));
//   if (!lock) return 'another process is polling this mailbox';
//   try { ... } finally { await lock.release(); }
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface MailboxLock {
  readonly key: string;
  release(): Promise<void>;
  /**
   * Whether the lock is still held: its session answers. A lost connection ends the session and
   * frees the lock for another process, so a holder that finds it lost must stop working.
   */
  held(): Promise<boolean>;
}

/** The 64-bit lock id of a mailbox in a schema (two schemas on one server never share a lock). */
export function mailboxLockId(schema: string, mailbox: string): string {
  return createHash('sha256').update(`edi-mailbox\u0000${schema}\u0000${mailbox}`).digest().readBigInt64BE(0).toString();
}

/** undefined when another session holds the lock (skip this poll). Throws when the database cannot be reached. */
export async function tryMailboxLock(db: { pool: pg.Pool; schema: string }, mailbox: string): Promise<MailboxLock | undefined> {
  const id = mailboxLockId(db.schema, mailbox);
  const client = await db.pool.connect();
  let ok = false;
  try {
    ok = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [id])).rows[0]?.ok === true;
  } catch (error) {
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  if (!ok) {
    client.release();
    return undefined;
  }
  let released = false;
  let lost = false;
  // A connection that dies while checked out says so with 'error' (no query needs to be running).
  client.on('error', () => {
    lost = true;
  });
  return {
    key: mailbox,
    async held() {
      if (released || lost) return false;
      try {
        await client.query('SELECT 1');
        return !lost;
      } catch {
        lost = true;
        return false;
      }
    },
    async release() {
      if (released) return;
      released = true;
      if (lost) return void client.release(true);
      try {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
        client.release();
      } catch (error) {
        // Cannot unlock: throw the connection away, which ends the session and its lock.
        client.release(error instanceof Error ? error : true);
      }
    },
  };
}
