// The gateway's log for the command line: pino, one readable line per entry on stdout
// ("12:00:01.234 INFO  received  file=po.edi fileId=3"), or pino's JSON lines with LOG_FORMAT=json
// (for log shippers). LOG_LEVEL sets the level (default info).
import { pino, type Logger as Pino } from 'pino';
import type { Logger } from '../logging/logger.js';
import { CENSOR, secretScrubber, secretsOfEnv } from '../logging/redact.js';

export interface CliLogOptions {
  level?: string;
  format?: 'pretty' | 'json';
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  /** Values cut out of every line wherever they appear; default the secrets of process.env (src/logging/redact.ts). */
  secrets?: readonly string[];
}

/** Secrets never reach a log line, whoever logs them by mistake (docs/operations.md#users-and-access). */
export const REDACTED = [
  'password', 'token', 'csrfToken', 'cookie', 'authorization',
  '*.password', '*.token', '*.csrfToken', '*.cookie', '*.authorization', '*["set-cookie"]', '*["x-csrf-token"]',
  'headers.cookie', 'headers.authorization', 'req.headers.cookie', 'req.headers.authorization',
  // Partner and Odoo secrets under their own names (docs/observability.md#what-never-reaches-a-log-line).
  'apiKey', 'passphrase', 'privateKey', 'secret', 'webhookToken',
  '*.apiKey', '*.passphrase', '*.privateKey', '*.secret', '*.webhookToken', '*.api_key', '*.ODOO_API_KEY', '*.ODOO_WEBHOOK_TOKEN', '*.METRICS_TOKEN',
] as const;

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

export function cliLogger(options: CliLogOptions = {}): Pino {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const format = options.format ?? (process.env.LOG_FORMAT === 'json' ? 'json' : 'pretty');
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  // Behind the paths, the secrets' values are cut out of the whole line (a message, an error's text).
  const scrub = secretScrubber(options.secrets ?? secretsOfEnv(process.env));
  return pino({ level, base: undefined, redact: { paths: [...REDACTED], censor: CENSOR } }, { write: format === 'json' ? (line: string) => write(scrub(line)) : (line: string) => write(prettyLine(scrub(line))) });
}

/** One pino JSON line as "HH:MM:SS.mmm LEVEL message key=value ..." (local time). */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { level, time, msg, err, ...rest } = entry;
  const at = typeof time === 'number' ? new Date(time) : new Date();
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${value(v)}`);
  let line = `${clock} ${LEVELS[level as number] ?? String(level)} ${String(msg ?? '')}${fields.length ? '  ' + fields.join(' ') : ''}`;
  if (err && typeof err === 'object') {
    const e = err as { message?: string; stack?: string };
    line += `\n  ${(e.stack ?? e.message ?? JSON.stringify(err)).replace(/\n/g, '\n  ')}`;
  }
  return line + '\n';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}
