// The 856 of a done delivery from what the builder read (pure): SSCC numbering, both hierarchies,
// lots and expiry, and the holds.
import { describe, expect, it } from 'vitest';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../../src/documents/purchase-order.js';
import type { ShipNotice } from '../../../src/documents/ship-notice.js';
import { read856, write856 } from '../../../src/maps/856-ship-notice.js';
import { checkSscc } from '../../../src/maps/sscc.js';
import { rereadTransaction } from '../../../src/maps/shared/reread.js';
import type { SaleLineFacts } from '../../../src/odoo/builders/ack-lines.js';
import {
  companyPrefixOf, packageSscc, scacOf, shipNoticeDocument, type ShipNoticeFacts, type ShipNoticeVerdict,
} from '../../../src/odoo/builders/856-ship-notice-document.js';

const po: PurchaseOrder = PurchaseOrderSchema.parse({
  purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber: 'PO-77', poDate: '2026-11-20',
  parties: [
    { role: 'buyer', entityCode: 'BY', name: 'Retail', ids: {} },
    { role: 'ship_to', entityCode: 'ST', name: 'DC 07', ids: { gln: '2000000000017' } },
  ],
  lines: [
    { lineNumber: '10', quantity: 120, unit: 'EA', productIds: { upc: '012345678905' } },
    { lineNumber: '20', quantity: 4, unit: 'CA', productIds: { buyerPart: 'B-2' } },
  ],
});

const units = (id: number, name: string, codes: string[]) => ({ unitId: id, unitName: name, unitCodes: codes });
const sale: SaleLineFacts[] = [
  { id: 501, sequence: 10, productName: '[AC-1] Oats', barcode: '012345678905', quantity: 120, price: 1, ...units(1, 'Units', ['EA', 'PC']) },
  { id: 502, sequence: 20, productName: '[AC-2] Honey', quantity: 4, price: 1, ...units(9, 'Case of 12', ['CA']) },
  { id: 503, sequence: 30, productName: '[AC-3] Extra', quantity: 1, price: 1, ...units(1, 'Units', ['EA']) },
];

function facts(over: Partial<ShipNoticeFacts> = {}): ShipNoticeFacts {
  return {
    pickingName: 'WH/OUT/00007', orderName: 'S00042', doneAt: '2026-12-03 14:25:09', shipFrom: 'My Company',
    carrier: { id: 3, name: 'UPSN', scac: 'UPSN' }, trackingRef: '1Z999', weight: 81.5, weightUnit: 'KG',
    packagesWeighed: true, packageModel: 'stock.quant.package', po, sale,
    lines: [
      { saleLineId: 501, productName: 'Oats', quantity: 70, lot: { name: 'L-B', expiry: '2027-06-30' } },
      { saleLineId: 501, productName: 'Oats', quantity: 50, lot: { name: 'L-A' } },
      { saleLineId: 502, productName: 'Honey', quantity: 3 },
      { saleLineId: 503, productName: 'Extra', quantity: 1 },
      { saleLineId: undefined, productName: 'Loose', quantity: 2 },
    ],
    packages: [],
    ...over,
  };
}

const rules = { companyPrefix: '0614141', partnerFile: 'partners/retail.yaml' };
const built = (v: ShipNoticeVerdict) => {
  if (!('document' in v)) throw new Error(`held: ${v.held.join('; ')}`);
  return v;
};

/** write856 in both versions, validated and read back to the same document. */
function roundTrip(doc: ShipNotice): void {
  for (const x12 of ['004010', '005010'] as const) {
    const { transaction, findings } = rereadTransaction('856', write856(doc, x12), x12);
    expect(findings).toEqual([]);
    const back = read856(transaction);
    expect(back.findings).toEqual([]);
    expect(back.document).toEqual({ ...doc, totals: back.document!.totals });
  }
}

describe('SSCC-18 of a package', () => {
  it('numbers a package by extension 0 + company prefix + its id, with the GS1 check digit', () => {
    // GS1's example 106141411234567897 with extension digit 0 instead of 1.
    expect(packageSscc({ id: 123456789, name: 'PACK0000001' }, '0614141')).toEqual({ sscc: '006141411234567890' });
    const small = packageSscc({ id: 12, name: 'PACK0000012' }, '0614141');
    expect(small).toEqual({ sscc: expect.stringMatching(/^00614141000000012\d$/) });
    expect(checkSscc((small as { sscc: string }).sscc).problem).toBeUndefined();
  });

  it('keeps a name that already is an SSCC-18 (also with the (00) identifier), without needing a prefix', () => {
    expect(packageSscc({ id: 5, name: '106141411234567897' }, undefined)).toEqual({ sscc: '106141411234567897' });
    expect(packageSscc({ id: 5, name: '(00)106141411234567897' }, undefined)).toEqual({ sscc: '106141411234567897' });
    // A wrong check digit is not an SSCC: the package is numbered.
    expect(packageSscc({ id: 5, name: '106141411234567891' }, undefined)).toEqual({ problem: 'no-prefix' });
  });

  it('refuses an id that does not fit the serial digits a long prefix leaves', () => {
    expect(packageSscc({ id: 9999, name: 'P' }, '061414100001')).toEqual({ sscc: expect.stringMatching(/^0061414100001999\d\d$/) });
    expect(packageSscc({ id: 10000, name: 'P' }, '061414100001')).toEqual({ problem: 'too-many' });
  });

  it('takes a prefix of 4 to 12 digits only, and a SCAC from x_scac or a carrier named by it', () => {
    expect(companyPrefixOf(' 0614141 ')).toBe('0614141');
    expect(companyPrefixOf('12AB')).toBeUndefined();
    expect(companyPrefixOf('1234567890123')).toBeUndefined();
    expect(companyPrefixOf(undefined)).toBeUndefined();
    expect(scacOf('UPSN', false)).toBe('UPSN');
    expect(scacOf('Fast Freight', ' rdwy ')).toBe('RDWY');
    expect(scacOf('Fast Freight', false)).toBeUndefined();
  });
});

describe('shipNoticeDocument', () => {
  it('S/O/I without packages: one item per lot, the 850 line numbers, ids and units, expiry as DTM 036; lines not in the 850 left out', () => {
    const v = built(shipNoticeDocument(facts(), rules));
    const doc = v.document;
    expect(doc).toMatchObject({
      purposeCode: '00', shipmentId: 'WH/OUT/00007', shipDate: '2026-12-03', shipTime: '14:25', structureCode: '0004',
      dates: [{ qualifier: '011', date: '2026-12-03', time: '14:25' }],
      billOfLading: 'WH/OUT/00007', proNumber: '1Z999',
      carrier: { routingSequence: 'B', idQualifier: '2', scac: 'UPSN', routing: 'UPSN' },
      lading: { weightQualifier: 'G', weight: 81.5, weightUnit: 'KG' },
    });
    expect(doc.parties.map((p) => [p.entityCode, p.name])).toEqual([['ST', 'DC 07'], ['SF', 'My Company']]);
    const [order] = doc.orders;
    expect(order).toMatchObject({ poNumber: 'PO-77', poDate: '2026-11-20', references: [{ qualifier: 'VN', value: 'S00042' }], packs: [] });
    expect(order!.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit, i.quantityOrdered, i.orderedUnit, i.lots.map((l) => l.number), i.dates])).toEqual([
      ['10', 50, 'EA', 120, 'EA', ['L-A'], []],
      ['10', 70, 'EA', 120, 'EA', ['L-B'], [{ qualifier: '036', date: '2027-06-30' }]],
      ['20', 3, 'CA', 4, 'CA', [], []],
    ]);
    expect(order!.items[0]!.productIds).toEqual(po.lines[0]!.productIds);
    expect(v.details).toMatchObject({ hierarchy: 'S/O/I', notIn850: [{ product: 'Extra', quantity: 1 }, { product: 'Loose', quantity: 2 }] });
    roundTrip(doc);
  });

  it('S/O/P/I with packages: one pack per package with its SSCC and weight, the items in it, TD1 CTN25 with the count', () => {
    const lines = [
      { saleLineId: 501, productName: 'Oats', quantity: 60, packageId: 8 },
      { saleLineId: 501, productName: 'Oats', quantity: 60, packageId: 9, lot: { name: 'L-C', expiry: '2027-01-31' } },
      { saleLineId: 502, productName: 'Honey', quantity: 4, packageId: 8 },
    ];
    const packages = [{ id: 9, name: '106141411234567897', weight: 12 }, { id: 8, name: 'PACK0000008', weight: 30.25 }];
    const v = built(shipNoticeDocument(facts({ lines, packages }), rules));
    const doc = v.document;
    expect(doc.structureCode).toBe('0001');
    expect(doc.lading).toEqual({ packagingCode: 'CTN25', quantity: 2, weightQualifier: 'G', weight: 81.5, weightUnit: 'KG' });
    const packs = doc.orders[0]!.packs;
    expect(packs.map((p) => [p.sscc, p.lading, p.items.map((i) => [i.lineNumber, i.quantityShipped, i.unit])])).toEqual([
      [(packageSscc({ id: 8, name: 'PACK0000008' }, '0614141') as { sscc: string }).sscc, { weightQualifier: 'G', weight: 30.25, weightUnit: 'KG' }, [['10', 60, 'EA'], ['20', 4, 'CA']]],
      ['106141411234567897', { weightQualifier: 'G', weight: 12, weightUnit: 'KG' }, [['10', 60, 'EA']]],
    ]);
    expect(packs[1]!.items[0]!.dates).toEqual([{ qualifier: '036', date: '2027-01-31' }]);
    expect(doc.orders[0]!.items).toEqual([]);
    expect(v.details).toMatchObject({ hierarchy: 'S/O/P/I', packages: [{ package: 'PACK0000008', id: 8 }, { package: '106141411234567897', id: 9, sscc: '106141411234567897' }] });
    roundTrip(doc);
  });

  it('goes without TD5 and TD1 when the delivery has no carrier and no weight', () => {
    const doc = built(shipNoticeDocument(facts({ carrier: undefined, weight: undefined, trackingRef: undefined }), rules)).document;
    expect(doc.carrier).toBeUndefined();
    expect(doc.lading).toBeUndefined();
    expect(doc.proNumber).toBeUndefined();
    roundTrip(doc);
  });

  it('holds with every reason at once: a carrier without SCAC, no prefix, a package without weight, loose goods beside packed ones, a unit without code', () => {
    const lines = [
      { saleLineId: 501, productName: 'Oats', quantity: 60, packageId: 8 },
      { saleLineId: 501, productName: 'Oats', quantity: 60 },
      { saleLineId: 502, productName: 'Honey', quantity: 4, packageId: 8 },
    ];
    const noCode = sale.map((s) => (s.id === 502 ? { ...s, unitName: 'Box of 7', unitCodes: [] } : s));
    const v = shipNoticeDocument(facts({ lines, sale: noCode, packages: [{ id: 8, name: 'PACK0000008' }], carrier: { id: 3, name: 'Fast Freight' } }), { ...rules, companyPrefix: undefined });
    expect(v).toEqual({ held: [
      'delivery WH/OUT/00007: 60 of Oats are in no package while the rest is packed: put them in a package too (an 856 has one hierarchy, S/O/P/I or S/O/I), then build again',
      "delivery WH/OUT/00007: carrier 'Fast Freight' (delivery.carrier 3) has no SCAC: fill its x_scac field (a custom field) or name the carrier by its SCAC (2 to 4 capital letters), then build again",
      "delivery WH/OUT/00007: package PACK0000008 (stock.quant.package 8) needs an SSCC-18 but no GS1 company prefix is configured: set GS1_COMPANY_PREFIX (4 to 12 digits) in the gateway's environment, or name the package by its SSCC-18, then build again",
      'delivery WH/OUT/00007: package PACK0000008 (stock.quant.package 8) has no weight: fill its shipping weight (shipping_weight), then build again',
      "delivery WH/OUT/00007, line 20 ([AC-2] Honey): unit 'Box of 7' has no X12 code: add its code to odoo.units in partners/retail.yaml (<X12 code>: Box of 7), or set the sale line's unit to one that has, then build again",
    ] });
  });

  it('names a prefix that is not one; a server without package weights holds nothing for them', () => {
    const lines = [{ saleLineId: 501, productName: 'Oats', quantity: 120, packageId: 8 }];
    const packages = [{ id: 8, name: 'PACK0000008' }];
    expect(shipNoticeDocument(facts({ lines, packages }), { ...rules, companyPrefix: 'GS1-123' })).toEqual({ held: [
      "delivery WH/OUT/00007: package PACK0000008 (stock.quant.package 8) needs an SSCC-18 but GS1_COMPANY_PREFIX 'GS1-123' is not a GS1 company prefix (4 to 12 digits): correct it, then build again",
      'delivery WH/OUT/00007: package PACK0000008 (stock.quant.package 8) has no weight: fill its shipping weight (shipping_weight), then build again',
    ] });
    const doc = built(shipNoticeDocument(facts({ lines, packages, packagesWeighed: false }), rules)).document;
    expect(doc.orders[0]!.packs[0]!.lading).toBeUndefined();
  });

  it('holds a delivery that ships nothing of the 850', () => {
    expect(shipNoticeDocument(facts({ lines: [{ saleLineId: 503, productName: 'Extra', quantity: 1 }] }), rules)).toEqual({
      held: ['delivery WH/OUT/00007 ships nothing of the lines of 850 PO-77 (sale order S00042): nothing to announce'],
    });
  });
});

describe("the partner's 856 hierarchy (documents.rules.856.hierarchy)", () => {
  const packedLines = [
    { saleLineId: 501, productName: 'Oats', quantity: 60, packageId: 8 },
    { saleLineId: 501, productName: 'Oats', quantity: 60, packageId: 9 },
    { saleLineId: 502, productName: 'Honey', quantity: 4, packageId: 8 },
  ];
  const packages = [{ id: 8, name: 'PACK0000008', weight: 30 }, { id: 9, name: 'PACK0000009' }];

  it('SOPI: a delivery without packages is held, naming the rule and what to do; with packages it is S/O/P/I', () => {
    const v = shipNoticeDocument(facts(), { ...rules, hierarchy: 'SOPI' });
    expect(v).toEqual({ held: [
      'delivery WH/OUT/00007: its goods are in no package, but partners/retail.yaml asks for the 856 in S/O/P/I (documents.rules.856.hierarchy: SOPI): put them in packages (Put in Pack before validating; on a done delivery, unlock it and set a package on each line of its Detailed Operations), then build again',
    ] });
    const packed = built(shipNoticeDocument(facts({ lines: packedLines, packages: packages.map((p) => ({ ...p, weight: 5 })) }), { ...rules, hierarchy: 'SOPI' }));
    expect(packed.document.structureCode).toBe('0001');
    expect(packed.details).toMatchObject({ hierarchy: 'S/O/P/I', hierarchyRule: 'SOPI' });
  });

  it('SOI: packages are left out (no SSCC, no package weight needed): S/O/I with the items merged per 850 line', () => {
    // Package 9 has no weight and there is no prefix: with SOI neither matters.
    const v = built(shipNoticeDocument(facts({ lines: packedLines, packages }), { ...rules, companyPrefix: undefined, hierarchy: 'SOI' }));
    expect(v.document.structureCode).toBe('0004');
    expect(v.document.orders[0]!.packs).toEqual([]);
    expect(v.document.orders[0]!.items.map((i) => [i.lineNumber, i.quantityShipped])).toEqual([['10', 120], ['20', 4]]);
    expect(v.document.lading).toEqual({ weightQualifier: 'G', weight: 81.5, weightUnit: 'KG' });
    expect(v.details).toMatchObject({ hierarchy: 'S/O/I', hierarchyRule: 'SOI' });
    roundTrip(v.document);
  });

  it('auto (the default) follows the packages', () => {
    expect(built(shipNoticeDocument(facts(), { ...rules, hierarchy: 'auto' })).document.structureCode).toBe('0004');
    const v = built(shipNoticeDocument(facts({ lines: packedLines, packages: packages.map((p) => ({ ...p, weight: 5 })) }), { ...rules, hierarchy: 'auto' }));
    expect(v.document.structureCode).toBe('0001');
    expect(v.details).not.toHaveProperty('hierarchyRule');
  });
});
