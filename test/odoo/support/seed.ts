// Master data for the posting tests, created over the external API (so the same seeding works on
// the double and on a real Odoo 18/19). Every code carries the run's suffix: a real database can
// run the suite again and again without the records of earlier runs getting in the way.
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { fieldNamesFor } from '../../../src/odoo/field-names.js';

export interface SeededProduct {
  id: number;
  name: string;
  defaultCode: string;
  barcode: string;
  vendorCode: string;
  /** The price the tests send in EDI (Raw Almonds has three decimals). */
  price: number;
  /** The list price as Odoo stored it: rounded to the field's digits (3.125 -> 3.13 by default). */
  storedPrice: number;
}

export interface World {
  run: string;
  version: number;
  customer: { id: number; ref: string; name: string };
  shipTo: { id: number; gln: string; name: string };
  billTo: { id: number; gln: string };
  vendor: { id: number; ref: string; name: string };
  products: SeededProduct[];
  unitsId: number;
}

/** A run suffix: letters and digits, different per run. */
export function runId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
}

/** A 13-digit GLN/EAN unique to the run (check digit computed, as real ones have). */
export function uniqueCode13(run: string, n: number): string {
  let h = 0;
  for (const c of `${run}:${n}`) h = (h * 31 + c.charCodeAt(0)) % 1e11;
  const body = `2${String(h).padStart(11, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export async function seedWorld(client: OdooClient, run: string): Promise<World> {
  const version = await client.version();
  const customerName = `EDI Test Retail ${run}`;
  const customerRef = `EDI-C-${run}`;
  const customerId = await client.create('res.partner', { name: customerName, ref: customerRef, is_company: true });
  const shipGln = uniqueCode13(run, 1);
  const billGln = uniqueCode13(run, 2);
  const shipToId = await client.create('res.partner', { name: `DC 07 ${run}`, parent_id: customerId, type: 'delivery', barcode: shipGln, street: '4400 Distribution Way', city: 'Cincinnati', zip: '45241' });
  const billToId = await client.create('res.partner', { name: `Accounts Payable ${run}`, parent_id: customerId, type: 'invoice', barcode: billGln });
  const vendorName = `EDI Test Supplier ${run}`;
  const vendorRef = `EDI-V-${run}`;
  const vendorId = await client.create('res.partner', { name: vendorName, ref: vendorRef, is_company: true });
  const [units] = await client.searchRead('uom.uom', [['name', '=', 'Units']], { fields: ['id'], limit: 1 });
  if (!units) throw new Error('no Units unit of measure in this Odoo');
  const products: SeededProduct[] = [];
  for (const [i, [label, price]] of ([['Rolled Oats', 18.75], ['Wildflower Honey', 22.4], ['Raw Almonds', 3.125]] as const).entries()) {
    const defaultCode = `AC-${1001 + i}-${run}`;
    const barcode = uniqueCode13(run, 10 + i);
    const vendorCode = `BL-${7721 + i}-${run}`;
    const name = `${label} ${run}`;
    const id = await client.create('product.product', {
      name,
      default_code: defaultCode,
      barcode,
      type: 'consu',
      ...(version >= 18 ? { is_storable: true } : {}),
      list_price: price,
      seller_ids: [[0, 0, { partner_id: vendorId, product_code: vendorCode, price }]],
    });
    const [stored] = await client.read('product.product', [id], ['list_price']);
    products.push({ id, name, defaultCode, barcode, vendorCode, price, storedPrice: Number(stored!['list_price']) });
  }
  return {
    run, version,
    customer: { id: customerId, ref: customerRef, name: customerName },
    shipTo: { id: shipToId, gln: shipGln, name: `DC 07 ${run}` },
    billTo: { id: billToId, gln: billGln },
    vendor: { id: vendorId, ref: vendorRef, name: vendorName },
    products,
    unitsId: units.id,
  };
}

/** A confirmed purchase order to the test supplier, named as we would have sent it in an 850. */
export async function seedPurchaseOrder(client: OdooClient, world: World, name: string, quantities: readonly number[]): Promise<{ id: number; name: string }> {
  const uom = fieldNamesFor(world.version).purchaseLine.uom;
  const id = await client.create('purchase.order', {
    partner_id: world.vendor.id,
    name,
    order_line: quantities.map((q, i) => [0, 0, { product_id: world.products[i]!.id, product_qty: q, price_unit: world.products[i]!.price, [uom]: world.unitsId, date_planned: '2026-12-01 12:00:00' }]),
  });
  await client.call('purchase.order', 'button_confirm', [id]);
  return { id, name };
}
