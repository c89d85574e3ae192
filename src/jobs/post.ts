// Post stage: claim -> call -> record, so that no database transaction is open while a target
// works (Odoo: several HTTP calls of up to 30 s each).
// - claim: one short transaction moves the batch's documents mapped -> posting, each with a lease
//   (holder, expiry) and its business key. The database refuses a second claim of a key that a
//   document in 'posting' holds (unique index, migration 6): that document stays mapped and gets a
//   new job a little later; its job is not failed.
// - call: the target runs outside any transaction, a few documents at a time, while a timer renews
//   the leases. A process that dies here leaves its documents in 'posting'; when their leases run
//   out the sweep (sweep.ts) sends them back to mapped with a job, and the target's lookup-before-
//   create makes the repeat find what the first call made.
// - record: short transactions (the outcomes ready at the time, together) write posted, rejected,
//   back to mapped, or failed, with their events, only where this holder's lease still stands.
//   The retry policy of the error decides (retryPolicyOf): business rejects, anything else goes
//   back to mapped with a new job after a backoff until the tries run out (failed). The stage counts
//   these tries in the job (`attempt`) instead of failing the job for pg-boss to retry: the job may
//   have expired during a long call and been completed elsewhere, and its retry would be lost.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { finding, type Finding } from '../errors/finding.js';
import { codeField, isGatewayError, retryPolicyOf } from '../errors/failure.js';
import { isTargetError } from '../errors/target-error.js';
import type { Logger } from '../logging/logger.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { lockDocumentsForWork, transitionDocuments, type WorkDocument } from '../store/documents-repo.js';
import { claimPostings, renewLeases } from '../store/postings-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import { messageOf, type PipelineContext } from './context.js';
import { recordFailure, retriesExhausted } from './failures.js';
import type { PostingTarget, PostRequest, PostResult } from './ports.js';
import { postingSettings, type PostingSettings } from './posting-settings.js';
import { STAGE_QUEUES, type JobData } from './queues.js';
import type { StageHandler, StageJob } from './runner.js';

export function postHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.post,
    run: (jobs) => postJobs(ctx, jobs),
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

/** The target's business key of a request, qualified by the target's name (default: the natural key). */
export function businessKeyOf(target: PostingTarget, req: PostRequest, log: Logger): string {
  try {
    return `${target.name}|${target.businessKey?.(req) ?? req.naturalKey}`;
  } catch (error) {
    // A document the target cannot key will not post either: its own error says why, on the timeline.
    log.warn({ documentId: req.documentId, error: messageOf(error) }, 'no business key for the document; using its natural key');
    return `${target.name}|${req.naturalKey}`;
  }
}

/** How long a call's outcome waits for others to share its record transaction. */
const RECORD_WAIT_MS = 50;

/** Who holds a claim: this process, and one claim of it. */
const PROCESS = `${hostname()}/${process.pid}`;

interface Claimed {
  doc: WorkDocument;
  req: PostRequest;
  businessKey: string;
  /** Which try at the target this is, from 1. */
  attempt: number;
  jobs: StageJob[];
}

type Outcome = { posted: PostResult } | { error: unknown };

/** Posts the batch's documents that are still 'mapped'; returns the jobs to fail (only when the database let us down). */
export async function postJobs(ctx: PipelineContext, jobs: readonly StageJob[]): Promise<Map<string, unknown>> {
  const settings = ctx.posting ?? postingSettings();
  const holder = `${PROCESS}/${randomUUID()}`;
  const jobsOf = new Map<number, StageJob[]>();
  for (const job of jobs) {
    const id = (job.data as { documentId: number }).documentId;
    jobsOf.set(id, [...(jobsOf.get(id) ?? []), job]);
  }

  let claimed: Claimed[];
  try {
    claimed = await withTransaction(ctx.db, (tx) => claim(ctx, tx, settings, holder, jobsOf));
  } catch (error) {
    return new Map(jobs.map((j) => [j.id, error]));
  }
  const failures = new Map<string, unknown>();
  if (claimed.length === 0) return failures;

  const held = new Set(claimed.map((c) => c.doc.id));
  const renewal = renewWhileHeld(ctx, settings, holder, held);
  const recorder = groupCommit(async (items: Array<[Claimed, Outcome]>) => {
    try {
      await recordOutcomes(ctx, settings, holder, items);
    } catch (error) {
      if (items.length === 1) throw error;
      // One bad outcome must not keep the others from being recorded.
      for (const item of items) await recordOutcomes(ctx, settings, holder, [item]).catch((e: unknown) => failed(item[0], e));
    }
    for (const [c] of items) held.delete(c.doc.id);
  }, (items, error) => items.forEach(([c]) => failed(c, error)), RECORD_WAIT_MS);
  const failed = (c: Claimed, error: unknown) => {
    held.delete(c.doc.id);
    // The job fails and pg-boss retries it; the document stays 'posting' until its lease runs out, then the sweep resumes it.
    ctx.log.warn({ documentId: c.doc.id, error: messageOf(error), ...codeField(error) }, 'cannot record the outcome of a posting');
    for (const job of c.jobs) failures.set(job.id, error);
  };
  try {
    await inParallel(claimed, settings.callsInFlight, async (c) => recorder.add([c, await call(ctx.target, c.req)]));
    await recorder.settled();
  } finally {
    renewal.stop();
  }
  return failures;
}

/** mapped -> posting for the batch's documents whose business key is free; the others get a job a little later. */
async function claim(ctx: PipelineContext, tx: Tx, settings: PostingSettings, holder: string, jobsOf: ReadonlyMap<number, StageJob[]>): Promise<Claimed[]> {
  const docs = await lockDocumentsForWork(tx, { ids: [...jobsOf.keys()], states: ['mapped'] });
  const of = settings.retry.limit + 1;
  const candidates: Claimed[] = [];
  const keys = new Set<string>();
  const later: Claimed[] = [];
  for (const doc of docs) {
    const req = requestOf(doc);
    const jobs = jobsOf.get(doc.id)!;
    const c: Claimed = { doc, req, businessKey: businessKeyOf(ctx.target, req, ctx.log), attempt: Math.max(...jobs.map(attemptOf)), jobs };
    // Two documents of one key in this batch: the first is claimed, the second waits its turn.
    if (keys.has(c.businessKey)) later.push(c);
    else candidates.push(c);
    keys.add(c.businessKey);
  }
  const leases = await claimPostings(tx, {
    holder,
    leaseSeconds: settings.leaseSeconds,
    stage: 'post',
    actor: 'system',
    claims: candidates.map((c) => ({
      id: c.doc.id,
      businessKey: c.businessKey,
      event: {
        message: `posting to ${ctx.target.name}${c.attempt > 1 ? ` (try ${c.attempt} of ${of})` : ''}`,
        details: { target: ctx.target.name, businessKey: c.businessKey, holder, try: c.attempt, of },
      },
    })),
  });
  // Still mapped: its key is being posted (here or elsewhere). Not a failure: another try shortly.
  later.push(...candidates.filter((c) => !leases.has(c.doc.id)));
  if (later.length) {
    ctx.log.debug({ documents: later.map((c) => c.doc.id), retryInSeconds: settings.keyWaitSeconds }, 'business key being posted: waiting');
    await ctx.queue.enqueue(tx, later.map((c) => postJob(c.doc.id, c.attempt)), { delaySeconds: settings.keyWaitSeconds });
  }
  return candidates.filter((c) => leases.has(c.doc.id));
}

async function call(target: PostingTarget, req: PostRequest): Promise<Outcome> {
  try {
    return { posted: await target.post(req) };
  } catch (error) {
    return { error };
  }
}

/** One transaction: the outcomes' state changes (only where `holder` still holds the lease), ledger rows and retry jobs. */
async function recordOutcomes(ctx: PipelineContext, settings: PostingSettings, holder: string, items: ReadonlyArray<[Claimed, Outcome]>): Promise<void> {
  const { target, log } = ctx;
  const retries = new Map<number, number[]>();
  const changes = items.map(([c, outcome]): DocumentChange => {
    const { doc, req } = c;
    const base = { target: target.name, naturalKey: req.naturalKey, businessKey: c.businessKey };
    if ('posted' in outcome) {
      const { ref, summary, details } = outcome.posted;
      return { id: doc.id, to: 'posted', targetRef: ref, event: { message: summary ? `posted to ${target.name}: ${summary}` : `posted to ${target.name} as ${ref}`, details: { ...base, ...(details ? { result: details } : {}) } } };
    }
    const { error } = outcome;
    const message = messageOf(error);
    const policy = retryPolicyOf(error);
    const errorDetails = isGatewayError(error) ? error.details : {};
    if (policy === 'business') {
      const f = finding('PIPELINE_TARGET_REJECTED', `${target.name} refused the document: ${message}`, {
        file: doc.sourceName, interchange: doc.interchangeControl, group: doc.groupControl, transaction: doc.controlNumber, transactionSetId: doc.setId,
      });
      const findings = [...(doc.findings as Finding[]).filter((x) => !x.code.startsWith('PIPELINE_')), f];
      return { id: doc.id, to: 'rejected', failedStage: 'post', reason: f.message, findings, event: { message: `rejected by ${target.name}: ${message}`, details: { ...base, ...errorDetails } } };
    }
    const of = settings.retry.limit + 1;
    const details = {
      ...base, try: c.attempt, of, error: message, policy,
      ...(isGatewayError(error) ? { code: error.code } : {}),
      ...(isTargetError(error) ? { kind: error.kind } : {}),
      ...errorDetails,
    };
    if (c.attempt >= of) return retriesExhausted(doc.id, 'post', `post failed ${of} times; last error: ${message}`, details);
    const delay = backoffSeconds(settings, c.attempt);
    retries.set(delay, [...(retries.get(delay) ?? []), doc.id]);
    return { id: doc.id, to: 'mapped', event: { message: `post failed (try ${c.attempt} of ${of}), will retry: ${message}`, details: { ...details, retryInSeconds: delay } } };
  });
  await withTransaction(ctx.db, async (tx) => {
    const changed = new Set((await transitionDocuments(tx, { from: ['posting'], lease: { holder }, stage: 'post', actor: 'system', changes })).map((d) => d.id));
    const posted: Array<{ req: PostRequest; result: PostResult }> = [];
    for (const [c, outcome] of items) {
      if (!changed.has(c.doc.id)) {
        // The lease ran out and the sweep (or a replay) took the document over: that posting records it.
        log.warn({ documentId: c.doc.id, holder }, 'the lease of a posting was lost before its outcome was recorded');
      } else if ('posted' in outcome) {
        posted.push({ req: c.req, result: outcome.posted });
      }
    }
    if (posted.length) await target.record?.(tx, posted);
    for (const [delay, ids] of retries) {
      const again = items.filter(([c]) => ids.includes(c.doc.id) && changed.has(c.doc.id));
      await ctx.queue.enqueue(tx, again.map(([c]) => postJob(c.doc.id, c.attempt + 1)), { delaySeconds: delay });
      for (const [c, outcome] of again) {
        const { error } = outcome as { error: unknown };
        log.warn({ documentId: c.doc.id, try: c.attempt, error: messageOf(error), ...codeField(error), retryInSeconds: delay }, 'posting failed; it will be retried');
      }
    }
  });
}

/** Seconds before try `attempt + 1`: the gateway's retry delay, doubled per try when backoff is on (at most an hour). */
function backoffSeconds(settings: PostingSettings, attempt: number): number {
  const { delaySeconds, backoff } = settings.retry;
  return Math.min(backoff ? delaySeconds * 2 ** (attempt - 1) : delaySeconds, 3600);
}

/** Keeps the leases of `held` from running out while the batch calls and records; logs a lease it lost. */
function renewWhileHeld(ctx: PipelineContext, settings: PostingSettings, holder: string, held: Set<number>): { stop(): void } {
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || held.size === 0) return;
    renewing = true;
    const ids = [...held];
    renewLeases(ctx.db, { ids, holder, leaseSeconds: settings.leaseSeconds })
      .then((still) => {
        const lost = ids.filter((id) => held.has(id) && !still.has(id));
        if (lost.length) ctx.log.warn({ documents: lost, holder }, 'leases of postings lost while calling the target (the sweep took them over)');
      })
      .catch((error: unknown) => ctx.log.warn({ error: messageOf(error), ...codeField(error) }, 'cannot renew the leases of postings'))
      .finally(() => {
        renewing = false;
      });
  }, Math.max(100, (settings.leaseSeconds * 1000) / 3));
  return { stop: () => clearInterval(timer) };
}

/**
 * Group commit: an outcome waits up to `maxWaitMs` for others, and all that are there go into one
 * transaction, so a batch of fast calls records in one or two transactions while a slow call's
 * outcome is recorded soon after it came. `settled` records what is left at once.
 */
function groupCommit<T>(flush: (items: T[]) => Promise<void>, failed: (items: T[], error: unknown) => void, maxWaitMs: number): { add(item: T): void; settled(): Promise<void> } {
  let pending: T[] = [];
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const drain = async () => {
    while (pending.length) {
      const items = pending;
      pending = [];
      await flush(items).catch((error: unknown) => failed(items, error));
    }
    running = undefined;
  };
  const now = () => {
    clearTimeout(timer);
    timer = undefined;
    running ??= drain();
  };
  return {
    add(item) {
      pending.push(item);
      // A running flush takes it next; else it waits for company, a little.
      if (!running && !timer) timer = setTimeout(now, maxWaitMs);
    },
    async settled() {
      now();
      while (running) await running;
    },
  };
}

/** Runs `fn` over `items`, at most `limit` at a time (fn must not throw). */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

function requestOf(doc: WorkDocument): PostRequest {
  return { documentId: doc.id, documentType: doc.documentType ?? '', naturalKey: naturalKeyOf(doc), partner: doc.partner, document: doc.document, envelope: doc.envelope };
}

function attemptOf(job: StageJob): number {
  return (job.data as Extract<JobData, { stage: 'post' }>).attempt ?? 1;
}

function postJob(documentId: number, attempt: number): JobData {
  return attempt > 1 ? { stage: 'post', documentId, attempt } : { stage: 'post', documentId };
}
