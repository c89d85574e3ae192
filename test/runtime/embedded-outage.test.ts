// A running gateway whose embedded PostgreSQL dies (issue 10, finding 5): it starts the server again
// on the same port (bounded tries with backoff) and carries on, logging a bounded number of lines
// while the server is away; when the server cannot be started again, `edi start` exits 70 with why.
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { burstFile } from '../../bench/pipeline-files.js';
import type { Output } from '../../src/cli/commands/inspect.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edi-embedded-outage-'));
  await chmod(root, 0o755); // the server runs as `postgres` when we are root
  vi.stubEnv('DATABASE_URL', ''); // the embedded server, whatever the run uses
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

interface Line {
  at: number;
  text: string;
}

/** `edi start` (continuous) on a data folder of its own, its log lines timed. */
async function runGateway(name: string, restartEmbedded: { tries: number; firstDelayMs: number }) {
  const dataDir = join(root, name);
  const partners = join(dataDir, 'no-partners');
  mkdirSync(partners, { recursive: true });
  const lines: Line[] = [];
  const stderr: string[] = [];
  const io: Output = { out: () => undefined, err: (t) => void stderr.push(t) };
  const log = cliLogger({ level: 'info', format: 'pretty', write: (l) => void lines.push({ at: Date.now(), text: l }) });
  const controller = new AbortController();
  let http = '';
  const exit = startCommand(
    { dataDir, interval: '0.2', samples: false, partners },
    { io, log, signal: controller.signal, env: { ...process.env, DATABASE_URL: '', HTTP_PORT: '0' }, restartEmbedded, onStarted: (r) => (http = r.http?.url ?? '') },
  );
  const text = () => lines.map((l) => l.text).join('');
  await until(() => /gateway running/.test(text()), 60_000);
  const postmaster = async () => Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const ready = async () => {
    const response = await fetch(`${http}/readyz`);
    return { status: response.status, body: await response.text() };
  };
  return { dataDir, lines, stderr, text, exit, stop: () => controller.abort(), postmaster, ready };
}

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(50);
}

describe('the embedded PostgreSQL dies under a running gateway', () => {
  it('is started again on the same port; a file dropped meanwhile ends posted; the log stays short while it is down', { timeout: 120_000 }, async () => {
    const gw = await runGateway('recovers', { tries: 6, firstDelayMs: 1000 });
    let code: number | undefined;
    void gw.exit.then((c) => (code = c));
    try {
      const pgVersion = join(gw.dataDir, 'postgres', 'PG_VERSION');
      const pid = await gw.postmaster();
      // Keep the server down for a while: with PG_VERSION away it cannot start (the first tries fail).
      await rename(pgVersion, `${pgVersion}.away`);
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await sleep(300);
      mkdirSync(join(gw.dataDir, 'inbox', 'sample'), { recursive: true });
      await writeFile(join(gw.dataDir, 'inbox', 'sample', 'during-outage.edi'), burstFile(515151, 2, { sender: 'OUTAGE' }).bytes);
      await sleep(3_000);
      const whileDown = await gw.ready();
      expect(whileDown.status).toBe(503);
      expect(whileDown.body).toMatch(/does not answer/);
      await sleep(3_000);
      await rename(`${pgVersion}.away`, pgVersion);
      await until(() => /runs again/.test(gw.text()), 30_000);
      const backAt = gw.lines.find((l) => /runs again/.test(l.text))?.at;
      expect(backAt).toBeDefined();
      expect(await gw.postmaster()).not.toBe(pid);
      await until(() => (gw.text().match(/-> posted .*file=during-outage\.edi/g) ?? []).length === 2, 30_000);
      expect((gw.text().match(/-> posted .*file=during-outage\.edi/g) ?? []).length).toBe(2);

      const down = gw.lines.filter((l) => l.at >= killedAt && l.at <= backAt!);
      const seconds = (backAt! - killedAt) / 1000;
      expect(seconds).toBeGreaterThan(5);
      // A handful of lines per distinct trouble, not one per loop per tick.
      expect(down.length / seconds).toBeLessThan(5);
      expect(code).toBeUndefined(); // still running
      expect((await gw.ready()).status).toBe(200);
    } finally {
      gw.stop();
    }
    expect(await gw.exit).toBe(0);
  });

  it('exits 70 with the reason when the server cannot be started again', { timeout: 90_000 }, async () => {
    const gw = await runGateway('gives-up', { tries: 3, firstDelayMs: 200 });
    try {
      const pid = await gw.postmaster();
      await rename(join(gw.dataDir, 'postgres', 'PG_VERSION'), join(gw.dataDir, 'postgres', 'PG_VERSION.away'));
      process.kill(pid, 'SIGKILL');
      const code = await Promise.race([gw.exit, sleep(60_000).then(() => 'still running')]);
      expect(code).toBe(70);
      expect(gw.stderr.join('\n')).toMatch(/died and did not start again after 3 tries/);
    } finally {
      gw.stop();
    }
  });
});
