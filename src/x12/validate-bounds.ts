// The element boundaries validation found in the segment texts of the set it checked
// last. Validation scans every character of every segment; a map often reads the same set
// right after (examineTransaction), and scanning each segment again for its element
// separators would be most of what reading its values costs. So the validator notes the
// boundaries in a SetBounds it owns (Validator.bounds), and whoever validates then maps
// hands that object to the map (src/maps/shared/values.ts looks there first).
// One set at a time, in buffers reused from set to set: nothing is allocated per set.
// Buffers grown for a huge set shrink again after it. The set last validated stays referenced
// until the next one is validated (its memory was in use a moment before anyway).
// The element ends go into fixed-size blocks added as a set needs them, not one array grown by
// doubling: a large set (a ship notice of 400,000 segments) would copy its ends at every
// doubling, and every copy is fresh memory the process must fault in.
import type { Segment } from './model.js';
import type { SegmentList } from './segment-list.js';

const MIN_SEGMENTS = 256;
/** Entries per block of element ends (64 KB); a segment's entries never straddle two blocks. */
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;
/**
 * Segments of more elements than this (none in the standard) are left unnoted, their readers scan
 * them: a count fits a byte, and the arrays per segment of a large set are that much smaller.
 */
const MAX_ELEMENTS = 255;
/** Blocks kept for the next set: those of a huge set beyond these are let go. */
const KEPT_BLOCKS = 4;

export class SetBounds {
  /** The segments of the set last validated (a segment is found there by identity, see SegmentList.holds). */
  private segments: SegmentList | undefined;
  /** Segment.index of segments[0], so a segment's position is one subtraction away. */
  private firstIndex = 0;
  /** at[k]: where segment k's boundaries start (block at[k] >> BLOCK_BITS, then the offset in it); -1 when not noted. */
  private at = new Int32Array(MIN_SEGMENTS);
  /** Number of elements of segment k, the tag included (Segment.elements.length). */
  private counts = new Uint8Array(MIN_SEGMENTS);
  /** 1 when the elements (the tag aside) of segment k hold only characters U+0021..U+007E: nothing to trim. */
  private plain = new Uint8Array(MIN_SEGMENTS);
  /** Block b holds entries b * BLOCK ..: endsOf(k)[start(k) + n] is the index in segment k's text of the separator after element n (the text's length after the last). */
  private blocks: Int32Array[] = [];
  /** Entries noted so far in this set (the next one goes there, or at the next block's start). */
  private used = 0;
  /** The number of segments the set had when it was validated. */
  private size = 0;

  /** Counts the sets begun: boundaries read from the blocks are valid while it stays the same. */
  generation = 0;

  /** Starts noting the boundaries of the set of `segments` (every segment unscanned until noted). */
  begin(segments: SegmentList): void {
    this.generation++;
    const n = segments.length;
    if (n > this.at.length || this.at.length > Math.max(4 * n, MIN_SEGMENTS)) {
      const size = Math.max(n, MIN_SEGMENTS, Math.min(this.at.length * 2, 4 * n));
      this.at = new Int32Array(size);
      this.counts = new Uint8Array(size);
      this.plain = new Uint8Array(size);
    }
    if (this.blocks.length > KEPT_BLOCKS) this.blocks.length = KEPT_BLOCKS;
    this.at.fill(-1, 0, n);
    this.segments = segments;
    this.firstIndex = n > 0 ? segments.at(0).index : 0;
    this.used = 0;
    this.size = n;
  }

  /**
   * Notes segment k: `count` elements (the tag included), the tag ending at `tagEnd`,
   * element n (1 <= n < count) ending at elementEnds[n], and whether its elements are plain.
   * The positions given are `origin` more than in the segment's text (they index its source).
   */
  note(k: number, tagEnd: number, elementEnds: Int32Array, count: number, plain: boolean, origin = 0): void {
    if (count > MAX_ELEMENTS) return;
    let at = this.used;
    if ((at & BLOCK_MASK) + count > BLOCK) at = (at | BLOCK_MASK) + 1;
    const b = at >>> BLOCK_BITS;
    const ends = this.blocks[b] ?? (this.blocks[b] = new Int32Array(BLOCK));
    const base = at & BLOCK_MASK;
    ends[base] = tagEnd - origin;
    for (let n = 1; n < count; n++) ends[base + n] = elementEnds[n]! - origin;
    this.at[k] = at;
    this.counts[k] = count;
    this.plain[k] = plain ? 1 : 0;
    this.used = at + count;
  }

  /** The position of `seg` in the set validated last when its text was scanned there, else -1. */
  find(seg: Segment): number {
    const segs = this.segments;
    if (segs === undefined) return -1;
    const k = seg.index - this.firstIndex;
    if (k < 0 || k >= this.size || !segs.holds(k, seg)) return -1;
    return this.at[k]! < 0 ? -1 : k;
  }

  /** The block that holds the boundaries of found segment k. */
  endsOf(k: number): Int32Array {
    return this.blocks[this.at[k]! >>> BLOCK_BITS]!;
  }

  /** Where the boundaries of found segment k start in endsOf(k). */
  start(k: number): number {
    return this.at[k]! & BLOCK_MASK;
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
