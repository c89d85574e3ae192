// A forward-only reader over the segments of one transaction set, so maps read
// loops by tag ("take every REF here") instead of doing index arithmetic.
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

  get done(): boolean {
    return this.i >= this.end;
  }

  peek(): Segment | undefined {
    return this.i < this.end ? this.segments[this.i] : undefined;
  }

  peekTag(): string | undefined {
    return this.peek()?.tag;
  }

  /** True when the next segment has one of the tags. */
  at(...tags: string[]): boolean {
    const t = this.peekTag();
    return t !== undefined && tags.includes(t);
  }

  next(): Segment | undefined {
    const s = this.peek();
    if (s) this.i++;
    return s;
  }

  /** The next segment if it has one of the tags, else undefined (and nothing is consumed). */
  take(...tags: string[]): Segment | undefined {
    return this.at(...tags) ? this.next() : undefined;
  }

  /** Every following segment whose tag is one of `tags`. */
  takeWhile(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (this.at(...tags)) out.push(this.next()!);
    return out;
  }

  /** Every following segment up to (not including) the first with one of `tags`. */
  takeUntil(...tags: string[]): Segment[] {
    const out: Segment[] = [];
    while (!this.done && !this.at(...tags)) out.push(this.next()!);
    return out;
  }
}
