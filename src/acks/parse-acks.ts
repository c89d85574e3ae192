// Reads the acknowledgments a partner sends us: TA1 segments (between ISA and GS)
// and 997/999 transaction sets. The result says which of OUR interchanges (TA101),
// groups (AK1 GS06) and sets (AK2 ST02) were accepted, accepted with errors,
// partially accepted or rejected, and why, with every code in plain words.
// Structural validation against the 997/999 specs is the validator's job; this
// reader is tolerant and reports only what stops it from understanding the ack.
import type { Finding } from '../errors/finding.js';
import type { FunctionalGroup, Interchange, InterchangeHeader, Location, Segment, TransactionSet } from '../x12/model.js';
import { segmentsOf } from '../x12/segment-list.js';
import {
  codeMeaning, elementErrorCodes, groupErrorCodes, groupStatusCodes, isKnownCode, segmentErrorCodes,
  setErrorCodes, setStatusCodes, ta1NoteCodes, ta1StatusCodes, type CodeTable,
} from './code-tables.js';
import { ackCodes, type AckCode } from '../errors/codes/acks.js';

export type AckOutcome = 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected' | 'unknown';

/** A code as received, with its meaning in plain words. */
export interface CodeWithMeaning {
  code: string;
  meaning: string;
}

/** A problem with the acknowledgment itself; a Finding once ackCodes are in the catalog. */
export type AckFinding = Omit<Finding, 'code'> & { code: AckCode };

/** Where the acknowledgment came from: the partner's interchange (and group and set for a 997/999). */
export interface AckSource {
  /** ISA13 of the interchange carrying the acknowledgment. */
  interchange: string;
  senderQualifier: string;
  senderId: string;
  receiverId: string;
  /** GS06 and ST02 of the 997/999 itself. */
  group?: string;
  transaction?: string;
  offset: number;
  line: number;
}

/** A TA1: the answer to one of OUR interchanges. */
export interface InterchangeAck {
  kind: 'TA1';
  /** TA101: the ISA13 of our interchange. */
  interchange: string;
  /** TA102/TA103: date (YYMMDD) and time (HHMM) of our interchange as the partner read them. */
  date: string;
  time: string;
  outcome: AckOutcome;
  status: CodeWithMeaning;
  note: CodeWithMeaning;
  source: AckSource;
  problems: AckFinding[];
}

export interface ElementAck {
  /** AK401-1 / IK401-1 element position in the segment. */
  position?: number;
  componentPosition?: number;
  /** IK401-3 (999). */
  repetitionPosition?: number;
  /** AK402 data element reference number. */
  reference?: string;
  error?: CodeWithMeaning;
  /** AK404: copy of the bad data. */
  value?: string;
}

export interface SegmentAck {
  /** AK301 segment id. */
  tag: string;
  /** AK302 position in the set (ST = 1). */
  position?: number;
  /** AK303 loop id. */
  loopId?: string;
  error?: CodeWithMeaning;
  elements: ElementAck[];
  /** CTX segments (999 context), as received, elements joined by '*'. */
  context: string[];
}

export interface SetAck {
  /** AK201: ST01 of our set, e.g. 850. */
  setId: string;
  /** AK202: ST02 of our set. */
  controlNumber: string;
  /** AK203 (999). */
  implementationReference?: string;
  outcome: AckOutcome;
  /** AK501; absent when the AK5 is missing. */
  status?: CodeWithMeaning;
  /** AK502..AK506. */
  errors: CodeWithMeaning[];
  segments: SegmentAck[];
}

/** A 997/999: the answer to one of OUR functional groups. */
export interface GroupAck {
  kind: '997' | '999';
  /** AK101..AK103: GS01, GS06 and GS08 of our group. */
  group: { functionalId: string; controlNumber: string; version?: string };
  outcome: AckOutcome;
  /** AK901; absent when the AK9 is missing. */
  status?: CodeWithMeaning;
  /** AK902..AK904. */
  declaredCount?: number;
  received?: number;
  accepted?: number;
  /** AK905..AK909. */
  errors: CodeWithMeaning[];
  /** The sets the ack lists (AK2..AK5). */
  sets: SetAck[];
  /** What the ack implies for our sets it does not list (many partners list only the sets with errors). */
  unlistedSets: AckOutcome;
  source: AckSource;
  problems: AckFinding[];
}

export type AckResult = InterchangeAck | GroupAck;

const ACK_SET_IDS = new Set(['997', '999']);

/** Every acknowledgment in an interchange: its TA1 segments, then its 997/999 sets in file order. */
export function readAcknowledgments(ic: Interchange): AckResult[] {
  const out: AckResult[] = readInterchangeAcks(ic);
  for (const g of ic.groups) {
    for (const tx of g.transactions) {
      if (ACK_SET_IDS.has(tx.id)) out.push(readFunctionalAck(tx, g, ic));
    }
  }
  return out;
}

/** The TA1 segments of an interchange (alone in it, or before its groups), read. */
export function readInterchangeAcks(ic: Interchange): InterchangeAck[] {
  return ic.ta1.map((seg) => readTa1(seg, ic));
}

/**
 * The outcome of one of OUR sets (by its ST02) according to a 997/999: a rejected group
 * rejects every set; a listed set has its own outcome; an unlisted one what the AK9 implies.
 */
export function setOutcome(ack: GroupAck, controlNumber: string): AckOutcome {
  if (ack.outcome === 'rejected') return 'rejected';
  const listed = ack.sets.filter((s) => s.controlNumber === controlNumber);
  if (listed.length === 0) return ack.unlistedSets;
  // A set listed twice with different verdicts: the cautious reading wins.
  return listed.some((s) => s.outcome === 'rejected') ? 'rejected' : listed[0]!.outcome;
}

// ---- TA1 -------------------------------------------------------------------------

const ta1Outcomes: Record<string, AckOutcome> = { A: 'accepted', E: 'accepted-with-errors', R: 'rejected' };

function readTa1(seg: Segment, ic: Interchange): InterchangeAck {
  const problems: AckFinding[] = [];
  const e = (i: number) => seg.elements[i] ?? '';
  const where = location(ic.header, seg, { segmentTag: 'TA1' });
  if (e(1) === '' || e(4) === '') {
    problems.push(ackFinding('ACK_STRUCTURE', `TA1 lacks ${e(1) === '' ? 'TA101 (our interchange control number)' : 'TA104 (the acknowledgment code)'}`, where));
  }
  return {
    kind: 'TA1',
    interchange: e(1),
    date: e(2),
    time: e(3),
    outcome: ta1Outcomes[e(4)] ?? 'unknown',
    status: coded(ta1StatusCodes, e(4), where, problems),
    note: coded(ta1NoteCodes, e(5), where, problems),
    source: source(ic.header, seg),
    problems,
  };
}

// ---- 997 / 999 --------------------------------------------------------------------------

const groupOutcomes: Record<string, AckOutcome> = {
  A: 'accepted', E: 'accepted-with-errors', P: 'partially-accepted', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected',
};
const setOutcomes: Record<string, AckOutcome> = { A: 'accepted', E: 'accepted-with-errors', R: 'rejected', M: 'rejected', W: 'rejected', X: 'rejected' };

/** The state of one pass over a 997/999: the set and segment error being read. */
interface Cursor {
  set: SetAck | null;
  segment: SegmentAck | null;
  sawAk1: boolean;
  sawAk9: boolean;
}

function readFunctionalAck(tx: TransactionSet, g: FunctionalGroup, ic: Interchange): GroupAck {
  return readFunctionalAckSet(tx, { header: ic.header, group: g.header.controlNumber });
}

/** The envelope a 997/999 set came in: enough to say where the acknowledgment came from. */
export interface AckSetContext {
  header: Pick<InterchangeHeader, 'controlNumber' | 'senderQualifier' | 'senderId' | 'receiverId'>;
  /** GS06 of the group carrying the 997/999. */
  group: string;
}

/** Reads one 997/999 transaction set on its own (the pipeline maps sets one by one). */
export function readFunctionalAckSet(tx: TransactionSet, ctx: AckSetContext): GroupAck {
  const h = ctx.header;
  // Read through segmentsOf: an acknowledgment of a large group is itself large, held compactly.
  const segs = segmentsOf(tx);
  const first = segs.at(0);
  const problems: AckFinding[] = [];
  const ack: GroupAck = {
    kind: tx.id === '999' ? '999' : '997',
    group: { functionalId: '', controlNumber: '' },
    outcome: 'unknown',
    errors: [],
    sets: [],
    unlistedSets: 'unknown',
    source: { ...source(h, first), group: ctx.group, transaction: tx.controlNumber },
    problems,
  };
  const cur: Cursor = { set: null, segment: null, sawAk1: false, sawAk9: false };
  for (let i = 0; i < segs.length; i++) {
    const seg = segs.at(i);
    const where = location(h, seg, { group: ctx.group, transaction: tx.controlNumber, transactionSetId: tx.id, segmentTag: seg.tag, segmentPosition: i + 1 });
    readSegment(seg, ack, cur, where, problems);
  }
  const end = location(h, segs.at(segs.length - 1), { group: ctx.group, transaction: tx.controlNumber, transactionSetId: tx.id });
  if (cur.set) closeSetWithoutTrailer(cur, end, problems);
  if (!cur.sawAk1) problems.push(ackFinding('ACK_STRUCTURE', `${tx.id} ${tx.controlNumber} has no AK1: it does not say which group it acknowledges`, end));
  if (!cur.sawAk9) problems.push(ackFinding('ACK_STRUCTURE', `${tx.id} ${tx.controlNumber} has no AK9: the group's verdict is unknown`, end));
  checkConsistency(ack, end, problems);
  return ack;
}

function readSegment(seg: Segment, ack: GroupAck, cur: Cursor, where: Location, problems: AckFinding[]): void {
  const e = (i: number) => seg.elements[i] ?? '';
  const comps = (i: number) => (seg.delimiters.component ? e(i).split(seg.delimiters.component) : [e(i)]);
  switch (seg.tag) {
    case 'ST':
    case 'SE':
      return;
    case 'AK1': {
      if (cur.sawAk1) problems.push(ackFinding('ACK_STRUCTURE', 'a second AK1 in one acknowledgment set; the first one is kept', where));
      else {
        ack.group = { functionalId: e(1), controlNumber: e(2) };
        if (e(3)) ack.group.version = e(3);
        cur.sawAk1 = true;
      }
      return;
    }
    case 'AK2': {
      if (cur.set) closeSetWithoutTrailer(cur, where, problems);
      const set: SetAck = { setId: e(1), controlNumber: e(2), outcome: 'unknown', errors: [], segments: [] };
      if (e(3)) set.implementationReference = e(3);
      ack.sets.push(set);
      cur.set = set;
      cur.segment = null;
      return;
    }
    case 'AK3':
    case 'IK3': {
      if (!cur.set) {
        problems.push(ackFinding('ACK_STRUCTURE', `${seg.tag} appears outside an AK2 set response; it is ignored`, where));
        return;
      }
      const s: SegmentAck = { tag: e(1), elements: [], context: [] };
      const position = int(e(2));
      if (position !== undefined) s.position = position;
      if (e(3)) s.loopId = e(3);
      if (e(4)) s.error = coded(segmentErrorCodes, e(4), where, problems);
      cur.set.segments.push(s);
      cur.segment = s;
      return;
    }
    case 'AK4':
    case 'IK4': {
      if (!cur.segment) {
        problems.push(ackFinding('ACK_STRUCTURE', `${seg.tag} appears without the AK3/IK3 of its segment; it is ignored`, where));
        return;
      }
      const [pos, comp, rep] = comps(1);
      const el: ElementAck = {};
      const position = int(pos);
      const component = int(comp);
      const repetition = int(rep);
      if (position !== undefined) el.position = position;
      if (component !== undefined) el.componentPosition = component;
      if (repetition !== undefined) el.repetitionPosition = repetition;
      if (e(2)) el.reference = e(2);
      if (e(3)) el.error = coded(elementErrorCodes, e(3), where, problems);
      if (e(4)) el.value = e(4);
      cur.segment.elements.push(el);
      return;
    }
    case 'CTX': {
      cur.segment?.context.push(seg.elements.slice(1).join('*'));
      return;
    }
    case 'AK5':
    case 'IK5': {
      if (!cur.set) {
        problems.push(ackFinding('ACK_STRUCTURE', `${seg.tag} appears without its AK2; it is ignored`, where));
        return;
      }
      cur.set.status = coded(setStatusCodes, e(1), where, problems);
      cur.set.outcome = setOutcomes[e(1)] ?? 'unknown';
      cur.set.errors = codes(setErrorCodes, seg, 2, 6, where, problems);
      cur.set = null;
      cur.segment = null;
      return;
    }
    case 'AK9': {
      if (cur.set) closeSetWithoutTrailer(cur, where, problems);
      cur.sawAk9 = true;
      ack.status = coded(groupStatusCodes, e(1), where, problems);
      ack.outcome = groupOutcomes[e(1)] ?? 'unknown';
      const declared = int(e(2));
      const received = int(e(3));
      const accepted = int(e(4));
      if (declared !== undefined) ack.declaredCount = declared;
      if (received !== undefined) ack.received = received;
      if (accepted !== undefined) ack.accepted = accepted;
      ack.errors = codes(groupErrorCodes, seg, 5, 9, where, problems);
      // Sets the ack does not list share the group's fate: accepted unless the group was rejected.
      ack.unlistedSets = ack.outcome === 'unknown' ? 'unknown' : ack.outcome === 'rejected' ? 'rejected' : 'accepted';
      return;
    }
    default:
      problems.push(ackFinding('ACK_STRUCTURE', `segment ${seg.tag} does not belong in a 997/999; it is ignored`, where));
  }
}

function closeSetWithoutTrailer(cur: Cursor, where: Location, problems: AckFinding[]): void {
  const set = cur.set!;
  problems.push(ackFinding('ACK_STRUCTURE', `the response for set ${set.setId} ${set.controlNumber} has no AK5/IK5: its verdict is unknown`, where));
  cur.set = null;
  cur.segment = null;
}

/** Self-contradictions worth telling a person about; setOutcome() applies the cautious reading. */
function checkConsistency(ack: GroupAck, where: Location, problems: AckFinding[]): void {
  const rejectedSets = ack.sets.filter((s) => s.outcome === 'rejected');
  if ((ack.outcome === 'accepted' || ack.outcome === 'accepted-with-errors') && rejectedSets.length) {
    problems.push(ackFinding('ACK_INCONSISTENT', `AK9 says ${ack.status?.code} but ${rejectedSets.map((s) => `set ${s.setId} ${s.controlNumber}`).join(', ')} ${rejectedSets.length === 1 ? 'is' : 'are'} rejected`, where));
  }
  if (ack.received !== undefined && ack.accepted !== undefined && ack.accepted > ack.received) {
    problems.push(ackFinding('ACK_INCONSISTENT', `AK904 says ${ack.accepted} sets accepted but AK903 only ${ack.received} received`, where));
  }
}

// ---- helpers --------------------------------------------------------------------------------

function coded(table: CodeTable, code: string, where: Location, problems: AckFinding[]): CodeWithMeaning {
  if (!isKnownCode(table, code)) {
    problems.push(ackFinding('ACK_UNKNOWN_CODE', code === '' ? `${table.element} is empty` : `${table.element} code "${code}" is not defined`, where, code));
  }
  return { code, meaning: codeMeaning(table, code) };
}

/** The non-empty codes in elements from..to (AK502-506, AK905-909). */
function codes(table: CodeTable, seg: Segment, from: number, to: number, where: Location, problems: AckFinding[]): CodeWithMeaning[] {
  const out: CodeWithMeaning[] = [];
  for (let i = from; i <= to; i++) {
    const c = seg.elements[i];
    if (c) out.push(coded(table, c, where, problems));
  }
  return out;
}

function int(s: string | undefined): number | undefined {
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

type SourceHeader = AckSetContext['header'];

function source(h: SourceHeader, seg: Segment): AckSource {
  return { interchange: h.controlNumber, senderQualifier: h.senderQualifier, senderId: h.senderId, receiverId: h.receiverId, offset: seg.offset, line: seg.line };
}

function location(h: SourceHeader, seg: Segment, extra: Location): Location {
  return { offset: seg.offset, line: seg.line, interchange: h.controlNumber, ...extra };
}

function ackFinding(code: AckCode, message: string, location: Location, value?: string): AckFinding {
  const entry = ackCodes[code];
  const f: AckFinding = { code, severity: entry.severity, message, location: { ...location }, ack: {} };
  if (value !== undefined) f.value = value.slice(0, 99);
  return f;
}
