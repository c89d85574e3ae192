// edi start with ODOO_URL & co. as a user would run it: a partner file with an odoo: section and a
// folder transport, the sample 850 dropped into its folder, the Odoo double as the server. Plus the
// configuration errors, and edi products map/list/unmap on the real store.
import { copyFileSync, mkdtempSync } from 'node:fs';
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
