// readTransactionSet: one set read back from its own bytes with known delimiters, as the map stage does.
import { describe, expect, it } from 'vitest';
import { readTransactionSet } from '../../src/x12/read-set.js';
import { readX12 } from '../../src/x12/reader.js';
import { mapFor } from '../../src/maps/registry.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';

/** A short 850 that validates and maps. */
const po = (n: number): SegmentData[] => [
  ['BEG', '00', 'SA', `PO${1000 + n}`, '', '20261101'],
  ['REF', 'DP', '038'],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

/** One interchange of `sets` 850s, one segment per line. */
function x12(sets: number): string {
  return serializeInterchange({
    header: {
      senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY',
      date: '261101', time: '1230', version: '00401', controlNumber: 1, usage: 'P',
    },
    groups: [{
      functionalId: 'PO', senderId: 'ACMEBUYER', receiverId: 'OURCOMPANY', date: '20261101', time: '1230', controlNumber: '1', version: '004010',
      transactions: Array.from({ length: sets }, (_, i) => ({ id: '850', controlNumber: String(1 + i).padStart(4, '0'), body: po(i) })),
    }],
  }, { delimiters: defaultDelimiters('00401'), lineBreak: '\n' });
}

describe('readTransactionSet', () => {
  it('gives the same segments, offsets and lines as reading the whole file', () => {
    const text = x12(2);
    const whole = readX12(text).interchanges[0]!;
    const set = whole.groups[0]!.transactions[1]!;
    const start = set.segments[0]!.offset;
    const end = text.indexOf('~', set.segments.at(-1)!.offset) + 1;
    const alone = readTransactionSet(Buffer.from(text.slice(start, end), 'latin1'), whole.delimiters, { offset: start, line: set.segments[0]!.line });
    expect(alone).toMatchObject({ id: '850', controlNumber: '0002', complete: true, findings: [] });
    expect(alone.segments.map((s) => [s.tag, s.offset, s.line, s.elements.join('|')])).toEqual(
      set.segments.map((s) => [s.tag, s.offset, s.line, s.elements.join('|')]),
    );
    const mapped = mapFor('850')!.read(alone).document;
    expect(mapped).toMatchObject({ poNumber: 'PO1001' });
    expect(mapped).toEqual(mapFor('850')!.read(set).document);
  });

  it('works with other delimiters (CRLF terminator, | elements, ^ components) and reports tokenizer problems', () => {
    const d = { element: '|', component: '^', repetition: null, segment: '\n' };
    const set = readTransactionSet('ST|850|0001\r\nBEG|00|SA|PO1||20261101   \r\nSE|3|0001\r\n', d, { file: 'x.edi' });
    expect(set.segments.map((s) => s.elements.join('*'))).toEqual(['ST*850*0001', 'BEG*00*SA*PO1**20261101', 'SE*3*0001']);
    expect(set.complete).toBe(true);
    expect(set.findings.map((f) => [f.code, f.location.file, f.location.line])).toEqual([['X12_TRAILING_SPACES', 'x.edi', 2]]);
  });

  it('a set cut short is incomplete; bytes that do not start with ST are a caller bug', () => {
    const d = { element: '*', component: '>', repetition: '^', segment: '~' };
    expect(readTransactionSet('ST*850*0001~BEG*00*SA*PO1**20261101~', d)).toMatchObject({ complete: false });
    expect(() => readTransactionSet('GS*PO*A*B~', d, { offset: 120 })).toThrow(/start with a GS segment, not ST \(offset 120\)/);
  });
});
