import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PurchaseOrderAckSchema, type PurchaseOrderAck } from '../../src/documents/purchase-order-ack.js';
import { read855, write855 } from '../../src/maps/855-purchase-order-ack.js';
import type { X12Version } from '../../src/maps/shared/map-types.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import type { SegmentData } from '../../src/x12/writer.js';

const SAMPLES = join(import.meta.dirname, '../../samples');

function samples(): { file: string; version: X12Version }[] {
  return (['004010', '005010'] as const).flatMap((version) =>
    readdirSync(join(SAMPLES, version, '855')).filter((f) => f.endsWith('.edi')).map((f) => ({ file: join(version, '855', f), version })));
}

function readSample(file: string): PurchaseOrderAck {
  const result = readX12(readFileSync(join(SAMPLES, file)), { file });
  expect(allFindings(result)).toEqual([]);
  const tx = result.interchanges[0]?.groups[0]?.transactions[0];
  if (!tx) throw new Error(`${file} holds no transaction set`);
  const { document, findings } = read855(tx, { file });
  expect(findings).toEqual([]);
  if (!document) throw new Error(`${file} did not map`);
  return document;
}

function readBody(body: SegmentData[]) {
  const { transaction } = rereadTransaction('855', body, '004010');
  return read855(transaction, { file: 'bad.edi' });
}

describe('read855: samples', () => {
  it('line acknowledgments IA, IQ + IB, IR, DR', () => {
    const ack = readSample('004010/855/855-line-acks-mixed.edi');
    expect(ack).toMatchObject({
      purpose: 'original', purposeCode: '00', ackType: 'AC', poNumber: 'ACME-PO-10452', poDate: '2024-04-08',
      sellerOrderNumber: 'BL-SO-88123', ackDate: '2024-04-09',
      references: [{ qualifier: 'IA', value: '55012' }],
      contacts: [{ function: 'IC', name: 'KIM NAKAMURA', phone: '3125550166', email: 'ORDERS@BRIGHTLINE.EXAMPLE' }],
      dates: [{ qualifier: '017', date: '2024-04-16' }],
      totals: { lineCount: 4, hashTotal: 182 },
    });
    expect(ack.releaseNumber).toBeUndefined();
    expect(ack.parties.map((p) => [p.role, p.ids])).toEqual([
      ['ship_to', { assignedByBuyer: 'DC01', other: [] }],
      ['supplier', { duns: '042345678', other: [] }],
    ]);
    const [l1, l2, l3, l4] = ack.lines;
    expect(l1).toMatchObject({
      lineNumber: '1', quantity: 100, unit: 'EA', unitPrice: 4.25, productIds: { buyerPart: 'ACM-10021', vendorPart: 'BL-7721' },
      description: 'LED PANEL 2X2 40W',
      acks: [{ status: 'IA', statusName: 'item accepted', quantity: 100, unit: 'EA', dateQualifier: '068', date: '2024-04-12', productIds: { other: [] } }],
    });
    expect(l2!.acks.map((a) => [a.status, a.statusName, a.quantity, a.date])).toEqual([
      ['IQ', 'item accepted, quantity changed', 40, '2024-04-12'],
      ['IB', 'item backordered', 10, '2024-04-26'],
    ]);
    expect(l3!.acks).toEqual([{ status: 'IR', statusName: 'item rejected', quantity: 20, unit: 'CA', productIds: { vendorPart: 'BL-9001', other: [] } }]);
    expect(l3!.notes).toEqual([{ qualifier: 'L1', reference: 'ITEM STATUS', dates: [], messages: ['ITEM DISCONTINUED BY MANUFACTURER'] }]);
    expect(l4).toMatchObject({
      unitPrice: 89, dates: [{ qualifier: '002', date: '2024-04-19' }],
      acks: [{ status: 'DR', statusName: 'item accepted, date rescheduled', quantity: 12, date: '2024-05-03' }],
    });
  });

  it('rejection without detail', () => {
    const ack = readSample('004010/855/855-rejected-no-detail.edi');
    expect(ack).toMatchObject({ ackType: 'RJ', poNumber: 'ACME-PO-10498', lines: [], totals: {} });
    expect(ack.notes[0]).toEqual({ qualifier: 'L1', reference: 'REJECT REASON', dates: [], messages: ['ACCOUNT ON CREDIT HOLD - CONTACT ACCOUNTS RECEIVABLE'] });
  });

  it('005010 price change with currency and MTX', () => {
    const ack = readSample('005010/855/855-5010-price-change.edi');
    expect(ack).toMatchObject({
      releaseNumber: '2', contractNumber: 'CTR-88', sellerOrderNumber: 'CP-SO-330871', ackDate: '2024-06-03', currency: 'USD',
      notes: [{ qualifier: 'L1', reference: 'PRICE NOTICE', messages: ['RESIN SURCHARGE APPLIES FROM JUNE 1'] }],
    });
    expect(ack.parties[0]!.address).toEqual({ lines: ['2100 HARBOR BLVD'], city: 'LONG BEACH', state: 'CA', postalCode: '90813', country: 'US' });
    expect(ack.lines.map((l) => [l.lineNumber, l.unitPrice, l.acks[0]!.status])).toEqual([['1', 31.2, 'IP'], ['2', 18.4, 'IA']]);
    expect(ack.lines[0]!.productIds.gtin).toBe('10887766001219');
  });
});

describe('855 round trip: X12 -> canonical -> X12 -> canonical', () => {
  const all = samples();
  it('covers both versions', () => {
    expect(all.filter((s) => s.version === '004010').length).toBeGreaterThanOrEqual(2);
    expect(all.filter((s) => s.version === '005010').length).toBeGreaterThanOrEqual(1);
  });
  for (const { file, version } of all) {
    it(`${file} gives the same document`, () => {
      const first = readSample(file);
      expect(PurchaseOrderAckSchema.parse(first)).toEqual(first);
      const written = write855(first, version);
      const { transaction, findings: envelope } = rereadTransaction('855', written, version);
      expect(envelope).toEqual([]);
      const second = read855(transaction);
      expect(second.findings).toEqual([]);
      expect(second.document).toEqual(first);
      expect(write855(second.document!, version)).toEqual(written);
    });
  }
});

describe('write855', () => {
  it('writes BAK, the line with its ACKs after its dates, and the line\'s N9 note loop after the ACKs', () => {
    const ack = readSample('004010/855/855-line-acks-mixed.edi');
    const out = write855(ack, '004010');
    expect(out[0]).toEqual(['BAK', '00', 'AC', 'ACME-PO-10452', '20240408', undefined, undefined, undefined, 'BL-SO-88123', '20240409']);
    expect(out.find((s) => s[0] === 'CUR')).toBeUndefined();
    const line3 = out.findIndex((s) => s[0] === 'PO1' && s[1] === '3');
    expect(out.slice(line3, line3 + 5)).toEqual([
      ['PO1', '3', '20', 'CA', '38.5', undefined, 'BP', 'ACM-10023', 'VN', 'BL-9001'],
      ['PID', 'F', undefined, undefined, undefined, 'EMERGENCY BALLAST KIT'],
      ['ACK', 'IR', '20', 'CA', undefined, undefined, undefined, 'VN', 'BL-9001'],
      ['N9', 'L1', 'ITEM STATUS', undefined],
      ['MSG', 'ITEM DISCONTINUED BY MANUFACTURER'],
    ]);
    const line4 = out.findIndex((s) => s[0] === 'PO1' && s[1] === '4');
    expect(out.slice(line4 + 2, line4 + 4).map((s) => s[0])).toEqual(['DTM', 'ACK']);
  });

  it('writes a free-text line note as an N9 loop: the 855 PO1 loop has no MSG or MTX of its own', () => {
    const ack = readSample('004010/855/855-line-acks-mixed.edi');
    const line = { ...ack.lines[2]!, notes: [{ dates: [], messages: ['CALL BEFORE DELIVERY'] }] };
    const doc = { ...ack, lines: [line] };
    for (const version of ['004010', '005010'] as const) {
      const out = write855(doc, version);
      const ackAt = out.findIndex((s) => s[0] === 'ACK');
      expect(out.slice(ackAt + 1, ackAt + 3)).toEqual([
        ['N9', 'L1', 'NOTES', undefined],
        version === '004010' ? ['MSG', 'CALL BEFORE DELIVERY'] : ['MTX', undefined, 'CALL BEFORE DELIVERY'],
      ]);
      expect(out.filter((s) => s[0] === 'MSG' || s[0] === 'MTX')).toHaveLength(1);
      const { transaction } = rereadTransaction('855', out, version);
      expect(read855(transaction).document!.lines[0]!.notes).toEqual([{ qualifier: 'L1', reference: 'NOTES', dates: [], messages: ['CALL BEFORE DELIVERY'] }]);
    }
  });

  it('writes the seller\'s currency as CUR*SE', () => {
    const ack = readSample('005010/855/855-5010-price-change.edi');
    expect(write855(ack, '005010')[1]).toEqual(['CUR', 'SE', 'USD']);
  });
});

describe('read855: findings', () => {
  it('reports missing mandatory values with positions and gives no document', () => {
    const { document, findings } = readBody([
      ['BAK', '00', undefined, 'P-1', '2024041'],
      ['PO1', '1', '5', 'EA'],
      ['ACK', undefined, '5', 'EA'],
      ['ACK', 'IA', 'FIVE'],
    ]);
    expect(document).toBeUndefined();
    expect(findings.map((f) => [f.code, f.location.segmentTag, f.location.segmentPosition, f.location.elementPosition])).toEqual([
      ['MAP_REQUIRED_VALUE', 'BAK', 2, 2],
      ['MAP_INVALID_DATE', 'BAK', 2, 4],
      ['MAP_REQUIRED_VALUE', 'ACK', 4, 1],
      ['MAP_INVALID_NUMBER', 'ACK', 5, 2],
    ]);
  });

  it('reports a missing BAK', () => {
    const { findings } = readBody([['PO1', '1', '5', 'EA']]);
    expect(findings.map((f) => [f.code, f.location.segmentTag])).toEqual([['MAP_SEGMENT_MISSING', 'BAK']]);
  });

  it('keeps an unknown line status with a warning', () => {
    const { document, findings } = readBody([['BAK', '00', 'AC', 'P-1', '20240401'], ['PO1', '1', '5', 'EA'], ['ACK', 'Q9', '5', 'EA']]);
    expect(document!.lines[0]!.acks[0]).toMatchObject({ status: 'Q9', statusName: 'unknown' });
    expect(findings.map((f) => [f.code, f.severity, f.value])).toEqual([['MAP_UNKNOWN_CODE', 'warning', 'Q9']]);
  });
});
