// The element boundaries validation found in the segment texts of the set it checked
// last. Validation scans every character of every segment; a map often reads the same set
// right after (examineTransaction), and scanning each segment again for its element
// separators would be most of what reading its values costs. So the validator notes the
// boundaries in a SetBounds it owns (Validator.bounds), and whoever validates then maps
// hands that object to the map (src/maps/shared/values.ts looks there first).
// One set at a time, in buffers reused from set to set: nothing is allocated per set.
// Buffers grown for a huge set shrink again after it. The set last validated stays referenced
// until the next one is validated (its memory was in use a moment before anyway).
import type { Segment, TransactionSet } from './model.js';

const MIN_SEGMENTS = 256;
const MIN_ENDS = 4096;

export class SetBounds {
  /** The segments of the set last validated (the array itself: a new array is another set). */
  private segments: readonly Segment[] | undefined;
  /** Segment.index of segments[0], so a segment's position is one subtraction away. */
  private firstIndex = 0;
  /** at[k]: where segment k's boundaries start in `ends`; -1 when the validator did not scan its text. */
  private at = new Int32Array(MIN_SEGMENTS);
  /** Number of elements of segment k, the tag included (Segment.elements.length). */
  private counts = new Int32Array(MIN_SEGMENTS);
  /** 1 when the elements (the tag aside) of segment k hold only characters U+0021..U+007E: nothing to trim. */
  private plain = new Uint8Array(MIN_SEGMENTS);
  /** ends[at[k] + n]: index in segment k's text of the separator after element n (the text's length after the last). */
  ends = new Int32Array(MIN_ENDS);
  private used = 0;
  /** The number of segments the set had when it was validated. */
  private size = 0;

  /** Counts the sets begun: boundaries read from `ends` are valid while it stays the same. */
  generation = 0;

  /** Starts noting the boundaries of `tx` (every segment unscanned until noted). */
  begin(tx: TransactionSet): void {
    this.generation++;
    const n = tx.segments.length;
    if (n > this.at.length || this.at.length > Math.max(4 * n, MIN_SEGMENTS)) {
      const size = Math.max(n, MIN_SEGMENTS, Math.min(this.at.length * 2, 4 * n));
      this.at = new Int32Array(size);
      this.counts = new Int32Array(size);
      this.plain = new Uint8Array(size);
    }
    // ~16 elements a segment is generous: beyond 4 times that, the buffer was grown for a bigger set.
    if (this.ends.length > Math.max(64 * n, MIN_ENDS)) this.ends = new Int32Array(Math.max(16 * n, MIN_ENDS));
    this.at.fill(-1, 0, n);
    this.segments = tx.segments;
    this.firstIndex = tx.segments[0]?.index ?? 0;
    this.used = 0;
    this.size = n;
  }

  /**
   * Notes segment k: `count` elements (the tag included), the tag ending at `tagEnd`,
   * element n (1 <= n < count) ending at elementEnds[n], and whether its elements are plain.
   * The positions given are `origin` more than in the segment's text (they index its source).
   */
  note(k: number, tagEnd: number, elementEnds: Int32Array, count: number, plain: boolean, origin = 0): void {
    if (this.used + count > this.ends.length) {
      const bigger = new Int32Array(Math.max(this.used + count, this.ends.length * 2));
      bigger.set(this.ends.subarray(0, this.used));
      this.ends = bigger;
    }
    const ends = this.ends;
    const base = this.used;
    ends[base] = tagEnd - origin;
    for (let n = 1; n < count; n++) ends[base + n] = elementEnds[n]! - origin;
    this.at[k] = base;
    this.counts[k] = count;
    this.plain[k] = plain ? 1 : 0;
    this.used = base + count;
  }

  /** The position of `seg` in the set validated last when its text was scanned there, else -1. */
  find(seg: Segment): number {
    const segs = this.segments;
    if (segs === undefined) return -1;
    const k = seg.index - this.firstIndex;
    if (k < 0 || k >= this.size || segs[k] !== seg) return -1;
    return this.at[k]! < 0 ? -1 : k;
  }

  /** Where the boundaries of found segment k start in `ends`. */
  start(k: number): number {
    return this.at[k]!;
  }

  /** The element count of found segment k, the tag included. */
  count(k: number): number {
    return this.counts[k]!;
  }

  /** Whether the elements of found segment k (the tag aside) hold no blank or other character to trim. */
  isPlain(k: number): boolean {
    return this.plain[k] === 1;
  }
}
