// The fetch loops. pg-boss 10's work() sleeps out its polling interval after every fetch, which
// would add up to a second of latency per stage; instead each loop fetches a batch, hands it to its
// stage, completes or fails the jobs, and fetches again at once. An empty fetch waits for a NOTIFY
// (see wakeup.ts) or the poll interval. A job's effects commit in the stage's transaction before
// complete(): a process that dies in between leaves an active job that pg-boss hands out again
// after it expires, and the stage's state guards turn that second run into a no-op. While a batch
// runs, a heartbeat restarts its jobs' expiry every third of it: the expiry can then be short (a
// dead process's jobs come back within seconds) without handing out a long batch of a live one.
import type PgBoss from 'pg-boss';
import { failureOf, messageOf } from './context.js';
import type { Logger } from '../logging/logger.js';
import { metrics, secondsSince } from '../logging/metrics.js';
import type { JobData, JobQueue } from './queues.js';
import type { Waker } from './wakeup.js';

export interface StageJob {
  id: string;
  data: JobData;
  /** Tries before this one. */
  retryCount: number;
  retryLimit: number;
  /** What the last failure recorded (dead-letter copies carry the failed job's output). */
  output?: unknown;
}

export interface StageHandler {
  readonly queue: string;
  /** Does the work of a batch. Returns the jobs that failed, with their error; the others are completed. */
  run(jobs: readonly StageJob[]): Promise<Map<string, unknown>>;
  /** A job failed: note it in the timeline; on its last try (`final`), put what it was about in its dead-letter state. */
  failed?(job: StageJob, error: unknown, final: boolean): Promise<void>;
}

export interface RunnerOptions {
  queue: JobQueue;
  waker: Waker;
  log: Logger;
  pollIntervalMs: number;
}

export class Runner {
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  /** Jobs being worked on now, by queue: what a stop cut short hands back. */
  private readonly inHand = new Map<string, Set<string>>();
  /** Queues whose last fetch failed, with the error (readiness: the database or pg-boss is away). */
  private readonly failing = new Map<string, string>();

  constructor(private readonly options: RunnerOptions) {}

  /** Starts `concurrency` loops fetching up to `batchSize` jobs each. */
  start(handler: StageHandler, concurrency: number, batchSize: number): void {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(handler, batchSize));
  }

  /** What readiness reports: how many loops run, and the queues that cannot fetch jobs now. */
  status(): { loops: number; stopping: boolean; failing: Record<string, string> } {
    return { loops: this.loops.length, stopping: this.stopping, failing: Object.fromEntries(this.failing) };
  }

  /**
   * A stop cut short: the jobs in hand go back to pg-boss as failed tries (retried after their delay),
   * so that the next start need not wait for them to expire. What they did is safe to do again: each
   * stage is guarded by the document's state, and a posting by its lease.
   */
  async abandon(): Promise<number> {
    let handed = 0;
    for (const [queueName, ids] of this.inHand) {
      if (ids.size === 0) continue;
      const jobs = [...ids];
      handed += jobs.length;
      for (const id of jobs) {
        await this.settle(queueName, 'hand back', () => this.options.queue.boss.fail(queueName, id, { message: 'the gateway stopped before this job finished' }));
      }
    }
    return handed;
  }

  /** Lets in-flight batches finish, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
  }

  private async loop(handler: StageHandler, batchSize: number): Promise<void> {
    const { queue, waker, log } = this.options;
    let errorDelay = 0;
    while (!this.stopping) {
      const mark = waker.mark(handler.queue);
      let jobs: PgBoss.JobWithMetadata<JobData>[];
      try {
        jobs = await queue.boss.fetch<JobData>(handler.queue, { batchSize, includeMetadata: true });
        errorDelay = 0;
        this.failing.delete(handler.queue);
      } catch (error) {
        this.failing.set(handler.queue, messageOf(error));
        // The database is away (or pg-boss is stopping): try again with backoff, never crash.
        errorDelay = Math.min(errorDelay ? errorDelay * 2 : 250, 5_000);
        if (!this.stopping) log.warn({ queue: handler.queue, error: messageOf(error), retryInMs: errorDelay }, 'cannot fetch jobs');
        await this.sleep(errorDelay);
        continue;
      }
      if (jobs.length === 0) {
        await waker.wait(handler.queue, mark, this.options.pollIntervalMs);
        continue;
      }
      await this.process(
        handler,
        jobs.map((j) => ({ id: j.id, data: j.data, retryCount: j.retryCount, retryLimit: j.retryLimit, output: j.output })),
      );
    }
  }

  private async process(handler: StageHandler, jobs: StageJob[]): Promise<void> {
    const { queue, log } = this.options;
    const started = Date.now();
    const clock = performance.now();
    let failures: Map<string, unknown>;
    const held = this.inHand.get(handler.queue) ?? new Set<string>();
    this.inHand.set(handler.queue, held);
    for (const j of jobs) held.add(j.id);
    const heartbeat = this.heartbeat(handler.queue, jobs.map((j) => j.id));
    try {
      failures = await handler.run(jobs);
    } catch (error) {
      failures = new Map(jobs.map((j) => [j.id, error]));
    } finally {
      clearInterval(heartbeat);
      for (const j of jobs) held.delete(j.id);
    }
    metrics().stageRan(stageOf(handler.queue), secondsSince(clock));
    log.debug({ queue: handler.queue, jobs: jobs.length, failed: failures.size, ms: Date.now() - started }, 'batch done');
    const done = jobs.filter((j) => !failures.has(j.id)).map((j) => j.id);
    if (done.length) await this.settle(handler.queue, 'complete', () => queue.boss.complete(handler.queue, done));
    for (const job of jobs) {
      if (!failures.has(job.id)) continue;
      const error = failures.get(job.id);
      const final = job.retryCount >= job.retryLimit;
      log[final ? 'error' : 'warn'](
        { queue: handler.queue, job: job.id, ...idsOf(job.data), data: job.data, try: job.retryCount + 1, of: job.retryLimit + 1, error: messageOf(error) },
        final ? 'job failed for good' : 'job failed; it will be retried',
      );
      try {
        await handler.failed?.(job, error, final);
      } catch (noteError) {
        // The dead-letter queue catches what could not be recorded now.
        log.warn({ queue: handler.queue, job: job.id, error: messageOf(noteError) }, 'cannot record the failure');
      }
      await this.settle(handler.queue, 'fail', () => queue.boss.fail(handler.queue, job.id, failureOf(error)));
    }
  }

  /** Touches the batch's jobs every third of the expiry until cleared; a failed touch is only logged (the next may succeed). */
  private heartbeat(queueName: string, ids: readonly string[]): NodeJS.Timeout {
    const { queue, log } = this.options;
    let touching = false;
    return setInterval(() => {
      if (touching) return;
      touching = true;
      queue
        .touch(queueName, ids)
        .catch((error: unknown) => log.warn({ queue: queueName, jobs: ids.length, error: messageOf(error) }, 'cannot extend the expiry of jobs in hand'))
        .finally(() => {
          touching = false;
        });
    }, Math.max(100, (queue.expireSeconds * 1000) / 3));
  }

  /** complete/fail with a few quick retries; if the database stays away the job expires and runs again (a no-op). */
  private async settle(queueName: string, what: string, fn: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn();
        return;
      } catch (error) {
        if (attempt >= 2) {
          this.options.log.warn({ queue: queueName, error: messageOf(error) }, `cannot ${what} jobs; they will expire and run again`);
          return;
        }
        await this.sleep(200 * 5 ** attempt);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/** The stage a queue serves ('edi-split' -> 'split'): the label of the stage histogram. */
function stageOf(queue: string): string {
  return queue.replace(/^edi-/, '');
}

/** A job's file or document id as a field of its lines: one id greps a document's whole story. */
function idsOf(data: unknown): { fileId?: number; documentId?: number } {
  const d = (data ?? {}) as { fileId?: unknown; documentId?: unknown };
  return { ...(typeof d.fileId === 'number' ? { fileId: d.fileId } : {}), ...(typeof d.documentId === 'number' ? { documentId: d.documentId } : {}) };
}
