// Every environment variable the gateway reads, as one zod schema: its shape is the list the
// configuration reference (docs/configuration.md, `npm run docs:config`) is rendered from, and
// test/runtime/env-schema.test.ts fails when a source file reads a name that is not here. The
// readers themselves (runtime/config.ts, odoo/config.ts, store/database.ts, cli/log.ts, ...) keep
// reading process.env where they need it, with their own messages; parsing with this schema
// checks the same forms in one place (`envProblems`).
import { z } from 'zod';
import { DEFAULT_CACHE_SECONDS } from '../odoo/lookup/cache.js';
import { DEFAULT_POOL_SIZE } from '../store/database.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap-growth.js';

/** A number as a string, at least `min` (integers only when `whole`). */
const numberText = (what: string, min: number, max = Number.POSITIVE_INFINITY, whole = false) =>
  z.string().refine((raw) => {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!whole || Number.isInteger(n));
  }, { error: `${what} (${Number.isFinite(max) ? `${min} to ${max}` : `at least ${min}`})` });
const seconds = (min: number) => numberText('a number of seconds', min);
const text = () => z.string();

/** Groups in the order the reference shows them. */
export const ENV_GROUPS = {
  'HTTP server': {
    HTTP_HOST: text().default('127.0.0.1').describe('Address `edi start` serves /healthz, /readyz, /metrics, the console and the API on. The container image sets 0.0.0.0.'),
    HTTP_PORT: numberText('a port number', 0, 65535, true).default('8080').describe('Port of that server; 0 takes any free port. `edi start --once` serves nothing unless it is set.'),
    METRICS_TOKEN: text().optional().describe('Secret. When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset, anyone who reaches the port may scrape.'),
  },
  Database: {
    DATABASE_URL: text().optional().describe('PostgreSQL connection URL (postgres://user:password@host:5432/db). Unset: an embedded PostgreSQL in <data-dir>/postgres. Its password never reaches a log line. Several gateway processes share one database.'),
    DATABASE_POOL_SIZE: numberText('a whole number of connections', 2, 1000, true).default(String(DEFAULT_POOL_SIZE)).describe('Connections each gateway process opens at most.'),
  },
  'Stopping and retrying': {
    STOP_TIMEOUT_SECONDS: seconds(0).default('25').describe('On SIGTERM or SIGINT, how long work in hand may finish before its jobs go back to the queue. Keep it under the process manager\'s kill timeout (30 s for Docker and systemd).'),
    POSTING_LEASE_SECONDS: seconds(1).default('60').describe('How long a posting\'s claim lasts without renewal: a process that dies while posting keeps its documents this long before another posts them. Longer than the slowest Odoo call.'),
    POSTING_RETRY_HOURS: numberText('a number of hours', 0).default('24').describe('How long a document keeps retrying an Odoo that is down or timing out before it ends failed.'),
  },
  Odoo: {
    ODOO_URL: text().optional().describe('The Odoo to post to (https://odoo.example.com). Unset: documents are recorded in the posted ledger and nothing goes to Odoo. When set, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY (or ODOO_API_KEY_FILE) are required.'),
    ODOO_DB: text().optional().describe('The Odoo database name.'),
    ODOO_USERNAME: text().optional().describe('The Odoo user the gateway logs in as (its login).'),
    ODOO_API_KEY: text().optional().describe('Secret. That user\'s API key (Preferences > Account Security). Prefer ODOO_API_KEY_FILE in production.'),
    ODOO_API_KEY_FILE: text().optional().describe('Path of a file holding the API key, read at each call that needs it (so a rotated key is picked up without a restart).'),
    ODOO_API: z.enum(['auto', 'jsonrpc', 'json2']).default('auto').describe('Which Odoo API: auto picks JSON-2 on Odoo 19 and later, JSON-RPC before.'),
    ODOO_VERSION: numberText('an Odoo major version', 16).optional().describe('The Odoo major version (e.g. 18); unset, the gateway asks the server.'),
    ODOO_TIMEOUT_SECONDS: seconds(1).default('30').describe('Timeout of one Odoo call.'),
    ODOO_MAX_CONCURRENT: numberText('a number of calls', 1).default('4').describe('Odoo calls each gateway process makes at once.'),
    ODOO_CACHE_SECONDS: seconds(0).default(String(DEFAULT_CACHE_SECONDS)).describe('How long master data (partners, products, units) found by one posting serves the next; 0 turns the cache off.'),
    ODOO_POLL_SECONDS: seconds(0).default('60').describe('How often the gateway looks in Odoo for records that need an outbound document (the safety net under webhooks); 0: never.'),
    ODOO_WEBHOOK_TOKEN: text().optional().describe('Secret. The path token of Odoo\'s webhooks (POST /hooks/odoo/<token>); unset, the webhook route answers 404. `edi odoo hooks install` uses it too.'),
    GS1_COMPANY_PREFIX: text().optional().describe('Your GS1 company prefix (4 to 12 digits): outbound 856s number packages with SSCC-18 made from it. Unset, an 856 whose packages have no SSCC label is held.'),
  },
  // Over partners/_gateway.yaml `alerts:` (src/alerts/config.ts reads them).
  Alerts: {
    ALERTS_ENABLED: z.enum(['true', 'false']).optional().describe('false: no alert is sent, whatever the channels. Alerts run when a channel (webhook or e-mail) is configured.'),
    CONSOLE_URL: text().optional().describe('The console\'s address (https://edi.example.com), so each alert links to its page; over alerts.consoleUrl.'),
    ALERT_INTERVAL_SECONDS: numberText('a whole number of seconds', 1, 86_400, true).default('60').describe('Seconds between evaluations of the alert rules.'),
    ALERT_WEBHOOK_URL: text().optional().describe('Secret (it embeds a token). The webhook alerts are posted to as JSON (Slack-style incoming webhooks work); over alerts.webhook.url.'),
    SMTP_URL: text().optional().describe('Secret (it may hold a password). smtp://user:password@host:587 (STARTTLS) or smtps://host:465, instead of the SMTP_* below.'),
    SMTP_HOST: text().optional().describe('The SMTP server for e-mail alerts; over alerts.email.host.'),
    SMTP_PORT: numberText('a port number', 1, 65_535, true).optional().describe('The SMTP server\'s port; over alerts.email.port.'),
    SMTP_SECURITY: z.enum(['starttls', 'tls', 'none']).optional().describe('starttls (upgrade when offered), tls (port 465) or none; over alerts.email.security.'),
    SMTP_USER: text().optional().describe('The SMTP user name; over alerts.email.username.'),
    SMTP_PASSWORD: text().optional().describe('Secret. The SMTP password; over alerts.email.password.'),
    ALERT_EMAIL_FROM: text().optional().describe('The sender of e-mail alerts (edi@example.com); over alerts.email.from.'),
    ALERT_EMAIL_TO: text().optional().describe('Whom e-mail alerts go to, comma-separated; over alerts.email.to.'),
  },
  'Partners and logs': {
    PARTNERS_DIR: text().default('partners').describe('The folder of partner files (`--partners` overrides it).'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('pretty').describe('json: one JSON object a line on stdout (for log collectors; the container image sets it); anything else: readable lines.'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').describe('The lowest level logged.'),
  },
  Memory: {
    HEAP_GROWTH_PERCENT: numberText('a whole number of percent', 0, 1000, true).default(String(DEFAULT_HEAP_GROWTH_PERCENT)).describe('How far V8 lets the heap grow past what survived its last full collection before the next (200: to 3x). Lower keeps the peak RSS lower for more CPU; 0 leaves V8 its own choice (up to 4x). `edi start` sets it (docs/reliability.md#the-heap-and-its-garbage).'),
    MALLOC_ARENA_MAX: numberText('a number of arenas', 1, Number.POSITIVE_INFINITY, true).default('2').describe('Read by glibc, not by the gateway: its malloc arenas; `npm start`, `npm run edi` and the image set 2 so memory freed after a large file goes back to the system (docs/reliability.md).'),
    MALLOC_MMAP_THRESHOLD_: numberText('a number of bytes', 0, Number.POSITIVE_INFINITY, true).default('131072').describe('glibc: buffers this large or larger are mapped, and unmapped when freed. Set with MALLOC_ARENA_MAX.'),
  },
} as const satisfies Record<string, z.ZodRawShape>;

/** Read by glibc when the process starts, never by our code (the completeness test knows them). */
export const ENV_READ_OUTSIDE_CODE = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_'] as const;

export const envSchema = z.object(Object.assign({}, ...Object.values(ENV_GROUPS)) as z.ZodRawShape);

/** Every name the gateway reads. */
export const ENV_NAMES: readonly string[] = Object.values(ENV_GROUPS).flatMap((group) => Object.keys(group));

/** The problems of an environment as "NAME: expected ..." (empty: every variable set has a usable form). */
export function envProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  // The readers take an empty value as unset.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(set);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}
