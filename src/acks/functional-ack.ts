// Builds one 997 or 999 transaction set for one received functional group, straight
// from the findings (docs/x12.md#ak-and-ik-codes-by-version): each finding carries its AK3/AK4/AK5/AK9
// codes and its location, so there is no second mapping table here. 997 and 999
// differ only in data: segment tags, AK103, ST03 and the repetition position.
import type { Finding } from '../errors/finding.js';
import type { Delimiters, FunctionalGroup, TransactionSet } from '../x12/model.js';
import type { OutboundTransaction, SegmentData } from '../x12/writer.js';
import { echoCleaner } from './clean.js';
import { elementErrorCodes, groupErrorCodes, type CodeTable } from './code-tables.js';

export type FunctionalAckKind = '997' | '999';

interface AckShape {
  segmentTag: 'AK3' | 'IK3';
  elementTag: 'AK4' | 'IK4';
  setTrailerTag: 'AK5' | 'IK5';
  /** ST03 of the acknowledgment itself. */
  implementationReference?: string;
  /** AK103 (GS08 of the acknowledged group): required in the 999. */
  withGroupVersion: boolean;
  /** AK203 (ST03 of the acknowledged set), IK401-3 (repetition position): 999 only. */
  withSetReference: boolean;
  withRepetition: boolean;
}

const shapes: Record<FunctionalAckKind, AckShape> = {
  '997': { segmentTag: 'AK3', elementTag: 'AK4', setTrailerTag: 'AK5', withGroupVersion: false, withSetReference: false, withRepetition: false },
  '999': {
    segmentTag: 'IK3', elementTag: 'IK4', setTrailerTag: 'IK5', implementationReference: '005010X231A1',
    withGroupVersion: true, withSetReference: true, withRepetition: true,
  },
};

/** Limits of the acknowledgment segments: AK502-506 and AK905-909 hold 5 codes, an AK3 loop 99 AK4s, AK404 99 characters. */
const MAX_CODES = 5;
const MAX_ELEMENT_ERRORS = 99;
const MAX_BAD_DATA = 99;

export interface FunctionalAckOptions {
  /** AK2..AK5 for every set (default) or only for sets with errors. */
  detail?: 'all-sets' | 'errors-only';
  /** The delimiters the acknowledgment will be written with; characters colliding with them are dropped from AK404. */
  delimiters?: Delimiters;
  /**
   * GS08 of the group the 997 is sent in (default: the acknowledged group's). Before 005010,
   * AK403 and AK905 codes the version does not define are written as the nearest code it does define.
   */
  version?: string;
}

export type SetStatus = 'A' | 'R';
export type GroupStatus = 'A' | 'P' | 'R';

export interface SetAssessment {
  tx: TransactionSet;
  status: SetStatus;
  /** The error findings of the set: envelope (tx.findings) first, then validation. */
  errors: Finding[];
}

export interface GroupAssessment {
  status: GroupStatus;
  sets: SetAssessment[];
  /** Error findings of the group envelope (GS/GE). */
  errors: Finding[];
  received: number;
  accepted: number;
}

const isError = (f: Finding) => f.severity === 'error';

/**
 * What a group's acknowledgment says, without writing it: a set is rejected when any
 * error finding concerns it (warnings never reject); the group is rejected when its
 * envelope has errors or no set was accepted, partially accepted when some sets were.
 * The pipeline uses the same verdict to decide what it posts.
 */
export function assessGroup(group: FunctionalGroup, setFindings: ReadonlyMap<TransactionSet, readonly Finding[]>): GroupAssessment {
  const sets = group.transactions.map((tx): SetAssessment => {
    const errors = [...tx.findings, ...(setFindings.get(tx) ?? [])].filter(isError);
    return { tx, status: errors.length ? 'R' : 'A', errors };
  });
  const errors = group.findings.filter(isError);
  const received = sets.length;
  const accepted = sets.filter((s) => s.status === 'A').length;
  // A group with envelope errors is rejected as a whole; AK904 still counts the sets
  // whose own AK5 says accepted, so the acknowledgment stays consistent with itself.
  const status: GroupStatus = errors.length ? 'R' : accepted === received ? 'A' : accepted === 0 ? 'R' : 'P';
  return { status, sets, errors, received, accepted };
}

/** The 997/999 transaction set (ST/SE added by the writer) acknowledging one received group. */
export function buildFunctionalAck(
  group: FunctionalGroup,
  setFindings: ReadonlyMap<TransactionSet, readonly Finding[]>,
  kind: FunctionalAckKind,
  controlNumber: string,
  options: FunctionalAckOptions = {},
): OutboundTransaction {
  const shape = shapes[kind];
  const h = group.header;
  const assessment = assessGroup(group, setFindings);
  const clean = echoCleaner(options.delimiters, MAX_BAD_DATA);
  const pre5010 = kind === '997' && before005010(options.version ?? h.version);
  const elementCode = pre5010 ? codeIn004010(elementErrorCodes) : sameCode;
  const groupCode = pre5010 ? codeIn004010(groupErrorCodes) : sameCode;
  const body: SegmentData[] = [];
  body.push(shape.withGroupVersion ? ['AK1', h.functionalId, h.controlNumber, h.version] : ['AK1', h.functionalId, h.controlNumber]);
  for (const set of assessment.sets) {
    if (options.detail === 'errors-only' && set.status === 'A') continue;
    const ref = shape.withSetReference ? set.tx.implementationReference : undefined;
    body.push(ref ? ['AK2', set.tx.id, set.tx.controlNumber, ref] : ['AK2', set.tx.id, set.tx.controlNumber]);
    body.push(...segmentErrors(set.errors, shape, clean, elementCode));
    body.push([shape.setTrailerTag, set.status, ...distinctCodes(set.errors.map(setErrorCode))]);
  }
  body.push([
    'AK9',
    assessment.status,
    String(group.declaredCount ?? assessment.received),
    String(assessment.received),
    String(assessment.accepted),
    ...distinctCodes(assessment.errors.map((f) => (f.ack.ak9 === undefined ? undefined : groupCode(f.ack.ak9)))),
  ]);
  const tx: OutboundTransaction = { id: kind, controlNumber, body };
  if (shape.implementationReference) tx.implementationReference = shape.implementationReference;
  return tx;
}

const sameCode = (code: string): string => code;
const codeIn004010 = (table: CodeTable) => (code: string): string => table.codes[code]?.in004010 ?? code;

/** Whether a GS08 version (004010, 004010VICS, 005010X231A1, ...) is older than 005010; an unreadable one counts as older. */
function before005010(version: string): boolean {
  const m = /^(\d{6})/.exec(version.trim());
  return m ? Number(m[1]) < 5010 : true;
}

/** AK502 code of a finding: its own, or 5 ("one or more segments in error") for a segment or element finding without one. */
function setErrorCode(f: Finding): string | undefined {
  return f.ack.ak5 ?? (f.ack.ak3 || f.ack.ak4 ? '5' : undefined);
}

function distinctCodes(codes: readonly (string | undefined)[]): string[] {
  return [...new Set(codes.filter((c): c is string => !!c))].slice(0, MAX_CODES);
}

interface SegmentEntry {
  position: number;
  tag: string;
  loopId: string | undefined;
  /** AK304 codes of segment-level findings (unexpected, missing, over max use...). */
  codes: string[];
  /** Element-level findings (AK4), all under one AK3 with their AK304 (8). */
  elements: Finding[];
}

/** AK3/AK4 (IK3/IK4) loops: one entry per segment in error, in segment order. */
function segmentErrors(errors: readonly Finding[], shape: AckShape, clean: (v: string) => string, elementCode: (code: string) => string): SegmentData[] {
  const entries = new Map<string, SegmentEntry>();
  for (const f of errors) {
    if (!f.ack.ak3 && !f.ack.ak4) continue;
    const l = f.location;
    const tag = segmentId(l.segmentTag);
    // AK301 and AK302 are mandatory: a finding without them still rejects the set (AK5), but gets no AK3.
    if (l.segmentPosition === undefined || tag === undefined) continue;
    const key = `${l.segmentPosition}\u0000${tag}`;
    let e = entries.get(key);
    if (!e) {
      e = { position: l.segmentPosition, tag, loopId: undefined, codes: [], elements: [] };
      entries.set(key, e);
    }
    e.loopId ??= l.loopId;
    if (f.ack.ak4) e.elements.push(f);
    else if (f.ack.ak3 && !e.codes.includes(f.ack.ak3)) e.codes.push(f.ack.ak3);
  }
  const out: SegmentData[] = [];
  const sorted = [...entries.values()].sort((a, b) => a.position - b.position);
  for (const e of sorted) {
    const loop = e.loopId?.slice(0, 4);
    for (const code of e.codes) out.push([shape.segmentTag, e.tag, String(e.position), loop, code]);
    if (e.elements.length === 0) continue;
    out.push([shape.segmentTag, e.tag, String(e.position), loop, e.elements[0]!.ack.ak3 ?? '8']);
    for (const f of e.elements.slice(0, MAX_ELEMENT_ERRORS)) {
      const el = elementError(f, shape, clean, elementCode);
      if (el) out.push(el);
    }
  }
  return out;
}

function elementError(f: Finding, shape: AckShape, clean: (v: string) => string, elementCode: (code: string) => string): SegmentData | undefined {
  const l = f.location;
  if (l.elementPosition === undefined) return undefined;
  const position = [String(l.elementPosition), l.componentPosition?.toString()];
  if (shape.withRepetition) position.push(l.repetitionPosition?.toString());
  const bad = f.value === undefined ? undefined : clean(f.value);
  // AK402/IK402 is element 725, numeric: a composite's id (C040) is not a reference number there.
  const reference = l.elementReference && /^\d{1,4}$/.test(l.elementReference) ? l.elementReference : undefined;
  return [shape.elementTag, position, reference, f.ack.ak4 === undefined ? undefined : elementCode(f.ack.ak4), bad || undefined];
}

/** AK301 is an identifier of 2-3 letters and digits; a garbled tag is cut down to that. */
function segmentId(tag: string | undefined): string | undefined {
  const id = (tag ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 3);
  return id.length >= 2 ? id : undefined;
}
