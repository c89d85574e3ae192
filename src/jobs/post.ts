// Post stage (per document, batched in one transaction): hand each mapped document to the target
// under its natural key, then record 'posted' with the target's reference. A business refusal
// rejects the document (no retry); transient and auth errors fail only that document's job, which
// pg-boss retries with backoff; anything else rolls the batch back and each job runs alone.
import { finding, type Finding } from '../errors/finding.js';
import type { Tx } from '../store/conn.js';
import { lockDocumentsForWork, transitionDocuments, type WorkDocument } from '../store/documents-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import { allTogether } from './batch.js';
import type { PipelineContext } from './context.js';
import { recordFailure } from './failures.js';
import { isTargetError } from './ports.js';
import { STAGE_QUEUES } from './queues.js';
import type { StageHandler, StageJob } from './runner.js';

export function postHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.post,
    run: (jobs) => allTogether(ctx.db, jobs, (tx, batch) => postDocuments(ctx, tx, batch)),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

/**
 * The same transaction always has the same key, whatever file it arrives in again: partner, set id,
 * interchange sender, ISA13, GS06, ST02. (A duplicate interchange never gets here; the key is the
 * last guard, in the target's ledger.)
 */
export function naturalKeyOf(doc: Pick<WorkDocument, 'partner' | 'setId' | 'senderQualifier' | 'senderId' | 'interchangeControl' | 'groupControl' | 'controlNumber'>): string {
  return [doc.partner, doc.setId, `${doc.senderQualifier}/${doc.senderId}`, doc.interchangeControl, doc.groupControl, doc.controlNumber].join('|');
}

/** Posts the batch's documents still 'mapped'; returns the jobs to retry. */
export async function postDocuments(ctx: PipelineContext, tx: Tx, jobs: readonly StageJob[]): Promise<Map<string, unknown>> {
  const jobOf = new Map(jobs.map((j) => [(j.data as { documentId: number }).documentId, j]));
  const docs = await lockDocumentsForWork(tx, { ids: [...jobOf.keys()], states: ['mapped'] });
  const failures = new Map<string, unknown>();
  const changes: DocumentChange[] = [];
  const target = ctx.target;
  for (const doc of docs) {
    const naturalKey = naturalKeyOf(doc);
    try {
      const { ref, summary, details } = await target.post({
        documentId: doc.id,
        documentType: doc.documentType ?? '',
        naturalKey,
        partner: doc.partner,
        document: doc.document,
        envelope: doc.envelope,
        tx,
      });
      changes.push({ id: doc.id, to: 'posted', targetRef: ref, event: { message: summary ? `posted to ${target.name}: ${summary}` : `posted to ${target.name} as ${ref}`, details: { target: target.name, naturalKey, ...(details ? { result: details } : {}) } } });
    } catch (error) {
      if (!isTargetError(error)) throw error;
      if (error.kind !== 'business') {
        failures.set(jobOf.get(doc.id)!.id, error);
        continue;
      }
      const f = finding('PIPELINE_TARGET_REJECTED', `${target.name} refused the document: ${error.message}`, {
        file: doc.sourceName, interchange: doc.interchangeControl, group: doc.groupControl, transaction: doc.controlNumber, transactionSetId: doc.setId,
      });
      const findings = [...(doc.findings as Finding[]).filter((x) => !x.code.startsWith('PIPELINE_')), f];
      changes.push({
        id: doc.id, to: 'rejected', failedStage: 'post', reason: f.message, findings,
        event: { message: `rejected by ${target.name}: ${error.message}`, details: { target: target.name, naturalKey, ...error.details } },
      });
    }
  }
  await transitionDocuments(tx, { from: ['mapped'], stage: 'post', actor: 'system', countAttempt: true, changes });
  return failures;
}
