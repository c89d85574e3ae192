// A forward-only reader over the segments of one transaction set, so maps read
// loops by tag ("take every REF here") instead of doing index arithmetic.
// The tag tests loop over the tags given rather than spreading them into new arrays:
// maps call them for every segment.
import type { Segment, TransactionSet } from '../../x12/model.js';

export class SegmentCursor {
  private i: number;
  private readonly end: number;

  /** Reads `segments[start, end)`. */
  constructor(private readonly segments: readonly Segment[], start = 0, end = segments.length) {
    this.i = start;
    this.end = end;
  }

  /** The segments between ST and SE (either may be missing in a damaged set). */
  static body(tx: TransactionSet): SegmentCursor {
    const segs = tx.segments;
    const start = segs[0]?.tag === 'ST' ? 1 : 0;
    const end = segs.length > start && segs[segs.length - 1]?.tag === 'SE' ? segs.length - 1 : segs.length;
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
    return this.i < this.end ? this.segments[this.i] : undefined;
  }

  peekTag(): string | undefined {
    return this.i < this.end ? this.segments[this.i]!.tag : undefined;
  }

  /** True when the next segment has one of the tags. */
  at(...tags: string[]): boolean {
    return this.atAny(tags);
  }

  /** True when the next segment has one of the tags in `tags`. */
  atAny(tags: readonly string[]): boolean {
    if (this.i >= this.end) return false;
    const t = this.segments[this.i]!.tag;
    for (let k = 0; k < tags.length; k++) if (tags[k] === t) return true;
    return false;
  }

  next(): Segment | undefined {
    return this.i < this.end ? this.segments[this.i++] : undefined;
  }

  /** The next segment if it has one of the tags, else undefined (and nothing is consumed). */
  take(...tags: string[]): Segment | undefined {
    return this.atAny(tags) ? this.segments[this.i++] : undefined;
  }

  /** The next segment if it has the tag, else undefined (and nothing is consumed). */
  takeTag(tag: string): Segment | undefined {
    return this.i < this.end && this.segments[this.i]!.tag === tag ? this.segments[this.i++] : undefined;
  }

  /** Every following segment whose tag is one of `tags`. */
  takeWhile(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (this.atAny(tags)) out.push(this.segments[this.i++]!);
    return out;
  }

  /** Every following segment up to (not including) the first with one of `tags`. */
  takeUntil(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (this.i < this.end && !this.atAny(tags)) out.push(this.segments[this.i++]!);
    return out;
  }
}
