// A partner's required elements (documents.rules.<set>.require) against the segments a map wrote:
// the segment must be there, and each of its kind must carry the element (composites: any component).
import { describe, expect, it } from 'vitest';
import { missingRequired } from '../../src/jobs/outbound-render.js';
import { parseRequired } from '../../src/partners/outbound-rules.js';

const segments = [
  ['BSN', '00', 'WH/OUT/7', '20261203', '1425', '0004'],
  ['N1', 'ST', 'DC 07', 'UL', '2000000000017'],
  ['N1', 'SF', 'My Company'],
  ['REF', 'BM', 'WH/OUT/7'],
  ['REF', 'CN', '  '],
  ['SLN', '1', undefined, 'I', ['', 'X']],
];
const check = (...texts: string[]) => missingRequired(segments, texts.map(parseRequired)).map((m) => `${m.required.text}: ${m.why}`);

describe('missingRequired', () => {
  it('SEG-NN: every segment of the kind needs the element', () => {
    expect(check('N1-04')).toEqual(['N1-04: 1 of 2 N1 segment(s) have no value there']);
    expect(check('N1-02', 'BSN-05')).toEqual([]);
  });

  it('SEG*QUAL-NN: only the segments whose element 01 is QUAL; blanks are no value', () => {
    expect(check('N1*ST-04', 'REF*BM-02')).toEqual([]);
    expect(check('REF*CN-02', 'REF*PK-02')).toEqual(['REF*CN-02: 1 of 1 REF*CN segment(s) have no value there', 'REF*PK-02: no REF*PK segment was written']);
  });

  it('a segment never written, and a composite with one filled component', () => {
    expect(check('TD5-03')).toEqual(['TD5-03: no TD5 segment was written']);
    expect(check('SLN-04', 'SLN-02')).toEqual(['SLN-02: 1 of 1 SLN segment(s) have no value there']);
  });
});
