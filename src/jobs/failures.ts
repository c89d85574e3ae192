// When a job fails: every failed try is a line in the timeline; the last one puts what the job was
// about in its dead-letter state ('failed'), from where a person replays it. The dead-letter queue
// (pg-boss copies a job there when its retries run out, also when it expired on its last try in a
// process that died) is the safety net for failures that could not be recorded at the time.
import { isGatewayError } from '../errors/failure.js';
import { finding } from '../errors/finding.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { getDocument, listDocumentsOf, transitionDocuments } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { setFileState } from '../store/files-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { DocumentState, Stage } from '../store/types.js';
import { messageOf, type PipelineContext } from './context.js';
import { DEAD_LETTER_QUEUE, type JobData } from './queues.js';
import type { StageHandler, StageJob } from './runner.js';

/** The state a document waits in before each per-document stage (and before validate). */
export const WAITING_STATE = { validate: 'parsed', map: 'validated', post: 'mapped' } as const satisfies Record<string, DocumentState>;

/** Notes a failed try; on the last one, moves the file or documents of the job to 'failed'. */
export async function recordFailure(ctx: Pick<PipelineContext, 'db'>, job: StageJob, error: unknown, final: boolean): Promise<void> {
  const tries = `try ${job.retryCount + 1} of ${job.retryLimit + 1}`;
  const message = messageOf(error);
  const details = { job: job.id, try: job.retryCount + 1, of: job.retryLimit + 1, error: message, ...(isGatewayError(error) ? { code: error.code, policy: error.policy, ...error.details } : {}) };
  await withTransaction(ctx.db, async (tx) => {
    if (final) {
      await giveUp(tx, job.data, `${job.data.stage} failed ${job.retryLimit + 1} times; last error: ${message}`, details);
      return;
    }
    const data = job.data;
    const documentId = 'documentId' in data ? data.documentId : null;
    // The file too, so the note shows in the file's timeline as well.
    const fileId = 'fileId' in data ? data.fileId : ((await getDocument(tx, data.documentId))?.fileId ?? null);
    await addEvent(tx, { fileId, documentId, stage: data.stage, actor: 'system', message: `${data.stage} failed (${tries}), will retry: ${message}`, details });
  });
}

/** Puts the job's file or documents into 'failed' (dead letter), each only from the state the stage works on. */
export async function giveUp(tx: Tx, data: JobData, reason: string, details: Record<string, unknown>): Promise<void> {
  if (data.stage === 'split') {
    const file = await setFileState(tx, { id: data.fileId, from: ['received'], to: 'failed', reason });
    if (file) await addEvent(tx, { fileId: file.id, stage: 'split', actor: 'system', fromState: 'received', toState: 'failed', message: reason, details });
    return;
  }
  const ids =
    'documentId' in data
      ? [data.documentId]
      : (await listDocumentsOf(tx, { fileId: data.fileId, ...(data.stage === 'validate' && data.slice ? { range: data.slice } : {}) })).filter((d) => d.state === 'parsed').map((d) => d.id);
  await transitionDocuments(tx, {
    from: [WAITING_STATE[data.stage]],
    stage: data.stage,
    actor: 'system',
    countAttempt: true,
    changes: ids.map((id) => retriesExhausted(id, data.stage, reason, details)),
  });
}

/** A document's way into 'failed' (dead letter) once its retries ran out. */
export function retriesExhausted(id: number, stage: Stage, reason: string, details: Record<string, unknown>): DocumentChange {
  return { id, to: 'failed', failedStage: stage, reason, findings: [finding('PIPELINE_RETRIES_EXHAUSTED', reason, {})], event: { message: reason, details } };
}

/** Consumes the dead-letter queue: whatever is still waiting for a job that gave up becomes 'failed'. */
export function deadLetterHandler(ctx: Pick<PipelineContext, 'db'>): StageHandler {
  return {
    queue: DEAD_LETTER_QUEUE,
    async run(jobs) {
      const failures = new Map<string, unknown>();
      for (const job of jobs) {
        // Our fail() output is { message, code }; pg-boss's expiry writes { value: { message } }.
        const output = job.output as { message?: string; value?: { message?: string } } | null | undefined;
        const last = output?.message ?? output?.value?.message ?? 'unknown error';
        try {
          await withTransaction(ctx.db, (tx) =>
            giveUp(tx, job.data, `${job.data.stage} gave up after its retries; last error: ${last}`, { deadLetter: job.id, error: last }),
          );
        } catch (error) {
          failures.set(job.id, error);
        }
      }
      return failures;
    },
  };
}
