// Element access in the maps (ElementReader, src/maps/shared/values.ts) reads values straight
// out of the segment text, with element boundaries from the validator's scan when it is handed
// the Validator's bounds for the set it just validated (src/x12/validate-bounds.ts), else from
// its own scan. Whichever way a value is found, it must be the value Segment.elements (the text
// split) gives.
import { describe, expect, it, vi } from 'vitest';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import { readX12 } from '../../src/x12/reader.js';
import { getSegmentDictionary, getTransactionSetSpec } from '../../src/x12/specs.js';
import { Validator } from '../../src/x12/validate.js';
import { read850 } from '../../src/maps/850-purchase-order.js';
import { examineTransaction } from '../../src/inbound/examine.js';
import { ElementReader, parseDecimal, parseImplied, roundDecimal } from '../../src/maps/shared/values.js';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
const GS = 'GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~';

/** Reads sets from X12 text (the reader keeps each segment's text). */
function read(...bodies: string[][]) {
  const sets = bodies.map((body, i) => {
    const n = String(i + 1).padStart(4, '0');
    return [`ST*850*${n}`, ...body, `SE*${body.length + 2}*${n}`].join('~\n');
  });
  const text = `${ISA}\n${GS}\n${sets.join('~\n')}~\nGE*${bodies.length}*1~\nIEA*1*000000001~\n`;
  const ic = readX12(text).interchanges[0]!;
  expect(ic.groups[0]!.transactions).toHaveLength(bodies.length);
  return ic;
}

const setsOf = (...bodies: string[][]): TransactionSet[] => read(...bodies).groups[0]!.transactions;

const spec = getTransactionSetSpec('004010', '850')!;
const dictionary = getSegmentDictionary('004010');
const validate = (validator: Validator, tx: TransactionSet) => validator.validate(tx, spec, dictionary, {});

/** What element access must give: Segment.elements, trimmed, blank as undefined. */
function expected(seg: Segment, position: number): string | undefined {
  const raw = seg.elements[position];
  if (raw === undefined) return undefined;
  const v = raw.trim();
  return v === '' ? undefined : v;
}

/** Checks every position (and a few past the end) of every segment of the set. */
function expectSameAsSplit(reader: ElementReader, tx: TransactionSet): void {
  for (const seg of tx.segments) {
    expect(reader.count(seg), seg.text).toBe(seg.elements.length);
    for (let p = 0; p < seg.elements.length + 3; p++) {
      const want = expected(seg, p);
      expect(reader.value(seg, p), `${seg.text} @${p}`).toBe(want);
      const number = want === undefined ? undefined : (parseDecimal(want) ?? Number.NaN);
      if (p > 0) expect(reader.decimal(seg, p), `${seg.text} @${p}`).toBe(number);
      const implied = want === undefined ? undefined : (parseImplied(want, 2) ?? Number.NaN);
      if (p > 0) expect(reader.implied(seg, p, 2), `${seg.text} @${p}`).toBe(implied);
    }
  }
}

const body = [
  'BEG*00*SA*PO-1**20240101',
  'REF*DP* 038 ',
  'PER*BD*JANE BUYER*TE*5550100',
  'N1*ST*STORE 1*UL*0614141000012',
  'PO1*1*12*EA*2.25*PE*UP*012345678901*VN*SKU-1',
  'PID*F*08***BLUE WIDGET, LARGE',
  'PO4*12*1*EA',
  'SAC*C*D240***150',
  'PO1*2*-3.5*EA*.75**BP*B1-2',
  'CTT*2*8.5',
];

describe('element access from the segment text', () => {
  it('gives what Segment.elements gives, without the validator', () => {
    const [tx] = setsOf(body);
    expectSameAsSplit(new ElementReader(), tx!);
  });

  it('gives the same from the boundaries the validator noted', () => {
    const [tx] = setsOf(body);
    const validator = new Validator();
    expect(validate(validator, tx!)).toEqual([]);
    for (const seg of tx!.segments) expect(validator.bounds.find(seg), seg.text).toBeGreaterThanOrEqual(0);
    expectSameAsSplit(new ElementReader(validator.bounds), tx!);
  });

  it('stays right for a set read after its validator went on to another set', () => {
    // b has a's shape with other lengths, so its boundaries overwrite a's in the reused buffers.
    const [a, b] = setsOf(body, body.map((s) => s.replace(/\*/g, '**').replace(/^(\w+)\*\*/, '$1*')));
    const validator = new Validator();
    validate(validator, a!);
    const reader = new ElementReader(validator.bounds);
    const po1 = a!.segments[5]!;
    expect(reader.value(po1, 2)).toBe('12');
    // Validating b reuses the buffers a's boundaries were noted in.
    validate(validator, b!);
    expect(validator.bounds.find(po1)).toBe(-1);
    expect(reader.value(po1, 2)).toBe('12');
    expect(reader.decimal(po1, 4)).toBe(2.25);
    expectSameAsSplit(reader, a!);
    expectSameAsSplit(new ElementReader(validator.bounds), b!);
  });

  it('trims blanks and reads composites as before', () => {
    const [tx] = setsOf(['BEG*00*SA* PO-1 **20240101', 'REF*ZZ*\u00a012\u00a0**A1>B2>>D4', 'PO1*1* 12 *EA', 'CTT*1']);
    const validator = new Validator();
    validate(validator, tx!);
    const reader = new ElementReader(validator.bounds);
    const [, beg, ref, po1] = tx!.segments;
    expect(reader.value(beg!, 3)).toBe('PO-1');
    expect(reader.value(ref!, 2)).toBe('12');
    expect(reader.value(ref!, 3)).toBeUndefined();
    expect(reader.component(ref!, 4, 2)).toBe('B2');
    expect(reader.component(ref!, 4, 3)).toBeUndefined();
    expect(reader.component(ref!, 4, 4)).toBe('D4');
    expect(reader.decimal(po1!, 2)).toBe(12);
  });

  it('reads segments that carry no text from their elements', () => {
    const [tx] = setsOf(body);
    const bare = tx!.segments.map((s): Segment => ({
      tag: s.tag, elements: [...s.elements], offset: s.offset, line: s.line, index: s.index, delimiters: s.delimiters,
    }));
    const validator = new Validator();
    validate(validator, tx!);
    expectSameAsSplit(new ElementReader(validator.bounds), { ...tx!, segments: bare });
  });

  it('maps a validated set exactly as an unvalidated one', () => {
    const [a, b] = setsOf(body, body);
    const before = read850(a!);
    const validator = new Validator();
    expect(validate(validator, b!)).toEqual([]);
    const after = read850(b!, {}, validator.bounds);
    expect(after.document).toEqual({ ...before.document });
    expect(after.findings.map((f) => f.message)).toEqual(before.findings.map((f) => f.message));
  });

  it('examineTransaction hands the map the boundaries of the validator it validated with', () => {
    const ic = read(body);
    const group = ic.groups[0]!;
    const tx = group.transactions[0]!;
    const validator = new Validator();
    const find = vi.spyOn(validator.bounds, 'find');
    const examined = examineTransaction(tx, group, ic, { validator });
    expect(examined.document).toMatchObject({ poNumber: 'PO-1' });
    // The map looked its segments up in these bounds (and found them: it read no segment by scanning).
    expect(find).toHaveBeenCalled();
    expect(find.mock.results.every((r) => r.type === 'return' && (r.value as number) >= 0)).toBe(true);
  });
});

describe('number readers', () => {
  it('read R values as Number does, long ones included', () => {
    for (const text of ['0', '-0', '007', '.5', '-.5', '10.', '2.25', '123456789012345', '1234567890123456.5', '0.000000000000001']) {
      expect(Object.is(parseDecimal(text), Number(text)), text).toBe(true);
    }
    expect(parseDecimal('9'.repeat(400))).toBeUndefined();
  });

  it('round as the toPrecision(15) formula does, integers included', () => {
    const reference = (n: number, d: number) => {
      const r = Math.round(Number((Math.abs(n) * 10 ** d).toPrecision(15))) / 10 ** d;
      return n < 0 && r !== 0 ? -r : r;
    };
    for (const n of [228, -3, 0, 1.005, 2.675, 999999999.5, 123456789012345, 1e15 + 2, -0.001, 0.1 + 0.2]) {
      for (const d of [0, 2, 6]) expect(roundDecimal(n, d), `${n} at ${d}`).toBe(reference(n, d));
    }
  });

  it('read Nn values as before, -0 included', () => {
    expect(Object.is(parseImplied('-0', 0), -0)).toBe(true);
    expect(Object.is(parseImplied('-0', 2), 0)).toBe(true);
    expect(parseImplied('12345678901234567', 2)).toBe(123456789012345.67);
    expect(parseImplied('12345678901234567', 0)).toBe(12345678901234567);
    expect(parseImplied('1-2', 2)).toBeUndefined();
  });
});
