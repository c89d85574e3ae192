// readTransactionSet: one set read back from its own bytes with known delimiters, as the map stage does.
import { describe, expect, it } from 'vitest';
import { readTransactionSet } from '../../src/x12/read-set.js';
import { readX12 } from '../../src/x12/reader.js';
import { mapFor } from '../../src/maps/registry.js';
import { x12 } from './support.js';

describe('readTransactionSet', () => {
  it('gives the same segments, offsets and lines as reading the whole file', () => {
    const text = x12({ control: 1, sets: 2 });
    const whole = readX12(text).interchanges[0]!;
    const set = whole.groups[0]!.transactions[1]!;
    const start = set.segments[0]!.offset;
    const end = text.indexOf('~', set.segments.at(-1)!.offset) + 1;
    const alone = readTransactionSet(Buffer.from(text.slice(start, end), 'latin1'), whole.delimiters, { offset: start, line: set.segments[0]!.line });
    expect(alone).toMatchObject({ id: '850', controlNumber: '0002', complete: true, findings: [] });
    expect(alone.segments.map((s) => [s.tag, s.offset, s.line, s.elements.join('|')])).toEqual(
      set.segments.map((s) => [s.tag, s.offset, s.line, s.elements.join('|')]),
    );
    expect(mapFor('850')!.read(alone).document).toEqual(mapFor('850')!.read(set).document);
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
