// GET /metrics in Prometheus' text format (prom-client): Node's default metrics and the gateway's
// own (docs/observability.md lists each with its labels). Counters and histograms are recorded as
// things happen, through the port in src/logging/metrics.ts; the documents by state, the queue
// depths and the acknowledgments overdue are read from the database at scrape time, so every
// gateway process sharing the database reports the same figures for them.
import type { FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sameSecret } from '../auth/tokens.js';
import type { Logger } from '../logging/logger.js';
import type { MetricsRecorder } from '../logging/metrics.js';
import type { DocumentCount } from '../store/metrics-repo.js';

const PREFIX = 'edi_';

/** What is read from the database when /metrics is scraped. */
export interface ScrapeReads {
  documents(): Promise<DocumentCount[]>;
  /** Jobs waiting or in hand, per queue. */
  queueDepths(): Promise<Record<string, number>>;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Install with recordMetricsWith (src/logging/metrics.ts). */
  readonly recorder: MetricsRecorder;
}

/** Seconds: a split of a small file takes milliseconds, a large file's slice or an Odoo posting seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createGatewayMetrics(reads: ScrapeReads, log: Logger): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const files = new Counter({ name: `${PREFIX}files_received_total`, help: 'Files received (not counting duplicate receipts), by partner and channel (sftp, folder, cli ...).', labelNames: ['partner', 'channel'], registers: [registry] });
  const stage = new Histogram({ name: `${PREFIX}stage_duration_seconds`, help: 'How long a stage took over one batch of its jobs.', labelNames: ['stage'], buckets: DURATION_BUCKETS, registers: [registry] });
  const odooCall = new Histogram({ name: `${PREFIX}odoo_call_duration_seconds`, help: 'Calls to Odoo by ORM method, failed ones included.', labelNames: ['method'], buckets: DURATION_BUCKETS, registers: [registry] });
  const odooErrors = new Counter({ name: `${PREFIX}odoo_errors_total`, help: 'Failed calls to Odoo by error code (docs/errors.md).', labelNames: ['kind'], registers: [registry] });
  const polls = new Counter({ name: `${PREFIX}sftp_polls_total`, help: "Polls of partners' SFTP mailboxes by outcome: done, failed, backoff (put off after failures), locked (another process polls).", labelNames: ['partner', 'result'], registers: [registry] });
  const pollTime = new Histogram({ name: `${PREFIX}sftp_poll_duration_seconds`, help: 'How long a poll that connected (or tried to) took.', labelNames: ['partner'], buckets: DURATION_BUCKETS, registers: [registry] });
  const deliveries = new Counter({ name: `${PREFIX}deliveries_total`, help: "Uploads of acknowledgments and outbound documents to partners' channels, by result (sent, failed: a try that failed).", labelNames: ['partner', 'result'], registers: [registry] });

  // The three gauges read from the database share one scrape's reads.
  let scrape: Promise<{ documents: DocumentCount[]; depths: Record<string, number> }> | undefined;
  const read = () =>
    (scrape ??= Promise.all([reads.documents(), reads.queueDepths()])
      .then(([documents, depths]) => ({ documents, depths }))
      .finally(() => setImmediate(() => (scrape = undefined))));
  const failed = (what: string) => (error: unknown) => {
    log.warn({ error: error instanceof Error ? error.message : String(error) }, `/metrics: cannot read ${what}; the gauge is left out of this scrape`);
    return undefined;
  };
  new Gauge({
    name: `${PREFIX}documents`, help: 'Documents in the database by set, direction (inbound, outbound) and state.', labelNames: ['set', 'direction', 'state'], registers: [registry],
    async collect() {
      this.reset();
      const got = await read().catch(failed('the documents'));
      for (const d of got?.documents ?? []) this.set({ set: d.setId, direction: d.direction, state: d.state }, d.count);
    },
  });
  new Gauge({
    name: `${PREFIX}acknowledgments_overdue`, help: 'Documents we sent whose acknowledgment is overdue (outbound state ack-overdue).', registers: [registry],
    async collect() {
      const got = await read().catch(failed('the documents'));
      if (got) this.set(got.documents.filter((d) => d.direction === 'outbound' && d.state === 'ack-overdue').reduce((n, d) => n + d.count, 0));
    },
  });
  new Gauge({
    name: `${PREFIX}queue_depth`, help: 'Jobs waiting or being worked on, per queue.', labelNames: ['queue'], registers: [registry],
    async collect() {
      this.reset();
      const got = await read().catch(failed('the queue depths'));
      for (const [queue, n] of Object.entries(got?.depths ?? {})) this.set({ queue }, n);
    },
  });

  const recorder: MetricsRecorder = {
    fileReceived: (partner, channel) => files.inc({ partner, channel }),
    stageRan: (name, seconds) => stage.observe({ stage: name }, seconds),
    odooCall(method, seconds, errorCode) {
      odooCall.observe({ method }, seconds);
      if (errorCode) odooErrors.inc({ kind: errorCode });
    },
    sftpPoll(partner, outcome, seconds) {
      polls.inc({ partner, result: outcome });
      if (seconds !== undefined) pollTime.observe({ partner }, seconds);
    },
    delivery: (partner, outcome) => deliveries.inc({ partner, result: outcome }),
  };
  return { registry, recorder };
}

export interface MetricsRouteOptions {
  registry: Registry;
  /** METRICS_TOKEN, read at each request: when set, a scrape must send `Authorization: Bearer <token>`. */
  token(): string | undefined;
}

/**
 * GET /metrics (outside /api/: not in the OpenAPI document; Prometheus' text format, not JSON). With
 * METRICS_TOKEN set, a scrape needs `Authorization: Bearer <METRICS_TOKEN>`; the route says it
 * authenticates on its own, so the console's sign-in (auth.ts) leaves that header alone.
 */
export function metricsRoutes(options: MetricsRouteOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', {
      config: { ownAuthentication: true },
      onRequest: async (request, reply) => {
        const expected = options.token();
        if (!expected) return;
        const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        if (!sameSecret(given, expected)) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'a scrape of /metrics needs Authorization: Bearer <METRICS_TOKEN>' });
      },
    }, async (_request, reply) => {
      const body = await options.registry.metrics();
      return reply.header('content-type', options.registry.contentType).send(body);
    });
  };
}
