// Validates the elements of one segment against its dictionary entry and reports
// AK4/IK4 element errors: count, requirement, length, characters, codes, dates,
// times, composites, repetitions and the segment's syntax notes (P R E C L).
// Values are read as ranges of the raw element string, so a valid segment costs
// no allocation.
import type { SyntaxRule } from './spec-types.js';
import { decimalDigits, firstControlChar, isValidDate, isValidTime, numericDigits } from './datatypes.js';
import type { Segment } from './model.js';
import type { SetBounds } from './validate-bounds.js';
import type { ElementPlace, FindingSink } from './validate-context.js';
import type { X12Code } from '../errors/codes/x12.js';
import {
  BINARY, DATE, DECIMAL, holds, IDENTIFIER, isListed, NUMERIC, STRING, TIME,
  type CompiledElement, type CompiledSegment,
} from './validate-compile.js';

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/**
 * Checks segments' elements for one transaction set. One instance is reused for
 * every segment, and element values travel as ranges of a string (the segment's
 * text when the reader provides it, else each split element), so a valid
 * element costs no allocation; locations are built only for findings.
 */
export class ElementChecker {
  // Element n of the current segment is (text ?? src[n]).slice(starts[n], ends[n]); n = 1..used.
  // `text` is the segment's source string (Segment.source) when it has one: the segment is
  // text[base, limit) there, and the ranges are indexes in that string.
  private text: string | null = null;
  private base = 0;
  private limit = 0;
  private src: string[] = [];
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private used = 0;
  /** Bit p-1 set when element p (1-31) is not empty: syntax notes are checked on this mask. */
  private present = 0;
  /** False when the segment text is known to hold no control character: AN/ID values need no character scan. */
  private mayHaveControl = true;
  /** The elements hold only ASCII characters from U+0021 to U+007E: no blanks for a reader to trim (see noteBounds). */
  private plain = false;
  private spec: CompiledSegment | undefined;
  /** The element separator is one character (as always from the reader): the ranges match Segment.elements. */
  private oneCharSeparator = true;
  private componentSep = '';
  private repetitionSep = '';
  private sink!: FindingSink;

  /** Starts a transaction set: findings go to `sink`. The checker (and its buffers) can be reused for the next set. */
  begin(sink: FindingSink): this {
    this.sink = sink;
    return this;
  }

  /** Ends a transaction set: drops references to its text (a sliced string keeps its whole read chunk alive). */
  end(): void {
    this.text = null;
    this.src.length = 0;
  }

  /** Validates one segment's elements; the sink's current segment must be `seg`. */
  check(seg: Segment, spec: CompiledSegment): void {
    this.spec = spec;
    this.componentSep = seg.delimiters.component;
    this.repetitionSep = seg.delimiters.repetition ?? '';
    this.oneCharSeparator = seg.delimiters.element.length === 1;
    // The segment as a range of its source when the reader gives one (no substring cut for it).
    const source = seg.source;
    let end = seg.end;
    if (typeof source === 'string' && end === undefined) {
      const text = seg.text;
      if (typeof text === 'string') end = (seg.start ?? 0) + text.length;
    }
    if (typeof source === 'string' && end !== undefined) {
      const start = seg.start ?? 0;
      const bytes = seg.sourceBytes;
      if (bytes) this.rangesOfBytes(bytes, source, start, end, seg.delimiters.element, seg.tag.length);
      else this.rangesOfText(source, start, end, seg.delimiters.element, seg.tag.length);
    } else {
      const text = seg.text;
      if (typeof text === 'string') this.rangesOfText(text, 0, text.length, seg.delimiters.element, seg.tag.length);
      else this.rangesOfElements(seg.elements);
    }
    const { starts, ends, used } = this;
    const defs = spec.elements;
    const n = used < defs.length ? used : defs.length;
    const clean = !this.mayHaveControl;
    for (let i = 1; i <= n; i++) {
      const def = defs[i - 1]!;
      const a = starts[i]!;
      const b = ends[i]!;
      if (a === b) {
        if (def.mandatory) this.missing(def, i, 0, 0);
        continue;
      }
      const s = this.text ?? this.src[i]!;
      // Fast paths for the common valid values; anything else takes the full check, which explains the problem.
      if (def.simple) {
        const family = def.family;
        let length = -1;
        if (def.lengthOnly) length = clean ? b - a : -1;
        else if (family === DECIMAL) length = decimalDigits(s, a, b);
        else if (family === NUMERIC) length = numericDigits(s, a, b);
        else if (family === IDENTIFIER && clean && isListed(def, s, a, b)) continue;
        if (length >= def.min && length <= def.max) continue;
      }
      this.element(s, a, b, def, i);
    }
    for (let i = n + 1; i <= spec.lastMandatory; i++) {
      const def = defs[i - 1]!;
      if (def.mandatory) this.missing(def, i, 0, 0);
    }
    // Trailing empty elements (a generator's extra separators) are tolerated; data past the last defined element is not.
    for (let i = defs.length + 1; i <= used; i++) {
      if (ends[i]! > starts[i]!) {
        const v = this.valueAt(i);
        this.sink.elementFinding('X12_ELEMENT_TOO_MANY',
          `${spec.tag} has data in element ${pad2(i)} ('${v}'); the segment defines only ${defs.length} elements`,
          { elementPosition: i }, v);
        break;
      }
    }
    const rules = spec.rules;
    const present = this.present;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      if (rule.wide || !holds(rule, present)) this.rule(rule.rule);
    }
  }

  /** Notes the element boundaries of the segment just checked as segment k of the set (when they came from its text). */
  noteBounds(bounds: SetBounds, k: number): void {
    if (this.text === null || !this.oneCharSeparator) return;
    const tagEnd = this.used >= 1 ? this.starts[1]! - 1 : this.limit;
    bounds.note(k, tagEnd, this.ends, this.used + 1, this.plain, this.base);
  }

  /**
   * Element ranges from the segment text text[from, len), in one pass over its characters that
   * also notes whether any control character occurs (then AN/ID values are scanned for it)
   * and whether any character is outside U+0021..U+007E (blanks, for the maps).
   */
  private rangesOfText(text: string, from: number, len: number, sep: string, tagLength: number): void {
    const c = sep.charCodeAt(0);
    let n = 0;
    let control = false;
    let plain = true;
    let present = 0;
    // The tag: its length is known (checked: the separator, or the end, must follow it).
    let i = from + tagLength;
    if (i > len || (i < len && text.charCodeAt(i) !== c)) {
      i = from;
      while (i < len && text.charCodeAt(i) !== c) i++;
    }
    let starts = this.starts;
    let ends = this.ends;
    while (i < len) {
      const start = ++i;
      for (; i < len; i++) {
        const ch = text.charCodeAt(i);
        if (ch === c) break;
        if (ch <= 32 || ch >= 127) {
          plain = false;
          if (ch < 32 || ch === 127) control = true;
        }
      }
      n++;
      if (n >= starts.length) {
        this.ensure(n);
        starts = this.starts;
        ends = this.ends;
      }
      starts[n] = start;
      ends[n] = i;
      if (i > start && n <= 31) present |= 1 << (n - 1);
    }
    this.present = present;
    this.text = text;
    this.base = from;
    this.limit = len;
    this.used = n;
    this.mayHaveControl = control;
    this.plain = plain;
  }

  /**
   * rangesOfText over the bytes the text was decoded from (latin1, so the indexes are the same):
   * reading a byte array is a tighter loop than charCodeAt. The same pass, kept in step with it.
   */
  private rangesOfBytes(bytes: Uint8Array, text: string, from: number, len: number, sep: string, tagLength: number): void {
    const c = sep.charCodeAt(0);
    let n = 0;
    let control = false;
    let plain = true;
    let present = 0;
    let i = from + tagLength;
    if (i > len || (i < len && bytes[i] !== c)) {
      i = from;
      while (i < len && bytes[i] !== c) i++;
    }
    let starts = this.starts;
    let ends = this.ends;
    while (i < len) {
      const start = ++i;
      for (; i < len; i++) {
        const ch = bytes[i]!;
        if (ch === c) break;
        if (ch <= 32 || ch >= 127) {
          plain = false;
          if (ch < 32 || ch === 127) control = true;
        }
      }
      n++;
      if (n >= starts.length) {
        this.ensure(n);
        starts = this.starts;
        ends = this.ends;
      }
      starts[n] = start;
      ends[n] = i;
      if (i > start && n <= 31) present |= 1 << (n - 1);
    }
    this.present = present;
    this.text = text;
    this.base = from;
    this.limit = len;
    this.used = n;
    this.mayHaveControl = control;
    this.plain = plain;
  }

  private rangesOfElements(els: readonly string[]): void {
    const n = els.length - 1;
    this.ensure(n);
    let present = 0;
    for (let i = 1; i <= n; i++) {
      const v = els[i]!;
      this.src[i] = v;
      this.starts[i] = 0;
      this.ends[i] = v.length;
      if (v !== '' && i <= 31) present |= 1 << (i - 1);
    }
    this.present = present;
    this.text = null;
    this.base = 0;
    this.used = n;
    this.mayHaveControl = true;
  }

  private ensure(n: number): void {
    if (n < this.starts.length) return;
    const size = Math.max(n + 1, this.starts.length * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  private valueAt(position: number): string {
    const s = this.text ?? this.src[position]!;
    const a = this.starts[position]!;
    const b = this.ends[position]!;
    return a === 0 && b === s.length ? s : s.slice(a, b);
  }

  private designator(element: number, component: number): string {
    return this.spec!.tag + pad2(element) + (component > 0 ? '-' + pad2(component) : '');
  }

  private place(def: CompiledElement, element: number, component: number, repetition: number): ElementPlace {
    const p: ElementPlace = { elementPosition: element };
    if (component > 0) p.componentPosition = component;
    if (repetition > 0) p.repetitionPosition = repetition;
    p.elementReference = def.ref;
    return p;
  }

  private report(code: X12Code, def: CompiledElement, element: number, component: number, repetition: number, message: string, value?: string): void {
    this.sink.elementFinding(code, message, this.place(def, element, component, repetition), value);
  }

  private missing(def: CompiledElement, element: number, component: number, repetition: number): void {
    const what = def.components && component === 0 ? `composite ${def.ref} ${def.label}` : def.label;
    this.report('X12_ELEMENT_MISSING', def, element, component, repetition, `mandatory ${this.designator(element, component)} ${what} is missing`);
  }

  private element(s: string, start: number, end: number, def: CompiledElement, position: number): void {
    if (end === start) {
      if (def.mandatory) this.missing(def, position, 0, 0);
      return;
    }
    const rep = this.repetitionSep;
    // An element that is not repeatable is never split on the repetition separator.
    if (def.repeat <= 1 || rep === '') {
      this.occurrence(s, start, end, def, position, 0);
      return;
    }
    let from = start;
    let r = 0;
    let present = 0;
    for (;;) {
      let to = s.indexOf(rep, from);
      if (to < 0 || to > end) to = end;
      r++;
      if (to > from) {
        present++;
        if (r === def.repeat + 1) {
          this.report('X12_ELEMENT_TOO_MANY_REPETITIONS', def, position, 0, r,
            `${this.designator(position, 0)} ${def.label} has more than ${def.repeat} repetitions`, s.slice(from, to));
        }
        this.occurrence(s, from, to, def, position, r);
      }
      if (to === end) break;
      from = to + 1;
    }
    if (present === 0 && def.mandatory) this.missing(def, position, 0, 0);
  }

  private occurrence(s: string, start: number, end: number, def: CompiledElement, position: number, repetition: number): void {
    if (def.components) this.composite(s, start, end, def, position, repetition);
    else this.value(s, start, end, def, position, 0, repetition);
  }

  private composite(s: string, start: number, end: number, def: CompiledElement, position: number, repetition: number): void {
    const sep = this.componentSep;
    const comps = def.components!;
    if (sep !== '' && isOnly(s, start, end, sep)) {
      if (def.mandatory) this.missing(def, position, 0, repetition);
      return;
    }
    let from = start;
    let k = 0;
    let extraReported = false;
    for (;;) {
      let to = sep === '' ? -1 : s.indexOf(sep, from);
      if (to < 0 || to > end) to = end;
      k++;
      if (k <= comps.length) {
        const c = comps[k - 1]!;
        if (to > from) this.value(s, from, to, c, position, k, repetition);
        else if (c.mandatory) this.missing(c, position, k, repetition);
      } else if (to > from && !extraReported) {
        extraReported = true;
        this.report('X12_ELEMENT_TOO_MANY_COMPONENTS', def, position, k, repetition,
          `${this.designator(position, k)} is past the ${comps.length} components of composite ${def.ref} ${def.label}`, s.slice(from, to));
      }
      if (to === end) break;
      from = to + 1;
    }
    // Mandatory components after the last one written.
    for (let m = k + 1; m <= comps.length; m++) {
      const c = comps[m - 1]!;
      if (c.mandatory) this.missing(c, position, m, repetition);
    }
  }

  /** Checks one non-empty simple value (element, component or repetition) in s[start, end). */
  private value(s: string, start: number, end: number, def: CompiledElement, element: number, component: number, repetition: number): void {
    let length = end - start;
    switch (def.family) {
      case NUMERIC:
        length = numericDigits(s, start, end);
        if (length < 0) return this.invalid(s, start, end, def, element, component, repetition, `is not a whole number (type ${def.type})`);
        break;
      case DECIMAL:
        length = decimalDigits(s, start, end);
        if (length < 0) return this.invalid(s, start, end, def, element, component, repetition, 'is not a number (type R)');
        break;
      case DATE:
        if (!isValidDate(s, start, end, def.max)) {
          const v = s.slice(start, end);
          this.report('X12_ELEMENT_INVALID_DATE', def, element, component, repetition,
            `${this.designator(element, component)} ${def.label} '${v}' is not a valid date (${def.max >= 8 ? 'CCYYMMDD' : 'YYMMDD'})`, v);
        }
        return;
      case TIME:
        if (!isValidTime(s, start, end)) {
          const v = s.slice(start, end);
          this.report('X12_ELEMENT_INVALID_TIME', def, element, component, repetition,
            `${this.designator(element, component)} ${def.label} '${v}' is not a valid time (HHMM, HHMMSS or HHMMSSdd)`, v);
          return;
        }
        break;
      case IDENTIFIER:
      case STRING: {
        const bad = this.mayHaveControl ? firstControlChar(s, start, end) : -1;
        if (bad >= 0) {
          const hex = s.charCodeAt(bad).toString(16).toUpperCase().padStart(4, '0');
          return this.invalid(s, start, end, def, element, component, repetition, `contains the control character U+${hex} at character ${bad - start + 1}`, true);
        }
        if (def.codes) {
          // A listed code has a valid length by definition: no length check after this.
          if (isListed(def, s, start, end)) return;
          const v = s.slice(start, end);
          this.report('X12_ELEMENT_INVALID_CODE', def, element, component, repetition,
            `${this.designator(element, component)} ${def.label} '${v}' is not a valid code (expected one of ${codeList(def.codes)})`, v);
          return;
        }
        break;
      }
      case BINARY:
        return;
    }
    if (length < def.min) {
      const v = s.slice(start, end);
      this.report('X12_ELEMENT_TOO_SHORT', def, element, component, repetition,
        `${this.designator(element, component)} ${def.label} is ${measure(def, length)} long; at least ${def.min} required`, v);
    } else if (length > def.max) {
      const v = s.slice(start, end);
      this.report('X12_ELEMENT_TOO_LONG', def, element, component, repetition,
        `${this.designator(element, component)} ${def.label} is ${measure(def, length)} long; at most ${def.max} allowed`, v);
    }
  }

  private invalid(s: string, start: number, end: number, def: CompiledElement, element: number, component: number, repetition: number, why: string, hideValue = false): void {
    const v = s.slice(start, end);
    const shown = hideValue ? '' : ` '${v}'`;
    this.report('X12_ELEMENT_INVALID_CHARACTER', def, element, component, repetition, `${this.designator(element, component)} ${def.label}${shown} ${why}`, v);
  }

  private isPresent(position: number): boolean {
    return position <= this.used && this.ends[position]! > this.starts[position]!;
  }

  private ruleFinding(code: 'X12_ELEMENT_CONDITIONAL_MISSING' | 'X12_ELEMENT_EXCLUSION', position: number, message: string): void {
    const def = this.spec!.elements[position - 1];
    const place: ElementPlace = { elementPosition: position };
    if (def) place.elementReference = def.ref;
    this.sink.elementFinding(code, message, place, code === 'X12_ELEMENT_EXCLUSION' ? this.valueAt(position) : undefined);
  }

  // Syntax notes (X12.6): P paired, R required, E exclusion, C conditional, L list conditional.
  // The common case (rule satisfied) runs plain loops; names are built only for findings.
  private rule(rule: SyntaxRule): void {
    const ps = rule.elements;
    const head = ps[0];
    if (head === undefined) return;
    let first = -1; // first present element of the rule
    let count = 0; // present elements
    for (let i = 0; i < ps.length; i++) {
      if (this.isPresent(ps[i]!)) {
        if (first < 0) first = ps[i]!;
        count++;
      }
    }
    switch (rule.type) {
      case 'P':
        if (count === 0 || count === ps.length) return;
        for (const p of ps) {
          if (!this.isPresent(p)) {
            this.ruleFinding('X12_ELEMENT_CONDITIONAL_MISSING', p,
              `${this.designator(p, 0)} is required because ${this.designator(first, 0)} is present (${this.names(ps)} are used together or not at all)`);
          }
        }
        return;
      case 'R':
        if (count === 0) this.ruleFinding('X12_ELEMENT_CONDITIONAL_MISSING', head, `at least one of ${this.names(ps)} is required`);
        return;
      case 'E':
        if (count <= 1) return;
        for (const p of ps) {
          if (p !== first && this.isPresent(p)) {
            this.ruleFinding('X12_ELEMENT_EXCLUSION', p,
              `${this.designator(p, 0)} must not be used together with ${this.designator(first, 0)} (only one of ${this.names(ps)} may be used)`);
          }
        }
        return;
      case 'C':
        if (!this.isPresent(head) || count === ps.length) return;
        for (const p of ps) {
          if (!this.isPresent(p)) {
            this.ruleFinding('X12_ELEMENT_CONDITIONAL_MISSING', p, `${this.designator(p, 0)} is required because ${this.designator(head, 0)} is present`);
          }
        }
        return;
      case 'L':
        if (!this.isPresent(head) || count > 1) return;
        this.ruleFinding('X12_ELEMENT_CONDITIONAL_MISSING', ps[1] ?? head,
          `at least one of ${this.names(ps.slice(1))} is required because ${this.designator(head, 0)} is present`);
        return;
    }
  }

  private names(ps: readonly number[]): string {
    return ps.map((p) => this.designator(p, 0)).join(', ');
  }
}

function measure(def: CompiledElement, length: number): string {
  const unit = def.family === NUMERIC || def.family === DECIMAL ? 'digit' : 'character';
  return `${length} ${unit}${length === 1 ? '' : 's'}`;
}

function codeList(codes: ReadonlySet<string>): string {
  const list = [...codes];
  return list.length > 12 ? list.slice(0, 12).join(', ') + ', ...' : list.join(', ');
}

/** True when s[start, end) holds nothing but the separator (a composite written as ">>"). */
function isOnly(s: string, start: number, end: number, sep: string): boolean {
  if (sep.length !== 1) return false;
  const c = sep.charCodeAt(0);
  for (let i = start; i < end; i++) if (s.charCodeAt(i) !== c) return false;
  return true;
}
