import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../src/documents/purchase-order.js';
import { read850, write850 } from '../../src/maps/850-purchase-order.js';
import type { X12Version } from '../../src/maps/shared/map-types.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import type { TransactionSet } from '../../src/x12/model.js';
import type { SegmentData } from '../../src/x12/writer.js';

const SAMPLES = join(import.meta.dirname, '../../samples');

function samples(): { file: string; version: X12Version }[] {
  return (['004010', '005010'] as const).flatMap((version) =>
    readdirSync(join(SAMPLES, version, '850')).filter((f) => f.endsWith('.edi')).map((f) => ({ file: join(version, '850', f), version })));
}

function loadSample(file: string): TransactionSet {
  const result = readX12(readFileSync(join(SAMPLES, file)), { file });
  expect(allFindings(result)).toEqual([]);
  const tx = result.interchanges[0]?.groups[0]?.transactions[0];
  if (!tx) throw new Error(`${file} holds no transaction set`);
  return tx;
}

function readSample(file: string): PurchaseOrder {
  const { document, findings } = read850(loadSample(file), { file });
  expect(findings).toEqual([]);
  if (!document) throw new Error(`${file} did not map`);
  return document;
}

/** Reads a body written by hand (as a partner would send it) through real X12 text. */
function readBody(body: SegmentData[]) {
  const { transaction } = rereadTransaction('850', body, '004010');
  return read850(transaction, { file: 'bad.edi', interchange: '000000001', group: '1' });
}

describe('read850: samples', () => {
  it('grocery order with GLNs, header and line allowances, PO4 and DTM', () => {
    const po = readSample('004010/850/850-grocery-gln-allowances.edi');
    expect(po).toMatchObject({
      purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber: 'FM-4500123', poDate: '2024-03-11', currency: 'USD',
      references: [{ qualifier: 'DP', value: '042', description: 'GROCERY DRY' }, { qualifier: 'IA', value: '77120' }],
      contacts: [{ function: 'BD', name: 'DANA WHITFIELD', phone: '5135550142', email: 'DWHITFIELD@FRESHMART.EXAMPLE' }],
      dates: [{ qualifier: '002', date: '2024-03-18' }, { qualifier: '010', date: '2024-03-15', time: '08:00' }],
      carriers: [{ routingSequence: 'O', idQualifier: '2', scac: 'FMLX', transportMethod: 'M', routing: 'FRESHMART LOGISTICS' }],
      terms: [{ typeCode: '01', basisDateCode: '3', discountPercent: 2, discountDays: 10, netDays: 30, description: '2% 10 NET 30' }],
      notes: [{ qualifier: 'L1', reference: 'SPECIAL INSTRUCTIONS', messages: ['DELIVER TO DOCK 4 BETWEEN 0600 AND 1400', 'PALLETS MAX HEIGHT 60 INCHES'] }],
      totals: { lineCount: 3, hashTotal: 183.5, amount: 3373.64 },
    });
    // SAC05 is N2: 12500 is 125.00 and 4500 is 45.00; SAC07 is R.
    expect(po.allowancesCharges).toEqual([
      { indicator: 'allowance', code: 'C310', amount: 125, percentQualifier: '3', percent: 2, handling: '02', description: 'PROMOTIONAL DISCOUNT' },
      { indicator: 'charge', code: 'D240', amount: 45, handling: '06', description: 'FREIGHT' },
    ]);
    expect(po.parties.map((p) => [p.role, p.name, p.ids.gln])).toEqual([
      ['buyer', 'FRESHMART STORES INC', '0614141000012'],
      ['ship_to', 'FRESHMART DC 07', '0614141000074'],
      ['bill_to', 'FRESHMART ACCOUNTS PAYABLE', '0614141000029'],
      ['seller', 'ACME DISTRIBUTING CO', '0812345000019'],
    ]);
    expect(po.parties[1]!.address).toEqual({ lines: ['4400 DISTRIBUTION WAY'], city: 'CINCINNATI', state: 'OH', postalCode: '45241', country: 'US' });
    expect(po.lines).toHaveLength(3);
    expect(po.lines[0]).toEqual({
      lineNumber: '1', quantity: 120, unit: 'CA', unitPrice: 18.75, priceBasis: 'PE',
      productIds: { upc: '012345678905', gtin: '10012345678902', vendorPart: 'AC-1001', other: [] },
      description: 'ORGANIC ROLLED OATS 42OZ', descriptions: [],
      pack: { pack: 12, size: 42, unit: 'OZ', packaging: 'CTN25' },
      references: [], dates: [{ qualifier: '002', date: '2024-03-18' }],
      allowancesCharges: [{ indicator: 'allowance', code: 'C000', amount: 36, handling: '02', description: 'CASE ALLOWANCE' }],
      notes: [], parties: [],
    });
    // PO102 and PO104 are R: explicit decimals as sent.
    expect(po.lines[2]).toMatchObject({ lineNumber: '3', quantity: 15.5, unit: 'LB', unitPrice: 3.125 });
  });

  it('industrial order with DUNS, assigned ids, many product id kinds, notes and a line ship-to', () => {
    const po = readSample('004010/850/850-industrial-duns-mixed-ids.edi');
    expect(po).toMatchObject({ orderType: 'NE', poNumber: 'NF-778812', releaseNumber: '001', contractNumber: 'CTR-2024-17', poDate: '2024-04-02' });
    expect(po.currency).toBeUndefined();
    expect(po.contacts).toEqual([
      { function: 'BD', name: 'LUIS ORTEGA', phone: '6165550177', fax: '6165550178' },
      { function: 'IC', name: 'RECEIVING DESK', phone: '6165550190' },
    ]);
    // ITD08 is N2: 1275 is 12.75.
    expect(po.terms).toEqual([{ typeCode: '08', basisDateCode: '3', discountPercent: 1.5, discountDays: 15, netDays: 45, discountAmount: 12.75, description: '1.5% 15 NET 45' }]);
    expect(po.carriers).toEqual([{ idQualifier: '2', scac: 'UPSN', transportMethod: 'U', routing: 'UPS GROUND', serviceLevel: 'CG' }]);
    expect(po.notes).toEqual([{ qualifier: 'ZZ', reference: 'PACKING', description: 'PACKING REQUIREMENTS', dates: [{ qualifier: '007', date: '2024-04-02' }], messages: ['LABEL EACH CARTON WITH PO AND LINE NUMBER'] }]);
    const [by, st, vn] = po.parties;
    expect(by).toMatchObject({ role: 'buyer', ids: { duns: '039876543' }, contacts: [{ function: 'BD', email: 'LORTEGA@NORTHFIELD.EXAMPLE' }] });
    expect(st).toMatchObject({
      role: 'ship_to', ids: { assignedByBuyer: 'PLT02' }, names: ['ATTN MAINTENANCE STORES'],
      address: { lines: ['1200 INDUSTRIAL PKWY', 'BLDG C'], city: 'GRAND RAPIDS', state: 'MI', postalCode: '49508', country: 'US' },
      references: [{ qualifier: 'DK', value: 'DOCK 12' }],
    });
    expect(vn).toMatchObject({ role: 'vendor', ids: { dunsPlus4: '0812345670001' } });

    const [l10, l20, l30] = po.lines;
    expect(l10!.productIds).toEqual({
      buyerPart: 'NF-BRG-6204', vendorPart: '6204-2RS', ean: '7316572186431', sku: 'ACME-88120',
      other: [{ qualifier: 'MG', value: 'SKF-6204-2RSH' }],
    });
    expect(l10).toMatchObject({
      lineNumber: '10', quantity: 4, unit: 'EA', unitPrice: 129.99,
      description: 'DEEP GROOVE BALL BEARING 20MM',
      descriptions: [{ type: 'F', characteristic: '73', text: 'BLACK RUBBER SEALS' }],
      pack: { pack: 10, size: 1, unit: 'EA', packaging: 'CTN' },
      references: [{ qualifier: 'PD', value: 'SPRING24' }],
      dates: [{ qualifier: '002', date: '2024-04-12' }],
      notes: [{ dates: [], messages: ['SUBSTITUTES NOT ACCEPTED'] }],
    });
    expect(l10!.priceBasis).toBeUndefined();
    expect(l10!.parties).toEqual([{
      role: 'ship_to', entityCode: 'ST', name: 'NORTHFIELD PLANT 3', names: [], ids: { assignedByBuyer: 'PLT03', other: [] },
      address: { lines: ['77 RIVER ST'], city: 'WYOMING', state: 'MI', postalCode: '49509', country: 'US' }, references: [], contacts: [],
    }]);
    expect(l20).toMatchObject({ quantity: 250, unitPrice: 0.0875, productIds: { buyerPart: 'NF-SCR-0832', vendorPart: 'SHCS-832-050', upc: '036541234562' } });
    expect(l30).toMatchObject({ unit: 'BX', unitPrice: 47.5, productIds: { gtin: '00036541000257' } });
    expect(l30!.allowancesCharges).toEqual([{ indicator: 'charge', code: 'H090', amount: 7.5, handling: '06', description: 'SMALL ORDER HANDLING' }]);
    expect(po.totals).toEqual({ lineCount: 3, hashTotal: 256, amount: 644.34 });
  });

  it('cancellation (BEG01 01)', () => {
    const po = readSample('004010/850/850-cancellation.edi');
    expect(po).toMatchObject({ purpose: 'cancellation', purposeCode: '01', poNumber: 'FM-4500099', poDate: '2024-03-01' });
    expect(po.notes[0]!.messages).toEqual(['STORE RESET POSTPONED - CANCEL ENTIRE ORDER']);
    expect(po.lines.map((l) => [l.lineNumber, l.quantity])).toEqual([['1', 60], ['2', 24]]);
  });

  it('005010 drop-ship order: N407 subdivision and MTX notes', () => {
    const po = readSample('005010/850/850-5010-dropship-mtx.edi');
    expect(po).toMatchObject({ orderType: 'DS', currency: 'CAD', poNumber: 'SL-2024-0520-0042' });
    expect(po.notes).toEqual([
      { qualifier: 'L1', reference: 'GIFT MESSAGE', dates: [], messages: ['HAPPY BIRTHDAY MARIE - FROM THE WHOLE TEAM'] },
      { qualifier: 'ZZ', reference: 'PACKSLIP', dates: [], messages: ['INCLUDE RETURN LABEL'] },
    ]);
    const shipTo = po.parties.find((p) => p.role === 'ship_to')!;
    expect(shipTo).toMatchObject({
      name: 'MARIE TREMBLAY', ids: { other: [] },
      address: { lines: ['88 RUE SAINT-PAUL', 'APT 4'], city: 'MONTREAL', postalCode: 'H2Y 1H3', country: 'CA', subdivision: 'QC' },
      contacts: [{ function: 'IC', name: 'MARIE TREMBLAY', phone: '5145550188' }],
    });
    expect(shipTo.address!.state).toBeUndefined();
    expect(po.lines[0]).toMatchObject({ quantity: 2, unitPrice: 34.99, productIds: { vendorPart: 'ACME-TMB-20', upc: '012345678936' }, description: 'INSULATED TUMBLER 20OZ TEAL' });
    expect(po.totals).toEqual({ lineCount: 2, hashTotal: 3, amount: 82.48 });
  });
});

describe('850 round trip: X12 -> canonical -> X12 -> canonical', () => {
  const all = samples();
  it('covers both versions', () => {
    expect(all.filter((s) => s.version === '004010').length).toBeGreaterThanOrEqual(3);
    expect(all.filter((s) => s.version === '005010').length).toBeGreaterThanOrEqual(1);
  });
  for (const { file, version } of all) {
    it(`${file} gives the same document`, () => {
      const first = readSample(file);
      expect(PurchaseOrderSchema.parse(first)).toEqual(first);
      const written = write850(first, version);
      const { transaction, findings: envelope } = rereadTransaction('850', written, version);
      expect(envelope).toEqual([]);
      const second = read850(transaction);
      expect(second.findings).toEqual([]);
      expect(second.document).toEqual(first);
      // The writer is stable: writing the re-read document gives the same segments.
      expect(write850(second.document!, version)).toEqual(written);
    });
  }
});

describe('write850', () => {
  it('writes an order built by hand, with explicit and implied decimals in their places', () => {
    const po = PurchaseOrderSchema.parse({
      purpose: 'original', orderType: 'SA', poNumber: 'P-1', poDate: '2024-05-01', currency: 'USD',
      allowancesCharges: [{ indicator: 'charge', code: 'D240', amount: 45.005 }],
      terms: [{ typeCode: '01', discountPercent: 2, discountDays: 10, netDays: 30, discountAmount: 3.5 }],
      lines: [
        { lineNumber: '1', quantity: 3, unit: 'EA', unitPrice: 12.5, productIds: { buyerPart: 'B-1', other: [] } },
        { lineNumber: '2', quantity: 0.1 + 0.2, unit: 'LB', unitPrice: 1.1 * 3, productIds: { upc: '012345678905', other: [] } },
      ],
    });
    expect(write850(po, '004010')).toEqual([
      ['BEG', '00', 'SA', 'P-1', undefined, '20240501', undefined],
      ['CUR', 'BY', 'USD'],
      ['SAC', 'C', 'D240', undefined, undefined, '4501', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
      ['ITD', '01', undefined, '2', undefined, '10', undefined, '30', '350', undefined, undefined, undefined, undefined],
      ['PO1', '1', '3', 'EA', '12.5', undefined, 'BP', 'B-1'],
      ['PO1', '2', '0.3', 'LB', '3.3', undefined, 'UP', '012345678905'],
      // CTT01 counts the lines when the document does not carry a count.
      ['CTT', '2', undefined],
    ]);
  });

  it('writes MSG in 004010 and MTX in 005010, N407 only in 005010', () => {
    const po = readSample('005010/850/850-5010-dropship-mtx.edi');
    const v4 = write850(po, '004010');
    const v5 = write850(po, '005010');
    expect(v4.filter((s) => s[0] === 'MSG')).toEqual([['MSG', 'HAPPY BIRTHDAY MARIE - FROM THE WHOLE TEAM'], ['MSG', 'INCLUDE RETURN LABEL']]);
    expect(v4.some((s) => s[0] === 'MTX')).toBe(false);
    expect(v5.filter((s) => s[0] === 'MTX')).toHaveLength(2);
    expect(v4.find((s) => s[0] === 'N4')).toEqual(['N4', 'MONTREAL', undefined, 'H2Y 1H3', 'CA', undefined, undefined, undefined]);
    expect(v5.find((s) => s[0] === 'N4')![7]).toBe('QC');
  });

  it('derives BEG01 from the purpose and refuses "other" without a code', () => {
    const po = readSample('004010/850/850-cancellation.edi');
    expect(write850({ ...po, purposeCode: undefined }, '004010')[0]![1]).toBe('01');
    expect(() => write850({ ...po, purpose: 'other', purposeCode: undefined }, '004010')).toThrow(RangeError);
  });
});

describe('read850: findings', () => {
  const line: SegmentData = ['PO1', '1', '2', 'EA', '5', undefined, 'BP', 'X-1'];

  it('reports missing mandatory values with segment position and element, and gives no document', () => {
    const { document, findings } = readBody([
      ['BEG', '00', 'SA', undefined, undefined, '20240231'],
      ['PO1', '1', undefined, 'EA', '5.0.0'],
      ['CTT', '1'],
    ]);
    expect(document).toBeUndefined();
    expect(findings.map((f) => [f.code, f.location.segmentTag, f.location.segmentPosition, f.location.elementPosition])).toEqual([
      ['MAP_REQUIRED_VALUE', 'BEG', 2, 3],
      ['MAP_INVALID_DATE', 'BEG', 2, 5],
      ['MAP_REQUIRED_VALUE', 'PO1', 3, 2],
      ['MAP_INVALID_NUMBER', 'PO1', 3, 4],
    ]);
    expect(findings[0]!.location).toMatchObject({ file: 'bad.edi', interchange: '000000001', group: '1', transaction: '0001', transactionSetId: '850' });
    expect(findings[1]).toMatchObject({ value: '20240231', severity: 'error' });
  });

  it('reports a missing BEG', () => {
    const { document, findings } = readBody([['REF', 'DP', '1'], line]);
    expect(document).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'MAP_SEGMENT_MISSING', location: { segmentTag: 'BEG', segmentPosition: 2 } });
  });

  it('needs lines unless the order is cancelled', () => {
    expect(readBody([['BEG', '00', 'SA', 'P-1', undefined, '20240301']]).findings.map((f) => [f.code, f.location.segmentTag])).toEqual([['MAP_SEGMENT_MISSING', 'PO1']]);
    const cancelled = readBody([['BEG', '01', 'SA', 'P-1', undefined, '20240301']]);
    expect(cancelled.findings).toEqual([]);
    expect(cancelled.document).toMatchObject({ purpose: 'cancellation', lines: [] });
  });

  it('warns about totals that do not match, and about segments it does not map, keeping the document', () => {
    const { document, findings } = readBody([
      ['BEG', '00', 'SA', 'P-1', undefined, '20240301'],
      ['FOB', 'PP'],
      ['SAC', 'C', 'D240', undefined, undefined, '500'],
      ['CUR', 'BY', 'EUR'],
      line,
      ['SDQ', 'EA', '92', 'S1', '2'],
      ['CTT', '2', '7'],
    ]);
    expect(document).toBeDefined();
    expect(document!.currency).toBeUndefined();
    expect(document!.allowancesCharges).toEqual([{ indicator: 'charge', code: 'D240', amount: 5 }]);
    expect(findings.map((f) => [f.code, f.severity, f.location.segmentTag, f.location.segmentPosition])).toEqual([
      ['MAP_SEGMENT_IGNORED', 'warning', 'FOB', 3],
      ['MAP_SEGMENT_IGNORED', 'warning', 'CUR', 5],
      ['MAP_SEGMENT_IGNORED', 'warning', 'SDQ', 7],
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 'CTT', 8],
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 'CTT', 8],
    ]);
  });

  it('warns about an unknown purpose code and keeps it', () => {
    const { document, findings } = readBody([['BEG', '53', 'SA', 'P-1', undefined, '20240301'], line]);
    expect(document).toMatchObject({ purpose: 'other', purposeCode: '53' });
    expect(findings.map((f) => f.code)).toEqual(['MAP_UNKNOWN_CODE']);
  });

  it('refuses another transaction set', () => {
    const { transaction } = rereadTransaction('855', [['BAK', '00', 'AC', 'P-1', '20240301']], '004010');
    const { document, findings } = read850(transaction);
    expect(document).toBeUndefined();
    expect(findings[0]).toMatchObject({ code: 'MAP_WRONG_TRANSACTION_SET', value: '855', location: { segmentTag: 'ST', segmentPosition: 1, elementPosition: 1 } });
  });
});

describe('850 CTP in the PO1 loop (issue 11)', () => {
  const body: SegmentData[] = [
    ['BEG', '00', 'SA', 'NG-7001', undefined, '20261130'],
    ['PO1', '1', '24', 'EA', undefined, undefined, 'VN', 'NG-100'],
    ['CTP', undefined, 'RES', '6.99'],
    ['CTP', 'WS', 'CON', '10.8', '10', ['EA']],
    ['DTM', '002', '20261214'],
    ['PO1', '2', '2', 'EA', '7.25', 'PE', 'VN', 'NG-200'],
    ['CTT', '2'],
  ];

  it('reads every CTP of a line (class of trade, qualifier, price, quantity, unit) and keeps PO104 apart', () => {
    const { document, findings } = readBody(body);
    expect(findings).toEqual([]);
    expect(document!.lines[0]).toMatchObject({
      prices: [{ qualifier: 'RES', unitPrice: 6.99 }, { classOfTrade: 'WS', qualifier: 'CON', unitPrice: 10.8, quantity: 10, unit: 'EA' }],
      dates: [{ qualifier: '002', date: '2026-12-14' }],
    });
    expect(document!.lines[0]!.unitPrice).toBeUndefined();
    expect(document!.lines[1]!.prices).toBeUndefined();
    expect(document!.lines[1]!.unitPrice).toBe(7.25);
  });

  for (const version of ['004010', '005010'] as const) {
    it(`writes CTP right after PO1 in ${version} and reads back the same document`, () => {
      const first = readBody(body).document!;
      const written = write850(first, version);
      expect(written.slice(1, 4).map((s) => s[0])).toEqual(['PO1', 'CTP', 'CTP']);
      expect(written[3]).toEqual(['CTP', 'WS', 'CON', '10.8', '10', ['EA']]);
      const { transaction, findings } = rereadTransaction('850', written, version);
      expect(findings).toEqual([]);
      expect(read850(transaction)).toEqual({ document: first, findings: [] });
    });
  }
});
