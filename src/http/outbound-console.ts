// The documents we send, in the console and the API: the list (GET /sent, GET /api/outbound-documents),
// one document with its timeline, deliveries and the X12 sent (GET /sent/:id, GET /api/outbound-documents/:id),
// and a person's resend and regenerate (operator or admin; audited: src/jobs/outbound-actions.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { ActionBy, RegenerateResult, ResendResult } from '../jobs/outbound-actions.js';
import { listOutboundDocuments, OUTBOUND_DOCUMENT_STATES, type Conn, type OutboundDocumentState } from '../store/index.js';
import { actorOf, requireRole } from './auth.js';
import { sentContent, sentListContent } from './pages/sent-page.js';
import { html, query, type Html } from './pages/html.js';
import { sendPage, type PageViewer } from './pages/layout.js';
import { outboundDocumentView } from './views/outbound.js';

export interface OutboundConsoleOptions {
  db: Conn;
  actions: {
    resend(id: number, by: ActionBy): Promise<ResendResult>;
    regenerate(id: number, by: ActionBy): Promise<RegenerateResult>;
  };
  /** The pages' guard (a visitor not logged in goes to the login page) and who is looking. */
  pages: { read: preHandlerHookHandler; viewer(request: FastifyRequest): PageViewer | null };
}

const id = { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the outbound document id' } }, required: ['id'] } as const;
const reasonBody = { type: 'object', properties: { reason: { type: 'string', maxLength: 500, description: 'why (audited, on the timeline)' } } } as const;
const result = { description: 'what was done, or why not', type: 'object', additionalProperties: true } as const;

/** The action's outcome as an HTTP status and a JSON body. */
function answer(r: ResendResult | RegenerateResult): { status: number; body: Record<string, unknown> } {
  if ('notFound' in r) return { status: 404, body: { error: 'no such outbound document' } };
  if ('refused' in r) return { status: 409, body: { error: r.refused } };
  return { status: 200, body: r as unknown as Record<string, unknown> };
}

/** One line for the page after an action. */
function summary(action: 'resend' | 'regenerate', r: ResendResult | RegenerateResult): string {
  if ('notFound' in r) return 'no such document';
  if ('refused' in r) return `not done: ${r.refused}`;
  if ('resent' in r) return `queued for delivery again as outbound entry ${r.resent.outboundId}`;
  if ('regenerated' in r) return r.regenerated.next.state === 'held' ? `regenerated: generation ${r.regenerated.next.generation} is held: ${r.regenerated.next.reason}` : `regenerated as document ${r.regenerated.next.id} with new control numbers`;
  return `${action} done`;
}

export function outboundConsoleRoutes(options: OutboundConsoleOptions): FastifyPluginAsync {
  const { db, actions } = options;
  const by = (request: FastifyRequest, reason: unknown): ActionBy => {
    const actor = actorOf(request);
    return { actor: actor.name, userId: actor.userId ?? null, via: actor.via, ...(typeof reason === 'string' && reason.trim() ? { reason: reason.trim() } : {}) };
  };
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html) =>
    sendPage(reply, options.pages.viewer(request), title, content, '/sent');

  return async (app) => {
    // ---- JSON API --------------------------------------------------------------------------
    app.get<{ Querystring: { state?: OutboundDocumentState; partner?: string; limit: number } }>('/api/outbound-documents', {
      preHandler: requireRole('viewer'),
      schema: {
        summary: 'documents we send (850 to suppliers; 855, 856, 810 to customers), newest first (as edi outbound list)',
        tags: ['sent'],
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: [...OUTBOUND_DOCUMENT_STATES], description: 'only documents in this state' },
            partner: { type: 'string', description: 'a partner code' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'at most this many' },
          },
        },
        response: { 200: { description: 'the documents', type: 'array' } },
      },
    }, async (request) => listOutboundDocuments(db, { limit: request.query.limit, ...(request.query.state ? { state: request.query.state } : {}), ...(request.query.partner ? { partner: request.query.partner } : {}) }));

    app.get<{ Params: { id: number } }>('/api/outbound-documents/:id', {
      preHandler: requireRole('viewer'),
      schema: { summary: 'one document we send: record, timeline, deliveries, the X12 sent (as edi outbound show)', tags: ['sent'], params: id, response: { 200: { description: 'the document', type: 'object', additionalProperties: true }, 404: result } },
    }, async (request, reply) => (await outboundDocumentView(db, request.params.id)) ?? reply.status(404).send({ error: `no outbound document ${request.params.id}` }));

    for (const action of ['resend', 'regenerate'] as const) {
      app.post<{ Params: { id: number }; Body: { reason?: string } | undefined }>(`/api/outbound-documents/:id/${action}`, {
        preHandler: requireRole('operator'),
        schema: {
          summary: action === 'resend' ? 'send the same bytes again (same control numbers), flagged on the timeline' : 'build the document again from Odoo with new control numbers; this one is cancelled',
          tags: ['sent'], params: id, body: reasonBody, response: { 200: result, 404: result, 409: result },
        },
      }, async (request, reply) => {
        const { status, body } = answer(await actions[action](request.params.id, by(request, request.body?.reason)));
        return reply.status(status).send(body);
      });
    }

    // ---- pages ----------------------------------------------------------------------------
    await app.register(async (pages) => {
      pages.addHook('preHandler', options.pages.read);
      pages.get<{ Querystring: { state?: string; partner?: string } }>('/sent', async (request, reply) => {
        const state = (OUTBOUND_DOCUMENT_STATES as readonly string[]).includes(request.query.state ?? '') ? (request.query.state as OutboundDocumentState) : undefined;
        const list = await listOutboundDocuments(db, { limit: 100, ...(state ? { state } : {}), ...(request.query.partner ? { partner: request.query.partner } : {}) });
        return send(request, reply, 'Sent', sentListContent(list, state));
      });
      pages.get<{ Params: { id: string }; Querystring: { done?: string } }>('/sent/:id', async (request, reply) => {
        const view = /^\d+$/.test(request.params.id) ? await outboundDocumentView(db, Number(request.params.id)) : undefined;
        if (!view) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
        return send(request, reply, `${view.document.setId} to ${view.document.partner}`, sentContent(view, options.pages.viewer(request), request.query.done));
      });
      for (const action of ['resend', 'regenerate'] as const) {
        pages.post<{ Params: { id: string }; Body: { reason?: string } }>(`/sent/:id/${action}`, { preHandler: requireRole('operator') }, async (request, reply) => {
          if (!/^\d+$/.test(request.params.id)) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
          const r = await actions[action](Number(request.params.id), by(request, request.body?.reason));
          return reply.redirect(`/sent/${request.params.id}${query({ done: summary(action, r) })}`, 303);
        });
      }
    });
  };
}
