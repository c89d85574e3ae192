// Collects validation findings for one transaction set. It keeps the segment
// being validated (position, loop) so structure and element checks build full
// locations (AK3/AK4 data) only when something is wrong.
import { finding, type Finding } from '../errors/finding.js';
import type { X12Code } from '../errors/codes/x12.js';
import type { Location, Segment, TransactionSet } from './model.js';

export interface ValidationContext {
  file?: string;
  interchange?: string;
  group?: string;
}

/** Element-level parts of a location (AK401/AK402). */
export interface ElementPlace {
  elementPosition: number;
  componentPosition?: number;
  repetitionPosition?: number;
  elementReference?: string;
}

export class FindingSink {
  readonly findings: Finding[] = [];
  /** The segment being validated, its position in the set (ST = 1) and the loop it sits in. */
  segment: Segment | undefined;
  position = 0;
  loopId: string | undefined;

  constructor(private readonly context: ValidationContext, private readonly tx: TransactionSet) {}

  /** Moves to the next segment of the set. */
  at(segment: Segment, position: number): void {
    this.segment = segment;
    this.position = position;
    this.loopId = undefined;
  }

  /** The location of the current segment; `tag` and `loopId` override it (a missing segment is reported where it was expected). */
  location(tag?: string, loopId?: string | null): Location {
    const c = this.context;
    const seg = this.segment;
    const loc: Location = {};
    if (c.file !== undefined) loc.file = c.file;
    if (seg) {
      loc.offset = seg.offset;
      loc.line = seg.line;
    }
    if (c.interchange !== undefined) loc.interchange = c.interchange;
    if (c.group !== undefined) loc.group = c.group;
    loc.transaction = this.tx.controlNumber;
    loc.transactionSetId = this.tx.id;
    loc.segmentPosition = this.position;
    const t = tag ?? seg?.tag;
    if (t !== undefined) loc.segmentTag = t;
    const loop = loopId === null ? undefined : (loopId ?? this.loopId);
    if (loop !== undefined) loc.loopId = loop;
    return loc;
  }

  /** A segment-level finding (AK3) about the current segment, or about `tag` expected here. */
  segmentFinding(code: X12Code, message: string, tag?: string, loopId?: string | null): void {
    this.findings.push(finding(code, message, this.location(tag, loopId)));
  }

  /** An element-level finding (AK4) in the current segment. */
  elementFinding(code: X12Code, message: string, place: ElementPlace, value?: string): void {
    const loc = this.location();
    loc.elementPosition = place.elementPosition;
    if (place.componentPosition !== undefined) loc.componentPosition = place.componentPosition;
    if (place.repetitionPosition !== undefined) loc.repetitionPosition = place.repetitionPosition;
    if (place.elementReference !== undefined) loc.elementReference = place.elementReference;
    this.findings.push(finding(code, message, loc, value === undefined ? {} : { value }));
  }
}
