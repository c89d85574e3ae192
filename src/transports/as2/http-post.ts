// One HTTP POST of an AS2 message or an asynchronous MDN (Node's fetch): bounded in time and in the
// size of the answer read, so a partner's server can neither hang a delivery nor fill our memory.
import { GatewayError } from '../../errors/failure.js';

export interface PostOptions {
  timeoutMs: number;
  /** Answers larger than this are refused (an MDN is a few KB). Default 1 MiB. */
  maxAnswerBytes?: number;
}

export interface PostAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** POSTs `body`; a connection failure, a timeout or an oversized answer throws AS2_SEND_FAILED (retried). */
export async function postAs2(url: string, headers: Record<string, string>, body: Uint8Array, options: PostOptions): Promise<PostAnswer> {
  const max = options.maxAnswerBytes ?? 1 << 20;
  const where = safeUrl(url);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const why = timedOut ? `no answer within ${Math.round(options.timeoutMs / 1000)} s` : describeFetchError(error);
    throw new GatewayError('AS2_SEND_FAILED', `cannot POST to ${where}: ${why}`, { url: where }, { cause: error });
  }
  const answer: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    answer[name.toLowerCase()] = value;
  });
  const declared = Number(answer['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new GatewayError('AS2_SEND_FAILED', `${where} answered ${declared} bytes, more than the ${max} an MDN may take`, { url: where });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > max) {
        await response.body?.cancel().catch(() => undefined);
        throw new GatewayError('AS2_SEND_FAILED', `${where} answered more than the ${max} bytes an MDN may take`, { url: where });
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('AS2_SEND_FAILED', `the answer of ${where} broke off: ${describeFetchError(error)}`, { url: where }, { cause: error });
  }
  return { status: response.status, headers: answer, body: Buffer.concat(chunks) };
}

/** The URL without user info or query (they may hold a secret). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
