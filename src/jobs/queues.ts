// The pg-boss side of the pipeline: queue names, job payloads, starting pg-boss in its own schema,
// and enqueueing inside the caller's transaction with a NOTIFY that wakes the runners at commit.
import PgBoss from 'pg-boss';
import type { Database } from '../store/database.js';
import { checkSchemaName } from '../store/identifiers.js';
import type { Queryable } from '../store/conn.js';
import { withSetupLock } from '../store/setup-lock.js';
import { notify } from '../store/sql/notify.js';
import { dueNow, fetchOrderIndex, pendingJobs, touchJobs } from '../store/sql/sweep.js';

export const STAGE_QUEUES = { split: 'edi-split', validate: 'edi-validate', map: 'edi-map', post: 'edi-post' } as const;
export type StageName = keyof typeof STAGE_QUEUES;
/** Where pg-boss puts a copy of a job whose retries ran out (or that expired on its last try). */
export const DEAD_LETTER_QUEUE = 'edi-dead';
/** Outbound documents to build from Odoo records (src/jobs/outbound.ts). */
export const OUTBOUND_QUEUE = 'edi-outbound';
export const ALL_QUEUES: readonly string[] = [...Object.values(STAGE_QUEUES), OUTBOUND_QUEUE, DEAD_LETTER_QUEUE];

/** A record of `model` may need its `kind` document (a webhook or the poller said it changed). */
export interface OutboundJobData {
  stage: 'outbound';
  model: string;
  recordId: number;
  kind: string;
  /** What told us: webhook, poll, replay. */
  via: string;
  priority?: number;
}

/**
 * Outbound builds retry for hours (10 s doubling, 12 tries: about 11 hours) while Odoo is away;
 * what they build never gives up silently: the poller finds the record again after that.
 */
export const OUTBOUND_RETRY: RetryPolicy = { limit: 12, delaySeconds: 10, backoff: true };

const queueNameOf = (data: JobData | OutboundJobData): string => (data.stage === 'outbound' ? OUTBOUND_QUEUE : STAGE_QUEUES[data.stage]);

/**
 * Job payloads: split and validate work per file (a large file slice by slice: a validate job's `slice`
 * is the part of the file one split job recorded, bytes [from, to) from line `line`; none: the whole
 * file), map and post per document. `priority`: see priorityAt.
 */
export type JobData = (
  | { stage: 'split'; fileId: number }
  | { stage: 'validate'; fileId: number; slice?: { from: number; to: number; line: number } }
  | { stage: 'map'; documentId: number }
  /**
   * attempt: which try at the target this job is (1 when absent): the post stage counts its own retries;
   * since: when the document first failed or first waited for the circuit breaker (ms since the epoch).
   */
  | { stage: 'post'; documentId: number; attempt?: number; since?: number }
) & { priority?: number };

/** Each mebibyte of a file before a job's work lowers the job's priority by one (see priorityAt). */
export const PRIORITY_STEP_BYTES = 1024 * 1024;

/**
 * The priority of the jobs of work that starts at `byteOffset` in a file of `fileSize` bytes: 0 for a
 * file of one MiB or less; -1 for the first MiB of a larger one, -2 for its second MiB, and so on.
 * pg-boss hands out higher priorities first, then the oldest, so the jobs of small files arriving
 * behind a large one pass all of it, and two large files take turns MiB by MiB: one file cannot hold
 * up the others, whoever sent it. The jobs of a document's later stages keep its priority.
 */
export function priorityAt(byteOffset: number, fileSize: number): number {
  return fileSize <= PRIORITY_STEP_BYTES ? 0 : -1 - Math.floor(byteOffset / PRIORITY_STEP_BYTES);
}

export interface RetryPolicy {
  /** Tries after the first. */
  limit: number;
  /** Seconds before the first retry (pg-boss doubles it, with jitter, when backoff is on). */
  delaySeconds: number;
  backoff: boolean;
}

/**
 * Split, validate and map retry with doubling delays for about 17 minutes (1 + 2 + ... + 512 s), so
 * a database that flaps or is away for minutes does not leave files `failed` (the post stage retries
 * a target for hours on its own: posting-settings.ts).
 */
export const DEFAULT_RETRY: RetryPolicy = { limit: 10, delaySeconds: 1, backoff: true };

/** NOTIFY channel of a gateway schema; the payload is the queue name. */
export function wakeChannel(schema: string): string {
  return `${checkSchemaName(schema)}_jobs`;
}

export interface JobQueue {
  readonly boss: PgBoss;
  readonly bossSchema: string;
  readonly channel: string;
  /** Inserts jobs through `conn` (the caller's transaction: they exist only if it commits) and notifies at commit. */
  enqueue(conn: { client?: Queryable } & Queryable, jobs: readonly (JobData | OutboundJobData)[], options?: EnqueueOptions): Promise<void>;
  /** Jobs queued (created or waiting to retry) or active, per queue, across every process on this database. */
  pending(): Promise<Record<string, number>>;
  /** Restarts the expiry of these active jobs of `queue` (a batch still being worked on). */
  touch(queue: string, ids: readonly string[]): Promise<void>;
  /** Makes the delayed jobs of `stage` due now and wakes the runners (the posting target is back); how many. */
  dueNow(stage: StageName): Promise<number>;
  /** The queues' expiry this process applies, in seconds. */
  readonly expireSeconds: number;
  stop(): Promise<void>;
}

export interface EnqueueOptions {
  /** Not before this many seconds after the caller's transaction began (the database's clock). */
  delaySeconds?: number;
}

export interface QueueOptions {
  db: Database;
  bossSchema: string;
  retry: RetryPolicy;
  expireSeconds: number;
  /** Run pg-boss maintenance (expiry of jobs held by dead processes, archiving) from this process. */
  supervise: boolean;
  /** Set retry and expiry on existing queues too (processes with workers). */
  applySettings: boolean;
  maintenanceIntervalSeconds: number;
  onError(error: Error): void;
}

export async function startQueues(options: QueueOptions): Promise<JobQueue> {
  const { db, retry } = options;
  const bossSchema = checkSchemaName(options.bossSchema);
  const channel = wakeChannel(db.schema);
  const boss = new PgBoss({
    // pg-boss shares the gateway's pool: its statements and ours draw from one budget of connections.
    db: { executeSql: (text, values) => db.pool.query(text, values) },
    schema: bossSchema,
    supervise: options.supervise,
    schedule: false,
    migrate: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    // Completed jobs are history the store already keeps (events): archive them soon.
    archiveCompletedAfterSeconds: 3600,
  });
  boss.on('error', options.onError);
  // pg-boss creates its schema and queues without a lock of its own: processes starting together on a
  // new database would collide on the catalog (duplicate schema), so one at a time starts it.
  await withSetupLock(db.pool, `edi.boss:${bossSchema}`, async () => {
    await boss.start();
    await createQueues(boss, retry, options);
    const index = fetchOrderIndex(bossSchema);
    await db.pool.query(index.text, index.values);
  });

  return {
    boss,
    bossSchema,
    channel,
    async enqueue(conn, jobs, options = {}) {
      if (jobs.length === 0) return;
      const runner = conn.client ?? conn;
      const delay = options.delaySeconds ?? 0;
      // pg-boss reads a startAfter that is not a timestamp as an interval after now().
      const startAfter = delay > 0 ? { startAfter: `${delay} seconds` } : {};
      await boss.insert(
        jobs.map((data) => ({ name: queueNameOf(data), data, priority: data.priority ?? 0, ...startAfter })),
        { db: { executeSql: (text, values) => runner.query(text, values) } },
      );
      // A job that is not due yet would wake the runners for nothing: their poll finds it when it is.
      if (delay > 0) return;
      const queues = [...new Set(jobs.map(queueNameOf))];
      const wake = notify(channel, queues);
      await runner.query(wake.text, wake.values);
    },
    async pending() {
      const plan = pendingJobs(bossSchema, ALL_QUEUES);
      const { rows } = await db.pool.query<{ name: string; n: number }>(plan.text, plan.values);
      return Object.fromEntries(rows.map((r) => [r.name, r.n]));
    },
    async touch(queue, ids) {
      if (ids.length === 0) return;
      const plan = touchJobs(bossSchema, { queue, ids });
      await db.pool.query(plan.text, plan.values);
    },
    async dueNow(stage) {
      const plan = dueNow(bossSchema, STAGE_QUEUES[stage]);
      const { rowCount } = await db.pool.query(plan.text, plan.values);
      const wake = notify(channel, [STAGE_QUEUES[stage]]);
      await db.pool.query(wake.text, wake.values);
      return rowCount ?? 0;
    },
    expireSeconds: options.expireSeconds,
    async stop() {
      await boss.stop({ graceful: false, close: false, wait: true });
    },
  };
}

async function createQueues(boss: PgBoss, retry: RetryPolicy, options: QueueOptions): Promise<void> {
  await createQueue(boss, DEAD_LETTER_QUEUE, { retryLimit: 0 }, false);
  // Retries and expiry live on the queues, and a job takes them when it is inserted, whichever process
  // inserts it: they are settings of the cluster. A process with workers applies its own (the last one
  // to start wins); an intake-only process only creates missing queues.
  const settings = {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds,
    retryBackoff: retry.backoff,
    expireInSeconds: options.expireSeconds,
    deadLetter: DEAD_LETTER_QUEUE,
  };
  for (const name of Object.values(STAGE_QUEUES)) await createQueue(boss, name, settings, options.applySettings);
  await createQueue(boss, OUTBOUND_QUEUE, {
    retryLimit: OUTBOUND_RETRY.limit, retryDelay: OUTBOUND_RETRY.delaySeconds, retryBackoff: OUTBOUND_RETRY.backoff, expireInSeconds: options.expireSeconds,
  }, options.applySettings);
}

/** Creates a queue unless it exists (several processes may start at once); `apply`: also sets these options on an existing one. */
async function createQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>, apply: boolean): Promise<void> {
  if (await boss.getQueue(name)) {
    if (apply) await boss.updateQueue(name, { name, ...options });
    return;
  }
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (error) {
    if (!/already exists/i.test((error as Error).message) || !(await boss.getQueue(name))) throw error;
    if (apply) await boss.updateQueue(name, { name, ...options });
  }
}
