// The process's advisory locks (one per polled SFTP mailbox, one per watched folder) live on ONE
// dedicated connection outside the pool: a folder is watched for hours, and a pooled connection per
// lock would leave none for the work (60 folder partners against a pool of 10). One session holds
// any number of advisory locks.
//
//   const lock = await db.locks.tryLock(id);     // undefined: another process, or this one, holds it
//   if (lock) try { ...; if (!(await lock.held())) stop(); } finally { await lock.release(); }
//
// Session advisory locks are re-entrant: the session that holds a key gets it again (and must then
// unlock twice), so the server cannot tell two takers in this process apart. This process keeps the
// keys it holds (or is taking) and refuses a second taker itself.
// The connection is opened at the first tryLock. When it dies, the server frees every lock it held:
// each holder's held() then answers false (the holder stops its work and tries again later), and the
// next tryLock opens a new connection.
import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { advisoryUnlock, sessionAlive, tryAdvisoryLock } from './sql/locks.js';
import type { Plan } from './sql/plan.js';

export interface SessionLock {
  /** The lock id (a bigint as decimal text). */
  readonly id: string;
  /** False once released, or once the lock connection is gone (the server freed the lock then). Asks the server. */
  held(): Promise<boolean>;
  /** Safe to call twice, and after the connection is gone. */
  release(): Promise<void>;
}

export interface LockConnection {
  /**
   * The lock `id`, or undefined when another session holds it or a taker in this process has it.
   * Throws when the database cannot be reached (try again later).
   */
  tryLock(id: string): Promise<SessionLock | undefined>;
  /** Locks held now (or being taken) by this process. */
  size(): number;
  /** Ends the connection, which frees every lock; holders' held() answer false. Safe to call twice. */
  close(): Promise<void>;
}

export interface LockConnectionOptions {
  log: Logger;
  /** Longest wait for connecting and for each statement; beyond it the connection counts as gone. Default 10 s. */
  timeoutMs?: number;
}

interface Session {
  readonly client: pg.Client;
  /** Connected once (a failed connect is not a lost session worth a warning). */
  established: boolean;
  lost: boolean;
  /** The statements run one after the other (node-postgres wants one in flight per client). */
  queue: Promise<unknown>;
  /** The answer to a liveness question in flight, shared by every holder asking at once. */
  ping?: Promise<boolean>;
}

/** A key this process holds or is taking; `session` is set once the server granted it. */
interface Entry {
  session?: Session;
}

export function lockConnection(connectionString: string, options: LockConnectionOptions): LockConnection {
  const { log } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const entries = new Map<string, Entry>();
  /** The connected session, and the connect in progress (shared by every taker meanwhile). */
  let active: Session | undefined;
  let opening: Promise<Session> | undefined;
  let closed = false;

  const drop = (s: Session, error?: unknown) => {
    if (s.lost) return;
    s.lost = true;
    if (active === s) active = undefined;
    let freed = 0;
    for (const [id, entry] of entries) {
      if (entry.session === s) {
        entries.delete(id);
        freed++;
      }
    }
    if (s.established && !closed) {
      log.warn(
        { locks: freed, ...(error instanceof Error ? { error: error.message } : {}) },
        `the database connection holding this process's mailbox and folder locks is gone (${freed} lock(s) freed); each is taken again at its next try`,
      );
    }
    s.client.end().catch(() => undefined);
  };

  const open = async (): Promise<Session> => {
    const client = new pg.Client({
      connectionString,
      application_name: 'edi-gateway-locks',
      // TCP keepalive after 10 s idle: a peer that vanished without a word is noticed.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    });
    const s: Session = { client, established: false, lost: false, queue: Promise.resolve() };
    client.on('error', (error) => drop(s, error));
    client.on('end', () => drop(s));
    try {
      await client.connect();
    } catch (error) {
      drop(s, error);
      throw error;
    }
    s.established = true;
    if (closed) {
      drop(s);
      throw new Error('the database is closed');
    }
    return s;
  };

  const session = async (): Promise<Session> => {
    if (active && !active.lost) return active;
    opening ??= open()
      .then((s) => (active = s))
      .finally(() => (opening = undefined));
    return opening;
  };

  /**
   * Runs a plan on the session, after the statements queued before it (so an unlock queued before a
   * lock of the same key runs first). A statement error that is not the server refusing the statement
   * (a timeout, a broken socket) ends the session: its locks can no longer be vouched for.
   */
  const query = async (s: Session, plan: Plan): Promise<boolean> => {
    const result = s.queue.then(() => s.client.query<{ ok: boolean }>(plan.text, plan.values));
    s.queue = result.catch(() => undefined);
    try {
      return (await result).rows[0]?.ok === true;
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) drop(s, error);
      throw error;
    }
  };

  const alive = (s: Session): Promise<boolean> => {
    if (s.lost) return Promise.resolve(false);
    s.ping ??= query(s, sessionAlive())
      .then(() => !s.lost, () => false)
      .finally(() => (s.ping = undefined));
    return s.ping;
  };

  const holder = (id: string, entry: Entry, s: Session): SessionLock => {
    let released = false;
    return {
      id,
      held: async () => !released && !s.lost && (await alive(s)) && !released,
      async release() {
        if (released) return;
        released = true;
        try {
          if (!s.lost && !(await query(s, advisoryUnlock(id)))) log.warn({ lock: id }, 'advisory lock was not held at its release');
        } catch (error) {
          // Left locked, this process would hold the key with nobody knowing; ending the session
          // frees it (and this process's other locks: their holders see it and take them again).
          drop(s, error);
        } finally {
          if (entries.get(id) === entry) entries.delete(id);
        }
      },
    };
  };

  return {
    async tryLock(id) {
      if (closed) throw new Error('the database is closed');
      if (entries.has(id)) return undefined;
      const entry: Entry = {};
      entries.set(id, entry);
      try {
        const s = await session();
        const ok = await query(s, tryAdvisoryLock(id));
        if (!ok || s.lost || entries.get(id) !== entry) {
          if (entries.get(id) === entry) entries.delete(id);
          return undefined;
        }
        entry.session = s;
        return holder(id, entry, s);
      } catch (error) {
        if (entries.get(id) === entry) entries.delete(id);
        throw error;
      }
    },
    size: () => entries.size,
    async close() {
      if (closed) return;
      closed = true;
      const s = active ?? (await opening?.catch(() => undefined));
      active = undefined;
      entries.clear();
      if (!s) return;
      drop(s);
      await s.client.end().catch(() => undefined);
    },
  };
}
