// POST /as2/<our AS2 id>: where partners send AS2 messages and asynchronous MDNs (src/jobs/as2-receive.ts
// does the work). The body is read as raw bytes, bounded before it is read: a Content-Length over the
// limit is refused 413 at once, and a body without one is counted as it streams. An id we do not
// serve is 404 before any byte of the body is read.
import type { FastifyPluginAsync } from 'fastify';
import { GatewayError } from '../errors/failure.js';
import type { As2HttpReply, As2HttpRequest } from '../jobs/as2-receive.js';

export interface As2RouteDeps {
  receive: (request: As2HttpRequest) => Promise<As2HttpReply>;
  /** Our AS2 ids now (partner files reload). */
  ourIds: () => readonly string[];
  /** as2.maxMessageBytes now. */
  maxBytes: () => number;
}

/** AS2_MESSAGE_TOO_LARGE, answered 413 (the server's error handler sends its message). */
function tooLarge(size: number | undefined, max: number): GatewayError & { statusCode: number } {
  const error = new GatewayError('AS2_MESSAGE_TOO_LARGE', `the message is ${size === undefined ? 'larger than' : `${size} bytes, more than`} the ${max} bytes accepted (as2.maxMessageBytes) [AS2_MESSAGE_TOO_LARGE]`, { max });
  return Object.assign(error, { statusCode: 413 });
}

export function as2Routes(deps: As2RouteDeps): FastifyPluginAsync {
  return async (app) => {
    // This plugin's own scope: every content type is read as bytes (an AS2 body is binary).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (request, payload, done) => {
      const max = deps.maxBytes();
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const finish = (error: Error | null, body?: Buffer) => {
        if (finished) return;
        finished = true;
        done(error, body);
      };
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          finish(tooLarge(undefined, max));
          payload.destroy();
          return;
        }
        chunks.push(chunk);
      });
      payload.on('end', () => finish(null, Buffer.concat(chunks)));
      payload.on('error', (error) => finish(error));
    });

    app.post<{ Params: { id: string } }>('/as2/:id', {
      onRequest: async (request, reply) => {
        if (!deps.ourIds().includes(request.params.id)) {
          return reply.status(404).type('text/plain; charset=utf-8').send(`no AS2 id ${JSON.stringify(request.params.id.slice(0, 128))} is served here\n`);
        }
        const declared = Number(request.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > deps.maxBytes()) {
          // Refused before the body is read; the connection is closed rather than drained.
          reply.header('Connection', 'close');
          return reply.status(413).type('text/plain; charset=utf-8').send(`${tooLarge(declared, deps.maxBytes()).message}\n`);
        }
        return undefined;
      },
    }, async (request, reply) => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await deps.receive({ ourId: request.params.id, headers, body });
      return reply.status(answer.status).headers(answer.headers).send(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body));
    });
  };
}
