// HTTP face of the double: /jsonrpc (18 and 19), /json/2/<model>/<method> (19; 18 redirects),
// GET /web/version (19), with the captured envelopes, statuses and error bodies (docs/odoo.md#json-rpc,
// docs/odoo.md#json-2, captured-pairs.json), plus the injected faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  OdooError,
  accessDenied,
  accessError,
  attributeError,
  fakeTraceback,
  typeError,
  userError,
  werkzeug,
} from './errors.js';
import { Env, type Api, type Context, type Database, type MethodSpec, type Vals } from './orm.js';

export interface Call {
  model: string;
  method: string;
  api: Api;
}

export interface FaultState {
  slowMs: number;
  /** ORM calls that wait before they run (nothing is written meanwhile), by model and method. */
  slowCalls: Array<{ model: string; method: string; ms: number }>;
  http5xx: { count: number; status: number };
  serialization: number;
  lock: number;
}

export interface ServerConfig {
  db: Database;
  dbName: string;
  login: string;
  /** Accepted as password on JSON-RPC: the API key and the user's password. */
  secrets: string[];
  /** The only credential JSON-2 accepts. */
  apiKey: string;
  faults: FaultState;
  calls: Call[];
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  send(res, status, body, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
}

const REASONS: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/** What a reverse proxy answers when Odoo is unreachable: HTML, not JSON. */
function proxyError(res: ServerResponse, status: number): void {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  html(res, status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Python's json error text for the 400 body, close enough: position of the first bad character. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch {
    const at = text.length;
    const line = text.slice(0, at).split('\n').length;
    const col = at - text.lastIndexOf('\n', at - 1);
    return `Expecting value: line ${line} column ${col} (char ${at})`;
  }
}

export function createHandler(cfg: ServerConfig): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { db } = cfg;
  const version = db.version;

  function toOdooError(e: unknown): OdooError {
    if (e instanceof OdooError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new OdooError('builtins.Exception', message, 500);
  }

  /** Finds, binds and runs one ORM call in its own transaction (rolled back on error, docs/odoo.md#json-2). */
  function callOrm(api: Api, model: string, method: string, ids: number[], kw: Vals, ctx: Context): unknown {
    cfg.calls.push({ model, method, api });
    if (cfg.faults.serialization > 0) {
      cfg.faults.serialization--;
      // psycopg2's error after Odoo's own 5 retries (MAX_TRIES_ON_CONCURRENCY_FAILURE); 19 still uses psycopg2 [KNOW].
      throw new OdooError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', 500);
    }
    if (cfg.faults.lock > 0) {
      cfg.faults.lock--;
      throw version === 19
        ? new OdooError('odoo.exceptions.LockError', 'Cannot perform the operation: the record is locked by another transaction, try again later.', 409)
        : new OdooError('psycopg2.errors.LockNotAvailable', `could not obtain lock on row in relation "${model.replace(/\./g, '_')}"`, 500);
    }
    // One call, one transaction: an error undoes what the call changed.
    db.beginCall();
    let failed = true;
    try {
      const env = new Env(db, ctx, api);
      const spec = db.model(model).methods?.[method];
      const result = spec!.fn(env, ids, kw, model);
      db.finishCall(env);
      failed = false;
      return result;
    } finally {
      db.endCall(failed);
    }
  }

  /** Model and method checks in Odoo's order: model, private method, method. */
  function resolve(api: Api, model: string, method: string): MethodSpec {
    if (!db.registry.has(model)) {
      throw api === 'json2' ? werkzeug(404, `the model '${model}' does not exist`) : userError(`Object ${model} doesn't exist`);
    }
    if (method.startsWith('_')) {
      throw accessError(version === 18 ? `Private methods (such as ${method}) cannot be called remotely.` : `Private methods (such as '${model}.${method}') cannot be called remotely.`);
    }
    const spec = db.model(model).methods?.[method];
    if (!spec) {
      if (api === 'json2') throw werkzeug(404, `The method '${model}.${method}' does not exist`);
      throw attributeError(version === 18 ? `The method '${method}' does not exist on the model '${model}'` : `The method '${model}.${method}' does not exist`);
    }
    return spec;
  }

  /** The slowCall fault: the call waits before it runs, as a busy Odoo would make it wait. */
  async function slowCall(model: unknown, method: unknown): Promise<void> {
    const slow = cfg.faults.slowCalls.find((c) => c.model === model && c.method === method);
    if (slow) await new Promise((r) => setTimeout(r, slow.ms));
  }

  // ---- JSON-RPC --------------------------------------------------------------------------------

  function bindPositional(spec: MethodSpec, method: string, args: unknown[], kwargs: Vals): { ids: number[]; kw: Vals } {
    const owner = `BaseModel.${method}`;
    let rest = args;
    let ids: number[] = [];
    if (!spec.model) {
      if (!args.length) throw typeError(`${owner}() missing 1 required positional argument: 'self'`);
      const first = args[0];
      ids = Array.isArray(first) ? (first as number[]) : typeof first === 'number' ? [first] : [];
      rest = args.slice(1);
    }
    if (rest.length > spec.params.length) {
      throw typeError(`${owner}() takes ${spec.params.length + 1} positional arguments but ${rest.length + 1} were given`);
    }
    const kw: Vals = {};
    spec.params.forEach((p, i) => {
      if (i < rest.length) kw[p.name] = rest[i];
    });
    for (const [k, v] of Object.entries(kwargs)) {
      if (spec.params.some((p) => p.name === k)) {
        if (k in kw) throw typeError(`${owner}() got multiple values for argument '${k}'`);
        kw[k] = v;
      } else if (spec.varKw) kw[k] = v;
      else throw typeError(`${owner}() got an unexpected keyword argument '${k}'`);
    }
    finishBinding(spec, kw, (name) => typeError(`${owner}() missing 1 required positional argument: '${name}'`));
    return { ids, kw };
  }

  function finishBinding(spec: MethodSpec, kw: Vals, missing: (name: string) => OdooError): void {
    for (const p of spec.params) {
      if (p.name in kw) continue;
      if (!('default' in p)) throw missing(p.name);
      kw[p.name] = p.default;
    }
    if (typeof spec.varKw === 'string') {
      for (const k of Object.keys(kw)) {
        if (!spec.params.some((p) => p.name === k) && k !== 'load') throw typeError(`${spec.varKw}() got an unexpected keyword argument '${k}'`);
      }
    }
  }

  function executeKw(model: string, method: string, args: unknown[], kwargs: Vals): unknown {
    const spec = resolve('jsonrpc', model, method);
    const { context, ...rest } = kwargs ?? {};
    const { ids, kw } = bindPositional(spec, method, Array.isArray(args) ? args : [], rest);
    const result = callOrm('jsonrpc', model, method, ids, kw, (context as Context) ?? {});
    // call_kw: create with one dict returns an int, with a list a list (docs/odoo.md#one-call-both-apis).
    if (method === 'create' && !Array.isArray(kw.vals_list)) return (result as number[])[0];
    return result;
  }

  function checkCredentials(dbName: unknown, uid: unknown, password: unknown): void {
    if (dbName !== cfg.dbName) throw new OdooError('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(dbName)}" does not exist`, 500);
    if (uid !== db.uid || !cfg.secrets.includes(password as string)) throw accessDenied();
  }

  function jsonRpcDispatch(service: unknown, method: unknown, args: unknown[]): unknown {
    if (service === 'common') {
      if (method === 'version') {
        return { server_version: `${version}.0`, server_version_info: [version, 0, 0, 'final', 0, ''], server_serie: `${version}.0`, protocol_version: 1 };
      }
      if (method === 'authenticate' || method === 'login') {
        const [dbName, login, password] = args;
        if (dbName !== cfg.dbName) throw new OdooError('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${String(dbName)}" does not exist`, 500);
        // Bad credentials are `false`, not an error (docs/odoo.md#json-rpc).
        return login === cfg.login && cfg.secrets.includes(password as string) ? db.uid : false;
      }
    }
    if (service === 'object' && (method === 'execute_kw' || method === 'execute')) {
      const [dbName, uid, password, model, ormMethod, ...rest] = args;
      checkCredentials(dbName, uid, password);
      if (method === 'execute') return executeKw(String(model), String(ormMethod), rest, {});
      return executeKw(String(model), String(ormMethod), (rest[0] as unknown[]) ?? [], (rest[1] as Vals) ?? {});
    }
    throw new OdooError('builtins.Exception', `No such service method: ${String(service)}.${String(method)}`, 500);
  }

  async function jsonRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let id: unknown = null;
    try {
      let request: { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown[] } };
      try {
        request = JSON.parse(text);
      } catch {
        throw werkzeug(400, `could not parse the body as json: ${jsonError(text)}`);
      }
      id = request.id ?? null;
      const p = request.params ?? {};
      const args = Array.isArray(p.args) ? p.args : [];
      if (p.service === 'object') await slowCall(args[3], args[4]);
      const result = jsonRpcDispatch(p.service, p.method, args);
      // No "result" key when the method returned None (docs/odoo.md#json-rpc).
      send(res, 200, JSON.stringify(result === undefined ? { jsonrpc: '2.0', id } : { jsonrpc: '2.0', id, result }));
    } catch (e) {
      const err = toOdooError(e);
      const data = { name: err.pyName, debug: fakeTraceback(err), message: err.message, arguments: err.args, context: {} };
      send(res, 200, JSON.stringify({ jsonrpc: '2.0', id, error: { code: 200, message: 'Odoo Server Error', data } }));
    }
  }

  // ---- JSON-2 ----------------------------------------------------------------------------------

  async function json2(req: IncomingMessage, res: ServerResponse, model: string, method: string): Promise<void> {
    const fail = (e: unknown): void => {
      const err = toOdooError(e);
      const body = JSON.stringify({ name: err.pyName, message: err.message, arguments: err.args, context: {}, debug: fakeTraceback(err) });
      send(res, err.status, body, err.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
    };
    if (req.method !== 'POST') {
      await readBody(req);
      return fail(werkzeug(404, 'Did you mean POST /json/2/<model>/<method>?'));
    }
    const auth = req.headers.authorization ?? '';
    const [scheme, key] = auth.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'bearer' || key !== cfg.apiKey) {
      await readBody(req);
      return fail(werkzeug(401, 'Invalid apikey'));
    }
    if (!String(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      await readBody(req);
      return html(res, 415, "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with [&#39;http&#39;] but &#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;.<br><br>Please verify the Content-Type request header and try again.</p>\n");
    }
    const text = await readBody(req);
    try {
      let body: unknown;
      try {
        body = text.trim() ? JSON.parse(text) : {};
      } catch {
        throw werkzeug(400, `could not parse the body as json: ${jsonError(text)}`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw werkzeug(400, 'could not parse the body as json: the body must be an object');
      await slowCall(model, method);
      const spec = resolve('json2', model, method);
      const { ids, context, ...named } = body as Vals;
      if (spec.model && ids !== undefined) throw werkzeug(422, `cannot call ${model}.${method} with ids`);
      const kw: Vals = {};
      for (const [k, v] of Object.entries(named)) {
        if (!spec.params.some((p) => p.name === k) && !spec.varKw) throw werkzeug(422, `got an unexpected keyword argument '${k}'`);
        kw[k] = v;
      }
      // signature.bind failures are 422; keywords swallowed by **kwargs and rejected deeper stay 500 (captured).
      finishBinding(spec, kw, (name) => werkzeug(422, `missing a required argument: '${name}'`));
      const idList = Array.isArray(ids) ? (ids as number[]) : typeof ids === 'number' ? [ids] : [];
      const result = callOrm('json2', model, method, idList, kw, (context as Context) ?? {});
      // Raw JSON body; None is `null` (docs/odoo.md#json-2).
      send(res, 200, JSON.stringify(result === undefined ? null : result));
    } catch (e) {
      fail(e);
    }
  }

  function redirectToLogin(req: IncomingMessage, res: ServerResponse): void {
    // Odoo 18: a /json/<path> web route catches it and sends the visitor to the login page (captured).
    const target = `/web/login?redirect=${encodeURIComponent(`${(req.url ?? '').split('?')[0]}?`)}`;
    html(res, 303, `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${target}">${target}</a>. If not, click the link.\n`, { Location: target });
  }

  return async (req, res) => {
    if (cfg.faults.slowMs > 0) await new Promise((r) => setTimeout(r, cfg.faults.slowMs));
    if (res.destroyed) return;
    if (cfg.faults.http5xx.count > 0) {
      cfg.faults.http5xx.count--;
      await readBody(req);
      return proxyError(res, cfg.faults.http5xx.status);
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === 'POST' && path === '/jsonrpc') return jsonRpc(req, res);
    if (m && version === 19) return json2(req, res, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (path.startsWith('/json/') && version === 18) {
      await readBody(req);
      return redirectToLogin(req, res);
    }
    if (req.method === 'GET' && path === '/web/version' && version === 19) {
      return send(res, 200, JSON.stringify({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' }));
    }
    await readBody(req);
    html(res, 404, '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n');
  };
}
