// The post stage's side of the circuit breaker (circuit-breaker.ts): which documents of a batch may
// call the target, and what the others do meanwhile.
// - Before the claim: while the breaker is not closed, a batch's documents are not claimed (no state
//   change, no event) but get a job delayed until the next probe; one of them may be the probe.
// - Before each call: the breaker may have opened while the batch was claimed; such a document is not
//   called and goes back to 'mapped' with a job delayed until the next probe (post.ts records it).
// - A document whose retry window ran out passes anyway: its last try decides whether it ends failed.
// When the breaker closes, the gateway makes the delayed post jobs due at once (gateway.ts), so the
// documents resume within a moment of the target answering, not at their own backoff's end.
import { messageOf } from '../errors/failure.js';
import { withTransaction } from '../store/conn.js';
import type { Logger } from '../logging/logger.js';
import { circuitBreaker, type BreakerSettings, type CircuitBreaker, type Ticket } from './circuit-breaker.js';
import type { PipelineContext } from './context.js';
import { lastAttemptOf, postJob, sinceOf, windowRunOut } from './post-retry.js';
import type { PostingSettings } from './posting-settings.js';
import type { JobQueue } from './queues.js';
import type { StageJob } from './runner.js';

export interface Gate {
  /** The documents that go on to the claim, with their jobs. */
  pass: Map<number, StageJob[]>;
  /** The document that holds the probe ticket, if one does. */
  probe?: number;
  /** Jobs that could not be put off (the database failed): they fail and pg-boss retries them. */
  failures: Map<string, unknown>;
}

/** Puts off the batch's documents while the breaker is not closed (jobs delayed until the next probe). */
export async function gateBatch(ctx: PipelineContext, settings: PostingSettings, jobsOf: ReadonlyMap<number, StageJob[]>): Promise<Gate> {
  const breaker = ctx.breaker;
  const gate: Gate = { pass: new Map(jobsOf), failures: new Map() };
  if (!breaker || breaker.status().state === 'closed') return gate;
  const now = Date.now();
  const later: Array<{ id: number; jobs: StageJob[]; waitSeconds: number }> = [];
  for (const [id, jobs] of jobsOf) {
    if (windowRunOut(settings, sinceOf(jobs), now)) continue;
    const ticket = breaker.admit();
    if (ticket === 'probe') gate.probe = id;
    else if (ticket !== 'call') {
      gate.pass.delete(id);
      later.push({ id, jobs, waitSeconds: ticket.waitSeconds });
    }
  }
  if (later.length === 0) return gate;
  const wait = Math.max(...later.map((l) => l.waitSeconds));
  try {
    await withTransaction(ctx.db, (tx) =>
      ctx.queue.enqueue(tx, later.map((l) => postJob(l.id, lastAttemptOf(l.jobs), sinceOf(l.jobs) ?? now)), { delaySeconds: wait }),
    );
    ctx.log.debug({ documents: later.length, retryInSeconds: wait, target: ctx.target.name }, 'posting target down: documents wait for the next probe');
  } catch (error) {
    ctx.log.warn({ error: messageOf(error) }, 'cannot put off documents while the posting target is down');
    for (const l of later) for (const job of l.jobs) gate.failures.set(job.id, error);
  }
  return gate;
}

/** The ticket of one claimed document just before its call. */
export function ticketFor(breaker: CircuitBreaker | undefined, settings: PostingSettings, c: { doc: { id: number }; since?: number | undefined }, probe: number | undefined): Ticket {
  if (!breaker) return 'call';
  if (c.doc.id === probe) return 'probe';
  if (windowRunOut(settings, c.since, Date.now())) return 'call';
  return breaker.admit();
}

/**
 * The breaker of a gateway process's posting target: logs each change of state once (open at warn,
 * closed at info; a probe and a failed probe at debug), and on closing makes the post jobs waiting
 * out a delay due now, so the documents resume without sitting out their backoff.
 */
export function targetBreaker(o: { target: string; settings: BreakerSettings; queue: Pick<JobQueue, 'dueNow'>; log: Logger }): CircuitBreaker {
  const { target, log } = o;
  return circuitBreaker(o.settings, {
    onChange(change) {
      const next = change.status.nextProbeAt !== undefined ? { nextProbeInSeconds: Math.round((change.status.nextProbeAt - Date.now()) / 100) / 10 } : {};
      if (change.to === 'open' && change.first) {
        log.warn({ target, failures: change.status.failures, ...next }, `posting target ${target} is down: circuit breaker open, documents wait in mapped and one probe at a time tries it`);
      } else if (change.to === 'open') {
        log.debug({ target, ...next }, `posting target ${target} still down: the probe failed`);
      } else if (change.to === 'half-open') {
        log.debug({ target }, `posting target ${target}: probing`);
      } else {
        log.info({ target, downSeconds: Math.round((change.downMs ?? 0) / 1000) }, `posting target ${target} answers again: circuit breaker closed, waiting documents resume`);
        o.queue.dueNow('post').then(
          (woken) => log.debug({ target, woken }, 'waiting post jobs made due'),
          (error: unknown) => log.warn({ target, error: messageOf(error) }, 'cannot wake the waiting post jobs; they resume at their own time'),
        );
      }
    },
  });
}
