// The 850 builder against the Odoo 18 and 19 doubles: a purchase order made and confirmed over the
// wire, built into the canonical 850, written with write850 and read back with the 850 reader; and
// the holds a person must resolve in Odoo (ship-to GLN, vendor product code, unit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { read850, write850 } from '../../../src/maps/850-purchase-order.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import { purchaseOrderBuilder } from '../../../src/odoo/builders/850-purchase-order.js';
import type { BuildContext, BuildOutcome } from '../../../src/odoo/builders/types.js';
import { createOdooClient, type OdooClient } from '../../../src/odoo/client/client.js';
import { fieldNamesFor, loadOdooSchema } from '../../../src/odoo/field-names.js';
import { idOf } from '../../../src/odoo/postings/context.js';
import { odooSettingsOf } from '../../../src/odoo/settings.js';
import type { OdooPartnerFile } from '../../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../../odoo-double/index.js';
import { runId, seedWorld, uniqueCode13, type World } from '../support/seed.js';

const PARTNER_FILE = 'partners/acme.yaml';

for (const version of [18, 19] as const) {
  describe(`850 builder against the Odoo ${version} double`, () => {
    let double: OdooDouble;
    let client: OdooClient;
    let world: World;
    let caseUnit: { id: number; name: string };
    let warehouseId: number;
    let dockGln: string;
    const run = runId();
    const uom = fieldNamesFor(version).purchaseLine.uom;

    const contextFor = async (odoo: Partial<OdooPartnerFile> = {}): Promise<BuildContext> => ({
      client,
      schema: await loadOdooSchema(client),
      partnerCode: 'acme',
      partnerName: world.vendor.name,
      partnerFile: PARTNER_FILE,
      settings: odooSettingsOf({ partner: { ref: world.vendor.ref }, units: { CA: caseUnit.name }, ...odoo }),
      inbound: { purchaseOrder: () => Promise.resolve(undefined) },
    });
    const built = (outcome: BuildOutcome<'850'>): PurchaseOrder => {
      if (!('built' in outcome)) throw new Error(`not built: ${JSON.stringify(outcome)}`);
      return outcome.built;
    };
    /** A purchase order to the test vendor: a section first, then goods lines (product index, quantity, unit, price, date). */
    const createOrder = (lines: Array<[number, number, number, number, string]>, partnerId = world.vendor.id) =>
      client.create('purchase.order', {
        partner_id: partnerId,
        order_line: [
          [0, 0, { display_type: 'line_section', name: 'Pantry', sequence: 1 }],
          ...lines.map(([p, qty, unit, price, date], i) => [0, 0, { product_id: world.products[p]!.id, product_qty: qty, [uom]: unit, price_unit: price, date_planned: `${date} 12:00:00`, sequence: 10 + i }]),
        ],
      });

    beforeAll(async () => {
      double = await startOdooDouble({ version });
      client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      world = await seedWorld(client, run);
      // A case of 12 Units, as a person creates it in Odoo 18 (category, bigger, factor) or 19 (relative).
      const [units] = await client.read('uom.uom', [world.unitsId], version >= 19 ? ['id'] : ['id', 'category_id']);
      const caseName = `Case of 12 ${run}`;
      caseUnit = { name: caseName, id: await client.create('uom.uom', version >= 19 ? { name: caseName, relative_factor: 12, relative_uom_id: world.unitsId } : { name: caseName, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / 12 }) };
      const [warehouse] = await client.searchRead('stock.warehouse', [], { fields: ['id', 'partner_id'], limit: 1 });
      warehouseId = warehouse!.id;
      dockGln = uniqueCode13(run, 50);
    });
    afterAll(() => double?.close());

    it('skips a draft order; builds it once confirmed, and holds it while the warehouse address has no GLN', async () => {
      const ctx = await contextFor();
      const id = await createOrder([[0, 10, world.unitsId, 18.75, '2026-12-10'], [1, 2, caseUnit.id, 268.8, '2026-12-10'], [2, 7.5, world.unitsId, 3.125, '2026-12-14']]);
      const [{ name }] = (await client.read('purchase.order', [id], ['name'])) as [{ id: number; name: string }];
      expect(await purchaseOrderBuilder.build(ctx, id)).toEqual({ skipped: `purchase order ${name} is draft, not confirmed` });
      // The trigger domain finds confirmed orders only.
      expect(await client.search('purchase.order', [['id', '=', id], ...purchaseOrderBuilder.triggerDomain(ctx.schema)])).toEqual([]);
      await client.call('purchase.order', 'button_confirm', [id]);
      expect(await client.search('purchase.order', [['id', '=', id], ...purchaseOrderBuilder.triggerDomain(ctx.schema)])).toEqual([id]);

      // The seeded warehouse's address is the company, which has no GLN.
      const [company] = await client.read('res.partner', [1], ['name']);
      const held = await purchaseOrderBuilder.build(ctx, id);
      expect(held).toMatchObject({ held: `purchase order ${name}: ship-to address '${String(company!['name'])}' (warehouse WH) has no GLN: fill its ${version >= 19 ? 'Barcode or GLN' : 'Barcode'} in Odoo (Contacts > ${String(company!['name'])})`, source: { model: 'purchase.order', id } });

      const dockId = await client.create('res.partner', { name: `Main Dock ${run}`, barcode: dockGln, street: '1 Dock Rd', city: 'Austin', zip: '78701', state_id: 53, country_id: 233 });
      await client.write('stock.warehouse', [warehouseId], { partner_id: dockId });
      const calls = double.calls.length;
      const outcome = await purchaseOrderBuilder.build(ctx, id);
      // One supplierinfo search for all the lines.
      expect(double.calls.slice(calls).filter((c) => c.model === 'product.supplierinfo')).toHaveLength(1);
      const [order] = await client.read('purchase.order', [id], ['name', 'write_date', 'date_approve']);
      expect(outcome).toMatchObject({ source: { model: 'purchase.order', id, name: order!['name'], writeDate: order!['write_date'] } });
      const po = built(outcome);
      const [oats, honey, almonds] = world.products;
      const lines = await client.read('purchase.order.line', await client.search('purchase.order.line', [['order_id', '=', id], ['display_type', '=', false]], { order: 'sequence, id' }), ['price_unit']);
      expect(po).toMatchObject({
        purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber: order!['name'], poDate: String(order!['date_approve']).slice(0, 10), currency: 'USD',
        dates: [{ qualifier: '002', date: '2026-12-10' }],
        parties: [
          { role: 'ship_to', entityCode: 'ST', name: `Main Dock ${run}`, ids: { gln: dockGln }, address: { lines: ['1 Dock Rd'], city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } },
          { role: 'bill_to', entityCode: 'BT', name: String(company!['name']), address: { country: 'US' } },
        ],
      });
      // PO101 counts goods lines only (the section is not one); every id each product has.
      expect(po.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.productIds, l.dates])).toEqual([
        ['1', 10, 'EA', 18.75, { other: [], buyerPart: oats!.defaultCode, vendorPart: oats!.vendorCode, gtin: `0${oats!.barcode}` }, []],
        ['2', 2, 'CA', 268.8, { other: [], buyerPart: honey!.defaultCode, vendorPart: honey!.vendorCode, gtin: `0${honey!.barcode}` }, []],
        ['3', 7.5, 'EA', Number(lines[2]!['price_unit']), { other: [], buyerPart: almonds!.defaultCode, vendorPart: almonds!.vendorCode, gtin: `0${almonds!.barcode}` }, [{ qualifier: '002', date: '2026-12-14' }]],
      ]);
      // 18 keeps 2 decimals of a price, 19 all of them.
      expect(po.lines[2]!.unitPrice).toBe(version >= 19 ? 3.125 : 3.13);

      // Round trip: what write850 writes, the 850 reader reads back as the same order.
      for (const x12 of ['004010', '005010'] as const) {
        const { transaction, findings } = rereadTransaction('850', write850(po, x12), x12);
        expect(findings).toEqual([]);
        const read = read850(transaction);
        expect(read.findings).toEqual([]);
        expect(read.document).toEqual(po);
      }
    });

    it('holds a line whose product has no code of this vendor, and a unit without X12 code, naming both', async () => {
      const bare = await client.create('product.product', { name: `Sea Salt ${run}`, default_code: `AC-1009-${run}`, type: 'consu' });
      world.products.push({ id: bare, name: `Sea Salt ${run}`, defaultCode: `AC-1009-${run}`, barcode: '', vendorCode: '', price: 2, storedPrice: 2 });
      const id = await createOrder([[0, 1, caseUnit.id, 200, '2026-12-10'], [3, 5, world.unitsId, 2, '2026-12-10']]);
      await client.call('purchase.order', 'button_confirm', [id]);
      const [order] = await client.read('purchase.order', [id], ['name']);
      const name = String(order!['name']);

      const noCase = await purchaseOrderBuilder.build(await contextFor({ units: {} }), id);
      expect(noCase).toEqual({
        held: [
          `purchase order ${name} line 1 (${world.products[0]!.name}): unit '${caseUnit.name}' has no X12 unit code: add it to odoo.units in ${PARTNER_FILE} (<X12 code>: ${caseUnit.name}, e.g. CA: ${caseUnit.name})`,
          `purchase order ${name} line 2 (Sea Salt ${run}): product has no vendor product code for ${world.vendor.name} (Purchase tab of the product), or leave supplierCode out of odoo.products.match in ${PARTNER_FILE} if ${world.vendor.name} knows products by barcode or our Internal Reference`,
        ].join('; '),
        source: expect.objectContaining({ id, name }),
      });

      // A partner that knows our references gets the line with its BP only.
      const loose = built(await purchaseOrderBuilder.build(await contextFor({ products: { match: ['gtin', 'defaultCode'] } }), id));
      expect(loose.lines[1]).toMatchObject({ lineNumber: '2', quantity: 5, unit: 'EA', productIds: { other: [], buyerPart: `AC-1009-${run}` } });
      expect(loose.lines[1]!.productIds.vendorPart).toBeUndefined();

      // Once the product has the vendor's code (on the vendor company, the order going to its contact), it is sent.
      await client.write('product.product', [bare], { seller_ids: [[0, 0, { partner_id: world.vendor.id, product_code: `SALT-${run}`, price: 2 }]] });
      const contact = await client.create('res.partner', { name: `Orders Desk ${run}`, parent_id: world.vendor.id, type: 'contact' });
      const toContact = await createOrder([[3, 5, world.unitsId, 2, '2026-12-10']], contact);
      await client.call('purchase.order', 'button_confirm', [toContact]);
      const po = built(await purchaseOrderBuilder.build(await contextFor(), toContact));
      expect(po.lines[0]!.productIds).toEqual({ other: [], buyerPart: `AC-1009-${run}`, vendorPart: `SALT-${run}` });
    });

    if (version >= 19) {
      it('reads the ship-to GLN from global_location_number when the barcode is empty (19)', async () => {
        const gln = uniqueCode13(run, 60);
        const dockId = await client.create('res.partner', { name: `Cold Dock ${run}`, global_location_number: gln });
        await client.write('stock.warehouse', [warehouseId], { partner_id: dockId });
        const id = await createOrder([[0, 1, world.unitsId, 18.75, '2026-12-10']]);
        await client.call('purchase.order', 'button_confirm', [id]);
        const po = built(await purchaseOrderBuilder.build(await contextFor(), id));
        expect(po.parties[0]).toMatchObject({ role: 'ship_to', name: `Cold Dock ${run}`, ids: { gln } });
      });
    }

    it('skips an order that no longer exists', async () => {
      expect(await purchaseOrderBuilder.build(await contextFor(), 999999)).toEqual({ skipped: 'purchase.order 999999 does not exist (deleted)' });
    });
  });
}
