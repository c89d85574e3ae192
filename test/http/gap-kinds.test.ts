// Unit and ship-to GLN gaps fixed from the console against the Odoo 19 double, with real PostgreSQL
// (docs/operations.md#fixing-a-master-data-gap): for each kind, two 850s of one partner rejected for
// the same gap; the Odoo record is found by the search API and the search page; a viewer may not map;
// an operator's mapping (store side, migration 18) replays both, they post with that unit or
// address, and the audit trail and timelines say who did it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapSection } from '../../src/http/pages/gap-page.js';
import type { HttpServer } from '../../src/http/server.js';
import { documentView } from '../../src/http/views/documents.js';
import { gapCodes } from '../../src/jobs/gaps.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { odooTarget, type OdooTargetOptions } from '../../src/odoo/target.js';
import type { Partner } from '../../src/partners/types.js';
import { documentTimeline, getDocument, rejectedForGaps, listAudit, listDocuments, mappedMasterData, mappedProductCodes } from '../../src/store/index.js';
import { bytes, testGateway, x12 } from '../jobs/support.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { gapsFixCommand } from '../../src/cli/commands/gaps.js';
import { gapServer, until } from '../support/product-gap.js';

const db = useTestDatabase();
const PARTNER = 'freshmart';
const GLN = '0614141000012';
const partner = { code: PARTNER, name: 'FreshMart', odoo: { partner: { ref: 'FRESHMART' }, units: { EA: 'Units' }, confirmOrders: true } } as unknown as Partner;

/** FM-1, FM-2: ordered in cases (CA), a unit the partner file does not map; FM-3, FM-4: shipped to a GLN Odoo does not know. */
const po = (n: number) => () => [
  ['BEG', '00', 'SA', `FM-${n}`, '', '20261101'],
  ...(n > 2 ? [['N1', 'ST', 'STORE 12', 'UL', GLN]] : []),
  ['PO1', '1', '12', n > 2 ? 'EA' : 'CA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

let odoo: OdooDouble;
let client: OdooClient;
let gateway: Gateway;
let server: HttpServer;
let store12: number;
const tokens: Record<string, string> = {};
const unitDocs: number[] = [];
const addressDocs: number[] = [];

const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
  server.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  odoo = await startOdooDouble({ version: 19 });
  client = createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey });
  const company = await client.create('res.partner', { name: 'FreshMart Stores Inc', ref: 'FRESHMART', is_company: true });
  store12 = await client.create('res.partner', { name: 'FreshMart Store 12', parent_id: company, type: 'delivery', city: 'Springfield', street: '12 Main St' });
  await client.create('product.product', { name: 'Sea Salt Crackers', default_code: 'AC-1001', barcode: '012345678905', type: 'consu', list_price: 4.25 });
  const options: OdooTargetOptions = {
    client, partner: (code) => (code === PARTNER ? partner : undefined), cacheSeconds: 0,
    productMappings: (p, codes) => mappedProductCodes(db, p, codes),
    masterDataMappings: (p, kind, codes) => mappedMasterData(db, p, kind, codes),
  };
  gateway = await testGateway(db, { target: odooTarget(options) });
  for (const control of [1, 2, 3, 4]) {
    await gateway.intake({ partner: PARTNER, channel: 'test', sourceName: `po-${control}.edi`, bytes: bytes(x12({ control, sender: 'FRESHMART', body: po(control) })) });
  }
  await until('four rejected 850s', async () => {
    const items = (await listDocuments(db, { partner: PARTNER })).items;
    return items.length === 4 && items.every((d) => d.state === 'rejected');
  });
  // In PO order (1, 2 for the unit, 3, 4 for the address): the files are split by parallel workers, so ids need not follow it.
  const ids = (await listDocuments(db, { partner: PARTNER })).items
    .sort((a, b) => (a.poNumber ?? '').localeCompare(b.poNumber ?? '', 'en', { numeric: true }) || a.id - b.id)
    .map((d) => d.id);
  unitDocs.push(...ids.slice(0, 2));
  addressDocs.push(...ids.slice(2));

  const served = await gapServer(db, { gateway, client, options });
  server = served.server;
  Object.assign(tokens, served.tokens);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await gateway?.stop();
  await odoo?.close();
});

describe('gapCodes', () => {
  it('finds every document waiting on a gap, however many: read a page at a time', async () => {
    const all = [...unitDocs, ...addressDocs].sort((a, b) => a - b);
    expect((await rejectedForGaps(db, PARTNER, 1)).map((d) => d.id)).toEqual(all);
    expect((await rejectedForGaps(db, PARTNER, 3)).map((d) => d.id)).toEqual(all);
  });

  it('reads a unit gap (not a pack gap) and a GLN gap (not a missing field), alone or among several', () => {
    const failure = (f: object) => ({ failure: { code: 'ODOO_MASTER_DATA_GAP', ...f } });
    expect(gapCodes('unit', failure({ gap: 'unit', lookedFor: { unit: 'CA' } }))).toEqual(['CA']);
    expect(gapCodes('unit', failure({ gap: 'unit', lookedFor: { unit: 'CA', pack: 12 } }))).toEqual([]);
    expect(gapCodes('unit', failure({ gap: 'product', lookedFor: { gaps: [{ gap: 'unit', unit: 'BX' }, { gap: 'product', buyerPart: 'X' }] } }))).toEqual(['BX']);
    expect(gapCodes('address', failure({ gap: 'address', lookedFor: { type: 'delivery', gln: GLN } }))).toEqual([GLN]);
    expect(gapCodes('address', failure({ gap: 'address', lookedFor: { field: 'x_gln', qualifier: 'UL' } }))).toEqual([]);
    expect(gapCodes('address', failure({ gap: 'unit', lookedFor: { unit: 'CA' } }))).toEqual([]);
  });
});

describe('an unknown unit', () => {
  it('the document page offers to map the unit to an operator, not to a viewer', async () => {
    const view = (await documentView(db, unitDocs[0]!))!;
    const forOperator = String(gapSection(view, { username: 'olga', role: 'operator' }));
    expect(forOperator).toContain('Map CA to an Odoo unit');
    expect(forOperator).toContain(`action="/documents/${unitDocs[0]}/gaps/unit"`);
    expect(String(gapSection(view, { username: 'vic', role: 'viewer' }))).not.toContain('<form');
  });

  it('finds the unit by name, over the API and on the search page', async () => {
    const res = await call('GET', '/api/odoo/units?q=unit', 'vic');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual(expect.objectContaining({ name: 'Units' }));
    const page = await call('GET', `/documents/${unitDocs[0]}/gaps/unit?code=CA&q=unit`, 'olga');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Map CA to Units');
  });

  it('refuses a viewer, and maps and audits nothing', async () => {
    const res = await call('POST', '/api/gaps/unit', 'vic', { partner: PARTNER, code: 'CA', unit: 'Units' });
    expect(res.statusCode).toBe(403);
    expect((await listAudit(db, {})).filter((a) => a.action === 'gaps.map_unit')).toEqual([]);
    expect((await mappedMasterData(db, PARTNER, 'unit', ['CA'])).size).toBe(0);
  });

  it("an operator's mapping replays both; both post in that unit; audited on each timeline", async () => {
    const res = await call('POST', '/api/gaps/unit', 'olga', { partner: PARTNER, code: 'CA', unit: 'Units', reason: 'FreshMart cases are single units' });
    expect(res.statusCode).toBe(200);
    const { batchId, replayed } = res.json();
    expect([...replayed].sort((a: number, b: number) => a - b)).toEqual([...unitDocs].sort((a, b) => a - b));
    await until('both posted', async () => (await Promise.all(unitDocs.map((id) => getDocument(db, id)))).every((d) => d?.state === 'posted'));
    expect((await call('GET', `/api/gaps/unit/${batchId}`, 'vic')).json()).toMatchObject({ total: 2, posted: 2, done: true });
    const orders = odoo.db.records('sale.order').filter((o) => ['FM-1', 'FM-2'].includes(String(o['client_order_ref'])));
    expect(orders).toHaveLength(2);
    const units = odoo.db.records('uom.uom').filter((u) => u['name'] === 'Units').map((u) => u.id);
    const lines = odoo.db.records('sale.order.line').filter((l) => orders.some((o) => o.id === (Array.isArray(l['order_id']) ? l['order_id'][0] : l['order_id'])));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(units).toContain(Array.isArray(l['product_uom_id']) ? l['product_uom_id'][0] : (l['product_uom_id'] ?? l['product_uom']));

    const audit = (await listAudit(db, {})).filter((a) => a.action === 'gaps.map_unit');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'olga', via: 'token', targetKind: 'unit_mapping', targetId: `${PARTNER}:CA`, reason: 'FreshMart cases are single units' });
    for (const id of unitDocs) {
      expect((await documentTimeline(db, id)).some((e) => e.actor === 'olga' && e.message.includes("X12 unit CA mapped to Odoo unit 'Units'"))).toBe(true);
    }
    expect((await call('GET', `/gaps/unit/${batchId}`, 'vic')).body).toContain('2 waiting documents replayed, 2 posted so far');
    // The address documents wait on their own gap: not replayed by the unit's fix.
    for (const id of addressDocs) expect((await getDocument(db, id))!.state).toBe('rejected');
  });
});

describe('an unknown ship-to GLN', () => {
  it('the document page offers to map the GLN to an Odoo address', async () => {
    const view = (await documentView(db, addressDocs[0]!))!;
    const forOperator = String(gapSection(view, { username: 'olga', role: 'operator' }));
    expect(forOperator).toContain(`Map ${GLN} to an Odoo address`);
    expect(forOperator).toContain(`action="/documents/${addressDocs[0]}/gaps/address"`);
  });

  it('finds the address by its city, with its company, over the API and on the search page', async () => {
    const res = await call('GET', '/api/odoo/addresses?q=springfield', 'vic');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ id: store12, name: 'FreshMart Store 12', company: 'FreshMart Stores Inc', city: 'Springfield' })]);
    const page = await call('GET', `/documents/${addressDocs[0]}/gaps/address?code=${GLN}&q=store 12`, 'olga');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Map ${GLN} to FreshMart Store 12 (id ${store12})`);
  });

  it('refuses a viewer, and maps and audits nothing', async () => {
    const res = await call('POST', '/api/gaps/address', 'vic', { partner: PARTNER, gln: GLN, addressId: store12 });
    expect(res.statusCode).toBe(403);
    expect((await listAudit(db, {})).filter((a) => a.action === 'gaps.map_address')).toEqual([]);
  });

  it("an operator's mapping (the page's form) replays both; both post to that address; audited on each timeline", async () => {
    const res = await server.app.inject({
      method: 'POST', url: '/gaps/address', headers: { authorization: `Bearer ${tokens['olga']}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ partner: PARTNER, code: GLN, target: String(store12), documentId: String(addressDocs[0]) }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/gaps/address/\\d+\\?document=${addressDocs[0]}$`));
    await until('both posted', async () => (await Promise.all(addressDocs.map((id) => getDocument(db, id)))).every((d) => d?.state === 'posted'));
    const orders = odoo.db.records('sale.order').filter((o) => ['FM-3', 'FM-4'].includes(String(o['client_order_ref'])));
    expect(orders.map((o) => (Array.isArray(o['partner_shipping_id']) ? o['partner_shipping_id'][0] : o['partner_shipping_id']))).toEqual([store12, store12]);
    const audit = (await listAudit(db, {})).filter((a) => a.action === 'gaps.map_address');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'olga', targetKind: 'address_mapping', targetId: `${PARTNER}:${GLN}` });
    for (const id of addressDocs) {
      expect((await documentTimeline(db, id)).some((e) => e.actor === 'olga' && e.message.includes(`GLN ${GLN} mapped to Odoo address id ${store12}`))).toBe(true);
    }
    expect((await call('GET', String(res.headers.location), 'olga')).body).toContain('2 waiting documents replayed, 2 posted so far');
  });

  it('refuses an address id that is not a number', async () => {
    const res = await call('POST', '/api/gaps/address', 'olga', { partner: PARTNER, gln: GLN, addressId: 0 });
    expect(res.statusCode).toBe(400);
  });
});

describe('edi gaps fix', () => {
  it('the same fix from a terminal, audited as from the CLI (a unit nobody waits on: mapped, nothing replayed); a kind it does not know', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await gapsFixCommand(db, { kind: 'unit', partner: PARTNER, code: 'ZZ', target: 'Units' }, { reason: 'their pallets', actor: 'ops-bot' }, io)).toBe(0);
    expect(out[0]).toBe(`${PARTNER}'s unit ZZ mapped to Units (as ops-bot); 0 waiting document(s) replayed as replay batch ${/batch (\d+)/.exec(out[0]!)![1]}`);
    expect((await listAudit(db, {})).filter((a) => a.action === 'gaps.map_unit' && a.actor === 'ops-bot')).toEqual([expect.objectContaining({ via: 'cli', reason: 'their pallets' })]);
    expect(await gapsFixCommand(db, { kind: 'colour', partner: PARTNER, code: 'RED', target: 'x' }, {}, io)).toBe(64);
    expect(err.at(-1)).toBe('error: the kind is product, unit, address, not colour');
  });
});

