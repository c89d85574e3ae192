// Collects the findings of one map run and reads typed element values, turning
// every missing or unreadable value into a MAP_* finding with its full location
// (file, interchange, group, set, segment position, element, component).
import { finding, type Finding } from '../../errors/finding.js';
import type { MapCode } from '../../errors/codes/maps.js';
import type { Location, Segment, TransactionSet } from '../../x12/model.js';
import type { SetBounds } from '../../x12/validate-bounds.js';
import { LARGE_SET, segmentCount, segmentsOf } from '../../x12/segment-list.js';
import type { MapContext } from './map-types.js';
import { ElementReader, parseDate, parseDecimal, parseImplied, parseTime } from './values.js';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Options of the typed readers: `required` names the value in the finding when it is missing. */
export interface ReadOptions {
  required?: string;
  /** Composite elements: the 1-based component to read. */
  component?: number;
}

export class MapReport {
  readonly findings: Finding[] = [];
  /** Reads the elements of this run's segments (with the validator's boundaries when given them). */
  readonly elements: ElementReader;
  /** The set is large (LARGE_SET segments or more): its document is worth sharing repeated values in. */
  readonly large: boolean;

  /** `bounds`: what the validator noted while checking `tx` just before (see examineTransaction). */
  constructor(private readonly tx: TransactionSet, private readonly ctx: MapContext = {}, bounds?: SetBounds) {
    this.large = segmentCount(tx) >= LARGE_SET;
    this.elements = new ElementReader(bounds, this.large);
  }

  /** Position of a segment in its set, ST = 1 (AK302). */
  position(seg: Segment): number | undefined {
    // The reader numbers segments through the file, so the offset from ST's number is the
    // position: no table of positions per set. Segments numbered otherwise are searched.
    const segs = segmentsOf(this.tx);
    const n = segs.length;
    const guess = n > 0 ? seg.index - segs.at(0).index : -1;
    if (guess >= 0 && guess < n && segs.holds(guess, seg)) return guess + 1;
    for (let i = n - 1; i >= 0; i--) if (segs.holds(i, seg)) return i + 1;
    return undefined;
  }

  /** The location of a segment (or of the set, with no segment), optionally narrowed to an element. */
  at(seg?: Segment, element?: number, component?: number): Location {
    const loc: Location = { transaction: this.tx.controlNumber, transactionSetId: this.tx.id };
    if (this.ctx.file !== undefined) loc.file = this.ctx.file;
    if (this.ctx.interchange !== undefined) loc.interchange = this.ctx.interchange;
    if (this.ctx.group !== undefined) loc.group = this.ctx.group;
    if (seg) {
      loc.offset = seg.offset;
      loc.line = seg.line;
      loc.segmentTag = seg.tag;
      const pos = this.position(seg);
      if (pos !== undefined) loc.segmentPosition = pos;
    }
    if (element !== undefined) loc.elementPosition = element;
    if (component !== undefined) loc.componentPosition = component;
    return loc;
  }

  add(code: MapCode, message: string, location: Location, value?: string): void {
    this.findings.push(finding(code, message, location, value === undefined ? {} : { value }));
  }

  get hasErrors(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }

  /** "BEG03" */
  static designator(seg: Segment, element: number, component?: number): string {
    return `${seg.tag}${pad2(element)}${component !== undefined ? `-${pad2(component)}` : ''}`;
  }

  /** A mandatory segment is absent: located at `near` (the segment where it was expected) or at the set. */
  missingSegment(tag: string, what: string, near?: Segment): void {
    const loc = this.at(near);
    loc.segmentTag = tag;
    this.add('MAP_SEGMENT_MISSING', `${tag} segment (${what}) is missing`, loc);
  }

  /** A segment the map does not carry into the document: a warning, so nothing is dropped silently. */
  ignored(seg: Segment, where?: string): void {
    this.add('MAP_SEGMENT_IGNORED', `${seg.tag} segment${where ? ` in ${where}` : ''} is not mapped and was left out of the document`, this.at(seg));
  }

  unknownCode(seg: Segment, element: number, value: string, what: string): void {
    this.add('MAP_UNKNOWN_CODE', `${MapReport.designator(seg, element)} "${value}" is not a known ${what}`, this.at(seg, element), value);
  }

  // The readers below run for most elements of every line: each keeps its common case small
  // (so it can be inlined where it is called) and leaves reporting to separate methods.

  /** Raw text of an element or component; a finding when it is required and empty. */
  text(seg: Segment, element: number, options?: ReadOptions): string | undefined {
    const v = options?.component === undefined ? this.elements.value(seg, element) : this.elements.component(seg, element, options.component);
    if (v === undefined && options?.required !== undefined) this.missingValue(seg, element, options);
    return v;
  }

  private missingValue(seg: Segment, element: number, options: ReadOptions): void {
    const c = options.component;
    this.add('MAP_REQUIRED_VALUE', `${MapReport.designator(seg, element, c)} (${options.required}) is missing`, this.at(seg, element, c));
  }

  /** An element that must be present: the empty string stands in when it is not (the finding makes the document unusable). */
  requiredText(seg: Segment, element: number, what: string): string {
    return this.text(seg, element, { required: what }) ?? '';
  }

  /** An R (explicit decimal) element. */
  decimal(seg: Segment, element: number, options?: ReadOptions): number | undefined {
    // Straight from the segment text unless a component is asked for (NaN: take the general path).
    const v = options?.component === undefined ? this.elements.decimal(seg, element) : Number.NaN;
    if (v === undefined ? options?.required === undefined : !Number.isNaN(v)) return v;
    return this.convert(seg, element, options, parseDecimal, 'a decimal number');
  }

  /** An Nn (implied decimal) element: with 2 decimals "12345" is 123.45. */
  implied(seg: Segment, element: number, decimals: number, options?: ReadOptions): number | undefined {
    const v = options?.component === undefined ? this.elements.implied(seg, element, decimals) : Number.NaN;
    if (v === undefined ? options?.required === undefined : !Number.isNaN(v)) return v;
    return this.convert(seg, element, options, (t) => parseImplied(t, decimals), `a number with ${decimals} implied decimals`);
  }

  /** The general path of the number readers: reads the text, reports it when it is missing or not a number. */
  private convert(seg: Segment, element: number, options: ReadOptions | undefined, parse: (text: string) => number | undefined, expected: string): number | undefined {
    const raw = this.text(seg, element, options);
    if (raw === undefined) return undefined;
    const v = parse(raw);
    if (v === undefined) this.unreadable(seg, element, options, raw, 'MAP_INVALID_NUMBER', expected);
    return v;
  }

  /** A DT element as YYYY-MM-DD. */
  date(seg: Segment, element: number, options?: ReadOptions): string | undefined {
    const raw = this.text(seg, element, options);
    if (raw === undefined) return undefined;
    const v = parseDate(raw);
    if (v === undefined) this.unreadable(seg, element, options, raw, 'MAP_INVALID_DATE', 'a date (CCYYMMDD)');
    return v;
  }

  /** A TM element as HH:MM[:SS]. */
  time(seg: Segment, element: number, options?: ReadOptions): string | undefined {
    const raw = this.text(seg, element, options);
    if (raw === undefined) return undefined;
    const v = parseTime(raw);
    if (v === undefined) this.unreadable(seg, element, options, raw, 'MAP_INVALID_TIME', 'a time (HHMM[SS])');
    return v;
  }

  private unreadable(seg: Segment, element: number, options: ReadOptions | undefined, raw: string, code: MapCode, expected: string): void {
    const c = options?.component;
    this.add(code, `${MapReport.designator(seg, element, c)} "${raw}" is not ${expected}`, this.at(seg, element, c), raw);
  }
}
