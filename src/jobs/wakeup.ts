// Wake-ups for the fetch loops: one dedicated connection LISTENs on the schema's channel (every
// enqueue NOTIFYs the queue name at commit). It reconnects with backoff when the database goes
// away; meanwhile, and always as a safety net, the loops also poll.
import pg from 'pg';
import { listen } from '../store/sql/notify.js';
import type { Logger } from '../logging/logger.js';

export interface Waker {
  /** A token to pass to wait(): a NOTIFY for the queue after it was taken ends the wait at once. */
  mark(queue: string): number;
  /** Resolves on a NOTIFY for `queue` (since `mark`), after `ms`, or at close. */
  wait(queue: string, mark: number, ms: number): Promise<void>;
  /** Wakes every waiter of a queue (this process enqueued something). */
  poke(queue: string): void;
  close(): Promise<void>;
}

export function startWaker(options: { connectionString: string; channel: string; log: Logger; listen: boolean }): Waker {
  const { log } = options;
  const counts = new Map<string, number>();
  const waiters = new Map<string, Set<() => void>>();
  let closed = false;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let backoff = 250;

  const poke = (queue: string) => {
    counts.set(queue, (counts.get(queue) ?? 0) + 1);
    const set = waiters.get(queue);
    if (!set) return;
    waiters.delete(queue);
    for (const wake of set) wake();
  };
  const pokeAll = () => {
    for (const queue of [...waiters.keys()]) poke(queue);
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: options.connectionString, application_name: 'edi-gateway-listen' });
    c.on('notification', (n) => n.payload && poke(n.payload));
    c.on('error', (error) => {
      log.warn({ error: error.message }, 'wake-up connection lost; polling until it is back');
      lost(c);
    });
    c.on('end', () => lost(c));
    try {
      await c.connect();
      const plan = listen(options.channel);
      await c.query(plan.text, plan.values);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      backoff = 250;
      // Anything committed while we were not listening: let every loop look once.
      pokeAll();
    } catch (error) {
      log.warn({ error: (error as Error).message, retryInMs: backoff }, 'cannot listen for wake-ups; retrying');
      c.end().catch(() => undefined);
      schedule();
    }
  };
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => undefined);
    schedule();
  };
  const schedule = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, backoff);
    backoff = Math.min(backoff * 2, 5_000);
  };
  if (options.listen) void connect();

  return {
    mark: (queue) => counts.get(queue) ?? 0,
    wait(queue, mark, ms) {
      if (closed || (counts.get(queue) ?? 0) !== mark) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let set = waiters.get(queue);
        if (!set) waiters.set(queue, (set = new Set()));
        const done = () => {
          clearTimeout(timer);
          set!.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
      });
    },
    poke,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      pokeAll();
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
