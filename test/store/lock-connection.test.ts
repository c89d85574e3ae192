// The process's lock connection against the real database: many advisory locks on one session
// beside a small pool, one taker per key within the process too (session locks are re-entrant),
// and every holder told when the session dies.
import { describe, expect, it } from 'vitest';
import { lockConnection } from '../../src/store/lock-connection.js';
import { useTestDatabase } from '../support/db.js';
import { memoryLog, waitFor } from '../transports/folder/support.js';

const db = useTestDatabase({ migrate: false });
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));

/** Backends holding each of these advisory lock ids (ids below 2^32: objid is the id). */
async function holders(lockIds: string[]): Promise<Map<string, number[]>> {
  const { rows } = await db.query<{ id: string; pid: number }>(
    `SELECT objid::text AS id, pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objsubid = 1 AND objid::text = ANY($1::text[])`,
    [lockIds],
  );
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.id, [...(out.get(r.id) ?? []), r.pid]);
  return out;
}

describe('lock connection', () => {
  it('holds 60 locks on one session while a pool of 2 stays free for the work', async () => {
    const process1 = db.another(2);
    const keys = ids(910_000, 60);
    const locks = await Promise.all(keys.map((id) => process1.locks.tryLock(id)));
    expect(locks.every((l) => l !== undefined)).toBe(true);
    expect(process1.locks.size()).toBe(60);
    const held = await holders(keys);
    expect(held.size).toBe(60);
    expect(new Set([...held.values()].flat()).size).toBe(1);
    // The pool's two connections both answer at once: no lock sits on them.
    const { rows } = await db.query<{ name: string }>(`SELECT application_name AS name FROM pg_stat_activity WHERE pid = $1`, [[...held.values()][0]![0]]);
    expect(rows[0]?.name).toBe('edi-gateway-locks');
    const answers = await Promise.all([process1.query('SELECT pg_sleep(0.05), 1 AS n'), process1.query('SELECT pg_sleep(0.05), 2 AS n')]);
    expect(answers.map((a) => a.rows[0]!.n)).toEqual([1, 2]);
    expect(process1.pool.totalCount).toBe(2);
    for (const lock of locks) await lock!.release();
    expect(process1.locks.size()).toBe(0);
    expect((await holders(keys)).size).toBe(0);
  });

  it('refuses a second taker of a key in the same process, at once or concurrently; released once, it is free for another process', async () => {
    const process1 = db.another(2);
    const process2 = db.another(2);
    const [a, b] = await Promise.all([process1.locks.tryLock('920001'), process1.locks.tryLock('920001')]);
    expect([a, b].filter((l) => l !== undefined)).toHaveLength(1);
    const lock = (a ?? b)!;
    expect(await process1.locks.tryLock('920001')).toBeUndefined();
    expect(await process2.locks.tryLock('920001')).toBeUndefined();
    expect(await lock.held()).toBe(true);
    await lock.release();
    await lock.release(); // twice is harmless
    expect(await lock.held()).toBe(false);
    // One release freed it on the server: the session never took it twice.
    const other = await process2.locks.tryLock('920001');
    expect(other).toBeDefined();
    expect(await process1.locks.tryLock('920001')).toBeUndefined();
    await other!.release();
    const again = await process1.locks.tryLock('920001');
    expect(again).toBeDefined();
    await again!.release();
    expect((await holders(['920001'])).size).toBe(0);
  });

  it('tells every holder when its session dies, and opens a new one for the next tries', async () => {
    const memory = memoryLog();
    const locks = lockConnection(db.url, { log: memory.log });
    const other = db.another(2);
    try {
      const keys = ids(930_000, 3);
      const taken = await Promise.all(keys.map((id) => locks.tryLock(id)));
      const [pid] = [...(await holders(keys)).values()][0]!;
      await db.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor('the loss is noticed', () => memory.lines.some((l) => l.level === 'warn'));
      expect(await Promise.all(taken.map((l) => l!.held()))).toEqual([false, false, false]);
      expect(memory.lines.filter((l) => l.level === 'warn')).toMatchObject([{ details: { locks: 3 } }]);
      expect(locks.size()).toBe(0);
      // The server freed them: another process takes one; this one takes the others on a new session.
      const elsewhere = await other.locks.tryLock(keys[0]!);
      expect(elsewhere).toBeDefined();
      expect(await locks.tryLock(keys[0]!)).toBeUndefined();
      const retaken = await locks.tryLock(keys[1]!);
      expect(retaken).toBeDefined();
      expect(await retaken!.held()).toBe(true);
      expect((await holders([keys[1]!])).get(keys[1]!)).not.toEqual([pid]);
      // A lost holder's release does not touch the new session's lock of another key.
      await taken[1]!.release();
      expect(await retaken!.held()).toBe(true);
      await retaken!.release();
      await elsewhere!.release();
    } finally {
      await locks.close();
    }
  });

  it('close() ends the session: holders learn it, the server frees the locks, later tries throw', async () => {
    const locks = lockConnection(db.url, { log: memoryLog().log });
    const lock = await locks.tryLock('940001');
    expect((await holders(['940001'])).size).toBe(1);
    await locks.close();
    await locks.close();
    expect(await lock!.held()).toBe(false);
    await lock!.release();
    await waitFor('the server frees the lock', async () => (await holders(['940001'])).size === 0);
    await expect(locks.tryLock('940002')).rejects.toThrow(/closed/);
  });

  it('throws when the database cannot be reached, and stays usable for the next try', async () => {
    const url = new URL(db.url);
    url.port = '1'; // nothing listens on port 1 of the loopback
    const locks = lockConnection(url.toString(), { log: memoryLog().log, timeoutMs: 2_000 });
    await expect(locks.tryLock('950001')).rejects.toThrow();
    expect(locks.size()).toBe(0);
    await expect(locks.tryLock('950001')).rejects.toThrow();
    await locks.close();
  });
});
