// Replay: a person sends a rejected or failed document (or a whole file) back to the stage that
// failed, after fixing what the reason names. State change, timeline entry (actor = the person)
// and the stage's job commit together; a second replay finds nothing rejected or failed and does
// nothing. Sets rejected with their envelope (split) cannot be replayed: the partner must resend.
// A document left 'posting' by a process that died goes back to post once its lease ran out.
import type { Finding } from '../errors/finding.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { getDocument, listDocumentsOf, lockDocumentsForWork, transitionDocuments } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { lockFile, setFileState } from '../store/files-repo.js';
import { leasesOf } from '../store/postings-repo.js';
import type { DocumentRecord, DocumentState, Json, Stage } from '../store/types.js';
import { insertReplayBatch, setReplayBatchDocuments } from '../store/replays-repo.js';
import type { Actor } from '../store/access-repo.js';
import type { PipelineContext } from './context.js';
import { WAITING_STATE } from './failures.js';
import type { JobData } from './queues.js';
import { resumePostings } from './sweep.js';
import { maxFileBytesFor } from './partner-settings.js';

export interface ReplayResult {
  /** False when no such document / file exists. */
  found: boolean;
  /** Documents sent back to the stage that failed. */
  replayed: Array<{ documentId: number; from: DocumentState; stage: Stage }>;
  /** A file rejected or failed as a whole, sent back to split. */
  file?: { fileId: number; from: 'rejected' | 'failed' };
  /** What was left alone, and why (not rejected or failed: a repeated replay is a no-op; envelope rejections). */
  skipped: Array<{ documentId?: number; fileId?: number; reason: string }>;
}

/** The states a person acts on: a replay, a cancel, a bulk replay (document-actions.ts). */
export const REPLAYABLE: readonly DocumentState[] = ['rejected', 'failed'];

export async function replayDocument(ctx: Pick<PipelineContext, 'db' | 'queue'>, id: number, actor: string): Promise<ReplayResult> {
  return withTransaction(ctx.db, (tx) => replayDocumentIn(ctx, tx, id, actor));
}

/** replayDocument inside the caller's transaction (a console action records its audit row in it too). */
export async function replayDocumentIn(ctx: Pick<PipelineContext, 'queue'>, tx: Tx, id: number, actor: string): Promise<ReplayResult> {
  const [doc] = await lockDocumentsForWork(tx, { ids: [id], states: REPLAYABLE });
  if (!doc) {
    const current = await getDocument(tx, id);
    if (!current) return { found: false, replayed: [], skipped: [{ documentId: id, reason: `document ${id} does not exist` }] };
    if (current.state === 'posting') return replayPostings(ctx, tx, [id], actor, { found: true, replayed: [], skipped: [] });
    // A duplicate says of what: a repeat of a posted document is posted only when the partner sends a replace (05).
    const why = current.state === 'duplicate' && current.reason ? ` (${current.reason})` : '';
    return { found: true, replayed: [], skipped: [{ documentId: id, reason: `document ${id} is ${current.state}${why}: only rejected or failed documents are replayed` }] };
  }
  return replayDocuments(ctx, tx, [doc], actor);
}

/**
 * Many documents at once (a bulk replay), in the caller's transaction: those still rejected or failed
 * go back; the others (changed since they were counted) are skipped. `note` ends each timeline entry.
 */
export async function replayManyIn(ctx: Pick<PipelineContext, 'queue'>, tx: Tx, ids: readonly number[], actor: string, note?: string): Promise<ReplayResult> {
  const docs = await lockDocumentsForWork(tx, { ids, states: REPLAYABLE });
  const result = await replayDocuments(ctx, tx, docs, actor, note);
  const locked = new Set(docs.map((d) => d.id));
  for (const id of ids) if (!locked.has(id)) result.skipped.push({ documentId: id, reason: `document ${id} is no longer rejected or failed` });
  return result;
}

/** What a replay batch did: the documents sent back, and those skipped with why. */
export interface BatchReplay {
  batchId: number;
  replayed: number[];
  skipped: Array<{ documentId?: number; reason: string }>;
}

/**
 * Many documents replayed as one replay batch (migration 16), in the caller's transaction: the batch
 * is recorded first (its id goes into each timeline entry: `note(batchId)`), then the documents it
 * sent back and those it skipped. Its progress is documentActions(ctx).bulkProgress(batchId).
 */
export async function replayAsBatch(
  ctx: Pick<PipelineContext, 'queue'>, tx: Tx, ids: readonly number[], actor: Actor, batch: { filter: Json; reason: string | null; note(batchId: number): string },
): Promise<BatchReplay> {
  const batchId = await insertReplayBatch(tx, { filter: batch.filter, documentIds: [], skipped: [], actor: actor.name, actorUserId: actor.userId ?? null, via: actor.via, reason: batch.reason });
  const result = await replayManyIn(ctx, tx, ids, actor.name, batch.note(batchId));
  const replayed = result.replayed.map((r) => r.documentId);
  const skipped = result.skipped.map((k) => ({ ...(k.documentId !== undefined ? { documentId: k.documentId } : {}), reason: k.reason }));
  await setReplayBatchDocuments(tx, batchId, replayed, skipped);
  return { batchId, replayed, skipped };
}

export async function replayFile(ctx: Pick<PipelineContext, 'db' | 'queue' | 'maxFileBytes' | 'partners' | 'ack'>, id: number, actor: string): Promise<ReplayResult> {
  return withTransaction(ctx.db, async (tx) => {
    const file = await lockFile(tx, id, 'replay');
    if (!file) return { found: false, replayed: [], skipped: [{ fileId: id, reason: `file ${id} does not exist` }] };
    if (file.state === 'rejected' || file.state === 'failed') {
      // Empty and oversized files stay what they are: replaying them cannot change the verdict.
      if (file.size > maxFileBytesFor(ctx, file.partner) || /\[(X12_EMPTY_FILE|PIPELINE_FILE_TOO_LARGE)\]/.test(file.reason ?? '')) {
        return { found: true, replayed: [], skipped: [{ fileId: id, reason: `file ${id} was rejected at intake (${file.reason}); the partner must send it again` }] };
      }
      await setFileState(tx, { id, from: [file.state], to: 'received' });
      await addEvent(tx, {
        fileId: id, stage: 'replay', actor, fromState: file.state, toState: 'received',
        message: `replayed by ${actor}: back to split`, details: { previousReason: file.reason },
      });
      await ctx.queue.enqueue(tx, [{ stage: 'split', fileId: id }]);
      return { found: true, replayed: [], file: { fileId: id, from: file.state }, skipped: [] };
    }
    const all = await listDocumentsOf(tx, { fileId: id });
    const ids = all.filter((d) => REPLAYABLE.includes(d.state)).map((d) => d.id);
    const docs = await lockDocumentsForWork(tx, { ids, states: REPLAYABLE });
    const posting = all.filter((d) => d.state === 'posting').map((d) => d.id);
    if (docs.length === 0 && posting.length === 0) {
      return { found: true, replayed: [], skipped: [{ fileId: id, reason: `file ${id} has no rejected or failed document` }] };
    }
    return replayPostings(ctx, tx, posting, actor, await replayDocuments(ctx, tx, docs, actor));
  });
}

async function replayDocuments(ctx: Pick<PipelineContext, 'queue'>, tx: Tx, docs: readonly DocumentRecord[], actor: string, note?: string): Promise<ReplayResult> {
  const result: ReplayResult = { found: true, replayed: [], skipped: [] };
  const back = docs.filter((d) => {
    if (d.failedStage && d.failedStage !== 'split') return true;
    result.skipped.push({ documentId: d.id, reason: `document ${d.id} was rejected with its envelope (${d.reason ?? 'split'}); the partner must send it again` });
    return false;
  });
  const changed = await transitionDocuments(tx, {
    from: REPLAYABLE,
    stage: 'replay',
    actor,
    changes: back.map((d) => {
      const stage = d.failedStage as Exclude<Stage, 'split'>;
      return {
        id: d.id,
        to: WAITING_STATE[stage],
        failedStage: null,
        reason: null,
        findings: findingsBefore(stage, d.findings as Finding[]),
        event: { message: `replayed by ${actor}: back to ${stage}${note ? ` (${note})` : ''}`, details: { previousState: d.state, previousReason: d.reason } },
      };
    }),
  });
  const jobs: JobData[] = [];
  const files = new Set<number>();
  for (const d of changed) {
    const stage = back.find((b) => b.id === d.id)!.failedStage as Exclude<Stage, 'split'>;
    result.replayed.push({ documentId: d.id, from: d.previousState, stage });
    // Validate works per file: one job for all of a file's replayed sets.
    if (stage === 'validate') {
      if (!files.has(d.fileId)) jobs.push({ stage: 'validate', fileId: d.fileId });
      files.add(d.fileId);
    } else jobs.push({ stage, documentId: d.id });
  }
  await ctx.queue.enqueue(tx, jobs);
  return result;
}

/**
 * Documents in 'posting': one whose lease ran out (its process died mid-posting) goes back to post
 * now, as the sweep would send it; one still held is being posted and is left to finish.
 */
async function replayPostings(ctx: Pick<PipelineContext, 'queue'>, tx: Tx, ids: readonly number[], actor: string, result: ReplayResult): Promise<ReplayResult> {
  const leases = await leasesOf(tx, ids);
  const resumed = await resumePostings(ctx, tx, leases.filter((l) => l.expired), {
    actor,
    message: (l) => `replayed by ${actor}: the posting by ${l.holder ?? 'an unknown holder'} did not finish before its lease ran out; back to post`,
  });
  for (const l of leases) {
    if (resumed.includes(l.id)) result.replayed.push({ documentId: l.id, from: 'posting', stage: 'post' });
    else result.skipped.push({ documentId: l.id, reason: `document ${l.id} is being posted (lease held by ${l.holder} until ${l.expiresAt?.toISOString()}): it ends posted, rejected or failed by itself` });
  }
  return result;
}

/** What a document keeps when it goes back to `stage`: the findings of the stages before it. */
function findingsBefore(stage: Exclude<Stage, 'split'>, findings: readonly Finding[]): Finding[] {
  if (stage === 'validate') return []; // validate writes them all again
  if (stage === 'map') return findings.filter((f) => !/^(MAP|PIPELINE)_/.test(f.code));
  return findings.filter((f) => !f.code.startsWith('PIPELINE_'));
}

