// The Odoo connection from the environment (docs/odoo.md#configuration):
//   ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY (or ODOO_API_KEY_FILE: a file holding it);
//   optional ODOO_API (auto | jsonrpc | json2), ODOO_VERSION (e.g. 18: skips asking the server),
//   ODOO_TIMEOUT_SECONDS (30), ODOO_MAX_CONCURRENT (4); ODOO_CACHE_SECONDS (60: how long master data
//   found by one posting serves the next, 0 off; odooCacheSecondsFromEnv).
// No ODOO_URL: no Odoo (the gateway posts to its recording target). The key is read when a call
// needs it and never appears in a message.
import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors/failure.js';
import type { OdooApiChoice, OdooClientOptions } from './client/client.js';

/** ODOO_CONFIG_INVALID: the message names the variable, never the key. */
export class OdooConfigError extends GatewayError {
  override name = 'OdooConfigError';
  constructor(message: string) {
    super('ODOO_CONFIG_INVALID', message);
  }
}

export function odooOptionsFromEnv(env: NodeJS.ProcessEnv): OdooClientOptions | undefined {
  const url = env['ODOO_URL']?.trim();
  if (!url) return undefined;
  const missing = ['ODOO_DB', 'ODOO_USERNAME'].filter((name) => !env[name]?.trim());
  if (!env['ODOO_API_KEY'] && !env['ODOO_API_KEY_FILE']) missing.push('ODOO_API_KEY (or ODOO_API_KEY_FILE)');
  if (missing.length) throw new OdooConfigError(`ODOO_URL is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not: set them, or unset ODOO_URL to post to the recording target`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OdooConfigError(`ODOO_URL is not a URL (expected e.g. https://odoo.example.com or http://127.0.0.1:8069)`);
  }
  if (parsed.username || parsed.password) throw new OdooConfigError('ODOO_URL must not carry credentials: use ODOO_USERNAME and ODOO_API_KEY');
  const api = (env['ODOO_API']?.trim() || 'auto') as OdooApiChoice;
  if (!['auto', 'jsonrpc', 'json2'].includes(api)) throw new OdooConfigError(`ODOO_API must be auto, jsonrpc or json2, not '${api}'`);
  const number = (name: string, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new OdooConfigError(`${name} must be a number of at least ${min}, not '${raw}'`);
    return n;
  };
  const version = number('ODOO_VERSION', 16);
  const timeout = number('ODOO_TIMEOUT_SECONDS', 1);
  const concurrent = number('ODOO_MAX_CONCURRENT', 1);
  const keyFile = env['ODOO_API_KEY_FILE'];
  const key = env['ODOO_API_KEY'];
  const apiKey = () => {
    if (key) return key.trim();
    try {
      return readFileSync(keyFile!, 'utf8').trim();
    } catch (error) {
      throw new OdooConfigError(`cannot read ODOO_API_KEY_FILE ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  };
  return {
    url: parsed.href.replace(/\/+$/, ''),
    db: env['ODOO_DB']!.trim(),
    username: env['ODOO_USERNAME']!.trim(),
    apiKey,
    api,
    ...(version ? { version: Math.floor(version) } : {}),
    ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
    ...(concurrent ? { maxConcurrent: Math.floor(concurrent) } : {}),
  };
}

/** ODOO_CACHE_SECONDS: the master-data cache's lifetime (lookup/cache.ts); undefined: the default. */
export function odooCacheSecondsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env['ODOO_CACHE_SECONDS']?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new OdooConfigError(`ODOO_CACHE_SECONDS must be a number of seconds, 0 or more, not '${raw}'`);
  return n;
}
