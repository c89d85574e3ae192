// The embedded server itself (always, whatever DATABASE_URL says): start, restart on the same folder,
// a stale postmaster.pid, a server orphaned by a killed process, openDatabase's fallback, and a pool
// that outlives its server going away.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { startEmbeddedPostgres, stopOrphanedServer, type EmbeddedServer } from '../../src/store/embedded.js';
import { silentLogger, type Logger } from '../../src/logging/logger.js';
import { schemaVersion, latestVersion } from '../../src/store/migrations.js';

let root: string;
const started: EmbeddedServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edi-embedded-test-'));
  await chmod(root, 0o755); // the server runs as `postgres` when we are root
});

afterAll(async () => {
  for (const server of started) await server.stop().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function start(dataDir: string, options: { port?: number; log?: Logger } = {}): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true, ...options });
  started.push(server);
  return server;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A PID that surely belongs to no process: one that just exited. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('embedded PostgreSQL', () => {
  it('starts on a free port, stops, and restarts on the same folder without re-initializing', async () => {
    const t0 = Date.now();
    const dataDir = join(root, 'restart', 'pg');
    const first = await start(dataDir);
    expect(first.port).not.toBe(5432);
    expect(first.owned).toBe(true);
    expect(first.connectionString).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    await query(first.connectionString, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'still here\')');
    await first.stop();
    await expect(query(first.connectionString, 'SELECT 1')).rejects.toThrow();
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await start(dataDir);
    expect(await query(second.connectionString, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    expect(second.port).toBe(first.port); // the last port, when still free
    await second.stop();
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('starts over a stale postmaster.pid whose PID now belongs to another process', async () => {
    const dataDir = join(root, 'stale', 'pg');
    const server = await start(dataDir);
    const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
    await server.stop();
    // As if the machine restarted and our own PID took the old postmaster's number.
    await writeFile(join(dataDir, 'postmaster.pid'), pidFile.replace(/^\d+/, String(process.pid)));
    const again = await start(dataDir);
    expect(await query(again.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await again.stop();
  });

  it('adopts a server left running by a killed process, and only joins one whose process is alive', async () => {
    const dataDir = join(root, 'orphan', 'pg');
    const original = await start(dataDir);

    // Another live process owns it: join without taking it over.
    await writeFile(join(dataDir, 'edi-owner.pid'), `${process.ppid}\n`);
    const joined = await start(dataDir);
    expect(joined).toMatchObject({ port: original.port, owned: false });
    await joined.stop();
    expect(await query(original.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    expect(await stopOrphanedServer(dataDir)).toBe(false);

    // Its starter was killed (SIGKILL leaves the postmaster running): take it over, and stop it when done.
    await writeFile(join(dataDir, 'edi-owner.pid'), `${deadPid()}\n`);
    const adopted = await start(dataDir);
    expect(adopted).toMatchObject({ port: original.port, owned: true });
    expect(await query(adopted.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    await adopted.stop();
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    await expect(query(original.connectionString, 'SELECT 1')).rejects.toThrow();
  });

  it('is what openDatabase uses without DATABASE_URL: migrated, and stopped by close()', async () => {
    vi.stubEnv('DATABASE_URL', '');
    try {
      const dataDir = join(root, 'open', 'pg');
      const db = await openDatabase({ dataDir, schema: 'gateway', ephemeral: true });
      expect(db.embedded?.owned).toBe(true);
      expect(await schemaVersion(db, 'gateway')).toBe(latestVersion());
      await db.close();
      await db.close(); // twice is fine
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps a pool alive while its server goes away, and serves again when it returns on the same port', async () => {
    const dataDir = join(root, 'outage', 'pg');
    const warnings: string[] = [];
    const log: Logger = { ...silentLogger, warn: (_d, m) => void warnings.push(m ?? ''), error: (_d, m) => void warnings.push(m ?? '') };
    const server = await start(dataDir);
    const db = await openDatabase({ databaseUrl: server.connectionString, schema: 'edi', log });
    try {
      expect((await db.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await server.stop();
      await expect(db.query('SELECT 1')).rejects.toThrow();
      expect(warnings.some((w) => /connection lost/.test(w))).toBe(true);

      const back = await start(dataDir, { port: server.port });
      expect((await db.query('SELECT 2 AS ok')).rows).toEqual([{ ok: 2 }]);
      await back.stop();
    } finally {
      await db.close();
    }
  });
});
