// A store with two 850s of one partner (FreshMart) rejected for the same unknown product, posted
// through a running gateway to the Odoo 19 double: the scene of fixing a master-data gap, shared by
// the API test (test/http/gaps.test.ts) and the browser test (test/browser/gap-flow.test.ts).
import type { Gateway } from '../../src/jobs/gateway.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { odooTarget, type OdooTargetOptions } from '../../src/odoo/target.js';
import type { Partner } from '../../src/partners/types.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { cliLogger } from '../../src/cli/log.js';
import { accessRoutes } from '../../src/http/auth.js';
import { gapRoutes } from '../../src/http/gaps.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { odooRehearsal } from '../../src/odoo/dry-run.js';
import { addApiToken, addUser, listDocuments, mappedProductCodes, type Actor, type Database } from '../../src/store/index.js';
import { bytes, testGateway, x12 } from '../jobs/support.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';

export const GAP_PARTNER = 'freshmart';
/** FreshMart's own number for the almonds: Odoo knows them as AC-2040 (barcode 012345678929). */
export const GAP_CODE = 'FM-ALM-77';

export const gapPartner = { code: GAP_PARTNER, name: 'FreshMart', odoo: { partner: { ref: 'FRESHMART' }, units: { EA: 'Units' }, confirmOrders: true } } as unknown as Partner;

const po = (n: number) => () => [
  ['BEG', '00', 'SA', `FM-${n}`, '', '20261101'],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['PO1', '2', '5', 'EA', '3.10', 'PE', 'BP', GAP_CODE],
  ['CTT', '2'],
];

export interface ProductGapScene {
  odoo: OdooDouble;
  client: OdooClient;
  options: OdooTargetOptions;
  gateway: Gateway;
  /** The two rejected documents (FM-1, FM-2), in id order. */
  documentIds: number[];
  close(): Promise<void>;
}

export async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function productGapScene(db: Database): Promise<ProductGapScene> {
  const odoo = await startOdooDouble({ version: 19 });
  const client = createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey });
  await client.create('res.partner', { name: 'FreshMart Stores Inc', ref: 'FRESHMART', is_company: true });
  await client.create('product.product', { name: 'Sea Salt Crackers', default_code: 'AC-1001', barcode: '012345678905', type: 'consu', list_price: 4.25 });
  await client.create('product.product', { name: 'Bulk Almonds Raw', default_code: 'AC-2040', barcode: '012345678929', type: 'consu', list_price: 3.1 });
  const options: OdooTargetOptions = { client, partner: (code) => (code === GAP_PARTNER ? gapPartner : undefined), productMappings: (p, codes) => mappedProductCodes(db, p, codes), cacheSeconds: 0 };
  const gateway = await testGateway(db, { target: odooTarget(options) });
  for (const control of [1, 2]) {
    await gateway.intake({ partner: GAP_PARTNER, channel: 'test', sourceName: `po-${control}.edi`, bytes: bytes(x12({ control, sender: 'FRESHMART', body: po(control) })) });
  }
  await until('two rejected 850s', async () => {
    const items = (await listDocuments(db, { partner: GAP_PARTNER })).items;
    return items.length === 2 && items.every((d) => d.state === 'rejected');
  });
  // In PO order (FM-1, FM-2): the two files are split by parallel workers, so ids need not follow it.
  const documentIds = (await listDocuments(db, { partner: GAP_PARTNER })).items
    .sort((a, b) => (a.poNumber ?? '').localeCompare(b.poNumber ?? '') || a.id - b.id)
    .map((d) => d.id);
  return {
    odoo, client, options, gateway, documentIds,
    async close() {
      await gateway.stop();
      await odoo.close();
    },
  };
}

/**
 * The gap routes served with sign-in over a scene's gateway and Odoo, and two users with API tokens:
 * olga (operator) and vic (viewer), each with the password `<name> password 123`.
 */
export async function gapServer(db: Database, parts: { gateway: Gateway; client: OdooClient; options: OdooTargetOptions }): Promise<{ server: HttpServer; tokens: Record<'olga' | 'vic', string> }> {
  const fast = { ln: 10, r: 8, p: 1 };
  const admin: Actor = { name: 'test', via: 'cli' };
  const log = cliLogger({ level: 'error', format: 'json', write: () => undefined });
  const server = createHttpServer({ host: '127.0.0.1', port: 0, log });
  server.register(accessRoutes({ db, log, scrypt: fast }));
  server.register(gapRoutes({ db, gateway: parts.gateway, odoo: { client: parts.client, rehearse: odooRehearsal(parts.options) } }));
  await server.app.ready();
  const tokens = { olga: '', vic: '' };
  for (const [name, role] of [['olga', 'operator'], ['vic', 'viewer']] as const) {
    await addUser(db, { username: name, role, passwordHash: await hashPassword(`${name} password 123`, fast) }, admin);
    tokens[name] = newApiToken();
    await addApiToken(db, name, { tokenHash: secretHash(tokens[name]), label: 'test' }, admin);
  }
  return { server, tokens };
}
