// Map stage (per document, batched in one transaction): read the set back from its own bytes with
// its interchange's delimiters, map it to its canonical document (src/maps), store the document or
// reject the set with the mapping findings, and hand mapped documents to post.
import { finding, formatFinding, isError, type Finding } from '../errors/finding.js';
import { mapFor } from '../maps/registry.js';
import type { Tx } from '../store/conn.js';
import { lockDocumentsForWork, moveDocuments, type WorkDocument } from '../store/documents-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import { readTransactionSet } from '../x12/read-set.js';
import type { TransactionSet } from '../x12/model.js';
import { readFunctionalAckSet } from '../acks/parse-acks.js';
import { allTogether } from './batch.js';
import type { PipelineContext } from './context.js';
import { recordFailure } from './failures.js';
import { reconcileAcks } from './reconcile.js';
import { STAGE_QUEUES } from './queues.js';
import type { StageHandler } from './runner.js';

export function mapHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.map,
    run: (jobs) =>
      allTogether(ctx.db, jobs, async (tx, batch) => {
        await mapDocuments(ctx, tx, batch.map((j) => (j.data as { documentId: number }).documentId), new Map(batch.map((j) => [(j.data as { documentId: number }).documentId, j.data.priority ?? 0])));
        return new Map();
      }),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

/** `priorities`: of the documents' map jobs, which their post jobs keep (queues.ts priorityAt). */
export async function mapDocuments(ctx: PipelineContext, tx: Tx, ids: readonly number[], priorities: ReadonlyMap<number, number> = new Map()): Promise<void> {
  const docs = await lockDocumentsForWork(tx, { ids, states: ['validated'], bytes: true });
  // Inbound 997/999 move the documents we sent, in this transaction (reconcile.ts).
  const changes = await reconcileAcks(ctx, tx, docs, docs.map(mapOne));
  const changed = await moveDocuments(tx, { from: ['validated'], stage: 'map', actor: 'system', changes });
  await ctx.queue.enqueue(tx, changed.filter((d) => d.state === 'mapped').map((d) => ({ stage: 'post' as const, documentId: d.id, priority: priorities.get(d.id) ?? 0 })));
}

/** Pure: the change mapping one document makes. */
export function mapOne(doc: WorkDocument): DocumentChange {
  const before = withoutStage(doc.findings as Finding[]);
  const map = mapFor(doc.setId);
  if (!map && FUNCTIONAL_ACK_SETS.has(doc.setId)) return mapFunctionalAck(doc, before);
  if (!map) {
    const f = finding('PIPELINE_NO_MAP', `transaction set ${doc.setId} has no map to a canonical document`, {
      ...(doc.sourceName ? { file: doc.sourceName } : {}), interchange: doc.interchangeControl, group: doc.groupControl, transaction: doc.controlNumber, transactionSetId: doc.setId,
    });
    return { id: doc.id, to: 'rejected', failedStage: 'map', reason: formatFinding(f), findings: [...before, f], event: { message: `not mapped: ${f.message}` } };
  }
  const tx = setOf(doc);
  const result = map.read(tx, { file: doc.sourceName, interchange: doc.interchangeControl, group: doc.groupControl });
  // The set's own reading problems were recorded by the split; only the mapping adds findings here.
  const findings = [...before, ...result.findings];
  const errors = result.findings.filter(isError);
  if (errors.length || !result.document) {
    const reason = errors[0] ? formatFinding(errors[0]) : `the ${doc.setId} map produced no document`;
    return {
      id: doc.id, to: 'rejected', failedStage: 'map', reason, findings, documentType: map.documentType,
      event: { message: `not mapped: ${reason}`, details: { errors: errors.length } },
    };
  }
  const warnings = result.findings.length;
  return {
    id: doc.id, to: 'mapped', documentType: map.documentType, document: result.document, findings,
    event: { message: `mapped to ${map.documentType}${warnings ? `, with ${warnings} warning(s)` : ''}` },
  };
}

/** The document's transaction set, read back from its own bytes. */
function setOf(doc: WorkDocument): TransactionSet {
  if (!doc.delimiters || !doc.bytes) throw new Error(`document ${doc.id}: its interchange has no stored delimiters (written before migration 2)`);
  return readTransactionSet(doc.bytes, doc.delimiters, { offset: doc.byteOffset, ...(doc.line ? { line: doc.line } : {}), file: doc.sourceName });
}

/** Acknowledgments a partner sends us (997/999) are read into what they say about our groups and sets;
 * they are information, not business documents, so problems in them never reject them. mapDocuments
 * then matches them to what we sent (reconcile.ts). */
const FUNCTIONAL_ACK_SETS = new Set(['997', '999']);

function mapFunctionalAck(doc: WorkDocument, before: Finding[]): DocumentChange {
  const ack = readFunctionalAckSet(setOf(doc), {
    header: { controlNumber: doc.interchangeControl, senderQualifier: doc.senderQualifier, senderId: doc.senderId, receiverId: doc.receiverId },
    group: doc.groupControl,
  });
  const findings = [...before, ...(ack.problems as Finding[])];
  return {
    id: doc.id, to: 'mapped', documentType: 'functional_ack', document: ack, findings,
    event: { message: `read ${ack.kind}: group ${ack.group.controlNumber || '?'} ${ack.outcome}${ack.problems.length ? `, with ${ack.problems.length} problem(s)` : ''}` },
  };
}

/** Findings from before this stage (a replayed document drops what an earlier map or post run added). */
function withoutStage(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !/^(MAP|PIPELINE)_/.test(f.code));
}
