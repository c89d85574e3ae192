// One poller per mailbox at a time, across every gateway process on the database and within this
// one: a PostgreSQL session advisory lock on a hash of schema + mailbox, held on the process's lock
// connection (db.locks, outside the pool) for the poll's or the watch's duration. A process that
// dies loses its connection and with it the lock.
//
//   const lock = await tryMailboxLock(db, mailboxKey(partner, folder));
//   if (!lock) return 'another process is polling this mailbox';
//   try { ... } finally { await lock.release(); }
import { createHash } from 'node:crypto';
import type { Database } from '../../store/database.js';

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

/** undefined when another process, or another taker in this one, holds the lock (skip this poll). Throws when the database cannot be reached. */
export async function tryMailboxLock(db: Pick<Database, 'locks' | 'schema'>, mailbox: string): Promise<MailboxLock | undefined> {
  const lock = await db.locks.tryLock(mailboxLockId(db.schema, mailbox));
  return lock && { key: mailbox, held: () => lock.held(), release: () => lock.release() };
}
