// `edi start` as a user runs it, in a child process: it serves /healthz and /readyz on a real
// socket, stops on SIGTERM sent to `npm start`'s own process (npm, not the gateway), and a file in
// flight at SIGTERM ends posted, once, after the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { documentTimeline, listDocuments } from '../../src/store/index.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { FRESHMART_850, FRESHMART_PO, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
/** The PO of the order the cut-short test sends (FreshMart's sample 850 under another BEG03). */
const CUT_SHORT_PO = 'FM-4500199';
const children: ChildProcess[] = [];
let double: OdooDouble;
let client: OdooClient;

beforeAll(async () => {
  double = await startOdooDouble({ version: 19 });
  client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
  await seedFreshmart(client);
});
afterAll(() => double?.close());
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let text = '';
  const waiters = new Set<() => void>();
  const take = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, ms = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          if (!m) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} within ${ms} ms; output:\n${text}`));
        }, ms);
        waiters.add(check);
        check();
      }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('edi start in a process', () => {
  it('serves /healthz and /readyz, and SIGTERM to npm start stops the gateway itself', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edi-npm-start-'));
    const npm = run('npm', ['start', '--', '--data-dir', dataDir, '--no-samples', '--schema', db.schema, '--partners', join(dataDir, 'none')], {
      DATABASE_URL: db.url, HTTP_PORT: '0', LOG_FORMAT: 'pretty',
    });
    const [, url] = await npm.waitFor(/gateway running.* http=(http:\/\/127\.0\.0\.1:\d+)/, 60_000);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const { status, pid } = (await health.json()) as { status: string; pid: number };
    expect(status).toBe('ok');
    // The gateway is its own process below npm.
    expect(pid).not.toBe(npm.child.pid);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { gateway: 'ok', database: 'ok', workers: 'ok', 'posting target': 'ok' } });

    npm.child.kill('SIGTERM');
    await until(() => !alive(pid), 30_000, 'the gateway process to end');
    await npm.exited;
    expect(npm.output()).toMatch(/gateway stopped/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('a file in flight at SIGTERM is posted by the stop, and the next start posts nothing again', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edi-stop-in-flight-'));
    const partners = writeFreshmartPartners(dataDir);
    const env = { DATABASE_URL: db.url, ODOO_URL: double.url, ODOO_DB: double.dbName, ODOO_USERNAME: double.login, ODOO_API_KEY: double.apiKey };
    // Each Odoo call takes 400 ms: the posting is still running when SIGTERM arrives.
    double.faults.slow(400);
    const gateway = run(process.execPath, ['--import', 'tsx', 'src/cli/edi.ts', 'start', '--data-dir', dataDir, '--no-samples', '--schema', db.schema, '--partners', partners, '--verbose'], { ...env, HTTP_PORT: '0' });
    await gateway.waitFor(/gateway running/, 60_000);
    copyFileSync(join(root, FRESHMART_850), join(dataDir, 'in', 'freshmart', 'po.edi'));
    const callsBefore = double.calls.length;
    // In flight: the file is stored and Odoo has been called for it.
    await until(async () => (await listDocuments(db, { limit: 5 })).items.length > 0 && double.calls.length > callsBefore, 30_000, 'the posting to start');
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toMatch(/gateway stopped/);
    // A graceful stop lets the posting in hand finish.
    expect((await listDocuments(db, { limit: 5 })).items.map((d) => d.state)).toEqual(['posted']);

    double.faults.slow(0);
    const lines: string[] = [];
    const io: Output & { stderr: string[] } = { stderr: [], out: () => undefined, err: (t) => void io.stderr.push(t) };
    const code = await startCommand(
      { dataDir, once: true, samples: false, partners, interval: '0.2' },
      { io, log: cliLogger({ level: 'info', write: (l) => void lines.push(l) }), db, env },
    );
    expect(code, lines.join('') + io.stderr.join('\n')).toBe(0);

    const orders = await client.searchRead('sale.order', [['client_order_ref', '=', FRESHMART_PO]], { fields: ['state'] });
    expect(orders).toHaveLength(1);
    const [doc, ...others] = (await listDocuments(db, { limit: 5 })).items;
    expect(others).toEqual([]);
    expect(doc!.state).toBe('posted');
    const postedEvents = (await documentTimeline(db, doc!.id)).filter((e) => e.toState === 'posted');
    expect(postedEvents).toHaveLength(1);
  });

  it('a stop cut short by STOP_TIMEOUT_SECONDS ends the process at once; the next start posts the document, once', { timeout: 120_000 }, async () => {
    // Its own Odoo: the order of this test must be the only one.
    const odoo = await startOdooDouble({ version: 19 });
    try {
      const odooClient = createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey });
      await seedFreshmart(odooClient);
      const dataDir = mkdtempSync(join(tmpdir(), 'edi-stop-cut-short-'));
      const partners = writeFreshmartPartners(dataDir);
      // The lease outlasts one Odoo call (1.5 s): an abandoned call is over before another process may repeat it.
      const env = { DATABASE_URL: db.url, ODOO_URL: odoo.url, ODOO_DB: odoo.dbName, ODOO_USERNAME: odoo.login, ODOO_API_KEY: odoo.apiKey, POSTING_LEASE_SECONDS: '4' };
      odoo.faults.slow(1500);
      const gateway = run(process.execPath, ['--import', 'tsx', 'src/cli/edi.ts', 'start', '--data-dir', dataDir, '--no-samples', '--schema', db.schema, '--partners', partners], { ...env, HTTP_PORT: '0', STOP_TIMEOUT_SECONDS: '0' });
      await gateway.waitFor(/gateway running/, 60_000);
      // Another interchange control number and PO number: the same interchange again would be a duplicate
      // interchange, the same PO again a repeat of the order the test before posted (neither is posted).
      const before = Math.max(0, ...(await listDocuments(db, { limit: 1 })).items.map((d) => d.id));
      const x12 = readFileSync(join(root, FRESHMART_850), 'latin1').replace('*000004512*0*P*', '*000004599*0*P*').replace('IEA*1*000004512', 'IEA*1*000004599').replace(`BEG*00*SA*${FRESHMART_PO}*`, `BEG*00*SA*${CUT_SHORT_PO}*`);
      writeFileSync(join(dataDir, 'in', 'freshmart', 'po-cut-short.edi'), x12, 'latin1');
      const stateOfOrder = async () => (await listDocuments(db, { limit: 5 })).items.find((d) => d.id > before)?.state;
      await until(async () => (await stateOfOrder()) === 'posting', 30_000, 'the posting to start');
      const stopAsked = Date.now();
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
      // Not the several seconds the posting's remaining Odoo calls would take.
      expect(Date.now() - stopAsked).toBeLessThan(3_000);
      expect(gateway.output()).toMatch(/WARN .*work in hand did not finish within 0 s of the stop.*RUNTIME_STOP_INCOMPLETE/);
      expect(await stateOfOrder()).toBe('posting');

      // The next start resumes it once the dead process's lease has run out.
      odoo.faults.slow(0);
      await new Promise((r) => setTimeout(r, 4_500));
      const lines: string[] = [];
      const io: Output & { stderr: string[] } = { stderr: [], out: () => undefined, err: (t) => void io.stderr.push(t) };
      const code = await startCommand({ dataDir, once: true, samples: false, partners, interval: '0.2' }, { io, log: cliLogger({ level: 'info', write: (l) => void lines.push(l) }), db, env });
      expect(code, lines.join('') + io.stderr.join('\n')).toBe(0);
      expect(await stateOfOrder()).toBe('posted');
      expect(await odooClient.searchRead('sale.order', [['client_order_ref', '=', CUT_SHORT_PO]], { fields: ['state'] })).toHaveLength(1);
    } finally {
      await odoo.close();
    }
  });
});
