// The shared segment helpers (src/maps/shared), read and written through real X12 text.
import { describe, expect, it } from 'vitest';
import type { TransactionSet } from '../../src/x12/model.js';
import type { SegmentData } from '../../src/x12/writer.js';
import { readAllowanceCharge, readCarrier, readPaymentTerms, writeAllowanceCharge, writeCarrier, writePaymentTerms } from '../../src/maps/shared/allowances.js';
import { SegmentCursor } from '../../src/maps/shared/cursor.js';
import { readNoteLoop, writeNoteLoop } from '../../src/maps/shared/notes.js';
import { readParty, writeParty } from '../../src/maps/shared/parties.js';
import { productIdPairs, readProductIds, writeProductIds } from '../../src/maps/shared/products.js';
import { readDateTime, readReference, writeDateTime, writeReference } from '../../src/maps/shared/references.js';
import { MapReport } from '../../src/maps/shared/report.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';

/** A transaction set holding `body`, read back from real X12 text, with a report over it. */
function setOf(body: SegmentData[], version: '004010' | '005010' = '004010'): { tx: TransactionSet; report: MapReport; cur: SegmentCursor } {
  const { transaction, findings } = rereadTransaction('850', body, version);
  expect(findings).toEqual([]);
  return { tx: transaction, report: new MapReport(transaction, { file: 'test.edi', interchange: '000000001', group: '1' }), cur: SegmentCursor.body(transaction) };
}

describe('element access', () => {
  it('treats absent and blank elements as undefined and splits composites', () => {
    const { tx, report } = setOf([['REF', 'ZZ', ' 12 ', undefined, ['A1', 'B2', undefined, 'D4']]]);
    const ref = tx.segments[1]!;
    expect(report.elements.value(ref, 2)).toBe('12');
    expect(report.elements.value(ref, 3)).toBeUndefined();
    expect(report.elements.value(ref, 9)).toBeUndefined();
    expect(report.elements.component(ref, 4, 2)).toBe('B2');
    expect(report.elements.component(ref, 4, 3)).toBeUndefined();
    expect(report.elements.component(ref, 4, 4)).toBe('D4');
  });
});

describe('SegmentCursor', () => {
  it('walks the body between ST and SE by tag', () => {
    const { cur } = setOf([['BEG', '00'], ['REF', 'A', '1'], ['REF', 'B', '2'], ['DTM', '002', '20240101'], ['PO1', '1']]);
    expect(cur.take('BEG')?.tag).toBe('BEG');
    expect(cur.take('DTM')).toBeUndefined();
    expect(cur.takeWhile('REF').map((s) => s.elements[1])).toEqual(['A', 'B']);
    expect(cur.takeUntil('PO1').map((s) => s.tag)).toEqual(['DTM']);
    expect(cur.at('PO1', 'CTT')).toBe(true);
    cur.next();
    expect(cur.done).toBe(true);
    expect(cur.peek()).toBeUndefined();
  });
});

describe('MapReport', () => {
  it('locates findings by segment position (ST = 1), element and envelope', () => {
    const { tx, report } = setOf([['BEG', '00', 'SA', undefined, undefined, '20241340']]);
    const beg = tx.segments[1]!;
    expect(report.text(beg, 3, { required: 'purchase order number' })).toBeUndefined();
    expect(report.date(beg, 5)).toBeUndefined();
    expect(report.findings.map((f) => [f.code, f.location.segmentPosition, f.location.segmentTag, f.location.elementPosition, f.value])).toEqual([
      ['MAP_REQUIRED_VALUE', 2, 'BEG', 3, undefined],
      ['MAP_INVALID_DATE', 2, 'BEG', 5, '20241340'],
    ]);
    expect(report.findings[0]!.location).toMatchObject({ file: 'test.edi', interchange: '000000001', group: '1', transaction: '0001', transactionSetId: '850', line: 4 });
    expect(report.findings[0]!.message).toContain('BEG03 (purchase order number) is missing');
    expect(report.hasErrors).toBe(true);
  });
  it('reports an unreadable number with a copy of the value', () => {
    const { tx, report } = setOf([['SAC', 'A', 'C310', undefined, undefined, '12.50']]);
    expect(report.implied(tx.segments[1]!, 5, 2)).toBeUndefined();
    expect(report.findings[0]).toMatchObject({ code: 'MAP_INVALID_NUMBER', value: '12.50', location: { elementPosition: 5, segmentPosition: 2 } });
  });
});

describe('REF and DTM', () => {
  it('reads and writes references, with and without a description', () => {
    const { tx, report } = setOf([['REF', 'DP', '042', 'GROCERY'], ['REF', 'ZZ', undefined, 'TEXT ONLY'], ['REF', 'IA']]);
    const [a, b, c] = tx.segments.slice(1, 4).map((s) => readReference(s, report));
    expect(a).toEqual({ qualifier: 'DP', value: '042', description: 'GROCERY' });
    expect(b).toEqual({ qualifier: 'ZZ', value: '', description: 'TEXT ONLY' });
    expect(c).toBeUndefined();
    expect(report.findings.map((f) => [f.code, f.location.segmentPosition, f.location.elementPosition])).toEqual([['MAP_REQUIRED_VALUE', 4, 2]]);
    expect(writeReference(b!)).toEqual(['REF', 'ZZ', undefined, 'TEXT ONLY']);
  });
  it('reads and writes dates with times', () => {
    const { tx, report } = setOf([['DTM', '010', '20240315', '0800']]);
    const d = readDateTime(tx.segments[1]!, report);
    expect(d).toEqual({ qualifier: '010', date: '2024-03-15', time: '08:00' });
    expect(writeDateTime(d!)).toEqual(['DTM', '010', '20240315', '0800']);
  });
});

describe('product ids', () => {
  it('files pairs by kind and keeps the rest in order', () => {
    const { tx, report } = setOf([['PO1', '1', '2', 'EA', '3', undefined, 'IN', 'B-1', 'VP', 'V-1', 'BP', 'B-2', 'MG', 'M-1', 'UK', '10012345678902', 'EN', '4006381333931']]);
    const ids = readProductIds(tx.segments[1]!, 6, 10, report);
    expect(ids).toEqual({
      buyerPart: 'B-1', vendorPart: 'V-1', gtin: '10012345678902', ean: '4006381333931',
      other: [{ qualifier: 'BP', value: 'B-2' }, { qualifier: 'MG', value: 'M-1' }],
    });
    expect(report.findings).toEqual([]);
    // Named kinds first in a fixed order, then `other` as read: stable across round trips.
    expect(writeProductIds(ids, 10).elements).toEqual(['BP', 'B-1', 'VN', 'V-1', 'UK', '10012345678902', 'EN', '4006381333931', 'BP', 'B-2', 'MG', 'M-1']);
    expect(productIdPairs(ids, { buyerPart: 'IN' })[0]).toEqual({ qualifier: 'IN', value: 'B-1' });
  });
  it('reports a qualifier without an id, and ids beyond the room of the segment', () => {
    const { tx, report } = setOf([['PO1', '1', '2', 'EA', undefined, undefined, 'UP']]);
    expect(readProductIds(tx.segments[1]!, 6, 10, report)).toEqual({ other: [] });
    expect(report.findings[0]).toMatchObject({ code: 'MAP_REQUIRED_VALUE', location: { elementPosition: 7 } });
    const many = { upc: '1', sku: '2', other: [{ qualifier: 'MG', value: '3' }] };
    expect(writeProductIds(many, 2)).toEqual({ elements: ['UP', '1', 'SK', '2'], dropped: [{ qualifier: 'MG', value: '3' }] });
  });
});

describe('N1 loop', () => {
  const body: SegmentData[] = [
    ['N1', 'ST', 'PLANT 2', '92', 'PLT02'],
    ['N2', 'ATTN STORES', 'SECOND NAME'], ['N2', 'THIRD NAME'],
    ['N3', '1200 INDUSTRIAL PKWY', 'BLDG C'], ['N3', 'GATE 4'],
    ['N4', 'MONTREAL', undefined, 'H2Y 1H3', 'CA', undefined, undefined, 'QC'],
    ['REF', 'DK', 'DOCK 12'],
    ['PER', 'IC', 'RECEIVING', 'TE', '5145550188', 'EM', 'DOCK@EXAMPLE.COM', 'EX', '12'],
    ['N1', 'Z7', undefined, 'UL', '0614141000074'],
    ['FOB', 'PP'],
  ];
  it('reads every member into the party and stops at the next N1', () => {
    const { cur, report } = setOf(body, '005010');
    const st = readParty(cur, report);
    expect(st).toEqual({
      role: 'ship_to', entityCode: 'ST', name: 'PLANT 2', names: ['ATTN STORES', 'SECOND NAME', 'THIRD NAME'],
      ids: { assignedByBuyer: 'PLT02', other: [] },
      address: { lines: ['1200 INDUSTRIAL PKWY', 'BLDG C', 'GATE 4'], city: 'MONTREAL', postalCode: 'H2Y 1H3', country: 'CA', subdivision: 'QC' },
      references: [{ qualifier: 'DK', value: 'DOCK 12' }],
      contacts: [{ function: 'IC', name: 'RECEIVING', phone: '5145550188', email: 'DOCK@EXAMPLE.COM' }],
    });
    // PER07 EX has no place in Contact: a warning, not silence.
    expect(report.findings.map((f) => [f.code, f.location.segmentTag, f.location.elementPosition])).toEqual([['MAP_UNKNOWN_CODE', 'PER', 7]]);
    const markFor = readParty(cur, report);
    expect(markFor).toMatchObject({ role: 'mark_for', entityCode: 'Z7', ids: { gln: '0614141000074' } });
    expect(markFor!.address).toBeUndefined();
    expect(cur.peekTag()).toBe('FOB');
  });
  it('writes the loop back, N407 in 005010 only', () => {
    const { cur, report } = setOf(body, '005010');
    const st = readParty(cur, report)!;
    const written = writeParty(st, '005010');
    expect(written.map((s) => s[0])).toEqual(['N1', 'N2', 'N2', 'N3', 'N3', 'N4', 'REF', 'PER']);
    expect(written[5]).toEqual(['N4', 'MONTREAL', undefined, 'H2Y 1H3', 'CA', undefined, undefined, 'QC']);
    expect(writeParty(st, '004010')[5]).toEqual(['N4', 'MONTREAL', undefined, 'H2Y 1H3', 'CA', undefined, undefined, undefined]);
    const again = setOf(written, '005010');
    expect(readParty(again.cur, again.report)).toEqual(st);
  });
  it('writes N407 in 005010 only where N4 allows it: never with N402 (E0207), only with N404 (C0704)', () => {
    const party = (address: object) => ({ role: 'ship_to' as const, entityCode: 'ST', name: 'DC', names: [], ids: { other: [] }, address: { lines: [], ...address }, references: [], contacts: [] });
    const n4 = (address: object) => writeParty(party(address), '005010').find((s) => s[0] === 'N4');
    expect(n4({ city: 'MONTREAL', country: 'CA', subdivision: 'QC' })).toEqual(['N4', 'MONTREAL', undefined, undefined, 'CA', undefined, undefined, 'QC']);
    // A state wins: it is what US and Canadian partners read, and N402 and N407 exclude each other.
    expect(n4({ city: 'LONG BEACH', state: 'CA', country: 'US', subdivision: 'CA' })).toEqual(['N4', 'LONG BEACH', 'CA', undefined, 'US', undefined, undefined, undefined]);
    // N407 needs the country it belongs to.
    expect(n4({ city: 'MONTREAL', subdivision: 'QC' })).toEqual(['N4', 'MONTREAL', undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(n4({ subdivision: 'QC' })).toBeUndefined();
  });
  it('maps N103 qualifiers to named ids', () => {
    const { cur, report } = setOf([['N1', 'BY', 'A', '1', '039876543'], ['N1', 'VN', 'B', '9', '0398765430001'], ['N1', 'SU', 'C', '91', 'S-7'], ['N1', 'XX', 'D', 'ZZ', 'OTHER-1'], ['N1', 'BT', 'E']]);
    const parties = [1, 2, 3, 4, 5].map(() => readParty(cur, report)!);
    expect(parties.map((p) => [p.role, p.ids])).toEqual([
      ['buyer', { duns: '039876543', other: [] }],
      ['vendor', { dunsPlus4: '0398765430001', other: [] }],
      ['supplier', { assignedBySeller: 'S-7', other: [] }],
      ['other', { other: [{ qualifier: 'ZZ', value: 'OTHER-1' }] }],
      ['bill_to', { other: [] }],
    ]);
    expect(writeParty(parties[3]!, '004010')[0]).toEqual(['N1', 'XX', 'D', 'ZZ', 'OTHER-1']);
  });
  it('reports an N1 with neither name nor id', () => {
    const { cur, report } = setOf([['N1', 'ST']]);
    readParty(cur, report);
    expect(report.findings[0]).toMatchObject({ code: 'MAP_REQUIRED_VALUE', location: { segmentTag: 'N1', elementPosition: 2, segmentPosition: 2 } });
  });
});

describe('SAC, ITD, TD5', () => {
  it('reads SAC05 as N2 and SAC07 as R, and writes them back', () => {
    const { tx, report } = setOf([['SAC', 'A', 'C310', undefined, undefined, '12500', '3', '2', undefined, undefined, undefined, undefined, '02', undefined, undefined, 'PROMO']]);
    const ac = readAllowanceCharge(tx.segments[1]!, report)!;
    expect(ac).toEqual({ indicator: 'allowance', code: 'C310', amount: 125, percentQualifier: '3', percent: 2, handling: '02', description: 'PROMO' });
    expect(writeAllowanceCharge(ac)).toEqual(['SAC', 'A', 'C310', undefined, undefined, '12500', '3', '2', undefined, undefined, undefined, undefined, '02', undefined, undefined, 'PROMO']);
  });
  it('writes amounts with more than two decimals rounded to cents', () => {
    expect(writeAllowanceCharge({ indicator: 'charge', code: 'D240', amount: 45.005 })[5]).toBe('4501');
    expect(writeAllowanceCharge({ indicator: 'allowance', amount: -3.5 })[5]).toBe('-350');
    expect(() => writeAllowanceCharge({ indicator: 'other' })).toThrow(RangeError);
  });
  it('warns about an unknown SAC01 indicator', () => {
    const { tx, report } = setOf([['SAC', 'X', 'C310']]);
    expect(readAllowanceCharge(tx.segments[1]!, report)!.indicator).toBe('other');
    expect(report.findings[0]).toMatchObject({ code: 'MAP_UNKNOWN_CODE', severity: 'warning', value: 'X' });
  });
  it('reads ITD with ITD08 as N2 and day counts as integers', () => {
    const row: SegmentData = ['ITD', '08', '3', '1.5', '20240415', '15', undefined, '45', '1275', undefined, undefined, undefined, '1.5% 15 NET 45'];
    const { tx, report } = setOf([row]);
    const t = readPaymentTerms(tx.segments[1]!, report);
    expect(t).toEqual({ typeCode: '08', basisDateCode: '3', discountPercent: 1.5, discountDueDate: '2024-04-15', discountDays: 15, netDays: 45, discountAmount: 12.75, description: '1.5% 15 NET 45' });
    expect(writePaymentTerms(t)).toEqual(row);
  });
  it('reads and writes TD5', () => {
    const row: SegmentData = ['TD5', undefined, '2', 'UPSN', 'U', 'UPS GROUND', undefined, undefined, undefined, undefined, undefined, undefined, 'CG'];
    const { tx, report } = setOf([row]);
    const c = readCarrier(tx.segments[1]!, report);
    expect(c).toEqual({ idQualifier: '2', scac: 'UPSN', transportMethod: 'U', routing: 'UPS GROUND', serviceLevel: 'CG' });
    expect(writeCarrier(c)).toEqual(row);
  });
});

describe('N9 notes', () => {
  it('reads MSG and MTX alike and writes the version\'s segment', () => {
    const { cur, report } = setOf([['N9', 'L1', 'NOTES'], ['DTM', '007', '20240402'], ['MSG', 'LINE ONE'], ['MTX', undefined, 'LINE TWO'], ['N1', 'ST', 'X']]);
    const note = readNoteLoop(cur, report)!;
    expect(note).toEqual({ qualifier: 'L1', reference: 'NOTES', dates: [{ qualifier: '007', date: '2024-04-02' }], messages: ['LINE ONE', 'LINE TWO'] });
    expect(cur.peekTag()).toBe('N1');
    expect(writeNoteLoop(note, '004010').map((s) => s[0])).toEqual(['N9', 'DTM', 'MSG', 'MSG']);
    expect(writeNoteLoop(note, '005010').slice(2)).toEqual([['MTX', undefined, 'LINE ONE'], ['MTX', undefined, 'LINE TWO']]);
  });
  it('splits a long text over several MSG in 004010', () => {
    const long = 'X'.repeat(600);
    const msgs = writeNoteLoop({ qualifier: 'L1', reference: 'R', dates: [], messages: [long] }, '004010').slice(1);
    expect(msgs.map((s) => (s[1] as string).length)).toEqual([264, 264, 72]);
  });
  it('gives a free-text note an N9 qualifier and reference', () => {
    expect(writeNoteLoop({ dates: [], messages: ['HELLO'] }, '004010')[0]).toEqual(['N9', 'L1', 'NOTES', undefined]);
  });
});
