// The 856 reader makes each carton, item and product-id object in one piece once its segments
// are read, and keeps HL01/HL02 as numbers when they are plain decimals. Neither may show: the
// fields come in the order the segments gave them (JSON of a document is stored and compared),
// and HL ids that are not plain decimals ("01", "A7", ten digits) are ids as written.
import { describe, expect, it } from 'vitest';
import { read856 } from '../../src/maps/856-ship-notice.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';
import type { SegmentData } from '../../src/x12/writer.js';

const bsn: SegmentData = ['BSN', '00', 'SHP1', '20261120', '1430', '0001'];
const top: SegmentData[] = [['HL', '1', '', 'S', '1'], ['TD5', 'B', '2', 'UPSN', 'U'], ['HL', '2', '1', 'O', '1'], ['PRF', 'PO1']];

function read(body: SegmentData[]) {
  const r = rereadTransaction('856', [bsn, ...body], '004010');
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return read856(r.transaction);
}

/** The order's first pack (S/O/P/I) of a body that holds one. */
function firstPack(body: SegmentData[]) {
  const r = read(body);
  expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  return r.document!.orders[0]!.packs[0]!;
}

const BASE_ITEM_KEYS = ['productIds', 'quantityShipped', 'unit', 'lots', 'references', 'dates', 'packs'];

describe('856 objects keep the order of their segments', () => {
  it('a pack: SSCC and TD1 in the order sent, then its items', () => {
    const item: SegmentData[] = [['HL', '4', '3', 'I', '0'], ['LIN', '1', 'UP', '012345678905'], ['SN1', '1', '5', 'EA']];
    const plain = firstPack([...top, ['HL', '3', '2', 'P', '1'], ['MAN', 'GM', '006141410000010011'], ...item]);
    expect(Object.keys(plain)).toEqual(['marks', 'references', 'dates', 'sscc', 'items']);
    const bare = firstPack([...top, ['HL', '3', '2', 'P', '1'], ...item]);
    expect(Object.keys(bare)).toEqual(['marks', 'references', 'dates', 'items']);
    const tdFirst = firstPack([...top, ['HL', '3', '2', 'P', '1'], ['TD1', 'CTN25', '1'], ['MAN', 'GM', '006141410000010011'], ...item]);
    expect(Object.keys(tdFirst)).toEqual(['marks', 'references', 'dates', 'lading', 'sscc', 'items']);
    const manFirst = firstPack([...top, ['HL', '3', '2', 'P', '1'], ['MAN', 'GM', '006141410000010011'], ['TD1', 'CTN25', '1'], ['MAN', 'CP', 'X1'], ...item]);
    expect(Object.keys(manFirst)).toEqual(['marks', 'references', 'dates', 'sscc', 'lading', 'items']);
    expect(manFirst.marks).toEqual([{ qualifier: 'CP', value: 'X1' }]);
    expect(manFirst.lading).toEqual({ packagingCode: 'CTN25', quantity: 1 });
  });

  it('an item: line number, SN1 extras and description in the order read', () => {
    const pack: SegmentData[] = [...top, ['HL', '3', '2', 'P', '1']];
    const itemOf = (segments: SegmentData[]) => firstPack([...pack, ['HL', '4', '3', 'I', '0'], ...segments]).items[0]!;
    const linFirst = itemOf([['LIN', '7', 'UP', '012345678905'], ['SN1', '', '5', 'EA', '10', '12', 'CA', '', 'AC']]);
    expect(Object.keys(linFirst)).toEqual([...BASE_ITEM_KEYS, 'lineNumber', 'quantityShippedToDate', 'quantityOrdered', 'orderedUnit', 'status']);
    const sn1First = itemOf([['SN1', '3', '5', 'EA', '10'], ['LIN', '7', 'UP', '012345678905'], ['PID', 'F', '', '', '', 'RED WIDGET']]);
    expect(Object.keys(sn1First)).toEqual([...BASE_ITEM_KEYS, 'quantityShippedToDate', 'lineNumber', 'description']);
    expect(sn1First.lineNumber).toBe('7');
    const fromSn1 = itemOf([['LIN', '', 'UP', '012345678905'], ['SN1', '3', '5', 'EA', '', '', '', '', 'AC']]);
    expect(Object.keys(fromSn1)).toEqual([...BASE_ITEM_KEYS, 'status', 'lineNumber']);
    expect(fromSn1.lineNumber).toBe('3');
    const plain = itemOf([['LIN', '', 'UP', '012345678905'], ['SN1', '3', '5', 'EA']]);
    expect(Object.keys(plain)).toEqual([...BASE_ITEM_KEYS, 'lineNumber']);
    const none = itemOf([['LIN', '', 'UP', '012345678905'], ['SN1', '', '5', 'EA']]);
    expect(Object.keys(none)).toEqual(BASE_ITEM_KEYS);
  });

  it('product ids: one pair, several, repeats and unnamed qualifiers', () => {
    const pack: SegmentData[] = [...top, ['HL', '3', '2', 'P', '1'], ['HL', '4', '3', 'I', '0']];
    const idsOf = (lin: SegmentData) => firstPack([...pack, lin, ['SN1', '1', '5', 'EA']]).items[0]!.productIds;
    const one = idsOf(['LIN', '1', 'UP', '012345678905']);
    expect(Object.keys(one)).toEqual(['other', 'upc']);
    expect(one).toEqual({ other: [], upc: '012345678905' });
    const several = idsOf(['LIN', '1', 'VN', 'V-1', 'UP', '012345678905', 'VP', 'V-2', 'ZZ', 'Q']);
    expect(Object.keys(several)).toEqual(['other', 'vendorPart', 'upc']);
    expect(several.other).toEqual([{ qualifier: 'VP', value: 'V-2' }, { qualifier: 'ZZ', value: 'Q' }]);
    expect(idsOf(['LIN', '1', 'ZZ', 'Q'])).toEqual({ other: [{ qualifier: 'ZZ', value: 'Q' }] });
    expect(Object.keys(idsOf(['LIN', '1']))).toEqual(['other']);
    const lot = firstPack([...pack, ['LIN', '1', 'UP', '012345678905', 'LT', 'L-9'], ['SN1', '1', '5', 'EA']]).items[0]!;
    expect(lot.productIds).toEqual({ other: [], upc: '012345678905' });
    expect(lot.lots).toEqual([{ number: 'L-9', source: 'LIN' }]);
  });
});

describe('856 HL ids that are not plain decimals', () => {
  it('"01", letters and ten digits are ids as written, distinct from 1', () => {
    const r = read([
      ['HL', '1', '', 'S', '1'], ['TD5', 'B', '2', 'UPSN', 'U'],
      ['HL', '01', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', 'A7', '01', 'P', '1'], ['HL', '1234567890', 'A7', 'I', '0'], ['LIN', '1', 'UP', '012345678905'], ['SN1', '1', '5', 'EA'],
      ['HL', '99', '01', 'P', '1'], ['HL', '100', '99', 'I', '0'], ['LIN', '2', 'UP', '012345678905'], ['SN1', '2', '5', 'EA'],
    ]);
    expect(r.findings).toEqual([]);
    const order = r.document!.orders[0]!;
    expect(order.poNumber).toBe('PO1');
    expect(order.packs.map((p) => p.items.map((i) => i.lineNumber))).toEqual([['1'], ['2']]);
  });

  it('names such ids as written in findings', () => {
    const r = read([
      ['HL', '1', '', 'S', '1'], ['TD5', 'B', '2', 'UPSN', 'U'],
      ['HL', '01', '1', 'O', '1'], ['PRF', 'PO1'],
      ['HL', '3', '001', 'P', '1'], ['HL', '4', '1234567890', 'P', '1'], ['HL', '01', '1', 'O', '1'], ['PRF', 'PO2'],
      ['HL', '5', '6', 'P', '1'], ['HL', '6', '01', 'P', '1'],
    ]);
    expect(r.findings.filter((f) => f.code.startsWith('MAP_HL')).map((f) => [f.code, f.message, f.value])).toEqual([
      ['MAP_HL_UNKNOWN_PARENT', 'HL02 "001" of HL 3 names no HL01 in this ship notice; this level was left out', '001'],
      ['MAP_HL_UNKNOWN_PARENT', 'HL02 "1234567890" of HL 4 names no HL01 in this ship notice; this level was left out', '1234567890'],
      ['MAP_HL_DUPLICATE_ID', 'HL01 "01" is already used by the HL at segment 5; this level was left out', '01'],
      ['MAP_HL_PARENT_NOT_BEFORE', 'HL02 "6" points at an HL that comes later in the ship notice; parents must come before their children; HL 5 was left out', '6'],
    ]);
  });
});
