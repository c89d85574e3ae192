// The posting tests, written once and run against the Odoo double (18 and 19) and, when
// ODOO_URL & co. are set, against a real Odoo. Each posting is checked for what it writes, for
// its replay (no mutation at all), and for the precise business error of each master-data gap.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/documents/common.js';
import { TargetError, type PostingTarget } from '../../../src/jobs/ports.js';
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { fieldNamesFor } from '../../../src/odoo/field-names.js';
import { odooTarget } from '../../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { envelopeFor, invoice, naturalKeyOf, pricedPurchaseOrderAck, purchaseOrder, purchaseOrderAck, shipNotice } from './documents.js';
import { recordingClient } from './recording-client.js';
import { runId, seedPurchaseOrder, seedWorld, type World } from './seed.js';
import { mappingsFrom, noMappings } from './mappings.js';

export interface SuiteConnection {
  client: OdooClient;
}

type Rec = ReturnType<typeof recordingClient>;

export function postingSuite(connect: () => Promise<SuiteConnection>): void {
  let client: Rec;
  let world: World;
  const mappings = new Map<string, string>();

  beforeAll(async () => {
    const c = await connect();
    client = recordingClient(c.client);
    world = await seedWorld(client, runId());
    mappings.set(`retail:BUYER-ALM-${world.run}`, world.products[2]!.defaultCode);
  }, 60_000);

  const partner = (code: 'retail' | 'supplier', odoo: Partial<OdooPartnerFile> = {}): Partner =>
    ({ code, name: code === 'retail' ? world.customer.name : world.vendor.name, odoo: { partner: { ref: code === 'retail' ? world.customer.ref : world.vendor.ref }, ...odoo } }) as unknown as Partner;

  const targetFor = (code: 'retail' | 'supplier', odoo: Partial<OdooPartnerFile> = {}): PostingTarget =>
    odooTarget({ client, partner: (c) => (c === code ? partner(code, odoo) : undefined), productMappings: mappingsFrom((theirCode, p) => mappings.get(`${p}:${theirCode}`)) });

  const post = (target: PostingTarget, code: string, documentType: string, document: unknown, envelope: Envelope = envelopeFor(setOf(documentType))) =>
    target.post({ documentId: 1, documentType, naturalKey: naturalKeyOf(code, envelope), partner: code, document, envelope });

  /** Posts, then posts the same again and expects the same ref and not one mutating call. */
  const postTwice = async (target: PostingTarget, code: string, documentType: string, document: unknown) => {
    const envelope = envelopeFor(setOf(documentType));
    const first = await post(target, code, documentType, document, envelope);
    const before = client.mutations().length;
    const again = await post(target, code, documentType, document, envelope);
    expect(again.ref).toBe(first.ref);
    expect(client.mutations().slice(before)).toEqual([]);
    return first;
  };

  /** A business refusal; `code`: the catalog code of the posting's own failure, kept in details.failure. */
  const rejection = async (promise: Promise<unknown>, code?: string): Promise<TargetError> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).kind).toBe('business');
    if (code) expect((error as TargetError).details['failure']).toMatchObject({ code });
    return error as TargetError;
  };

  const idOf = (v: unknown) => (Array.isArray(v) ? v[0] : v);

  describe('850 -> sale.order', () => {
    it('creates the order with customer, ship-to and bill-to by GLN, products by GTIN, our part and the mapping table; a replay changes nothing', async () => {
      const po = purchaseOrder(world, `PO-A-${world.run}`);
      const result = await postTwice(targetFor('retail'), 'retail', 'purchase_order', po);
      const id = Number(/^sale\.order\/(\d+)/.exec(result.ref)![1]);
      const uom = fieldNamesFor(world.version).saleLine.uom;
      const [order] = await client.read('sale.order', [id], ['partner_id', 'partner_shipping_id', 'partner_invoice_id', 'client_order_ref', 'state', 'order_line', 'commitment_date']);
      expect(idOf(order!['partner_id'])).toBe(world.customer.id);
      expect(idOf(order!['partner_shipping_id'])).toBe(world.shipTo.id);
      expect(idOf(order!['partner_invoice_id'])).toBe(world.billTo.id);
      expect(order!['client_order_ref']).toBe(po.poNumber);
      expect(order!['state']).toBe('draft');
      expect(String(order!['commitment_date'])).toMatch(/^2026-12-04/);
      const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['product_id', 'product_uom_qty', 'price_unit', uom]);
      lines.sort((a, b) => a.id - b.id);
      expect(lines.map((l) => [idOf(l['product_id']), l['product_uom_qty'], l['price_unit'], idOf(l[uom])])).toEqual(
        world.products.map((p, i) => [p.id, po.lines[i]!.quantity, p.storedPrice, world.unitsId]),
      );
    });

    it('confirms when the partner says so (and a replay confirms nothing twice)', async () => {
      const result = await postTwice(targetFor('retail', { confirmOrders: true }), 'retail', 'purchase_order', purchaseOrder(world, `PO-B-${world.run}`));
      const [order] = await client.read('sale.order', [Number(result.ref.split('/')[1]!.split(' ')[0])], ['state']);
      expect(order!['state']).toBe('sale');
    });

    it('rejects an unknown ship-to with the GLN and name it looked for, creates nothing, and posts after the address exists', async () => {
      const gln = `9${world.shipTo.gln.slice(1)}`;
      const po = purchaseOrder(world, `PO-C-${world.run}`);
      po.parties[1] = { ...po.parties[1]!, name: `STORE 12 ${world.run}`, ids: { gln, other: [] } };
      const envelope = envelopeFor('850');
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', po, envelope), 'ODOO_MASTER_DATA_GAP');
      expect(error.message).toContain(`GLN ${gln}`);
      expect(error.message).toContain(`STORE 12 ${world.run}`);
      expect(error.message).toContain('createMissing');
      expect(await client.search('sale.order', [['client_order_ref', '=', po.poNumber]])).toEqual([]);
      const storeId = await client.create('res.partner', { name: `Store 12 ${world.run}`, parent_id: world.customer.id, type: 'delivery', barcode: gln });
      const result = await post(targetFor('retail'), 'retail', 'purchase_order', po, envelope);
      const [order] = await client.read('sale.order', [Number(result.ref.split('/')[1]!.split(' ')[0])], ['partner_shipping_id']);
      expect(idOf(order!['partner_shipping_id'])).toBe(storeId);
    });

    it('creates a missing ship-to when the partner allows it', async () => {
      const gln = `8${world.shipTo.gln.slice(1)}`;
      const po = purchaseOrder(world, `PO-D-${world.run}`);
      po.parties[1] = { ...po.parties[1]!, name: `STORE 14 ${world.run}`, ids: { gln, other: [] }, address: { lines: ['1 Main St'], city: 'Dayton', postalCode: '45402', country: 'US' } };
      await post(targetFor('retail', { shipTo: { createMissing: true } }), 'retail', 'purchase_order', po);
      const created = await client.searchRead('res.partner', [['barcode', '=', gln]], { fields: ['parent_id', 'type', 'city', 'name'] });
      expect(created).toHaveLength(1);
      expect(idOf(created[0]!['parent_id'])).toBe(world.customer.id);
      expect(created[0]!['type']).toBe('delivery');
      expect(created[0]!['city']).toBe('Dayton');
    });

    it('lists every unknown product and unit at once, with what to do', async () => {
      const po = purchaseOrder(world, `PO-E-${world.run}`);
      po.lines[0] = { ...po.lines[0]!, productIds: { buyerPart: `NOPE-${world.run}`, gtin: '00000000000017', other: [] } };
      po.lines[1] = { ...po.lines[1]!, unit: 'CA' };
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', po), 'ODOO_MASTER_DATA_GAP');
      expect(error.message).toContain(`line 1: unknown product`);
      expect(error.message).toContain(`edi products map retail NOPE-${world.run}`);
      expect(error.message).toContain("barcode UK '00000000000017'");
      expect(error.message).toMatch(/line 2: X12 unit 'CA' has no Odoo unit: add it to odoo.units in partners\/retail.yaml/);
      expect(await client.search('sale.order', [['client_order_ref', '=', po.poNumber]])).toEqual([]);
    });

    it('up to Odoo 18 refuses a unit of another category than the product\'s, naming line and product (19 takes it)', async () => {
      const po = purchaseOrder(world, `PO-K-${world.run}`);
      po.lines[0] = { ...po.lines[0]!, unit: 'KG' };
      const posting = post(targetFor('retail'), 'retail', 'purchase_order', po);
      if (world.version >= 19) {
        expect((await posting).ref).toMatch(/^sale\.order\//);
        return;
      }
      const error = await rejection(posting, 'ODOO_MASTER_DATA_GAP');
      expect(error.message).toMatch(new RegExp(`^line 1: .*${world.products[0]!.name} is sold in a unit of category Unit`));
      expect(error.message).toContain("orders it in 'kg' (X12 KG");
      expect(await client.search('sale.order', [['client_order_ref', '=', po.poNumber]])).toEqual([]);
    });

    it('rejects prices beyond the tolerance under the reject policy, and accepts them within', async () => {
      const po = purchaseOrder(world, `PO-F-${world.run}`);
      po.lines[0] = { ...po.lines[0]!, unitPrice: world.products[0]!.price * 1.1 };
      const error = await rejection(post(targetFor('retail', { prices: { policy: 'reject', tolerancePercent: 5 } }), 'retail', 'purchase_order', po), 'ODOO_PRICE_MISMATCH');
      expect(error.message).toContain(`line 1: EDI price ${po.lines[0]!.unitPrice}, Odoo price ${world.products[0]!.price}`);
      const result = await post(targetFor('retail', { prices: { policy: 'reject', tolerancePercent: 15 } }), 'retail', 'purchase_order', po);
      expect(result.ref).toMatch(/^sale\.order\//);
    });

    it('cancels an order nothing was delivered from; a cancellation of an unknown PO is rejected', async () => {
      const po = purchaseOrder(world, `PO-G-${world.run}`);
      const created = await post(targetFor('retail'), 'retail', 'purchase_order', po);
      const cancel = { ...po, purpose: 'cancellation' as const, purposeCode: '01' };
      const result = await postTwice(targetFor('retail'), 'retail', 'purchase_order', cancel);
      expect(result.ref).toBe(created.ref);
      const [order] = await client.read('sale.order', [Number(created.ref.split('/')[1]!.split(' ')[0])], ['state']);
      expect(order!['state']).toBe('cancel');
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', { ...cancel, poNumber: `PO-NONE-${world.run}` }), 'ODOO_MASTER_DATA_GAP');
      expect(error.message).toContain(`no sale order with this customer reference`);
    });

    it('cancels a confirmed order nothing was delivered from, and rejects the cancellation once goods are delivered', async () => {
      const po = purchaseOrder(world, `PO-G2-${world.run}`);
      const created = await post(targetFor('retail', { confirmOrders: true }), 'retail', 'purchase_order', po);
      const id = Number(created.ref.split('/')[1]!.split(' ')[0]);
      const cancel = { ...po, purpose: 'cancellation' as const, purposeCode: '01' };
      await postTwice(targetFor('retail'), 'retail', 'purchase_order', cancel);
      const [order] = await client.read('sale.order', [id], ['state', 'picking_ids']);
      expect(order!['state']).toBe('cancel');
      const pickings = await client.read('stock.picking', order!['picking_ids'] as number[], ['state']);
      expect(pickings.map((p) => p['state'])).toEqual(pickings.map(() => 'cancel'));

      const shipped = purchaseOrder(world, `PO-G3-${world.run}`);
      const shippedRef = await post(targetFor('retail', { confirmOrders: true }), 'retail', 'purchase_order', shipped);
      const [shippedOrder] = await client.read('sale.order', [Number(shippedRef.ref.split('/')[1]!.split(' ')[0])], ['name', 'picking_ids']);
      const [delivery] = shippedOrder!['picking_ids'] as number[];
      const [pick] = await client.read('stock.picking', [delivery!], ['move_ids']);
      const moves = await client.read('stock.move', pick!['move_ids'] as number[], ['product_uom_qty']);
      for (const m of moves) await client.write('stock.move', [m.id], { quantity: m['product_uom_qty'], picked: true });
      expect(await client.call('stock.picking', 'button_validate', [delivery!])).toBe(true);
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', { ...shipped, purpose: 'cancellation' as const, purposeCode: '01' }), 'ODOO_ORDER_STATE');
      expect(error.message).toContain(`sale order ${String(shippedOrder!['name'])} has delivered goods`);
    });

    it('replaces the lines of an unconfirmed order (only what differs) and refuses to touch a confirmed one', async () => {
      const po = purchaseOrder(world, `PO-H-${world.run}`);
      const created = await post(targetFor('retail'), 'retail', 'purchase_order', po);
      // Line 3's EDI price has three decimals: Odoo keeps it at two, and the replay must still see the line as unchanged.
      const replacement = { ...po, purpose: 'replace' as const, purposeCode: '05', lines: [{ ...po.lines[0]!, quantity: 7 }, po.lines[2]!] };
      await postTwice(targetFor('retail'), 'retail', 'purchase_order', replacement);
      const id = Number(created.ref.split('/')[1]!.split(' ')[0]);
      const [order] = await client.read('sale.order', [id], ['order_line']);
      const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['product_id', 'product_uom_qty']);
      expect(lines.map((l) => [idOf(l['product_id']), l['product_uom_qty']]).sort()).toEqual([[world.products[0]!.id, 7], [world.products[2]!.id, 15.5]].sort());
      await client.call('sale.order', 'action_confirm', [id]);
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', { ...replacement, lines: [po.lines[0]!] }), 'ODOO_ORDER_STATE');
      expect(error.message).toMatch(/is confirmed .*a person must apply the changes/);
    });

    it('records a duplicate (BEG01 07) without posting', async () => {
      const before = client.mutations().length;
      const result = await post(targetFor('retail'), 'retail', 'purchase_order', { ...purchaseOrder(world, `PO-I-${world.run}`), purpose: 'duplicate', purposeCode: '07' });
      expect(result.ref).toBe('not-posted:duplicate');
      expect(client.mutations().length).toBe(before);
    });

    it('refuses a purpose it does not post by itself (BEG01 04, change), touching nothing', async () => {
      const before = client.mutations().length;
      const error = await rejection(post(targetFor('retail'), 'retail', 'purchase_order', { ...purchaseOrder(world, `PO-J-${world.run}`), purpose: 'change' as const, purposeCode: '04' }), 'ODOO_PURPOSE_NOT_AUTOMATED');
      expect(error.message).toContain('has purpose 04 (BEG01), which is not posted automatically');
      expect(client.mutations().length).toBe(before);
    });

    it('says which partner file lacks its odoo section or names an unknown contact', async () => {
      const noSection = odooTarget({ client, partner: () => ({ code: 'retail', name: 'Retail' }) as Partner, productMappings: noMappings });
      expect((await rejection(post(noSection, 'retail', 'purchase_order', purchaseOrder(world, 'X')))).message).toContain('partners/retail.yaml has no odoo: section');
      const wrongRef = odooTarget({ client, partner: () => ({ code: 'retail', name: 'Retail', odoo: { partner: { ref: `NO-SUCH-${world.run}` } } }) as unknown as Partner, productMappings: noMappings });
      expect((await rejection(post(wrongRef, 'retail', 'purchase_order', purchaseOrder(world, 'X')), 'ODOO_MASTER_DATA_GAP')).message).toContain(`no contact in Odoo has Internal Reference 'NO-SUCH-${world.run}'`);
    });
  });

  describe('855 -> purchase.order', () => {
    it('records line results in a message, changes nothing without applyAckChanges, and a replay posts nothing', async () => {
      const po = await seedPurchaseOrder(client, world, `P-855A-${world.run}`, [100, 50, 20]);
      const result = await postTwice(targetFor('supplier'), 'supplier', 'purchase_order_ack', purchaseOrderAck(world, po.name));
      expect(result.ref).toBe(`purchase.order/${po.id} ${po.name}`);
      expect((result.details as { lines: { status: string }[] }).lines.map((l) => l.status)).toEqual(['IA', 'IQ', 'IR']);
      const [order] = await client.read('purchase.order', [po.id], ['partner_ref', 'order_line']);
      expect(order!['partner_ref']).toBe(`SO-${world.run}`);
      const lines = await client.read('purchase.order.line', order!['order_line'] as number[], ['product_qty']);
      expect(lines.map((l) => l['product_qty']).sort((a, b) => Number(a) - Number(b))).toEqual([20, 50, 100]);
      const messages = await client.searchRead('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', po.id], ['body', 'ilike', 'EDI 855']], { fields: ['body'] });
      expect(messages).toHaveLength(1);
      expect(String(messages[0]!['body'])).toContain('IQ item accepted, quantity changed, quantity 40 (ordered 50)');
    });

    it('applies quantity and date changes when allowed', async () => {
      const po = await seedPurchaseOrder(client, world, `P-855B-${world.run}`, [100, 50, 20]);
      await postTwice(targetFor('supplier', { applyAckChanges: true }), 'supplier', 'purchase_order_ack', purchaseOrderAck(world, po.name));
      const [order] = await client.read('purchase.order', [po.id], ['order_line']);
      const lines = await client.read('purchase.order.line', order!['order_line'] as number[], ['product_id', 'product_qty', 'date_planned']);
      const byProduct = new Map(lines.map((l) => [idOf(l['product_id']), l]));
      expect(byProduct.get(world.products[0]!.id)!['product_qty']).toBe(100);
      expect(String(byProduct.get(world.products[0]!.id)!['date_planned'])).toMatch(/^2026-12-10/);
      expect(byProduct.get(world.products[1]!.id)!['product_qty']).toBe(40);
      expect(byProduct.get(world.products[2]!.id)!['product_qty']).toBe(0);
    });

    it('reads line prices by the 850 rule (PO104, else CTP by qualifier), applies a new price only under IP/IC when allowed', async () => {
      const po = await seedPurchaseOrder(client, world, `P-855C-${world.run}`, [100, 50, 20]);
      const ack = pricedPurchaseOrderAck(world, po.name);
      const unchanged = await postTwice(targetFor('supplier'), 'supplier', 'purchase_order_ack', ack);
      const results = (unchanged.details as { lines: { price?: number; priceSource?: string; orderedPrice?: number; applied: string[] }[] }).lines;
      expect(results.map((l) => [l.price, l.priceSource, l.orderedPrice])).toEqual([
        [world.products[0]!.price, 'CTP NET', undefined], // our price: nothing to report
        [21.9, 'CTP NET', world.products[1]!.price], // NET over the retail RES
        [3.5, 'PO104', world.products[2]!.storedPrice], // PO104 over CTP
      ]);
      const prices = async () => {
        const [order] = await client.read('purchase.order', [po.id], ['order_line']);
        const lines = await client.read('purchase.order.line', order!['order_line'] as number[], ['product_id', 'price_unit']);
        return world.products.map((p) => lines.find((l) => idOf(l['product_id']) === p.id)!['price_unit']);
      };
      expect(await prices()).toEqual(world.products.map((p) => p.storedPrice));

      const applied = await postTwice(targetFor('supplier', { applyAckChanges: true }), 'supplier', 'purchase_order_ack', ack);
      expect((applied.details as { lines: { applied: string[] }[] }).lines.map((l) => l.applied)).toEqual([[], ['price 21.9'], []]);
      // Line 3's other price came without IP/IC: reported in the message, not written.
      expect(await prices()).toEqual([world.products[0]!.storedPrice, 21.9, world.products[2]!.storedPrice]);
      const messages = await client.searchRead('mail.message', [['model', '=', 'purchase.order'], ['res_id', '=', po.id], ['body', 'ilike', 'EDI 855']], { fields: ['body'] });
      expect(messages.map((m) => String(m['body'])).join('\n')).toContain(`price 3.5 (PO104; ordered at ${world.products[2]!.storedPrice})`);
    });

    it('rejects an 855 for a PO Odoo does not have', async () => {
      const error = await rejection(post(targetFor('supplier'), 'supplier', 'purchase_order_ack', purchaseOrderAck(world, `P-NONE-${world.run}`)), 'ODOO_MASTER_DATA_GAP');
      expect(error.message).toContain(`no purchase order P-NONE-${world.run} of ${world.vendor.name}`);
    });
  });

  describe('856 -> receipt', () => {
    it('fills the receipt\'s move lines with lots and SSCC packages and a summary; a replay changes nothing', async () => {
      const po = await seedPurchaseOrder(client, world, `P-856A-${world.run}`, [10, 5]);
      const asn = shipNotice(world, po.name, { first: [6, 4], second: 5 });
      const result = await postTwice(targetFor('supplier'), 'supplier', 'ship_notice', asn);
      const pickingId = Number(/^stock\.picking\/(\d+)/.exec(result.ref)![1]);
      const [picking] = await client.read('stock.picking', [pickingId], ['state', 'move_ids']);
      expect(picking!['state']).not.toBe('done');
      if ('carrier_tracking_ref' in (await client.fieldsGet('stock.picking', ['type']))) {
        const [shipping] = await client.read('stock.picking', [pickingId], ['carrier_tracking_ref']);
        expect(shipping!['carrier_tracking_ref']).toBe(asn.proNumber);
      }
      const names = fieldNamesFor(world.version);
      const moves = await client.read('stock.move', picking!['move_ids'] as number[], ['product_id', 'move_line_ids']);
      const lineIds = moves.flatMap((m) => m['move_line_ids'] as number[]);
      const lines = await client.read('stock.move.line', lineIds, ['product_id', names.moveLineQuantity, 'lot_name', 'result_package_id']);
      const shipped = lines.map((l) => [idOf(l['product_id']), l[names.moveLineQuantity], l['lot_name'] || undefined, Array.isArray(l['result_package_id']) ? l['result_package_id'][1] : undefined]);
      expect(shipped).toEqual(expect.arrayContaining([
        [world.products[0]!.id, 6, `LOT-A-${world.run}`, asn.orders[0]!.packs[0]!.sscc],
        [world.products[0]!.id, 4, `LOT-B-${world.run}`, asn.orders[0]!.packs[1]!.sscc],
        [world.products[1]!.id, 5, undefined, asn.orders[0]!.packs[2]!.sscc],
      ]));
      expect(lines).toHaveLength(3);
      const packages = await client.search(names.packageModel, [['name', 'in', asn.orders[0]!.packs.map((p) => p.sscc)]]);
      expect(packages).toHaveLength(3);
    });

    it('validates when configured, keeping a backorder for what was not shipped', async () => {
      const po = await seedPurchaseOrder(client, world, `P-856B-${world.run}`, [10, 5]);
      const result = await postTwice(targetFor('supplier', { validateReceipts: true }), 'supplier', 'ship_notice', shipNotice(world, po.name, { first: [3, 3], second: 5 }));
      const pickingId = Number(/^stock\.picking\/(\d+)/.exec(result.ref)![1]);
      const [picking] = await client.read('stock.picking', [pickingId], ['state']);
      expect(picking!['state']).toBe('done');
      const backorders = await client.searchRead('stock.picking', [['backorder_id', '=', pickingId]], { fields: ['state'] });
      expect(backorders).toHaveLength(1);
      const [line] = await client.searchRead('purchase.order.line', [['order_id', '=', po.id], ['product_id', '=', world.products[0]!.id]], { fields: ['qty_received'] });
      expect(line!['qty_received']).toBe(6);
    });

    it('rejects an item that is not on the PO', async () => {
      const po = await seedPurchaseOrder(client, world, `P-856C-${world.run}`, [10]);
      const error = await rejection(post(targetFor('supplier'), 'supplier', 'ship_notice', shipNotice(world, po.name, { first: [1, 1], second: 1 })));
      expect(error.message).toContain(`is not on receipt`);
    });
  });

  describe('810 -> vendor bill', () => {
    it('creates a draft bill on the PO lines and records the three-way-match differences; a replay creates nothing', async () => {
      const po = await seedPurchaseOrder(client, world, `P-810A-${world.run}`, [10, 5]);
      await post(targetFor('supplier', { validateReceipts: true }), 'supplier', 'ship_notice', shipNotice(world, po.name, { first: [6, 4], second: 3 }));
      const inv = invoice(world, po.name, `INV-${world.run}`, [10, 5]);
      const result = await postTwice(targetFor('supplier'), 'supplier', 'invoice', inv);
      const billId = Number(/^account\.move\/(\d+)/.exec(result.ref)![1]);
      const [bill] = await client.read('account.move', [billId], ['move_type', 'state', 'ref', 'partner_id', 'invoice_date', 'invoice_date_due', 'invoice_line_ids']);
      expect(bill).toMatchObject({ move_type: 'in_invoice', state: 'draft', ref: inv.invoiceNumber, invoice_date: '2026-11-26', invoice_date_due: '2026-12-26' });
      expect(idOf(bill!['partner_id'])).toBe(world.vendor.id);
      const lines = await client.read('account.move.line', bill!['invoice_line_ids'] as number[], ['purchase_line_id', 'quantity', 'price_unit', 'display_type']);
      const productLines = lines.filter((l) => l['display_type'] === 'product');
      expect(productLines).toHaveLength(2);
      expect(productLines.every((l) => idOf(l['purchase_line_id']))).toBe(true);
      const mismatches = (result.details as { mismatches: { line: string; what: string }[] }).mismatches;
      expect(mismatches).toEqual(expect.arrayContaining([
        expect.objectContaining({ line: 'line 2', what: 'price' }),
        expect.objectContaining({ line: 'line 2', what: 'quantity-received' }),
      ]));
      expect(mismatches.some((m) => m.line === 'line 1')).toBe(false);
    });

    it('rejects an invoice line whose product is not on the PO', async () => {
      const po = await seedPurchaseOrder(client, world, `P-810B-${world.run}`, [10]);
      const error = await rejection(post(targetFor('supplier'), 'supplier', 'invoice', invoice(world, po.name, `INV-B-${world.run}`, [1, 1])));
      expect(error.message).toContain(`is not on purchase order ${po.name}`);
      expect(await client.search('account.move', [['ref', '=', `INV-B-${world.run}`]])).toEqual([]);
    });
  });
}

function setOf(documentType: string): string {
  return { purchase_order: '850', purchase_order_ack: '855', ship_notice: '856', invoice: '810' }[documentType] ?? '000';
}
