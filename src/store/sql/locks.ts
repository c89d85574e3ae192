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
