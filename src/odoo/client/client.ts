// The Odoo client the postings use: one server, one database, one API key. Chooses JSON-2 on
// Odoo 19+ and JSON-RPC before (or as configured), limits concurrent calls, and offers the ORM
// methods by name. It never retries by itself: a posting is retried whole by the pipeline, and
// every posting looks up before it creates (src/odoo/postings).
import type { OdooApi, OdooCall } from './call.js';
import { isOdooError, OdooError } from './errors.js';
import { getJson, parseJsonAnswer } from './http.js';
import { json2Api } from './json2.js';
import { jsonRpc, jsonRpcApi } from './jsonrpc.js';
import { createLimiter } from './limiter.js';
import { metrics, secondsSince } from '../../logging/metrics.js';

export type OdooApiChoice = 'auto' | 'jsonrpc' | 'json2';

export interface OdooClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8069 */
  url: string;
  db: string;
  username: string;
  /** The API key (a function so that it can be read from a secret at use). */
  apiKey: string | (() => string);
  /** auto (default): JSON-2 from Odoo 19 on, JSON-RPC before. */
  api?: OdooApiChoice;
  /** The major version, when known; otherwise asked from the server once. */
  version?: number;
  /** Per call (default 30 s). */
  timeoutMs?: number;
  /** Calls in flight at once (default 4). */
  maxConcurrent?: number;
}

export type Domain = unknown[];
export type OdooRecord = Record<string, unknown> & { id: number };

export interface SearchOptions {
  fields?: readonly string[];
  limit?: number;
  offset?: number;
  order?: string;
  context?: Record<string, unknown>;
}

export interface OdooClient {
  readonly url: string;
  readonly db: string;
  /** The server's major version (16, 17, 18, 19 ...). */
  version(): Promise<number>;
  /** Which API the calls use. */
  api(): Promise<'jsonrpc' | 'json2'>;
  execute(call: OdooCall): Promise<unknown>;
  searchRead<T extends OdooRecord = OdooRecord>(model: string, domain: Domain, options?: SearchOptions): Promise<T[]>;
  search(model: string, domain: Domain, options?: Omit<SearchOptions, 'fields'>): Promise<number[]>;
  read<T extends OdooRecord = OdooRecord>(model: string, ids: readonly number[], fields: readonly string[], context?: Record<string, unknown>): Promise<T[]>;
  /** Creates one record; its id. */
  create(model: string, values: Record<string, unknown>, context?: Record<string, unknown>): Promise<number>;
  /**
   * Creates one record and reads `fields` of it: one call from Odoo 17 on (web_save), create + read
   * before. Many2one fields come back as bare ids.
   */
  createAndRead<T extends OdooRecord = OdooRecord>(model: string, values: Record<string, unknown>, fields: readonly string[], context?: Record<string, unknown>): Promise<T>;
  write(model: string, ids: readonly number[], values: Record<string, unknown>, context?: Record<string, unknown>): Promise<void>;
  /** A method on records (action_confirm, message_post ...) or on the model (ids omitted). */
  call(model: string, method: string, ids: readonly number[] | undefined, params?: Record<string, unknown>, context?: Record<string, unknown>): Promise<unknown>;
  /** fields_get: field name -> its attributes. */
  fieldsGet(model: string, attributes?: readonly string[]): Promise<Record<string, Record<string, unknown>>>;
}

/** Times one call once it holds its slot (the wait for the limiter is not Odoo's latency); a failure counts under its catalog code. */
async function timed<T>(method: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await call();
    metrics().odooCall(method, secondsSince(started));
    return result;
  } catch (error) {
    metrics().odooCall(method, secondsSince(started), isOdooError(error) ? error.code : 'ODOO_UNREACHABLE');
    throw error;
  }
}

/** The major version from Odoo's server_version_info ([18, 0, ...] or ['saas~18', 2, ...]). */
export function majorVersionOf(info: unknown): number | undefined {
  const first = Array.isArray(info) ? info[0] : undefined;
  const match = /(\d+)/.exec(String(first ?? ''));
  return match ? Number(match[1]) : undefined;
}

export function createOdooClient(options: OdooClientOptions): OdooClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const readKey = typeof options.apiKey === 'function' ? options.apiKey : constant(options.apiKey);
  const limiter = createLimiter(options.maxConcurrent ?? 4);
  const url = options.url.replace(/\/+$/, '');
  let versionPromise: Promise<number> | undefined = options.version ? Promise.resolve(options.version) : undefined;
  let apiPromise: Promise<OdooApi> | undefined;

  const askVersion = async (): Promise<number> => {
    // common.version answers on 16-19 without credentials (docs/odoo.md#version-detection).
    const result = (await limiter.run(() => jsonRpc({ url, timeoutMs }, 'common', 'version', []))) as { server_version_info?: unknown } | undefined;
    const major = majorVersionOf(result?.server_version_info);
    if (major) return major;
    const answer = await limiter.run(() => getJson(`${url}/web/version`, { timeoutMs, what: 'web/version' }));
    const body = parseJsonAnswer(answer, `${url}/web/version`, 'web/version') as { version_info?: unknown };
    const fromWeb = majorVersionOf(body.version_info);
    if (!fromWeb) throw new OdooError('ODOO_UNEXPECTED_ANSWER', `cannot tell the Odoo version of ${url}: neither common.version nor /web/version gave one`);
    return fromWeb;
  };
  const version = () => {
    versionPromise ??= askVersion().catch((error: unknown) => {
      versionPromise = undefined;
      throw error;
    });
    return versionPromise;
  };
  const chooseApi = async (): Promise<OdooApi> => {
    const choice = options.api ?? 'auto';
    const kind = choice === 'auto' ? ((await version()) >= 19 ? 'json2' : 'jsonrpc') : choice;
    return kind === 'json2'
      ? json2Api({ url, db: options.db, apiKey: readKey, timeoutMs })
      : jsonRpcApi({ url, db: options.db, username: options.username, apiKey: readKey, timeoutMs });
  };
  const api = () => {
    apiPromise ??= chooseApi().catch((error: unknown) => {
      apiPromise = undefined;
      throw error;
    });
    return apiPromise;
  };
  const execute = async (call: OdooCall) => {
    const chosen = await api();
    return limiter.run(() => timed(call.method, () => chosen.execute(call)));
  };

  const create = async (model: string, values: Record<string, unknown>, context?: Record<string, unknown>): Promise<number> => {
    const result = await execute({ model, method: 'create', params: { vals_list: [values] }, ...(context ? { context } : {}) });
    // A list of dicts gives a list of ids on both APIs (docs/odoo.md#one-call-both-apis).
    const id = Array.isArray(result) ? result[0] : result;
    if (typeof id !== 'number') throw new OdooError('ODOO_UNEXPECTED_ANSWER', `Odoo's ${model}.create answered ${JSON.stringify(result)} instead of an id`, { model, method: 'create' });
    return id;
  };

  return {
    url,
    db: options.db,
    version,
    api: async () => (await api()).kind,
    execute,
    async searchRead<T extends OdooRecord>(model: string, domain: Domain, o: SearchOptions = {}) {
      return (await execute({ model, method: 'search_read', params: { domain, ...searchParams(o), ...(o.fields ? { fields: [...o.fields] } : {}) }, ...(o.context ? { context: o.context } : {}) })) as T[];
    },
    async search(model, domain, o = {}) {
      return (await execute({ model, method: 'search', params: { domain, ...searchParams(o) }, ...(o.context ? { context: o.context } : {}) })) as number[];
    },
    async read<T extends OdooRecord>(model: string, ids: readonly number[], fields: readonly string[], context?: Record<string, unknown>) {
      if (ids.length === 0) return [];
      return (await execute({ model, method: 'read', ids, params: { fields: [...fields] }, ...(context ? { context } : {}) })) as T[];
    },
    create,
    async createAndRead<T extends OdooRecord>(model: string, values: Record<string, unknown>, fields: readonly string[], context?: Record<string, unknown>) {
      if ((await version()) < 17) {
        const id = await create(model, values, context);
        const [record] = await execute({ model, method: 'read', ids: [id], params: { fields: [...fields], load: null }, ...(context ? { context } : {}) }) as T[];
        return record ?? ({ id } as T);
      }
      const specification = Object.fromEntries(fields.map((f) => [f, {}]));
      const result = await execute({ model, method: 'web_save', ids: [], params: { vals: values, specification }, ...(context ? { context } : {}) });
      const record = Array.isArray(result) ? (result[0] as T | undefined) : undefined;
      if (typeof record?.id !== 'number') throw new OdooError('ODOO_UNEXPECTED_ANSWER', `Odoo's ${model}.web_save answered ${JSON.stringify(result)} instead of the record`, { model, method: 'web_save' });
      return record;
    },
    async write(model, ids, values, context) {
      if (ids.length === 0) return;
      await execute({ model, method: 'write', ids, params: { vals: values }, ...(context ? { context } : {}) });
    },
    call(model, method, ids, params, context) {
      return execute({ model, method, ...(ids ? { ids } : {}), ...(params ? { params } : {}), ...(context ? { context } : {}) });
    },
    async fieldsGet(model, attributes = ['type', 'relation']) {
      return (await execute({ model, method: 'fields_get', params: { attributes: [...attributes] } })) as Record<string, Record<string, unknown>>;
    },
  };
}

function searchParams(o: { limit?: number; offset?: number; order?: string }): Record<string, unknown> {
  return { ...(o.limit !== undefined ? { limit: o.limit } : {}), ...(o.offset ? { offset: o.offset } : {}), ...(o.order ? { order: o.order } : {}) };
}

function constant(value: string): () => string {
  return () => value;
}
