import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read856, write856 } from '../../src/maps/856-ship-notice.js';
import { ShipNoticeSchema, type ShipNotice } from '../../src/documents/ship-notice.js';
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
  const r = rereadTransaction('856', body, version);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return r.transaction;
}

const sample = (path: string) => onlyTransaction(readFileSync(join(SAMPLES, path), 'utf8'));

function readSample(path: string): ShipNotice {
  const r = read856(sample(path).tx, { file: path });
  expect(r.findings).toEqual([]);
  return r.document!;
}

/** Reads an 856 built from body segments (BSN..CTT). */
const readBody = (body: SegmentData[], version: X12Version = '004010') => read856(reread(body, version));

const samplePaths = ['004010', '005010'].flatMap((v) =>
  readdirSync(join(SAMPLES, v, '856')).filter((f) => f.endsWith('.edi')).map((f) => `${v}/856/${f}`));

describe('856 samples', () => {
  it('has one sample per hierarchy and one 005010 sample', () => {
    expect(samplePaths.length).toBeGreaterThanOrEqual(7);
  });

  it('reads S/O/P/I pick and pack with several cartons', () => {
    const doc = readSample('004010/856/856-sopi-pick-and-pack.edi');
    expect(doc).toMatchObject({
      purposeCode: '00', shipmentId: 'SHP2611200001', shipDate: '2026-11-20', shipTime: '14:30', structureCode: '0001',
      lading: { packagingCode: 'CTN25', quantity: 3, weightQualifier: 'G', weight: 42.5, weightUnit: 'LB' },
      carrier: { routingSequence: 'B', idQualifier: '2', scac: 'UPSN', transportMethod: 'U', routing: 'UPS GROUND' },
      billOfLading: 'BOL7788123', proNumber: '1Z999AA10123456784', references: [],
      dates: [{ qualifier: '011', date: '2026-11-20', time: '14:30' }, { qualifier: '017', date: '2026-11-24' }],
      totals: { lineCount: 9, hashTotal: 34 },
    });
    expect(doc.parties.map((p) => [p.role, p.name, p.ids.gln ?? p.ids.assignedByBuyer])).toEqual([
      ['ship_to', 'NORTHWIND DISTRIBUTION DC 2', '0614141000036'],
      ['ship_from', 'ACME SUPPLY CO', 'ACME01'],
    ]);
    expect(doc.parties[0]!.address).toEqual({ lines: ['1200 INDUSTRIAL PKWY', 'DOCK 4'], city: 'COLUMBUS', state: 'OH', postalCode: '43219', country: 'US' });
    expect(doc.orders).toHaveLength(1);
    const order = doc.orders[0]!;
    expect(order).toMatchObject({ poNumber: '4500012345', poDate: '2026-11-10', references: [{ qualifier: 'IA', value: 'VEND4471' }], tares: [], items: [] });
    expect(order.packs.map((p) => p.sscc)).toEqual(['006141410000010011', '006141410000010028', '006141410000010035']);
    expect(order.packs[2]!.marks).toEqual([{ qualifier: 'CP', value: '1Z999AA10123456793' }]);
    expect(order.packs.map((p) => p.items.map((i) => `${i.lineNumber}:${i.quantityShipped}${i.unit}`))).toEqual([['1:12EA', '2:6EA'], ['1:12EA'], ['3:4BX']]);
    expect(order.packs[0]!.items[0]).toEqual({
      lineNumber: '1', productIds: { buyerPart: 'NW-10023', vendorPart: 'ACM-552', upc: '012345678905', other: [] },
      quantityShipped: 12, unit: 'EA', quantityOrdered: 24, orderedUnit: 'EA', lots: [],
      description: 'WIDGET, STAINLESS, 10 MM', references: [], dates: [], packs: [],
    });
    expect(order.packs[2]!.items[0]!.status).toBe('AC');
  });

  it('reads S/O/T/P/I with a pallet whose SSCC carries the (00) prefix', () => {
    const doc = readSample('004010/856/856-sotpi-pallet.edi');
    expect(doc.equipment).toEqual({ typeCode: 'TL', initial: 'ODFL', number: '482211', sealNumber: 'SEAL99123' });
    expect(doc.proNumber).toBe('PRO55120934');
    expect(doc.dates).toEqual([{ qualifier: '011', date: '2026-11-21', time: '09:15' }, { qualifier: '067', date: '2026-11-24' }]);
    const order = doc.orders[0]!;
    expect(order).toMatchObject({ poNumber: '4500012399', releaseNumber: '2', packs: [], items: [] });
    expect(order.parties).toMatchObject([{ role: 'buyer', entityCode: 'BY', ids: { assignedByBuyer: '118' } }]);
    expect(order.tares).toHaveLength(1);
    const pallet = order.tares[0]!;
    expect(pallet.sscc).toBe('006141410050000017');
    expect(pallet.packs.map((p) => [p.sscc, p.lading?.weight])).toEqual([['006141410050000024', 305], ['006141410050000031', 307]]);
    expect(pallet.packs[0]!.items[0]).toMatchObject({ productIds: { upc: '012345678912', vendorPart: 'ACM-7001', buyerPart: 'NW-30010' }, quantityShipped: 48, quantityOrdered: 96, status: 'IB' });
    expect(pallet.packs[1]!.items[0]).toMatchObject({ quantityShipped: 24.5, unit: 'FT' });
  });

  it('reads S/O/I with two orders and line numbers from SN101', () => {
    const doc = readSample('004010/856/856-soi-two-orders.edi');
    expect(doc.structureCode).toBe('0004');
    expect(doc.shipTime).toBe('11:05');
    expect(doc.orders.map((o) => [o.poNumber, o.items.map((i) => `${i.lineNumber}:${i.quantityShipped}/${i.quantityOrdered} ${i.status ?? ''}`)])).toEqual([
      ['4500012401', ['1:24/24 AC', '2:10/12 IB']],
      ['4500012402', ['1:3/3 ']],
    ]);
    expect(doc.orders[0]!.items[1]!.productIds.sku).toBe('SKU-990');
    expect(doc.orders[1]!.references).toEqual([{ qualifier: 'DP', value: '042' }]);
    expect(doc.orders[1]!.items[0]).toMatchObject({ productIds: { ean: '4006381333931' }, unit: 'CA', description: 'GLOVES NITRILE L 100CT' });
  });

  it('reads S/O/I/P with each item followed by its cartons', () => {
    const doc = readSample('004010/856/856-soip-standard-pack.edi');
    const items = doc.orders[0]!.items;
    expect(doc.orders[0]!.packs).toEqual([]);
    expect(items.map((i) => [i.productIds.gtin, i.packs.map((p) => p.sscc)])).toEqual([
      ['10012345678902', ['006141410070000011', '006141410070000028']],
      ['10012345678919', ['006141410070000035']],
    ]);
  });

  it('builds the tree from HL02 when orders, cartons and items are interleaved', () => {
    const doc = readSample('004010/856/856-sopi-interleaved-orders.edi');
    const shape = doc.orders.map((o) => [o.poNumber, o.packs.map((p) => [p.sscc!.slice(-4), p.items.map((i) => i.productIds.buyerPart)])]);
    expect(shape).toEqual([
      ['4500012600', [['0025', ['NW-50002']], ['0032', ['NW-50003']]]],
      ['4500012601', [['0018', ['NW-50001', 'NW-50004']]]],
    ]);
  });

  it('reads lots sent as LIN LT pairs and as REF*LT, with expiry dates', () => {
    const doc = readSample('004010/856/856-sopi-lots.edi');
    const items = doc.orders[0]!.packs.flatMap((p) => p.items);
    expect(items.map((i) => i.lots)).toEqual([
      [{ number: 'L2611A', source: 'LIN' }],
      [{ number: 'L2611B', source: 'LIN' }],
      [{ number: 'B-7781', source: 'REF' }, { number: 'B-7782', source: 'REF' }],
    ]);
    expect(items.every((i) => i.productIds.other.length === 0 && i.references.length === 0)).toBe(true);
    expect(items.map((i) => i.dates)).toEqual([
      [{ qualifier: '036', date: '2028-11-30' }], [{ qualifier: '036', date: '2028-12-31' }], [{ qualifier: '036', date: '2027-06-15' }],
    ]);
  });

  it('reads the 005010 sample with two pallets', () => {
    const doc = readSample('005010/856/856-sotpi-two-pallets.edi');
    expect(doc.shipTime).toBe('07:00:00');
    expect(doc.carrier).toEqual({ routingSequence: 'B', idQualifier: '2', scac: 'ABFS', transportMethod: 'M', routing: 'ABF FREIGHT', serviceLevel: '3D' });
    expect(doc.equipment).toEqual({ typeCode: 'TL', initial: 'ABFS', number: '7710023456' });
    expect(doc.lading).toMatchObject({ packagingCode: 'PLT94', quantity: 2, weight: 980.25, weightUnit: 'KG' });
    expect(doc.parties[1]).toMatchObject({ role: 'ship_from', ids: { duns: '123456789' }, address: { city: 'WINDSOR', subdivision: 'ON', country: 'CA' } });
    const tares = doc.orders[0]!.tares;
    expect(tares.map((t) => [t.sscc, t.packs.map((p) => p.items.map((i) => `${i.lineNumber}:${i.quantityShipped}`))])).toEqual([
      ['006141410061000013', [['10:100']]],
      ['006141410061000037', [['20:50']]],
    ]);
  });

  describe.each(samplePaths)('%s', (path) => {
    it('round-trips X12 -> canonical -> X12 -> canonical unchanged', () => {
      const { tx, version } = sample(path);
      const first = read856(tx);
      expect(first.findings).toEqual([]);
      // What the map builds is a valid canonical document as it stands (no defaults to fill in).
      expect(ShipNoticeSchema.parse(first.document)).toEqual(first.document);
      const again = read856(reread(write856(first.document!, version), version));
      expect(again.findings).toEqual([]);
      expect(again.document).toEqual(first.document);
    });
  });
});

// A small S/O/P/I body; tests replace pieces of it.
const bsn: SegmentData = ['BSN', '00', 'SHP1', '20261120', '1430', '0001'];
const shipLevel: SegmentData[] = [['HL', '1', '', 'S', '1'], ['TD5', 'B', '2', 'UPSN', 'U']];
const item = (id: string, parent: string, line = '1', qty = '5'): SegmentData[] => [['HL', id, parent, 'I', '0'], ['LIN', line, 'BP', `PART-${line}`], ['SN1', line, qty, 'EA']];

describe('read856 findings', () => {
  it('rejects a duplicate HL01 with its segment position', () => {
    const r = readBody([bsn, ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'], ['HL', '3', '2', 'P', '1'], ['MAN', 'GM', '006141410000010011'],
      ...item('4', '3'), ...item('4', '3', '2'), ['CTT', '5']]);
    expect(r.document).toBeUndefined();
    const dup = r.findings.filter((f) => f.code === 'MAP_HL_DUPLICATE_ID');
    expect(dup).toHaveLength(1);
    // ST=1 BSN=2 HL=3 TD5=4 HL=5 PRF=6 HL=7 MAN=8 HL=9 LIN=10 SN1=11 HL=12
    expect(dup[0]!.location).toMatchObject({ segmentPosition: 12, segmentTag: 'HL', elementPosition: 1, transaction: '0001', transactionSetId: '856' });
  });

  it('rejects an HL02 that points forward or nowhere', () => {
    const r = readBody([bsn, ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'], ['HL', '3', '4', 'P', '1'], ['HL', '4', '2', 'P', '1'],
      ...item('5', '4'), ...item('6', '9')]);
    expect(r.document).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.location.segmentPosition])).toEqual([
      ['MAP_HL_PARENT_NOT_BEFORE', 7],
      ['MAP_HL_UNKNOWN_PARENT', 12],
    ]);
  });

  it('rejects levels the BSN05 structure does not allow', () => {
    const r = readBody([['BSN', '00', 'SHP1', '20261120', '', '0004'], ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', '3', '2', 'P', '1'], ...item('4', '3')]);
    expect(r.document).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.message])).toEqual([
      ['MAP_HL_LEVEL_NOT_ALLOWED', 'HL 3 level "P" is not allowed under a "O" level (HL 2): expected "I"; this level was left out'],
    ]);
  });

  it('reads any sensible shape when BSN05 is absent or unknown, with a warning for an unknown code', () => {
    const body = (code: string): SegmentData[] => [['BSN', '00', 'SHP1', '20261120', '', code], ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'],
      ...item('3', '2'), ['HL', '4', '2', 'P', '1'], ...item('5', '4', '2')];
    const absent = readBody(body(''));
    expect(absent.findings).toEqual([]);
    expect(absent.document!.orders[0]!.items).toHaveLength(1);
    expect(absent.document!.orders[0]!.packs[0]!.items).toHaveLength(1);
    const unknown = readBody(body('9999'));
    expect(unknown.findings.map((f) => [f.code, f.severity, f.location.segmentPosition, f.location.elementPosition])).toEqual([['MAP_UNKNOWN_CODE', 'warning', 2, 5]]);
    expect(unknown.document).toBeDefined();
  });

  it('rejects cartons nested under an item that is already in a carton', () => {
    const r = readBody([['BSN', '00', 'SHP1', '20261120'], ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', '3', '2', 'P', '1'], ...item('4', '3'), ['HL', '5', '4', 'P', '0']]);
    expect(r.findings.map((f) => f.code)).toEqual(['MAP_HL_LEVEL_NOT_ALLOWED']);
    expect(r.findings[0]!.message).toContain('already in a container');
  });

  it('keeps an SSCC with a wrong check digit, with a warning; a 20-digit SSCC is shortened', () => {
    const r = readBody([bsn, ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', '3', '2', 'P', '1'], ['MAN', 'GM', '006141410000010012'], ...item('4', '3'),
      ['HL', '5', '2', 'P', '1'], ['MAN', 'GM', '00006141410000010028'], ...item('6', '5'),
      ['HL', '7', '2', 'P', '1'], ['MAN', 'GM', 'CARTON-7'], ...item('8', '7')]);
    expect(r.document!.orders[0]!.packs.map((p) => p.sscc)).toEqual(['006141410000010012', '006141410000010028', 'CARTON-7']);
    expect(r.findings.map((f) => [f.code, f.severity, f.location.segmentPosition, f.location.elementPosition, f.value])).toEqual([
      ['MAP_SSCC_CHECK_DIGIT', 'warning', 8, 2, '006141410000010012'],
      ['MAP_SSCC_FORMAT', 'warning', 18, 2, 'CARTON-7'],
    ]);
    expect(r.findings[0]!.message).toBe('MAN02 SSCC "006141410000010012" has check digit 2, expected 1');
  });

  it('warns when CTT01 or CTT02 do not match the detail, and accepts CTT01 as an item count', () => {
    const body = (ctt: SegmentData): SegmentData[] => [bsn, ...shipLevel, ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', '3', '2', 'P', '1'], ...item('4', '3', '1', '2.5'), ...item('5', '3', '2', '3'), ctt];
    expect(readBody(body(['CTT', '5', '5.5'])).findings).toEqual([]);
    expect(readBody(body(['CTT', '2', '5.5'])).findings).toEqual([]);
    const bad = readBody(body(['CTT', '7', '6']));
    expect(bad.document).toBeDefined();
    expect(bad.findings.map((f) => [f.code, f.severity, f.location.elementPosition])).toEqual([
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 1],
      ['MAP_CONTROL_TOTAL_MISMATCH', 'warning', 2],
    ]);
  });

  it('reports missing PRF, LIN and SN1, and a missing BSN', () => {
    const r = readBody([bsn, ...shipLevel, ['HL', '2', '1', 'O', '1'], ['HL', '3', '2', 'P', '1'], ['HL', '4', '3', 'I', '0'], ['PID', 'F', '', '', '', 'X']]);
    expect(r.document).toBeUndefined();
    expect(r.findings.map((f) => [f.code, f.location.segmentTag])).toEqual([
      ['MAP_SEGMENT_MISSING', 'PRF'], ['MAP_SEGMENT_MISSING', 'LIN'], ['MAP_SEGMENT_MISSING', 'SN1'],
    ]);
    const noBsn = readBody([['DTM', '011', '20261120'], ...shipLevel]);
    expect(noBsn.findings.map((f) => [f.code, f.location.segmentTag])).toEqual([['MAP_SEGMENT_MISSING', 'BSN']]);
  });

  it('reports segments it does not map instead of dropping them silently', () => {
    const r = readBody([bsn, ...shipLevel, ['FOB', 'PP'], ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1'], ['HL', '3', '2', 'P', '1'], ['MEA', 'PD', 'WT', '3', 'LB'], ...item('4', '3')]);
    expect(r.document).toBeDefined();
    expect(r.findings.map((f) => [f.code, f.severity, f.location.segmentTag])).toEqual([
      ['MAP_SEGMENT_IGNORED', 'warning', 'FOB'], ['MAP_SEGMENT_IGNORED', 'warning', 'MEA'],
    ]);
  });

  it('refuses another transaction set', () => {
    const tx = reread([bsn], '004010');
    const r = read856({ ...tx, id: '850' });
    expect(r.findings.map((f) => f.code)).toEqual(['MAP_WRONG_TRANSACTION_SET']);
  });
});

describe('write856', () => {
  const doc = ShipNoticeSchema.parse({
    purposeCode: '00', shipmentId: 'OUT-1', shipDate: '2026-11-26',
    carrier: { routingSequence: 'B', idQualifier: '2', scac: 'UPSN' },
    billOfLading: 'BOL1',
    parties: [{ role: 'ship_to', entityCode: 'ST', name: 'CUSTOMER DC', ids: { gln: '0614141000036' } }],
    orders: [{
      poNumber: 'PO-9', poDate: '2026-11-01',
      packs: [
        { sscc: '006141410000010011', items: [{ lineNumber: '1', productIds: { buyerPart: 'B1' }, quantityShipped: 2, unit: 'EA', lots: [{ number: 'LOT1' }] }] },
        { sscc: '006141410000010028', items: [{ lineNumber: '2', productIds: { upc: '012345678905' }, quantityShipped: 1.5, unit: 'LB', lots: [{ number: 'LOT2', source: 'REF' }] }] },
      ],
    }],
  });

  it('numbers HL levels depth-first, sets HL04, derives BSN05 and counts CTT', () => {
    const out = write856(doc, '004010');
    // BSN04 is mandatory: a ship notice without a time is written at 0000.
    expect(out[0]).toEqual(['BSN', '00', 'OUT-1', '20261126', '0000', '0001']);
    expect(out.filter((s) => s[0] === 'HL')).toEqual([
      ['HL', '1', '', 'S', '1'], ['HL', '2', '1', 'O', '1'],
      ['HL', '3', '2', 'P', '1'], ['HL', '4', '3', 'I', '0'],
      ['HL', '5', '2', 'P', '1'], ['HL', '6', '5', 'I', '0'],
    ]);
    expect(out.filter((s) => ['LIN', 'SN1', 'MAN', 'REF', 'PRF'].includes(String(s[0])))).toEqual([
      ['REF', 'BM', 'BOL1'],
      ['PRF', 'PO-9', undefined, undefined, '20261101'],
      ['MAN', 'GM', '006141410000010011'],
      ['LIN', '1', 'BP', 'B1', 'LT', 'LOT1'],
      ['SN1', '1', '2', 'EA', undefined, undefined, undefined, undefined, undefined],
      ['MAN', 'GM', '006141410000010028'],
      ['LIN', '2', 'UP', '012345678905'],
      ['SN1', '2', '1.5', 'LB', undefined, undefined, undefined, undefined, undefined],
      ['REF', 'LT', 'LOT2'],
    ]);
    expect(out.at(-1)).toEqual(['CTT', '6', '3.5']);
  });

  it('writes a document that reads back equal, with no findings', () => {
    const r = read856(reread(write856(doc, '005010'), '005010'));
    expect(r.findings).toEqual([]);
    expect(r.document).toEqual({ ...doc, shipTime: '00:00', structureCode: '0001', totals: { lineCount: 6, hashTotal: 3.5 } });
  });

  it('writes a container level in the HL loop\'s order: TD1, REF, MAN, DTM', () => {
    const packed = ShipNoticeSchema.parse({
      ...doc,
      orders: [{
        poNumber: 'PO-9',
        packs: [{
          sscc: '006141410000010011', marks: [{ qualifier: 'CP', value: '1Z999' }], lading: { packagingCode: 'CTN25', quantity: 1 },
          references: [{ qualifier: 'LS', value: 'LBL-1' }], dates: [{ qualifier: '011', date: '2026-11-26' }],
          items: [{ lineNumber: '1', productIds: { buyerPart: 'B1' }, quantityShipped: 2, unit: 'EA' }],
        }],
      }],
    });
    const out = write856(packed, '004010');
    const pack = out.findIndex((s) => s[0] === 'HL' && s[3] === 'P');
    expect(out.slice(pack + 1, pack + 6).map((s) => s.slice(0, 3))).toEqual([
      ['TD1', 'CTN25', '1'], ['REF', 'LS', 'LBL-1'], ['MAN', 'GM', '006141410000010011'], ['MAN', 'CP', '1Z999'], ['DTM', '011', '20261126'],
    ]);
  });

  it('writes the dates beyond the ten an HL level holds in the heading, in order', () => {
    const dates = Array.from({ length: 13 }, (_, i) => ({ qualifier: '011', date: `2026-11-${String(i + 1).padStart(2, '0')}` }));
    const out = write856({ ...doc, dates }, '004010');
    expect(out.slice(1, 4).map((s) => s.slice(0, 3))).toEqual([['DTM', '011', '20261101'], ['DTM', '011', '20261102'], ['DTM', '011', '20261103']]);
    expect(out[4]![0]).toBe('HL');
    expect(read856(reread(out, '004010')).document!.dates).toEqual(dates);
    expect(() => write856({ ...doc, dates: [...dates, ...dates] }, '004010')).toThrow('26 ship notice dates do not fit');
  });

  it('leaves BSN05 out for a mix of shapes no structure code allows, and refuses a structure code the levels break', () => {
    const item = { productIds: { buyerPart: 'B1' }, quantityShipped: 1, unit: 'EA' };
    const mixed = ShipNoticeSchema.parse({ ...doc, orders: [{ poNumber: 'P1', packs: [{ items: [item] }] }, { poNumber: 'P2', items: [item] }] });
    const out = write856(mixed, '004010');
    expect(out[0]).toEqual(['BSN', '00', 'OUT-1', '20261126', '0000', undefined]);
    const back = read856(reread(out, '004010'));
    expect(back.findings).toEqual([]);
    expect(back.document!.orders.map((o) => [o.packs.length, o.items.length])).toEqual([[1, 0], [0, 1]]);
    expect(() => write856({ ...mixed, structureCode: '0001' }, '004010')).toThrow('BSN05 0001 does not allow the level "I" under "O"');
  });

  it('refuses cartons under an item that is itself in a carton', () => {
    const nested = ShipNoticeSchema.parse({ ...doc, orders: [{ poNumber: 'P', packs: [{ items: [{ lineNumber: '4', productIds: { buyerPart: 'B' }, quantityShipped: 1, unit: 'EA', packs: [{}] }] }] }] });
    expect(() => write856(nested, '004010')).toThrow('item 4 sits in a container and also holds cartons');
  });

  it('derives S/O/I/P and S/O/I structure codes from the shape', () => {
    const items = [{ productIds: { buyerPart: 'B1' }, quantityShipped: 1, unit: 'EA' }];
    const soi = ShipNoticeSchema.parse({ purposeCode: '00', shipmentId: 'S', shipDate: '2026-11-26', orders: [{ poNumber: 'P', items }] });
    expect(write856(soi, '004010')[0]![5]).toBe('0004');
    const soip = ShipNoticeSchema.parse({ ...soi, orders: [{ poNumber: 'P', items: [{ ...items[0], packs: [{ sscc: '006141410000010011' }] }] }] });
    const out = write856(soip, '004010');
    expect(out[0]![5]).toBe('0002');
    expect(out.filter((s) => s[0] === 'HL').map((s) => s.slice(1).join(','))).toEqual(['1,,S,1', '2,1,O,1', '3,2,I,1', '4,3,P,0']);
  });
});
