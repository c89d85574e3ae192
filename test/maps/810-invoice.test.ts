import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read810, write810 } from '../../src/maps/810-invoice.js';
import { InvoiceSchema, type Invoice } from '../../src/documents/invoice.js';
import type { X12Version } from '../../src/maps/shared/map-types.js';
import type { TransactionSet } from '../../src/x12/model.js';
import { readX12, allFindings } from '../../src/x12/reader.js';
import type { SegmentData } from '../../src/x12/writer.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';

const SAMPLES = join(import.meta.dirname, '../../samples');

/** The one transaction set of an X12 text, with its GS08 version; the envelope must be clean. */
function onlyTransaction(text: string): { tx: TransactionSet; version: X12Version } {
  const result = readX12(text);
  expect(allFindings(result).filter((f) => f.severity === 'error')).toEqual([]);
  const group = result.interchanges[0]!.groups[0]!;
  return { tx: group.transactions[0]!, version: group.header.version.startsWith('005010') ? '005010' : '004010' };
}

/** Writes a body into a minimal interchange and takes its transaction set back; the envelope must be clean. */
function reread(body: readonly SegmentData[], version: X12Version): TransactionSet {
  const r = rereadTransaction('810', body, version);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return r.transaction;
}

const sample = (path: string) => onlyTransaction(readFileSync(join(SAMPLES, path), 'utf8'));

function readSample(path: string): Invoice {
  const r = read810(sample(path).tx, { file: path });
  expect(r.findings).toEqual([]);
  return r.document!;
}

const readBody = (body: SegmentData[], version: X12Version = '004010') => read810(reread(body, version));

const samplePaths = ['004010', '005010'].flatMap((v) =>
  readdirSync(join(SAMPLES, v, '810')).filter((f) => f.endsWith('.edi')).map((f) => `${v}/810/${f}`));

const cents = (n: number) => Math.round(n * 100);

describe('810 samples', () => {
  it('reads the 004010 invoice: heading, terms, lines with SAC and TXI, TDS implied decimals, CAD, summary SAC, ISS', () => {
    const doc = readSample('004010/810/810-invoice-allowances-terms.edi');
    expect(doc).toMatchObject({
      invoiceDate: '2026-11-21', invoiceNumber: 'INV-2611-0042', poDate: '2026-11-10', poNumber: '4500012345',
      transactionType: 'DI', purposeCode: '00', currency: 'USD',
      references: [{ qualifier: 'IA', value: 'VEND4471' }, { qualifier: 'BM', value: 'BOL7788123' }],
      dates: [{ qualifier: '011', date: '2026-11-20' }],
    });
    expect(doc.releaseNumber).toBeUndefined();
    expect(doc.parties.map((p) => [p.role, p.ids.assignedByBuyer ?? p.ids.gln])).toEqual([
      ['remit_to', 'ACME-RI'], ['bill_to', '0614141000012'], ['ship_to', '0614141000036'],
    ]);
    expect(doc.parties[1]!.contacts).toEqual([{ function: 'AP', name: 'ACCOUNTS PAYABLE', phone: '6145550199', email: 'ap@northwind.example' }]);
    expect(doc.terms).toEqual([{
      typeCode: '08', basisDateCode: '3', discountPercent: 2, discountDueDate: '2026-12-01', discountDays: 10,
      netDueDate: '2026-12-21', netDays: 30, discountAmount: 8.52, description: '2% 10 NET 30',
    }]);
    expect(doc.lines.map((l) => [l.lineNumber, l.quantity, l.unit, l.unitPrice, l.priceBasis])).toEqual([
      ['1', 24, 'EA', 12.5, 'PE'], ['2', 6, 'EA', 4.75, 'PE'], ['3', 4, 'BX', 31.2, 'PE'],
    ]);
    expect(doc.lines[0]).toMatchObject({
      productIds: { buyerPart: 'NW-10023', vendorPart: 'ACM-552', upc: '012345678905', other: [] }, description: 'WIDGET, STAINLESS, 10 MM',
    });
    expect(doc.lines[2]).toMatchObject({
      taxes: [{ typeCode: 'ST', amount: 0, jurisdictionQualifier: 'SP', jurisdictionCode: 'OH', exemptCode: '1' }],
      references: [{ qualifier: 'PK', value: 'PL-2611-0042' }],
      allowancesCharges: [{ indicator: 'allowance', code: 'C310', amount: 12.48, percentQualifier: '3', percent: 10, description: 'QUANTITY DISCOUNT' }],
    });
    expect(doc.totals).toEqual({ amount: 450.82, amountSubjectToDiscount: 425.82, discountedAmountDue: 442.3, termsDiscountAmount: 8.52, lineCount: 3, hashTotal: 34 });
    expect(doc.carrierDetails).toEqual({ transportMethod: 'M', scac: 'UPSN', routing: 'UPS GROUND', referenceQualifier: 'BM', referenceId: 'BOL7788123' });
    expect(doc.allowancesCharges).toEqual([
      { indicator: 'charge', code: 'D240', amount: 25, handling: '06', description: 'FREIGHT' },
      { indicator: 'allowance', code: 'C000', amount: 15, handling: '02', description: 'DEFECTIVE ALLOWANCE' },
    ]);
    expect(doc.shipmentSummary).toEqual([{ units: 34, unit: 'EA', weight: 42.5, weightUnit: 'LB' }]);
    expect(doc.taxes).toEqual([]);
  });

  it('reads a plain net-30 invoice against a blanket release with a line charge', () => {
    const doc = readSample('004010/810/810-release-net30-line-charge.edi');
    expect(doc).toMatchObject({ poNumber: 'BPO-2026-0009', releaseNumber: 'R014', poDate: '2026-10-01', transactionType: 'DI' });
    expect(doc.purposeCode).toBeUndefined();
    expect(doc.parties.map((p) => [p.role, p.entityCode])).toEqual([['ship_to', 'ST'], ['other', 'RE']]);
    expect(doc.terms).toEqual([{ typeCode: '01', basisDateCode: '3', netDueDate: '2026-12-25', netDays: 30 }]);
    expect(doc.dates).toEqual([{ qualifier: '011', date: '2026-11-24', time: '16:15' }]);
    expect(doc.lines[0]!.productIds).toEqual({ sku: 'SKU-11', gtin: '10012345678902', other: [] });
    expect(doc.lines[1]).toMatchObject({
      quantity: 2.5, unit: 'LB', unitPrice: 8.8, description: 'BULK FASTENERS, SOLD BY WEIGHT',
      allowancesCharges: [{ indicator: 'charge', code: 'D500', amount: 5, handling: '06', description: 'HANDLING' }],
    });
    expect(doc.totals).toEqual({ amount: 483, lineCount: 2, hashTotal: 12.5 });
    expect(doc.carrierDetails).toEqual({ transportMethod: 'U', scac: 'FDEG' });
  });

  it('reads the 005010 credit memo with negative quantities and a summary tax', () => {
    const doc = readSample('005010/810/810-credit-memo-tax.edi');
    expect(doc).toMatchObject({ invoiceNumber: 'CM-2611-0007', transactionType: 'CR', currency: 'CAD', references: [{ qualifier: 'IV', value: 'INV-2611-0042' }] });
    expect(doc.parties[0]).toMatchObject({ role: 'remit_to', ids: { duns: '123456789' }, address: { city: 'WINDSOR', country: 'CA', subdivision: 'ON' } });
    expect(doc.terms).toEqual([{ typeCode: '05', basisDateCode: '3', description: 'NO TERMS DISCOUNT' }]);
    expect(doc.lines.map((l) => [l.quantity, l.unitPrice])).toEqual([[-2, 12.5], [-1, 31.2]]);
    expect(doc.lines[0]).toMatchObject({ description: 'RETURNED: DAMAGED IN TRANSIT', dates: [{ qualifier: '050', date: '2026-11-24' }] });
    expect(doc.totals).toEqual({ amount: -59.01, lineCount: 2, hashTotal: -3 });
    expect(doc.taxes).toEqual([{ typeCode: 'GS', amount: -2.81, percent: 5, basisAmount: -56.2 }]);
    expect(doc.carrierDetails).toEqual({ transportMethod: 'M', scac: 'ABFS' });
    expect(doc.shipmentSummary).toEqual([{ units: 3, unit: 'EA' }]);
  });

  describe.each(samplePaths)('%s', (path) => {
    it('has a TDS01 that adds up: lines, allowances and charges, taxes', () => {
      const doc = readSample(path);
      const sign = (a: { indicator: string }) => (a.indicator === 'allowance' ? -1 : 1);
      const charges = (list: Invoice['allowancesCharges']) => list.reduce((s, a) => s + sign(a) * cents(a.amount ?? 0), 0);
      const taxes = (list: Invoice['taxes']) => list.reduce((s, t) => s + cents(t.amount ?? 0), 0);
      const total = doc.lines.reduce((sum, l) => sum + cents(l.quantity * l.unitPrice) + charges(l.allowancesCharges) + taxes(l.taxes), 0)
        + charges(doc.allowancesCharges) + taxes(doc.taxes);
      expect(total).toBe(cents(doc.totals.amount));
      if (doc.totals.termsDiscountAmount !== undefined) {
        expect(cents(doc.totals.amount) - cents(doc.totals.termsDiscountAmount)).toBe(cents(doc.totals.discountedAmountDue!));
      }
    });

    it('round-trips X12 -> canonical -> X12 -> canonical unchanged', () => {
      const { tx, version } = sample(path);
      const first = read810(tx);
      expect(first.findings).toEqual([]);
      expect(InvoiceSchema.parse(first.document)).toEqual(first.document);
      const again = read810(reread(write810(first.document!, version), version));
      expect(again.findings).toEqual([]);
      expect(again.document).toEqual(first.document);
    });
  });
});

const big: SegmentData = ['BIG', '20261121', 'INV-1', '', 'PO-1'];
const it1 = (line: string, qty: string, price = '10'): SegmentData => ['IT1', line, qty, 'EA', price, 'PE', 'BP', `B${line}`];

describe('read810 findings', () => {
  it('needs TDS', () => {
    const r = readBody([big, it1('1', '2'), ['CTT', '1']]);
    expect(r.document).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.location.segmentTag, f.location.segmentPosition])).toEqual([['MAP_SEGMENT_MISSING', 'TDS', 4]]);
  });

  it('needs IT1 quantity, unit and price, and numbers that are numbers', () => {
    const r = readBody([big, ['IT1', '1', '', '', '1.2.3'], ['TDS', '12x'], ['CTT', '1']]);
    expect(r.document).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.location.segmentTag, f.location.elementPosition])).toEqual([
      ['MAP_REQUIRED_VALUE', 'IT1', 2], ['MAP_REQUIRED_VALUE', 'IT1', 3], ['MAP_INVALID_NUMBER', 'IT1', 4], ['MAP_INVALID_NUMBER', 'TDS', 1],
    ]);
  });

  it('warns when CTT does not match the lines', () => {
    const r = readBody([big, it1('1', '2'), it1('2', '3.5'), ['TDS', '5500'], ['CTT', '3', '5']]);
    expect(r.document!.totals).toMatchObject({ amount: 55, lineCount: 3, hashTotal: 5 });
    expect(r.findings.map((f) => [f.code, f.severity, f.message])).toEqual([
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 'CTT01 is 3, but the invoice has 2 IT1 lines'],
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 'CTT02 is 5, but the quantities invoiced (IT102) add up to 5.5'],
    ]);
  });

  it('reports unmapped segments and a second CAD as ignored', () => {
    const r = readBody([big, ['NTE', 'GEN', 'HELLO'], it1('1', '1'), ['IT3', '1', 'EA'], ['TDS', '1000'], ['CAD', 'M'], ['CAD', 'U'], ['CTT', '1']]);
    expect(r.document!.carrierDetails).toEqual({ transportMethod: 'M' });
    expect(r.findings.map((f) => [f.code, f.location.segmentTag])).toEqual([
      ['MAP_SEGMENT_IGNORED', 'NTE'], ['MAP_SEGMENT_IGNORED', 'IT3'], ['MAP_SEGMENT_IGNORED', 'CAD'],
    ]);
  });

  it('refuses a missing BIG and another transaction set', () => {
    expect(readBody([it1('1', '1'), ['TDS', '1']]).findings.map((f) => [f.code, f.location.segmentTag])).toEqual([['MAP_SEGMENT_MISSING', 'BIG']]);
    const tx = reread([big], '004010');
    expect(read810({ ...tx, id: '856' }).findings.map((f) => f.code)).toEqual(['MAP_WRONG_TRANSACTION_SET']);
  });
});

describe('write810', () => {
  const doc = InvoiceSchema.parse({
    invoiceNumber: 'OUT-7', invoiceDate: '2026-11-26', poNumber: 'PO-7', currency: 'USD',
    lines: [
      { lineNumber: '1', quantity: 3, unit: 'EA', unitPrice: 19.99, productIds: { buyerPart: 'B1', upc: '012345678905' }, taxes: [{ typeCode: 'ST', amount: 3.9, percent: 6.5 }] },
      { lineNumber: '2', quantity: 0.5, unit: 'LB', unitPrice: 7, productIds: { vendorPart: 'V2' }, description: 'LOOSE' },
    ],
    allowancesCharges: [{ indicator: 'charge', code: 'D240', amount: 12.05 }],
    totals: { amount: 79.42, termsDiscountAmount: 0.3 },
  });

  it('writes N2 amounts with implied decimals and R values with explicit ones', () => {
    const out = write810(doc, '004010');
    expect(out).toEqual([
      ['BIG', '20261126', 'OUT-7', undefined, 'PO-7', undefined, undefined, undefined, undefined],
      ['CUR', 'SE', 'USD'],
      ['IT1', '1', '3', 'EA', '19.99', undefined, 'BP', 'B1', 'UP', '012345678905'],
      ['TXI', 'ST', '3.9', '6.5', undefined, undefined, undefined, undefined, undefined, undefined],
      ['IT1', '2', '0.5', 'LB', '7', undefined, 'VN', 'V2'],
      ['PID', 'F', undefined, undefined, undefined, 'LOOSE'],
      ['TDS', '7942', undefined, undefined, '30'],
      ['SAC', 'C', 'D240', undefined, undefined, '1205', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
      ['CTT', '2', '3.5'],
    ]);
  });

  it('writes a document that reads back equal, with CTT filled in', () => {
    const r = read810(reread(write810(doc, '005010'), '005010'));
    expect(r.findings).toEqual([]);
    expect(r.document).toEqual({ ...doc, totals: { ...doc.totals, lineCount: 2, hashTotal: 3.5 } });
  });

  it('refuses a CAD without transport method in 005010, where CAD01 is mandatory', () => {
    const carried = { ...doc, carrierDetails: { scac: 'UPSN' } };
    expect(write810(carried, '004010').find((s) => s[0] === 'CAD')).toEqual(['CAD', undefined, undefined, undefined, 'UPSN', undefined, undefined, undefined, undefined, undefined]);
    expect(() => write810(carried, '005010')).toThrow('CAD01 (carrier details transport method) is mandatory in 005010');
  });
});
