// One HTTP request of JSON to Odoo with a timeout; network failures and timeouts become OdooErrors
// ODOO_UNREACHABLE and ODOO_TIMEOUT (transient). node:http(s) with keep-alive agents, not fetch: a call
// costs about a seventh of fetch's CPU (0.05-0.14 ms against 0.4-0.6 ms, measured on this kind of
// machine), and a gateway posting hundreds of documents a second makes thousands of calls.
// Redirects are not followed (a login page's redirect is an answer to explain, not to chase).
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { codeOfStatus, OdooError } from './errors.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** What the call was, for messages (never the body: it holds the API key on JSON-RPC). */
  what: string;
}

const USER_AGENT = 'edi-gateway/0.1 (+odoo-connector)';
// Connections kept open between calls; how many at once is the client's limiter's business (ODOO_MAX_CONCURRENT).
const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

export function postJson(url: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return exchange(url, 'POST', { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length), ...options.headers }, payload, options);
}

export function getJson(url: string, options: PostOptions): Promise<HttpAnswer> {
  return exchange(url, 'GET', { ...options.headers }, undefined, options);
}

/** The whole exchange (connect, send, read the answer) within timeoutMs. */
function exchange(url: string, method: string, headers: Record<string, string>, payload: Buffer | undefined, options: PostOptions): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      return reject(networkError(error, url, options));
    }
    const agent = AGENTS[target.protocol as keyof typeof AGENTS];
    if (!agent) return reject(networkError(new Error(`unsupported protocol ${target.protocol}`), url, options));
    const request = (target.protocol === 'https:' ? https : http).request(target, { method, agent, headers: { 'user-agent': USER_AGENT, ...headers } });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), options.timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(networkError(error, url, options));
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end(payload);
  });
}

function networkError(error: unknown, url: string, options: PostOptions): OdooError {
  const name = error instanceof Error ? error.name : '';
  const origin = new URL(url).origin;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new OdooError('ODOO_TIMEOUT', `Odoo at ${origin} did not answer ${options.what} within ${options.timeoutMs} ms`, {}, { cause: error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: string } | undefined)?.code;
  const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new OdooError('ODOO_UNREACHABLE', `cannot reach Odoo at ${origin} for ${options.what}: ${reason}`, {}, { cause: error });
}

/** Parses a JSON answer; anything else (an HTML error page from a proxy, a login redirect) is explained. */
export function parseJsonAnswer(answer: HttpAnswer, url: string, what: string): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    const origin = new URL(url).origin;
    const snippet = answer.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
    throw new OdooError(codeOfStatus(answer.status), `Odoo at ${origin} answered ${what} with HTTP ${answer.status} and no JSON${snippet ? `: ${snippet}` : ''}`, { status: answer.status });
  }
}
