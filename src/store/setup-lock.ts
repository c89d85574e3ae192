// Setup that must run in one process at a time across every process on the database (pg-boss
// creating its schema and queues: two at once fail on PostgreSQL's unique catalog indexes). A
// session advisory lock on a client of its own, held for the whole setup (which may use other
// connections of the pool) and released after; a process that dies meanwhile frees it with its session.
import type pg from 'pg';
import type { Plan } from './sql/plan.js';
import { namedUnlock, waitNamedLock } from './sql/locks.js';

export async function withSetupLock<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const run = (plan: Plan) => client.query(plan.text, plan.values);
  try {
    await run(waitNamedLock(name));
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  let unlockFailed: Error | undefined;
  try {
    return await work();
  } finally {
    // A client that could not unlock is destroyed on release instead: ending its session frees the lock.
    await run(namedUnlock(name)).catch((error: unknown) => {
      unlockFailed = error as Error;
    });
    client.release(unlockFailed);
  }
}
