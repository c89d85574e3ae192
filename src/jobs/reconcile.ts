// The map stage's reconciliation of inbound 997/999 with what we sent: for each acknowledgment the
// batch maps, the partner's documents of the acknowledged group are locked, src/acks/reconcile.ts
// decides their moves, and the moves and their events are written in the map stage's transaction.
// The 997/999 document itself gets a note of what it answered, or a warning when it answers nothing
// we sent (ACK_UNMATCHED). TA1s do not reach the stages (the split reads no document from them).
import type { Finding } from '../errors/finding.js';
import type { GroupAck } from '../acks/parse-acks.js';
import { AWAITING_ACK, reconcileGroupAck, unmatchedAckFinding } from '../acks/reconcile.js';
import type { Tx } from '../store/conn.js';
import type { WorkDocument } from '../store/documents-repo.js';
import { applyAckMoves, lockDocumentsOfGroup } from '../store/reconcile-repo.js';
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
