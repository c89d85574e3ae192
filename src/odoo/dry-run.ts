// A dry run of a posting (docs/operations.md#dry-run): the real posting runs against a client that
// reads Odoo for real and records every change (create, write, unlink, business methods such as
// action_confirm or button_validate) instead of sending it. A create answers with a placeholder id
// (negative, so a real search never matches it) and later reads of that id answer from what was
// recorded, so the posting runs to its end and says what it would have made.
import type { OdooCall } from './client/call.js';
import type { OdooClient, OdooRecord } from './client/client.js';
import { odooTarget, type OdooTargetOptions } from './target.js';
import type { PostRequest } from '../documents/post-request.js';
import type { PostingResult } from './postings/context.js';

/** Methods that only read: sent to Odoo. Every other method is recorded, not sent. */
const READS = new Set(['search', 'search_read', 'search_count', 'read', 'fields_get', 'name_search', 'default_get', 'exists', 'read_group', 'context_get', 'check_access_rights', 'has_access']);

/** One change the posting would have made. */
export interface PlannedChange {
  kind: 'create' | 'write' | 'unlink' | 'call';
  model: string;
  method: string;
  /** The records it works on: real ids, or placeholders (< 0) of records this dry run would create. */
  ids: number[];
  /** A create's placeholder id. */
  newId?: number;
  /** What a create or write sets. */
  values?: Record<string, unknown>;
  /** A business method's parameters. */
  params?: Record<string, unknown>;
}

export interface RecordingOdooClient extends OdooClient {
  readonly changes: PlannedChange[];
}

/** Wraps `real`: reads go through, changes are recorded (see the heading). */
export function recordingOdooClient(real: OdooClient): RecordingOdooClient {
  const changes: PlannedChange[] = [];
  /** What the dry run "created", by placeholder id. */
  const made = new Map<number, { model: string; values: Record<string, unknown> }>();
  let next = 0;

  const create = (model: string, values: Record<string, unknown>): number => {
    const id = --next;
    made.set(id, { model, values: { ...values } });
    changes.push({ kind: 'create', model, method: 'create', ids: [], newId: id, values });
    return id;
  };
  const write = (model: string, ids: readonly number[], values: Record<string, unknown>): void => {
    for (const id of ids) {
      const m = made.get(id);
      if (m) Object.assign(m.values, values);
    }
    changes.push({ kind: 'write', model, method: 'write', ids: [...ids], values });
  };
  const recorded = (model: string, ids: readonly number[], fields: readonly string[]): OdooRecord[] =>
    ids.flatMap((id) => {
      const m = made.get(id);
      if (!m || m.model !== model) return [];
      const values = fields.length ? Object.fromEntries(fields.filter((f) => f in m.values).map((f) => [f, m.values[f]])) : m.values;
      return [{ ...values, id }];
    });
  /** Reads placeholders from what was recorded, real ids from Odoo, in the order asked. */
  const read = async (model: string, ids: readonly number[], fields: readonly string[], context?: Record<string, unknown>): Promise<OdooRecord[]> => {
    const realIds = ids.filter((id) => !made.has(id));
    const fromOdoo = realIds.length ? await real.read(model, realIds, fields, context) : [];
    const byId = new Map([...fromOdoo, ...recorded(model, ids, fields)].map((r) => [r.id, r]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  };
  const execute = async (call: OdooCall): Promise<unknown> => {
    const params = call.params ?? {};
    if (READS.has(call.method)) {
      const placeholders = (call.ids ?? []).filter((id) => made.has(id));
      if (call.method === 'read' && placeholders.length) return read(call.model, call.ids ?? [], (params['fields'] as string[] | undefined) ?? [], call.context);
      return real.execute(call);
    }
    if (call.method === 'create') {
      const list = Array.isArray(params['vals_list']) ? (params['vals_list'] as Record<string, unknown>[]) : [params['vals_list'] as Record<string, unknown>];
      return list.map((v) => create(call.model, v));
    }
    if (call.method === 'write') {
      write(call.model, call.ids ?? [], (params['vals'] as Record<string, unknown>) ?? {});
      return true;
    }
    if (call.method === 'web_save') {
      const vals = (params['vals'] as Record<string, unknown>) ?? {};
      const ids = call.ids?.length ? [...call.ids] : [create(call.model, vals)];
      if (call.ids?.length) write(call.model, ids, vals);
      return read(call.model, ids, Object.keys((params['specification'] as Record<string, unknown>) ?? {}), call.context);
    }
    changes.push({ kind: call.method === 'unlink' ? 'unlink' : 'call', model: call.model, method: call.method, ids: [...(call.ids ?? [])], ...(call.params ? { params: call.params } : {}) });
    // What Odoo would answer is unknown: the posting goes on as if the method returned nothing.
    return undefined;
  };

  return {
    url: real.url,
    db: real.db,
    changes,
    version: () => real.version(),
    api: () => real.api(),
    execute,
    searchRead: (model, domain, o) => real.searchRead(model, domain, o),
    search: (model, domain, o) => real.search(model, domain, o),
    read: read as OdooClient['read'],
    create: async (model, values) => create(model, values),
    async createAndRead<T extends OdooRecord>(model: string, values: Record<string, unknown>, fields: readonly string[]) {
      const id = create(model, values);
      return { ...recorded(model, [id], fields)[0], id } as T;
    },
    write: async (model, ids, values) => (ids.length ? write(model, ids, values) : undefined),
    call: (model, method, ids, params, context) => execute({ model, method, ...(ids ? { ids } : {}), ...(params ? { params } : {}), ...(context ? { context } : {}) }),
    fieldsGet: (model, attributes) => real.fieldsGet(model, attributes),
  };
}

/** What the posting would do: its changes, and its result or the error it would stop at. */
export interface PostingRehearsal {
  changes: PlannedChange[];
  result?: PostingResult;
  error?: unknown;
}

/**
 * Rehearses postings with the gateway's Odoo settings: each run gets its own recording client and
 * target, without the master-data cache (a dry run reads what is in Odoo now).
 */
export function odooRehearsal(options: OdooTargetOptions): (req: PostRequest) => Promise<PostingRehearsal> {
  return async (req) => {
    const client = recordingOdooClient(options.client);
    const target = odooTarget({ ...options, client, cacheSeconds: 0 });
    try {
      return { changes: client.changes, result: await target.post(req) };
    } catch (error) {
      return { changes: client.changes, error };
    }
  };
}
