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

describe('a large 856 (LARGE_SET segments or more)', () => {
  /** Order o's cartons: products cycle through a few UPCs; some LINs carry a lot or a second id. */
  function cartons(o: number, n: number, hl: { next: number }, parent: number): SegmentData[] {
    const out: SegmentData[] = [];
    for (let c = 1; c <= n; c++) {
      const p = ++hl.next;
      const upc = String(12345678900 + (c % 7)).padStart(12, '0');
      const lin: SegmentData = c % 11 === 0 ? ['LIN', String(c), 'UP', upc, 'LT', `L${c}`] : c % 13 === 0 ? ['LIN', String(c), 'UP', upc, 'VN', 'V1'] : c % 17 === 0 ? ['LIN', String(c), 'ZZ', 'Q'] : ['LIN', String(c), 'UP', upc];
      out.push(['HL', String(p), String(parent), 'P', '1'], ['MAN', 'GM', `00061414100${String(o * 10000 + c).padStart(7, '0')}`]);
      out.push(['HL', String(++hl.next), String(p), 'I', '0'], lin, ['SN1', String(c), String(c % 5 + 1), 'EA']);
    }
    return out;
  }

  /** A notice of `orders` orders of `n` cartons each. */
  function notice(orders: number, n: number, first = 1) {
    const hl = { next: 1 };
    const body: SegmentData[] = [['HL', '1', '', 'S', '1'], ['TD5', 'B', '2', 'UPSN', 'U']];
    for (let o = first; o < first + orders; o++) {
      const oh = ++hl.next;
      body.push(['HL', String(oh), '1', 'O', '1'], ['PRF', `PO${o}`], ...cartons(o, n, hl, oh));
    }
    return read(body);
  }

  it('reads to the JSON its orders give read in small notices, items of one product sharing its ids', () => {
    const large = notice(6, 150); // 6 x 150 cartons x 5 segments: over LARGE_SET
    expect(large.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const small = Array.from({ length: 6 }, (_, i) => notice(1, 150, i + 1).document!.orders[0]!);
    expect(JSON.stringify(large.document!.orders)).toBe(JSON.stringify(small));
    expect(large.document!.orders).toEqual(small);
    const items = large.document!.orders.flatMap((o) => o.packs.flatMap((p) => p.items));
    const ofUpc = items.filter((i) => i.productIds.upc === '012345678901' && i.productIds.vendorPart === undefined && i.lots.length === 0);
    expect(ofUpc.length).toBeGreaterThan(100);
    expect(new Set(ofUpc.map((i) => i.productIds)).size).toBe(1);
    expect(Object.isFrozen(ofUpc[0]!.productIds)).toBe(true);
    // Ids of several pairs, or unnamed ones, are the item's own.
    const own = items.filter((i) => i.productIds.vendorPart !== undefined || i.productIds.other.length > 0 || i.lots.length > 0);
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((i) => i.productIds)).size).toBe(own.length);
    // A small notice's items keep ids of their own.
    const smallItems = small[0]!.packs.flatMap((p) => p.items).filter((i) => i.productIds.upc === '012345678901');
    expect(new Set(smallItems.map((i) => i.productIds)).size).toBe(smallItems.length);
  });
});
