// The embedded server after a kill -9 (issue 10, finding 3): a restart must start over what the
// killed run left (a zombie postmaster, its socket lock file), and `edi start` must exit 70 with the
// reason when the server truly cannot start, never 0.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/store/embedded.js';

const repo = join(import.meta.dirname, '..', '..');
let root: string;
const started: EmbeddedServer[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edi-embedded-recovery-'));
  await chmod(root, 0o755); // the server runs as `postgres` when we are root
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const server of started) await server.stop().catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function queryOk(url: string): Promise<unknown> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS ok')).rows;
  } finally {
    await client.end();
  }
}

function processState(pid: number): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/.exec(spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** A server started by a child process, whose postmaster was then killed while the child was stopped. */
async function zombieLeftovers(dataDir: string): Promise<{ holder: ChildProcess; postmaster: number }> {
  const holder = spawn(process.execPath, ['--import', 'tsx', join(repo, 'test', 'support', 'hold-embedded.ts'), dataDir], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(holder);
  let out = '';
  holder.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 40_000;
  while (!/ready \d+/.test(out) && Date.now() < deadline) await sleep(50);
  expect(out).toMatch(/ready \d+/);
  const postmaster = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  holder.kill('SIGSTOP'); // its parent does not reap it: the killed postmaster stays a zombie
  process.kill(postmaster, 'SIGKILL');
  while (processState(postmaster) !== 'Z' && Date.now() < deadline) await sleep(20);
  return { holder, postmaster };
}

describe('embedded PostgreSQL after a kill -9', () => {
  it('starts 0.5 s after the kill over a zombie postmaster and its socket lock file, 3 times out of 3', { timeout: 120_000 }, async () => {
    for (let round = 1; round <= 3; round++) {
      const dataDir = join(root, `zombie-${round}`, 'pg');
      const { holder, postmaster } = await zombieLeftovers(dataDir);
      expect(processState(postmaster)).toBe('Z');
      expect((await readdir(dataDir)).filter((n) => /^\.s\.PGSQL\.\d+\.lock$/.test(n))).toHaveLength(1);
      await sleep(500);
      const t0 = Date.now();
      const server = await startEmbeddedPostgres({ dataDir, ephemeral: true, startTimeoutMs: 20_000 });
      started.push(server);
      expect(await queryOk(server.connectionString)).toEqual([{ ok: 1 }]);
      expect(Date.now() - t0).toBeLessThan(15_000);
      await server.stop();
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
  });

  it('edi start exits 70 with the reason when the embedded server cannot start, and 0 only after a clean run', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'unusable');
    // A cluster folder that is not one PostgreSQL can run: the server process exits at once.
    await mkdir(join(dataDir, 'postgres'), { recursive: true });
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
    const env: NodeJS.ProcessEnv = { ...process.env, HTTP_PORT: '0' };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src', 'cli', 'edi.ts'), 'start', '--data-dir', dataDir, '--no-samples', '--once'], {
      cwd: repo,
      env,
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(run.status).toBe(70);
    expect(run.stderr).toMatch(/embedded PostgreSQL failed to start/);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
