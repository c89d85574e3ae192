// JSON-2 (Odoo 19+): POST /json/2/<model>/<method> with a bearer API key; the body holds ids,
// context and the method's named parameters; the answer is the bare return value (null for None)
// or an HTTP error status with {name, message, arguments, debug} (docs/odoo.md#json-2).
import { json2Body, type OdooApi, type OdooCall } from './call.js';
import { codeOfStatus, faultError, OdooError, type OdooFault } from './errors.js';
import { parseJsonAnswer, postJson } from './http.js';

export interface Json2Settings {
  url: string;
  db: string;
  apiKey: () => string;
  timeoutMs: number;
}

export function json2Api(settings: Json2Settings): OdooApi {
  return {
    kind: 'json2',
    async execute(call: OdooCall) {
      const url = new URL(`/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`, settings.url).href;
      const what = `${call.model}.${call.method}`;
      const where = { model: call.model, method: call.method };
      const answer = await postJson(url, json2Body(call), {
        timeoutMs: settings.timeoutMs,
        what,
        headers: { authorization: `bearer ${settings.apiKey()}`, 'x-odoo-database': settings.db },
      });
      if (answer.status >= 300 && answer.status < 400) {
        // Odoo 18 and older: a web route catches /json/... and redirects to the login page.
        throw new OdooError('ODOO_UNEXPECTED_ANSWER', `Odoo at ${new URL(url).origin} has no JSON-2 API (redirected to ${answer.headers.location ?? 'a login page'}): it is older than 19; use JSON-RPC (ODOO_API=jsonrpc)`, { status: answer.status, ...where });
      }
      if (answer.status === 401) {
        throw new OdooError('ODOO_ACCESS_DENIED', `Odoo refused the API key for database '${settings.db}' (HTTP 401): check ODOO_API_KEY`, { status: 401, odooName: 'werkzeug.exceptions.Unauthorized', ...where });
      }
      const body = parseJsonAnswer(answer, url, what);
      if (answer.status === 200) return body ?? undefined;
      if (body && typeof body === 'object' && 'name' in body) throw faultError(body as OdooFault, { ...where, status: answer.status });
      throw new OdooError(codeOfStatus(answer.status), `Odoo answered ${what} with HTTP ${answer.status}`, { status: answer.status, ...where });
    },
  };
}
