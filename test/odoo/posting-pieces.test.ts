// Pure pieces of the postings: barcode variants, ship notice rows per hierarchy, due dates, settings.
import { describe, expect, it } from 'vitest';
import { InvoiceSchema } from '../../src/documents/invoice.js';
import { ShipNoticeOrderSchema } from '../../src/documents/ship-notice.js';
import { barcodeVariants } from '../../src/odoo/lookup/products.js';
import { dueDateOf } from '../../src/odoo/postings/vendor-bill-810.js';
import { shippedRows } from '../../src/odoo/postings/shipped-items.js';
import { markerOf } from '../../src/odoo/postings/context.js';
import { DEFAULT_UNITS, odooSettingsOf } from '../../src/odoo/settings.js';

describe('barcodeVariants', () => {
  it('finds a UPC-12 stored as EAN-13 or GTIN-14 and back', () => {
    expect(barcodeVariants('012345678905')).toEqual(expect.arrayContaining(['012345678905', '0012345678905', '00012345678905']));
    expect(barcodeVariants('00012345678905')).toContain('012345678905');
    expect(barcodeVariants('ABC-1')).toEqual(['ABC-1']);
  });
});

describe('shippedRows', () => {
  const item = (quantityShipped: number, extra: Record<string, unknown> = {}) => ({ productIds: { vendorPart: 'V1' }, quantityShipped, unit: 'EA', ...extra });
  it('S/O/P/I: each carton\'s items with its SSCC', () => {
    const order = ShipNoticeOrderSchema.parse({ poNumber: 'P1', packs: [{ sscc: '000000000000000011', items: [item(6, { lots: [{ number: 'L1' }] })] }, { sscc: '000000000000000028', items: [item(4)] }] });
    expect(shippedRows(order).map((r) => [r.quantity, r.sscc, r.lot])).toEqual([[6, '000000000000000011', 'L1'], [4, '000000000000000028', undefined]]);
  });
  it('S/O/I/P: the item\'s quantity spread over its cartons, the remainder in the last', () => {
    const order = ShipNoticeOrderSchema.parse({ poNumber: 'P1', items: [item(10, { packs: [{ sscc: 'A' }, { sscc: 'B' }, { sscc: 'C' }] })] });
    expect(shippedRows(order).map((r) => [r.quantity, r.sscc])).toEqual([[3, 'A'], [3, 'B'], [4, 'C']]);
  });
  it('S/O/T/P/I: a carton without SSCC travels under its pallet\'s', () => {
    const order = ShipNoticeOrderSchema.parse({ poNumber: 'P1', tares: [{ sscc: 'PAL', packs: [{ items: [item(2)] }], items: [item(1)] }] });
    expect(shippedRows(order).map((r) => [r.quantity, r.sscc])).toEqual([[1, 'PAL'], [2, 'PAL']]);
  });
});

describe('dueDateOf', () => {
  const base = { invoiceNumber: 'I1', invoiceDate: '2026-11-20', totals: { amount: 1 } };
  it('takes ITD06, else the date plus ITD07 days, else the invoice date', () => {
    expect(dueDateOf(InvoiceSchema.parse({ ...base, terms: [{ netDueDate: '2026-12-31' }] }))).toBe('2026-12-31');
    expect(dueDateOf(InvoiceSchema.parse({ ...base, terms: [{ netDays: 30 }] }))).toBe('2026-12-20');
    expect(dueDateOf(InvoiceSchema.parse(base))).toBe('2026-11-20');
  });
});

describe('odooSettingsOf', () => {
  it('applies defaults and lays the partner\'s units over the built-in ones', () => {
    const s = odooSettingsOf({ partner: { ref: 'ACME' }, units: { CA: 'Case of 12', EA: 'Each' } });
    expect(s.units['CA']).toBe('Case of 12');
    expect(s.units['EA']).toBe('Each');
    expect(s.units['DZ']).toBe(DEFAULT_UNITS['DZ']);
    expect(s.products.match[0]).toBe('mapping');
    expect(s.prices).toEqual({ policy: 'edi', missing: 'list-price', tolerancePercent: 0 });
    expect(s.confirmOrders).toBe(false);
  });
});

describe('markerOf', () => {
  it('is stable per natural key and differs between keys', () => {
    expect(markerOf('a|850|ZZ/A|1|1|1')).toBe(markerOf('a|850|ZZ/A|1|1|1'));
    expect(markerOf('a|850|ZZ/A|1|1|1')).not.toBe(markerOf('a|850|ZZ/A|2|1|1'));
    expect(markerOf('x')).toMatch(/^edi-ref:[0-9a-f]{16}$/);
  });
});
