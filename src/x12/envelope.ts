// The envelope reader: consumes segments from the tokenizer and builds interchanges,
// functional groups and transaction sets, checking every envelope rule on the way
// (docs/x12.md#envelopes, docs/x12.md#partner-faults-tolerated-and-rejected). Problems become findings attached to the
// interchange, group or set they concern, with the ack codes they feed.
import type { FunctionalGroup, Interchange, Location, Segment, TransactionSet } from './model.js';
import { finding, type Finding } from '../errors/finding.js';
import type { SegmentSource, TokenProblem, TokenSegment } from './tokenizer.js';
import { segmentCount, SetSegments } from './segment-list.js';
import type { X12Code } from '../errors/codes/x12.js';
import { specVersion } from './versions.js';

export interface EnvelopeHandlers {
  /** A transaction set is complete (at its SE, or cut short by a missing trailer). */
  transaction?(tx: TransactionSet, group: FunctionalGroup, interchange: Interchange): void;
  /** A functional group is complete (at its GE, or cut short). */
  group?(group: FunctionalGroup, interchange: Interchange): void;
  /** An interchange is complete (at its IEA, or cut short). */
  interchange?(interchange: Interchange): void;
  /** A file-level finding (not X12, trailing data). */
  fileFinding?(f: Finding): void;
}

export interface EnvelopeOptions {
  file?: string;
  /** Keep transaction sets inside their groups (in-memory reading). Streaming leaves them out. */
  keepTransactions?: boolean;
  /** A partner setting: a variable-width ISA is a warning rather than an error. */
  allowVariableIsa?: boolean;
  /** The GS01 a transaction set id belongs in (from the spec registry); unknown sets are not checked. */
  groupOf?: (setId: string) => string | undefined;
  /** A set is held compactly once it has this many segments, 2 or more (see segment-list.ts); default LARGE_SET there. */
  compactFrom?: number;
}

const ISA_AUTH = new Set(['00', '01', '02', '03', '04', '05', '06']);
const ISA_SECURITY = new Set(['00', '01']);

/** The tags segment() handles itself rather than adding them to the open set (keep the two in step). */
const ENVELOPE_TAGS: ReadonlySet<string> = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'TA1']);

export class EnvelopeReader {
  private ic: Interchange | null = null;
  private group: FunctionalGroup | null = null;
  private tx: TransactionSet | null = null;
  /** Where the segments of the current set go (its array, then its table once it is large). */
  private segments: SetSegments | undefined;
  private groupCount = 0;
  private txCount = 0;
  private groupIds = new Set<string>();
  private txIds = new Set<string>();

  constructor(private readonly handlers: EnvelopeHandlers, private readonly options: EnvelopeOptions = {}) {}

  // ---- context -------------------------------------------------------------

  private where(seg: { offset: number; line: number }, extra: Location = {}): Location {
    const l: Location = { offset: seg.offset, line: seg.line };
    if (this.options.file !== undefined) l.file = this.options.file;
    if (this.ic) l.interchange = this.ic.header.controlNumber;
    if (this.group) l.group = this.group.header.controlNumber;
    if (this.tx) {
      l.transaction = this.tx.controlNumber;
      l.transactionSetId = this.tx.id;
    }
    return Object.assign(l, extra);
  }

  /** Attaches a finding to the innermost open container. */
  private report(f: Finding): void {
    if (this.tx) this.tx.findings.push(f);
    else if (this.group) this.group.findings.push(f);
    else if (this.ic) this.ic.findings.push(f);
    else this.handlers.fileFinding?.(f);
  }

  private icFinding(code: X12Code, message: string, seg: Segment, severity?: 'error' | 'warning'): void {
    (this.ic as Interchange).findings.push(finding(code, message, this.where(seg, { segmentTag: seg.tag }), severity ? { severity } : {}));
  }

  // ---- input from the tokenizer ----------------------------------------------------

  problem(p: TokenProblem): void {
    const loc = this.where(p, p.segmentTag ? { segmentTag: p.segmentTag } : {});
    if (this.tx && p.segmentTag) loc.segmentPosition = segmentCount(this.tx) + 1;
    const f = finding(p.code, p.message, loc, p.severity ? { severity: p.severity } : {});
    if (p.code === 'X12_TRAILING_DATA' || p.code === 'X12_TRAILING_PADDING' || p.code === 'X12_NOT_X12' || p.code === 'X12_NO_ENVELOPE') {
      this.handlers.fileFinding?.(f);
    } else if (p.code === 'X12_TRUNCATED' && p.segmentTag !== 'IEA') {
      // The interchange is cut short: it is rejected as a whole (TA1 023).
      if (this.ic) this.ic.findings.push(f);
      else this.handlers.fileFinding?.(f);
    } else if (p.code === 'X12_ISA_WIDTH' || p.segmentTag === 'ISA' || p.code === 'X12_HARD_WRAPPED') {
      if (this.ic) this.ic.findings.push(f);
      else this.handlers.fileFinding?.(f);
    } else {
      this.report(f);
    }
  }

  isaWidth(seg: TokenSegment, width: number, expected: number): void {
    if (!this.ic) return;
    this.ic.isaWidth = width;
    if (width !== expected) {
      this.icFinding(
        'X12_ISA_WIDTH',
        `the ISA segment is ${width} characters long where ${expected} are expected (ISA elements are not padded to their fixed widths)`,
        seg,
        this.options.allowVariableIsa ? 'warning' : 'error',
      );
    }
  }

  /** A body segment of a set held compactly is noted in its table as it is (see TokenizerSink.noted). */
  noted(tag: string, src: SegmentSource, k: number): boolean {
    // The tags segment() does anything else with come as segments.
    if (this.segments === undefined || ENVELOPE_TAGS.has(tag)) return false;
    return this.segments.note(tag, src, k);
  }

  segment(seg: Segment): void {
    switch (seg.tag) {
      case 'ISA': return this.openInterchange(seg);
      case 'IEA': return this.closeInterchange(seg);
      case 'GS': return this.openGroup(seg);
      case 'GE': return this.closeGroup(seg);
      case 'ST': return this.openTransaction(seg);
      case 'SE': return this.closeTransaction(seg);
      case 'TA1':
        if (this.ic && !this.group && this.ic.groups.length === 0) {
          this.ic.ta1.push(seg);
          return;
        }
        break;
    }
    if (this.tx) {
      this.segments!.add(seg);
    } else if (this.group) {
      this.group.findings.push(finding('X12_GROUP_CONTENT', `segment ${seg.tag} appears inside group ${this.group.header.controlNumber} but outside any transaction set (ST..SE)`, this.where(seg, { segmentTag: seg.tag })));
    } else if (this.ic) {
      this.icFinding('X12_INTERCHANGE_CONTENT', `segment ${seg.tag} appears outside any functional group (GS..GE)`, seg);
    }
  }

  /** The input is finished: whatever is still open lacks its trailers. */
  end(): void {
    if (this.ic) this.closeMissing('end');
  }

  // ---- interchange --------------------------------------------------------------

  private openInterchange(seg: Segment): void {
    if (this.ic) this.closeMissing('ISA', seg);
    const e = seg.elements;
    const v = (i: number) => e[i] ?? '';
    this.ic = {
      header: {
        authorizationQualifier: v(1), authorization: v(2).trim(), securityQualifier: v(3), security: v(4).trim(),
        senderQualifier: v(5).trim(), senderId: v(6).trim(), receiverQualifier: v(7).trim(), receiverId: v(8).trim(),
        date: v(9), time: v(10), standardsId: v(11), version: v(12), controlNumber: v(13), ackRequested: v(14), usage: v(15),
      },
      delimiters: seg.delimiters,
      segment: seg,
      ta1: [],
      groups: [],
      isaWidth: 106,
      findings: [],
    };
    this.groupCount = 0;
    this.groupIds.clear();
    this.checkIsa(seg);
  }

  /** ISA element checks (TA1 note codes). */
  private checkIsa(seg: Segment): void {
    const h = (this.ic as Interchange).header;
    const e = seg.elements;
    if (e.length !== 17) this.icFinding('X12_ISA_ELEMENT_COUNT', `the ISA segment has ${e.length - 1} elements where 16 are expected`, seg);
    if (!ISA_AUTH.has(h.authorizationQualifier)) this.icFinding('X12_ISA_AUTHORIZATION', `ISA01 is "${h.authorizationQualifier}"; expected 00 (no authorization) or another ISA01 code`, seg);
    if (!ISA_SECURITY.has(h.securityQualifier)) this.icFinding('X12_ISA_AUTHORIZATION', `ISA03 is "${h.securityQualifier}"; expected 00 or 01`, seg);
    if (!/^[0-9A-Z]{2}$/.test(h.senderQualifier) || h.senderId === '') this.icFinding('X12_ISA_SENDER', `ISA05/ISA06 sender is "${h.senderQualifier}"/"${h.senderId}"; a two-character qualifier and a non-blank id are required`, seg);
    if (!/^[0-9A-Z]{2}$/.test(h.receiverQualifier) || h.receiverId === '') this.icFinding('X12_ISA_RECEIVER', `ISA07/ISA08 receiver is "${h.receiverQualifier}"/"${h.receiverId}"; a two-character qualifier and a non-blank id are required`, seg);
    if (!isDate6(h.date)) this.icFinding('X12_ISA_DATE', `ISA09 is "${h.date}"; a date YYMMDD is expected`, seg);
    if (!isTime4(h.time)) this.icFinding('X12_ISA_TIME', `ISA10 is "${h.time}"; a time HHMM is expected`, seg);
    if (!/^\d{5}$/.test(h.version)) this.icFinding('X12_ISA_VERSION', `ISA12 is "${h.version}"; five digits such as 00401 or 00501 are expected`, seg);
    if (!/^\d{9}$/.test(h.controlNumber)) this.icFinding('X12_ISA_CONTROL_NUMBER', `ISA13 is "${h.controlNumber}"; nine digits are expected`, seg);
    if (h.ackRequested !== '0' && h.ackRequested !== '1') this.icFinding('X12_ISA_ACK_REQUESTED', `ISA14 is "${h.ackRequested}"; 0 or 1 is expected`, seg);
    if (h.usage !== 'P' && h.usage !== 'T' && h.usage !== 'I') this.icFinding('X12_ISA_USAGE', `ISA15 is "${h.usage}"; P, T or I is expected`, seg);
  }

  private closeInterchange(seg: Segment): void {
    if (!this.ic) return; // the tokenizer only emits IEA inside an interchange
    if (this.tx) this.closeTransactionMissing(seg);
    if (this.group) this.closeGroupMissing(seg);
    const ic = this.ic;
    ic.trailer = seg;
    const count = seg.elements[1] ?? '';
    const control = seg.elements[2] ?? '';
    if (control !== ic.header.controlNumber) {
      this.icFinding('X12_IEA_CONTROL_MISMATCH', `IEA02 is "${control}" but ISA13 is "${ic.header.controlNumber}"`, seg);
    }
    if (count !== String(this.groupCount) && Number(count) !== this.groupCount) {
      this.icFinding('X12_IEA_COUNT', `IEA01 says ${count || '(empty)'} functional groups but the interchange holds ${this.groupCount}`, seg);
    }
    this.finishInterchange();
  }

  private finishInterchange(): void {
    const ic = this.ic as Interchange;
    this.ic = null;
    this.handlers.interchange?.(ic);
  }

  /** Closes whatever is open when a trailer is missing ('end' of file, or a new ISA). */
  private closeMissing(cause: 'end' | 'ISA', seg?: Segment): void {
    const ic = this.ic as Interchange;
    const at = seg ?? { offset: ic.segment.offset, line: ic.segment.line };
    if (this.tx) this.closeTransactionMissing(at);
    if (this.group) this.closeGroupMissing(at);
    ic.findings.push(finding('X12_IEA_MISSING',
      cause === 'end' ? `the file ends before the IEA of interchange ${ic.header.controlNumber}` : `interchange ${ic.header.controlNumber} has no IEA before the next ISA`,
      this.where(at, { segmentTag: 'IEA' })));
    this.finishInterchange();
  }

  // ---- functional group ---------------------------------------------------------------

  private openGroup(seg: Segment): void {
    if (!this.ic) return;
    if (this.tx) this.closeTransactionMissing(seg);
    if (this.group) this.closeGroupMissing(seg);
    const e = seg.elements;
    const v = (i: number) => e[i] ?? '';
    const group: FunctionalGroup = {
      header: { functionalId: v(1), senderId: v(2), receiverId: v(3), date: v(4), time: v(5), controlNumber: v(6), agency: v(7), version: v(8) },
      segment: seg,
      transactions: [],
      findings: [],
    };
    this.group = group;
    this.groupCount++;
    this.ic.groups.push(group);
    this.txCount = 0;
    this.txIds.clear();
    const h = group.header;
    const at = this.where(seg, { segmentTag: 'GS' });
    const missing = [1, 2, 3, 4, 5, 6, 7, 8].filter((i) => v(i) === '');
    if (missing.length) {
      group.findings.push(finding('X12_GS_ELEMENTS', `GS is missing ${missing.map((i) => 'GS0' + i).join(', ')}`, at));
    }
    if (!/^\d{1,9}$/.test(h.controlNumber)) {
      group.findings.push(finding('X12_GS_CONTROL_NUMBER', `GS06 is "${h.controlNumber}"; a number of 1 to 9 digits is expected`, at));
    } else if (this.groupIds.has(h.controlNumber)) {
      group.findings.push(finding('X12_GS_DUPLICATE', `GS06 ${h.controlNumber} is used by another group of interchange ${this.ic.header.controlNumber}`, at));
    }
    this.groupIds.add(h.controlNumber);
    if (h.version !== '') {
      const version = specVersion(h.version);
      if (!version) {
        group.findings.push(finding('X12_GS_VERSION', `GS08 is "${h.version}"; this gateway reads 004010 and 005010 (and their variants)`, at));
      } else if (/^\d{5}$/.test(this.ic.header.version) && h.version.slice(0, 5) !== this.ic.header.version) {
        group.findings.push(finding('X12_GS_VERSION_MISMATCH', `GS08 is "${h.version}" but ISA12 is "${this.ic.header.version}"; the group is read as ${version}`, at));
      }
    }
    if ((h.date !== '' && !isDate8(h.date)) || (h.time !== '' && !isTime(h.time))) {
      group.findings.push(finding('X12_GS_DATE', `GS04/GS05 are "${h.date}"/"${h.time}"; a date CCYYMMDD and a time HHMM[SS] are expected`, at));
    }
  }

  private closeGroup(seg: Segment): void {
    if (!this.group) {
      if (this.ic) this.icFinding('X12_INTERCHANGE_CONTENT', 'a GE segment appears without its GS', seg);
      return;
    }
    if (this.tx) this.closeTransactionMissing(seg);
    const g = this.group;
    g.trailer = seg;
    const count = seg.elements[1] ?? '';
    const control = seg.elements[2] ?? '';
    if (/^\d+$/.test(count)) g.declaredCount = Number(count);
    const at = this.where(seg, { segmentTag: 'GE' });
    if (control !== g.header.controlNumber) {
      g.findings.push(finding('X12_GE_CONTROL_MISMATCH', `GE02 is "${control}" but GS06 is "${g.header.controlNumber}"`, at));
    }
    if (g.declaredCount !== this.txCount) {
      g.findings.push(finding('X12_GE_COUNT', `GE01 says ${count || '(empty)'} transaction sets but the group holds ${this.txCount}`, at));
    }
    this.finishGroup();
  }

  private closeGroupMissing(at: { offset: number; line: number }): void {
    const g = this.group as FunctionalGroup;
    g.findings.push(finding('X12_GE_MISSING', `functional group ${g.header.controlNumber} has no GE trailer`, this.where(at, { segmentTag: 'GE' })));
    this.finishGroup();
  }

  private finishGroup(): void {
    const g = this.group as FunctionalGroup;
    this.group = null;
    this.handlers.group?.(g, this.ic as Interchange);
  }

  // ---- transaction set -------------------------------------------------------------------

  private openTransaction(seg: Segment): void {
    if (!this.ic) return;
    if (this.tx) this.closeTransactionMissing(seg);
    if (!this.group) {
      this.icFinding('X12_INTERCHANGE_CONTENT', 'a transaction set (ST) appears outside any functional group (GS..GE)', seg);
      return;
    }
    const id = seg.elements[1] ?? '';
    const control = seg.elements[2] ?? '';
    const tx: TransactionSet = { id, controlNumber: control, segments: [seg], complete: false, findings: [] };
    const ref = seg.elements[3];
    if (ref) tx.implementationReference = ref;
    this.tx = tx;
    this.segments = new SetSegments(tx, this.options.compactFrom);
    this.txCount++;
    const at = this.where(seg, { segmentTag: 'ST', segmentPosition: 1 });
    const expected = id ? this.options.groupOf?.(id) : undefined;
    const gs01 = this.group.header.functionalId;
    if (id === '') {
      tx.findings.push(finding('X12_ST_SET_ID', 'ST01 (transaction set identifier) is empty', { ...at, elementPosition: 1 }));
    } else if (expected !== undefined && expected !== gs01) {
      tx.findings.push(finding('X12_ST_SET_ID', `transaction set ${id} is in a group with GS01 "${gs01}"; a ${id} belongs in a group with GS01 "${expected}"`, { ...at, elementPosition: 1 }, { value: id }));
    }
    if (control.length < 4 || control.length > 9) {
      tx.findings.push(finding('X12_ST_CONTROL_NUMBER', `ST02 is "${control}"; 4 to 9 characters are expected`, { ...at, elementPosition: 2 }, { value: control }));
    } else if (this.txIds.has(control)) {
      tx.findings.push(finding('X12_ST_DUPLICATE', `ST02 ${control} is used by another transaction set of group ${this.group.header.controlNumber}`, { ...at, elementPosition: 2 }, { value: control }));
    }
    this.txIds.add(control);
  }

  private closeTransaction(seg: Segment): void {
    if (!this.tx) {
      if (this.group) this.group.findings.push(finding('X12_GROUP_CONTENT', 'an SE segment appears without its ST', this.where(seg, { segmentTag: 'SE' })));
      else if (this.ic) this.icFinding('X12_INTERCHANGE_CONTENT', 'an SE segment appears without its ST', seg);
      return;
    }
    const tx = this.tx;
    this.segments!.add(seg);
    tx.complete = true;
    const count = seg.elements[1] ?? '';
    const control = seg.elements[2] ?? '';
    const held = segmentCount(tx);
    const at = this.where(seg, { segmentTag: 'SE', segmentPosition: held });
    if (control !== tx.controlNumber) {
      tx.findings.push(finding('X12_SE_CONTROL_MISMATCH', `SE02 is "${control}" but ST02 is "${tx.controlNumber}"`, { ...at, elementPosition: 2 }, { value: control }));
    }
    if (Number(count) !== held || !/^\d+$/.test(count)) {
      tx.findings.push(finding('X12_SE_COUNT', `SE01 says ${count || '(empty)'} segments but the transaction set holds ${held} (ST and SE included)`, { ...at, elementPosition: 1 }, { value: count }));
    }
    this.finishTransaction();
  }

  private closeTransactionMissing(at: { offset: number; line: number }): void {
    const tx = this.tx as TransactionSet;
    tx.findings.push(finding('X12_SE_MISSING', `transaction set ${tx.id} ${tx.controlNumber} has no SE trailer; it is not processed`, this.where(at, { segmentTag: 'SE' })));
    this.finishTransaction();
  }

  private finishTransaction(): void {
    const tx = this.tx as TransactionSet;
    const g = this.group as FunctionalGroup;
    this.tx = null;
    this.segments = undefined;
    if (this.options.keepTransactions) g.transactions.push(tx);
    this.handlers.transaction?.(tx, g, this.ic as Interchange);
  }
}

// ---- date and time checks (ISA09 YYMMDD, GS04 CCYYMMDD, HHMM[SS[d..]]) ----

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= days;
}

export function isDate6(s: string): boolean {
  return /^\d{6}$/.test(s) && validDate(2000 + Number(s.slice(0, 2)), Number(s.slice(2, 4)), Number(s.slice(4, 6)));
}

export function isDate8(s: string): boolean {
  return /^\d{8}$/.test(s) && validDate(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
}

export function isTime4(s: string): boolean {
  return /^\d{4}$/.test(s) && Number(s.slice(0, 2)) < 24 && Number(s.slice(2, 4)) < 60;
}

export function isTime(s: string): boolean {
  return /^\d{4}(\d{2}(\d{1,2})?)?$/.test(s) && isTime4(s.slice(0, 4)) && (s.length < 6 || Number(s.slice(4, 6)) < 60);
}
