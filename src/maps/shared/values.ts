// Element access and X12 data-type conversions (DT, TM, R, Nn), both directions.
// Reading returns undefined for an empty element and for a value that does not parse;
// the caller (see ./report.ts) tells the two apart. The conversions are pure functions;
// element access goes through an ElementReader, which keeps the boundaries of the segment
// read last (see below).
import type { Segment } from '../../x12/model.js';
import type { SetBounds } from '../../x12/validate-bounds.js';
import { SHORT_VALUE, ValueCache } from './value-cache.js';

/**
 * Reads element values of the segments of one map run (each MapReport has its own).
 *
 * Maps read a handful of elements of each segment. Splitting the segment's text into an
 * array of strings (Segment.elements) costs more than mapping the segment, so when the
 * reader kept the text, values are cut straight out of it. The element boundaries come from
 * the validator when it has just scanned the set and its bounds were handed over (see
 * examineTransaction), else from a scan here; those of the last segment read are kept, as
 * maps read a segment's elements one after the other.
 */
export class ElementReader {
  private boundsOf: Segment | undefined;
  /** The validator's generation the boundaries were read from; -1 for our own scan. */
  private boundsGeneration = -1;
  private readonly scanned = new Int32Array(64);
  /** ends[base + n]: index in boundsOf.text of the separator after element n (the text's length for the last). */
  private ends: Int32Array = this.scanned;
  private base = 0;
  /** Number of elements, the tag included (what Segment.elements.length would be). */
  private n = 0;
  /** The validator saw no blank (nor anything else to trim) in the elements: values need no trim check. */
  private plainText = false;
  /**
   * The string values are read from: boundsOf.source when it has one (a flat string, faster to
   * read than the segment's text, a substring of it), else its text; the text starts at `origin`.
   */
  private src = '';
  private origin = 0;

  /** One string per repeated short value (see ./value-cache.ts), or null to cut every value. */
  private readonly cache: ValueCache | null;

  /**
   * `bounds`: the element boundaries the validator noted while checking the set about to be read.
   * `repeats`: the set is large, its document long-lived: repeated short values share one string.
   */
  constructor(private readonly bounds?: SetBounds, repeats = false) {
    this.cache = repeats ? new ValueCache() : null;
  }

  /** Notes the element boundaries of `seg` unless they are noted already; false when the segment has no text to read. */
  private located(seg: Segment): boolean {
    // Kept small (inlined into every reader); finding the boundaries of a new segment is apart.
    return (seg === this.boundsOf && (this.boundsGeneration < 0 || this.boundsGeneration === this.bounds!.generation)) || this.locate(seg);
  }

  private locate(seg: Segment): boolean {
    const bounds = this.bounds;
    const k = bounds === undefined ? -1 : bounds.find(seg);
    if (k >= 0) {
      this.ends = bounds!.endsOf(k);
      this.base = bounds!.start(k);
      this.n = bounds!.count(k);
      this.plainText = bounds!.isPlain(k);
      this.boundsGeneration = bounds!.generation;
      this.boundsOf = seg;
      const source = seg.source;
      if (typeof source === 'string') {
        this.src = source;
        this.origin = seg.start ?? 0;
      } else {
        this.src = seg.text!;
        this.origin = 0;
      }
      return true;
    }
    const text = seg.text;
    const sep = seg.delimiters.element;
    if (text === undefined || sep.length !== 1) return false;
    const scanned = this.scanned;
    let n = 0;
    let i = text.indexOf(sep);
    // Segments with more elements than the buffer holds (none in the standard) are split instead.
    while (i >= 0 && n < scanned.length - 1) {
      scanned[n++] = i;
      i = text.indexOf(sep, i + 1);
    }
    if (i >= 0) return false;
    scanned[n++] = text.length;
    this.ends = scanned;
    this.base = 0;
    this.n = n;
    this.plainText = false;
    this.boundsGeneration = -1;
    this.boundsOf = seg;
    this.src = text;
    this.origin = 0;
    return true;
  }

  /** Where element `position` starts in `src`. */
  private startOf(position: number): number {
    return this.origin + (position === 0 ? 0 : this.ends[this.base + position - 1]! + 1);
  }

  /** Where element `position` ends in `src`. */
  private endOf(position: number): number {
    return this.origin + this.ends[this.base + position]!;
  }

  /** Element `position` of a segment, trimmed; undefined when absent or blank. */
  value(seg: Segment, position: number): string | undefined {
    if (!this.located(seg)) {
      const raw = seg.elements[position];
      return raw === undefined ? undefined : trimmedRange(raw, 0, raw.length);
    }
    if (position < 0 || position >= this.n) return undefined;
    const start = this.startOf(position);
    const end = this.endOf(position);
    if (this.plainText && position > 0) return start === end ? undefined : this.cut(start, end);
    if (start < end && !maybeBlank(this.src.charCodeAt(start)) && !maybeBlank(this.src.charCodeAt(end - 1))) return this.cut(start, end);
    return trimmedRange(this.src, start, end);
  }

  /** src[start, end) (not empty) as a string. */
  private cut(start: number, end: number): string {
    const src = this.src;
    if (this.cache !== null && end - start <= SHORT_VALUE) return this.cache.get(src, start, end);
    return start === 0 && end === src.length ? src : src.slice(start, end);
  }

  /**
   * Element `position` as a plain decimal (digits only, no leading zero, at most 9 digits) when it
   * is one, without making its string; else -1 (read it with value()).
   */
  plainNumber(seg: Segment, position: number): number {
    if (!this.located(seg) || position <= 0 || position >= this.n) return -1;
    const a = this.startOf(position);
    const b = this.endOf(position);
    const len = b - a;
    const text = this.src;
    if (len === 0 || len > 9 || (len > 1 && text.charCodeAt(a) === ZERO)) return -1;
    let n = 0;
    for (let i = a; i < b; i++) {
      const c = text.charCodeAt(i);
      if (c < ZERO || c > NINE) return -1;
      n = n * 10 + (c - ZERO);
    }
    return n;
  }

  /** The number of elements, the tag included (Segment.elements.length): loops over optional pairs stop there. */
  count(seg: Segment): number {
    return this.located(seg) ? this.n : seg.elements.length;
  }

  /** Element `position` untrimmed, as in Segment.elements. */
  private raw(seg: Segment, position: number): string | undefined {
    if (!this.located(seg)) return seg.elements[position];
    if (position < 0 || position >= this.n) return undefined;
    return this.src.slice(this.startOf(position), this.endOf(position));
  }

  /** The components of a composite element (split on the interchange's component separator). */
  components(seg: Segment, position: number): (string | undefined)[] {
    const raw = this.raw(seg, position);
    if (raw === undefined || raw === '') return [];
    const sep = seg.delimiters.component;
    const parts = sep ? raw.split(sep) : [raw];
    return parts.map((p) => (p.trim() === '' ? undefined : p.trim()));
  }

  /** Component `component` (1-based) of composite element `position`. */
  component(seg: Segment, position: number, component: number): string | undefined {
    return this.components(seg, position)[component - 1];
  }

  /** Element `position` as an R value: undefined when absent or blank, NaN when it is not a number. */
  decimal(seg: Segment, position: number): number | undefined {
    if (this.located(seg) && position > 0 && position < this.n) {
      const a = this.startOf(position);
      const b = this.endOf(position);
      if (a === b) return undefined;
      const text = this.src;
      if (this.plainText || (!maybeBlank(text.charCodeAt(a)) && !maybeBlank(text.charCodeAt(b - 1)))) {
        const v = decimalIn(text, a, b);
        return Number.isFinite(v) ? v : Number.NaN;
      }
    }
    const raw = this.value(seg, position);
    return raw === undefined ? undefined : (parseDecimal(raw) ?? Number.NaN);
  }

  /** Element `position` as an Nn value: undefined when absent or blank, NaN when it is not a number. */
  implied(seg: Segment, position: number, decimals: number): number | undefined {
    if (this.located(seg) && position > 0 && position < this.n) {
      const a = this.startOf(position);
      const b = this.endOf(position);
      if (a === b) return undefined;
      const text = this.src;
      if (this.plainText || (!maybeBlank(text.charCodeAt(a)) && !maybeBlank(text.charCodeAt(b - 1)))) return impliedIn(text, a, b, decimals);
    }
    const raw = this.value(seg, position);
    return raw === undefined ? undefined : (parseImplied(raw, decimals) ?? Number.NaN);
  }
}

/** trim() removes only white space and line terminators: all of them are below U+0021 or from U+00A0 up. */
const maybeBlank = (c: number): boolean => c <= 32 || c >= 160;

/** s.slice(start, end).trim(), undefined when that is empty; no trim call when the ends are not blank. */
function trimmedRange(s: string, start: number, end: number): string | undefined {
  if (start >= end) return undefined;
  if (!maybeBlank(s.charCodeAt(start)) && !maybeBlank(s.charCodeAt(end - 1))) return start === 0 && end === s.length ? s : s.slice(start, end);
  const v = s.slice(start, end).trim();
  return v === '' ? undefined : v;
}

// Character codes the conversions below test for.
const MINUS = 45;
const POINT = 46;
const ZERO = 48;
const NINE = 57;

// ---- DT: CCYYMMDD (and the 6-digit YYMMDD older partners send) <-> YYYY-MM-DD ----

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day of the (proleptic Gregorian) calendar; years 0-99 are read as 1900-1999, as Date.UTC reads them. */
function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const year = y >= 0 && y <= 99 ? 1900 + y : y;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** True when s is all ASCII digits. */
function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** The 2-digit number at s[i, i + 2). */
const two = (s: string, i: number): number => (s.charCodeAt(i) - ZERO) * 10 + s.charCodeAt(i + 1) - ZERO;

/** CCYYMMDD (or YYMMDD, century 20 below 50) to YYYY-MM-DD; undefined if not a calendar date. */
export function parseDate(text: string): string | undefined {
  let s = text.trim();
  if ((s.length !== 6 && s.length !== 8) || !allDigits(s)) return undefined;
  if (s.length === 6) s = (two(s, 0) < 50 ? '20' : '19') + s;
  if (!validDate(two(s, 0) * 100 + two(s, 2), two(s, 4), two(s, 6))) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** YYYY-MM-DD to CCYYMMDD. Throws on anything else: canonical dates are ours to get right. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`not an ISO date (YYYY-MM-DD): "${iso}"`);
  }
  return `${m[1]}${m[2]}${m[3]}`;
}

// ---- TM: HHMM[SS[d..]] <-> HH:MM[:SS[.d..]] -------------------------------------

/** HHMM, HHMMSS or HHMMSSd.. to HH:MM[:SS[.d..]]; undefined if not a time of day. */
export function parseTime(text: string): string | undefined {
  const m = /^(\d{2})(\d{2})(?:(\d{2})(\d{1,2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, hh, mm, ss, frac] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return undefined;
  let out = `${hh}:${mm}`;
  if (ss !== undefined) out += `:${ss}`;
  if (frac !== undefined) out += `.${frac}`;
  return out;
}

/** HH:MM[:SS[.d..]] to HHMM[SS[d..]]. Throws on anything else. */
export function formatTime(time: string): string {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,2}))?)?$/.exec(time);
  if (!m) throw new RangeError(`not a time (HH:MM[:SS]): "${time}"`);
  return `${m[1]}${m[2]}${m[3] ?? ''}${m[4] ?? ''}`;
}

// ---- numbers: shared by R and Nn -----------------------------------------------------

/**
 * Up to 15 digits, the digits as an integer and the power of ten are exact doubles, so
 * mantissa / 10 ** decimals is the double nearest the decimal value: exactly what
 * Number(text) gives, without building or parsing a string. Longer values go through Number.
 */
const EXACT_DIGITS = 15;
/** 10 ** n up to n = 15, as literals (exact). */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

const signed = (negative: boolean, n: number): number => (negative ? -n : n);

// ---- R: explicit decimal ----------------------------------------------------------

/** s[start, end) as an R value ("12.5", "-3", ".75", "10."); NaN when it is not one. */
function decimalIn(s: string, start: number, end: number): number {
  // A char-code scan instead of a regex and Number(): this runs for most values of every line.
  const negative = start < end && s.charCodeAt(start) === MINUS;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (let i = negative ? start + 1 : start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
    } else if (c === POINT && point < 0) {
      point = i;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0) return Number.NaN;
  if (digits > EXACT_DIGITS) return Number(s.slice(start, end));
  // A whole number is the mantissa itself: no division, whose float result would be kept boxed
  // (a heap number per value, e.g. per item of a large ship notice) even when it is whole.
  if (point < 0) return signed(negative, mantissa);
  return signed(negative, mantissa / POWERS_OF_TEN[end - point - 1]!);
}

/** An R value ("12.5", "-3", ".75", "10.") to a number; undefined if it is not one. */
export function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  const n = decimalIn(s, 0, s.length);
  return Number.isFinite(n) ? n : undefined;
}

/** Writes a number without exponent: "1e-7" becomes "0.0000001". */
function plain(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', int = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Rounds half away from zero at `decimals`, after removing binary noise (1.005 -> 1.01). */
export function roundDecimal(n: number, decimals: number): number {
  const product = Math.abs(n) * 10 ** decimals;
  // An integer of up to 15 digits is what toPrecision(15) would give back: skip that (slow) round trip.
  const scaled = Number.isInteger(product) && product < 1e15 ? product : Number(product.toPrecision(15));
  const r = Math.round(scaled) / 10 ** decimals;
  return n < 0 && r !== 0 ? -r : r;
}

/**
 * A number as an R value: no exponent, no trailing zeros, no point for integers,
 * float noise removed (0.1 + 0.2 -> "0.3"). `maxDecimals` rounds first.
 */
export function formatDecimal(n: number, maxDecimals?: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as an X12 decimal`);
  const v = maxDecimals === undefined ? n : roundDecimal(n, maxDecimals);
  const text = plain(Number(v.toPrecision(15)));
  return text === '-0' ? '0' : text;
}

// ---- Nn: implied decimals (N2: "12345" = 123.45) ------------------------------------

/** s[start, end) as an Nn value with `decimals` implied decimals; NaN when it is not one. */
function impliedIn(s: string, start: number, end: number, decimals: number): number {
  const negative = start < end && s.charCodeAt(start) === MINUS;
  const first = negative ? start + 1 : start;
  if (first === end) return Number.NaN;
  let mantissa = 0;
  for (let i = first; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return Number.NaN;
    mantissa = mantissa * 10 + (c - ZERO);
  }
  let n: number;
  if (end - first <= EXACT_DIGITS && decimals <= EXACT_DIGITS) n = signed(negative, mantissa / POWERS_OF_TEN[decimals]!);
  else if (decimals === 0) n = Number(s.slice(start, end));
  else {
    const digits = s.slice(first, end).padStart(decimals + 1, '0');
    n = Number(`${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`);
  }
  // "-0" reads as -0 without decimals (as Number does) and as 0 with them.
  return decimals > 0 && n === 0 ? 0 : n;
}

/** An Nn value to a number: "12345" with 2 decimals is 123.45, "-5" is -0.05. */
export function parseImplied(text: string, decimals: number): number | undefined {
  const s = text.trim();
  const n = impliedIn(s, 0, s.length, decimals);
  return Number.isNaN(n) ? undefined : n;
}

/** A number as an Nn value: 123.45 with 2 decimals is "12345"; more decimals round half away from zero. */
export function formatImplied(n: number, decimals: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as an X12 number`);
  const scaled = Math.round(Number((Math.abs(n) * 10 ** decimals).toPrecision(15)));
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`${n} is too large for an X12 N${decimals} value`);
  return (n < 0 && scaled !== 0 ? '-' : '') + String(scaled);
}

/** Copies the defined values onto `target`, so canonical objects carry no `key: undefined`. */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  // for-in rather than Object.entries: this runs for every segment of every document.
  for (const k in values) {
    const v = (values as Record<string, unknown>)[k];
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}
