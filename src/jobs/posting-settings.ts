// Settings of the post stage's claim -> call -> record (post.ts) and of the sweep (sweep.ts).
import { DEFAULT_RETRY, type RetryPolicy } from './queues.js';

export interface PostingOptions {
  /**
   * How long a claim holds a document without being renewed, in seconds (default 60). The holder
   * renews it every third of that while its call runs; a process that dies while posting keeps its
   * documents this long before the sweep posts them again.
   */
  leaseSeconds?: number;
  /** Target calls in flight per batch (default 4). */
  callsInFlight?: number;
  /** A document whose business key another posting holds is tried again after this many seconds (default 1). */
  keyWaitSeconds?: number;
  /** How often the sweep looks for expired leases and files without a job, in seconds (default 5: a cheap indexed query). */
  sweepIntervalSeconds?: number;
}

export interface PostingSettings extends Required<PostingOptions> {
  /** The post stage's own retries of a target's errors (the gateway's `retry`). */
  retry: RetryPolicy;
}

export function postingSettings(options: PostingOptions = {}, retry: RetryPolicy = DEFAULT_RETRY): PostingSettings {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as PostingOptions;
  return { leaseSeconds: 60, callsInFlight: 4, keyWaitSeconds: 1, sweepIntervalSeconds: 5, ...defined, retry };
}
