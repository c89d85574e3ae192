// The composition root: builds the running gateway from its configuration (database, partners,
// pipeline, transports, posting target, HTTP server, logger) and stops it in the right order. The
// CLI hands it a RuntimeConfig and prints; every other module receives what it needs from here.
//
//   const runtime = await startGatewayRuntime(runtimeConfig(options, env, partnersDir), { log });
//   const report = await runtime.drainOnce();     // --once: take what is there, wait until idle
//   await runtime.stop();                          // no new files or requests, work in hand finishes, db closed
import { join } from 'node:path';
import { limitHeapGrowth } from './heap-growth.js';
import { GatewayError, messageOf } from '../errors/failure.js';
import { healthRoutes, type ReadinessCheck } from '../http/health.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import { createGatewayMetrics, metricsRoutes } from '../http/metrics.js';
import { recordMetricsWith } from '../logging/metrics.js';
import { countDocumentsBySetDirectionState, countPendingJobs } from '../store/metrics-repo.js';
import { ALL_QUEUES } from '../jobs/queues.js';
import { operationsConsole } from '../http/console.js';
import { startGateway, type Gateway, type GatewayOptions } from '../jobs/gateway.js';
import { postingTargetReadiness, workersReadiness } from '../jobs/readiness.js';
import { relevel, type Logger } from '../logging/logger.js';
import { odooFromEnv } from '../odoo/from-env.js';
import { odooHookRoutes } from '../http/odoo-hooks.js';
import { as2Routes } from '../http/as2.js';
import { receiveAs2 } from '../jobs/as2-receive.js';
import { startAs2Loop } from '../jobs/as2-mdn.js';
import { storedInbound } from '../jobs/outbound.js';
import { odooOptionsFromEnv } from '../odoo/config.js';
import type { PartnerDirectory } from '../partners/types.js';
import { watchPartners, type PartnerWatcher } from '../partners/watch.js';
import { countDocumentsOfRun, countOutboundOfFiles, countRejectedFiles, lastEventId, openDatabase, redactUrl, type Database, type DocumentState, type RestartPolicy } from '../store/index.js';
import { databaseReadiness } from '../store/readiness.js';
import { DOCUMENT_STATES } from '../store/types.js';
import { startDropFolder, type DropFolder } from '../transports/drop-folder.js';
import { BUILT_IN } from '../partners/defaults.js';
import { partnerOutboundChannels } from '../transports/outbound.js';
import { startEventTail, type EventTail } from './event-tail.js';
import { alertLoop } from './alerts.js';
import { limitRepeats } from './repeat-limit.js';
import { mergeDrained, NOTHING_DRAINED, type DrainResult, type RunningPartnerTransports } from './partner-transports.js';
import type { RuntimeConfig } from './config.js';
import { defaultSamples, seedFirstStart } from './samples.js';
import { startTransports, type TransportStarters } from './transport-starters.js';

/** Odoo 18 posts a webhook inside the transaction that triggers it: read the record a little later. */
const WEBHOOK_DELAY_SECONDS = 3;

export interface RuntimeDeps {
  log: Logger;
  /** An open database (tests); default: openDatabase for the configuration. Not closed by stop() when given. */
  db?: Database;
  /** Gateway settings beyond the defaults (tests: short expiry and retries, another target). */
  gateway?: Partial<GatewayOptions>;
  /** Transports by type (tests); default: the SFTP poller/uploader and the watched folder. */
  transports?: TransportStarters;
  /** How the embedded server is started again when it dies (tests: fewer, shorter tries). */
  restartEmbedded?: RestartPolicy;
}

/** What `--once` found: the files taken and what became of their documents. */
export interface OnceReport {
  drained: DrainResult;
  /** The pipeline became idle before the timeout. */
  idle: boolean;
  counts: Record<DocumentState, number>;
  rejectedFiles: number;
  /** 'kind state' -> count of the acknowledgments queued for the files taken. */
  acks: Record<string, number>;
}

export interface GatewayRuntime {
  readonly db: Database;
  readonly gateway: Gateway;
  readonly partners: PartnerDirectory;
  /** The HTTP server's address, when it serves. */
  readonly http?: { url: string; port: number };
  /** Takes what is in the drop folder and the partners' mailboxes, waits until the pipeline is idle, delivers the acknowledgments. */
  drainOnce(): Promise<OnceReport>;
  /** Graceful and idempotent: stops taking files and requests, lets work in hand finish (bounded), closes what it opened. */
  stop(): Promise<void>;
  /** Settles when the gateway cannot go on (its embedded database died and did not start again): the process must exit non-zero. */
  readonly failed: Promise<Error>;
}

/** The final states: a document there needs nothing more. */
export const FINAL_STATES: readonly DocumentState[] = ['posted', 'duplicate', 'cancelled'];

export async function startGatewayRuntime(config: RuntimeConfig, deps: RuntimeDeps): Promise<GatewayRuntime> {
  // Before any work: a long-running gateway's heap is mostly short-lived garbage (heap-growth.ts).
  limitHeapGrowth(config.heapGrowthPercent);
  // Once a stop was asked for, warnings of components going away (lost connections) are only debug lines.
  let stopping = false;
  // Repeated warnings (a database away makes every loop fail at its own pace) once per 30 s each.
  const log = calmWhenStopping(limitRepeats(deps.log), () => stopping);
  const detail = (component: string) => (config.verbose ? log.child({ component }) : warningsOnly(log.child({ component })));
  const started: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async () => {
    stopping = true;
    for (const c of started.splice(0).reverse()) {
      await c.stop().catch((error: unknown) => log.error({ component: c.name, error: messageOf(error) }, 'stop failed'));
    }
  };

  // The embedded server is started again if it dies while the gateway runs; `failed` says when it could not be.
  const db = deps.db ?? (await openDatabase({ dataDir: join(config.dataDir, 'postgres'), log, restartEmbedded: deps.restartEmbedded ?? true, ...(config.schema ? { schema: config.schema } : {}) }));
  if (!deps.db) started.push({ name: 'database', stop: () => db.close() });
  try {
    const partners = await watchPartners({ dir: config.partnersDir, env: config.env, dataDir: config.dataDir, log: detail('partners'), sighup: !config.once, watch: !config.once });
    started.push({ name: 'partners', stop: () => partners.close() });
    log.info(
      {
        database: db.embedded ? `embedded in ${db.embedded.dataDir}` : redactUrl(db.connectionString), schema: db.schema,
        inbox: config.inbox, archive: config.archive, partner: config.partner,
        partners: `${config.partnersDir}: ${partners.all().map((p) => p.code).join(', ') || 'none'}`,
      },
      'gateway starting',
    );
    // /metrics (with the HTTP server): recording starts before the pipeline so that every file counts.
    const gatewayMetrics = config.http
      ? createGatewayMetrics({
        documents: () => countDocumentsBySetDirectionState(db),
        queueDepths: () => countPendingJobs(db, deps.gateway?.bossSchema ?? `${db.schema}_boss`, ALL_QUEUES),
      }, detail('metrics'))
      : undefined;
    if (gatewayMetrics) {
      const uninstall = recordMetricsWith(gatewayMetrics.recorder);
      started.push({ name: 'metrics', stop: async () => uninstall() });
    }
    const sampleClaimed = partners.get(config.partner) !== undefined;
    // Acknowledgments (and later outbound documents) go out through each partner's outbound mailbox;
    // the sample partner's into <data-dir>/outbound/<partner>/.
    const channels = partnerOutboundChannels({
      directory: partners,
      db,
      dataDir: config.dataDir,
      fallback: (code) => (code === config.partner && !sampleClaimed ? config.outbound : undefined),
      log: detail('delivery'),
    });
    // ODOO_URL & co.: post to that Odoo; otherwise the recording target.
    // One client for the postings, the dry runs (test partners: src/jobs/test-partner.ts; gap searches) and the
    // outbound builds: ODOO_MAX_CONCURRENT bounds them together.
    const gatewayOdoo = odooFromEnv(config.env, { db, partners, log: detail('odoo'), partnersDir: config.partnersDir, inbound: storedInbound(db) });
    const odoo = gatewayOdoo?.target;
    const rehearsal = gatewayOdoo?.rehearsal;
    log.info({ target: odoo ? `odoo ${config.env['ODOO_URL'] ?? ''}`.trim() : 'recording (no ODOO_URL: documents are recorded in the posted ledger)' }, 'posting target');
    // Started before the pipeline and stopped after it: the last state changes are logged too.
    // Where this run begins in the event log: the tail prints from here, --once counts from here.
    const runStart = await lastEventId(db);
    const tail = startEventTail(db, log, { afterId: runStart });
    started.push({ name: 'event log', stop: () => tail.flush().finally(() => tail.stop()) });
    // The same Odoo's records become outbound documents (850/855/...) for partners that receive them.
    const outbound = gatewayOdoo?.outbound;
    const gateway = await startGateway({
      log: detail('pipeline'), delivery: { channels },
      // Builds at once per loop: each makes its Odoo calls one after the other, so ODOO_MAX_CONCURRENT.
      ...(outbound ? { outbound: { source: outbound, pollSeconds: config.odooPollSeconds, buildsInFlight: odooOptionsFromEnv(config.env)?.maxConcurrent } } : {}),
      // The breaker's few lines (down, back) are for the operator: not only with --verbose.
      targetLog: log.child({ component: 'posting target' }),
      // Documents posted at once per batch follow the calls Odoo may have in flight (ODOO_MAX_CONCURRENT):
      // more would only wait for the client's limiter (docs/odoo.md#throughput).
      posting: { leaseSeconds: config.postingLeaseSeconds, retryForSeconds: config.postingRetryHours * 3600, callsInFlight: odoo ? odooOptionsFromEnv(config.env)?.maxConcurrent : undefined },
      ...(odoo ? { target: odoo } : {}), ...(rehearsal ? { rehearse: rehearsal.rehearse } : {}), ...deps.gateway, db, partners,
    });
    started.push({
      name: 'pipeline',
      stop: async () => {
        const { cutShort } = await gateway.stop({ timeoutMs: config.stopTimeoutMs });
        // On the caller's own log: once stopping, the components' warnings are calmed to debug lines.
        if (cutShort) warnStopCutShort(deps.log, cutShort, config.stopTimeoutMs);
      },
    });

    const transports = startTransports(
      partners,
      { db, intake: (input) => gateway.intake(input), log: detail('transports'), directory: partners },
      { dataDir: config.dataDir, ...(config.once ? { once: true } : {}) },
      deps.transports,
    );
    started.push({ name: 'partner transports', stop: () => transports.stop() });
    if (config.samples !== false) await seedFirstStart(db, config.inbox, config.samples ?? defaultSamples(), log);
    let folder: DropFolder | undefined;
    if (!sampleClaimed) {
      if (odoo && !partners.get(config.partner)?.odoo) {
        log.warn(
          { inbox: config.inbox, partner: config.partner, partners: config.partnersDir },
          `posting to Odoo, but the drop folder's partner ${config.partner} has no partner file with an odoo: section: its documents will be rejected. Drop files into a configured partner's folder, or add ${config.partnersDir}/${config.partner}.yaml (README: Posting to Odoo)`,
        );
      }
      const drop = startDropFolder({
        folder: config.inbox,
        archive: config.archive,
        partner: config.partner,
        intake: (input) => gateway.intake(input),
        intervalMs: config.intervalMs,
        // The same window as partner folders (the built-in stableSeconds): complete X12 goes at once.
        stableMs: BUILT_IN.inbound.stableSeconds * 1000,
        db,
        maxFileBytes: BUILT_IN.maxFileBytes,
        schedule: !config.once,
        log: detail('drop-folder'),
      });
      folder = drop;
      started.push({ name: 'drop folder', stop: () => drop.stop() });
    }

    let http: { url: string; port: number } | undefined;
    if (config.http) {
      const server = createHttpServer({ ...config.http, log: detail('http') });
      const checks: ReadinessCheck[] = [
        { name: 'gateway', check: async () => (stopping ? 'stopping' : undefined) },
        databaseReadiness(db),
        workersReadiness(gateway),
        postingTargetReadiness(gateway),
      ];
      server.register(healthRoutes(checks));
      // Odoo's automation rules post here (edi odoo hooks install); a build is queued a few seconds
      // later, as Odoo 18 posts before its transaction commits.
      server.register(odooHookRoutes({
        token: () => config.env['ODOO_WEBHOOK_TOKEN'] || undefined,
        queue: (model, id) => gateway.queueOutbound(model, id, 'webhook', WEBHOOK_DELAY_SECONDS),
        log: detail('odoo webhooks'),
      }));
      // Built-in AS2 (docs/as2.md): messages and asynchronous MDNs in; the MDNs we owe and the ones we await.
      const as2 = startAs2Loop(db, partners, {}, detail('as2'));
      started.push({ name: 'as2', stop: () => as2.stop() });
      server.register(as2Routes({
        receive: (request) => receiveAs2({ db, partners, intake: (input) => gateway.intake(input), log: detail('as2'), mdnQueued: () => as2.wake() }, request),
        ourIds: () => partners.as2Ids(),
        maxBytes: () => partners.gateway().as2?.maxMessageBytes ?? BUILT_IN.as2.maxMessageBytes,
      }));
      if (gatewayMetrics) server.register(metricsRoutes({ registry: gatewayMetrics.registry, token: () => config.env['METRICS_TOKEN'] || undefined }));
      // The operations console: login, the JSON API, the pages (src/http/console.ts).
      for (const plugin of operationsConsole({
        db, partners, log: detail('console'), odooUrl: config.env['ODOO_URL'] || undefined,
        outboundActions: { resend: (id, by) => gateway.resendOutbound(id, by), regenerate: (id, by) => gateway.regenerateOutbound(id, by) },
        documentActions: gateway.actions,
        gaps: { gateway, odoo: rehearsal },
      })) server.register(plugin);
      http = await server.listen();
      // Stopped first: no new requests while the rest winds down.
      started.push({ name: 'http', stop: () => server.close() });
    }

    // Alerts by webhook and e-mail (docs/alerts.md): settings invalid at the start stop it; after a reload, a warning.
    if (!config.once) {
      const alerts = alertLoop({ db, partners, env: config.env, log: log.child({ component: 'alerts' }) });
      started.push({ name: 'alerts', stop: () => alerts.stop() });
    }

    let stopped: Promise<void> | undefined;
    return {
      db,
      gateway,
      partners,
      ...(http ? { http } : {}),
      drainOnce: () => drainOnce(config, db, gateway, folder, transports, tail, runStart, log),
      failed: db.embedded?.lost ?? new Promise<Error>(() => undefined),
      stop: () =>
        (stopped ??= (async () => {
          log.info({}, 'stopping: finishing the work in hand (anything cut short is done again at the next start)');
          await stopAll();
          log.info({}, 'gateway stopped');
        })()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function drainOnce(config: RuntimeConfig, db: Database, gateway: Gateway, folder: DropFolder | undefined, transports: RunningPartnerTransports, tail: EventTail, runStart: number, log: Logger): Promise<OnceReport> {
  const deadline = Date.now() + config.timeoutMs;
  // The sample drop folder and every partner's transport: one report.
  const drained = mergeDrained([folder ? await folder.drain(config.timeoutMs) : NOTHING_DRAINED, await transports.drain(Math.max(1000, deadline - Date.now()))]);
  let idle = true;
  await gateway.idle(Math.max(1000, deadline - Date.now())).catch((error: unknown) => {
    idle = false;
    log.error({ error: messageOf(error) }, 'the pipeline did not become idle in time');
  });
  // What validate queued goes out now (the delivery loop may have sent most of it already).
  await gateway.deliver().catch((error: unknown) => log.error({ error: messageOf(error) }, 'delivery sweep failed'));
  await tail.flush();
  const fileIds = [...new Set(drained.taken.map((t) => t.fileId))];
  const counts = Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])) as Record<DocumentState, number>;
  // The documents of the files taken, and those replayed or retried in this run.
  for (const [state, n] of Object.entries(await countDocumentsOfRun(db, { fileIds, afterEventId: runStart }))) counts[state as DocumentState] += n ?? 0;
  return { drained, idle, counts, rejectedFiles: await countRejectedFiles(db, fileIds), acks: await countOutboundOfFiles(db, fileIds) };
}

function warnStopCutShort(log: Logger, jobs: number, ms: number): void {
  const error = new GatewayError('RUNTIME_STOP_INCOMPLETE', `work in hand did not finish within ${ms / 1000} s of the stop: ${jobs} job(s) handed back, to run again at the next start`, { jobs, timeoutMs: ms });
  log.warn({ code: error.code, jobs, timeoutMs: ms }, error.message);
}

/** After a stop was asked for, warnings (lost connections) are only debug lines. */
function calmWhenStopping(log: Logger, stopping: () => boolean): Logger {
  return relevel(log, (level) => (level === 'warn' && stopping() ? 'debug' : level));
}

/** One line per file and per state change comes from the event log; the components add only warnings and errors. */
function warningsOnly(log: Logger): Logger {
  return relevel(log, (level) => (level === 'warn' || level === 'error' ? level : undefined));
}
