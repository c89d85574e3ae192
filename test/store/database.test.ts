// The pool's size from DATABASE_POOL_SIZE, and a pool that cannot serve: each waiting caller fails
// with STORE_POOL_EXHAUSTED, and one log line (at most one per period) names the cause.
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors/failure.js';
import { createPool, DEFAULT_POOL_SIZE, openDatabase, poolSizeOf } from '../../src/store/database.js';
import { useTestDatabase } from '../support/db.js';
import { memoryLog } from '../transports/folder/support.js';

const db = useTestDatabase({ migrate: false });
const saved = process.env.DATABASE_POOL_SIZE;
afterEach(() => {
  if (saved === undefined) delete process.env.DATABASE_POOL_SIZE;
  else process.env.DATABASE_POOL_SIZE = saved;
});

describe('DATABASE_POOL_SIZE', () => {
  it('sizes the pool; unset or empty gives the default', async () => {
    expect(poolSizeOf(undefined)).toBe(DEFAULT_POOL_SIZE);
    expect(poolSizeOf(' ')).toBe(DEFAULT_POOL_SIZE);
    expect(poolSizeOf('2')).toBe(2);
    expect(poolSizeOf('250')).toBe(250);
    process.env.DATABASE_POOL_SIZE = '3';
    const opened = await openDatabase({ databaseUrl: db.url, schema: db.schema, migrate: false });
    try {
      expect(opened.pool.options.max).toBe(3);
    } finally {
      await opened.close();
    }
  });

  it('refuses a value that is not a whole number from 2 to 1000, naming the setting, before connecting', async () => {
    for (const bad of ['0', '1', '-4', '2.5', 'ten', '1001', '10 connections']) {
      let error: unknown;
      try {
        poolSizeOf(bad);
      } catch (e) {
        error = e;
      }
      expect(isGatewayError(error) && error.code, bad).toBe('RUNTIME_CONFIG_INVALID');
      expect((error as Error).message).toBe(`DATABASE_POOL_SIZE takes a whole number of database connections from 2 to 1000 (default 10), not ${JSON.stringify(bad)}`);
    }
    process.env.DATABASE_POOL_SIZE = 'lots';
    // Port 1: had it tried to connect, the error would be another one.
    await expect(openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', migrate: false })).rejects.toThrow(/DATABASE_POOL_SIZE takes a whole number/);
  });
});

describe('an exhausted pool', () => {
  it('fails each waiting caller with STORE_POOL_EXHAUSTED and logs the cause once per period', { timeout: 15_000 }, async () => {
    const memory = memoryLog();
    const pool = createPool(db.url, 2, memory.log, { acquireTimeoutMs: 300, reportEveryMs: 1_500 });
    try {
      const held = [await pool.connect(), await pool.connect()];
      const waits = await Promise.allSettled([pool.query('SELECT 1'), pool.query('SELECT 2'), pool.connect(), pool.query('SELECT 3')]);
      expect(waits.map((w) => w.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      for (const w of waits) {
        const error = (w as PromiseRejectedResult).reason as Error;
        expect(isGatewayError(error) && error.code).toBe('STORE_POOL_EXHAUSTED');
        expect(error.message).toMatch(/^the database pool \(2 connections\) had no free connection for 0\.3 s: 2 in use, [0-3] waiting; raise DATABASE_POOL_SIZE/);
      }
      const errors = () => memory.lines.filter((l) => l.level === 'error');
      expect(errors()).toHaveLength(1);
      expect(errors()[0]!.details).toMatchObject({ code: 'STORE_POOL_EXHAUSTED', poolSize: 2, inUse: 2 });

      // After the period, the next timeout is reported with how many went unreported meanwhile.
      await new Promise((r) => setTimeout(r, 1_600));
      await expect(pool.query('SELECT 4')).rejects.toThrow(/no free connection/);
      expect(errors()).toHaveLength(2);
      expect(errors()[1]!.details).toMatchObject({ code: 'STORE_POOL_EXHAUSTED', timedOutSinceLastReport: 3 });

      // Connections back: the pool serves again.
      for (const c of held) c.release();
      expect((await pool.query<{ n: number }>('SELECT 5 AS n')).rows[0]!.n).toBe(5);
    } finally {
      await pool.end();
    }
  });
});
