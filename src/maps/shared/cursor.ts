// A forward-only reader over the segments of one transaction set, so maps read
// loops by tag ("take every REF here") instead of doing index arithmetic.
// The tag tests loop over the tags given rather than spreading them into new arrays:
// maps call them for every segment.
// Segments are taken from a SegmentList (the set's array, or its compact table, which makes
// each segment when it is read): tag tests read the tag alone.
import type { Segment, TransactionSet } from '../../x12/model.js';
import { segmentsOf, type SegmentList } from '../../x12/segment-list.js';

export class SegmentCursor {
  private i: number;
  private readonly end: number;

  /** Reads segments start .. end - 1 of `segments`. */
  constructor(private readonly segments: SegmentList, start = 0, end = segments.length) {
    this.i = start;
    this.end = end;
  }

  /** The segments between ST and SE (either may be missing in a damaged set). */
  static body(tx: TransactionSet): SegmentCursor {
    const segs = segmentsOf(tx);
    const n = segs.length;
    const start = n > 0 && segs.tagAt(0) === 'ST' ? 1 : 0;
    const end = n > start && segs.tagAt(n - 1) === 'SE' ? n - 1 : n;
    return new SegmentCursor(segs, start, end);
  }

  /** The index (in the segments given) of the next segment. */
  get index(): number {
    return this.i;
  }

  get done(): boolean {
    return this.i >= this.end;
  }

  peek(): Segment | undefined {
    return this.i < this.end ? this.segments.at(this.i) : undefined;
  }

  peekTag(): string | undefined {
    return this.i < this.end ? this.segments.tagAt(this.i) : undefined;
  }

  /** True when the next segment has one of the tags. */
  at(...tags: string[]): boolean {
    return this.atAny(tags);
  }

  /** True when the next segment has one of the tags in `tags`. */
  atAny(tags: readonly string[]): boolean {
    if (this.i >= this.end) return false;
    const t = this.segments.tagAt(this.i);
    for (let k = 0; k < tags.length; k++) if (tags[k] === t) return true;
    return false;
  }

  next(): Segment | undefined {
    return this.i < this.end ? this.segments.at(this.i++) : undefined;
  }

  /** Moves past the next segment without reading it (a compact set makes no segment for it). */
  skip(): void {
    if (this.i < this.end) this.i++;
  }

  /** The next segment if it has one of the tags, else undefined (and nothing is consumed). */
  take(...tags: string[]): Segment | undefined {
    return this.atAny(tags) ? this.segments.at(this.i++) : undefined;
  }

  /** The next segment if it has the tag, else undefined (and nothing is consumed). */
  takeTag(tag: string): Segment | undefined {
    return this.i < this.end && this.segments.tagAt(this.i) === tag ? this.segments.at(this.i++) : undefined;
  }

  /** Every following segment whose tag is one of `tags`. */
  takeWhile(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (this.atAny(tags)) out.push(this.segments.at(this.i++));
    return out;
  }

  /** Every following segment up to (not including) the first with one of `tags`. */
  takeUntil(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (this.i < this.end && !this.atAny(tags)) out.push(this.segments.at(this.i++));
    return out;
  }
}
