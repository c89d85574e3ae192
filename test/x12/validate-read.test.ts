// The validator on sets read from X12 text: writer -> readX12 -> validateTransaction,
// so offsets, lines, delimiters and envelope ids come from the real reader.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors/finding.js';
import { readX12 } from '../../src/x12/reader.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';
import type { ReadResult } from '../../src/x12/model.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { dictionary, spec850, validBody } from './validate-fixtures.js';

const toData = (text: string): SegmentData => text.split('*');

function write(bodies: readonly (readonly string[])[]): string {
  return serializeInterchange({
    header: { senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'DISTRIB', date: '240115', time: '1200', version: '00401', controlNumber: 905, usage: 'P' },
    groups: [{
      functionalId: 'PO', senderId: 'ACMEBUYER', receiverId: 'DISTRIB', date: '20240115', time: '1200', controlNumber: '17', version: '004010',
      transactions: bodies.map((body, i) => ({ id: '850', controlNumber: String(i + 1).padStart(4, '0'), body: body.map(toData) })),
    }],
  }, { delimiters: defaultDelimiters('00401'), lineBreak: '\n' });
}

function validateAll(r: ReadResult, file: string): Finding[] {
  const out: Finding[] = [];
  for (const ic of r.interchanges) {
    for (const g of ic.groups) {
      for (const tx of g.transactions) {
        out.push(...validateTransaction(tx, spec850, dictionary, { file, interchange: ic.header.controlNumber, group: g.header.controlNumber }));
      }
    }
  }
  return out;
}

describe('validating sets read from X12 text', () => {
  it('a valid purchase order read by readX12 has no findings', () => {
    const r = readX12(write([validBody, validBody]), { file: 'po.edi' });
    expect(r.interchanges[0]!.groups[0]!.transactions).toHaveLength(2);
    expect(validateAll(r, 'po.edi')).toEqual([]);
  });

  it('a broken purchase order gives findings at the exact file, line, byte and positions', () => {
    const broken = validBody
      .map((s) => (s.startsWith('BEG') ? 'BEG*00*SA*PO-1001-TOO-LONG-FOR-BEG03**20240115' : s))
      .filter((s) => !s.startsWith('PID'));
    broken.splice(broken.indexOf('CTT*2*8.5'), 0, 'PO4*1');
    const text = write([validBody, broken]);
    const r = readX12(text, { file: 'po.edi' });
    const f = validateAll(r, 'po.edi');
    // The writer puts one segment per line: lines are found in the text itself.
    const lines = text.split('\n');
    const lineOf = (prefix: string, from: number) => lines.findIndex((l, i) => i >= from && l.startsWith(prefix)) + 1;
    const secondSt = lineOf('ST*850*0002', 0);
    expect(f.map((x) => ({ code: x.code, ak3: x.ack.ak3, ak4: x.ack.ak4, at: `${x.location.segmentPosition} ${x.location.segmentTag} ${x.location.loopId ?? ''}`, el: x.location.elementPosition, line: x.location.line }))).toEqual([
      { code: 'X12_ELEMENT_TOO_LONG', ak3: '8', ak4: '5', at: '2 BEG ', el: 3, line: secondSt + 1 },
      // The MEA of line 1 lost its PID: MEA belongs only to the PID loop.
      { code: 'X12_SEGMENT_UNEXPECTED', ak3: '2', ak4: undefined, at: '11 MEA PO1', el: undefined, line: secondSt + 10 },
      // PO4 after the last line's LM loop: out of sequence in the PO1 loop; reported in the loop open there (LM).
      { code: 'X12_SEGMENT_OUT_OF_ORDER', ak3: '7', ak4: undefined, at: '18 PO4 LM', el: undefined, line: secondSt + 17 },
    ]);
    const first = f[0]!;
    expect(first.location).toMatchObject({ file: 'po.edi', interchange: '000000905', group: '17', transaction: '0002', transactionSetId: '850', elementReference: '324' });
    expect(text.slice(first.location.offset!, first.location.offset! + 4)).toBe('BEG*');
    expect(first.message).toBe('BEG03 purchase order number is 26 characters long; at most 22 allowed');
  });
});
