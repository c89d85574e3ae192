// vitest globalSetup: one PostgreSQL for the whole test run. DATABASE_URL when set (e.g. the machine's
// server), else an embedded server in a temporary folder, stopped and removed after the run.
// Test files reach it through inject('databaseUrl'); test/support/db.ts gives each file its own schema.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, stopOrphanedServer } from '../../src/store/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const PREFIX = 'edi-test-pg-';
const RUNNER_FILE = 'runner.pid';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.DATABASE_URL;
  if (url) {
    project.provide('databaseUrl', url);
    return undefined;
  }
  await removeAbandonedRuns();
  const dir = await mkdtemp(join(tmpdir(), PREFIX));
  await writeFile(join(dir, RUNNER_FILE), `${process.pid}\n`);
  // The server runs as `postgres` when we are root: it must be able to enter this folder.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    ephemeral: true,
    // Test files run in parallel, some with several pools (pipeline workers, scale-out tests).
    settings: { max_connections: '300' },
  });
  project.provide('databaseUrl', server.connectionString);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

// A run killed before its teardown leaves its server and folder behind: clean those whose runner is gone.
async function removeAbandonedRuns(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const text = await readFile(join(dir, RUNNER_FILE), 'utf8').catch(() => undefined);
    // No runner file yet: another run may be between mkdtemp and writing it.
    if (text === undefined && Date.now() - (await stat(dir)).mtimeMs < 60_000) continue;
    const runner = Number(text?.trim());
    if (Number.isInteger(runner) && runner > 0 && isAlive(runner)) continue;
    if (existsSync(join(dir, 'data'))) await stopOrphanedServer(join(dir, 'data')).catch(() => false);
    await rm(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
