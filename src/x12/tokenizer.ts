// A streaming X12 tokenizer: feed it byte chunks of any size, it emits segments with
// their byte offset and line, re-detecting delimiters at every ISA. It never opens
// files; memory is one chunk plus the partial segment carried over.
//
// Bytes are decoded as latin1 so that string indexes are byte offsets; a segment that
// holds bytes >= 0x80 is re-decoded as UTF-8 when it is valid UTF-8.
import { isAscii } from 'node:buffer';
import type { Delimiters, Segment } from './model.js';
import { detectIsa, type IsaProblem } from './isa-detect.js';
import type { X12Code } from '../errors/codes/x12.js';

/**
 * What the segments cut from one read chunk share: the chunk's decoded text, its bytes, where it
 * sits in the file, the interchange's delimiters, and each segment's numbers (where its text
 * starts and ends, its line and index) in one typed array. A segment is then a tag, this source
 * and its number here: a large set holds hundreds of thousands of segments, all alive until the
 * set is done, and the garbage collector copies every byte of them (twice) as they age, which was
 * most of the cost of reading a large 856. The typed array's memory is not on the heap it copies.
 */
export class SegmentSource {
  /** Per segment k: start, end, line, index at 4k .. 4k + 3. */
  private numbers: Int32Array;
  private count = 0;
  /** The elements of segment splitOf (see elements()). */
  private split: readonly string[] = [];
  private splitOf = -1;

  constructor(
    readonly text: string,
    /** The bytes `text` was decoded from (latin1: byte i is character i), when the tokenizer has them. */
    readonly bytes: Uint8Array | null,
    /** File offset of text[0]. */
    readonly base: number,
    readonly delimiters: Delimiters,
    /** How many segments to make room for at first. */
    capacity: number,
  ) {
    this.numbers = new Int32Array(4 * capacity);
  }

  /** Notes a segment text[start, end) at `line` with `index`; returns its number k. */
  add(start: number, end: number, line: number, index: number): number {
    const k = this.count++;
    let n = this.numbers;
    if (4 * k + 4 > n.length) {
      const grown = new Int32Array(2 * n.length);
      grown.set(n);
      this.numbers = n = grown;
    }
    n[4 * k] = start;
    n[4 * k + 1] = end;
    n[4 * k + 2] = line;
    n[4 * k + 3] = index;
    return k;
  }

  /**
   * The elements of segment k. Few segments are asked (envelope segments,
   * acknowledgments), each a few times in a row: the last split is kept here, not in every segment.
   */
  elements(k: number): readonly string[] {
    if (this.splitOf !== k) {
      this.split = this.textOf(k).split(this.delimiters.element);
      this.splitOf = k;
    }
    return this.split;
  }

  /** The text of segment k. */
  textOf(k: number): string {
    const start = this.start(k);
    const end = this.end(k);
    return start === 0 && end === this.text.length ? this.text : this.text.substring(start, end);
  }

  /** Drops the room no segment took (the source lives as long as its segments). */
  fit(): void {
    if (this.numbers.length > 4 * this.count) this.numbers = this.numbers.slice(0, 4 * this.count);
  }

  start(k: number): number {
    return this.numbers[4 * k]!;
  }

  end(k: number): number {
    return this.numbers[4 * k + 1]!;
  }

  line(k: number): number {
    return this.numbers[4 * k + 2]!;
  }

  index(k: number): number {
    return this.numbers[4 * k + 3]!;
  }
}

/**
 * A segment read from text: its tag, its source and its number there (see SegmentSource). The
 * text itself and its elements are cut on first use; validation and the maps read the range in
 * the source instead.
 */
export class TokenSegment implements Segment {
  constructor(
    readonly tag: string,
    /** The source the segment was cut from, and its number there (a SegmentTable notes these two). */
    readonly src: SegmentSource,
    readonly k: number,
  ) {}

  /**
   * Points this object at segment k of `src` instead: only for the one object a SegmentTable
   * moves from segment to segment for a reader that keeps none of them (SegmentList.view).
   */
  moveTo(tag: string, src: SegmentSource, k: number): this {
    const self = this as { tag: string; src: SegmentSource; k: number };
    self.tag = tag;
    self.src = src;
    self.k = k;
    return this;
  }

  /** Where the segment's text (without its terminator) starts in `source`. */
  get start(): number {
    return this.src.start(this.k);
  }

  /** Where the segment's text ends in `source`. */
  get end(): number {
    return this.src.end(this.k);
  }

  get line(): number {
    return this.src.line(this.k);
  }

  get index(): number {
    return this.src.index(this.k);
  }

  /** Byte offset of the segment's first byte in the file. */
  get offset(): number {
    return this.src.base + this.src.start(this.k);
  }

  /** The segment's text without its terminator. */
  get text(): string {
    return this.src.textOf(this.k);
  }

  /** The string `text` was cut from (see Segment.source). */
  get source(): string {
    return this.src.text;
  }

  /** The bytes `source` was decoded from (see Segment.sourceBytes). */
  get sourceBytes(): Uint8Array | null {
    return this.src.bytes;
  }

  get delimiters(): Delimiters {
    return this.src.delimiters;
  }

  get elements(): readonly string[] {
    return this.src.elements(this.k);
  }
}

/** A segment with text of its own (not a range of a chunk): the ISA, a hard-wrapped or re-decoded segment. */
function ownSegment(tag: string, text: string, d: Delimiters, offset: number, line: number, index: number): TokenSegment {
  const src = new SegmentSource(text, null, offset, d, 1);
  return new TokenSegment(tag, src, src.add(0, text.length, line, index));
}

/** A problem the tokenizer saw, with where it saw it; the envelope reader gives it its context. */
export interface TokenProblem extends IsaProblem {
  offset: number;
  line: number;
  segmentTag?: string;
}

export interface TokenizerSink {
  segment(seg: TokenSegment): void;
  problem(p: TokenProblem): void;
  /**
   * Offered first each segment of a chunk's shared source: true when the sink took it as it is (a
   * large set's table notes tag, source and number), and no segment object is made for it.
   */
  noted?(tag: string, src: SegmentSource, k: number): boolean;
}

export interface TokenizerOptions {
  /** Emit the ISA's detected width (the envelope reader needs it). */
  onIsa?: (seg: TokenSegment, width: number, expectedWidth: number) => void;
  /**
   * Start inside an interchange whose delimiters are known (reading a stored part of a file, e.g.
   * one ST..SE): no ISA is expected first. Without delimiters: start after an interchange (the rest
   * of a file read part by part), where the next ISA is expected. `offset` and `line` place the
   * first byte in the file.
   */
  start?: { delimiters?: Delimiters; offset?: number; line?: number };
}

const LF = 10, CR = 13, SP = 32, TAB = 9, NUL = 0, SUB = 26;
const BOM = '\u00ef\u00bb\u00bf'; // UTF-8 byte-order mark, as latin1
const HIGH = /[\u0080-\u00ff]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** start: before the first ISA; inside: in an interchange; between: after an IEA; junk: after
 * unexpected data, looking for the next ISA; dead: nothing more can be read. */
type Mode = 'start' | 'inside' | 'between' | 'junk' | 'dead';

export class Tokenizer {
  private text = '';
  /**
   * The bytes of `text` (latin1: character i is byte i) when bytes were pushed, else null: our own
   * copy, handed to segments as Segment.sourceBytes. They also let the carried-over partial segment
   * and the next chunk be decoded as one flat string: `text + s` would be a cons string, and every
   * character read of it (here, in validation and in the maps, through Segment.source) would go
   * through one more indirection.
   */
  private bytes: Buffer | null = null;
  /** File offset of text[0]. */
  private base = 0;
  private line = 1;
  private index = 0;
  private mode: Mode = 'start';
  private delimiters: Delimiters | null = null;
  private hasHigh = false;
  private wrapWarned = false;
  private trailingWarned = false;
  private seenInterchange = false;
  /** The SegmentSource of `text`, `bytes` and the current delimiters, made when a segment first needs it. */
  private shared: SegmentSource | null = null;
  private readonly tags = new TagTable();

  constructor(private readonly sink: TokenizerSink, private readonly options: TokenizerOptions = {}) {
    const start = options.start;
    if (start) {
      this.mode = start.delimiters ? 'inside' : 'between';
      this.delimiters = start.delimiters ?? null;
      this.seenInterchange = true;
      this.base = start.offset ?? 0;
      this.line = start.line ?? 1;
    }
  }

  /** Feeds the next bytes of the file. */
  push(chunk: Uint8Array | string): void {
    this.shared = null;
    if (typeof chunk === 'string') {
      if (!this.hasHigh && HIGH.test(chunk)) this.hasHigh = true;
      this.text = this.text.length === 0 ? chunk : this.text + chunk;
      this.bytes = null;
    } else {
      const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (this.text.length === 0 || this.bytes !== null) {
        // Always a copy, as segments keep these bytes and the caller may reuse its buffer.
        // (The carried-over bytes are a partial segment: copying them along is cheap.)
        const all = this.text.length === 0 ? Buffer.from(buf) : Buffer.concat([this.bytes as Buffer, buf]);
        this.text = all.toString('latin1');
        this.bytes = all;
      } else {
        this.text += buf.toString('latin1');
      }
      // isAscii is native (and vectorized): cheaper than the regular expression over the decoded text.
      if (!this.hasHigh && !isAscii(buf)) this.hasHigh = true;
    }
    this.scan(false);
  }

  /** Signals the end of the file: whatever is left is tokenized or reported. */
  end(): void {
    this.scan(true);
    this.text = '';
    this.bytes = null;
    this.shared = null;
  }

  /** True once any ISA was seen (lets callers tell "not X12" from "broken X12"). */
  get sawInterchange(): boolean {
    return this.seenInterchange;
  }

  private problem(code: X12Code, message: string, pos: number, extra: Partial<TokenProblem> = {}): void {
    this.sink.problem({ code, message, offset: this.base + pos, line: this.line, ...extra });
  }

  private scan(final: boolean): void {
    const text = this.text;
    const len = text.length;
    let pos = 0;
    let line = this.line;
    // The next LF and CR at or after pos (-1: none left; -2: not looked for yet). A segment holds a
    // line break when one comes before its terminator: one search of the text serves many segments.
    // (Plain locals updated in the loop, not a closure: a closure over pos would keep pos out of registers.)
    let nextLf = -2;
    let nextCr = -2;
    for (;;) {
      // Blanks and line breaks between segments are not data.
      let c = text.charCodeAt(pos);
      while (c === LF || c === CR || c === SP || c === TAB) {
        if (c === LF) line++;
        else if (c === CR) {
          if (pos + 1 >= len && !final) break; // a CRLF may be split across chunks
          if (text.charCodeAt(pos + 1) !== LF) line++;
        }
        c = text.charCodeAt(++pos);
      }
      if (pos >= len || (c === CR && !final)) break;
      this.line = line;

      if (this.mode === 'inside') {
        const d = this.delimiters as Delimiters;
        // A new ISA at a segment start begins a new interchange (maybe with other delimiters).
        if (c === 73 /* I */ && text.charCodeAt(pos + 1) === 83 && text.charCodeAt(pos + 2) === 65 && (pos + 3 >= len || text[pos + 3] === d.element || !isAlnumCode(text.charCodeAt(pos + 3)))) {
          if (pos + 3 >= len && !final) break;
          this.mode = 'between';
          continue;
        }
        const term = d.segment;
        const start = pos;
        let end = text.indexOf(term, pos);
        if (end < 0) {
          if (!final) break;
          end = len;
          const partial = text.substring(pos, len).replace(/[\r\n\s]+$/, '');
          const tag = partial.split(d.element, 1)[0] ?? '';
          const isIea = tag.toUpperCase() === 'IEA';
          this.problem('X12_TRUNCATED',
            isIea
              ? 'the file ends without a segment terminator after the IEA segment'
              : `the file ends in the middle of a ${tag || 'segment'} segment (no segment terminator ${showTerm(term)} after "${partial.slice(0, 40)}")`,
            pos, isIea ? { severity: 'warning', segmentTag: 'IEA' } : { segmentTag: tag });
          // An unterminated IEA still closes its interchange; anything else is not emitted.
          if (isIea) this.emit(partial, 0, partial.length, pos, d, line, false);
          pos = len;
          break;
        }
        // The segment is text[pos, segEnd): no substring for it unless it is hard-wrapped.
        let segEnd = end;
        let wrapped: string | null = null;
        const segLine = line;
        if (term === '\n') {
          line++;
          // CRLF terminators leave a CR; blanks at the end of the line are not data either.
          let last = end - 1;
          let cc = last >= pos ? text.charCodeAt(last) : -1;
          if (cc === CR) cc = --last >= pos ? text.charCodeAt(last) : -1;
          if (cc === SP || cc === TAB) {
            while (cc === SP || cc === TAB) cc = --last >= pos ? text.charCodeAt(last) : -1;
            this.problem('X12_TRAILING_SPACES', 'blanks at the end of the line were ignored', pos, { segmentTag: text.slice(pos, Math.min(pos + 3, end)) });
          }
          segEnd = last + 1;
        } else if (term === '\r') {
          line++;
        } else {
          if (nextLf !== -1 && nextLf < pos) nextLf = text.indexOf('\n', pos);
          if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
        }
        if (term !== '\n' && term !== '\r' && ((nextLf >= 0 && nextLf < end) || (nextCr >= 0 && nextCr < end))) {
          // Hard-wrapped file: line breaks inside segments are transfer artefacts.
          if (!this.wrapWarned) {
            this.wrapWarned = true;
            this.problem('X12_HARD_WRAPPED', 'line breaks inside segments were removed (the file is wrapped)', pos);
          }
          for (let i = pos; i < end; i++) if (text.charCodeAt(i) === LF) line++;
          wrapped = text.substring(pos, end).replace(/[\r\n]/g, '');
        }
        pos = end + term.length;
        if (wrapped === null ? segEnd === start : wrapped.length === 0) {
          this.problem('X12_EMPTY_SEGMENT', 'an empty segment (two terminators in a row) was ignored', end);
          continue;
        }
        const tag = wrapped === null
          ? this.emit(text, start, segEnd, start, d, segLine, true)
          : this.emit(wrapped, 0, wrapped.length, start, d, segLine, false);
        if (tag === 'IEA') this.mode = 'between';
        continue;
      }

      if (this.mode === 'dead') {
        pos = len;
        break;
      }
      if (this.mode === 'junk') {
        const next = text.indexOf('ISA', pos);
        if (next < 0) {
          pos = Math.max(pos, len - 2); // keep a possible split "IS" for the next chunk
          break;
        }
        pos = next;
        this.mode = 'between';
        continue;
      }

      // 'start' or 'between': an ISA must come next.
      if (this.mode === 'start' && pos === 0 && this.base === 0 && text.startsWith(BOM)) {
        pos += 3;
        continue;
      }
      if (len - pos < 4 && !final) break;
      if (isIsaAt(text, pos)) {
        const det = detectIsa(text, pos, final);
        if (det === 'more') break;
        if ('fatal' in det) {
          this.problem(det.fatal.code, det.fatal.message, pos, { segmentTag: 'ISA' });
          // Without delimiters nothing more of this interchange can be read; look for the next ISA.
          const next = text.indexOf('ISA', pos + 3);
          if (next < 0) {
            this.mode = 'dead';
            pos = len;
            break;
          }
          pos = next;
          continue;
        }
        this.seenInterchange = true;
        this.delimiters = det.delimiters;
        this.mode = 'inside';
        const isaText = det.elements.join(det.delimiters.element);
        const isaLine = line;
        for (let i = pos; i < det.end; i++) if (text.charCodeAt(i) === LF) line++;
        if (det.delimiters.segment === '\r') line++;
        const seg = ownSegment('ISA', isaText, det.delimiters, this.base + pos, isaLine, this.index++);
        this.sink.segment(seg);
        this.options.onIsa?.(seg, det.width, det.expectedWidth);
        if (det.problems.some((p) => p.code === 'X12_HARD_WRAPPED')) this.wrapWarned = true;
        for (const p of det.problems) this.sink.problem({ ...p, offset: this.base + pos, line: isaLine, segmentTag: 'ISA' });
        pos = det.end;
        continue;
      }
      if (this.mode === 'between') {
        // After an IEA: padding (NUL, Ctrl-Z) is tolerated, anything else is reported once.
        let q = pos;
        let cc = text.charCodeAt(q);
        while (q < len && (cc === NUL || cc === SUB || cc === LF || cc === CR || cc === SP || cc === TAB)) cc = text.charCodeAt(++q);
        if (q > pos) {
          if (!this.trailingWarned) {
            this.trailingWarned = true;
            this.problem('X12_TRAILING_PADDING', 'NUL or Ctrl-Z padding after the IEA was ignored', pos);
          }
          pos = q;
          continue;
        }
        this.problem('X12_TRAILING_DATA', `unexpected data after the IEA: "${printable(text.slice(pos, pos + 30))}"`, pos);
        this.mode = 'junk';
        pos++;
        continue;
      }
      // Mode 'start': the file does not begin with an ISA.
      const head = text.slice(pos, pos + 3).toUpperCase();
      const sep = text[pos + (head.startsWith('GS') || head.startsWith('ST') ? 2 : 3)];
      if ((head.startsWith('ST') || head.startsWith('GS')) && sep !== undefined && !isAlnumCode(sep.charCodeAt(0))) {
        this.problem('X12_NO_ENVELOPE', `the file starts with a ${head.slice(0, 2)} segment: the ISA interchange envelope is missing`, pos);
      } else {
        this.problem('X12_NOT_X12', `the file does not start with an ISA segment; it starts with "${printable(text.slice(pos, pos + 30))}"`, pos);
      }
      this.mode = 'dead';
      pos = len;
      break;
    }
    this.line = line;
    this.base += pos;
    // The chunk is done: its source takes no more segments.
    this.shared?.fit();
    this.shared = null;
    if (pos >= len) {
      this.text = '';
      this.bytes = null;
    } else {
      this.text = text.substring(pos);
      if (this.bytes !== null) this.bytes = this.bytes.subarray(pos);
    }
  }

  /**
   * Builds and emits one segment, s[a, b), found at `pos` of the text; returns its upper-cased tag.
   * `inText`: s is this.text (a is pos), so the segment is a range of the chunk's shared source.
   */
  private emit(s: string, a: number, b: number, pos: number, d: Delimiters, line: number, inText: boolean): string {
    if (this.hasHigh && hasHighIn(s, a, b)) {
      try {
        s = utf8.decode(Buffer.from(s.substring(a, b), 'latin1'));
        a = 0;
        b = s.length;
        inText = false;
      } catch {
        // Not UTF-8: keep the bytes as latin1 characters.
      }
    }
    // The tag's length from the separator after it: two character reads rather than an indexOf call.
    const sep = d.element.charCodeAt(0);
    const n = b - a;
    const tagLength = d.element.length !== 1 ? -1
      : n === 2 || (n > 2 && s.charCodeAt(a + 2) === sep) ? 2
        : n === 3 || (n > 3 && s.charCodeAt(a + 3) === sep) ? 3 : -1;
    const key = tagLength > 0 ? upperTagKey(s, a, tagLength) : -1;
    if (key >= 0) {
      const tag = this.tags.intern(s, a, tagLength, key);
      if (!inText) {
        this.sink.segment(ownSegment(tag, s, d, this.base + pos, line, this.index++));
      } else if (tag === 'GS' || tag === 'GE' || tag === 'IEA' || tag === 'TA1') {
        // Envelope segments outlive the sets around them (the reader keeps them with their group
        // or interchange): a copy of their own, so that they hold no chunk.
        this.sink.segment(ownSegment(tag, this.copyOf(a, b), d, this.base + pos, line, this.index++));
      } else {
        const src = this.sharedSource(d);
        const k = src.add(a, b, line, this.index++);
        const sink = this.sink;
        if (sink.noted === undefined || !sink.noted(tag, src, k)) sink.segment(new TokenSegment(tag, src, k));
      }
      return tag;
    }
    const seg = s.substring(a, b);
    const cut = seg.indexOf(d.element);
    let tag = cut < 0 ? seg : seg.substring(0, cut);
    if (!isUpperTag(tag)) {
      const upper = tag.toUpperCase();
      if (isUpperTag(upper)) {
        this.problem('X12_LOWERCASE_TAG', `segment tag "${tag}" is not upper case`, pos, { segmentTag: upper });
        tag = upper;
      } else {
        this.problem('X12_INVALID_TAG', `"${printable(tag.slice(0, 20))}" is not a segment tag (2 or 3 letters and digits)`, pos, { segmentTag: tag.slice(0, 3) });
      }
    }
    this.sink.segment(ownSegment(tag, seg, d, this.base + pos, line, this.index++));
    return tag;
  }

  /** text[a, b) as a string of its own: decoded from the bytes when there are some (a substring of 13 characters or more would be a slice that keeps the whole text). */
  private copyOf(a: number, b: number): string {
    return this.bytes !== null ? this.bytes.toString('latin1', a, b) : this.text.substring(a, b);
  }

  /** The source the segments of the current text share (one per chunk and interchange). */
  private sharedSource(d: Delimiters): SegmentSource {
    const shared = this.shared;
    if (shared !== null && shared.delimiters === d) return shared;
    shared?.fit();
    // Room for a segment every 16 bytes, grown when they are shorter.
    return (this.shared = new SegmentSource(this.text, this.bytes, this.base, d, (this.text.length >> 4) + 8));
  }
}

/** Whether s[a, b) holds a character U+0080..U+00FF (a byte >= 0x80 decoded as latin1). */
function hasHighIn(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && c <= 0xff) return true;
  }
  return false;
}

// Every segment gets the one string of its tag: no new string per segment, and the tag
// comparisons that follow (envelope, validation, maps) compare two internalized strings,
// which V8 settles by identity. A small direct-mapped table per tokenizer, filled as tags are met.
const TAG_SLOTS = 512;

class TagTable {
  private readonly keys = new Int32Array(TAG_SLOTS).fill(-1);
  private readonly strings: string[] = new Array<string>(TAG_SLOTS).fill('');

  /** The tag s[a, a + n) with key `key` (upperTagKey) as an internalized string. */
  intern(s: string, a: number, n: number, key: number): string {
    const slot = Math.imul(key, 0x9e3779b1) >>> 23; // 9 bits: 0..511
    if (this.keys[slot] === key) return this.strings[slot]!;
    // A property name is internalized: Object.keys hands back V8's one copy of the string.
    const tag = Object.keys({ [s.substring(a, a + n)]: 0 })[0]!;
    this.keys[slot] = key;
    this.strings[slot] = tag;
    return tag;
  }
}

/** The character codes of a valid upper-case tag s[a, a + n) (n 2 or 3) packed with n; -1 when it is not one. */
function upperTagKey(s: string, a: number, n: number): number {
  const first = s.charCodeAt(a);
  if (first < 65 || first > 90) return -1;
  let key = (n << 7) | first;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(a + i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return -1;
    key = (key << 7) | c;
  }
  return key;
}

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isUpperTag(tag: string): boolean {
  if (tag.length < 2 || tag.length > 3) return false;
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  const first = tag.charCodeAt(0);
  return first >= 65 && first <= 90;
}

/** Outside an interchange, anything starting with ISA is an ISA (a bad separator is reported by detection). */
function isIsaAt(text: string, pos: number): boolean {
  return text.substring(pos, pos + 3).toUpperCase() === 'ISA';
}

function showTerm(t: string): string {
  return t === '\n' ? '(line break)' : t === '\r' ? '(CR)' : `"${t}"`;
}

function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
