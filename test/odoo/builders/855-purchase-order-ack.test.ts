// The 855 builder against the Odoo double (18 and 19): a real 850 is posted as a sale order, a
// person's changes are made over the API, the order is confirmed, and the 855 is built, written
// to X12 and read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrderAck } from '../../../src/documents/purchase-order-ack.js';
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { purchaseOrderAckBuilder } from '../../../src/odoo/builders/855-purchase-order-ack.js';
import type { BuildContext, BuildOutcome, StoredInbound } from '../../../src/odoo/builders/types.js';
import { createOdooClient, type OdooClient } from '../../../src/odoo/client/client.js';
import { loadOdooSchema } from '../../../src/odoo/field-names.js';
import { odooTarget } from '../../../src/odoo/target.js';
import { read855, write855 } from '../../../src/maps/855-purchase-order-ack.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../../odoo-double/index.js';
import { envelopeFor, naturalKeyOf, purchaseOrder } from '../support/documents.js';
import { mappingsFrom } from '../support/mappings.js';
import { runId, seedWorld, type World } from '../support/seed.js';
import { retailBuildContext } from '../support/builders.js';

const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));

for (const version of [18, 19] as const) {
  describe(`855 from a confirmed sale order, Odoo ${version} double`, () => {
    let double: OdooDouble;
    let client: OdooClient;
    let world: World;
    /** The stored 850s, as the gateway's store would give them (partner|PO number). */
    const stored = new Map<string, StoredInbound<PurchaseOrder>>();
    let odoo: Partial<OdooPartnerFile>;

    beforeAll(async () => {
      double = await startOdooDouble({ version });
      client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      world = await seedWorld(client, runId());
      odoo = { partner: { ref: world.customer.ref } };
    }, 60_000);
    afterAll(() => double?.close());

    const partner = (): Partner => ({ code: 'retail', name: world.customer.name, odoo }) as unknown as Partner;

    const context = () => retailBuildContext(client, world.customer.name, partner().odoo!, stored);

    /** Posts the 850 through the Odoo target (as the gateway does), stores it, and gives the sale order's id and its lines by sequence. */
    const post850 = async (po: PurchaseOrder): Promise<{ id: number; lines: number[] }> => {
      const target = odooTarget({ client, partner: (c) => (c === 'retail' ? partner() : undefined), productMappings: mappingsFrom((code) => (code === `BUYER-ALM-${world.run}` ? world.products[2]!.defaultCode : undefined)) });
      const envelope = envelopeFor('850');
      const result = await target.post({ documentId: 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document: po, envelope });
      stored.set(`retail|${po.poNumber}`, { documentId: stored.size + 1, document: po });
      const id = Number(/^sale\.order\/(\d+)/.exec(result.ref)![1]);
      const [order] = await client.read('sale.order', [id], ['order_line']);
      const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['sequence']);
      return { id, lines: lines.sort((a, b) => Number(a['sequence']) - Number(b['sequence'])).map((l) => l.id) };
    };

    const confirm = (id: number) => client.call('sale.order', 'action_confirm', [id]);
    const built = (outcome: BuildOutcome<'855'>): PurchaseOrderAck => {
      if (!('built' in outcome)) throw new Error(`not built: ${JSON.stringify(outcome)}`);
      return outcome.built;
    };
    const statuses = (ack: PurchaseOrderAck) => ack.lines.map((l) => l.acks.map((a) => a.status).join('+'));

    /** write855, then the X12 read back: the same PO number, line numbers and statuses, in both versions. */
    const roundTrip = (ack: PurchaseOrderAck) => {
      for (const x12 of ['004010', '005010'] as const) {
        const { transaction, findings } = rereadTransaction('855', write855(ack, x12), x12);
        expect(findings).toEqual([]);
        const back = read855(transaction);
        expect(back.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(back.document!.poNumber).toBe(ack.poNumber);
        expect(back.document!.ackType).toBe(ack.ackType);
        expect(back.document!.sellerOrderNumber).toBe(ack.sellerOrderNumber);
        expect(back.document!.lines.map((l) => l.lineNumber)).toEqual(ack.lines.map((l) => l.lineNumber));
        expect(statuses(back.document!)).toEqual(statuses(ack));
        expect(back.document!.lines.map((l) => l.acks.map((a) => [a.quantity, a.unit, a.date]))).toEqual(ack.lines.map((l) => l.acks.map((a) => [a.quantity, a.unit, a.date])));
      }
    };

    it('skips a draft order, then acknowledges the confirmed one as ordered (AD, IA on every line)', async () => {
      const po = purchaseOrder(world, `PO-855A-${world.run}`);
      const { id } = await post850(po);
      const ctx = await context();
      expect(await purchaseOrderAckBuilder.build(ctx, id)).toEqual({ skipped: expect.stringContaining('is not confirmed (state draft)') });
      await confirm(id);
      const outcome = await purchaseOrderAckBuilder.build(ctx, id);
      const ack = built(outcome);
      const [order] = await client.read('sale.order', [id], ['name', 'write_date']);
      expect(outcome).toMatchObject({ source: { model: 'sale.order', id, name: order!['name'], writeDate: order!['write_date'] }, details: { inboundDocumentId: stored.get(`retail|${po.poNumber}`)!.documentId } });
      expect(ack).toMatchObject({ purpose: 'original', purposeCode: '00', ackType: 'AD', poNumber: po.poNumber, poDate: '2026-11-20', sellerOrderNumber: order!['name'] });
      expect(ack.ackDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(statuses(ack)).toEqual(['IA', 'IA', 'IA']);
      expect(ack.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.productIds])).toEqual(po.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.productIds]));
      expect(ack.lines[0]!.acks[0]).toMatchObject({ quantity: 120, unit: 'EA', dateQualifier: '068', date: '2026-12-04' });
      roundTrip(ack);
    });

    it('says IQ, IP and IR for a changed quantity, a changed price and a removed line; leaves out a line a person added', async () => {
      const po = purchaseOrder(world, `PO-855B-${world.run}`);
      const { id, lines } = await post850(po);
      const uom = (await loadOdooSchema(client)).names.saleLine.uom;
      await client.write('sale.order.line', [lines[0]!], { product_uom_qty: 100 });
      await client.write('sale.order.line', [lines[1]!], { price_unit: 21.9 });
      await client.write('sale.order', [id], { order_line: [[2, lines[2]!, 0], [0, 0, { product_id: world.products[1]!.id, product_uom_qty: 5, [uom]: world.unitsId, price_unit: 22.4, sequence: 40 }]] });
      await confirm(id);
      const outcome = await purchaseOrderAckBuilder.build(await context(), id);
      const ack = built(outcome);
      expect(ack.ackType).toBe('AC');
      expect(statuses(ack)).toEqual(['IQ', 'IP', 'IR']);
      expect(ack.lines[0]!.acks[0]).toMatchObject({ quantity: 100, unit: 'EA' });
      expect(ack.lines[0]!.quantity).toBe(120);
      expect(ack.lines[1]!.unitPrice).toBe(21.9);
      expect(ack.lines[2]!.acks[0]).toMatchObject({ quantity: 15.5, unit: 'EA' });
      expect((outcome as { details: Record<string, unknown> }).details['notIn850']).toEqual([expect.objectContaining({ sequence: 40, quantity: 5, product: expect.stringContaining('Wildflower Honey') })]);
      roundTrip(ack);
    });

    it('says DR with the new day when a person moved the commitment date', async () => {
      const po = purchaseOrder(world, `PO-855C-${world.run}`);
      const { id } = await post850(po);
      await client.write('sale.order', [id], { commitment_date: '2026-12-11 12:00:00' });
      await confirm(id);
      const ack = built(await purchaseOrderAckBuilder.build(await context(), id));
      expect(statuses(ack)).toEqual(['DR', 'DR', 'DR']);
      expect(ack.lines.map((l) => [l.acks[0]!.dateQualifier, l.acks[0]!.date])).toEqual([['068', '2026-12-11'], ['068', '2026-12-11'], ['068', '2026-12-11']]);
      roundTrip(ack);
    });

    it('holds a line whose unit has no X12 code, naming the order, the line and the field; builds once the partner maps it', async () => {
      const name = `Box of 7 ${world.run}`;
      const [units] = await client.searchRead('uom.uom', [['id', '=', world.unitsId]], { fields: version >= 19 ? ['id'] : ['id', 'category_id'] });
      const box = await client.create('uom.uom', version >= 19 ? { name, relative_factor: 7, relative_uom_id: world.unitsId } : { name, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / 7 });
      const po = purchaseOrder(world, `PO-855D-${world.run}`);
      const { id, lines } = await post850(po);
      const uom = (await loadOdooSchema(client)).names.saleLine.uom;
      await client.write('sale.order.line', [lines[1]!], { [uom]: box });
      await confirm(id);
      const [order] = await client.read('sale.order', [id], ['name']);
      const outcome = await purchaseOrderAckBuilder.build(await context(), id);
      expect(outcome).toMatchObject({ source: { model: 'sale.order', id } });
      expect('held' in outcome && outcome.held).toBe(`sale order ${String(order!['name'])}, line 2 ([${world.products[1]!.defaultCode}] ${world.products[1]!.name}): unit '${name}' has no X12 code: add its code to odoo.units in partners/retail.yaml (<X12 code>: ${name}), or set the sale line's unit (${uom}) to one that has, then build again`);
      odoo = { ...odoo, units: { BX: name } };
      const ack = built(await purchaseOrderAckBuilder.build(await context(), id));
      // On 18 a new unit on a quotation also reprices the line from the pricelist (7 x the unit price), as a real 18 does: IC.
      expect(ack.lines[1]!.acks[0]).toMatchObject({ status: version === 18 ? 'IC' : 'IQ', quantity: 48, unit: 'BX' });
      odoo = { partner: { ref: world.customer.ref } };
    });

    it('echoes CA for the pack unit the 850 posting chose by PO401 (Case of 4 for odoo.units CA: Case of 12)', async () => {
      const [units] = await client.searchRead('uom.uom', [['id', '=', world.unitsId]], { fields: version >= 19 ? ['id'] : ['id', 'category_id'] });
      const caseOf = (n: number) => client.create('uom.uom', version >= 19 ? { name: `Case of ${n} ${world.run}`, relative_factor: n, relative_uom_id: world.unitsId } : { name: `Case of ${n} ${world.run}`, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / n });
      await caseOf(12);
      const four = await caseOf(4);
      odoo = { ...odoo, units: { CA: `Case of 12 ${world.run}` } };
      const po = purchaseOrder(world, `PO-855E-${world.run}`);
      po.lines[0] = { ...po.lines[0]!, unit: 'CA', quantity: 10, unitPrice: 75, pack: { pack: 4 } };
      const { id, lines } = await post850(po);
      const uom = (await loadOdooSchema(client)).names.saleLine.uom;
      const [line] = await client.read('sale.order.line', [lines[0]!], [uom]);
      expect(idOf(line![uom])).toBe(four);
      await confirm(id);
      const ack = built(await purchaseOrderAckBuilder.build(await context(), id));
      expect(ack.lines[0]!.acks[0]).toMatchObject({ status: 'IA', quantity: 10, unit: 'CA' });
      odoo = { partner: { ref: world.customer.ref } };
    });

    it('skips an order without customer reference or without a stored 850; the trigger domain finds confirmed EDI orders only', async () => {
      const ctx = await context();
      const manual = await client.create('sale.order', { partner_id: world.customer.id, order_line: [[0, 0, { product_id: world.products[0]!.id, product_uom_qty: 1 }]] });
      await confirm(manual);
      expect(await purchaseOrderAckBuilder.build(ctx, manual)).toEqual({ skipped: expect.stringContaining('has no customer reference (client_order_ref)') });
      const po = purchaseOrder(world, `PO-855F-${world.run}`);
      const { id } = await post850(po);
      await confirm(id);
      stored.delete(`retail|${po.poNumber}`);
      expect(await purchaseOrderAckBuilder.build(ctx, id)).toEqual({ skipped: expect.stringContaining(`no 850 with PO number ${po.poNumber} was received`) });
      const draft = await post850(purchaseOrder(world, `PO-855G-${world.run}`));
      const found = await client.search(purchaseOrderAckBuilder.model, [...purchaseOrderAckBuilder.triggerDomain(ctx.schema), ['partner_id', 'child_of', world.customer.id]]);
      expect(found).toContain(id);
      expect(found).not.toContain(manual);
      expect(found).not.toContain(draft.id);
      expect(await purchaseOrderAckBuilder.build(ctx, 999_999)).toEqual({ skipped: expect.stringContaining('does not exist') });
    });
  });
}
