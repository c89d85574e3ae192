// What an inbound 997/999 does to the documents we sent (pure): which of them it answers (our GS06 in
// AK102, our ST02 in AK202; sets it does not list take the group's verdict), the state each one moves
// to with the reasons in plain words (describe.ts), and what it names that matches nothing we sent.
// Likewise an inbound TA1 (our ISA13 in TA101): R rejects every document of that interchange; A and E
// are noted on their timelines, and the 997/999 is still awaited (it answers the sets themselves).
// The caller reads the candidates (the partner's documents of that group) and writes the moves.
import { finding, type Finding } from '../errors/finding.js';
import { describeAck } from './describe.js';
import { setOutcome, type AckOutcome, type AckResult, type GroupAck, type InterchangeAck } from './parse-acks.js';

/** outbound_documents.state (migration 10). */
export type OutboundDocumentState =
  | 'held' | 'built' | 'sent' | 'acknowledged' | 'accepted-with-errors' | 'ack-rejected' | 'ack-overdue' | 'cancelled';

/** The states an acknowledgment moves a document to. */
export type AckedState = 'acknowledged' | 'accepted-with-errors' | 'ack-rejected';

/** Only these wait for an acknowledgment: a late one (after ack-overdue) still counts; an answered one stays as it is. */
export const AWAITING_ACK: readonly OutboundDocumentState[] = ['sent', 'ack-overdue'];

// 'unknown' (no AK5, no AK9) decides nothing: the document keeps waiting.
const STATE_OF: Partial<Record<AckOutcome, AckedState>> = {
  accepted: 'acknowledged',
  'accepted-with-errors': 'accepted-with-errors',
  'partially-accepted': 'accepted-with-errors',
  rejected: 'ack-rejected',
};

/** One of our documents of the acknowledged group, as stored. */
export interface SentDocument {
  id: number;
  /** ST01 */
  setId: string;
  /** ST02 */
  controlNumber: string;
  state: OutboundDocumentState;
}

export interface AckMove {
  id: number;
  from: OutboundDocumentState;
  to: AckedState;
  outcome: AckOutcome;
  /** The timeline entry: the verdict and its reasons on one line. */
  message: string;
  /** describeAck's lines for this document (the group's verdict, then the set's, its segments and elements). */
  lines: string[];
}

export interface AckReconciliation {
  moves: AckMove[];
  /** Matched but left as they are: already answered (a repeated ack), not sent, or a verdict the ack does not give. */
  unchanged: number[];
  /** What the ack names that matches nothing we sent, in plain words (empty: all of it matched). */
  unmatched: string[];
}

/**
 * `sent`: the partner's documents whose group_control is the ack's AK102. `ackDocumentId`: the
 * inbound 997/999 document, named in the messages.
 */
export function reconcileGroupAck(ack: GroupAck, sent: readonly SentDocument[], ackDocumentId: number): AckReconciliation {
  const group = `group ${ack.group.controlNumber} (${ack.group.functionalId || '?'})`;
  if (sent.length === 0) return { moves: [], unchanged: [], unmatched: [group] };
  const ours = new Set(sent.map((d) => d.controlNumber));
  const unmatched = ack.sets.filter((s) => !ours.has(s.controlNumber)).map((s) => `set ${s.setId} ${s.controlNumber} of ${group}`);
  const moves: AckMove[] = [];
  const unchanged: number[] = [];
  for (const doc of sent) {
    const outcome = setOutcome(ack, doc.controlNumber);
    const to = STATE_OF[outcome];
    if (!to || !AWAITING_ACK.includes(doc.state)) {
      unchanged.push(doc.id);
      continue;
    }
    const lines = linesFor(ack, doc);
    const message = `${to} by ${ack.kind} ${ack.source.transaction ?? ''} (inbound document #${ackDocumentId}): ${lines.map((l) => l.trim()).join('; ')}`;
    moves.push({ id: doc.id, from: doc.state, to, outcome, message, lines });
  }
  return { moves, unchanged, unmatched };
}

/** The group's verdict, then what the ack says about this set (or that it does not list it). */
function linesFor(ack: GroupAck, doc: SentDocument): string[] {
  const listed = ack.sets.filter((s) => s.controlNumber === doc.controlNumber);
  const lines = describeAck({ ...ack, sets: listed });
  if (listed.length === 0) lines.push(`  set ${doc.setId} ${doc.controlNumber}: not listed, so it takes the group's verdict`);
  return lines;
}

/** One of our documents sent in the interchange a TA1 names. */
export interface SentInInterchange extends SentDocument {
  /** The ISA segment of the bytes sent (absent when its delivery entry is gone). */
  isa?: string;
}

/** A timeline entry with no state change. */
export interface AckNote {
  id: number;
  message: string;
}

export interface InterchangeAckReconciliation {
  /** The documents the TA1 answers (after the date and time pick among interchanges that share the number). */
  matched: number[];
  /** TA104 R: the matched documents still awaiting an acknowledgment -> ack-rejected. */
  moves: AckMove[];
  /** TA104 A or E (or a verdict the TA1 does not give): what it said, on each matched document. */
  notes: AckNote[];
  unmatched: string[];
}

/**
 * `sent`: the partner's documents whose ISA13 is the TA1's TA101. Our counter wraps after
 * 999999999, so when they come from several interchanges the TA1's date and time (TA102/TA103,
 * our ISA09/ISA10 echoed) pick the one it answers. `ackRef` says where the TA1 came from, in the messages.
 */
export function reconcileInterchangeAck(ack: InterchangeAck, sent: readonly SentInInterchange[], ackRef: string): InterchangeAckReconciliation {
  const sameTime = sent.filter((d) => {
    const isa = d.isa && d.isa.length >= 106 ? d.isa.split(d.isa[3]!) : [];
    return isa[9] === ack.date && isa[10] === ack.time;
  });
  const several = new Set(sent.map((d) => d.isa ?? '')).size > 1;
  const matched = several && sameTime.length ? sameTime : sent;
  if (matched.length === 0) return { matched: [], moves: [], notes: [], unmatched: [`interchange ${ack.interchange || '?'}`] };
  const lines = describeAck(ack);
  const verdict = `TA1 (${ackRef}): ${lines.join('; ')}`;
  if (ack.outcome !== 'rejected') {
    const awaited = ack.outcome === 'unknown' ? '' : '; its 997/999 is still awaited';
    return { matched: matched.map((d) => d.id), moves: [], notes: matched.map((d) => ({ id: d.id, message: `${verdict}${AWAITING_ACK.includes(d.state) ? awaited : ''}` })), unmatched: [] };
  }
  const moves = matched
    .filter((d) => AWAITING_ACK.includes(d.state))
    .map((d): AckMove => ({ id: d.id, from: d.state, to: 'ack-rejected', outcome: 'rejected', message: `ack-rejected by ${verdict}`, lines }));
  return { matched: matched.map((d) => d.id), moves, notes: [], unmatched: [] };
}

/** The warning on the inbound 997/999 (or the interchange of a TA1) when part of it matches nothing we sent to `partner`. */
export function unmatchedAckFinding(ack: Pick<AckResult, 'kind' | 'source'>, unmatched: readonly string[], where: { partner: string; file?: string }): Finding {
  const s = ack.source;
  return finding(
    'ACK_UNMATCHED',
    `${[ack.kind, s.transaction].filter(Boolean).join(' ')} acknowledges what we never sent to partner ${where.partner}: ${unmatched.join(', ')}`,
    {
      ...(where.file ? { file: where.file } : {}),
      offset: s.offset, line: s.line, interchange: s.interchange,
      ...(s.group ? { group: s.group } : {}),
      ...(s.transaction ? { transaction: s.transaction } : {}),
      ...(ack.kind === 'TA1' ? { segmentTag: 'TA1' } : { transactionSetId: ack.kind }),
    },
  );
}
