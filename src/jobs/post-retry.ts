// How the post stage retries a document whose target failed with a retryable error (transient, auth,
// protocol, uncoded): back to 'mapped' with a job delayed by a capped exponential backoff, for as long
// as `retryForSeconds` from its first failure (POSTING_RETRY_HOURS, default 24 h) and at least the
// gateway's `retry.limit` retries; only then 'failed'. The first failure's time travels in the post
// job (`since`), as the try number does, so any process that takes the job next knows both.
//
// The timeline is folded: tries 1 to 4 are noted in full (claim and outcome), after that only each
// doubling (8, 16, 32, ...), and always the try that ends it (posted, rejected, failed). A try between
// leaves no event; the next noted one names its number. While the circuit breaker is open documents
// are not tried at all (post-breaker.ts), so an outage adds no events.
import type { StageJob } from './runner.js';
import type { PostingSettings } from './posting-settings.js';
import type { JobData } from './queues.js';

type PostJob = Extract<JobData, { stage: 'post' }>;

/** Tries noted on the timeline: the first few, then each doubling. */
export function notedTry(attempt: number): boolean {
  return attempt <= 4 || (attempt & (attempt - 1)) === 0;
}

/** Seconds before try `attempt + 1`: the gateway's retry delay, doubled per try when backoff is on, at most `maxRetryDelaySeconds`. */
export function backoffSeconds(settings: PostingSettings, attempt: number): number {
  const { delaySeconds, backoff } = settings.retry;
  // 2 ** 60 and up is Infinity-safe with Math.min; the exponent is bounded anyway by the window.
  return Math.min(backoff ? delaySeconds * 2 ** Math.min(attempt - 1, 60) : delaySeconds, settings.maxRetryDelaySeconds);
}

/** Whether the document's retries are used up after its try `attempt` failed: both enough tries and the whole window. */
export function retriesRunOut(settings: PostingSettings, attempt: number, since: number, now: number): boolean {
  return attempt >= settings.retry.limit + 1 && windowRunOut(settings, since, now);
}

/** Whether `retryForSeconds` passed since the first failure (none yet: not). */
export function windowRunOut(settings: PostingSettings, since: number | undefined, now: number): boolean {
  return since !== undefined && now - since >= settings.retryForSeconds * 1000;
}

/** The try a batch's jobs of one document are at: the highest. */
export function lastAttemptOf(jobs: readonly StageJob[]): number {
  return Math.max(...jobs.map((j) => (j.data as PostJob).attempt ?? 1));
}

/** When the document first failed (or first waited for the breaker): the earliest of its jobs. */
export function sinceOf(jobs: readonly StageJob[]): number | undefined {
  const all = jobs.map((j) => (j.data as PostJob).since).filter((s): s is number => typeof s === 'number');
  return all.length ? Math.min(...all) : undefined;
}

/** The next post job of a document. */
export function postJob(documentId: number, attempt: number, since?: number): JobData {
  return { stage: 'post', documentId, ...(attempt > 1 ? { attempt } : {}), ...(since !== undefined ? { since } : {}) };
}

/** "3 h 20 min" and the like, for a reason a person reads. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
