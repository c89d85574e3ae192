// The numbers a person searches a document by, read from its raw heading segments rather than
// from its canonical document: a set that fails validation or mapping has none, yet operations
// staff find it by the PO number the partner quotes (docs/operations.md#finding-a-document).
// Pure; tolerant of anything (a missing or empty element gives no number, never a finding).
import type { Segment, TransactionSet } from '../x12/model.js';
import { segmentsOf, type SegmentList } from '../x12/segment-list.js';

export interface HeadingNumbers {
  /** The document's own number: 850 BEG03, 855 BAK03, 856 BSN02, 810 BIG02. */
  number?: string;
  /** The purchase order it belongs to: 850 BEG03, 855 BAK03, 856 the first PRF01, 810 BIG04. */
  poNumber?: string;
}

/** Where each set keeps its numbers: the heading segment and element of each. */
const HEADINGS: Readonly<Record<string, { tag: string; number: number; po?: number }>> = {
  '850': { tag: 'BEG', number: 3, po: 3 },
  '855': { tag: 'BAK', number: 3, po: 3 },
  '856': { tag: 'BSN', number: 2 },
  '810': { tag: 'BIG', number: 2, po: 4 },
};

/** Segments looked at for the heading (it follows ST at once; a few more tolerate a stray one). */
const HEADING_WINDOW = 4;

export function headingNumbers(tx: Pick<TransactionSet, 'id' | 'segments'>): HeadingNumbers {
  const where = HEADINGS[tx.id];
  if (!where) return {};
  const segs = segmentsOf(tx);
  const heading = findTag(segs, where.tag, Math.min(HEADING_WINDOW, segs.length));
  const out: HeadingNumbers = {};
  const number = heading && elementOf(heading, where.number);
  if (number) out.number = number;
  const po = where.po !== undefined ? heading && elementOf(heading, where.po) : firstPrf(segs);
  if (po) out.poNumber = po;
  return out;
}

/** The 856's first PRF01 (its orders' PO numbers; the first stands for the notice). */
function firstPrf(segs: SegmentList): string | undefined {
  const prf = findTag(segs, 'PRF', segs.length);
  return prf && elementOf(prf, 1);
}

/** The first of segments 0 .. end - 1 with `tag`. */
function findTag(segs: SegmentList, tag: string, end: number): Segment | undefined {
  for (let i = 0; i < end; i++) if (segs.tagAt(i) === tag) return segs.at(i);
  return undefined;
}

function elementOf(seg: Segment, position: number): string | undefined {
  const v = seg.elements[position]?.trim();
  return v ? v : undefined;
}
