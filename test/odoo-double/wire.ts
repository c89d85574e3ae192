// A minimal wire client for the double's own tests (the gateway's real client lives in src/odoo).
// `orm(model, method, args, kwargs)` speaks JSON-RPC on 18 and JSON-2 on 19 and returns the decoded
// result, throwing WireError with Odoo's error name on failure, so one test body covers both versions.
import type { OdooDouble } from './index.js';

export class WireError extends Error {
  constructor(
    readonly odooName: string,
    message: string,
    readonly status: number,
  ) {
    super(`${odooName}: ${message}`);
  }
}

export async function jsonRpcRaw(url: string, service: string, method: string, args: unknown[], id = 1): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function json2Raw(url: string, key: string, model: string, method: string, body: unknown): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${url}/json/2/${model}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `bearer ${key}` },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Parameter names of the methods the tests call over JSON-2 (positional -> named). */
const NAMED: Record<string, string[]> = {
  search: ['domain', 'offset', 'limit', 'order'],
  search_read: ['domain', 'fields', 'offset', 'limit', 'order'],
  search_count: ['domain', 'limit'],
  read: ['fields', 'load'],
  create: ['vals_list'],
  write: ['vals'],
  name_search: ['name', 'domain', 'operator', 'limit'],
  fields_get: ['allfields', 'attributes'],
};
const MODEL_METHODS = new Set(['search', 'search_read', 'search_count', 'create', 'name_search', 'fields_get', 'default_get', 'context_get']);

export function ormClient(double: OdooDouble) {
  return async function orm(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<unknown> {
    if (double.version === 18) {
      const { body } = await jsonRpcRaw(double.url, 'object', 'execute_kw', [double.dbName, double.uid, double.apiKey, model, method, args, kwargs]);
      const error = body.error as { data: { name: string; message: string } } | undefined;
      if (error) throw new WireError(error.data.name, error.data.message, 200);
      return body.result;
    }
    const body: Record<string, unknown> = { ...kwargs };
    let rest = args;
    if (!MODEL_METHODS.has(method)) {
      body.ids = args[0];
      rest = args.slice(1);
    }
    const names = NAMED[method] ?? [];
    rest.forEach((v, i) => {
      body[names[i] ?? `arg${i}`] = v;
    });
    if (method === 'create' && !Array.isArray(body.vals_list)) body.vals_list = [body.vals_list];
    const res = await json2Raw(double.url, double.apiKey, model, method, body);
    const parsed = JSON.parse(res.text) as unknown;
    if (res.status !== 200) {
      const err = parsed as { name: string; message: string };
      throw new WireError(err.name, err.message, res.status);
    }
    // JSON-2 create always answers a list; the tests create one record at a time.
    if (method === 'create' && !Array.isArray(args[0])) return (parsed as number[])[0];
    return parsed;
  };
}
