// What one posted document costs in Odoo calls, per set, for a one-line and a five-line document,
// through the real postings and one target (as the gateway's process shares it): the first document
// of a kind (nothing remembered yet) and the next one (master data remembered: docs/odoo.md#calls-per-posted-document).
// The bounds keep the cut: master data looked up once per lifetime of the cache, all products of a
// document in one search, header and lines in one create.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/documents/common.js';
import { InvoiceSchema } from '../../src/documents/invoice.js';
import { PurchaseOrderAckSchema } from '../../src/documents/purchase-order-ack.js';
import { PurchaseOrderSchema } from '../../src/documents/purchase-order.js';
import { ShipNoticeSchema } from '../../src/documents/ship-notice.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { odooTarget, type OdooTarget } from '../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { envelopeFor, naturalKeyOf } from './support/documents.js';
import { recordingClient, type RecordedCall } from './support/recording-client.js';
import { runId, seedPurchaseOrder, seedWorld, uniqueCode13, type World } from './support/seed.js';
import { mappingsFrom } from './support/mappings.js';

type Rec = ReturnType<typeof recordingClient>;
type SetId = '850' | '855' | '856' | '810';

/** Upper bounds of the next document's calls (master data remembered), per set and line count. */
const NEXT_AT_MOST: Record<SetId, Record<1 | 5, number>> = {
  '850': { 1: 4, 5: 4 },
  '855': { 1: 5, 5: 5 },
  '856': { 1: 10, 5: 14 },
  '810': { 1: 6, 5: 6 },
};

export interface CallCount {
  set: SetId;
  lines: number;
  first: RecordedCall[];
  next: RecordedCall[];
}

/** model.method -> how many, as the table in docs/odoo.md shows it. */
export function byMethod(calls: readonly RecordedCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[`${c.model}.${c.method}`] = (out[`${c.model}.${c.method}`] ?? 0) + 1;
  return out;
}

describe('Odoo calls per posted document (the Odoo 18 double)', () => {
  let double: OdooDouble;
  let client: Rec;
  let world: World;
  const mappings = new Map<string, string>();
  const counts: CallCount[] = [];
  /** The codes of each read of the gateway's mapping table. */
  const mappingReads: (readonly string[])[] = [];
  const mapped = mappingsFrom((theirCode, p) => mappings.get(`${p}:${theirCode}`));

  beforeAll(async () => {
    double = await startOdooDouble({ version: 18 });
    client = recordingClient(createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }));
    world = await seedWorld(client, runId());
    // Five products: two more than the shared seed.
    for (const [i, label] of ['Pearl Barley', 'Buckwheat'].entries()) {
      const n = 3 + i;
      const defaultCode = `AC-${1001 + n}-${world.run}`;
      const vendorCode = `BL-${7721 + n}-${world.run}`;
      const barcode = uniqueCode13(world.run, 10 + n);
      const id = await client.create('product.product', { name: `${label} ${world.run}`, default_code: defaultCode, barcode, type: 'consu', is_storable: true, list_price: 5 + n, seller_ids: [[0, 0, { partner_id: world.vendor.id, product_code: vendorCode, price: 5 + n }]] });
      world.products.push({ id, name: `${label} ${world.run}`, defaultCode, barcode, vendorCode, price: 5 + n, storedPrice: 5 + n });
    }
    for (const [i, p] of world.products.entries()) mappings.set(`retail:BUYER-${i}-${world.run}`, p.defaultCode);
  }, 60_000);

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(table(counts));
    await double?.close();
  });

  const partner = (code: 'retail' | 'supplier', odoo: Partial<OdooPartnerFile> = {}): Partner =>
    ({ code, name: code, odoo: { partner: { ref: code === 'retail' ? world.customer.ref : world.vendor.ref }, ...odoo } }) as unknown as Partner;
  const targetFor = (code: 'retail' | 'supplier', odoo: Partial<OdooPartnerFile> = {}): OdooTarget =>
    odooTarget({ client, partner: (c) => (c === code ? partner(code, odoo) : undefined), productMappings: (p, codes) => (mappingReads.push(codes), mapped(p, codes)) });

  /** The calls of one posting (it must post). */
  const costOf = async (target: OdooTarget, code: string, documentType: string, document: unknown, setId: string): Promise<RecordedCall[]> => {
    const envelope: Envelope = envelopeFor(setId);
    const from = client.calls.length;
    await target.post({ documentId: 1, documentType, naturalKey: naturalKeyOf(code, envelope), partner: code, document, envelope });
    return client.calls.slice(from);
  };

  const product = (i: number) => world.products[i % world.products.length]!;
  let po = 0;
  const nextPo = () => `CC-${world.run}-${++po}`;

  const order = (lines: number) => PurchaseOrderSchema.parse({
    purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber: nextPo(), poDate: '2026-11-20',
    dates: [{ qualifier: '002', date: '2026-12-04' }],
    parties: [
      { role: 'ship_to', entityCode: 'ST', name: world.shipTo.name, ids: { gln: world.shipTo.gln } },
      { role: 'bill_to', entityCode: 'BT', name: 'AP', ids: { gln: world.billTo.gln } },
    ],
    // By GTIN, by our part number, by their part number through the mapping table, in turn.
    lines: Array.from({ length: lines }, (_, i) => ({
      lineNumber: String(i + 1), quantity: 10 + i, unit: 'EA', unitPrice: product(i).price,
      productIds: [{ gtin: `0${product(i).barcode}` }, { vendorPart: product(i).defaultCode }, { buyerPart: `BUYER-${i % 5}-${world.run}` }][i % 3],
    })),
  });
  const purchase = (lines: number) => seedPurchaseOrder(client, world, nextPo(), Array.from({ length: lines }, () => 10));
  const ack = (name: string, lines: number) => PurchaseOrderAckSchema.parse({
    purpose: 'original', ackType: 'AC', poNumber: name, poDate: '2026-11-20', sellerOrderNumber: `SO-${name}`,
    lines: Array.from({ length: lines }, (_, i) => ({ lineNumber: String(i + 1), quantity: 10, unit: 'EA', productIds: { vendorPart: product(i).vendorCode }, acks: [{ status: 'IA', statusName: 'item accepted', quantity: 10, unit: 'EA', productIds: {} }] })),
  });
  const asn = (name: string, lines: number) => ShipNoticeSchema.parse({
    purposeCode: '00', shipmentId: `SH-${name}`, shipDate: '2026-11-25', carrier: { scac: 'UPSN' }, proNumber: `PRO-${name}`,
    orders: [{ poNumber: name, packs: Array.from({ length: lines }, (_, i) => ({ sscc: `00${name.replace(/\D/g, '').slice(-8).padStart(8, '0')}${String(i + 1).padStart(8, '0')}`, items: [{ lineNumber: String(i + 1), productIds: { vendorPart: product(i).vendorCode }, quantityShipped: 10, unit: 'EA' }] })) }],
  });
  const bill = (name: string, lines: number) => {
    const items = Array.from({ length: lines }, (_, i) => ({ lineNumber: String(i + 1), quantity: 10, unit: 'EA', unitPrice: product(i).price, productIds: { vendorPart: product(i).vendorCode } }));
    return InvoiceSchema.parse({ invoiceNumber: `INV-${name}`, invoiceDate: '2026-11-26', poNumber: name, terms: [{ netDays: 30 }], lines: items, totals: { amount: Math.round(items.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100 } });
  };

  /** Posts two documents of `lines` lines through one new target: the first, then the next. */
  const measure = async (set: SetId, lines: 1 | 5): Promise<CallCount> => {
    let first: RecordedCall[];
    let next: RecordedCall[];
    if (set === '850') {
      const target = targetFor('retail');
      first = await costOf(target, 'retail', 'purchase_order', order(lines), '850');
      next = await costOf(target, 'retail', 'purchase_order', order(lines), '850');
    } else {
      const target = targetFor('supplier');
      const [a, b] = [await purchase(lines), await purchase(lines)];
      const [type, make] = set === '855' ? ['purchase_order_ack', ack] as const : set === '856' ? ['ship_notice', asn] as const : ['invoice', bill] as const;
      first = await costOf(target, 'supplier', type, make(a.name, lines), set);
      next = await costOf(target, 'supplier', type, make(b.name, lines), set);
    }
    const count = { set, lines, first, next };
    counts.push(count);
    return count;
  };

  for (const set of ['850', '855', '856', '810'] as const) {
    for (const lines of [1, 5] as const) {
      it(`${set}, ${lines} line${lines === 1 ? '' : 's'}: the next document costs at most ${NEXT_AT_MOST[set][lines]} calls`, async () => {
        const { first, next } = await measure(set, lines);
        expect(next.length).toBeLessThanOrEqual(NEXT_AT_MOST[set][lines]);
        expect(next.length).toBeLessThanOrEqual(first.length);
        // Never more than one product search per document, whatever its line count.
        expect(first.filter((c) => c.model === 'product.product').length).toBeLessThanOrEqual(1);
      });
    }
  }

  it('reads the mapping table once per document, with every line\'s codes', async () => {
    const target = targetFor('retail');
    const document = order(5);
    const from = mappingReads.length;
    await costOf(target, 'retail', 'purchase_order', document, '850');
    const reads = mappingReads.slice(from);
    expect(reads).toHaveLength(1);
    // Lines 3 and 6 carry buyer part numbers (BUYER-2, ...): each code read once, all in that one read.
    const buyerCodes = document.lines.flatMap((l) => l.productIds.buyerPart ?? []);
    expect(buyerCodes.length).toBeGreaterThan(0);
    expect([...reads[0]!].sort()).toEqual(expect.arrayContaining([...new Set(buyerCodes)].sort()));
    expect(new Set(reads[0]).size).toBe(reads[0]!.length);
  });
});

function table(counts: readonly CallCount[]): string {
  const rows = counts.map((c) => `| ${c.set} | ${c.lines} | ${c.first.length} | ${c.next.length} | ${Object.entries(byMethod(c.next)).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  return ['Odoo calls per posted document (Odoo 18 double)', '| set | lines | first | next | next by model.method |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
