// The element boundaries a Validator notes for the maps (src/x12/validate-bounds.ts), in
// the SetBounds it owns: for every segment it scanned, the ends of its elements as
// Segment.elements splits them.
import { describe, expect, it } from 'vitest';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import { Validator } from '../../src/x12/validate.js';
import type { SetBounds } from '../../src/x12/validate-bounds.js';
import { buildTx, dictionary, spec850, validBody } from './validate-fixtures.js';

/** The set with each segment's text, as the reader gives it. */
const withText = (tx: TransactionSet): TransactionSet => ({
  ...tx,
  segments: tx.segments.map((s) => ({ ...s, text: s.elements.join(s.delimiters.element) })),
});

/** The element ends noted in `bounds` for `seg`, read back as strings cut out of its text. */
function notedElements(bounds: SetBounds, seg: Segment): string[] | undefined {
  const k = bounds.find(seg);
  if (k < 0) return undefined;
  const out: string[] = [];
  let start = 0;
  for (let n = 0; n < bounds.count(k); n++) {
    const end = bounds.endsOf(k)[bounds.start(k) + n]!;
    out.push(seg.text!.slice(start, end));
    start = end + 1;
  }
  return out;
}

describe('boundaries noted by the validator', () => {
  it('match Segment.elements for every segment of the set', () => {
    const [beg, ...rest] = validBody;
    const tx = withText(buildTx([beg!, 'REF*ZZ*1**', ...rest]));
    const validator = new Validator();
    expect(validator.validate(tx, spec850, dictionary, {})).toEqual([]);
    for (const seg of tx.segments) expect(notedElements(validator.bounds, seg), seg.text).toEqual([...seg.elements]);
  });

  it('tell which segments hold nothing to trim', () => {
    const tx = withText(buildTx(['BEG*00*SA*PO-1**20240115', 'REF*DP*038', 'PER*BD*Jane Buyer', 'PO1*1*1*EA*1']));
    const { bounds } = validate(tx);
    const plain = tx.segments.map((s) => bounds.isPlain(bounds.find(s)));
    expect(plain).toEqual([true, true, true, false, true, true]);
  });

  it('are kept for the set validated last only', () => {
    const a = withText(buildTx(validBody));
    const b = withText(buildTx(validBody));
    const validator = new Validator();
    const { bounds } = validator;
    validator.validate(a, spec850, dictionary, {});
    expect(bounds.find(a.segments[2]!)).toBe(2);
    const generation = bounds.generation;
    validator.validate(b, spec850, dictionary, {});
    expect(bounds.generation).not.toBe(generation);
    expect(bounds.find(a.segments[2]!)).toBe(-1);
    expect(bounds.find(b.segments[2]!)).toBe(2);
  });

  it('belong to their validator: validating with another one leaves them as they were', () => {
    const a = withText(buildTx(validBody));
    const b = withText(buildTx(['BEG*00*SA*PO-2**20240116', 'PO1*1*1*EA*1']));
    const first = validate(a);
    const second = validate(b);
    expect(first.bounds).not.toBe(second.bounds);
    expect(first.bounds.find(a.segments[2]!)).toBe(2);
    expect(first.bounds.find(b.segments[1]!)).toBe(-1);
    expect(notedElements(first.bounds, a.segments[1]!)).toEqual([...a.segments[1]!.elements]);
    expect(notedElements(second.bounds, b.segments[1]!)).toEqual(['BEG', '00', 'SA', 'PO-2', '', '20240116']);
  });

  it('are not noted for segments without text, nor for segments the dictionary lacks', () => {
    const bare = buildTx(validBody);
    const { bounds } = validate(bare);
    expect(bare.segments.every((s) => bounds.find(s) === -1)).toBe(true);
    const odd = withText(buildTx(['BEG*00*SA*PO-1**20240115', 'ZZZ*1', 'PO1*1*1*EA*1']));
    const noted = validate(odd).bounds;
    expect(noted.find(odd.segments[2]!)).toBe(-1);
    expect(noted.find(odd.segments[3]!)).toBe(3);
  });

  it('grow with a set larger than the buffers (its ends span several blocks)', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `PO1*${i + 1}*${i + 2}*EA*1.5**VN*SKU-${i}`);
    const tx = withText(buildTx(['BEG*00*SA*PO-1**20240115', ...lines]));
    const { bounds } = validate(tx);
    // 3000 PO1 of 9 entries each: more than one block of 16384 entries.
    for (const seg of tx.segments) expect(notedElements(bounds, seg)).toEqual([...seg.elements]);
  });

  it('are not noted for a segment of more than 255 elements: its values are read the same without them', () => {
    const long = `PO1*1*1*EA*1${'*'.repeat(300)}`;
    const tx = withText(buildTx(['BEG*00*SA*PO-1**20240115', long, 'PO1*2*1*EA*1']));
    const { bounds } = validate(tx);
    expect(tx.segments[2]!.elements.length).toBe(305);
    expect(bounds.find(tx.segments[2]!)).toBe(-1);
    expect(notedElements(bounds, tx.segments[3]!)).toEqual([...tx.segments[3]!.elements]);
  });

  it('serve a small set after a large one with the blocks kept', () => {
    const validator = new Validator();
    const lines = Array.from({ length: 3000 }, (_, i) => `PO1*${i + 1}*${i + 2}*EA*1.5**VN*SKU-${i}`);
    validator.validate(withText(buildTx(['BEG*00*SA*PO-1**20240115', ...lines])), spec850, dictionary, {});
    const small = withText(buildTx(validBody));
    validator.validate(small, spec850, dictionary, {});
    for (const seg of small.segments) expect(notedElements(validator.bounds, seg)).toEqual([...seg.elements]);
  });
});

/** Validates `tx` with a Validator of its own and gives that Validator back. */
function validate(tx: TransactionSet): Validator {
  const validator = new Validator();
  validator.validate(tx, spec850, dictionary, {});
  return validator;
}
