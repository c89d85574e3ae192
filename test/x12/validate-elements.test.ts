// Element checks (AK4/IK4 codes 1-10, 12, 13) and syntax notes P R E C L.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors/finding.js';
import type { SegmentDictionary, TransactionSetSpec } from '../../src/x12/spec-types.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { buildTx, D4010, D5010, dictionary, spec850 } from './validate-fixtures.js';

const context = { file: 'po.edi', interchange: '000000905', group: '17' };
const header = ['BEG*00*SA*PO-1**20240115'];
const line = 'PO1*1*1*EA*1';

/** Findings for one extra segment placed after BEG (position 3) in an otherwise valid set. */
const inHeader = (segment: string, delimiters = D4010) =>
  validateTransaction(buildTx([...header, segment, line], { delimiters }), spec850, dictionary, context);
/** Findings for a set with the given header and one valid line. */
const withHeader = (beg: string) => validateTransaction(buildTx([beg, line]), spec850, dictionary, context);
/** Findings for a segment placed after the first PO1 (position 4). */
const inLine = (...segments: string[]) => validateTransaction(buildTx([...header, line, ...segments]), spec850, dictionary, context);

/** The AK4 view: code, AK403, position (element-component-repetition), reference, value. */
const ak4 = (f: Finding) => ({
  code: f.code,
  ak4: f.ack.ak4,
  seg: `${f.location.segmentPosition} ${f.location.segmentTag}`,
  at: [f.location.elementPosition, f.location.componentPosition, f.location.repetitionPosition],
  ref: f.location.elementReference,
  value: f.value,
});

describe('elements: AK403 codes', () => {
  it('1: mandatory element empty', () => {
    const f = withHeader('BEG*00*SA***20240115');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '2 BEG', at: [3, undefined, undefined], ref: '324', value: undefined }]);
    expect(f[0]!.message).toBe('mandatory BEG03 purchase order number is missing');
  });

  it('1: mandatory elements after the last element written', () => {
    const f = withHeader('BEG*00*SA');
    expect(f.map(ak4)).toEqual([
      { code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '2 BEG', at: [3, undefined, undefined], ref: '324', value: undefined },
      { code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '2 BEG', at: [5, undefined, undefined], ref: '373', value: undefined },
    ]);
  });

  it('3: data after the last defined element; trailing empty elements are tolerated', () => {
    expect(inHeader('CUR*BY*USD**')).toEqual([]);
    const f = inHeader('CUR*BY*USD**EUR');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_MANY', ak4: '3', seg: '3 CUR', at: [4, undefined, undefined], ref: undefined, value: 'EUR' }]);
    expect(f[0]!.message).toBe("CUR has data in element 04 ('EUR'); the segment defines only 2 elements");
  });

  it('4: too short', () => {
    const f = inHeader('N1*ST**92*1');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_SHORT', ak4: '4', seg: '3 N1', at: [4, undefined, undefined], ref: '67', value: '1' }]);
    expect(f[0]!.message).toBe('N104 identification code is 1 character long; at least 2 required');
  });

  it('5: too long', () => {
    const po = 'P'.repeat(25);
    const f = withHeader(`BEG*00*SA*${po}**20240115`);
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_LONG', ak4: '5', seg: '2 BEG', at: [3, undefined, undefined], ref: '324', value: po }]);
    expect(f[0]!.message).toBe('BEG03 purchase order number is 25 characters long; at most 22 allowed');
  });

  it('4/5: numeric lengths count digits only, not the sign or the decimal point', () => {
    // PO102 R 1/15: 15 digits with sign and point are fine, 16 digits are not.
    expect(inLine('PO1*2*-12345678901234.5*EA*1')).toEqual([]);
    const f = inLine('PO1*2*1234567890123.456*EA*1');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_LONG', ak4: '5', seg: '4 PO1', at: [2, undefined, undefined], ref: '330', value: '1234567890123.456' }]);
    expect(f[0]!.message).toBe('PO102 quantity ordered is 16 digits long; at most 15 allowed');
    // PO401 N0 1/6: the minus sign does not count.
    expect(inLine('PO4*-123456')).toEqual([]);
    expect(inLine('PO4*1234567').map((x) => x.code)).toEqual(['X12_ELEMENT_TOO_LONG']);
  });

  it('6: invalid characters for R, N and AN', () => {
    const f = inLine('PO1*2*12A*EA*1.2.3', 'PO4*1.5', 'PO4*+5', 'PO4*-');
    expect(f.map(ak4)).toEqual([
      { code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '4 PO1', at: [2, undefined, undefined], ref: '330', value: '12A' },
      { code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '4 PO1', at: [4, undefined, undefined], ref: '212', value: '1.2.3' },
      { code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '5 PO4', at: [1, undefined, undefined], ref: '356', value: '1.5' },
      { code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '6 PO4', at: [1, undefined, undefined], ref: '356', value: '+5' },
      { code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '7 PO4', at: [1, undefined, undefined], ref: '356', value: '-' },
    ]);
    expect(f[0]!.message).toBe("PO102 quantity ordered '12A' is not a number (type R)");
    expect(f[2]!.message).toBe("PO401 pack '1.5' is not a whole number (type N0)");
    const an = withHeader('BEG*00*SA*PO\u00011**20240115');
    expect(an.map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_CHARACTER', ak4: '6', seg: '2 BEG', at: [3, undefined, undefined], ref: '324', value: 'PO\u00011' }]);
    expect(an[0]!.message).toBe('BEG03 purchase order number contains the control character U+0001 at character 3');
  });

  it('AN accepts any printable character, including non-ASCII text', () => {
    expect(inHeader('PER*BD*Zoë O’Brien & Co. (#4) <x@y.z>')).toEqual([]);
  });

  it('7: code not in the list of an ID element with a code list', () => {
    const f = withHeader('BEG*99*SA*PO-1**20240115');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_CODE', ak4: '7', seg: '2 BEG', at: [1, undefined, undefined], ref: '353', value: '99' }]);
    expect(f[0]!.message).toBe("BEG01 transaction set purpose code '99' is not a valid code (expected one of 00, 01, 04, 05, 06, 07)");
    // Without a code list an ID element is only checked for length.
    expect(withHeader('BEG*00*ZZ*PO-1**20240115')).toEqual([]);
    expect(withHeader('BEG*00*ZZZ*PO-1**20240115').map((x) => x.code)).toEqual(['X12_ELEMENT_TOO_LONG']);
  });

  it('8: invalid dates', () => {
    const f = inHeader('DTM*002*20240230');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_DATE', ak4: '8', seg: '3 DTM', at: [2, undefined, undefined], ref: '373', value: '20240230' }]);
    expect(f[0]!.message).toBe("DTM02 date '20240230' is not a valid date (CCYYMMDD)");
    expect(inHeader('DTM*002*20240229')).toEqual([]);
    expect(inHeader('DTM*002*20230229').map((x) => x.code)).toEqual(['X12_ELEMENT_INVALID_DATE']);
    // A 6-digit date where the element wants 8 digits is invalid, not short.
    expect(inHeader('DTM*002*240115').map((x) => x.code)).toEqual(['X12_ELEMENT_INVALID_DATE']);
    expect(inHeader('DTM*002*2024-1-1').map((x) => x.code)).toEqual(['X12_ELEMENT_INVALID_DATE']);
  });

  it('9: invalid times; valid times are checked against the element length', () => {
    const f = inHeader('DTM*002**2460');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_TIME', ak4: '9', seg: '3 DTM', at: [3, undefined, undefined], ref: '337', value: '2460' }]);
    expect(f[0]!.message).toBe("DTM03 time '2460' is not a valid time (HHMM, HHMMSS or HHMMSSdd)");
    for (const ok of ['0000', '2359', '235959', '2359591', '23595999']) expect(inHeader(`DTM*002**${ok}`)).toEqual([]);
    for (const bad of ['12', '12345', '1261', '126060', '123456789', '12:3']) {
      expect(inHeader(`DTM*002**${bad}`).map((x) => x.code), bad).toEqual(['X12_ELEMENT_INVALID_TIME']);
    }
  });

  it('reports one finding per bad element and checks every element of the segment', () => {
    const f = withHeader(`BEG*99*SA*${'P'.repeat(23)}**20241301`);
    expect(f.map((x) => [x.code, x.location.elementPosition])).toEqual([
      ['X12_ELEMENT_INVALID_CODE', 1],
      ['X12_ELEMENT_TOO_LONG', 3],
      ['X12_ELEMENT_INVALID_DATE', 5],
    ]);
  });

  it('locates an element finding fully (AK3 and AK4 data together)', () => {
    const tx = buildTx([...header, 'N1*ST*Store', 'REF*DP*' + 'R'.repeat(31), line], { offset: 500, line: 10 });
    const f = validateTransaction(tx, spec850, dictionary, context);
    expect(f).toEqual([{
      code: 'X12_ELEMENT_TOO_LONG',
      severity: 'error',
      message: 'REF02 reference identification is 31 characters long; at most 30 allowed',
      location: {
        file: 'po.edi', offset: tx.segments[3]!.offset, line: 13,
        interchange: '000000905', group: '17', transaction: '0001', transactionSetId: '850',
        segmentPosition: 4, segmentTag: 'REF', loopId: 'N1',
        elementPosition: 2, elementReference: '127',
      },
      ack: { ak4: '5', ak3: '8', ak5: '5' },
      value: 'R'.repeat(31),
    }]);
  });
});

describe('elements: syntax notes', () => {
  it('P paired: both or neither; the missing one is reported (AK403 2)', () => {
    expect(inHeader('PER*BD*Al*TE*5551234')).toEqual([]);
    expect(inHeader('PER*BD*Al')).toEqual([]);
    const f = inHeader('PER*BD*Al**5551234');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '3 PER', at: [3, undefined, undefined], ref: '365', value: undefined }]);
    expect(f[0]!.message).toBe('PER03 is required because PER04 is present (PER03, PER04 are used together or not at all)');
  });

  it('R required: at least one (AK403 2 on the first)', () => {
    expect(inHeader('REF*DP**Department')).toEqual([]);
    const f = inHeader('REF*DP');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '3 REF', at: [2, undefined, undefined], ref: '127', value: undefined }]);
    expect(f[0]!.message).toBe('at least one of REF02, REF03 is required');
  });

  it('E exclusion: at most one (AK403 10 on the second, with its value)', () => {
    expect(inLine('PID*F****Blue')).toEqual([]);
    const f = inLine('PID*S**VI*FL*Blue');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_EXCLUSION', ak4: '10', seg: '4 PID', at: [5, undefined, undefined], ref: '352', value: 'Blue' }]);
    expect(f[0]!.message).toBe('PID05 must not be used together with PID04 (only one of PID04, PID05 may be used)');
  });

  it('C conditional: if the first is present, all the others are required', () => {
    expect(inHeader('DTM*002**1200*ET')).toEqual([]);
    const f = inHeader('DTM*002*20240201**ET');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '3 DTM', at: [3, undefined, undefined], ref: '337', value: undefined }]);
    expect(f[0]!.message).toBe('DTM03 is required because DTM04 is present');
    // PO1 C0302: a unit without a quantity.
    expect(inLine('PO1*2**EA').map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '4 PO1', at: [2, undefined, undefined], ref: '330', value: undefined }]);
  });

  it('L list conditional: if the first is present, at least one of the others', () => {
    expect(inLine('PO4*1****G*12.5')).toEqual([]);
    expect(inLine('PO4*1****G**LB')).toEqual([]);
    const f = inLine('PO4*1****G');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '4 PO4', at: [6, undefined, undefined], ref: '384', value: undefined }]);
    expect(f[0]!.message).toBe('at least one of PO406, PO407 is required because PO405 is present');
  });
});

describe('elements: composites', () => {
  it('splits on the component separator and checks each component', () => {
    expect(inHeader('REF*ZZ*1**VN>ABC>IA>XYZ')).toEqual([]);
    const f = inHeader('REF*ZZ*1**VNVN>ABC');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_LONG', ak4: '5', seg: '3 REF', at: [4, 1, undefined], ref: '128', value: 'VNVN' }]);
    expect(f[0]!.message).toBe('REF04-01 reference identification qualifier is 4 characters long; at most 3 allowed');
  });

  it('1: mandatory component missing, inside and after the written components', () => {
    expect(inHeader('REF*ZZ*1**>ABC').map(ak4)).toEqual([{ code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '3 REF', at: [4, 1, undefined], ref: '128', value: undefined }]);
    expect(inHeader('REF*ZZ*1**VN').map(ak4)).toEqual([{ code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '3 REF', at: [4, 2, undefined], ref: '127', value: undefined }]);
    // A composite of separators only is an unused (optional) composite.
    expect(inHeader('REF*ZZ*1**>>')).toEqual([]);
  });

  it('13: too many components; trailing empty components are tolerated', () => {
    expect(inHeader('REF*ZZ*1**VN>ABC>IA>XYZ>>')).toEqual([]);
    const f = inHeader('REF*ZZ*1**VN>ABC>IA>XYZ>>EXTRA');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_MANY_COMPONENTS', ak4: '13', seg: '3 REF', at: [4, 6, undefined], ref: 'C040', value: 'EXTRA' }]);
    expect(f[0]!.message).toBe('REF04-06 is past the 4 components of composite C040 reference identifier');
  });

  it('without a component separator (ISA16 left out) the whole value is the first component', () => {
    const f = inHeader('REF*ZZ*1**VN>ABC', { ...D4010, component: '' });
    expect(f.map(ak4)).toEqual([
      { code: 'X12_ELEMENT_TOO_LONG', ak4: '5', seg: '3 REF', at: [4, 1, undefined], ref: '128', value: 'VN>ABC' },
      { code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '3 REF', at: [4, 2, undefined], ref: '127', value: undefined },
    ]);
  });

  it('uses the interchange component separator, whatever it is', () => {
    expect(inHeader('REF*ZZ*1**VN:ABC', { ...D4010, component: ':' })).toEqual([]);
    // With ':' as separator, '>' is data: one long first component.
    expect(inHeader('REF*ZZ*1**VN>ABC', { ...D4010, component: ':' }).map((x) => x.code)).toEqual(['X12_ELEMENT_TOO_LONG', 'X12_ELEMENT_MISSING']);
  });
});

describe('elements: repetitions (5010)', () => {
  // A test-only segment with a repeatable ID element, a plain AN element, a repeatable composite and a 6-digit date.
  const dict: SegmentDictionary = {
    version: '005010',
    segments: {
      ST: dictionary.segments.ST!,
      SE: dictionary.segments.SE!,
      RPT: {
        name: 'Repetition Test',
        elements: [
          { ref: '1', name: 'Kind Code', req: 'M', type: 'ID', min: 2, max: 2, codes: ['AA', 'BB', 'CC'], repeat: 3 },
          { ref: '2', name: 'Free Text', req: 'O', type: 'AN', min: 1, max: 10 },
          {
            composite: 'C999', name: 'Pair', req: 'O', repeat: 2,
            components: [
              { ref: '3', name: 'Pair Code', req: 'M', type: 'ID', min: 2, max: 2 },
              { ref: '4', name: 'Pair Value', req: 'O', type: 'AN', min: 1, max: 5 },
            ],
          },
          { ref: '5', name: 'Short Date', req: 'O', type: 'DT', min: 6, max: 6 },
        ],
      },
    },
  };
  const spec: TransactionSetSpec = {
    id: '901', name: 'Repetition test', version: '005010', functionalGroup: 'ZZ',
    structure: [{ segment: 'ST', req: 'M', max: 1 }, { segment: 'RPT', req: 'M', max: 1 }, { segment: 'SE', req: 'M', max: 1 }],
  };
  /** Findings for one RPT segment; the same findings must come from the segment text (as the reader gives it). */
  const check = (rpt: string, delimiters = D5010) => {
    const tx = buildTx([rpt], { id: '901', delimiters });
    const fromElements = validateTransaction(tx, spec, dict, context);
    const textTx = { ...tx, segments: tx.segments.map((s) => ({ ...s, text: s.elements.join(delimiters.element) })) };
    expect(validateTransaction(textTx, spec, dict, context)).toEqual(fromElements);
    return fromElements;
  };

  it('accepts repetitions up to the maximum and never splits a non-repeatable element', () => {
    expect(check('RPT*AA^BB^CC*X^Y*AA:B^BB:C*240229')).toEqual([]);
  });

  it('12: too many repetitions, reported at the first extra repetition', () => {
    const f = check('RPT*AA^BB^CC^AA^BB');
    expect(f.map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_MANY_REPETITIONS', ak4: '12', seg: '2 RPT', at: [1, undefined, 4], ref: '1', value: 'AA' }]);
    expect(f[0]!.message).toBe('RPT01 kind code has more than 3 repetitions');
  });

  it('checks each repetition and gives its position', () => {
    expect(check('RPT*AA^ZZ').map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_CODE', ak4: '7', seg: '2 RPT', at: [1, undefined, 2], ref: '1', value: 'ZZ' }]);
    expect(check('RPT*AA**AA:B^:C').map(ak4)).toEqual([{ code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '2 RPT', at: [3, 1, 2], ref: '3', value: undefined }]);
    expect(check('RPT*AA**AA:B^BB:C:D').map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_MANY_COMPONENTS', ak4: '13', seg: '2 RPT', at: [3, 3, 2], ref: 'C999', value: 'D' }]);
  });

  it('a non-repeatable element keeps the repetition character as data', () => {
    expect(check('RPT*AA*ABCDEFGHI^K').map(ak4)).toEqual([{ code: 'X12_ELEMENT_TOO_LONG', ak4: '5', seg: '2 RPT', at: [2, undefined, undefined], ref: '2', value: 'ABCDEFGHI^K' }]);
  });

  it('a mandatory repeatable element made of separators only is missing', () => {
    expect(check('RPT*^^').map(ak4)).toEqual([{ code: 'X12_ELEMENT_MISSING', ak4: '1', seg: '2 RPT', at: [1, undefined, undefined], ref: '1', value: undefined }]);
  });

  it('without a repetition separator (004010) nothing is split', () => {
    expect(check('RPT*AA^BB', D4010).map(ak4)).toEqual([{ code: 'X12_ELEMENT_INVALID_CODE', ak4: '7', seg: '2 RPT', at: [1, undefined, undefined], ref: '1', value: 'AA^BB' }]);
  });

  it('8: a DT element of at most 6 wants YYMMDD', () => {
    expect(check('RPT*AA***240230').map((x) => x.code)).toEqual(['X12_ELEMENT_INVALID_DATE']);
    const f = check('RPT*AA***20240229');
    expect(f.map((x) => x.code)).toEqual(['X12_ELEMENT_INVALID_DATE']);
    expect(f[0]!.message).toBe("RPT04 short date '20240229' is not a valid date (YYMMDD)");
  });
});

describe('elements read from the segment text', () => {
  // The reader's segments carry their raw text; the checker then reads element ranges from it
  // instead of split elements. Both ways must find exactly the same problems.
  const broken = [
    'BEG*99*SA*' + 'P'.repeat(23) + '**20241301',
    'BEG*00*SA',
    'CUR*BY*USD**EUR',
    'PER*BD*Al**5551234',
    'REF*ZZ*1**VN>ABC>IA>XYZ>>EXTRA',
    'REF*ZZ*1**>ABC',
    'REF*DP',
    'DTM*002*20240230*2460*ET',
    'N1*ST**92*1',
    'PO1*2*12A*EA*1.2.3',
    'PO4*1****G',
    'PID*S**VI*FL*Blue',
    'PID*F****Tab\there',
    'CTT*1.5*-',
  ];
  const withText = (tx: ReturnType<typeof buildTx>) => ({
    ...tx,
    segments: tx.segments.map((s) => ({ ...s, text: s.elements.join(s.delimiters.element) })),
  });

  it.each(broken)('%s', (segment) => {
    const tx = buildTx([...header, segment, line]);
    const fromElements = validateTransaction(tx, spec850, dictionary, context);
    const fromText = validateTransaction(withText(tx), spec850, dictionary, context);
    expect(fromElements.length).toBeGreaterThan(0);
    expect(fromText).toEqual(fromElements);
  });

  it('a valid set gives no findings either way', () => {
    const tx = buildTx([...header, 'REF*ZZ*1**VN>ABC', 'PER*BD*Al*TE*555', 'DTM*002**1200*ET', line, 'PID*F****Blue', 'PO4*1****G*12.5']);
    expect(validateTransaction(tx, spec850, dictionary, context)).toEqual([]);
    expect(validateTransaction(withText(tx), spec850, dictionary, context)).toEqual([]);
  });
});

describe('syntax notes: every presence pattern', () => {
  // A test-only segment with three optional elements and one note over them; each note type is
  // tried on all 8 patterns of present elements against the X12.6 definitions written out here.
  const expected: Record<'P' | 'R' | 'E' | 'C' | 'L', (a: boolean, b: boolean, c: boolean) => boolean> = {
    P: (a, b, c) => (a && b && c) || (!a && !b && !c),
    R: (a, b, c) => a || b || c,
    E: (a, b, c) => Number(a) + Number(b) + Number(c) <= 1,
    C: (a, b, c) => !a || (b && c),
    L: (a, b, c) => !a || b || c,
  };
  const codeOf = { P: 'X12_ELEMENT_CONDITIONAL_MISSING', R: 'X12_ELEMENT_CONDITIONAL_MISSING', E: 'X12_ELEMENT_EXCLUSION', C: 'X12_ELEMENT_CONDITIONAL_MISSING', L: 'X12_ELEMENT_CONDITIONAL_MISSING' };
  const cases = (Object.keys(expected) as (keyof typeof expected)[]).flatMap((type) =>
    [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({ type, a: (bits & 1) > 0, b: (bits & 2) > 0, c: (bits & 4) > 0 })));

  it.each(cases)('$type with present 01=$a 02=$b 03=$c', ({ type, a, b, c }) => {
    const el = (ref: string) => ({ ref, name: 'Value', req: 'O' as const, type: 'AN' as const, min: 1, max: 5 });
    const dict: SegmentDictionary = {
      version: '004010',
      segments: { ST: dictionary.segments.ST!, SE: dictionary.segments.SE!, RUL: { name: 'Rule Test', elements: [el('1'), el('2'), el('3')], rules: [{ type, elements: [1, 2, 3] }] } },
    };
    const spec: TransactionSetSpec = {
      id: '902', name: 'Rule test', version: '004010', functionalGroup: 'ZZ',
      structure: [{ segment: 'ST', req: 'M', max: 1 }, { segment: 'RUL', req: 'M', max: 1 }, { segment: 'SE', req: 'M', max: 1 }],
    };
    const rul = `RUL*${a ? 'A' : ''}*${b ? 'B' : ''}*${c ? 'C' : ''}`;
    const tx = buildTx([rul], { id: '902' });
    const textTx = { ...tx, segments: tx.segments.map((s) => ({ ...s, text: s.elements.join('*') })) };
    for (const t of [tx, textTx]) {
      const f = validateTransaction(t, spec, dict, context);
      if (expected[type](a, b, c)) expect(f).toEqual([]);
      else {
        expect(f.length).toBeGreaterThan(0);
        expect(new Set(f.map((x) => x.code))).toEqual(new Set([codeOf[type]]));
      }
    }
  });
});

describe('syntax notes past element 31', () => {
  it('a note on elements 32 and 33 is checked element by element', () => {
    const elements = Array.from({ length: 33 }, (_, i) => ({ ref: String(i + 1), name: 'Value', req: 'O' as const, type: 'AN' as const, min: 1, max: 5 }));
    const dict: SegmentDictionary = {
      version: '004010',
      segments: { ST: dictionary.segments.ST!, SE: dictionary.segments.SE!, WID: { name: 'Wide', elements, rules: [{ type: 'P', elements: [32, 33] }] } },
    };
    const spec: TransactionSetSpec = {
      id: '903', name: 'Wide test', version: '004010', functionalGroup: 'ZZ',
      structure: [{ segment: 'ST', req: 'M', max: 1 }, { segment: 'WID', req: 'M', max: 1 }, { segment: 'SE', req: 'M', max: 1 }],
    };
    const wid = (v32: string, v33: string) => `WID${'*'.repeat(32)}${v32}*${v33}`;
    const run = (seg: string) => validateTransaction(buildTx([seg], { id: '903' }), spec, dict, context);
    expect(run(wid('A', 'B'))).toEqual([]);
    expect(run(wid('A', '')).map(ak4)).toEqual([{ code: 'X12_ELEMENT_CONDITIONAL_MISSING', ak4: '2', seg: '2 WID', at: [33, undefined, undefined], ref: '33', value: undefined }]);
  });
});
