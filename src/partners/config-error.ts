// Configuration problems as sentences that name the file, the key, what was found and what is
// expected: `partners/acme.yaml: transport.hostKey: found "abc", expected a SHA256 fingerprint ...`.
// Secret values are never quoted: under a secret key the found value is described, not shown.
import { GatewayError } from '../errors/failure.js';
import type { ConfigError } from './types.js';

/** Keys whose values are secrets (a literal value there is an error and must not be echoed). */
/** url: alerts.webhook.url, whose path is a token. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'privateKey', 'passphrase', 'pkcs12', 'url']);

/** Marks "the key is absent" for `found`. */
export const MISSING = Symbol('missing');

export type KeyPath = readonly (string | number)[];

export function pathText(path: KeyPath): string {
  return path.map(String).join('.');
}

/** A found value for a message: JSON, shortened; secrets and absent keys described. */
export function describeFound(value: unknown, path: KeyPath = []): string {
  if (value === MISSING || value === undefined) return 'nothing';
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_KEYS.has(last) && (typeof value !== 'object' || value === null)) return 'a literal value (not shown)';
  if (value === null) return 'an empty value';
  const text = JSON.stringify(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  if (typeof value === 'number' || typeof value === 'boolean') return `${short} (a ${typeof value})`;
  return short;
}

export interface ProblemInput {
  file: string;
  path: KeyPath;
  /** MISSING for an absent key; otherwise the value in the file (described by describeFound). */
  found: unknown;
  expected: string;
  /** Extra sentence after "expected ...". */
  hint?: string;
  line?: number;
}

export function configError(p: ProblemInput): ConfigError {
  const path = pathText(p.path);
  const found = p.found === MISSING ? 'missing' : `found ${describeFound(p.found, p.path)}`;
  const where = path ? `${p.file}: ${path}: ` : `${p.file}: `;
  const message = `${where}${found}, expected ${p.expected}${p.hint ? ` (${p.hint})` : ''}${p.line ? ` [line ${p.line}]` : ''}`;
  return { file: p.file, path, message, ...(p.line ? { line: p.line } : {}) };
}

/** A problem that is not about one value (an unreadable file, a YAML syntax error). */
export function fileError(file: string, message: string, line?: number): ConfigError {
  return { file, path: '', message: `${file}: ${message}${line ? ` [line ${line}]` : ''}`, ...(line ? { line } : {}) };
}

/** Thrown where a configuration must be valid to go on (edi start): carries every problem (PARTNER_CONFIG_INVALID). */
export class PartnerConfigError extends GatewayError {
  override name = 'PartnerConfigError';
  constructor(readonly errors: readonly ConfigError[]) {
    super('PARTNER_CONFIG_INVALID', `${errors.length} problem(s) in the partner configuration:\n${errors.map((e) => `  ${e.message}`).join('\n')}`, { problems: errors.length });
  }
}

/** The value at `path` in a parsed YAML tree, or MISSING. */
export function valueAt(root: unknown, path: KeyPath): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return MISSING;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
