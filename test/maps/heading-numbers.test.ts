// The numbers a document is found by, read from its raw heading (src/maps/heading-numbers.ts).
import { describe, expect, it } from 'vitest';
import { headingNumbers } from '../../src/maps/heading-numbers.js';
import { rereadTransaction } from '../../src/maps/shared/reread.js';
import type { SegmentData } from '../../src/x12/writer.js';

const numbersOf = (id: string, body: SegmentData[]) => headingNumbers(rereadTransaction(id, body, '004010').transaction);

describe('headingNumbers', () => {
  it('850 and 855: the PO number of BEG03 / BAK03 is both numbers', () => {
    expect(numbersOf('850', [['BEG', '00', 'SA', 'PO-77', '', '20261101']])).toEqual({ number: 'PO-77', poNumber: 'PO-77' });
    expect(numbersOf('855', [['BAK', '00', 'AC', 'PO-78', '20261101']])).toEqual({ number: 'PO-78', poNumber: 'PO-78' });
  });

  it('856: the shipment id of BSN02, and the PO number of the first PRF01 wherever it sits', () => {
    const body: SegmentData[] = [['BSN', '00', 'SHIP-9', '20261101', '1200'], ['HL', '1', '', 'S'], ['HL', '2', '1', 'O'], ['PRF', 'PO-1'], ['HL', '3', '1', 'O'], ['PRF', 'PO-2']];
    expect(numbersOf('856', body)).toEqual({ number: 'SHIP-9', poNumber: 'PO-1' });
  });

  it('810: the invoice number of BIG02 and the PO number of BIG04', () => {
    expect(numbersOf('810', [['BIG', '20261101', 'INV-5', '20261030', 'PO-3']])).toEqual({ number: 'INV-5', poNumber: 'PO-3' });
    expect(numbersOf('810', [['BIG', '20261101', 'INV-6']])).toEqual({ number: 'INV-6' });
  });

  it('tolerates what a rejected set may hold: the heading late, blank or missing, and sets without numbers', () => {
    expect(numbersOf('850', [['CUR', 'BY', 'USD'], ['BEG', '00', 'SA', 'PO-8']])).toEqual({ number: 'PO-8', poNumber: 'PO-8' });
    expect(numbersOf('850', [['BEG', '00', 'SA', '   ']])).toEqual({});
    expect(numbersOf('850', [['REF', 'DP', '12']])).toEqual({});
    expect(numbersOf('997', [['AK1', 'PO', '1']])).toEqual({});
  });
});
