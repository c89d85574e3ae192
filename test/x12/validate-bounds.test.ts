// The element boundaries the validator notes for the maps (src/x12/validate-bounds.ts):
// for every segment it scanned, the ends of its elements as Segment.elements splits them.
import { describe, expect, it } from 'vitest';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { lastValidated } from '../../src/x12/validate-bounds.js';
import { buildTx, dictionary, spec850, validBody } from './validate-fixtures.js';

/** The set with each segment's text, as the reader gives it. */
const withText = (tx: TransactionSet): TransactionSet => ({
  ...tx,
  segments: tx.segments.map((s) => ({ ...s, text: s.elements.join(s.delimiters.element) })),
});

/** The element ends noted for `seg`, read back as strings cut out of its text. */
function notedElements(seg: Segment): string[] | undefined {
  const k = lastValidated.find(seg);
  if (k < 0) return undefined;
  const out: string[] = [];
  let start = 0;
  for (let n = 0; n < lastValidated.count(k); n++) {
    const end = lastValidated.ends[lastValidated.start(k) + n]!;
    out.push(seg.text!.slice(start, end));
    start = end + 1;
  }
  return out;
}

describe('boundaries noted by the validator', () => {
  it('match Segment.elements for every segment of the set', () => {
    const [beg, ...rest] = validBody;
    const tx = withText(buildTx([beg!, 'REF*ZZ*1**', ...rest]));
    expect(validateTransaction(tx, spec850, dictionary, {})).toEqual([]);
    for (const seg of tx.segments) expect(notedElements(seg), seg.text).toEqual([...seg.elements]);
  });

  it('tell which segments hold nothing to trim', () => {
    const tx = withText(buildTx(['BEG*00*SA*PO-1**20240115', 'REF*DP*038', 'PER*BD*Jane Buyer', 'PO1*1*1*EA*1']));
    validateTransaction(tx, spec850, dictionary, {});
    const plain = tx.segments.map((s) => lastValidated.isPlain(lastValidated.find(s)));
    expect(plain).toEqual([true, true, true, false, true, true]);
  });

  it('are kept for the set validated last only', () => {
    const a = withText(buildTx(validBody));
    const b = withText(buildTx(validBody));
    validateTransaction(a, spec850, dictionary, {});
    expect(lastValidated.find(a.segments[2]!)).toBe(2);
    const generation = lastValidated.generation;
    validateTransaction(b, spec850, dictionary, {});
    expect(lastValidated.generation).not.toBe(generation);
    expect(lastValidated.find(a.segments[2]!)).toBe(-1);
    expect(lastValidated.find(b.segments[2]!)).toBe(2);
  });

  it('are not noted for segments without text, nor for segments the dictionary lacks', () => {
    const bare = buildTx(validBody);
    validateTransaction(bare, spec850, dictionary, {});
    expect(bare.segments.every((s) => lastValidated.find(s) === -1)).toBe(true);
    const odd = withText(buildTx(['BEG*00*SA*PO-1**20240115', 'ZZZ*1', 'PO1*1*1*EA*1']));
    validateTransaction(odd, spec850, dictionary, {});
    expect(lastValidated.find(odd.segments[2]!)).toBe(-1);
    expect(lastValidated.find(odd.segments[3]!)).toBe(3);
  });

  it('grow with a set larger than the buffers', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `PO1*${i + 1}*${i + 2}*EA*1.5**VN*SKU-${i}`);
    const tx = withText(buildTx(['BEG*00*SA*PO-1**20240115', ...lines]));
    validateTransaction(tx, spec850, dictionary, {});
    for (const i of [1, 2, 1500, 3001]) expect(notedElements(tx.segments[i]!)).toEqual([...tx.segments[i]!.elements]);
  });
});
