// The pure half of the 850 builder: facts of a confirmed purchase order -> the canonical 850, or holds.
import { describe, expect, it } from 'vitest';
import { PurchaseOrderSchema } from '../../../src/documents/purchase-order.js';
import {
  gtinIdsOf, purchaseOrderDocument, vendorCodeRequired, type PurchaseOrderFacts, type PurchaseOrderRules,
} from '../../../src/odoo/builders/850-purchase-order-document.js';
import { x12UnitCodes } from '../../../src/odoo/builders/units.js';
import { odooSettingsOf } from '../../../src/odoo/settings.js';

const settings = odooSettingsOf({ partner: { ref: 'ACME' }, units: { CA: 'Case of 12', LBR: 'lb' } });
const rules: PurchaseOrderRules = { units: settings.units, vendorCodeRequired: true, partnerFile: 'partners/acme.yaml' };

function facts(over: Partial<PurchaseOrderFacts> = {}): PurchaseOrderFacts {
  return {
    name: 'P00017',
    vendorName: 'Acme Supplies',
    approvedOn: '2026-12-03',
    orderedOn: '2026-12-01',
    plannedOn: '2026-12-10',
    currency: 'USD',
    shipTo: {
      warehouse: 'WH',
      address: { name: 'Main Warehouse', gln: '0614141000074', street: '1 Dock Rd', street2: 'Gate 3', city: 'Austin', state: 'TX', zip: '78701', country: 'US' },
      glnFields: ['barcode', 'global_location_number'],
    },
    billTo: { name: 'My Company', country: 'US' },
    lines: [
      { productName: 'Steel Bolt M6', defaultCode: 'SB-M6', barcode: '012345678905', vendorCode: 'AC-778', description: '[AC-778] Bolt', quantity: 100, unitName: 'Units', price: 0.125, plannedOn: '2026-12-10' },
      { productName: 'Hex Nut M6', defaultCode: 'HN-M6', barcode: '5901234123457', vendorCode: 'AC-779', quantity: 4, unitName: 'Case of 12', price: 9.5, plannedOn: '2026-12-14' },
    ],
    ...over,
  };
}

describe('x12UnitCodes: Odoo unit -> X12 code', () => {
  it('reverses the table: the partner\'s entries first, then the first built-in code of a unit', () => {
    const codes = x12UnitCodes(settings.units);
    expect(codes.get('units')?.[0]).toBe('EA');
    expect(codes.get('case of 12')?.[0]).toBe('CA');
    // The partner's own code for lb wins over the built-in LB.
    expect(codes.get('lb')?.[0]).toBe('LBR');
    expect(codes.get('kg')?.[0]).toBe('KG');
    expect(codes.get('dozens')?.[0]).toBe('DZ');
    expect(codes.get('pallet')).toBeUndefined();
  });

  it('drops a built-in code the partner points elsewhere, and upper-cases codes', () => {
    const codes = x12UnitCodes(odooSettingsOf({ partner: { ref: 'X' }, units: { ea: 'Each', LB: 'Units' } }).units);
    expect(codes.get('each')?.[0]).toBe('EA');
    // LB now means Units for this partner, so Odoo's lb has no code any more.
    expect(codes.get('units')?.[0]).toBe('LB');
    expect(codes.get('lb')).toBeUndefined();
  });
});

describe('gtinIdsOf', () => {
  it('sends 12 digits as UPC, 8/13/14 as GTIN-14, anything else not at all', () => {
    expect(gtinIdsOf('012345678905')).toEqual({ upc: '012345678905' });
    expect(gtinIdsOf('5901234123457')).toEqual({ gtin: '05901234123457' });
    expect(gtinIdsOf('96385074')).toEqual({ gtin: '00000096385074' });
    expect(gtinIdsOf('10614141000071')).toEqual({ gtin: '10614141000071' });
    expect(gtinIdsOf('ABC-123')).toEqual({});
    expect(gtinIdsOf('12345')).toEqual({});
    expect(gtinIdsOf(undefined)).toEqual({});
  });
});

describe('vendorCodeRequired', () => {
  it('follows supplierCode in odoo.products.match', () => {
    expect(vendorCodeRequired(settings)).toBe(true);
    expect(vendorCodeRequired(odooSettingsOf({ partner: { ref: 'X' }, products: { match: ['gtin', 'defaultCode'] } }))).toBe(false);
  });
});

describe('purchaseOrderDocument', () => {
  it('builds the canonical 850: BEG from the order, DTM 002, ship-to with GLN, bill-to, numbered lines with every id', () => {
    const verdict = purchaseOrderDocument(facts(), rules);
    expect('document' in verdict).toBe(true);
    if (!('document' in verdict)) return;
    const po = verdict.document;
    expect(PurchaseOrderSchema.parse(po)).toEqual(po);
    expect(po).toMatchObject({ purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber: 'P00017', poDate: '2026-12-03', currency: 'USD' });
    expect(po.dates).toEqual([{ qualifier: '002', date: '2026-12-10' }]);
    expect(po.parties).toEqual([
      { role: 'ship_to', entityCode: 'ST', name: 'Main Warehouse', names: [], ids: { gln: '0614141000074', other: [] }, address: { lines: ['1 Dock Rd', 'Gate 3'], city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' }, references: [], contacts: [] },
      { role: 'bill_to', entityCode: 'BT', name: 'My Company', names: [], ids: { other: [] }, address: { lines: [], country: 'US' }, references: [], contacts: [] },
    ]);
    expect(po.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.productIds, l.dates])).toEqual([
      ['1', 100, 'EA', 0.125, { other: [], buyerPart: 'SB-M6', vendorPart: 'AC-778', upc: '012345678905' }, []],
      // Its own date differs from the header's: a line DTM 002.
      ['2', 4, 'CA', 9.5, { other: [], buyerPart: 'HN-M6', vendorPart: 'AC-779', gtin: '05901234123457' }, [{ qualifier: '002', date: '2026-12-14' }]],
    ]);
    expect(po.lines[0]!.description).toBe('[AC-778] Bolt');
    expect(po.totals).toEqual({ lineCount: 2 });
  });

  it('takes the order date without a confirmation date, and the earliest line date without a header date', () => {
    const verdict = purchaseOrderDocument(facts({ approvedOn: undefined, plannedOn: undefined, currency: undefined }), rules);
    if (!('document' in verdict)) throw new Error(JSON.stringify(verdict));
    expect(verdict.document.poDate).toBe('2026-12-01');
    expect(verdict.document.dates).toEqual([{ qualifier: '002', date: '2026-12-10' }]);
    expect(verdict.document.currency).toBeUndefined();
  });

  it('holds with every reason, each naming the record and the field to fill', () => {
    const f = facts();
    const verdict = purchaseOrderDocument({
      ...f,
      shipTo: { ...f.shipTo, address: { ...f.shipTo.address!, gln: undefined } },
      lines: [{ ...f.lines[0]!, vendorCode: undefined }, { ...f.lines[1]!, unitName: 'Pallet' }],
    }, rules);
    expect(verdict).toEqual({
      held: [
        'purchase order P00017 line 1 (Steel Bolt M6): product has no vendor product code for Acme Supplies (Purchase tab of the product), or leave supplierCode out of odoo.products.match in partners/acme.yaml if Acme Supplies knows products by barcode or our Internal Reference',
        "purchase order P00017 line 2 (Hex Nut M6): unit 'Pallet' has no X12 unit code: add it to odoo.units in partners/acme.yaml (<X12 code>: Pallet, e.g. CA: Pallet)",
        "purchase order P00017: ship-to address 'Main Warehouse' (warehouse WH) has no GLN: fill its Barcode or GLN in Odoo (Contacts > Main Warehouse)",
      ],
    });
  });

  it('without the vendor-code rule sends the ids there are, and holds only a line with none', () => {
    const f = facts();
    const loose = { ...rules, vendorCodeRequired: false };
    const noVendorCode = purchaseOrderDocument({ ...f, lines: [{ ...f.lines[0]!, vendorCode: undefined }] }, loose);
    if (!('document' in noVendorCode)) throw new Error(JSON.stringify(noVendorCode));
    expect(noVendorCode.document.lines[0]!.productIds).toEqual({ other: [], buyerPart: 'SB-M6', upc: '012345678905' });
    const none = purchaseOrderDocument({ ...f, lines: [{ ...f.lines[0]!, vendorCode: undefined, defaultCode: undefined, barcode: 'N/A' }] }, loose);
    expect(none).toEqual({ held: ['purchase order P00017 line 1 (Steel Bolt M6): product has no id to send: give it a vendor product code for Acme Supplies (Purchase tab of the product), an Internal Reference or a barcode'] });
  });

  it('holds an order whose operation type has no warehouse address', () => {
    const f = facts();
    expect(purchaseOrderDocument({ ...f, shipTo: { warehouse: 'WH2', glnFields: ['barcode'] } }, rules)).toEqual({
      held: ['purchase order P00017: warehouse WH2 has no address to ship to: set its Address (Inventory > Configuration > Warehouses)'],
    });
    expect(purchaseOrderDocument({ ...f, shipTo: { glnFields: ['barcode'] } }, rules)).toMatchObject({ held: [expect.stringContaining('belongs to no warehouse')] });
  });
});
