// The map stage's reconciliation of inbound 997/999 with what we sent: for each acknowledgment the
// batch maps, the partner's documents of the acknowledged group are locked, src/acks/reconcile.ts
// decides their moves, and the moves and their events are written in the map stage's transaction.
// The 997/999 document itself gets a note of what it answered, or a warning when it answers nothing
// we sent (ACK_UNMATCHED). A TA1 is no transaction set, so no document carries it: the split stage
// applies the TA1s of each interchange it accepts (reconcileInterchangeAcks) in its transaction, once,
// with a note on the file and the warnings on the interchange.
import type { Finding } from '../errors/finding.js';
import { describeAck } from '../acks/describe.js';
import { readInterchangeAcks, type GroupAck } from '../acks/parse-acks.js';
import { AWAITING_ACK, reconcileGroupAck, reconcileInterchangeAck, unmatchedAckFinding } from '../acks/reconcile.js';
import type { Tx } from '../store/conn.js';
import type { WorkDocument } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { applyAckMoves, lockDocumentsOfGroup, lockDocumentsOfInterchange } from '../store/reconcile-repo.js';
import type { Interchange } from '../x12/model.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { PipelineContext } from './context.js';

export { markAcksOverdue } from '../store/reconcile-repo.js';

const FUNCTIONAL_ACK_TYPE = 'functional_ack';

/**
 * Applies each acknowledgment among `changes` (documents of `docs` mapped to functional_ack) to the
 * documents we sent, and returns the changes with what that added to the acknowledgment's own record.
 * Acknowledgments are applied in the order given, so a later one in the batch sees the earlier's moves.
 */
export async function reconcileAcks(ctx: PipelineContext, tx: Tx, docs: readonly WorkDocument[], changes: readonly DocumentChange[]): Promise<DocumentChange[]> {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const out: DocumentChange[] = [];
  for (const change of changes) {
    const doc = byId.get(change.id);
    out.push(doc && change.to === 'mapped' && change.documentType === FUNCTIONAL_ACK_TYPE ? await reconcileOne(ctx, tx, doc, change) : change);
  }
  return out;
}

async function reconcileOne(ctx: PipelineContext, tx: Tx, doc: WorkDocument, change: DocumentChange): Promise<DocumentChange> {
  const ack = change.document as GroupAck;
  // No AK1: the reader's ACK_STRUCTURE finding already says the ack names no group.
  if (!ack.group.controlNumber) return change;
  const sent = await lockDocumentsOfGroup(tx, { partner: doc.partner, groupControl: ack.group.controlNumber });
  const decided = reconcileGroupAck(ack, sent, doc.id);
  const moved = await applyAckMoves(tx, {
    moves: decided.moves.map((m) => ({ id: m.id, to: m.to, message: m.message, details: { ackDocumentId: doc.id, ack: ack.kind, outcome: m.outcome, lines: m.lines } })),
    from: AWAITING_ACK,
    at: ctx.now(),
    stage: 'ack',
    actor: 'system',
  });
  const findings = decided.unmatched.length
    ? [...((change.findings ?? []) as Finding[]), unmatchedAckFinding(ack, decided.unmatched, { partner: doc.partner, ...(doc.sourceName ? { file: doc.sourceName } : {}) })]
    : change.findings;
  const note = sent.length === 0 ? ': matches nothing we sent' : `: answers ${sent.length} document(s) we sent, ${moved.length} moved${decided.unmatched.length ? `, ${decided.unmatched.length} unmatched` : ''}`;
  const event = change.event && {
    message: change.event.message + note,
    details: { ...change.event.details, outboundDocuments: sent.map((d) => d.id), moved: moved.map((m) => ({ id: m.id, from: m.fromState, to: m.toState })) },
  };
  return { ...change, ...(findings ? { findings } : {}), ...(event ? { event } : {}) };
}

/** An interchange the split accepted, as it read it. */
export interface ReceivedInterchange {
  partner: string;
  fileId: number;
  sourceName: string;
  interchangeId: number;
  ic: Interchange;
}

/**
 * Applies the TA1s of `received` to the documents we sent in the interchanges they name (our ISA13 in
 * TA101, the partner's documents only): R moves those awaiting an acknowledgment to ack-rejected, A and
 * E are noted on their timelines. Each TA1 gets an event on the file. Returns the findings for the
 * interchange: the TA1's own problems and ACK_UNMATCHED for a TA1 that answers nothing we sent.
 */
export async function reconcileInterchangeAcks(ctx: Pick<PipelineContext, 'now'>, tx: Tx, received: ReceivedInterchange): Promise<Finding[]> {
  const { partner, fileId, ic } = received;
  const findings: Finding[] = [];
  for (const ack of readInterchangeAcks(ic)) {
    findings.push(...ack.problems);
    // TA101 is N0 9: a number sent without its padding still names our nine-digit ISA13.
    const control = /^\d{1,9}$/.test(ack.interchange) ? ack.interchange.padStart(9, '0') : ack.interchange;
    const sent = control ? await lockDocumentsOfInterchange(tx, { partner, interchangeControl: control }) : [];
    const ackRef = `interchange ${ic.header.controlNumber} of file #${fileId}`;
    const decided = reconcileInterchangeAck(ack, sent, ackRef);
    const ta1 = { interchange: ack.interchange, date: ack.date, time: ack.time, status: ack.status.code, note: ack.note.code };
    const moved = await applyAckMoves(tx, {
      moves: decided.moves.map((m) => ({ id: m.id, to: m.to, message: m.message, details: { fileId, interchangeId: received.interchangeId, ack: 'TA1', outcome: m.outcome, lines: m.lines, ta1 } })),
      from: AWAITING_ACK,
      at: ctx.now(),
      stage: 'ack',
      actor: 'system',
    });
    for (const note of decided.notes) {
      await addEvent(tx, { outboundDocumentId: note.id, stage: 'ack', actor: 'system', message: note.message, details: { fileId, interchangeId: received.interchangeId, ack: 'TA1', ta1 } });
    }
    if (decided.unmatched.length) findings.push(unmatchedAckFinding(ack, decided.unmatched, { partner, file: received.sourceName }));
    const answers = decided.matched.length === 0
      ? 'matches nothing we sent'
      : `answers ${decided.matched.length} document(s) we sent${ack.outcome === 'rejected' ? `, ${moved.length} moved to ack-rejected` : ''}`;
    await addEvent(tx, {
      fileId, stage: 'ack', actor: 'system',
      message: `TA1 in interchange ${ic.header.controlNumber}: ${describeAck(ack).join('; ')}: ${answers}`,
      details: { interchangeId: received.interchangeId, ta1, outboundDocuments: decided.matched, moved: moved.map((m) => ({ id: m.id, from: m.fromState, to: m.toState })) },
    });
  }
  return findings;
}
