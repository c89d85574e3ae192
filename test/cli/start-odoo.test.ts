// edi start with ODOO_URL & co. as a user would run it: a partner file with an odoo: section and a
// folder transport, the sample 850 dropped into its folder, the Odoo double as the server. Plus the
// configuration errors, and edi products map/list/unmap on the real store.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import { productsListCommand, productsMapCommand, productsUnmapCommand } from '../../src/cli/commands/products.js';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { FRESHMART_850, FRESHMART_PO, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
let double: OdooDouble;
let client: OdooClient;

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

beforeAll(async () => {
  double = await startOdooDouble({ version: 19 });
  client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
});
afterAll(() => double?.close());

describe('edi start posting to Odoo', () => {
  it('takes the sample 850 from the partner folder to a confirmed sale order in Odoo', { timeout: 60_000 }, async () => {
    await seedFreshmart(client);
    const dataDir = mkdtempSync(join(tmpdir(), 'edi-start-odoo-'));
    const partners = writeFreshmartPartners(dataDir);
    copyFileSync(join(root, FRESHMART_850), join(dataDir, 'in', 'freshmart', 'po.edi'));
    const io = capture();
    const lines: string[] = [];
    const log = cliLogger({ level: 'info', format: 'pretty', write: (l) => void lines.push(l) });
    const env = { ODOO_URL: double.url, ODOO_DB: double.dbName, ODOO_USERNAME: double.login, ODOO_API_KEY: double.apiKey };
    const code = await startCommand({ dataDir, once: true, samples: false, partners, interval: '0.2' }, { io, log, db, env, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });
    const text = lines.join('');
    expect(code, text + io.stderr.join('\n')).toBe(0);
    expect(text).toContain(`target="odoo ${double.url}"`);
    expect(text).not.toContain(double.apiKey);
    const orders = await client.searchRead('sale.order', [['client_order_ref', '=', FRESHMART_PO]], { fields: ['state', 'order_line'] });
    expect(orders).toHaveLength(1);
    expect(orders[0]!['state']).toBe('sale');
    expect((orders[0]!['order_line'] as number[]).length).toBe(3);
  });

  it('serves Odoo\'s webhooks (ODOO_WEBHOOK_TOKEN): the confirmed order\'s webhook sends its 855 into the partner\'s mailbox', { timeout: 60_000 }, async () => {
    const odoo18 = await startOdooDouble({ version: 18 });
    try {
      const client18 = createOdooClient({ url: odoo18.url, db: odoo18.dbName, username: odoo18.login, apiKey: odoo18.apiKey });
      await seedFreshmart(client18);
      const dataDir = mkdtempSync(join(tmpdir(), 'edi-start-hooks-'));
      const partners = writeFreshmartPartners(dataDir, { outbound: ['855'] });
      // Another PO number and ISA13 than the sample's: this file's database has the sample posted already.
      const sample = readFileSync(join(root, FRESHMART_850), 'latin1');
      const isa13 = /^ISA(?:\*[^*]*){12}\*(\d{9})/.exec(sample)![1]!;
      const poNumber = `${FRESHMART_PO}-HOOK`;
      writeFileSync(join(dataDir, 'in', 'freshmart', 'po.edi'), sample.replaceAll(FRESHMART_PO, poNumber).replaceAll(isa13, '000000777'), 'latin1');
      const lines: string[] = [];
      const log = cliLogger({ level: 'debug', format: 'pretty', write: (l) => void lines.push(l) });
      const token = 'hook-token-7f3a9c1e5b';
      const env = { ODOO_URL: odoo18.url, ODOO_DB: odoo18.dbName, ODOO_USERNAME: odoo18.login, ODOO_API_KEY: odoo18.apiKey, ODOO_WEBHOOK_TOKEN: token, ODOO_POLL_SECONDS: '0', HTTP_PORT: '0' };
      const controller = new AbortController();
      let http = '';
      const running = startCommand({ dataDir, samples: false, partners, interval: '0.2' }, { io: capture(), log, db, env, signal: controller.signal, onStarted: (r) => (http = r.http?.url ?? ''), gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });
      try {
        const until = async <T>(what: string, read: () => Promise<T | undefined>): Promise<T> => {
          for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
            const value = await read();
            if (value !== undefined) return value;
          }
          throw new Error(`${what} within 30 s:\n${lines.join('')}`);
        };
        const orderId = await until('a confirmed sale order', async () => {
          const [order] = await client18.searchRead('sale.order', [['client_order_ref', '=', poNumber], ['state', '=', 'sale']], { fields: ['id'] });
          return http ? order?.id : undefined;
        });
        const hook = (path: string) => fetch(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ _action: 'Send Webhook Notification(#3)', _id: orderId, _model: 'sale.order' }) });
        expect((await hook('/hooks/odoo/not-the-token')).status).toBe(404);
        const answer = await hook(`/hooks/odoo/${token}`);
        expect(answer.status).toBe(202);
        expect(await answer.json()).toEqual({ queued: 1 });
        const file = await until('the 855 in out/freshmart', async () => readdirSync(join(dataDir, 'out', 'freshmart')).find((f) => f.includes('_855_')));
        expect(readFileSync(join(dataDir, 'out', 'freshmart', file), 'latin1')).toContain(`BAK*00*`);
      } finally {
        controller.abort();
        expect(await running).toBe(0);
      }
      expect(lines.join('')).not.toContain(token);
    } finally {
      await odoo18.close();
    }
  });

  it('refuses to start with half an Odoo configuration, naming what is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edi-start-odoo-'));
    const io = capture();
    const log = cliLogger({ level: 'warn', format: 'pretty', write: () => undefined });
    const code = await startCommand({ dataDir, once: true, samples: false, partners: writeFreshmartPartners(dataDir) }, { io, log, db, env: { ODOO_URL: double.url, ODOO_DB: 'x' } });
    expect(code).toBe(70);
    expect(io.stderr.join('\n')).toContain('ODOO_URL is set but ODOO_USERNAME, ODOO_API_KEY (or ODOO_API_KEY_FILE) are not');
  });
});

describe('edi products', () => {
  it('maps, lists and unmaps a partner\'s product code', async () => {
    const io = capture();
    expect(await productsMapCommand(db, 'freshmart', 'BP-1', 'AC-1001', { note: 'from the buyer catalog' }, io)).toBe(0);
    expect(await productsMapCommand(db, 'freshmart', 'BP-1', 'AC-1002', {}, io)).toBe(0);
    expect(await productsListCommand(db, { partner: 'freshmart' }, io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/freshmart\s+BP-1\s+AC-1002/);
    expect(await productsUnmapCommand(db, 'freshmart', 'BP-1', io)).toBe(0);
    expect(await productsUnmapCommand(db, 'freshmart', 'BP-1', io)).toBe(3);
    expect(io.stderr.join('\n')).toContain("freshmart has no mapping for 'BP-1'");
    expect(await productsMapCommand(db, 'bad code!', 'x', 'y', {}, io)).toBe(64);
  });
});
