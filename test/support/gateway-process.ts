// One gateway process for the scale-out and crash tests:
//   node --import tsx test/support/gateway-process.ts
// Environment: DATABASE_URL and EDI_SCHEMA (the test file's schema), optional GATEWAY_NAME,
// JOB_EXPIRE_SECONDS, RETRY_LIMIT, MAX_RUNTIME_MS, LEASE_SECONDS (posting leases, default 3) and
// SWEEP_SECONDS (default 1), MAINTENANCE_SECONDS (pg-boss's, default 1), BREAKER_MAX_COOLDOWN_SECONDS; JOB_EXPIRE_SECONDS, LEASE_SECONDS,
// SWEEP_SECONDS, MAINTENANCE_SECONDS or RETRY_LIMIT set empty take the gateway's own defaults. The target is the recording target, or with TARGET=odoo the Odoo of
// ODOO_URL & co. (ODOO_PARTNERS: JSON partner code -> its odoo: settings); PROBE_MS wraps it in the
// probe target (probe-target.ts); HOLD_AFTER_CALL=1 makes the first posting hang after its call
// returned, having printed "called <document id>" (the test kills it there). Prints "ready" on
// stdout once its workers run, then runs until SIGTERM (graceful stop, exit 0), SIGKILL, its stdin
// closing (the test process is gone) or MAX_RUNTIME_MS (so a lost child never lingers).
import { startGateway } from '../../src/jobs/gateway.js';
import type { Logger } from '../../src/logging/logger.js';
import type { PostingTarget } from '../../src/jobs/ports.js';
import { recordingTarget } from '../../src/jobs/recording-target.js';
import { odooFromEnv } from '../../src/odoo/from-env.js';
import { storedInbound } from '../../src/jobs/outbound.js';
import type { OdooPartnerFile, Partner } from '../../src/partners/types.js';
import { openDatabase } from '../../src/store/index.js';
import { probeTarget } from './probe-target.js';

const url = process.env.DATABASE_URL;
const schema = process.env.EDI_SCHEMA;
if (!url || !schema) {
  process.stderr.write('gateway-process: DATABASE_URL and EDI_SCHEMA are required\n');
  process.exit(64);
}
const name = process.env.GATEWAY_NAME ?? `gw-${process.pid}`;
// Unset: the test default; set empty: the gateway's default (a test of the defaults themselves).
const setting = (name: string, fallback: string): number | undefined => {
  const raw = process.env[name] ?? fallback;
  return raw === '' ? undefined : Number(raw);
};
const expire = setting('JOB_EXPIRE_SECONDS', '5');
// RETRY_LIMIT set empty: the gateway's own retry policy (DEFAULT_RETRY: doubling delays), not the tests' quick one.
const retryLimit = setting('RETRY_LIMIT', '10');
const maxRuntime = Number(process.env.MAX_RUNTIME_MS ?? '120000');

// Warnings and errors to stderr (the test shows them when it fails); stage details are not needed.
const say = (level: string) => (details: object, message?: string) =>
  void process.stderr.write(`[${name}] ${level} ${message ?? ''} ${JSON.stringify(details, (_k, v: unknown) => (v instanceof Error ? v.message : v))}\n`);
const log: Logger = { debug() {}, info() {}, warn: say('WARN'), error: say('ERROR'), child: () => log };

const db = await openDatabase({ databaseUrl: url, schema, maxConnections: 8 });
function baseTarget(): PostingTarget {
  if (process.env.TARGET !== 'odoo') return recordingTarget(db);
  const partners = JSON.parse(process.env.ODOO_PARTNERS ?? '{}') as Record<string, OdooPartnerFile>;
  const partner = (code: string) => (partners[code] ? ({ code, name: code, odoo: partners[code] } as unknown as Partner) : undefined);
  const odoo = odooFromEnv(process.env, { db, partners: { get: partner, all: () => [] }, log, inbound: storedInbound(db) })?.target;
  if (!odoo) throw new Error('TARGET=odoo needs ODOO_URL, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY');
  return odoo;
}
const inner = process.env.PROBE_MS ? probeTarget(baseTarget(), db, { ms: Number(process.env.PROBE_MS), process: name }) : baseTarget();
// Counted: on a graceful stop the process reports how many documents it handed to the target.
let posts = 0;
let held = false;
const target: PostingTarget = {
  ...inner,
  post: async (req) => {
    posts++;
    const result = await inner.post(req);
    if (process.env.HOLD_AFTER_CALL === '1' && !held) {
      held = true;
      process.stdout.write(`called ${req.documentId}\n`);
      await new Promise(() => undefined);
    }
    return result;
  },
};
const gateway = await startGateway({
  db,
  log,
  target,
  jobExpireSeconds: expire,
  maintenanceIntervalSeconds: setting('MAINTENANCE_SECONDS', '1'),
  ...(retryLimit === undefined ? {} : { retry: { limit: retryLimit, delaySeconds: 0, backoff: false } }),
  posting: {
    leaseSeconds: setting('LEASE_SECONDS', '3'),
    sweepIntervalSeconds: setting('SWEEP_SECONDS', '1'),
    // The circuit breaker's longest cool-down (default the gateway's): short runs of the proof suite keep probes frequent.
    ...(process.env.BREAKER_MAX_COOLDOWN_SECONDS ? { breaker: { maxCoolDownSeconds: Number(process.env.BREAKER_MAX_COOLDOWN_SECONDS) } } : {}),
  },
});
process.stdout.write('ready\n');

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearTimeout(deadline);
  try {
    await gateway.stop();
    await db.close();
    process.stdout.write(`posts ${posts}\n`);
  } finally {
    process.exit(code);
  }
}
const deadline = setTimeout(() => {
  process.stderr.write(`[${name}] ran longer than ${maxRuntime} ms: stopping\n`);
  void stop(3);
}, maxRuntime);
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
process.stdin.on('end', () => void stop(0));
process.stdin.resume();
