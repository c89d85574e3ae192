// What `edi start` runs with, from its command-line options and the environment, checked at once:
// every bad value is named with what is allowed, before anything starts. Defaults live here, one
// comment per setting.
import { join } from 'node:path';
import { GatewayError } from '../errors/failure.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap-growth.js';

/** The command line's options (strings as commander hands them). */
export interface StartOptions {
  /** Default `data`: the embedded database in <data-dir>/postgres, inbox and archive beside it. */
  dataDir?: string;
  partner?: string;
  inbox?: string;
  archive?: string;
  /** Seconds between scans of the drop folder. Default 2. */
  interval?: string;
  once?: boolean;
  /** --once: give up waiting after this many seconds. Default 120. */
  timeout?: string;
  /** Folder of sample files for the first start; false: never seed. Default: the project's samples/. */
  samples?: string | false;
  /** Also the pipeline's and the drop folder's own info lines (the event lines say what happened already). */
  verbose?: boolean;
  /** The gateway's schema (default edi). */
  schema?: string;
}

export interface RuntimeConfig {
  dataDir: string;
  /** The sample drop folder's partner code, its inbox, archive and outbound folders. */
  partner: string;
  inbox: string;
  archive: string;
  outbound: string;
  intervalMs: number;
  once: boolean;
  timeoutMs: number;
  samples: string | false | undefined;
  verbose: boolean;
  schema?: string;
  /** The partners folder (resolved by the caller: --partners, PARTNERS_DIR, ./partners). */
  partnersDir: string;
  /** false: no HTTP server (`--once` unless HTTP_PORT is set). */
  http: { host: string; port: number } | false;
  /** How long a stop waits for work in hand before it closes the database anyway. */
  stopTimeoutMs: number;
  /** How long a posting's claim lasts without renewal (longer than the target's slowest call). */
  postingLeaseSeconds: number;
  /** How long a document keeps retrying a failing (down, timing out) target before it ends failed. */
  postingRetryHours: number;
  /** How often the Odoo poller looks for records that need an outbound document (ODOO_POLL_SECONDS; 0: never). */
  odooPollSeconds: number;
  /** V8's heap growing factor, as a percent over 1 (HEAP_GROWTH_PERCENT; 0: V8's own). */
  heapGrowthPercent: number;
  env: NodeJS.ProcessEnv;
}

/** ODOO_POLL_SECONDS: the safety net under Odoo's webhooks (docs/odoo.md#polling-as-the-safety-net). */
const DEFAULT_ODOO_POLL_SECONDS = 60;
/** HTTP_HOST: loopback unless asked (the container image sets 0.0.0.0). */
const DEFAULT_HTTP_HOST = '127.0.0.1';
/** HTTP_PORT. */
const DEFAULT_HTTP_PORT = 8080;
/** STOP_TIMEOUT_SECONDS: below the 30 s most process managers wait before SIGKILL. */
const DEFAULT_STOP_TIMEOUT_SECONDS = 25;
/**
 * POSTING_LEASE_SECONDS: a process that dies while posting keeps its documents this long before
 * another posts them again; it must outlast the target's slowest call (Odoo's 30 s client timeout),
 * or an abandoned call could still be creating in the target when the repeat looks for its record.
 */
const DEFAULT_POSTING_LEASE_SECONDS = 60;
/**
 * POSTING_RETRY_HOURS: an outage of Odoo over a night or a weekend morning must not need a person, so
 * a document waits and retries (capped backoff, circuit breaker) this long before it ends failed.
 */
const DEFAULT_POSTING_RETRY_HOURS = 24;

export function runtimeConfig(options: StartOptions, env: NodeJS.ProcessEnv, partnersDir: string): RuntimeConfig {
  const problems: string[] = [];
  const number = (unit: string) => (name: string, raw: string | undefined, fallback: number, min: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) {
      problems.push(`${name} takes a number of ${unit} (at least ${min}), not ${JSON.stringify(raw)}`);
      return fallback;
    }
    return n;
  };
  const seconds = number('seconds');
  const hours = number('hours');
  const dataDir = options.dataDir ?? 'data';
  const partner = options.partner ?? 'sample';
  if (!/^[a-z0-9_.-]+$/i.test(partner)) problems.push(`--partner takes letters, digits, _ . - (not ${JSON.stringify(partner)})`);
  const once = options.once === true;
  const intervalMs = seconds('--interval', options.interval, 2, 0.1) * 1000;
  const timeoutMs = seconds('--timeout', options.timeout, 120, 1) * 1000;
  const stopTimeoutMs = seconds('STOP_TIMEOUT_SECONDS', env['STOP_TIMEOUT_SECONDS'], DEFAULT_STOP_TIMEOUT_SECONDS, 0) * 1000;
  const postingLeaseSeconds = seconds('POSTING_LEASE_SECONDS', env['POSTING_LEASE_SECONDS'], DEFAULT_POSTING_LEASE_SECONDS, 1);
  const postingRetryHours = hours('POSTING_RETRY_HOURS', env['POSTING_RETRY_HOURS'], DEFAULT_POSTING_RETRY_HOURS, 0);
  const odooPollSeconds = seconds('ODOO_POLL_SECONDS', env['ODOO_POLL_SECONDS'], DEFAULT_ODOO_POLL_SECONDS, 0);
  const heapGrowthPercent = number('percent')('HEAP_GROWTH_PERCENT', env['HEAP_GROWTH_PERCENT'], DEFAULT_HEAP_GROWTH_PERCENT, 0);
  if (!Number.isInteger(heapGrowthPercent) || heapGrowthPercent > 1000) problems.push(`HEAP_GROWTH_PERCENT takes a whole number of percent (0 to 1000), not ${JSON.stringify(env['HEAP_GROWTH_PERCENT'])}`);
  const http = httpOf(env, once, problems);
  if (problems.length) throw new GatewayError('RUNTIME_CONFIG_INVALID', problems.join('; '), { problems });
  return {
    dataDir,
    partner,
    inbox: options.inbox ?? join(dataDir, 'inbox', partner),
    archive: options.archive ?? join(dataDir, 'archive', partner),
    outbound: join(dataDir, 'outbound', partner),
    intervalMs,
    once,
    timeoutMs,
    samples: options.samples,
    verbose: options.verbose === true,
    ...(options.schema ? { schema: options.schema } : {}),
    partnersDir,
    http,
    stopTimeoutMs,
    postingLeaseSeconds,
    postingRetryHours,
    odooPollSeconds,
    heapGrowthPercent,
    env,
  };
}

function httpOf(env: NodeJS.ProcessEnv, once: boolean, problems: string[]): RuntimeConfig['http'] {
  const rawPort = env['HTTP_PORT'];
  // A one-shot run serves nothing unless asked: scripts run it beside a running gateway.
  if (once && (rawPort === undefined || rawPort === '')) return false;
  const host = env['HTTP_HOST'] || DEFAULT_HTTP_HOST;
  if (rawPort === undefined || rawPort === '') return { host, port: DEFAULT_HTTP_PORT };
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`HTTP_PORT takes a port number 0-65535 (0: any free port), not ${JSON.stringify(rawPort)}`);
    return false;
  }
  return { host, port };
}
