// The 856 builder against the Odoo double (18 and 19): a real 850 is posted and confirmed
// (confirmOrders), its delivery is filled over the API as a person would (lots, packages, carrier,
// weights), validated, and the 856 is built, written to X12 and read back in both hierarchies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import type { ShipNotice } from '../../../src/documents/ship-notice.js';
import { read856, write856 } from '../../../src/maps/856-ship-notice.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import { checkSscc } from '../../../src/maps/sscc.js';
import { makeShipNoticeBuilder, shipNoticeBuilder } from '../../../src/odoo/builders/856-ship-notice.js';
import { packageSscc } from '../../../src/odoo/builders/856-ship-notice-document.js';
import type { BuildContext, BuildOutcome, StoredInbound } from '../../../src/odoo/builders/types.js';
import { createOdooClient, type OdooClient, type OdooRecord } from '../../../src/odoo/client/client.js';
import { loadOdooSchema } from '../../../src/odoo/field-names.js';
import { odooTarget } from '../../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../../odoo-double/index.js';
import { envelopeFor, naturalKeyOf, purchaseOrder } from '../support/documents.js';
import { mappingsFrom } from '../support/mappings.js';
import { runId, seedPurchaseOrder, seedWorld, type World } from '../support/seed.js';
import { retailBuildContext } from '../support/builders.js';

const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));
const PREFIX = '0614141';

for (const version of [18, 19] as const) {
  describe(`856 from a done delivery, Odoo ${version} double`, () => {
    let double: OdooDouble;
    let client: OdooClient;
    let world: World;
    const stored = new Map<string, StoredInbound<PurchaseOrder>>();
    let odoo: Partial<OdooPartnerFile>;
    let prefix: string | undefined = PREFIX;
    const builder = makeShipNoticeBuilder({ companyPrefix: () => prefix });

    beforeAll(async () => {
      double = await startOdooDouble({ version });
      client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      world = await seedWorld(client, runId());
      odoo = { partner: { ref: world.customer.ref }, confirmOrders: true };
    }, 60_000);
    afterAll(() => double?.close());

    const partner = (): Partner => ({ code: 'retail', name: world.customer.name, odoo }) as unknown as Partner;
    const context = () => retailBuildContext(client, world.customer.name, partner().odoo!, stored);
    const packageModel = () => (version >= 19 ? 'stock.package' : 'stock.quant.package');
    /** A carrier needs its delivery product (required on a real 19). */
    let carriers = 0;
    const deliveryProduct = () => client.create('product.product', { name: `Delivery ${world.run} ${++carriers}`, type: 'service' });

    /** Posts the 850 (confirmed by the posting), stores it, and gives its delivery with the moves by 850 line. */
    const post850 = async (po: PurchaseOrder): Promise<{ order: number; picking: number; moves: OdooRecord[] }> => {
      const target = odooTarget({ client, partner: (c) => (c === 'retail' ? partner() : undefined), productMappings: mappingsFrom((code) => (code === `BUYER-ALM-${world.run}` ? world.products[2]!.defaultCode : undefined)) });
      const envelope = envelopeFor('850');
      const result = await target.post({ documentId: 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document: po, envelope });
      stored.set(`retail|${po.poNumber}`, { documentId: stored.size + 1, document: po });
      const order = Number(/^sale\.order\/(\d+)/.exec(result.ref)![1]);
      const [so] = await client.read('sale.order', [order], ['picking_ids', 'state']);
      expect(so!['state']).toBe('sale');
      const picking = (so!['picking_ids'] as number[])[0]!;
      const [p] = await client.read('stock.picking', [picking], ['move_ids']);
      const moves = await client.read('stock.move', p!['move_ids'] as number[], ['product_id', 'move_line_ids', 'location_id', 'location_dest_id']);
      const byProduct = (i: number) => moves.find((m) => idOf(m['product_id']) === world.products[i]!.id)!;
      return { order, picking, moves: [byProduct(0), byProduct(1), byProduct(2)] };
    };

    /** The move's lines replaced by these (quantity, lot, package), all picked. */
    const fill = async (picking: number, move: OdooRecord, lines: Array<{ quantity: number; lot?: number; pkg?: number }>) => {
      const qty = (await loadOdooSchema(client)).names.moveLineQuantity;
      const existing = move['move_line_ids'] as number[];
      const vals = (l: { quantity: number; lot?: number; pkg?: number }) => ({ [qty]: l.quantity, lot_id: l.lot ?? false, result_package_id: l.pkg ?? false, picked: true });
      const commands = lines.map((l, i) => (existing[i] !== undefined ? [1, existing[i], vals(l)] : [0, 0, {
        ...vals(l), product_id: idOf(move['product_id']), picking_id: picking, location_id: idOf(move['location_id']), location_dest_id: idOf(move['location_dest_id']),
      }]));
      for (const extra of existing.slice(lines.length)) commands.push([2, extra, 0]);
      await client.write('stock.move', [move.id], { move_line_ids: commands });
    };

    const built = (outcome: BuildOutcome<'856'>): ShipNotice => {
      if (!('built' in outcome)) throw new Error(`not built: ${JSON.stringify(outcome)}`);
      return outcome.built;
    };

    /** write856 in both versions, validated by our specs, read back: the same hierarchy, PO, lines, SSCCs and lots. */
    const roundTrip = (asn: ShipNotice) => {
      const shape = (doc: ShipNotice) => ({
        structure: doc.structureCode, shipment: doc.shipmentId, carrier: doc.carrier?.scac, pro: doc.proNumber, bol: doc.billOfLading, weight: doc.lading?.weight,
        orders: doc.orders.map((o) => ({
          po: o.poNumber,
          packs: o.packs.map((p) => ({ sscc: p.sscc, weight: p.lading?.weight, items: p.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit, i.lots.map((l) => l.number), i.dates]) })),
          items: o.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit, i.lots.map((l) => l.number), i.dates]),
        })),
      });
      for (const x12 of ['004010', '005010'] as const) {
        const { transaction, findings } = rereadTransaction('856', write856(asn, x12), x12);
        expect(findings).toEqual([]);
        const back = read856(transaction);
        expect(back.findings).toEqual([]);
        expect(shape(back.document!)).toEqual(shape(asn));
      }
    };

    it('S/O/I: a delivery without packages, with a lot and its expiry, carrier SCAC, tracking and weight; a pack unit said as the 850 said it', async () => {
      const [units] = await client.searchRead('uom.uom', [['id', '=', world.unitsId]], { fields: version >= 19 ? ['id'] : ['id', 'category_id'] });
      const caseOf = (n: number) => client.create('uom.uom', version >= 19 ? { name: `Case of ${n} ${world.run}`, relative_factor: n, relative_uom_id: world.unitsId } : { name: `Case of ${n} ${world.run}`, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / n });
      await caseOf(12);
      await caseOf(4);
      odoo = { ...odoo, units: { CA: `Case of 12 ${world.run}` } };
      const po = purchaseOrder(world, `PO-856A-${world.run}`);
      po.lines[0] = { ...po.lines[0]!, unit: 'CA', quantity: 10, unitPrice: 75, pack: { pack: 4 } };
      const { order, picking, moves } = await post850(po);
      const ctx = await context();
      expect(await builder.build(ctx, picking)).toEqual({ skipped: expect.stringContaining('is not done (state assigned)') });

      const lot = await client.create('stock.lot', { name: `LOT-${world.run}`, product_id: world.products[0]!.id, expiration_date: '2027-05-31 00:00:00' });
      await fill(picking, moves[0]!, [{ quantity: 40, lot }]);
      await fill(picking, moves[1]!, [{ quantity: 48 }]);
      await fill(picking, moves[2]!, [{ quantity: 15.5 }]);
      const carrier = await client.create('delivery.carrier', { name: 'UPSN', product_id: await deliveryProduct() });
      // The weight is Odoo's, from the products: 48 x 0.5 + 15.5 x 0.45 = 30.975. 18 computes
      // shipping_weight unrounded and ignores a write to it (sent as 30.98); 19 stores what was written
      // and keeps it through validation: 212.4 is sent [verified on real 18 and 19].
      const weigh = (kg: number[]) => Promise.all(kg.map((w, i) => client.write('product.product', [world.products[i]!.id], { weight: w })));
      await weigh([0, 0.5, 0.45]);
      await client.write('stock.picking', [picking], { carrier_id: carrier, carrier_tracking_ref: `1Z-${world.run}`, shipping_weight: 212.4 });
      expect(await client.call('stock.picking', 'button_validate', [picking])).toBe(true);
      const [weights] = await client.read('stock.picking', [picking], ['shipping_weight', 'weight', 'weight_uom_name']);
      expect(weights).toMatchObject({ shipping_weight: version === 18 ? 30.975 : 212.4, weight: 30.98, weight_uom_name: 'kg' });

      const outcome = await builder.build(ctx, picking);
      const asn = built(outcome);
      const [p] = await client.read('stock.picking', [picking], ['name', 'write_date', 'date_done']);
      const [so] = await client.read('sale.order', [order], ['name']);
      expect(outcome).toMatchObject({
        source: { model: 'stock.picking', id: picking, name: p!['name'], writeDate: p!['write_date'] },
        details: { inboundDocumentId: stored.get(`retail|${po.poNumber}`)!.documentId, saleOrder: so!['name'], hierarchy: 'S/O/I' },
      });
      expect(asn).toMatchObject({
        purposeCode: '00', shipmentId: p!['name'], shipDate: String(p!['date_done']).slice(0, 10), structureCode: '0004',
        billOfLading: p!['name'], proNumber: `1Z-${world.run}`,
        carrier: { idQualifier: '2', scac: 'UPSN' },
        lading: { weightQualifier: 'G', weight: version === 18 ? 30.98 : 212.4, weightUnit: 'KG' },
      });
      expect(asn.parties.map((x) => [x.entityCode, x.ids.gln])).toEqual([['ST', world.shipTo.gln], ['SF', undefined]]);
      const [o] = asn.orders;
      expect(o).toMatchObject({ poNumber: po.poNumber, poDate: '2026-11-20', references: [{ qualifier: 'VN', value: so!['name'] }], packs: [] });
      expect(o!.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit, i.quantityOrdered, i.lots.map((l) => l.number), i.dates, i.productIds])).toEqual([
        ['1', 10, 'CA', 10, [`LOT-${world.run}`], [{ qualifier: '036', date: '2027-05-31' }], po.lines[0]!.productIds],
        ['2', 48, 'EA', 48, [], [], po.lines[1]!.productIds],
        ['3', 15.5, 'EA', 15.5, [], [], po.lines[2]!.productIds],
      ]);
      roundTrip(asn);
      odoo = { partner: { ref: world.customer.ref }, confirmOrders: true };
      await weigh([0, 0, 0]);
    });

    it('S/O/P/I: one SSCC-18 per package (prefix + package id, or a name that is one), pack weights, a partial delivery; held without a prefix', async () => {
      const po = purchaseOrder(world, `PO-856B-${world.run}`);
      const { picking, moves } = await post850(po);
      const model = packageModel();
      const first = await client.create(model, {});
      const labelled = await client.create(model, { name: '106141411234567897' });
      await client.write(model, [first], { shipping_weight: 18.5 });
      await client.write(model, [labelled], { shipping_weight: 7.25 });
      await fill(picking, moves[0]!, [{ quantity: 80, pkg: first }, { quantity: 40, pkg: labelled }]);
      await fill(picking, moves[1]!, [{ quantity: 48, pkg: first }]);
      // Line 3 is not shipped now: it waits in a backorder.
      await fill(picking, moves[2]!, [{ quantity: 0 }]);
      await client.write('stock.move', [moves[2]!.id], { picked: false });
      await client.call('stock.picking', 'button_validate', [picking], undefined, { skip_backorder: true });
      const [done] = await client.read('stock.picking', [picking], ['state', 'backorder_ids', 'name']);
      expect(done!['state']).toBe('done');
      const backorder = (done!['backorder_ids'] as number[])[0]!;

      prefix = undefined;
      const held = await builder.build(await context(), picking);
      const [firstPkg] = await client.read(model, [first], ['name']);
      expect(held).toEqual({
        held: `delivery ${String(done!['name'])}: package ${String(firstPkg!['name'])} (${model} ${first}) needs an SSCC-18 but no GS1 company prefix is configured: set GS1_COMPANY_PREFIX (4 to 12 digits) in the gateway's environment, or name the package by its SSCC-18, then build again`,
        source: expect.objectContaining({ id: picking }),
      });
      prefix = PREFIX;

      const outcome = await builder.build(await context(), picking);
      const asn = built(outcome);
      const sscc = packageSscc({ id: first, name: String(firstPkg!['name']) }, PREFIX);
      expect(sscc).toEqual({ sscc: expect.stringMatching(/^00614141\d{10}$/) });
      expect(checkSscc((sscc as { sscc: string }).sscc).problem).toBeUndefined();
      expect(asn.structureCode).toBe('0001');
      expect(asn.lading).toMatchObject({ packagingCode: 'CTN25', quantity: 2 });
      expect(asn.carrier).toBeUndefined();
      const [o] = asn.orders;
      expect(o!.items).toEqual([]);
      expect(o!.packs.map((p) => [p.sscc, p.lading?.weight, p.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit])])).toEqual([
        [(sscc as { sscc: string }).sscc, 18.5, [['1', 80, 'EA'], ['2', 48, 'EA']]],
        ['106141411234567897', 7.25, [['1', 40, 'EA']]],
      ]);
      // The same package gives the same number at the next build (a regenerate sends the same labels).
      expect(built(await builder.build(await context(), picking)).orders[0]!.packs.map((p) => p.sscc)).toEqual(o!.packs.map((p) => p.sscc));
      roundTrip(asn);

      // The backorder is not done yet; the trigger domain finds the done delivery only.
      expect(await builder.build(await context(), backorder)).toEqual({ skipped: expect.stringContaining('is not done') });
      const found = await client.search(builder.model, builder.triggerDomain((await context()).schema));
      expect(found).toContain(picking);
      expect(found).not.toContain(backorder);
    });

    it('holds a delivery whose carrier has no SCAC, and a package without weight; builds once they are filled', async () => {
      const po = purchaseOrder(world, `PO-856C-${world.run}`);
      const { picking, moves } = await post850(po);
      const model = packageModel();
      const box = await client.create(model, {});
      for (const move of moves) await fill(picking, move, [{ quantity: 0 }]);
      await fill(picking, moves[1]!, [{ quantity: 48, pkg: box }]);
      const carrier = await client.create('delivery.carrier', { name: `Fast Freight ${world.run}`, product_id: await deliveryProduct() });
      await client.write('stock.picking', [picking], { carrier_id: carrier });
      await client.call('stock.picking', 'button_validate', [picking], undefined, { skip_backorder: true, picking_ids_not_to_backorder: [picking] });
      const [p] = await client.read('stock.picking', [picking], ['name', 'state']);
      expect(p!['state']).toBe('done');
      const [pkg] = await client.read(model, [box], ['name']);
      const outcome = await builder.build(await context(), picking);
      expect('held' in outcome && outcome.held.split('\n')).toEqual([
        `delivery ${String(p!['name'])}: carrier 'Fast Freight ${world.run}' (delivery.carrier ${carrier}) has no SCAC: fill its x_scac field (a custom field) or name the carrier by its SCAC (2 to 4 capital letters), then build again`,
        `delivery ${String(p!['name'])}: package ${String(pkg!['name'])} (${model} ${box}) has no weight: fill its shipping weight (shipping_weight), then build again`,
      ]);
      await client.write('delivery.carrier', [carrier], { name: 'ODFL' });
      await client.write(model, [box], { shipping_weight: 9 });
      const asn = built(await builder.build(await context(), picking));
      expect(asn.carrier).toMatchObject({ scac: 'ODFL' });
      expect(asn.orders[0]!.packs.map((x) => x.items.map((i) => [i.lineNumber, i.quantityShipped]))).toEqual([[['2', 48]]]);
      roundTrip(asn);
    });

    it('finds the sale order by origin without sale_id, reads GS1_COMPANY_PREFIX from the environment, and skips what did not come from an 850', async () => {
      const po = purchaseOrder(world, `PO-856D-${world.run}`);
      const { picking, moves } = await post850(po);
      const model = packageModel();
      const box = await client.create(model, {});
      await client.write(model, [box], { shipping_weight: 3 });
      for (const move of moves) await fill(picking, move, [{ quantity: 1, pkg: box }]);
      await client.call('stock.picking', 'button_validate', [picking], undefined, { skip_backorder: true, picking_ids_not_to_backorder: [picking] });
      await client.write('stock.picking', [picking], { sale_id: false });
      const saved = process.env['GS1_COMPANY_PREFIX'];
      process.env['GS1_COMPANY_PREFIX'] = '0012345';
      try {
        const asn = built(await shipNoticeBuilder.build(await context(), picking));
        expect(asn.orders[0]!.poNumber).toBe(po.poNumber);
        expect(asn.orders[0]!.packs[0]!.sscc).toMatch(/^00012345\d{10}$/);
      } finally {
        if (saved === undefined) delete process.env['GS1_COMPANY_PREFIX'];
        else process.env['GS1_COMPANY_PREFIX'] = saved;
      }
      const ctx = await context();
      stored.delete(`retail|${po.poNumber}`);
      expect(await builder.build(ctx, picking)).toEqual({ skipped: expect.stringContaining(`no 850 with PO number ${po.poNumber} was received`) });
      const manual = await client.create('sale.order', { partner_id: world.customer.id, order_line: [[0, 0, { product_id: world.products[0]!.id, product_uom_qty: 1 }]] });
      await client.call('sale.order', 'action_confirm', [manual]);
      const [m] = await client.read('sale.order', [manual], ['picking_ids']);
      const manualPicking = (m!['picking_ids'] as number[])[0]!;
      await client.call('stock.picking', 'button_validate', [manualPicking]);
      expect(await builder.build(ctx, manualPicking)).toEqual({ skipped: expect.stringContaining('has no customer reference (client_order_ref)') });
      const purchase = await seedPurchaseOrder(client, world, `P-856D-${world.run}`, [5]);
      const [receipt] = await client.read('purchase.order', [purchase.id], ['picking_ids']);
      expect(await builder.build(ctx, (receipt!['picking_ids'] as number[])[0]!)).toEqual({ skipped: expect.stringContaining('is not a delivery (incoming)') });
      expect(await builder.build(ctx, 999_999)).toEqual({ skipped: expect.stringContaining('does not exist') });
    });
  });
}
