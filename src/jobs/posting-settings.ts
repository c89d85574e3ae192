// Settings of the post stage's claim -> call -> record (post.ts), its retries of a target's failures,
// the circuit breaker in front of the target (circuit-breaker.ts) and the sweep (sweep.ts).
import { DEFAULT_BREAKER, type BreakerSettings } from './circuit-breaker.js';
import { DEFAULT_RETRY, type RetryPolicy } from './queues.js';

export interface PostingOptions {
  /**
   * How long a claim holds a document whose call to the target has started, without being renewed,
   * in seconds (default 60: POSTING_LEASE_SECONDS). It must outlast the target's slowest call: a
   * process that dies mid-call may leave the call still creating in the target, and the repeat must
   * find what it made. The holder renews it while the call runs.
   */
  leaseSeconds?: number;
  /**
   * How long a claim holds a document whose call has not started yet (claimed with its batch,
   * waiting for a free call), in seconds (default 10, at most leaseSeconds). Nothing of it can be in
   * the target, so a process that dies leaves it to the sweep after seconds, not a minute.
   */
  queuedLeaseSeconds?: number;
  /** Target calls in flight per batch (default 4). */
  callsInFlight?: number;
  /** A document whose business key another posting holds is tried again after this many seconds (default 1). */
  keyWaitSeconds?: number;
  /** How often the sweep looks for expired leases and files without a job, in seconds (default 5: a cheap indexed query). */
  sweepIntervalSeconds?: number;
  /**
   * How long a document whose posting keeps failing with a retryable error (target down, timeouts,
   * refused credentials) waits and retries, from its first failure, before it ends `failed`, in
   * seconds (default 24 h: POSTING_RETRY_HOURS). It also gets at least the gateway's `retry.limit` retries.
   */
  retryForSeconds?: number;
  /** The cap of the backoff between two tries of one document, in seconds (default 300). */
  maxRetryDelaySeconds?: number;
  /** The circuit breaker in front of the target (defaults in circuit-breaker.ts). */
  breaker?: Partial<BreakerSettings>;
}

export interface PostingSettings extends Required<Omit<PostingOptions, 'breaker'>> {
  /** The post stage's retries of a target's errors (the gateway's `retry`): the first delay, doubling, and the least number of retries. */
  retry: RetryPolicy;
  breaker: BreakerSettings;
}

export const DEFAULT_RETRY_HOURS = 24;

export function postingSettings(options: PostingOptions = {}, retry: RetryPolicy = DEFAULT_RETRY): PostingSettings {
  const { breaker, ...rest } = options;
  return {
    leaseSeconds: 60,
    callsInFlight: 4,
    keyWaitSeconds: 1,
    sweepIntervalSeconds: 5,
    retryForSeconds: DEFAULT_RETRY_HOURS * 3600,
    maxRetryDelaySeconds: 300,
    ...definedOnly(rest),
    breaker: { ...DEFAULT_BREAKER, ...definedOnly(breaker ?? {}) },
    retry,
    queuedLeaseSeconds: Math.min(rest.queuedLeaseSeconds ?? 10, rest.leaseSeconds ?? 60),
  };
}

/** The options actually given: spread over defaults, an undefined option keeps the default. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
