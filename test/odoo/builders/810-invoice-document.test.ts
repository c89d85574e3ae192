// The 810 from a posted invoice's facts and the customer's 850: pure, no Odoo.
import { describe, expect, it } from 'vitest';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { read810, write810 } from '../../../src/maps/810-invoice.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import {
  invoiceDocument, invoiceTaxes, invoiceTerms, taxTypeCode, untaxedUnitPrice, type InvoiceFacts, type InvoiceLineFacts, type OrderSaleLine,
} from '../../../src/odoo/builders/810-invoice-document.js';
import { x12UnitCodes } from '../../../src/odoo/builders/units.js';
import { DEFAULT_UNITS } from '../../../src/odoo/settings.js';

const units = { ...DEFAULT_UNITS };
const codes = x12UnitCodes(units);
const po: PurchaseOrder = PurchaseOrderSchema.parse({
  purpose: 'original', orderType: 'SA', poNumber: 'PO-4500', poDate: '2026-11-20', currency: 'USD',
  parties: [{ role: 'ship_to', entityCode: 'ST', name: 'DC 07', ids: { gln: '0614141000005' } }],
  lines: [
    { lineNumber: '1', quantity: 120, unit: 'EA', unitPrice: 18.75, priceBasis: 'PE', productIds: { gtin: '00614141000012' } },
    { lineNumber: '2', quantity: 48, unit: 'PC', unitPrice: 22.4, productIds: { vendorPart: 'AC-1002' }, description: 'Honey' },
    { lineNumber: '3', quantity: 15, unit: 'EA', unitPrice: 3, productIds: { buyerPart: 'BUYER-ALM' } },
  ],
});
const products = [{ defaultCode: 'AC-1001', barcode: '0614141000012' }, { defaultCode: 'AC-1002', barcode: '0614141000029' }, { defaultCode: 'AC-1003', barcode: '0614141000036' }];

/** The sale lines the 850 posting made (sequence (index + 1) * 10). */
const orderLines: OrderSaleLine[] = po.lines.map((l, i) => ({
  id: 100 + i, sequence: (i + 1) * 10, productId: 500 + i, productName: `product ${i + 1}`, ...products[i],
  quantity: l.quantity, price: l.unitPrice!, unitName: 'Units', unitCodes: codes.get('units')!,
}));

/** An invoice line of sale line `i` (quantity and price as ordered, 7% tax 1); `over` changes it. */
function invoiceLine(i: number, over: Partial<InvoiceLineFacts> = {}): InvoiceLineFacts {
  const s = orderLines[i]!;
  const quantity = over.quantity ?? s.quantity;
  const price = over.price ?? s.price;
  const discount = over.discount ?? 0;
  return {
    ...s, id: 900 + i, label: s.productName, productType: 'consu', saleLineId: s.id, discount,
    subtotal: Math.round(quantity * price * (1 - discount / 100) * 100) / 100, taxIds: [1], ...over,
  };
}

function facts(lines: InvoiceLineFacts[], over: Partial<InvoiceFacts> = {}): InvoiceFacts {
  const base = { lines, taxes: [{ id: 1, name: 'State Sales Tax 7%', amount: 7, amountType: 'percent' }] };
  // 7% rounded per line, as Odoo computes it by default.
  const amountTax = Math.round(lines.reduce((s, l) => s + Math.round(l.subtotal * 7) / 100, 0) * 100) / 100;
  const untaxed = lines.reduce((s, l) => s + l.subtotal, 0);
  return {
    name: 'INV/2026/00003', invoiceDate: '2026-12-08', dueDate: '2027-01-07', currency: 'USD',
    amountTax, amountTotal: Math.round((untaxed + amountTax) * 100) / 100,
    term: { name: '30 Days', netDays: 30 }, order: { name: 'S00012', lines: orderLines }, ...base, ...over,
  };
}

const rules = { units, partnerFile: 'partners/retail.yaml' };
const built = (v: ReturnType<typeof invoiceDocument>) => {
  if (!('document' in v)) throw new Error(`held: ${v.held.join('; ')}`);
  return v;
};

describe('invoiceDocument', () => {
  it('echoes the PO number, PO101, the customer ids, unit codes and price basis; TDS the total; CUR in the invoice currency', () => {
    const { document, outcomes } = built(invoiceDocument(facts([invoiceLine(0), invoiceLine(1), invoiceLine(2, { quantity: 10 })]), po, rules));
    expect(document).toMatchObject({ invoiceNumber: 'INV/2026/00003', invoiceDate: '2026-12-08', poNumber: 'PO-4500', poDate: '2026-11-20', purposeCode: '00', transactionType: 'DI', currency: 'USD' });
    expect(document.parties).toEqual(po.parties);
    expect(document.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.priceBasis])).toEqual([['1', 120, 'EA', 18.75, 'PE'], ['2', 48, 'PC', 22.4, undefined], ['3', 10, 'EA', 3, undefined]]);
    expect(document.lines.map((l) => l.productIds)).toEqual(po.lines.map((l) => l.productIds));
    expect(document.lines[1]!.description).toBe('Honey');
    // 2250 + 1075.2 + 30 = 3355.20, 7% per line: 157.5 + 75.26 + 2.1 = 234.86
    expect(document.taxes).toEqual([{ typeCode: 'ST', amount: 234.86, percent: 7, basisAmount: 3355.2 }]);
    expect(document.totals.amount).toBe(3590.06);
    expect(outcomes.map((o) => [o.as, o.line])).toEqual([['line', '1'], ['line', '2'], ['line', '3']]);
  });

  it('matches by the sale line, not the invoice order; a line made by hand (no sale line) by its product', () => {
    const lines = [invoiceLine(2, { sequence: 1 }), invoiceLine(0, { sequence: 2, saleLineId: undefined })];
    const { document } = built(invoiceDocument(facts(lines), po, rules));
    expect(document.lines.map((l) => l.lineNumber)).toEqual(['3', '1']);
  });

  it('turns a negative line into an allowance, a service line of no 850 line into a charge (freight D240, else ZZZZ), a line discount into a line SAC', () => {
    const freight: InvoiceLineFacts = { ...invoiceLine(0), id: 950, sequence: 90, saleLineId: undefined, productId: 700, productName: 'Freight', label: 'Freight to DC 07', productType: 'service', quantity: 1, price: 45, subtotal: 45, unitName: 'Units' };
    const handling: InvoiceLineFacts = { ...freight, id: 951, productId: 701, productName: 'Handling', label: 'Handling', subtotal: 12.5, price: 12.5 };
    const promo: InvoiceLineFacts = { ...freight, id: 952, productId: 702, productName: 'Promotion', label: 'Promo 5%', productType: 'consu', price: -30, subtotal: -30 };
    const { document, outcomes } = built(invoiceDocument(facts([invoiceLine(0, { discount: 10 }), freight, handling, promo]), po, rules));
    expect(document.lines).toHaveLength(1);
    expect(document.lines[0]!.allowancesCharges).toEqual([{ indicator: 'allowance', code: 'C310', amount: 225, percentQualifier: '3', percent: 10, description: 'Discount' }]);
    expect(document.allowancesCharges).toEqual([
      { indicator: 'charge', code: 'D240', amount: 45, description: 'Freight to DC 07' },
      { indicator: 'charge', code: 'ZZZZ', amount: 12.5, description: 'Handling' },
      { indicator: 'allowance', code: 'C310', amount: 30, description: 'Promo 5%' },
    ]);
    expect(outcomes.map((o) => o.as)).toEqual(['line', 'charge', 'charge', 'allowance']);
    // Taxes follow the lines: (2025 + 45 + 12.5 - 30) * 7% = 141.75 + 3.15 + 0.88 - 2.1 = 143.68
    expect(document.taxes[0]!.amount).toBe(143.68);
  });

  it('takes a line without product (a fee typed in) as a charge, never as an unmatched goods line', () => {
    const fee: InvoiceLineFacts = { ...invoiceLine(0), id: 970, sequence: 50, saleLineId: undefined, productId: undefined, productType: undefined, productName: 'Pallet fee', label: 'Pallet fee', quantity: 2, price: 8, subtotal: 16 };
    const { document } = built(invoiceDocument(facts([invoiceLine(0), fee]), po, rules));
    expect(document.allowancesCharges).toEqual([{ indicator: 'charge', code: 'ZZZZ', amount: 16, description: 'Pallet fee' }]);
  });

  it('holds a goods line of no 850 line when the 850 numbered its lines; without PO101 it goes with our ids and no IT101', () => {
    const extra: InvoiceLineFacts = { ...invoiceLine(0), id: 960, sequence: 40, saleLineId: 999, productId: 800, productName: 'Oat Bars', defaultCode: 'AC-2000', barcode: '614141000999' };
    const held = invoiceDocument(facts([invoiceLine(0), extra]), po, rules);
    expect(held).toEqual({ held: ["invoice INV/2026/00003, line 2 (Oat Bars): invoices no line of PO-4500 (sale order S00012), and the customer's 850 numbers its lines, which each IT1 must echo: invoice it from the sale order line it belongs to (its sale_line_ids), or on an invoice of its own, then build again"] });
    const unnumbered = PurchaseOrderSchema.parse({ ...po, lines: po.lines.map(({ lineNumber: _, ...l }) => l) });
    const { document } = built(invoiceDocument(facts([invoiceLine(0), extra]), unnumbered, rules));
    expect(document.lines.map((l) => [l.lineNumber, l.productIds])).toEqual([['1', unnumbered.lines[0]!.productIds], [undefined, { vendorPart: 'AC-2000', upc: '614141000999', other: [] }]]);
  });

  it('holds a line whose unit has no X12 code, naming the invoice, the line and the partner file; every reason at once', () => {
    const box = { unitName: 'Box of 7', unitCodes: [] };
    const v = invoiceDocument(facts([invoiceLine(0, box), invoiceLine(1), invoiceLine(2, box)]), po, rules);
    expect('held' in v && v.held).toEqual([
      "invoice INV/2026/00003, line 1 (product 1): unit 'Box of 7' has no X12 code: add its code to odoo.units in partners/retail.yaml (<X12 code>: Box of 7), or set the invoice line's unit (product_uom_id) to one that has, then build again",
      "invoice INV/2026/00003, line 3 (product 3): unit 'Box of 7' has no X12 code: add its code to odoo.units in partners/retail.yaml (<X12 code>: Box of 7), or set the invoice line's unit (product_uom_id) to one that has, then build again",
    ]);
  });

  it('round trips through write810 and read810 in 004010 and 005010', () => {
    const freight: InvoiceLineFacts = { ...invoiceLine(0), id: 950, sequence: 90, saleLineId: undefined, productId: 700, productName: 'Freight', label: 'Freight', productType: 'service', quantity: 1, price: 45, subtotal: 45 };
    const { document } = built(invoiceDocument(facts([invoiceLine(0, { discount: 10 }), invoiceLine(1), freight], { term: { name: '2/10 Net 30', netDays: 30, discountPercent: 2, discountDays: 10 } }), po, rules));
    for (const version of ['004010', '005010'] as const) {
      const { transaction, findings } = rereadTransaction('810', write810(document, version), version);
      expect(findings).toEqual([]);
      const back = read810(transaction);
      expect(back.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(back.document).toEqual({ ...document, totals: { ...document.totals, lineCount: 2, hashTotal: 168 } });
    }
  });
});

describe('a tax included in the price (price_include)', () => {
  // The invoice a real 18 made (INV/2026/00006): 120 x 18.75 with 15% on top and 2% City Tax included,
  // 48 x 22.4 with a fixed 0.50 eco fee, 15.5 x 3.13 untaxed; TDS 3728.60.
  const taxes = [
    { id: 1, name: '15%', amount: 15, amountType: 'percent', priceInclude: false },
    { id: 3, name: 'City Tax 2% incl', amount: 2, amountType: 'percent', priceInclude: true },
    { id: 4, name: 'Eco fee', amount: 0.5, amountType: 'fixed', priceInclude: false },
  ];
  const lines = [invoiceLine(0, { subtotal: 2205.88, taxIds: [1, 3] }), invoiceLine(1, { subtotal: 1075.2, taxIds: [4] }), invoiceLine(2, { quantity: 15.5, price: 3.13, subtotal: 48.52, taxIds: [] })];
  const cents = (n: number) => Math.round(n * 100);
  /** IT1 extensions (IT102 x IT104 in cents) less their SAC, the summary SAC and the TXI: what a customer checks TDS against. */
  const sum = (doc: { lines: Array<{ quantity: number; unitPrice: number; allowancesCharges: Array<{ indicator: string; amount?: number | undefined }> }>; allowancesCharges: Array<{ indicator: string; amount?: number | undefined }>; taxes: Array<{ amount?: number | undefined }> }) => {
    const sac = (list: Array<{ indicator: string; amount?: number | undefined }>) => list.reduce((s, a) => s + (a.indicator === 'charge' ? 1 : -1) * cents(a.amount ?? 0), 0);
    return doc.lines.reduce((s, l) => s + cents(l.quantity * l.unitPrice) + sac(l.allowancesCharges), 0) + sac(doc.allowancesCharges) + doc.taxes.reduce((s, t) => s + cents(t.amount ?? 0), 0);
  };

  it('IT104 is the price without the included tax, so IT1 + TXI = TDS to the cent', () => {
    const { document } = built(invoiceDocument(facts(lines, { taxes, amountTax: 399, amountTotal: 3728.6 }), po, rules));
    expect(document.lines.map((l) => l.unitPrice)).toEqual([18.3823, 22.4, 3.13]);
    expect(document.taxes.map((t) => [t.percent, t.amount])).toEqual([[15, 330.88], [2, 44.12], [undefined, 24]]);
    expect(sum(document)).toBe(cents(3728.6));
  });

  it('takes the line discount back out first; a tax not included leaves price_unit as it is', () => {
    // 120 x 18.75 less 10% = 2025 with 2% included: 1985.29 untaxed; gross 2205.88 at 18.3823.
    const discounted = invoiceLine(0, { discount: 10, subtotal: 1985.29, taxIds: [3] });
    expect(untaxedUnitPrice(discounted, taxes)).toBe(18.3823);
    const { document } = built(invoiceDocument(facts([discounted], { taxes, amountTax: 39.71, amountTotal: 2025 }), po, rules));
    expect(document.lines[0]!.allowancesCharges).toMatchObject([{ indicator: 'allowance', amount: 220.59, percent: 10 }]);
    expect(sum(document)).toBe(cents(2025));
    expect(untaxedUnitPrice(invoiceLine(0, { taxIds: [1] }), taxes)).toBe(18.75);
    expect(untaxedUnitPrice(invoiceLine(0, { discount: 100, subtotal: 0, taxIds: [3] }), taxes)).toBe(18.38);
  });
});

describe('invoiceTaxes', () => {
  it('one TXI per tax with its percent and basis; a fixed tax per unit; a 0% tax exempt; Odoo rounding differences to the largest', () => {
    const lines = [invoiceLine(0, { taxIds: [1, 2] }), invoiceLine(1, { taxIds: [1, 3] })];
    const taxes = [
      { id: 1, name: 'Hamilton County Tax 1%', amount: 1, amountType: 'percent' },
      { id: 2, name: 'Recycling fee', amount: 0.05, amountType: 'fixed' },
      { id: 3, name: 'Exempt', amount: 0, amountType: 'percent' },
    ];
    expect(invoiceTaxes({ lines, taxes, amountTax: 39.25 })).toEqual([
      { typeCode: 'LT', amount: 33.25, percent: 1, basisAmount: 3325.2 },
      { typeCode: 'ST', amount: 6 },
      { typeCode: 'ST', amount: 0, percent: 0, basisAmount: 1075.2, exemptCode: '1' },
    ]);
    expect(invoiceTaxes({ lines, taxes, amountTax: 39.26 })[0]!.amount).toBe(33.26);
    expect(invoiceTaxes({ lines: [], taxes: [], amountTax: 4.2 })).toEqual([{ typeCode: 'ST', amount: 4.2 }]);
  });

  it('names the tax type from its name', () => {
    expect(['VAT 20%', 'GST 5%', 'HST 13%', 'City tax', 'Sales Tax 7%', '15%'].map(taxTypeCode)).toEqual(['VA', 'GS', 'GS', 'LT', 'ST', 'ST']);
  });
});

describe('invoiceTerms', () => {
  it('basic terms from the invoice date with net days and due date; 08 with the early payment discount', () => {
    expect(invoiceTerms({ invoiceDate: '2026-12-08', dueDate: '2027-01-07', term: { name: '30 Days', netDays: 30 } })).toEqual([
      { typeCode: '01', basisDateCode: '3', netDueDate: '2027-01-07', netDays: 30, description: '30 Days' },
    ]);
    expect(invoiceTerms({ invoiceDate: '2026-12-28', dueDate: '2027-01-27', term: { name: '2/10 Net 30', netDays: 30, discountPercent: 2, discountDays: 10 } })).toEqual([
      { typeCode: '08', basisDateCode: '3', discountPercent: 2, discountDueDate: '2027-01-07', discountDays: 10, netDueDate: '2027-01-27', netDays: 30, description: '2/10 Net 30' },
    ]);
    expect(invoiceTerms({ invoiceDate: '2026-12-08', dueDate: '2026-12-08' })).toEqual([{ typeCode: '01', basisDateCode: '3', netDueDate: '2026-12-08' }]);
    expect(invoiceTerms({ invoiceDate: '2026-12-08' })).toEqual([]);
  });
});
