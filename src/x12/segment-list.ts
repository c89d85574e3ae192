// How the validator and the maps read the segments of a set: through a SegmentList, which is
// either the set's plain array or, for a large set, a compact table of where each segment sits
// in the read chunks.
//
// Why: a set is held whole until its SE is read, and a large one (a ship notice of 400,000
// segments) held as one object per segment costs ~60 bytes a segment of objects and array that
// the garbage collector copies twice and the process faults in fresh each time; most of the cost
// of reading it. Its chunks already hold every segment's text and numbers (SegmentSource): the
// table only notes a tag id per segment and, per run of consecutive segments of one chunk, the
// chunk and the first segment's number there. Segment objects are made when one is asked for,
// and die young.
//
// TransactionSet.segments stays what every other reader uses: for a set held compactly it is an
// accessor that builds the plain array on first use (and the set is then held as that array).
import type { Segment, TransactionSet } from './model.js';
import { TokenSegment, type SegmentSource } from './tokenizer.js';

/**
 * A set of this many segments and more is large: the reader holds it compactly, and maps keep one
 * string per repeated short value of its document. Small sets (nearly all) keep their plain array,
 * as compact for them and quicker to read.
 */
export const LARGE_SET = 4096;

/** Read access to the segments of one set, however they are held. */
export interface SegmentList {
  readonly length: number;
  /** Segment i (for a compact table, a new object at each call: compare with holds()). */
  at(i: number): Segment;
  tagAt(i: number): string;
  /** Whether `seg` is segment i (the same segment, not merely an equal one). */
  holds(i: number, seg: Segment): boolean;
  /**
   * Segment i for a reader that keeps no segment past the next call (the validator): for a compact
   * table, one object moved from segment to segment rather than a new one for each.
   */
  view(i: number): Segment;
}

/** A set's plain array as a SegmentList. */
class SegmentArray implements SegmentList {
  constructor(private readonly segments: readonly Segment[]) {}

  get length(): number {
    return this.segments.length;
  }

  at(i: number): Segment {
    return this.segments[i]!;
  }

  tagAt(i: number): string {
    return this.segments[i]!.tag;
  }

  holds(i: number, seg: Segment): boolean {
    return this.segments[i] === seg;
  }

  view(i: number): Segment {
    return this.segments[i]!;
  }
}

/**
 * The segments of a set as tag ids and runs: segments first .. of run r are segments k, k + 1, ..
 * of one SegmentSource (a read chunk, or a segment's own source).
 */
export class SegmentTable implements SegmentList {
  length = 0;
  private tagIds = new Uint16Array(1024);
  /** Tag by id (a set uses a few dozen; 2-3 letter-or-digit tags are fewer than 65536). */
  private readonly tags: string[] = [];
  private readonly idOf = new Map<string, number>();
  private readonly runFirst: number[] = [];
  private readonly runSource: SegmentSource[] = [];
  private readonly runK: number[] = [];
  /** The run segment lookups hit last: reading goes forward, so it is usually the right one. */
  private run = 0;
  /** The object view() moves from segment to segment (made at its first call). */
  private moving: TokenSegment | undefined;

  /** Notes `seg` as the next segment; false (nothing noted) when its tag would be the 65,536th distinct one. */
  add(seg: TokenSegment): boolean {
    return this.note(seg.tag, seg.src, seg.k);
  }

  /** Notes segment k of `src`, with `tag`, as the next segment (add without a segment object); false as for add. */
  note(tag: string, src: SegmentSource, k: number): boolean {
    let id = this.idOf.get(tag);
    if (id === undefined) {
      if (this.tags.length > 0xffff) return false;
      id = this.tags.length;
      this.tags.push(tag);
      this.idOf.set(tag, id);
    }
    const i = this.length++;
    if (i === this.tagIds.length) {
      const grown = new Uint16Array(2 * i);
      grown.set(this.tagIds);
      this.tagIds = grown;
    }
    this.tagIds[i] = id;
    const r = this.runFirst.length - 1;
    if (r < 0 || this.runSource[r] !== src || this.runK[r]! + (i - this.runFirst[r]!) !== k) {
      this.runFirst.push(i);
      this.runSource.push(src);
      this.runK.push(k);
    }
    return true;
  }

  tagAt(i: number): string {
    return this.tags[this.tagIds[i]!]!;
  }

  at(i: number): Segment {
    const r = this.runOf(i);
    return new TokenSegment(this.tagAt(i), this.runSource[r]!, this.runK[r]! + (i - this.runFirst[r]!));
  }

  view(i: number): Segment {
    const r = this.runOf(i);
    const k = this.runK[r]! + (i - this.runFirst[r]!);
    const moving = this.moving;
    return moving === undefined ? (this.moving = new TokenSegment(this.tagAt(i), this.runSource[r]!, k)) : moving.moveTo(this.tagAt(i), this.runSource[r]!, k);
  }

  holds(i: number, seg: Segment): boolean {
    // (The object view() moves is no segment of the set: it would be whichever it was moved to last.)
    if (!(seg instanceof TokenSegment) || seg === this.moving || i < 0 || i >= this.length) return false;
    const r = this.runOf(i);
    return seg.src === this.runSource[r] && seg.k === this.runK[r]! + (i - this.runFirst[r]!);
  }

  /** The run that holds segment i (0 <= i < length). */
  private runOf(i: number): number {
    const first = this.runFirst;
    let r = this.run;
    if (first[r]! <= i && (r + 1 === first.length || first[r + 1]! > i)) return r;
    if (r + 1 < first.length && first[r + 1]! <= i && (r + 2 === first.length || first[r + 2]! > i)) return (this.run = r + 1);
    let lo = 0;
    let hi = first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.run = lo);
  }
}

/** The tables of the sets held compactly (until their `segments` is asked for). */
const tables = new WeakMap<object, SegmentTable>();

/** The segments of `tx` for reading: its compact table, or its array. */
export function segmentsOf(tx: Pick<TransactionSet, 'segments'>): SegmentList {
  return tables.get(tx) ?? new SegmentArray(tx.segments);
}

/** The number of segments of `tx` (without building the array of a set held compactly). */
export function segmentCount(tx: Pick<TransactionSet, 'segments'>): number {
  return (tables.get(tx) ?? tx.segments).length;
}

/** The first segment of `tx` (its ST), or undefined for a set without segments; builds no array. */
export function firstSegment(tx: Pick<TransactionSet, 'segments'>): Segment | undefined {
  const list = segmentsOf(tx);
  return list.length > 0 ? list.at(0) : undefined;
}

/** The last segment read of `tx` (its SE when it has one), or undefined; builds no array. */
export function lastSegment(tx: Pick<TransactionSet, 'segments'>): Segment | undefined {
  const list = segmentsOf(tx);
  return list.length > 0 ? list.at(list.length - 1) : undefined;
}

/**
 * Adds the segments of a set as they are read: to its array, and once the set is large (`compactFrom`
 * segments, 2 or more), to a table that holds it compactly from then on.
 */
export class SetSegments {
  private table: SegmentTable | undefined;
  private readonly compactFrom: number;

  constructor(private readonly tx: TransactionSet, compactFrom = LARGE_SET) {
    this.compactFrom = Math.max(2, compactFrom);
  }

  /**
   * Notes segment k of `src` without a segment object when the set is held compactly by now (the
   * tokenizer then makes none: one object less per segment of a large set); false when it is not,
   * and the caller adds the segment itself.
   */
  note(tag: string, src: SegmentSource, k: number): boolean {
    const table = this.table;
    return table !== undefined && table.note(tag, src, k);
  }

  add(seg: Segment): void {
    const table = this.table;
    if (table !== undefined && seg instanceof TokenSegment && table.add(seg)) return;
    // (A segment a table cannot note, not cut by the tokenizer, turns the set back into an array.)
    this.table = undefined;
    const segments = this.tx.segments;
    segments.push(seg);
    if (segments.length === this.compactFrom) this.table = holdCompactly(this.tx);
  }
}

/**
 * Holds the segments of `tx` in a table from now on, when the table can note every one of them
 * (TokenSegments; anything else stays in the array); returns the table, or undefined.
 */
function holdCompactly(tx: TransactionSet): SegmentTable | undefined {
  const segments = tx.segments;
  const table = new SegmentTable();
  for (const seg of segments) if (!(seg instanceof TokenSegment) || !table.add(seg)) return undefined;
  tables.set(tx, table);
  Object.defineProperty(tx, 'segments', {
    configurable: true,
    enumerable: true,
    get(this: TransactionSet): Segment[] {
      return holdAsArray(this, Array.from({ length: table.length }, (_, i) => table.at(i)));
    },
    set(this: TransactionSet, value: Segment[]) {
      holdAsArray(this, value);
    },
  });
  return table;
}

/** Ends compact holding: `segments` becomes a plain property again, the array given. */
function holdAsArray(tx: TransactionSet, segments: Segment[]): Segment[] {
  tables.delete(tx);
  Object.defineProperty(tx, 'segments', { configurable: true, enumerable: true, writable: true, value: segments });
  return segments;
}
