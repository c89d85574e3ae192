// The gateway process: intake for transports, the stage workers, replay and a clean stop.
//
// Usage (a whole gateway; see src/store for openDatabase):
//
//   import { openDatabase } from '../store/index.js';
//   import { startGateway } from '../jobs/gateway.js';
//
//   const db = await openDatabase({ log });                  // migrated (incl. migration 002)
//   const gateway = await startGateway({ db, log: pino() }); // pg-boss in schema `${db.schema}_boss`; stage loops run
//   const { fileId, duplicate, receiptId, state } = await gateway.intake({
//     partner: 'sample', channel: 'folder', sourceName: 'po-1.edi', bytes, metadata: { path },
//   });                                                     // resolves after COMMIT: now archive/delete the source
//   await gateway.idle(30_000);                              // tests/bench: until no job is queued or active
//   await gateway.replayDocument(42, 'alice');               // rejected|failed -> back to its failed stage
//   await gateway.replayFile(7, 'alice');                    // every replayable document of file 7 (or the file itself)
//   await gateway.stop();                                    // in-flight batches finish; the db stays open (caller closes it)
//
// Intake-only process (CLI `edi replay`, a transport-only process): no stage loops, same intake/replay/idle:
//
//   const gateway = await startGateway({ db, workers: false });
//
// Tests: short retries and expiry, e.g. { retry: { limit: 2, delaySeconds: 0, backoff: false }, jobExpireSeconds: 5 }.
// Those two are stored on the pg-boss queues (cluster-wide): processes with workers apply theirs at
// start, and every job takes the queue's values when inserted, also when an intake-only process inserts it.
import { defaultAckPolicy, type AckPolicy } from '../acks/policy.js';
import type { AckIdentity } from '../acks/respond.js';
import type { PartnerDirectory } from '../partners/types.js';
import type { Database } from '../store/database.js';
import type { Interchange } from '../x12/model.js';
import { addressedIdentity } from './acks.js';
import { DEFAULT_MAX_FILE_BYTES, type PipelineContext } from './context.js';
import { deadLetterHandler } from './failures.js';
import { deliverDue, replayOutbound, startDeliveryLoop, type DeliveryLoop, type DeliveryOptions, type DeliveryResult } from './deliver.js';
import { intake, type IntakeInput, type IntakeResult } from './intake.js';
import { mapHandler } from './map.js';
import { postHandler } from './post.js';
import { targetBreaker } from './post-breaker.js';
import type { BreakerStatus } from './circuit-breaker.js';
import { definedOnly, postingSettings, type PostingOptions } from './posting-settings.js';
import { startSweep, type Sweep } from './sweep.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { countPostings } from '../store/postings-repo.js';
import { type PostingTarget } from './ports.js';
import type { Rehearse } from './dry-run.js';
import { DEFAULT_RETRY, startQueues, type JobQueue, type RetryPolicy } from './queues.js';
import { recordingTarget } from './recording-target.js';
import { replayDocument, replayFile, type ReplayResult } from './replay.js';
import { documentActions, type DocumentActions } from './document-actions.js';
import { gapFixes, type GapFixes } from './gaps.js';
import { Runner } from './runner.js';
import { splitHandler } from './split.js';
import { validateHandler } from './validate.js';
import { startWaker } from './wakeup.js';
import { waitIdle } from './idle.js';
import { outboundHandler } from './outbound.js';
import { regenerateOutbound, resendOutbound, type ActionBy, type RegenerateResult, type ResendResult } from './outbound-actions.js';
import { pollOdoo, startOdooPoller } from './odoo-poller.js';
import type { OdooOutboundSource } from '../odoo/builders/source.js';
import type { OutboundJobData } from './queues.js';

export { IntakeError, type IntakeInput, type IntakeResult } from './intake.js';
export type { Logger } from '../logging/logger.js';
export { TargetError, type PostingTarget, type PostRequest, type TargetErrorKind } from './ports.js';
export type { ReplayResult } from './replay.js';
export { recordingTarget, dryRunTarget } from './recording-target.js';
export { naturalKeyOf } from './post.js';
export type { Rehearse } from './dry-run.js';
export type { DeliveryOptions, DeliveryResult } from './deliver.js';
export type { OutboundChannel, OutboundChannels } from '../transports/outbound-channel.js';

export interface GatewayOptions {
  /** From openDatabase (src/store). The gateway never closes it. */
  db: Database;
  /** Default: the recording target (ledger table `posted`). */
  target?: PostingTarget;
  /** Dry runs of postings against the same Odoo (src/odoo/from-env.ts odooRehearsalFromEnv): what a test partner's document would have made. */
  rehearse?: Rehearse;
  /** pino-compatible { debug, info, warn, error, child }; default silent. */
  log?: Logger;
  /** Where the circuit breaker in front of the target logs its changes (down, back again); default `log`. */
  targetLog?: Logger;
  /** Larger files are kept (without their bytes) and rejected. Default 100 MB. A partner file's maxFileBytes wins. */
  maxFileBytes?: number;
  /**
   * partners/*.yaml (src/partners: loadPartners + partnerDirectory, or watchPartners). A partner with a
   * file gets its own reader tolerance (allowVariableIsa), maxFileBytes, acknowledgment policy, our
   * ids towards it, its accepted sets and id checks; reloads apply to files split after them.
   */
  partners?: PartnerDirectory;
  /** Acknowledgments for partners without a partner file (e.g. the sample partner). */
  ack?: {
    /** Default: 997, TA1 when requested or on envelope errors, all sets. */
    policy?: AckPolicy;
    /** Who we are in the acks. Default: whom the interchange addressed (ISA07/ISA08, GS03). */
    identity?: AckIdentity | ((ic: Interchange) => AckIdentity);
  };
  /** Parallel fetch loops per stage (default split 2, validate 2, map 1, post 2: split and validate take one transaction per slice of a file; two post loops keep the target busy while one claims or records). */
  concurrency?: { split?: number; validate?: number; map?: number; post?: number };
  /**
   * Bytes of a file split and validated in one transaction (default 1 MiB, file-slices.ts): memory
   * follows it, not the file. Tests make it small to split a file in several slices.
   */
  sliceBytes?: number;
  /** Jobs fetched at once per loop (default split 10, validate 10, map 100, post 100). */
  batchSize?: { split?: number; validate?: number; map?: number; post?: number };
  /**
   * How long a taken job may go without its process's heartbeat (every third of it, while the batch
   * runs) before pg-boss hands it out again: how soon a crashed process's work comes back. Default 10.
   * This and `retry` are stored on the queues and a job takes them when inserted, whichever process
   * inserts it: a gateway with workers applies its values at start (the last one wins); a
   * `workers: false` process uses them only to create missing queues.
   */
  jobExpireSeconds?: number;
  /** Retries of a failing job: default 10 tries after the first, 1 s doubling (pg-boss retryBackoff; about 17 min in all). */
  retry?: { limit?: number; delaySeconds?: number; backoff?: boolean };
  /**
   * The post stage's leases and calls in flight, its retries of a failing target (retry window, backoff
   * cap), the circuit breaker in front of the target, and the sweep of lost work (posting-settings.ts).
   */
  posting?: PostingOptions;
  /** false: intake, replay and idle only, no stage loops. Default true. */
  workers?: boolean;
  /** pg-boss schema. Default `${db.schema}_boss`. */
  bossSchema?: string;
  /** Safety-net poll when no NOTIFY arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How often pg-boss looks for expired jobs (cluster-wide). Default a fifth of jobExpireSeconds (1 to 30). */
  maintenanceIntervalSeconds?: number;
  /** Clock for ack dates (tests). */
  now?: () => Date;
  /**
   * Delivery of the `outbound` table (acks, later outbound documents) through each partner's channel
   * (src/transports/outbound.ts partnerOutboundChannels). Absent: entries stay ready (no delivery loop).
   */
  delivery?: DeliveryOptions;
  /**
   * Outbound documents from Odoo records (src/jobs/outbound.ts): the builders' source, and how often
   * the poller looks for changed records (default 60 s; 0: no poller, webhooks and `queueOutbound` only).
   */
  outbound?: { source: OdooOutboundSource; pollSeconds?: number; buildsInFlight?: number };
}

export interface Gateway {
  readonly options: Readonly<GatewayOptions>;
  intake(input: IntakeInput): Promise<IntakeResult>;
  /** Resolves when no job is queued or active in any stage (for tests and the bench); rejects after timeoutMs (default 60 s). */
  idle(timeoutMs?: number): Promise<void>;
  /** rejected|failed -> back to failed_stage; idempotent; an event with the actor. */
  replayDocument(id: number, actor: string): Promise<ReplayResult>;
  replayFile(id: number, actor: string): Promise<ReplayResult>;
  /** A person's actions on received documents (replay, cancel, bulk replay, downloads), audited: ./document-actions.ts. */
  readonly actions: DocumentActions;
  /** Master-data gaps fixed once for every document waiting on them (map + replay, audited): ./gaps.ts. */
  readonly gaps: GapFixes;
  /** A failed outbound entry back to ready (an event with the actor); false when it is not failed. */
  replayOutbound(id: number, actor: string): Promise<boolean>;
  /** One delivery sweep now (tests, --once); nothing delivered without `delivery`. */
  deliver(): Promise<DeliveryResult>;
  /**
   * Queues the builds a record of `model` may need (a webhook said it changed), `delaySeconds` later
   * (Odoo 18 posts its webhook before it commits); how many. 0 without `outbound`.
   */
  queueOutbound(model: string, recordId: number, via: string, delaySeconds?: number): Promise<number>;
  /** A person's resend of a document we send: the same bytes again (outbound-actions.ts). */
  resendOutbound(id: number, by: ActionBy): Promise<ResendResult>;
  /** A person's regenerate: built again from Odoo with new numbers; refused without outbound (no Odoo). */
  regenerateOutbound(id: number, by: ActionBy): Promise<RegenerateResult>;
  /** One look of the Odoo poller now (tests); queued jobs per kind. */
  pollOdoo(): Promise<Record<string, number>>;
  /** For readiness: whether the stage loops run (none in a `workers: false` process) and which queues cannot fetch now. */
  status(): GatewayStatus;
  /**
   * Graceful: finish in-flight batches, close the LISTEN connection, stop pg-boss. The db stays open.
   * With `timeoutMs`, batches still running then are cut short: their jobs go back to pg-boss as failed
   * tries (run again soon, here or in another process) and `cutShort` counts them.
   */
  stop(options?: { timeoutMs?: number }): Promise<{ cutShort: number }>;
}

export interface GatewayStatus {
  workers: 'running' | 'stopping' | 'none';
  /** Queue -> the error of its last fetch, while fetching fails. */
  failing: Record<string, string>;
  /** The posting target and this process's circuit breaker in front of it. */
  target?: { name: string; breaker: BreakerStatus };
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { db } = options;
  const log = options.log ?? silentLogger;
  const workers = options.workers ?? true;
  const expireSeconds = options.jobExpireSeconds ?? 10;
  const retry = { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) } as RetryPolicy;
  const queue = await startQueues({
    db,
    bossSchema: options.bossSchema ?? `${db.schema}_boss`,
    retry: { limit: retry.limit, delaySeconds: retry.delaySeconds, backoff: retry.backoff },
    expireSeconds,
    supervise: workers,
    applySettings: workers,
    // Expired jobs are found within a fifth of the expiry: a crashed process's jobs run again after
    // about 1.2 times the expiry (12 s by default), where the old 60 s expiry took 60-90 s.
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? Math.max(1, Math.min(Math.ceil(expireSeconds / 5), 30)),
    onError: (error) => log.warn({ error: error.message }, 'job queue error'),
  });
  const target = options.target ?? recordingTarget(db);
  const posting = postingSettings(options.posting, retry);
  // Each process has its own breaker: it learns of an outage from its own calls and probes on its own.
  const breaker = targetBreaker({ target: target.name, settings: posting.breaker, queue, log: options.targetLog ?? log });
  const ctx: PipelineContext = {
    db,
    queue,
    log,
    target,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    ack: {
      policy: options.ack?.policy ?? { ...defaultAckPolicy },
      identity: options.ack?.identity ?? addressedIdentity,
    },
    now: options.now ?? (() => new Date()),
    ...(options.partners ? { partners: options.partners } : {}),
    posting,
    breaker,
    ...(options.sliceBytes ? { sliceBytes: options.sliceBytes } : {}),
    ...(options.rehearse ? { rehearse: options.rehearse } : {}),
  };

  const waker = startWaker({ connectionString: db.connectionString, channel: queue.channel, log, listen: workers });
  const runner = new Runner({ queue, waker, log, pollIntervalMs: options.pollIntervalMs ?? 1000 });
  let delivery: DeliveryLoop | undefined;
  const sweep: Sweep | undefined = workers ? startSweep(ctx) : undefined;
  let poller: ReturnType<typeof startOdooPoller> | undefined;
  if (workers) {
    const c = options.concurrency ?? {};
    const b = options.batchSize ?? {};
    // Small files' jobs of a batch share one transaction (batch.ts smallTogether): 10 at once.
    runner.start(splitHandler(ctx), c.split ?? 2, b.split ?? 10);
    runner.start(validateHandler(ctx), c.validate ?? 2, b.validate ?? 10);
    runner.start(mapHandler(ctx), c.map ?? 1, b.map ?? 100);
    runner.start(postHandler(ctx), c.post ?? 2, b.post ?? 100);
    runner.start(deadLetterHandler(ctx), 1, 20);
    if (options.delivery) delivery = startDeliveryLoop(db, { now: ctx.now, ...options.delivery }, { log, waker });
    if (options.outbound) {
      // Two loops of up to 40 records: one builds (Odoo reads) while the other records its batch.
      runner.start(outboundHandler({ ...ctx, source: options.outbound.source, ...(options.outbound.buildsInFlight ? { buildsInFlight: options.outbound.buildsInFlight } : {}) }), 2, 40);
      const pollSeconds = options.outbound.pollSeconds ?? 60;
      if (pollSeconds > 0) poller = startOdooPoller({ db, queue, source: options.outbound.source, log }, { intervalMs: pollSeconds * 1000, now: ctx.now });
    }
    log.info({ schema: db.schema, bossSchema: queue.bossSchema, target: ctx.target.name }, 'gateway workers started');
  }

  let stopping: Promise<{ cutShort: number }> | undefined;
  return {
    options,
    intake: (input) => intake(ctx, input),
    idle: (timeoutMs = 60_000) => waitIdle({ pending: () => queue.pending(), postings: () => countPostings(db) }, timeoutMs),
    replayDocument: (id, actor) => replayDocument(ctx, id, actor),
    replayFile: (id, actor) => replayFile(ctx, id, actor),
    actions: documentActions(ctx),
    gaps: gapFixes(ctx),
    replayOutbound: (id, actor) => replayOutbound(db, id, actor),
    deliver: async () =>
      delivery ? delivery.sweep() : options.delivery ? deliverDue(db, { now: ctx.now, ...options.delivery }, log) : { sent: [], failed: [], waiting: [] },
    async queueOutbound(model, recordId, via, delaySeconds = 0) {
      const kinds = options.outbound?.source.kindsOf(model) ?? [];
      const jobs: OutboundJobData[] = kinds.map((kind) => ({ stage: 'outbound', model, recordId, kind, via }));
      if (jobs.length) await queue.enqueue(db, jobs, { delaySeconds });
      return jobs.length;
    },
    resendOutbound: (id, by) => resendOutbound({ db, queue }, id, by),
    regenerateOutbound: async (id, by) =>
      options.outbound ? regenerateOutbound({ ...ctx, queue, source: options.outbound.source }, id, by) : { refused: 'Odoo is not configured (ODOO_URL): a document is regenerated from its Odoo record' },
    pollOdoo: async () => (options.outbound ? pollOdoo({ db, queue, source: options.outbound.source, log }, { now: ctx.now }) : {}),
    status: () => {
      const r = runner.status();
      return { workers: !workers || r.loops === 0 ? 'none' : stopping || r.stopping ? 'stopping' : 'running', failing: r.failing, target: { name: target.name, breaker: breaker.status() } };
    },
    stop: (stopOptions = {}) =>
      (stopping ??= (async () => {
        const loops = Promise.all([runner.stop(), delivery?.stop(), sweep?.stop(), poller?.stop()]);
        // Closing the waker ends every wait at once (a loop idles up to pollIntervalMs otherwise).
        await waker.close();
        const finished = await within(loops, stopOptions.timeoutMs);
        const cutShort = finished ? 0 : await runner.abandon();
        await queue.stop();
        log.info({ schema: db.schema, ...(cutShort ? { cutShort } : {}) }, 'gateway stopped');
        return { cutShort };
      })()),
  };
}

/** Whether `work` ended within `ms` (always, when no limit is given). */
async function within(work: Promise<unknown>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) return work.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
