// Scenario 6: the embedded PostgreSQL killed and started again. A real `edi start` (child process, no
// DATABASE_URL: its own embedded server in its data folder) takes files from its drop folder while its
// postmaster is SIGKILLed at random (seeded) moments; the gateway starts the server again on the same
// port (src/store/embedded.ts) and carries on. A gateway that gives up (exit 70) is started again and
// counted. After the last restart every file must be stored once and every transaction posted once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, chmodSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { burst } from '../../bench/pipeline-files.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createPool, databaseOf, type Database } from '../../src/store/database.js';
import { seeded } from '../../test/support/gateway-children.js';
import { recovered, seconds, storedCounts, tallyRecording, until, type ProofContext } from '../harness.js';
import { someKeys, type ProofResult } from '../tally.js';

const root = join(import.meta.dirname, '..', '..');

interface EdiStart {
  process: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** `edi start` on `dataDir` with its embedded server; resolves once it says it runs. */
async function startEdi(dataDir: string, partners: string): Promise<EdiStart> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', HTTP_PORT: '0' };
  for (const name of ['ODOO_URL', 'PARTNERS_DIR', 'EDI_SCHEMA']) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/edi.ts', 'start', '--data-dir', dataDir, '--partners', partners, '--no-samples', '--interval', '0.5'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (t: string) => void output.push(t));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let gone = false;
  void exited.then(() => (gone = true));
  await until(() => gone || /gateway running/.test(output.join('')), 120_000, 100);
  if (!/gateway running/.test(output.join(''))) {
    child.kill('SIGKILL');
    throw new Error(`edi start did not run: ${output.join('').slice(-2000)}`);
  }
  return { process: child, output, exited };
}

async function stopEdi(edi: EdiStart): Promise<number | null> {
  if (edi.process.exitCode !== null || edi.process.signalCode !== null) return edi.process.exitCode;
  edi.process.kill('SIGTERM');
  const timer = setTimeout(() => edi.process.kill('SIGKILL'), 40_000);
  try {
    return await edi.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The URL of the gateway's embedded server, from the credentials file it keeps in the data folder
 * (src/store/embedded.ts; the port stays the same when the server is started again).
 */
function serverUrl(pgDir: string): string {
  const { password, port } = JSON.parse(readFileSync(join(pgDir, 'edi-embedded.json'), 'utf8')) as { password: string; port: number };
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** The server takes connections (a started postmaster is still in crash recovery for a while). */
async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Entries in a folder (0 before it exists). */
function entries(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).length : 0;
}

/** The postmaster's pid from postmaster.pid, when the file is there and that process lives. */
function livePostmaster(pgDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function embeddedKillScenario(ctx: ProofContext): Promise<ProofResult> {
  const full = ctx.size === 'full';
  const FILES = full ? 100 : 12;
  const SETS = 5;
  const KILLS = full ? 10 : 2;
  const random = seeded(ctx.seed + 6);
  const dir = mkdtempSync(join(tmpdir(), 'edi-proof-embedded-'));
  chmodSync(dir, 0o755); // the server runs as `postgres` when we are root
  const dataDir = join(dir, 'data');
  const pgDir = join(dataDir, 'postgres');
  const partners = join(dir, 'partners');
  mkdirSync(partners, { recursive: true });
  const inbox = join(dataDir, 'inbox', 'sample');
  const archive = join(dataDir, 'archive', 'sample');
  let edi: EdiStart | undefined;
  let db: Database | undefined;
  let gatewayRestarts = 0;
  const exits: Array<number | null> = [];
  const log: string[] = [];
  try {
    edi = await startEdi(dataDir, partners);
    mkdirSync(inbox, { recursive: true });
    const files = burst(FILES, SETS, { sender: 'PROOFPG' });
    const expected = files.flatMap((f) => f.poNumbers);
    // A gateway that gave up on its server (exit 70) is a finding too: it is started again and counted.
    const keepAlive = async () => {
      if (edi && (edi.process.exitCode !== null || edi.process.signalCode !== null)) {
        exits.push(edi.process.exitCode);
        log.push(...edi.output);
        gatewayRestarts++;
        edi = await startEdi(dataDir, partners);
      }
    };
    const url = serverUrl(pgDir);
    // Waves of files, a kill of the postmaster at a random moment in each; the next wave once the
    // server takes connections again (kills during its crash recovery are another fault: docs/reliability.md).
    const waves = KILLS + 1;
    let killedMidFlight = 0;
    let backAt = Date.now();
    let slowestRestartMs = 0;
    for (let w = 0; w < waves; w++) {
      for (const f of files.slice(Math.floor((w * FILES) / waves), Math.floor(((w + 1) * FILES) / waves))) writeFileSync(join(inbox, f.name), f.bytes);
      if (w === waves - 1) break;
      await sleep(300 + Math.floor(random() * 1500));
      const pid = livePostmaster(pgDir);
      if (pid === undefined) throw new Error('no live postmaster to kill');
      if (entries(inbox) > 0 || entries(archive) < Math.floor(((w + 1) * FILES) / waves)) killedMidFlight++;
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      const back = await until(async () => {
        await keepAlive();
        const next = livePostmaster(pgDir);
        return next !== undefined && next !== pid && (await accepts(url));
      }, 60_000, 100);
      if (!back) throw new Error(`the embedded PostgreSQL did not run again within 60 s after kill ${w + 1}`);
      backAt = Date.now();
      slowestRestartMs = Math.max(slowestRestartMs, backAt - killedAt);
    }
    // Counted on the gateway's own server, in its schema.
    db = databaseOf(createPool(url, 2, silentLogger), url, 'edi');
    let recoverSeconds: number | null = null;
    while (recoverSeconds === null && Date.now() - backAt < (full ? 180_000 : 60_000)) {
      await keepAlive();
      recoverSeconds = await recovered(db, expected, backAt, 3_000);
    }
    // Accounted for also in the folders: every file taken from the inbox and archived.
    if (recoverSeconds !== null) {
      const tidy = await until(() => entries(inbox) === 0 && entries(archive) >= FILES, 60_000, 100);
      recoverSeconds = tidy ? Math.max(recoverSeconds, (Date.now() - backAt) / 1000) : null;
    }
    const t = await tallyRecording(db, expected);
    const stored = await storedCounts(db);
    const archived = entries(archive);
    const last = edi;
    edi = undefined;
    exits.push(await stopEdi(last));
    const text = [...log, ...last.output].join('');
    const errors = (text.match(/\bERROR\b/g) ?? []).length;
    const logFile = join(tmpdir(), `edi-proof-embedded-${ctx.seed}.log`);
    const findings = recoverSeconds === null || t.lost > 0 || t.duplicated > 0 || gatewayRestarts > 0;
    if (findings) writeFileSync(logFile, text);
    return {
      scenario: `embedded PostgreSQL kill -9 x${KILLS}`,
      files: FILES,
      transactions: expected.length,
      lost: t.lost,
      duplicated: t.duplicated,
      recoverSeconds,
      notes:
        `edi start, drop folder; ${killedMidFlight} of ${KILLS} kills with files not yet taken; server taking connections again after each kill within ${seconds(slowestRestartMs)} s, gateway restarts ${gatewayRestarts}; ` +
        `${errors} error lines; files stored ${stored.files} (not split ${stored.unsplit}), archived ${archived}; documents ${JSON.stringify(stored.byState)}; exit ${exits.join(',')}` +
        `${t.lost ? `; lost ${someKeys(t.lostKeys)}` : ''}${t.duplicated ? `; twice ${someKeys(t.duplicatedKeys)}` : ''}${findings ? `; log ${logFile}` : ''}`,
    };
  } finally {
    await db?.close();
    if (edi) await stopEdi(edi);
    await rm(dir, { recursive: true, force: true });
  }
}
