// The "done when", per Odoo server: the sample 850, 855, 856 and 810 files dropped into
// partner folders go through the whole gateway (folder transport, intake, split, validate, map,
// post) into Odoo (the double for 18 and 19; a real one when configured), with a crash-like retry after every successful posting (nothing
// is created twice), a master-data gap that rejects the 850 until the product exists and a replay
// posts it, and a resend of the 850 and the 810 under new control numbers that creates nothing.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { TargetError, type PostingTarget } from '../../../src/jobs/ports.js';
import { createOdooClient, type OdooClient, type OdooClientOptions } from '../../../src/odoo/client/client.js';
import { fieldNamesFor } from '../../../src/odoo/field-names.js';
import { odooTarget } from '../../../src/odoo/target.js';
import { partnerDirectory } from '../../../src/partners/directory.js';
import type { OdooPartnerFile, Partner, PartnerDirectory } from '../../../src/partners/types.js';
import { documentTimeline, mappedProductCodes, getDocument, listDocuments, type Database } from '../../../src/store/index.js';
import { startFolderTransport, type FolderTransportHandle } from '../../../src/transports/folder/index.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders } from '../../transports/folder/support.js';
import { startOdooDouble, type OdooDouble } from '../../odoo-double/index.js';
import { TWO_WAITS_MS, waitForGateway } from './gateway-wait.js';
import { recordingClient } from './recording-client.js';
import { noMappings } from './mappings.js';

const SAMPLES = join(import.meta.dirname, '../../../samples/004010');
const FINAL = ['posted', 'rejected', 'failed', 'duplicate'];

/** The Odoo to run against: a started double, or a real server (whose database must not hold the samples' records yet). */
export interface EndToEndOdoo {
  label: string;
  connect(): Promise<{ client: OdooClient; close(): Promise<void> }>;
}

/**
 * Whether a real database can take the samples: they carry fixed codes (PO names, GLNs,
 * barcodes), so the suite runs once per database; undefined when it can, else why not.
 */
export async function samplesBlockedIn(client: OdooClient): Promise<string | undefined> {
  const taken = await client.search('purchase.order', [['name', 'in', ['ACME-PO-10452', '4500012700', '4500012345']]]);
  return taken.length ? `the database already holds the samples' records (purchase orders ACME-PO-10452, 4500012700, 4500012345): the sample-file suite needs a fresh database` : undefined;
}

/** A real Odoo (ODOO_URL & co, odooOptionsFromEnv); nothing to close. */
export function realOdoo(options: OdooClientOptions): EndToEndOdoo {
  return { label: `the real Odoo at ${options.url} (${options.db})`, connect: async () => ({ client: createOdooClient(options), close: async () => undefined }) };
}

/** The double of a version. */
export function doubleOdoo(version: 18 | 19): EndToEndOdoo {
  return {
    label: `the Odoo ${version} double`,
    async connect() {
      const double: OdooDouble = await startOdooDouble({ version });
      return { client: createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }), close: () => double.close() };
    },
  };
}

export function endToEndSuite(odoo: EndToEndOdoo): void {
  const db = useTestDatabase();
  let close: (() => Promise<void>) | undefined;
  let version: number;
  let client: ReturnType<typeof recordingClient>;
  let gateway: Gateway;
  let running: { gateway: Gateway; stop(): Promise<void> } | undefined;
  const inboxes = new Map<string, string>();
  const retriedOnce = new Set<string>();

  const partner = (code: string, isaId: string, ours: string, inbound: string[], settings: OdooPartnerFile): Partner => {
    const where = folders(`e2e-${code}-`);
    mkdirSync(where.inbox, { recursive: true });
    inboxes.set(code, where.inbox);
    const base = folderPartner(where, { code, outbound: null });
    return { ...base, name: code, identity: { isa: { qualifier: 'ZZ', id: isaId }, gs: isaId }, us: { isa: { qualifier: 'ZZ', id: ours }, gs: ours }, documents: { inbound, outbound: [] }, odoo: settings };
  };

  beforeAll(async () => {
    const connection = await odoo.connect();
    close = connection.close;
    client = recordingClient(connection.client);
    version = await client.version();
    await seed(client, version);
    const directory = partnerDirectory({
      partners: new Map([
        ['freshmart', partner('freshmart', 'FRESHMART', 'ACMEDIST', ['850'], { partner: { ref: 'FRESHMART' }, units: { CA: 'Units' } })],
        ['brightline', partner('brightline', 'BRIGHTLINE', 'ACMEDIST', ['855'], { partner: { ref: 'BRIGHTLINE' }, applyAckChanges: true })],
        ['acmesupply', partner('acmesupply', 'ACMESUPPLY', 'NORTHWINDDIST', ['856', '810'], { partner: { ref: 'ACMESUPPLY' }, products: { match: ['defaultCode', 'supplierCode'] }, validateReceipts: true })],
      ]),
    });
    const target = odooTarget({ client, partner: (code) => directory.get(code), productMappings: (p, codes) => mappedProductCodes(db, p, codes) });
    // Every successful posting is followed by a failure of the post stage's transaction (as a
    // crash after Odoo's commit would): the retry must find what the first try made.
    const flaky: PostingTarget = {
      name: 'odoo',
      async post(req) {
        const result = await target.post(req);
        if (!retriedOnce.has(req.naturalKey)) {
          retriedOnce.add(req.naturalKey);
          throw new TargetError('transient', 'simulated loss of the post stage after Odoo committed');
        }
        return result;
      },
    };
    running = await startFolderGateway(db, directory, flaky);
    gateway = running.gateway;
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await close?.();
  });

  const drop = (code: string, file: string) => copyFileSync(join(SAMPLES, file), join(inboxes.get(code)!, file.split('/').pop()!));
  const documentsOf = async (code: string) => (await listDocuments(db, { partner: code, limit: 50 })).items;
  const partners = ['freshmart', 'brightline', 'acmesupply'];
  const settled = (code: string, count: number) =>
    waitForGateway(db, `${count} ${code} documents settled`, async () => {
      const docs = await documentsOf(code);
      return docs.length >= count && docs.every((d) => FINAL.includes(d.state));
    }, partners);
  const idOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);

  describe(`sample files into ${odoo.label}`, () => {
    it('850: rejected while a product is missing, with what to create; posted as a correct sale order after a replay', { timeout: TWO_WAITS_MS }, async () => {
      drop('freshmart', '850/850-grocery-gln-allowances.edi');
      await settled('freshmart', 1);
      const [doc] = await documentsOf('freshmart');
      expect(doc!.state).toBe('rejected');
      expect(doc!.reason).toContain('line 3: unknown product');
      expect(doc!.reason).toContain("barcode UP '012345678929'");
      expect(doc!.reason).toContain("VN 'AC-2040' as internal reference");
      expect(doc!.reason).toContain('edi products map freshmart AC-2040 <internal reference>');
      expect(await client.search('sale.order', [['client_order_ref', '=', 'FM-4500123']])).toEqual([]);

      // Sold by the pound, as the 850 orders it: Odoo 18 refuses a line unit outside the product unit's category.
      const [lb] = await client.search('uom.uom', [['name', '=', 'lb']]);
      await client.create('product.product', { name: 'Bulk Almonds Raw', default_code: 'AC-2040', barcode: '012345678929', type: 'consu', list_price: 3.125, uom_id: lb });
      await gateway.replayDocument(doc!.id, 'test');
      await waitForGateway(db, '850 posted', async () => (await getDocument(db, doc!.id))?.state === 'posted', partners);

      const orders = await client.searchRead('sale.order', [['client_order_ref', '=', 'FM-4500123']], { fields: ['partner_id', 'partner_shipping_id', 'partner_invoice_id', 'order_line', 'commitment_date', 'state'] });
      expect(orders).toHaveLength(1);
      const order = orders[0]!;
      const [shipTo] = await client.search('res.partner', [['barcode', '=', '0614141000074']]);
      const [billTo] = await client.search('res.partner', [['barcode', '=', '0614141000029']]);
      expect([idOf(order['partner_shipping_id']), idOf(order['partner_invoice_id'])]).toEqual([shipTo, billTo]);
      expect(String(order['commitment_date'])).toMatch(/^2024-03-18/);
      const uom = fieldNamesFor(version).saleLine.uom;
      const lines = await client.read('sale.order.line', order['order_line'] as number[], ['product_id', 'product_uom_qty', 'price_unit', uom]);
      const byCode = await codesOf(client, lines.map((l) => idOf(l['product_id']) as number));
      expect(lines.map((l) => [byCode.get(idOf(l['product_id']) as number), l['product_uom_qty'], l['price_unit']]).sort()).toEqual([
        ['AC-1001', 120, 18.75], ['AC-1002', 48, 22.4], ['AC-2040', 15.5, version === 18 ? 3.13 : 3.125], // 18 keeps prices at 2 digits, 19 as given
      ]);
    });

    it('855: updates the PO (quantities, dates, vendor reference) and records every line result', async () => {
      drop('brightline', '855/855-line-acks-mixed.edi');
      await settled('brightline', 1);
      const [doc] = await documentsOf('brightline');
      expect(doc!.state).toBe('posted');
      const [po] = await client.searchRead('purchase.order', [['name', '=', 'ACME-PO-10452']], { fields: ['partner_ref', 'order_line'] });
      expect(po!['partner_ref']).toBe('BL-SO-88123');
      const lines = await client.read('purchase.order.line', po!['order_line'] as number[], ['product_id', 'product_qty', 'date_planned']);
      const codes = await codesOf(client, lines.map((l) => idOf(l['product_id']) as number));
      const byCode = new Map(lines.map((l) => [codes.get(idOf(l['product_id']) as number), l]));
      expect(byCode.get('ACM-10021')!['product_qty']).toBe(100);
      expect(String(byCode.get('ACM-10021')!['date_planned'])).toMatch(/^2024-04-12/);
      expect(byCode.get('ACM-10022')!['product_qty']).toBe(50); // 40 now + 10 backordered: the order stands
      expect(byCode.get('ACM-10023')!['product_qty']).toBe(0); // IR
      expect(String(byCode.get('ACM-10024')!['date_planned'])).toMatch(/^2024-05-03/); // DR
      const messages = await client.searchRead('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', po!.id], ['body', 'ilike', 'EDI 855']], { fields: ['body'] });
      expect(messages).toHaveLength(1);
      expect(String(messages[0]!['body'])).toContain('IR item rejected');
    });

    it('856: fills and validates the receipt with lots and SSCC packages', async () => {
      drop('acmesupply', '856/856-sopi-lots.edi');
      await settled('acmesupply', 1);
      const [doc] = await documentsOf('acmesupply');
      expect(doc!.state).toBe('posted');
      const [po] = await client.searchRead('purchase.order', [['name', '=', '4500012700']], { fields: ['order_line', 'picking_ids'] });
      const lines = await client.read('purchase.order.line', po!['order_line'] as number[], ['product_id', 'qty_received']);
      const codes = await codesOf(client, lines.map((l) => idOf(l['product_id']) as number));
      expect(lines.map((l) => [codes.get(idOf(l['product_id']) as number), l['qty_received']]).sort()).toEqual([['NW-60010', 40], ['NW-60020', 6]]);
      const lots = await client.searchRead('stock.lot', [['name', 'in', ['L2611A', 'L2611B']]], { fields: ['name'] });
      expect(lots.map((l) => l['name']).sort()).toEqual(['L2611A', 'L2611B']);
      const packages = await client.search(fieldNamesFor(version).packageModel, [['name', 'in', ['006141410090000015', '006141410090000022']]]);
      expect(packages).toHaveLength(2);
    });

    it('810: a draft vendor bill on the PO lines, with the three-way-match differences for a person', async () => {
      drop('acmesupply', '810/810-invoice-allowances-terms.edi');
      await settled('acmesupply', 2);
      const bills = await client.searchRead('account.move', [['ref', '=', 'INV-2611-0042']], { fields: ['state', 'move_type', 'invoice_date', 'invoice_date_due', 'invoice_line_ids'] });
      expect(bills).toHaveLength(1);
      expect(bills[0]).toMatchObject({ state: 'draft', move_type: 'in_invoice', invoice_date: '2026-11-21', invoice_date_due: '2026-12-21' });
      const lines = (await client.read('account.move.line', bills[0]!['invoice_line_ids'] as number[], ['purchase_line_id', 'quantity', 'display_type'])).filter((l) => l['display_type'] === 'product');
      expect(lines.map((l) => l['quantity']).sort((a, b) => Number(a) - Number(b))).toEqual([4, 6, 24]);
      expect(lines.every((l) => idOf(l['purchase_line_id']))).toBe(true);
      const doc = (await documentsOf('acmesupply')).find((d) => d.setId === '810')!;
      const posted = (await documentTimeline(db, doc.id)).find((e) => e.toState === 'posted')!;
      expect(posted.message).toMatch(/3 mismatches to check/);
    });

    it('a resend of the 850 and the 810 under new control numbers creates nothing: each is a duplicate of the first', { timeout: TWO_WAITS_MS }, async () => {
      const before = client.mutations().length;
      const calls = client.calls.length;
      resend('freshmart', '850/850-grocery-gln-allowances.edi', '000004513');
      resend('acmesupply', '810/810-invoice-allowances-terms.edi', '000000302');
      await settled('freshmart', 2);
      await settled('acmesupply', 3);
      const docs = [...(await documentsOf('freshmart')), ...(await documentsOf('acmesupply'))];
      // The repeat is found by its business key (partner, set, BEG03/BIG02, purpose): Odoo is not even asked.
      for (const setId of ['850', '810']) {
        const [first, again] = docs.filter((d) => d.setId === setId).sort((a, b) => a.id - b.id);
        expect([first!.state, again!.state]).toEqual(['posted', 'duplicate']);
        expect(again!.reason).toBe(`duplicate of document #${first!.id} (posted as ${first!.targetRef})`);
      }
      expect(docs.filter((d) => d.setId !== '850' && d.setId !== '810').every((d) => d.state === 'posted')).toBe(true);
      expect(client.calls.length).toBe(calls);
      expect(client.mutations().slice(before)).toEqual([]);
      expect(await client.search('sale.order', [['client_order_ref', '=', 'FM-4500123']])).toHaveLength(1);
      expect(await client.search('account.move', [['ref', '=', 'INV-2611-0042']])).toHaveLength(1);
    });
  });

  /** The sample with another ISA13/IEA02 (a partner resending it), under another file name. */
  function resend(code: string, file: string, control: string): void {
    const text = readFileSync(join(SAMPLES, file), 'latin1');
    const old = /^ISA(?:\*[^*]*){12}\*(\d{9})/.exec(text)![1]!;
    writeFileSync(join(inboxes.get(code)!, `resend-${control}.edi`), text.replaceAll(old, control), 'latin1');
  }
}

async function codesOf(client: OdooClient, ids: number[]): Promise<Map<number, string>> {
  const rows = await client.read('product.product', ids, ['default_code']);
  return new Map(rows.map((r) => [r.id, String(r['default_code'])]));
}

/** The Odoo side of the samples: the customer, the suppliers, products and our confirmed POs. */
async function seed(client: OdooClient, version: number): Promise<void> {
  const uom = fieldNamesFor(version).purchaseLine.uom;
  const [units] = await client.search('uom.uom', [['name', '=', 'Units']]);
  const product = (code: string, extra: Record<string, unknown> = {}) => client.create('product.product', { name: code, default_code: code, type: 'consu', ...(version >= 18 ? { is_storable: true } : {}), ...extra });
  const freshmart = await client.create('res.partner', { name: 'FreshMart Stores Inc', ref: 'FRESHMART', is_company: true });
  await client.create('res.partner', { name: 'FreshMart DC 07', parent_id: freshmart, type: 'delivery', barcode: '0614141000074' });
  await client.create('res.partner', { name: 'FreshMart Accounts Payable', parent_id: freshmart, type: 'invoice', barcode: '0614141000029' });
  await product('AC-1001', { barcode: '012345678905', list_price: 18.75 });
  await product('AC-1002', { barcode: '012345678912', list_price: 22.4 });
  // The 850's LB line: Odoo 19 ships lb archived.
  const lb = await client.search('uom.uom', [['name', '=', 'lb'], ['active', '=', false]], { context: { active_test: false } });
  if (lb.length) await client.write('uom.uom', lb, { active: true });
  // AC-2040 is missing on purpose: the 850 waits for it.

  const purchase = async (vendor: number, name: string, lines: [number, number, number][]) => {
    const id = await client.create('purchase.order', { partner_id: vendor, name, order_line: lines.map(([p, q, price]) => [0, 0, { product_id: p, product_qty: q, price_unit: price, [uom]: units, date_planned: '2024-04-10 12:00:00' }]) });
    await client.call('purchase.order', 'button_confirm', [id]);
  };
  const brightline = await client.create('res.partner', { name: 'Brightline Supply', ref: 'BRIGHTLINE', is_company: true });
  const b = await Promise.all(['ACM-10021', 'ACM-10022', 'ACM-10023', 'ACM-10024'].map((c) => product(c)));
  await purchase(brightline, 'ACME-PO-10452', [[b[0]!, 100, 4.25], [b[1]!, 50, 12], [b[2]!, 20, 38.5], [b[3]!, 12, 89]]);
  const acme = await client.create('res.partner', { name: 'Acme Supply Co', ref: 'ACMESUPPLY', is_company: true });
  // Lot-tracked: Odoo creates lots from the ASN's lot names only for tracked products.
  const lx = await Promise.all(['NW-60010', 'NW-60020'].map((c) => product(c, { tracking: 'lot' })));
  await purchase(acme, '4500012700', [[lx[0]!, 40, 9.5], [lx[1]!, 6, 20]]);
  const nw = await Promise.all(['NW-10023', 'NW-10088', 'NW-20001'].map((c) => product(c)));
  await purchase(acme, '4500012345', [[nw[0]!, 24, 12.5], [nw[1]!, 6, 4.75], [nw[2]!, 4, 31.2]]);
}

/** The gateway of the end-to-end suites: the partners' folder transports in front of it, quick windows. */
export async function startFolderGateway(db: Database, directory: PartnerDirectory, target: PostingTarget): Promise<{ gateway: Gateway; stop(): Promise<void> }> {
  const gateway = await startGateway({ db, partners: directory, target, retry: { limit: 3, delaySeconds: 0, backoff: false }, jobExpireSeconds: 20, pollIntervalMs: 200 });
  const transports: FolderTransportHandle[] = [];
  for (const p of directory.all()) {
    const t = startFolderTransport(p, gateway, { stableMs: 50, rescanMs: 200 });
    await t.ready;
    transports.push(t);
  }
  return {
    gateway,
    async stop() {
      for (const t of transports) await t.stop();
      await gateway.stop();
    },
  };
}

/** startFolderGateway posting into `client` through the Odoo target (no product mapping table). */
export function startOdooFolderGateway(db: Database, directory: PartnerDirectory, client: OdooClient): Promise<{ gateway: Gateway; stop(): Promise<void> }> {
  return startFolderGateway(db, directory, odooTarget({ client, partner: (code) => directory.get(code), productMappings: noMappings }));
}
