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
//   back to mapped with a new job after a capped backoff, for hours, until its retry window runs out
//   (failed; post-retry.ts). The stage counts these tries in the job (`attempt`, `since`) instead of
//   failing the job for pg-boss to retry: the job may have expired during a long call and been
//   completed elsewhere, and its retry would be lost.
// - the circuit breaker (circuit-breaker.ts, post-breaker.ts): while the target is down, documents
//   are not called but wait in mapped for the next probe; an outage costs a few probes.
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
import { gateBatch, ticketFor } from './post-breaker.js';
import { backoffSeconds, notedTry, postJob, retriesRunOut, sinceOf } from './post-retry.js';
import type { PostingTarget, PostRequest, PostResult } from './ports.js';
import { groupCommit } from './group-commit.js';
import { postingSettings, type PostingSettings } from './posting-settings.js';
import { repeatKeyOf, settleRepeats, type RepeatKey } from './repeats.js';
import { STAGE_QUEUES, type JobData } from './queues.js';
import type { StageHandler, StageJob } from './runner.js';
import { inParallel } from '../util/in-parallel.js';
import { isTestPartner, settleTestDocuments } from './test-partner.js';

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
  /** What makes it a repeat of a posted document (repeats.ts); none for a 997. */
  repeat: RepeatKey | undefined;
  /** Which try at the target this is, from 1. */
  attempt: number;
  /** When the document first failed or first waited for the breaker (ms since the epoch; post-retry.ts). */
  since?: number | undefined;
  jobs: StageJob[];
}

/** deferred: not called, the circuit breaker is open; the seconds until its next probe. */
type Outcome = { posted: PostResult } | { error: unknown } | { deferred: number };

/** Posts the batch's documents that are still 'mapped'; returns the jobs to fail (only when the database let us down). */
export async function postJobs(ctx: PipelineContext, jobs: readonly StageJob[]): Promise<Map<string, unknown>> {
  const settings = ctx.posting ?? postingSettings();
  const holder = `${PROCESS}/${randomUUID()}`;
  const jobsOf = new Map<number, StageJob[]>();
  for (const job of jobs) {
    const id = (job.data as { documentId: number }).documentId;
    jobsOf.set(id, [...(jobsOf.get(id) ?? []), job]);
  }

  // The target is down: the batch waits for the next probe without being claimed.
  const gate = await gateBatch(ctx, settings, jobsOf);
  let claimed: Claimed[];
  const tests: Claimed[] = [];
  try {
    claimed = gate.pass.size ? await withTransaction(ctx.db, (tx) => claim(ctx, tx, settings, holder, gate.pass, tests)) : [];
  } catch (error) {
    if (gate.probe !== undefined) ctx.breaker?.release();
    return new Map([...gate.failures, ...[...gate.pass.values()].flat().map((j) => [j.id, error] as const)]);
  }
  if (gate.probe !== undefined && !claimed.some((c) => c.doc.id === gate.probe)) ctx.breaker?.release();
  const failures = gate.failures;
  try {
    await settleTestDocuments(ctx, tests);
  } catch (error) {
    // Still mapped: the job's retry rehearses them again.
    for (const c of tests) for (const job of c.jobs) failures.set(job.id, error);
  }
  if (claimed.length === 0) return failures;

  const held = new Set(claimed.map((c) => c.doc.id));
  // Held with the short lease of a queued claim until its call starts, then with the long one.
  const calling = new Set<number>();
  const renewal = renewWhileHeld(ctx, settings, holder, held, calling);
  const recorder = groupCommit(async (items: Array<[Claimed, Outcome]>) => {
    try {
      await recordOutcomes(ctx, settings, holder, items);
    } catch (error) {
      if (items.length === 1) throw error;
      // One bad outcome must not keep the others from being recorded.
      for (const item of items) await recordOutcomes(ctx, settings, holder, [item]).catch((e: unknown) => failed(item[0], e, item[1]));
    }
    for (const [c] of items) held.delete(c.doc.id);
  }, (items, error) => items.forEach(([c, outcome]) => failed(c, error, outcome)), RECORD_WAIT_MS);
  const failed = (c: Claimed, error: unknown, outcome?: Outcome) => {
    held.delete(c.doc.id);
    // The job fails and pg-boss retries it; the document stays 'posting'. An outcome that is known is
    // recorded once the database is back, while this holder's lease stands; otherwise (not called, or
    // that fails too) the sweep resumes the document when the lease has run out.
    ctx.log.warn({ documentId: c.doc.id, error: messageOf(error), ...codeField(error) }, 'cannot record the outcome of a posting');
    for (const job of c.jobs) failures.set(job.id, error);
    if (outcome) recordLater(ctx, settings, holder, [c, outcome]);
  };
  // From its call on a document may outlive this process: the lease must outlast the target's slowest
  // call. It is taken for the next calls in flight at once (one statement, not one per call, which
  // held every call up by a round trip and a commit), so a document gets it at most a call early.
  const longLeases = new Map<number, Promise<Set<number>>>();
  const longLease = (index: number): Promise<Set<number>> => {
    const id = claimed[index]!.doc.id;
    if (!longLeases.has(id)) {
      const ids = claimed.slice(index, index + settings.callsInFlight).map((c) => c.doc.id).filter((d) => !longLeases.has(d));
      const taken = renewLeases(ctx.db, { ids, holder, leaseSeconds: settings.leaseSeconds });
      for (const d of ids) {
        longLeases.set(d, taken);
        calling.add(d);
      }
    }
    return longLeases.get(id)!;
  };
  try {
    await inParallel(claimed, settings.callsInFlight, async (c, index) => {
      let still: Set<number>;
      try {
        still = await longLease(index);
      } catch (error) {
        return failed(c, error);
      }
      if (!still.has(c.doc.id)) {
        held.delete(c.doc.id);
        ctx.log.warn({ documentId: c.doc.id, holder }, 'the claim of a posting ran out before its call started (the sweep took it over): not called');
        return;
      }
      calling.add(c.doc.id);
      recorder.add([c, await callThroughBreaker(ctx, settings, c, gate.probe)]);
    });
    await recorder.settled();
  } finally {
    renewal.stop();
  }
  return failures;
}

/**
 * mapped -> posting for the batch's documents whose business key is free; the others get a job a
 * little later. A test partner's documents are never claimed: they go to `tests` (test-partner.ts).
 */
async function claim(ctx: PipelineContext, tx: Tx, settings: PostingSettings, holder: string, jobsOf: ReadonlyMap<number, StageJob[]>, tests: Claimed[]): Promise<Claimed[]> {
  const locked = await lockDocumentsForWork(tx, { ids: [...jobsOf.keys()], states: ['mapped'] });
  const docs = locked.filter((doc) => !isTestPartner(ctx, doc.partner));
  for (const doc of locked) {
    if (docs.includes(doc)) continue;
    const req = requestOf(doc);
    tests.push({ doc, req, businessKey: req.naturalKey, repeat: undefined, attempt: 1, jobs: jobsOf.get(doc.id)! });
  }
  const candidates: Claimed[] = [];
  const keys = new Set<string>();
  const later: Claimed[] = [];
  const all = docs.map((doc): Claimed => {
    const req = requestOf(doc);
    const jobs = jobsOf.get(doc.id)!;
    return { doc, req, businessKey: businessKeyOf(ctx.target, req, ctx.log), repeat: repeatKeyOf(ctx.target, req), attempt: Math.max(...jobs.map(attemptOf)), since: sinceOf(jobs), jobs };
  });
  // A repeat of a posted document (a resend in a new envelope) ends 'duplicate' here, unposted.
  const duplicates = await settleRepeats(ctx, tx, all);
  for (const c of all.filter((x) => !duplicates.has(x.doc.id))) {
    // Two documents of one key in this batch: the first is claimed, the second waits its turn.
    if (keys.has(c.businessKey) || (c.repeat && keys.has(c.repeat.key))) later.push(c);
    else candidates.push(c);
    keys.add(c.businessKey);
    if (c.repeat) keys.add(c.repeat.key);
  }
  const leases = await claimPostings(tx, {
    holder,
    leaseSeconds: settings.queuedLeaseSeconds,
    stage: 'post',
    actor: 'system',
    claims: candidates.map((c) => ({
      id: c.doc.id,
      businessKey: c.businessKey,
      repeatKey: c.repeat?.key ?? null,
      checkRepeat: c.repeat?.check ?? false,
      // A try between the noted ones leaves no event (post-retry.ts).
      ...(notedTry(c.attempt) ? {
        event: {
          message: `posting to ${ctx.target.name}${c.attempt > 1 ? ` (try ${c.attempt})` : ''}`,
          details: { target: ctx.target.name, businessKey: c.businessKey, holder, try: c.attempt },
        },
      } : {}),
    })),
  });
  // Still mapped: its key is being posted (here or elsewhere), or was posted since the look-up above
  // (settleRepeats finds it next time). Not a failure: another try shortly.
  later.push(...candidates.filter((c) => !leases.has(c.doc.id)));
  if (later.length) {
    ctx.log.debug({ documents: later.map((c) => c.doc.id), retryInSeconds: settings.keyWaitSeconds }, 'business key being posted: waiting');
    await ctx.queue.enqueue(tx, later.map((c) => postJob(c.doc.id, c.attempt, c.since)), { delaySeconds: settings.keyWaitSeconds });
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

/** Calls the target when the breaker lets this document through, and tells the breaker how it went. */
async function callThroughBreaker(ctx: PipelineContext, settings: PostingSettings, c: Claimed, probe: number | undefined): Promise<Outcome> {
  const ticket = ticketFor(ctx.breaker, settings, c, probe);
  if (typeof ticket === 'object') return { deferred: ticket.waitSeconds };
  const outcome = await call(ctx.target, c.req);
  // A business refusal is an answer: the target is up.
  ctx.breaker?.report(ticket, 'posted' in outcome || retryPolicyOf((outcome as { error: unknown }).error) === 'business');
  return outcome;
}

/**
 * Records an outcome the database refused (it was gone: a restart, a lost connection) again and
 * again, backing off up to 5 s, until it is recorded or most of the lease has run out. Without it a
 * process that outlived a database restart left its postings to the sweep, a lease later (60 s).
 */
function recordLater(ctx: PipelineContext, settings: PostingSettings, holder: string, item: [Claimed, Outcome]): void {
  const giveUpAt = Date.now() + settings.leaseSeconds * 800;
  const attempt = (delayMs: number) => {
    const timer = setTimeout(() => {
      recordOutcomes(ctx, settings, holder, [item]).then(
        () => ctx.log.info({ documentId: item[0].doc.id }, 'recorded the outcome of a posting once the database was back'),
        () => {
          if (Date.now() + delayMs < giveUpAt) attempt(Math.min(delayMs * 2, 5_000));
        },
      );
    }, delayMs);
    timer.unref();
  };
  attempt(500);
}

/** One transaction: the outcomes' state changes (only where `holder` still holds the lease), ledger rows and retry jobs. */
async function recordOutcomes(ctx: PipelineContext, settings: PostingSettings, holder: string, items: ReadonlyArray<[Claimed, Outcome]>): Promise<void> {
  const { target, log } = ctx;
  const now = Date.now();
  /** The documents that go back to mapped, with their next job. */
  const retries = new Map<number, { attempt: number; since: number; delay: number; failed: boolean }>();
  const changes = items.map(([c, outcome]): DocumentChange => {
    const { doc, req } = c;
    const base = { target: target.name, naturalKey: req.naturalKey, businessKey: c.businessKey };
    if ('deferred' in outcome) {
      // Not a try: the same try again after the next probe. Its claim was noted, so is its return.
      const delay = outcome.deferred;
      retries.set(doc.id, { attempt: c.attempt, since: c.since ?? now, delay, failed: false });
      const event = { message: `not posted: ${target.name} is down (circuit breaker open), waiting for it`, details: { ...base, try: c.attempt, retryInSeconds: delay } };
      return { id: doc.id, to: 'mapped', ...(notedTry(c.attempt) ? { event } : {}) };
    }
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
    const since = c.since ?? now;
    const details = {
      ...base, try: c.attempt, error: message, policy, firstFailedAt: new Date(since).toISOString(),
      ...(isGatewayError(error) ? { code: error.code } : {}),
      ...(isTargetError(error) ? { kind: error.kind } : {}),
      ...errorDetails,
    };
    if (retriesRunOut(settings, c.attempt, since, now)) {
      return retriesExhausted(doc.id, 'post', `post failed ${c.attempt} times; last error: ${message}`, { ...details, retriedForSeconds: Math.round((now - since) / 1000) });
    }
    const delay = backoffSeconds(settings, c.attempt);
    retries.set(doc.id, { attempt: c.attempt + 1, since, delay, failed: true });
    const event = { message: `post failed (try ${c.attempt}), will retry in ${delay} s: ${message}`, details: { ...details, retryInSeconds: delay } };
    return { id: doc.id, to: 'mapped', ...(notedTry(c.attempt) ? { event } : {}) };
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
    const again = [...retries].filter(([id]) => changed.has(id));
    for (const delay of new Set(again.map(([, r]) => r.delay))) {
      const due = again.filter(([, r]) => r.delay === delay);
      await ctx.queue.enqueue(tx, due.map(([id, r]) => postJob(id, r.attempt, r.since)), { delaySeconds: delay });
    }
    for (const [c, outcome] of items) {
      const r = retries.get(c.doc.id);
      if (!r?.failed || !changed.has(c.doc.id)) continue;
      const { error } = outcome as { error: unknown };
      // Like the timeline, the log notes the first tries and then each doubling.
      log[notedTry(c.attempt) ? 'warn' : 'debug']({ documentId: c.doc.id, try: c.attempt, error: messageOf(error), ...codeField(error), retryInSeconds: r.delay }, 'posting failed; it will be retried');
    }
  });
}

/**
 * Keeps the leases of `held` from running out while the batch calls and records: those in `calling`
 * with the long lease, the others (queued) with the short one; logs a lease it lost.
 */
function renewWhileHeld(ctx: PipelineContext, settings: PostingSettings, holder: string, held: Set<number>, calling: ReadonlySet<number>): { stop(): void } {
  let renewing = false;
  const renew = (ids: number[], leaseSeconds: number) =>
    renewLeases(ctx.db, { ids, holder, leaseSeconds }).then((still) => {
      const lost = ids.filter((id) => held.has(id) && !still.has(id));
      if (lost.length) ctx.log.warn({ documents: lost, holder }, 'leases of postings lost while calling the target (the sweep took them over)');
    });
  const timer = setInterval(() => {
    if (renewing || held.size === 0) return;
    renewing = true;
    const ids = [...held];
    Promise.all([
      renew(ids.filter((id) => calling.has(id)), settings.leaseSeconds),
      renew(ids.filter((id) => !calling.has(id)), settings.queuedLeaseSeconds),
    ])
      .catch((error: unknown) => ctx.log.warn({ error: messageOf(error), ...codeField(error) }, 'cannot renew the leases of postings'))
      .finally(() => {
        renewing = false;
      });
  }, Math.max(100, (settings.queuedLeaseSeconds * 1000) / 3));
  return { stop: () => clearInterval(timer) };
}



function requestOf(doc: WorkDocument): PostRequest {
  return { documentId: doc.id, documentType: doc.documentType ?? '', naturalKey: naturalKeyOf(doc), partner: doc.partner, document: doc.document, envelope: doc.envelope };
}

function attemptOf(job: StageJob): number {
  return (job.data as Extract<JobData, { stage: 'post' }>).attempt ?? 1;
}

