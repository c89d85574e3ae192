// JSON-RPC /jsonrpc (Odoo 16-19): common.authenticate once for the uid, then object.execute_kw
// with the API key in place of the password. Always HTTP 200; errors in `error.data`; `result`
// absent when the method returns None (docs/odoo.md#json-rpc).
import { executeKwArguments, type OdooApi, type OdooCall } from './call.js';
import { codeOfStatus, faultError, OdooError, type OdooFault } from './errors.js';
import { parseJsonAnswer, postJson } from './http.js';

export interface JsonRpcSettings {
  url: string;
  db: string;
  username: string;
  /** Read when needed; never stored on an enumerable property. */
  apiKey: () => string;
  timeoutMs: number;
}

interface Envelope {
  id?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string; data?: OdooFault };
}

let nextId = 1;

/** One JSON-RPC request: service + method + args; the result, or a thrown OdooError. */
export async function jsonRpc(settings: Pick<JsonRpcSettings, 'url' | 'timeoutMs'>, service: string, method: string, args: unknown[], where: { model?: string; method?: string } = {}): Promise<unknown> {
  const url = new URL('/jsonrpc', settings.url).href;
  const id = nextId++;
  const what = where.model ? `${where.model}.${where.method}` : `${service}.${method}`;
  const answer = await postJson(url, { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }, { timeoutMs: settings.timeoutMs, what });
  if (answer.status !== 200) {
    // A proxy in front of Odoo (502/503/504), or not an Odoo at all (404).
    throw new OdooError(codeOfStatus(answer.status), `Odoo at ${new URL(url).origin} answered ${what} with HTTP ${answer.status}`, { status: answer.status, ...where });
  }
  const body = parseJsonAnswer(answer, url, what) as Envelope;
  if (body.error) {
    if (body.error.code === 100) throw new OdooError('ODOO_ACCESS_DENIED', `Odoo session expired during ${what}`, { odooName: 'odoo.http.SessionExpiredException', ...where });
    throw faultError(body.error.data ?? { name: String(body.error.message ?? 'error') }, where);
  }
  return body.result;
}

export function jsonRpcApi(settings: JsonRpcSettings): OdooApi {
  let uid: Promise<number> | undefined;
  const login = async (): Promise<number> => {
    const result = await jsonRpc(settings, 'common', 'authenticate', [settings.db, settings.username, settings.apiKey(), {}]);
    if (typeof result !== 'number' || result <= 0) {
      // Bad credentials are a `false` result, not a fault (docs/odoo.md#json-rpc).
      throw new OdooError('ODOO_ACCESS_DENIED', `Odoo refused the login '${settings.username}' on database '${settings.db}': check ODOO_USERNAME and ODOO_API_KEY (an API key of that user, not its password when 2FA is on)`, { odooName: 'odoo.exceptions.AccessDenied' });
    }
    return result;
  };
  return {
    kind: 'jsonrpc',
    async execute(call: OdooCall) {
      uid ??= login().catch((error: unknown) => {
        uid = undefined; // try again on the next call
        throw error;
      });
      const { args, kwargs } = executeKwArguments(call);
      return jsonRpc(settings, 'object', 'execute_kw', [settings.db, await uid, settings.apiKey(), call.model, call.method, args, kwargs], { model: call.model, method: call.method });
    },
  };
}
