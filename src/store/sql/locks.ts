// Plans for session advisory locks (one per polled SFTP mailbox, one per watched folder), run on the
// process's lock connection (../lock-connection.ts), never on the pool. A lock id is a signed 64-bit
// integer, passed as decimal text (JavaScript numbers cannot hold it).
import type { Plan } from './plan.js';

/** `ok`: true when this session got the lock (or already held it: session locks are re-entrant). */
export function tryAdvisoryLock(id: string): Plan {
  return { text: 'SELECT pg_try_advisory_lock($1::bigint) AS ok', values: [id] };
}

/** `ok`: false when this session did not hold the lock. One unlock undoes one lock. */
export function advisoryUnlock(id: string): Plan {
  return { text: 'SELECT pg_advisory_unlock($1::bigint) AS ok', values: [id] };
}

/** Any answer at all: the session (and with it every lock it holds) is still there. */
export function sessionAlive(): Plan {
  return { text: 'SELECT true AS ok', values: [] };
}

/**
 * Waits for the session lock named `name` (hashed to a lock id): setup work that must run in one
 * process at a time, such as pg-boss creating its schema and queues. Run on a client checked out
 * for the purpose and held until `namedUnlock` (a lost connection frees the lock too).
 */
export function waitNamedLock(name: string): Plan {
  return { text: 'SELECT pg_advisory_lock(hashtextextended($1, 0))', values: [name] };
}

/** `ok`: false when this session did not hold the lock named `name`. */
export function namedUnlock(name: string): Plan {
  return { text: 'SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS ok', values: [name] };
}

/** Waits for the transaction lock named `name` (hashed): work on one thing, one transaction at a time; freed at commit or rollback. */
export function waitXactLock(name: string): Plan {
  return { text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [name] };
}
