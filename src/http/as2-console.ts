// The AS2 messages in the console and the API: GET /as2-messages (the list, newest first, by partner,
// direction and state), GET /as2-messages/:id (one message: headers, MIC, MDN), and the same as JSON
// (GET /api/as2/messages, GET /api/as2/messages/:id). Read through ./views/as2.ts, as edi as2 does.
import type { FastifyPluginAsync, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { AS2_STATES, type As2Direction, type As2State } from '../store/as2-repo.js';
import type { Conn } from '../store/index.js';
import { requireRole } from './auth.js';
import { as2ListContent, as2MessageContent } from './pages/as2-page.js';
import { html } from './pages/html.js';
import { sendPage, type PageViewer } from './pages/layout.js';
import { as2MessageDetail, as2MessageList } from './views/as2.js';

export interface As2ConsoleOptions {
  db: Conn;
  /** The partner codes for the filter. */
  partners(): readonly string[];
  /** The pages' guard (a visitor not logged in goes to the login page) and who is looking. */
  pages: { read: preHandlerHookHandler; viewer(request: FastifyRequest): PageViewer | null };
}

const PAGE_LIMIT = 200;

/** A query's direction and state, when they are ones the store knows (anything else: no filter). */
function filterOf(q: { partner?: string; direction?: string; state?: string }): { partner?: string; direction?: As2Direction; state?: As2State } {
  return {
    ...(q.partner ? { partner: q.partner } : {}),
    ...(q.direction === 'in' || q.direction === 'out' ? { direction: q.direction } : {}),
    ...((AS2_STATES as readonly string[]).includes(q.state ?? '') ? { state: q.state as As2State } : {}),
  };
}

export function as2ConsoleRoutes(options: As2ConsoleOptions): FastifyPluginAsync {
  const { db } = options;
  return async (app) => {
    app.get<{ Querystring: { partner?: string; direction?: As2Direction; state?: As2State; limit: number } }>('/api/as2/messages', {
      preHandler: requireRole('viewer'),
      schema: {
        summary: 'AS2 messages received and sent, newest first, without their bytes (as edi as2 list)',
        tags: ['as2'],
        querystring: {
          type: 'object',
          properties: {
            partner: { type: 'string', description: 'a partner code' },
            direction: { type: 'string', enum: ['in', 'out'], description: 'in: received; out: sent' },
            state: { type: 'string', enum: [...AS2_STATES], description: 'only messages in this state' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'at most this many' },
          },
        },
        response: { 200: { description: 'the messages', type: 'array' } },
      },
    }, async (request) => as2MessageList(db, { ...filterOf(request.query), limit: request.query.limit }));

    app.get<{ Params: { id: number } }>('/api/as2/messages/:id', {
      preHandler: requireRole('viewer'),
      schema: {
        summary: 'one AS2 message: headers, MIC, MDN disposition, sizes (as edi as2 show)',
        tags: ['as2'],
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the AS2 message id' } }, required: ['id'] },
        response: { 200: { description: 'the message', type: 'object', additionalProperties: true }, 404: { description: 'no such message', type: 'object', additionalProperties: true } },
      },
    }, async (request, reply) => (await as2MessageDetail(db, request.params.id)) ?? reply.status(404).send({ error: `no AS2 message ${request.params.id}` }));

    await app.register(async (pages) => {
      pages.addHook('preHandler', options.pages.read);
      pages.get<{ Querystring: { partner?: string; direction?: string; state?: string } }>('/as2-messages', async (request, reply) => {
        const filter = filterOf(request.query);
        const list = await as2MessageList(db, { ...filter, limit: PAGE_LIMIT });
        return sendPage(reply, options.pages.viewer(request), 'AS2 messages', as2ListContent(list, filter, [...options.partners()].sort()), '/as2-messages');
      });
      pages.get<{ Params: { id: string } }>('/as2-messages/:id', async (request, reply) => {
        const m = /^\d+$/.test(request.params.id) ? await as2MessageDetail(db, Number(request.params.id)) : undefined;
        if (!m) return sendPage(reply.status(404), options.pages.viewer(request), 'Not found', html`<h1>Not found</h1><p>AS2 message ${request.params.id} does not exist.</p>`, '/as2-messages');
        return sendPage(reply, options.pages.viewer(request), `AS2 message ${m.id}`, as2MessageContent(m), '/as2-messages');
      });
    });
  };
}
