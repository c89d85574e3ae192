// The 855's line statuses from an 850 and the confirmed sale order's lines: pure, no Odoo.
import { describe, expect, it } from 'vitest';
import { OrderLineSchema, type OrderLine } from '../../../src/documents/purchase-order.js';
import { ackLines, matchSaleLines, productVerdict, unitCodeFor, type AckLinesInput, type SaleLineFacts } from '../../../src/odoo/builders/ack-lines.js';
import { x12UnitCodes } from '../../../src/odoo/builders/units.js';
import { DEFAULT_UNITS } from '../../../src/odoo/settings.js';

const codes = x12UnitCodes({ ...DEFAULT_UNITS, CA: 'Case of 12' });
const ordered: OrderLine[] = [
  { lineNumber: '1', quantity: 120, unit: 'EA', unitPrice: 18.75, productIds: { gtin: '00614141000012' } },
  { lineNumber: '2', quantity: 48, unit: 'EA', unitPrice: 22.4, productIds: { vendorPart: 'AC-1002' } },
  { lineNumber: '3', quantity: 15.5, unit: 'EA', unitPrice: 3.125, productIds: { buyerPart: 'BUYER-ALM' } },
].map((l) => OrderLineSchema.parse(l));

/** A sale line as the 850 posting made it for 850 line `index`; `over` changes what a person changed. */
function saleLine(index: number, over: Partial<SaleLineFacts> = {}): SaleLineFacts {
  const products = [{ defaultCode: 'AC-1001', barcode: '0614141000012' }, { defaultCode: 'AC-1002', barcode: '0614141000029' }, { defaultCode: 'AC-1003', barcode: '0614141000036' }];
  const o = ordered[index]!;
  return {
    id: 100 + index, sequence: (index + 1) * 10, productName: `product ${index + 1}`, ...products[index],
    quantity: o.quantity, price: o.unitPrice!, unitName: 'Units', unitCodes: codes.get('units')!, ...over,
  };
}

const input = (sale: SaleLineFacts[], over: Partial<AckLinesInput> = {}): AckLinesInput => ({
  ordered, headingDates: [{ qualifier: '002', date: '2026-12-04' }], sale, commitmentDate: '2026-12-04', digits: { quantity: 2, price: 2 }, ...over,
});
const statuses = (r: ReturnType<typeof ackLines>) => r.lines.map((l) => l.acks.map((a) => a.status).join('+'));

describe('ackLines: statuses', () => {
  it('IA on every line and AD when the order is as ordered (3.125 ordered is 3.13 stored at 2 digits)', () => {
    const r = ackLines(input([saleLine(0), saleLine(1), saleLine(2, { price: 3.13 })]));
    expect(r.ackType).toBe('AD');
    expect(statuses(r)).toEqual(['IA', 'IA', 'IA']);
    expect(r.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice])).toEqual([['1', 120, 'EA', 18.75], ['2', 48, 'EA', 22.4], ['3', 15.5, 'EA', 3.125]]);
    expect(r.lines[0]!.productIds).toEqual(ordered[0]!.productIds);
    expect(r.lines[0]!.acks[0]).toMatchObject({ quantity: 120, unit: 'EA', dateQualifier: '068', date: '2026-12-04', statusName: 'item accepted' });
    expect(r.added).toEqual([]);
    expect(r.unitless).toEqual([]);
  });

  it('IQ with the new quantity; IP with the new price in PO104; IC when both changed; AC', () => {
    const r = ackLines(input([saleLine(0, { quantity: 100 }), saleLine(1, { price: 21.9 }), saleLine(2, { quantity: 10, price: 3.5 })]));
    expect(r.ackType).toBe('AC');
    expect(statuses(r)).toEqual(['IQ', 'IP', 'IC']);
    expect(r.lines[0]!.acks[0]).toMatchObject({ quantity: 100, unit: 'EA' });
    expect(r.lines[0]!.quantity).toBe(120); // PO102 as ordered
    expect(r.lines[1]!.unitPrice).toBe(21.9);
    expect(r.lines[1]!.acks[0]!.quantity).toBe(48);
    expect(r.lines[2]!).toMatchObject({ unitPrice: 3.5, acks: [{ status: 'IC', quantity: 10, statusName: 'item accepted, changes made' }] });
  });

  it('IQ when a person changed the unit (Dozens: DZ), even at the same quantity', () => {
    const r = ackLines(input([saleLine(0, { unitName: 'Dozens', unitCodes: codes.get('dozens')!, quantity: 120 }), saleLine(1), saleLine(2)]));
    expect(r.lines[0]!.acks[0]).toMatchObject({ status: 'IQ', quantity: 120, unit: 'DZ' });
  });

  it('DR with ACK04 068 and the new day when only the commitment date moved, per line against its requested date', () => {
    const lines = [OrderLineSchema.parse({ ...ordered[0], dates: [{ qualifier: '002', date: '2026-12-10' }] }), ordered[1]!, ordered[2]!];
    const r = ackLines(input([saleLine(0), saleLine(1), saleLine(2)], { ordered: lines, headingDates: [], commitmentDate: '2026-12-10' }));
    // No heading date: the posting set the earliest line date (12-10 is the only one), so nothing moved.
    expect(statuses(r)).toEqual(['IA', 'IA', 'IA']);
    const moved = ackLines(input([saleLine(0), saleLine(1), saleLine(2, { quantity: 12 })], { commitmentDate: '2026-12-11' }));
    expect(statuses(moved)).toEqual(['DR', 'DR', 'IQ']);
    expect(moved.lines[0]!.acks[0]).toMatchObject({ quantity: 120, dateQualifier: '068', date: '2026-12-11', statusName: 'item accepted, date rescheduled' });
    // The date rides along on a line whose quantity changed too.
    expect(moved.lines[2]!.acks[0]).toMatchObject({ status: 'IQ', date: '2026-12-11' });
    expect(moved.ackType).toBe('AC');
  });

  it('IR with the ordered quantity when the sale line is gone or its quantity is 0', () => {
    const r = ackLines(input([saleLine(0, { quantity: 0 }), saleLine(2)]));
    expect(statuses(r)).toEqual(['IR', 'IR', 'IA']);
    expect(r.lines[0]!.acks[0]).toEqual({ status: 'IR', statusName: 'item rejected', quantity: 120, unit: 'EA', productIds: { other: [] } });
    expect(r.lines[1]!.acks[0]).toMatchObject({ status: 'IR', quantity: 48 });
    expect(r.outcomes.map((o) => [o.line, o.status, o.saleLineId])).toEqual([['line 1', 'IR', 100], ['line 2', 'IR', undefined], ['line 3', 'IA', 102]]);
    expect(r.ackType).toBe('AC');
  });

  it('compares no price on a line the 850 did not price (Odoo priced it)', () => {
    const lines = [OrderLineSchema.parse({ ...ordered[0], unitPrice: undefined }), ordered[1]!, ordered[2]!];
    const r = ackLines(input([saleLine(0, { price: 99 }), saleLine(1), saleLine(2, { price: 3.13 })], { ordered: lines }));
    expect(statuses(r)).toEqual(['IA', 'IA', 'IA']);
    expect(r.lines[0]!.unitPrice).toBeUndefined();
  });

  it('lists a line whose unit has no X12 code (held), and echoes the 850 code for the pack unit its PO401 chose', () => {
    const box: Partial<SaleLineFacts> = { unitName: 'Box', unitCodes: [] };
    const r = ackLines(input([saleLine(0, box), saleLine(1), saleLine(2)]));
    expect(r.unitless.map((u) => [u.line, u.sale.unitName])).toEqual([['line 1', 'Box']]);
    const packed = [OrderLineSchema.parse({ ...ordered[0], unit: 'CA', quantity: 10, pack: { pack: 4 } }), ordered[1]!, ordered[2]!];
    const fits = ackLines(input([saleLine(0, { unitName: 'Case of 4', unitCodes: [], holds: 4, quantity: 10 }), saleLine(1), saleLine(2, { price: 3.13 })], { ordered: packed }));
    expect(fits.unitless).toEqual([]);
    expect(fits.lines[0]!.acks[0]).toMatchObject({ status: 'IA', unit: 'CA', quantity: 10 });
    const other = ackLines(input([saleLine(0, { unitName: 'Case of 6', unitCodes: [], holds: 6, quantity: 10 }), saleLine(1), saleLine(2)], { ordered: packed }));
    expect(other.unitless.map((u) => u.line)).toEqual(['line 1']);
  });
});

describe('matching sale lines to 850 lines', () => {
  it('by sequence first, then by product (a person re-sorted the lines), never a provably other product', () => {
    // Lines 1 and 2 swapped their sequences; line 3 (their own code only) keeps sequence 30.
    const sale = [saleLine(0, { sequence: 20 }), saleLine(1, { sequence: 10 }), saleLine(2)];
    const m = matchSaleLines(ordered, sale);
    expect([...m.entries()].sort(([a], [b]) => a - b).map(([i, x]) => [i, x.sale.id, x.by])).toEqual([[0, 100, 'product'], [1, 101, 'product'], [2, 102, 'sequence']]);
  });

  it('matches a line known only by the customer\'s own code by its sequence; lines a person added are left out', () => {
    const added = { ...saleLine(0), id: 200, sequence: 40, productName: 'Extra', defaultCode: 'AC-9999', barcode: '0614141999999' };
    const r = ackLines(input([saleLine(0), saleLine(1), saleLine(2, { defaultCode: 'ANY', barcode: undefined, price: 3.13 }), added]));
    expect(statuses(r)).toEqual(['IA', 'IA', 'IA']);
    expect(r.added.map((s) => s.id)).toEqual([200]);
    expect(r.lines).toHaveLength(3);
  });

  it('does not take the line at the sequence when its product is another one: the 850 line is rejected', () => {
    const other = saleLine(0, { defaultCode: 'AC-7777', barcode: '0614141777777' });
    const r = ackLines(input([other, saleLine(1), saleLine(2)]));
    expect(statuses(r)[0]).toBe('IR');
    expect(r.added.map((s) => s.id)).toEqual([100]);
  });

  it('productVerdict: our internal reference and any barcode form count; the customer\'s codes cannot be checked', () => {
    expect(productVerdict({ gtin: '00614141000012', other: [] }, { barcode: '0614141000012' })).toBe('same');
    expect(productVerdict({ upc: '614141000012', other: [] }, { barcode: '0614141000012' })).toBe('same');
    expect(productVerdict({ vendorPart: 'AC-1002', other: [] }, { defaultCode: 'AC-1002' })).toBe('same');
    expect(productVerdict({ vendorPart: 'AC-1002', other: [] }, { defaultCode: 'AC-1001' })).toBe('different');
    expect(productVerdict({ buyerPart: 'B-1', other: [] }, { defaultCode: 'B-1' })).toBe('unknown');
    // A partner file may say their BP is our internal reference.
    expect(productVerdict({ buyerPart: 'B-1', other: [] }, { defaultCode: 'B-1' }, { BP: 'defaultCode' })).toBe('same');
  });
});

describe('units in X12', () => {
  it('reverses odoo.units: the 850 code first when it names the unit, else the first code', () => {
    expect(codes.get('units')).toEqual(['EA', 'PC', 'UN', 'EC']);
    expect(codes.get('case of 12')).toEqual(['CA']);
    const pc = OrderLineSchema.parse({ quantity: 1, unit: 'PC', productIds: {} });
    expect(unitCodeFor(saleLine(0), pc)).toBe('PC');
    expect(unitCodeFor(saleLine(0, { unitName: 'kg', unitCodes: codes.get('kg')! }), pc)).toBe('KG');
    expect(unitCodeFor(saleLine(0, { unitName: 'Box', unitCodes: [] }), pc)).toBeUndefined();
  });
});
