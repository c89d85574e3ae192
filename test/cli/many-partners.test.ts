// `edi start` as a real process with dozens of partners: 60 folder partners and 10 SFTP partners
// (a test server on 127.0.0.1), a file in each mailbox, on DATABASE_URL with the default pool.
// Every watched folder holds its advisory lock for as long as it watches, every SFTP poll for its
// poll: those locks must not take the connections the work needs. --once ends with everything
// posted; a continuous run ends on SIGTERM within a bounded time.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, x12 } from '../jobs/support.js';
import { folderYaml, GATEWAY_YAML, partnersFolder } from '../partners/support.js';
import { useTestDatabase } from '../support/db.js';
import { expectEachPostedOnce, waitForAllPosted } from '../support/gateway-children.js';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const cli = [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'edi.ts')];
const codes = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);
const folderCodes = codes('f', 60);
const sftpCodes = codes('s', 10);
const ALL = folderCodes.length + sftpCodes.length;

let server: TestSftpServer;
let dataDir: string;
let partnersDir: { dir: string; remove(): Promise<void> };

const sftpYaml = (code: string) => `
identity: { isa: { qualifier: ZZ, id: ${code.toUpperCase()} }, gs: ${code.toUpperCase()} }
documents: { inbound: ['850'] }
transport:
  type: sftp
  host: 127.0.0.1
  port: ${server.port}
  username: ${server.username}
  hostKey: '${server.fingerprint}'
  password: { env: EDI_TEST_SFTP_PASSWORD }
  inbound: { folder: /${code}/outbox, pollSeconds: 1, stableSeconds: 0 }
  outbound: { folder: /${code}/inbox }
`;

beforeAll(async () => {
  server = await startSftpServer({ folders: sftpCodes.flatMap((c) => [`/${c}/outbox`, `/${c}/inbox`]) });
  dataDir = mkdtempSync(join(tmpdir(), 'edi-many-partners-'));
  const files: Record<string, string> = { '_gateway.yaml': GATEWAY_YAML };
  for (const code of folderCodes) {
    files[`${code}.yaml`] = folderYaml(code.toUpperCase(), code).replace(`{ folder: ${code}/in }`, `{ folder: ${code}/in, stableSeconds: 0.2 }`);
    mkdirSync(join(dataDir, code, 'in'), { recursive: true });
  }
  for (const code of sftpCodes) files[`${code}.yaml`] = sftpYaml(code);
  partnersDir = await partnersFolder(files);
});

afterAll(async () => {
  await server?.close();
  await partnersDir?.remove();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let dropped = 0;

/** One 850 from each partner into its mailbox; `round` keeps the interchange control numbers unique. */
async function dropOneFileEach(round: number): Promise<void> {
  dropped += ALL;
  const file = (code: string, n: number) => bytes(x12({ control: round * 100 + n, sender: code.toUpperCase() }));
  folderCodes.forEach((code, i) => writeFileSync(join(dataDir, code, 'in', `po-${round}.edi`), file(code, i + 1)));
  for (const [i, code] of sftpCodes.entries()) await server.put(`/${code}/outbox/po-${round}.edi`, file(code, 60 + i + 1));
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr: log lines and the --once summary. */
  output(): string;
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** `edi start` in a child process, SIGKILLed after `limitMs` so that a hang fails the test instead of stalling it. */
function startGateway(args: string[], limitMs: number, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [...cli, 'start', '--no-samples', '--data-dir', dataDir, '--partners', partnersDir.dir, '--schema', db.schema, ...args], {
    cwd: root,
    // HTTP_PORT 0: any free port of the loopback, never one another run uses.
    env: { ...process.env, DATABASE_URL: db.url, EDI_TEST_SFTP_PASSWORD: server.password, LOG_LEVEL: 'info', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (text += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (text += t));
  const limit = setTimeout(() => {
    text += `\n[test] still running after ${limitMs} ms: SIGKILL\n`;
    child.kill('SIGKILL');
  }, limitMs);
  const run: Run = {
    code: null,
    signal: null,
    output: () => text,
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        clearTimeout(limit);
        run.code = code;
        run.signal = signal;
        resolve();
      }),
    ),
    kill: (signal) => void child.kill(signal),
  };
  return run;
}

/** What the gateway said when its locks took the pool's connections. */
const POOL_TROUBLE = /timeout exceeded when trying to connect|no free connection|nothing was stored|cannot take the folder lock/;

/** The end of a child's output, for a failing assertion's message. */
const tail = (run: Run) => run.output().split('\n').slice(-40).join('\n');

describe('edi start with 60 folder partners and 10 SFTP partners in one process', () => {
  it('--once takes the file of every mailbox to posted and ends', { timeout: 60_000 }, async () => {
    await dropOneFileEach(1);
    const started = Date.now();
    const run = startGateway(['--once', '--timeout', '40'], 50_000);
    await run.exited;
    const seconds = (Date.now() - started) / 1000;
    expect(run.signal, tail(run)).toBeNull();
    expect(run.code, tail(run)).toBe(0);
    expect(run.output()).toContain(`${ALL} file(s) taken`);
    expect(run.output()).toMatch(new RegExp(`^posted\\s+${ALL}$`, 'm'));
    expect(run.output()).not.toMatch(POOL_TROUBLE);
    await expectEachPostedOnce(db, dropped, dropped);
    for (const code of folderCodes) expect(readdirSync(join(dataDir, code, 'in')), code).toEqual(['archive']);
    for (const code of sftpCodes) expect(await server.ls(`/${code}/outbox`), code).toEqual(['archive']);
    console.log(`edi start --once, ${ALL} partners: ${seconds.toFixed(1)} s`);
  });

  it('a continuous run posts a second file of every mailbox and ends on SIGTERM', { timeout: 60_000 }, async () => {
    await dropOneFileEach(2);
    // A pool far smaller than the number of partners: the locks are not on it.
    const run = startGateway(['--interval', '0.5'], 50_000, { DATABASE_POOL_SIZE: '4' });
    const counts = await waitForAllPosted(db, dropped, 35_000);
    const asked = Date.now();
    run.kill('SIGTERM');
    await run.exited;
    const stopMs = Date.now() - asked;
    // One assertion: a failure shows what was posted and how the process ended.
    expect({ byState: counts.byState, code: run.code, signal: run.signal, stopMs }, tail(run)).toEqual({
      byState: { posted: dropped }, code: 0, signal: null, stopMs: expect.toSatisfy((ms: number) => ms < 15_000),
    });
    expect(run.output()).toContain('gateway stopped');
    expect(run.output()).not.toMatch(POOL_TROUBLE);
    await expectEachPostedOnce(db, dropped, dropped);
    console.log(`edi start, ${ALL} partners: stopped ${stopMs} ms after SIGTERM`);
  });
});
