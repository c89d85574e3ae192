// The 810 builder against the Odoo double (18 and 19): a real 850 is posted as a confirmed sale
// order, the order is invoiced as Odoo's invoicing does it (lines linked by sale_line_ids, origin
// the order's name), the invoice is posted, and the 810 is built, checked against our spec,
// written to X12 and read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../../src/documents/invoice.js';
import type { PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { isError } from '../../../src/errors/finding.js';
import { examineFile } from '../../../src/inbound/examine.js';
import { read810, write810 } from '../../../src/maps/810-invoice.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import { invoiceBuilder } from '../../../src/odoo/builders/810-invoice.js';
import { OUTBOUND_BUILDERS } from '../../../src/odoo/builders/index.js';
import type { BuildContext, BuildOutcome, StoredInbound } from '../../../src/odoo/builders/types.js';
import { createOdooClient, type OdooClient } from '../../../src/odoo/client/client.js';
import { odooTarget } from '../../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../../odoo-double/index.js';
import { envelopeFor, naturalKeyOf, purchaseOrder } from '../support/documents.js';
import { mappingsFrom } from '../support/mappings.js';
import { runId, seedWorld, type World } from '../support/seed.js';
import { retailBuildContext } from '../support/builders.js';

const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));

interface SaleLine { id: number; productId: number; quantity: number; price: number }

for (const version of [18, 19] as const) {
  describe(`810 from a posted customer invoice, Odoo ${version} double`, () => {
    let double: OdooDouble;
    let client: OdooClient;
    let world: World;
    const stored = new Map<string, StoredInbound<PurchaseOrder>>();
    let odoo: Partial<OdooPartnerFile>;
    let stateTax: number;
    let term: number;

    beforeAll(async () => {
      double = await startOdooDouble({ version });
      client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      world = await seedWorld(client, runId());
      odoo = { partner: { ref: world.customer.ref }, confirmOrders: true };
      stateTax = await client.create('account.tax', { name: `Ohio Sales Tax 7% ${world.run}`, amount: 7, amount_type: 'percent', type_tax_use: 'sale' });
      term = await client.create('account.payment.term', { name: `2/10 Net 30 ${world.run}`, early_discount: true, discount_percentage: 2, discount_days: 10, line_ids: [[0, 0, { value: 'percent', value_amount: 100, nb_days: 30 }]] });
    }, 60_000);
    afterAll(() => double?.close());

    const partner = (): Partner => ({ code: 'retail', name: world.customer.name, odoo }) as unknown as Partner;

    const context = () => retailBuildContext(client, world.customer.name, partner().odoo!, stored);

    /** Posts the 850 through the Odoo target with confirmOrders (as the gateway does) and stores it: the confirmed order and its goods lines in 850 order. */
    const post850 = async (po: PurchaseOrder): Promise<{ id: number; name: string; lines: SaleLine[] }> => {
      const target = odooTarget({ client, partner: (c) => (c === 'retail' ? partner() : undefined), productMappings: mappingsFrom((code) => (code === `BUYER-ALM-${world.run}` ? world.products[2]!.defaultCode : undefined)) });
      const envelope = envelopeFor('850');
      const result = await target.post({ documentId: 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document: po, envelope });
      stored.set(`retail|${po.poNumber}`, { documentId: stored.size + 1, document: po });
      const id = Number(/^sale\.order\/(\d+)/.exec(result.ref)![1]);
      const [order] = await client.read('sale.order', [id], ['name', 'state', 'order_line']);
      expect(order!['state']).toBe('sale');
      const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['sequence', 'product_id', 'product_uom_qty', 'price_unit']);
      return {
        id, name: String(order!['name']),
        lines: lines.sort((a, b) => Number(a['sequence']) - Number(b['sequence'])).map((l) => ({ id: l.id, productId: idOf(l['product_id']), quantity: Number(l['product_uom_qty']), price: Number(l['price_unit']) })),
      };
    };

    /** A customer invoice of the order as Odoo's invoicing makes it: lines linked by sale_line_ids, origin the order. Posted unless told. */
    const invoice = async (order: { id: number; name: string }, lines: Array<Record<string, unknown>>, options: { post?: boolean; origin?: string } = {}): Promise<number> => {
      const [so] = await client.read('sale.order', [order.id], ['partner_invoice_id']);
      const id = await client.create('account.move', {
        move_type: 'out_invoice', partner_id: idOf(so!['partner_invoice_id']), invoice_origin: options.origin ?? order.name,
        invoice_date: '2026-12-08', invoice_payment_term_id: term,
        invoice_line_ids: lines.map((l) => [0, 0, { product_uom_id: world.unitsId, tax_ids: [[6, 0, [stateTax]]], ...l }]),
      });
      if (options.post !== false) await client.call('account.move', 'action_post', [id]);
      return id;
    };
    const fromSale = (s: SaleLine, over: Record<string, unknown> = {}) => ({ product_id: s.productId, quantity: s.quantity, price_unit: s.price, sale_line_ids: [[6, 0, [s.id]]], ...over });

    const cents = (n: number) => Math.round(n * 100);
    /** What a customer checks TDS against: IT1 extensions (IT102 x IT104, in cents) less their SAC, the summary SAC, the TXI. */
    const sumOf = (doc: Invoice): number => {
      const sac = (list: Invoice['allowancesCharges']) => list.reduce((s, a) => s + (a.indicator === 'charge' ? 1 : -1) * cents(a.amount ?? 0), 0);
      return doc.lines.reduce((s, l) => s + cents(l.quantity * l.unitPrice) + sac(l.allowancesCharges), 0) + sac(doc.allowancesCharges) + doc.taxes.reduce((s, t) => s + cents(t.amount ?? 0), 0);
    };

    const built = (outcome: BuildOutcome<'810'>): Invoice => {
      if (!('built' in outcome)) throw new Error(`not built: ${JSON.stringify(outcome)}`);
      return outcome.built;
    };

    /** Our spec accepts what write810 makes of it, and read810 gives the same document back, in both versions. */
    const roundTrip = (doc: Invoice) => {
      for (const x12 of ['004010', '005010'] as const) {
        const { text, transaction, findings } = rereadTransaction('810', write810(doc, x12), x12);
        expect(findings).toEqual([]);
        expect(examineFile(text).findings.filter(isError)).toEqual([]);
        const back = read810(transaction);
        expect(back.findings.filter(isError)).toEqual([]);
        expect(back.document).toEqual({ ...doc, totals: { ...doc.totals, lineCount: doc.lines.length, hashTotal: doc.lines.reduce((s, l) => s + l.quantity, 0) } });
      }
    };

    it('skips the draft, then builds the posted invoice: the PO number, PO101, customer ids, TXI, ITD and TDS from Odoo\'s amounts', async () => {
      const po = purchaseOrder(world, `PO-810A-${world.run}`);
      const order = await post850(po);
      const id = await invoice(order, order.lines.map((s) => fromSale(s)), { post: false });
      const ctx = await context();
      expect(await invoiceBuilder.build(ctx, id)).toEqual({ skipped: expect.stringContaining('is not posted (state draft)') });
      await client.call('account.move', 'action_post', [id]);
      const outcome = await invoiceBuilder.build(ctx, id);
      const doc = built(outcome);
      const [move] = await client.read('account.move', [id], ['name', 'write_date', 'amount_total', 'amount_tax', 'amount_untaxed', 'invoice_date_due']);
      expect(outcome).toMatchObject({ source: { model: 'account.move', id, name: move!['name'], writeDate: move!['write_date'] }, details: { inboundDocumentId: stored.get(`retail|${po.poNumber}`)!.documentId, saleOrder: order.name } });
      expect(doc).toMatchObject({ invoiceNumber: move!['name'], invoiceDate: '2026-12-08', poNumber: po.poNumber, poDate: '2026-11-20', purposeCode: '00' });
      expect(doc.invoiceNumber).toMatch(/^INV\/2026\/\d{5}$/);
      expect(doc.parties).toEqual(po.parties);
      expect(doc.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.productIds])).toEqual(po.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.productIds]));
      expect(doc.lines.map((l) => l.unitPrice)).toEqual(order.lines.map((s) => s.price));
      expect(doc.totals.amount).toBe(Number(move!['amount_total']));
      expect(doc.taxes).toEqual([{ typeCode: 'ST', amount: Number(move!['amount_tax']), percent: 7, basisAmount: Number(move!['amount_untaxed']) }]);
      expect(doc.terms).toEqual([{ typeCode: '08', basisDateCode: '3', discountPercent: 2, discountDueDate: '2026-12-18', discountDays: 10, netDueDate: move!['invoice_date_due'], netDays: 30, description: `2/10 Net 30 ${world.run}` }]);
      expect(move!['invoice_date_due']).toBe('2027-01-07');
      expect(sumOf(doc)).toBe(cents(doc.totals.amount));
      roundTrip(doc);
    });

    it('bills a partial invoice by line, a discount as a line SAC, freight as a charge and a negative line as an allowance', async () => {
      const po = purchaseOrder(world, `PO-810B-${world.run}`);
      const order = await post850(po);
      const freight = await client.create('product.product', { name: `Freight ${world.run}`, type: 'service', list_price: 45 });
      const promo = await client.create('product.product', { name: `Promotion ${world.run}`, type: 'service', list_price: 0 });
      const [first, , third] = order.lines;
      const id = await invoice(order, [
        fromSale(third!, { quantity: 10 }),
        fromSale(first!, { discount: 10 }),
        { product_id: freight, quantity: 1, price_unit: 45 },
        { product_id: promo, quantity: 1, price_unit: -20, name: 'Year-end promotion' },
      ]);
      const outcome = await invoiceBuilder.build(await context(), id);
      const doc = built(outcome);
      expect(doc.lines.map((l) => [l.lineNumber, l.quantity])).toEqual([['3', 10], ['1', 120]]);
      expect(doc.lines[1]!.allowancesCharges).toEqual([{ indicator: 'allowance', code: 'C310', amount: 225, percentQualifier: '3', percent: 10, description: 'Discount' }]);
      expect(doc.allowancesCharges).toEqual([
        { indicator: 'charge', code: 'D240', amount: 45, description: `Freight ${world.run}` },
        { indicator: 'allowance', code: 'C310', amount: 20, description: 'Year-end promotion' },
      ]);
      const [move] = await client.read('account.move', [id], ['amount_total', 'amount_tax']);
      expect(doc.totals.amount).toBe(Number(move!['amount_total']));
      expect(doc.taxes.reduce((s, t) => s + t.amount!, 0)).toBeCloseTo(Number(move!['amount_tax']), 6);
      expect(sumOf(doc)).toBe(cents(doc.totals.amount));
      expect((outcome as unknown as { details: { lines: unknown[] } }).details.lines).toEqual([
        expect.objectContaining({ as: 'line', line: '3' }), expect.objectContaining({ as: 'line', line: '1' }), expect.objectContaining({ as: 'charge' }), expect.objectContaining({ as: 'allowance' }),
      ]);
      roundTrip(doc);
    });

    it('a tax included in the price (price_include): IT104 is the price without it, and IT1 + SAC + TXI = TDS to the cent', async () => {
      const po = purchaseOrder(world, `PO-810E-${world.run}`);
      const order = await post850(po);
      const included = await client.create('account.tax', { name: `City Tax 2% incl ${world.run}`, amount: 2, amount_type: 'percent', type_tax_use: 'sale', price_include_override: 'tax_included' });
      const eco = await client.create('account.tax', { name: `Eco fee ${world.run}`, amount: 0.5, amount_type: 'fixed', type_tax_use: 'sale' });
      const [first, second, third] = order.lines;
      const id = await invoice(order, [
        fromSale(first!, { tax_ids: [[6, 0, [stateTax, included]]] }),
        fromSale(second!, { discount: 10, tax_ids: [[6, 0, [included]]] }),
        fromSale(third!, { tax_ids: [[6, 0, [eco]]] }),
      ]);
      const [tax] = await client.read('account.tax', [included], ['price_include']);
      expect(tax!['price_include']).toBe(true);
      const lines = await client.read('account.move.line', (await client.read('account.move', [id], ['invoice_line_ids']))[0]!['invoice_line_ids'] as number[], ['price_unit', 'price_subtotal', 'price_total', 'sequence']);
      // 120 x 18.75 = 2250 holds 2% (44.12): 2205.88 untaxed, 7% on top; as a real 18 computes it.
      expect(lines.map((l) => [l['price_unit'], l['price_subtotal'], l['sequence']])[0]).toEqual([first!.price, 2205.88, 100]);
      const doc = built(await invoiceBuilder.build(await context(), id));
      const [move] = await client.read('account.move', [id], ['amount_total', 'amount_tax']);
      expect(doc.totals.amount).toBe(Number(move!['amount_total']));
      expect(doc.lines.map((l) => l.unitPrice)).toEqual([18.3823, expect.closeTo(second!.price / 1.02, 3), third!.price]);
      expect(doc.lines[0]!.unitPrice).not.toBe(first!.price);
      expect(sumOf(doc)).toBe(cents(doc.totals.amount));
      roundTrip(doc);
    });

    it('holds a goods line of no 850 line and a unit without X12 code, naming the invoice, line and field; builds once the partner maps the unit', async () => {
      const name = `Box of 7 ${world.run}`;
      const [units] = await client.searchRead('uom.uom', [['id', '=', world.unitsId]], { fields: version >= 19 ? ['id'] : ['id', 'category_id'] });
      const box = await client.create('uom.uom', version >= 19 ? { name, relative_factor: 7, relative_uom_id: world.unitsId } : { name, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / 7 });
      const order = await post850(purchaseOrder(world, `PO-810C-${world.run}`));
      const [first, second] = order.lines;
      const unmatched = await invoice(order, [fromSale(first!), { product_id: world.products[1]!.id, quantity: 2, price_unit: 22.4 }, fromSale(second!)]);
      const [move] = await client.read('account.move', [unmatched], ['name']);
      // The hand-made line of product 2 takes 850 line 2 (by its product) only when no line invoices it through its sale line.
      expect(await invoiceBuilder.build(await context(), unmatched)).toMatchObject({
        held: `invoice ${String(move!['name'])}, line 2 ([${world.products[1]!.defaultCode}] ${world.products[1]!.name}): invoices no line of PO-810C-${world.run} (sale order ${order.name}), and the customer's 850 numbers its lines, which each IT1 must echo: invoice it from the sale order line it belongs to (its sale_line_ids), or on an invoice of its own, then build again`,
        source: { model: 'account.move', id: unmatched },
      });
      const boxed = await invoice(order, [fromSale(second!, { product_uom_id: box, quantity: 7, price_unit: 156.8 })]);
      const [boxedMove] = await client.read('account.move', [boxed], ['name']);
      expect(await invoiceBuilder.build(await context(), boxed)).toMatchObject({ held: expect.stringContaining(`invoice ${String(boxedMove!['name'])}, line 1 ([${world.products[1]!.defaultCode}] ${world.products[1]!.name}): unit '${name}' has no X12 code: add its code to odoo.units in partners/retail.yaml (<X12 code>: ${name})`) });
      odoo = { ...odoo, units: { BX: name } };
      const doc = built(await invoiceBuilder.build(await context(), boxed));
      expect(doc.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice])).toEqual([['2', 7, 'BX', 156.8]]);
      odoo = { partner: { ref: world.customer.ref }, confirmOrders: true };
      roundTrip(doc);
    });

    it('finds the order by invoice_origin when no line links a sale line; skips invoices of no EDI order, refunds and unknown ids; the trigger domain finds posted customer invoices', async () => {
      const ctx = await context();
      const po = purchaseOrder(world, `PO-810D-${world.run}`);
      const order = await post850(po);
      const byOrigin = await invoice(order, order.lines.map((s) => ({ product_id: s.productId, quantity: s.quantity, price_unit: s.price })));
      expect(built(await invoiceBuilder.build(ctx, byOrigin)).lines.map((l) => l.lineNumber)).toEqual(['1', '2', '3']);

      const manual = await client.create('sale.order', { partner_id: world.customer.id, order_line: [[0, 0, { product_id: world.products[0]!.id, product_uom_qty: 1 }]] });
      await client.call('sale.order', 'action_confirm', [manual]);
      const [manualOrder] = await client.read('sale.order', [manual], ['name']);
      const manualInvoice = await invoice({ id: manual, name: String(manualOrder!['name']) }, [{ product_id: world.products[0]!.id, quantity: 1, price_unit: 18.75 }]);
      expect(await invoiceBuilder.build(ctx, manualInvoice)).toEqual({ skipped: expect.stringContaining('has no customer reference (client_order_ref)') });
      const orphan = await invoice(order, [{ product_id: world.products[0]!.id, quantity: 1, price_unit: 18.75 }], { origin: '' });
      expect(await invoiceBuilder.build(ctx, orphan)).toEqual({ skipped: expect.stringContaining('linked to no sale order') });
      const refund = await client.create('account.move', { move_type: 'out_refund', partner_id: world.customer.id, invoice_origin: order.name, invoice_line_ids: [[0, 0, { product_id: world.products[0]!.id, quantity: 1, price_unit: 18.75 }]] });
      await client.call('account.move', 'action_post', [refund]);
      expect(await invoiceBuilder.build(ctx, refund)).toEqual({ skipped: expect.stringContaining('is no customer invoice (move_type out_refund)') });
      stored.delete(`retail|${po.poNumber}`);
      expect(await invoiceBuilder.build(ctx, byOrigin)).toEqual({ skipped: expect.stringContaining(`no 850 with PO number ${po.poNumber} was received`) });
      expect(await invoiceBuilder.build(ctx, 999_999)).toEqual({ skipped: expect.stringContaining('does not exist') });

      const draft = await invoice(order, [fromSale(order.lines[0]!)], { post: false });
      const found = await client.search(invoiceBuilder.model, invoiceBuilder.triggerDomain(ctx.schema));
      expect(found).toEqual(expect.arrayContaining([byOrigin, manualInvoice, orphan]));
      expect(found).not.toContain(draft);
      expect(found).not.toContain(refund);
      expect(OUTBOUND_BUILDERS.find((b) => b.kind === '810')).toBe(invoiceBuilder);
    });
  });
}
