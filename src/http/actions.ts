// The console's actions on received documents, over the JSON API and as the pages' form posts, on
// the one implementation the CLI uses too (src/jobs/document-actions.ts; docs/operations.md#acting-on-documents):
//   POST /api/documents/:id/replay {reason?}      POST /documents/:id/replay (form) -> 303 back
//   POST /api/documents/:id/cancel {reason}       POST /documents/:id/cancel (form) -> 303 back
//   GET  /api/replays/count?state=&partner=...    (the count first)
//   POST /api/replays {filter, reason?, dryCount?} POST /replays (form) -> 303 /replays/:id
//   GET  /api/replays/:id (progress)              GET  /replays/:id (refreshes itself until done)
//   GET  /documents/:id/raw, /files/:id/raw, /documents/:id/acknowledgment: downloads (viewer and up)
// `access.operate` guards every change (operator and up; a cookie session also needs its CSRF
// token, checked by src/http/auth.ts); `access.read` the rest.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { parseFilter, type DocumentActions, type Download, type FilterText } from '../jobs/document-actions.js';
import type { Actor } from '../store/index.js';
import { ISO_DATE_PATTERN } from '../util/date-range.js';
import { bulkProgressContent, refreshEvery, refusedContent } from './pages/actions-page.js';
import { html, type Html } from './pages/html.js';
import { sendPage, type PageViewer } from './pages/layout.js';

export interface ActionRoutesOptions {
  actions: DocumentActions;
  access: {
    /** The API's reads (401/403 as JSON). */
    read: preHandlerHookHandler;
    /** The pages' reads and downloads (a visitor not logged in goes to the login page). */
    pageRead: preHandlerHookHandler;
    /** Every change: operator and up. */
    operate: preHandlerHookHandler;
    actor(request: FastifyRequest): Actor;
    viewer(request: FastifyRequest): PageViewer | null;
  };
}

const id = { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the id' } }, required: ['id'] } as const;
const error = { type: 'object', properties: { error: { type: 'string' } } } as const;
const reason = { type: 'string', maxLength: 500, description: 'why (kept in the audit trail and on the timeline)' } as const;
const filterProperties = {
  state: { type: 'string', description: 'rejected, failed or both (comma-separated); default both' },
  partner: { type: 'string', description: 'a partner code' },
  set: { type: 'string', pattern: '^\\d{3}$', description: 'a transaction set, e.g. 850' },
  search: { type: 'string', description: 'a PO number, shipment id, invoice number, ST02 or file name (exact)' },
  from: { type: 'string', pattern: ISO_DATE_PATTERN, description: 'documents recorded at or after this ISO date or date-time' },
  to: { type: 'string', pattern: ISO_DATE_PATTERN, description: 'documents recorded before this ISO date-time; a date includes that whole day' },
} as const;
const progress = {
  description: 'the batch and where its documents are now', type: 'object', additionalProperties: true,
  properties: {
    id: { type: 'integer' }, total: { type: 'integer' }, posted: { type: 'integer' }, rejected: { type: 'integer' }, failed: { type: 'integer' },
    inFlight: { type: 'integer' }, other: { type: 'integer' }, done: { type: 'boolean' },
  },
} as const;

export function actionRoutes(options: ActionRoutesOptions): FastifyPluginAsync {
  const { actions, access } = options;
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html) =>
    sendPage(reply, access.viewer(request), title, content, '/documents');
  const download = (reply: FastifyReply, file: Download | undefined, what: string) =>
    file
      ? reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff').header('cache-control', 'no-store').send(file.bytes)
      : reply.status(404).type('text/plain; charset=utf-8').send(`${what} does not exist`);
  const numeric = (text: string) => (/^\d+$/.test(text) ? Number(text) : undefined);

  return async (app) => {
    // --- the JSON API

    app.post<{ Params: { id: number }; Body: { reason?: string } | undefined }>('/api/documents/:id/replay', {
      preHandler: access.operate,
      schema: {
        summary: 'replay a rejected or failed document from the stage that failed (operator); audited, on its timeline',
        tags: ['actions'],
        params: id,
        body: { type: ['object', 'null'], properties: { reason } },
        response: {
          200: { description: 'what it did: replayed (from, back to which stage) or skipped (why)', type: 'object', additionalProperties: true },
          404: { description: 'no such document', ...error },
        },
      },
    }, async (request, reply) => {
      const result = await actions.replay(request.params.id, access.actor(request), request.body?.reason ?? null);
      if (!result.found) return reply.status(404).send({ error: `no document ${request.params.id}` });
      return { replayed: result.replayed, skipped: result.skipped };
    });

    app.post<{ Params: { id: number }; Body: { reason: string } }>('/api/documents/:id/cancel', {
      preHandler: access.operate,
      schema: {
        summary: 'cancel a rejected or failed document with a reason (operator); never a posted one; audited, on its timeline',
        tags: ['actions'],
        params: id,
        body: { type: 'object', properties: { reason: { ...reason, minLength: 1 } }, required: ['reason'] },
        response: {
          200: { description: 'cancelled', type: 'object', additionalProperties: true },
          404: { description: 'no such document', ...error },
          409: { description: 'refused (posted, already cancelled, not rejected or failed): why', ...error },
        },
      },
    }, async (request, reply) => {
      const result = await actions.cancel(request.params.id, access.actor(request), request.body.reason);
      if ('notFound' in result) return reply.status(404).send({ error: `no document ${request.params.id}` });
      if ('refused' in result) return reply.status(409).send({ error: result.refused });
      return result.cancelled;
    });

    app.get<{ Querystring: FilterText }>('/api/replays/count', {
      preHandler: access.read,
      schema: {
        summary: 'how many rejected or failed documents a bulk replay of this filter would take',
        tags: ['actions'],
        querystring: { type: 'object', properties: filterProperties },
        response: {
          200: { description: 'the count (more: more than the most one bulk replay takes)', type: 'object', properties: { count: { type: 'integer' }, more: { type: 'boolean' }, states: { type: 'array', items: { type: 'string' } } } },
          400: { description: 'a filter that cannot be read, or names no replayable state', ...error },
        },
      },
    }, async (request, reply) => {
      const filter = parseFilter(request.query);
      if ('error' in filter) return reply.status(400).send(filter);
      const count = await actions.countBulk(filter);
      return 'refused' in count ? reply.status(400).send({ error: count.refused }) : count;
    });

    app.post<{ Body: { filter?: FilterText; reason?: string; dryCount?: boolean } }>('/api/replays', {
      preHandler: access.operate,
      schema: {
        summary: 'bulk replay: every rejected or failed document the filter matches (operator); with dryCount only the count',
        tags: ['actions'],
        body: {
          type: 'object',
          properties: { filter: { type: 'object', properties: filterProperties, additionalProperties: false }, reason, dryCount: { type: 'boolean' } },
        },
        response: {
          200: { description: 'dryCount: the count', type: 'object', additionalProperties: true },
          202: { description: 'started: the batch id (follow GET /api/replays/:id)', type: 'object', properties: { id: { type: 'integer' }, replayed: { type: 'integer' }, skipped: { type: 'integer' }, progress: { type: 'string' } } },
          400: { description: 'a filter that cannot be read', ...error },
          409: { description: 'nothing to replay, or too many at once: why', ...error },
        },
      },
    }, async (request, reply) => {
      const filter = parseFilter(request.body?.filter ?? {});
      if ('error' in filter) return reply.status(400).send(filter);
      if (request.body?.dryCount) {
        const count = await actions.countBulk(filter);
        return 'refused' in count ? reply.status(400).send({ error: count.refused }) : count;
      }
      const started = await actions.startBulk(filter, access.actor(request), request.body?.reason ?? null);
      if ('refused' in started) return reply.status(409).send({ error: started.refused });
      return reply.status(202).send({ id: started.batchId, replayed: started.replayed, skipped: started.skipped, progress: `/api/replays/${started.batchId}` });
    });

    app.get<{ Params: { id: number } }>('/api/replays/:id', {
      preHandler: access.read,
      schema: {
        summary: "a bulk replay's progress: how many of its documents are posted, rejected or failed again, still in flight",
        tags: ['actions'],
        params: id,
        response: { 200: progress, 404: { description: 'no such batch', ...error } },
      },
    }, async (request, reply) => (await actions.bulkProgress(request.params.id)) ?? reply.status(404).send({ error: `no bulk replay ${request.params.id}` }));

    // --- the pages' forms and downloads

    app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/documents/:id/replay', { preHandler: access.operate }, async (request, reply) => {
      const docId = numeric(request.params.id);
      const result = docId === undefined ? undefined : await actions.replay(docId, access.actor(request), request.body?.reason ?? null);
      if (!result?.found) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
      if (!result.replayed.length) return send(request, reply.status(409), 'Not replayed', refusedContent('Not replayed', result.skipped.map((s) => s.reason).join('; '), `/documents/${docId}`));
      return reply.redirect(`/documents/${docId}?done=replay`, 303);
    });

    app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/documents/:id/cancel', { preHandler: access.operate }, async (request, reply) => {
      const docId = numeric(request.params.id);
      const result = docId === undefined ? { notFound: true as const } : await actions.cancel(docId, access.actor(request), request.body?.reason ?? '');
      if ('notFound' in result) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
      if ('refused' in result) return send(request, reply.status(409), 'Not cancelled', refusedContent('Not cancelled', result.refused, `/documents/${docId}`));
      return reply.redirect(`/documents/${docId}?done=cancel`, 303);
    });

    app.post<{ Body: (FilterText & { reason?: string }) | undefined }>('/replays', { preHandler: access.operate }, async (request, reply) => {
      const body = request.body ?? {};
      const filter = parseFilter(body);
      const started = 'error' in filter ? { refused: filter.error } : await actions.startBulk(filter, access.actor(request), body.reason ?? null);
      if ('refused' in started) return send(request, reply.status(409), 'Not replayed', refusedContent('Not replayed', started.refused, '/documents'));
      return reply.redirect(`/replays/${started.batchId}`, 303);
    });

    app.get<{ Params: { id: string } }>('/replays/:id', { preHandler: access.pageRead }, async (request, reply) => {
      const batchId = numeric(request.params.id);
      const p = batchId === undefined ? undefined : await actions.bulkProgress(batchId);
      if (!p) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Bulk replay ${request.params.id} does not exist.</p>`);
      return send(request, reply, `Bulk replay ${p.id}`, html`${p.done ? '' : refreshEvery(2)}${bulkProgressContent(p)}`);
    });

    app.get<{ Params: { id: string } }>('/documents/:id/raw', { preHandler: access.pageRead }, async (request, reply) => {
      const docId = numeric(request.params.id);
      return download(reply, docId === undefined ? undefined : await actions.rawDocument(docId), `document ${request.params.id}`);
    });

    app.get<{ Params: { id: string } }>('/files/:id/raw', { preHandler: access.pageRead }, async (request, reply) => {
      const fileId = numeric(request.params.id);
      return download(reply, fileId === undefined ? undefined : await actions.rawFile(fileId), `file ${request.params.id}`);
    });

    app.get<{ Params: { id: string } }>('/documents/:id/acknowledgment', { preHandler: access.pageRead }, async (request, reply) => {
      const docId = numeric(request.params.id);
      return download(reply, docId === undefined ? undefined : await actions.acknowledgment(docId), `an acknowledgment for document ${request.params.id}`);
    });
  };
}
