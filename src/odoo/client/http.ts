// One HTTP POST of JSON to Odoo with a timeout; network failures and timeouts become OdooErrors
// ODOO_UNREACHABLE and ODOO_TIMEOUT (transient). Node's fetch (undici) keeps connections alive between calls by default.
import { codeOfStatus, OdooError } from './errors.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** What the call was, for messages (never the body: it holds the API key on JSON-RPC). */
  what: string;
}

const USER_AGENT = 'edi-gateway/0.1 (+odoo-connector)';

export async function postJson(url: string, body: unknown, options: PostOptions): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT, ...options.headers },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw networkError(error, url, options);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, url, options);
  }
  return { status: response.status, headers: response.headers, text };
}

export async function getJson(url: string, options: PostOptions): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, { headers: { 'user-agent': USER_AGENT, ...options.headers }, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw networkError(error, url, options);
  }
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
