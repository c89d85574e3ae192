// Dry runs and master-data gap fixes over HTTP (docs/operations.md#dry-run, #fixing-a-master-data-gap):
//   POST /api/documents/:id/dry-run   what a replay would do in Odoo (viewer: it writes nothing)
//   GET  /api/odoo/products?q=        Odoo products by name, internal reference or barcode (viewer)
//   POST /api/gaps/product            map a partner's code, replay the documents waiting on it (operator)
//   GET  /api/gaps/product/:batch     how those replays are going
// and the pages behind the document page's forms: /documents/:id/dry-run, /documents/:id/gaps/product,
// POST /gaps/product (a form: CSRF checked by auth.ts), /gaps/product/:batch.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { DocumentActions } from '../jobs/document-actions.js';
import { dryRunDocument, type Rehearse } from '../jobs/dry-run.js';
import type { GapFixes } from '../jobs/gaps.js';
import { messageOf } from '../errors/failure.js';
import type { OdooClient } from '../odoo/client/client.js';
import { searchProducts, type ProductChoice } from '../odoo/lookup/product-search.js';
import { getDocument, type Actor, type Conn } from '../store/index.js';
import { actorOf, requireRole } from './auth.js';
import { dryRunContent, gapResultContent, productChoicesContent } from './pages/gap-page.js';
import { html, type Html } from './pages/html.js';
import { page, type PageViewer } from './pages/layout.js';

export interface GapRoutesOptions {
  db: Conn;
  /** The gateway's gap fixes and document actions (Gateway.gaps, Gateway.actions: progress of a fix's replays). */
  gateway: { gaps: GapFixes; actions: Pick<DocumentActions, 'bulkProgress'> };
  /** The configured Odoo: its client (product search) and a rehearsal of postings (odooRehearsal); absent without ODOO_URL. */
  odoo?: { client: OdooClient; rehearse: Rehearse } | undefined;
  access?: {
    /** Default requireRole('viewer'). */
    read?: preHandlerHookHandler;
    /** Default requireRole('operator'). */
    operate?: preHandlerHookHandler;
    /** Who looks at a page; default the request's user. */
    viewer?(request: FastifyRequest): PageViewer | null;
    /** Who acts; default actorOf (auth.ts). */
    actor?(request: FastifyRequest): Actor;
  };
}

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the id' } }, required: ['id'] } as const;
const error = { type: 'object', properties: { error: { type: 'string' } } } as const;
const NO_ODOO = 'no Odoo is configured (ODOO_URL): there are no Odoo products to search';

interface MapBody { partner: string; code: string; internalReference: string; reason?: string; documentId?: string | number }

export function gapRoutes(options: GapRoutesOptions): FastifyPluginAsync {
  const { db } = options;
  const read = options.access?.read ?? requireRole('viewer');
  const operate = options.access?.operate ?? requireRole('operator');
  const viewer = options.access?.viewer ?? ((r: FastifyRequest) => (r.user ? { username: r.user.username, role: r.user.role, ...(r.user.csrfToken ? { csrfToken: r.user.csrfToken } : {}) } : null));
  const actor = options.access?.actor ?? actorOf;
  const actions = options.gateway.actions;
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(title, viewer(request), content, '/documents').text);
  const search = async (q: string): Promise<ProductChoice[] | string> => {
    if (!options.odoo) return NO_ODOO;
    try {
      return await searchProducts(options.odoo.client, q);
    } catch (e) {
      return `Odoo did not answer the search: ${messageOf(e)}`;
    }
  };
  const mapAndReplay = async (request: FastifyRequest, body: MapBody) => {
    const fields = { partner: String(body.partner ?? '').trim(), code: String(body.code ?? '').trim(), internalReference: String(body.internalReference ?? '').trim() };
    if (!fields.partner || !fields.code || !fields.internalReference) return { refused: 'partner, code and internalReference are all needed' } as const;
    return options.gateway.gaps.fixProduct({ ...fields, reason: body.reason ?? null }, actor(request));
  };

  return async (app) => {
    app.post<{ Params: { id: number } }>('/api/documents/:id/dry-run', {
      preHandler: read,
      schema: {
        summary: 'what a replay of the document would do in Odoo: the records it would create or write, the methods it would call, or the error it would stop at; writes nothing (a viewer may run it)',
        tags: ['documents'],
        params: idParams,
        response: { 200: { description: 'the dry run: outcome, lines, changes, result or error', type: 'object', additionalProperties: true }, 404: error },
      },
    }, async (request, reply) => (await dryRunDocument(db, request.params.id, options.odoo?.rehearse)) ?? reply.status(404).send({ error: `no document ${request.params.id}` }));

    app.get<{ Querystring: { q: string } }>('/api/odoo/products', {
      preHandler: read,
      schema: {
        summary: 'Odoo products whose name, internal reference (default_code) or barcode contains q (at most 20)',
        tags: ['gaps'],
        querystring: { type: 'object', properties: { q: { type: 'string', minLength: 1, description: 'the text to look for' } }, required: ['q'] },
        response: {
          200: { description: 'the products', type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, default_code: { type: ['string', 'null'] }, barcode: { type: ['string', 'null'] } } } } } },
          502: error, 503: error,
        },
      },
    }, async (request, reply) => {
      const found = await search(request.query.q);
      if (typeof found === 'string') return reply.status(options.odoo ? 502 : 503).send({ error: found });
      return { items: found.map((p) => ({ id: p.id, name: p.name, default_code: p.defaultCode, barcode: p.barcode })) };
    });

    app.post<{ Body: MapBody }>('/api/gaps/product', {
      preHandler: operate,
      schema: {
        summary: "maps a partner's product code to an internal reference (the product map) and replays every document of that partner rejected for that unknown code; audited (gaps.map_product)",
        tags: ['gaps'],
        body: {
          type: 'object',
          properties: {
            partner: { type: 'string', minLength: 1, description: 'the partner code' },
            code: { type: 'string', minLength: 1, description: "the partner's product code Odoo did not know" },
            internalReference: { type: 'string', minLength: 1, description: "the Odoo product's internal reference (default_code)" },
            reason: { type: 'string', description: 'why (kept in the audit trail)' },
          },
          required: ['partner', 'code', 'internalReference'],
        },
        response: { 200: { description: 'the replay batch and the documents replayed', type: 'object', properties: { batchId: { type: 'integer' }, replayed: { type: 'array', items: { type: 'integer' } }, skipped: { type: 'array' } } }, 400: error },
      },
    }, async (request, reply) => {
      const result = await mapAndReplay(request, request.body);
      return 'refused' in result ? reply.status(400).send({ error: result.refused }) : result;
    });

    app.get<{ Params: { id: number } }>('/api/gaps/product/:id', {
      preHandler: read,
      schema: {
        summary: 'how the replays of a gap fix are going: how many posted, rejected again, failed, still on their way',
        tags: ['gaps'],
        params: idParams,
        response: { 200: { description: 'the replay batch progress', type: 'object', additionalProperties: true }, 404: error },
      },
    }, async (request, reply) => (await actions.bulkProgress(request.params.id)) ?? reply.status(404).send({ error: `no gap fix ${request.params.id}` }));

    // Pages.
    app.get<{ Params: { id: string } }>('/documents/:id/dry-run', { preHandler: read }, async (request, reply) => {
      const report = /^\d+$/.test(request.params.id) ? await dryRunDocument(db, Number(request.params.id), options.odoo?.rehearse) : undefined;
      if (!report) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
      return send(request, reply, `Dry run of document ${report.documentId}`, dryRunContent(report));
    });

    app.get<{ Params: { id: string }; Querystring: { code?: string; q?: string } }>('/documents/:id/gaps/product', { preHandler: operate }, async (request, reply) => {
      const doc = /^\d+$/.test(request.params.id) ? await getDocument(db, Number(request.params.id)) : undefined;
      const code = request.query.code?.trim();
      if (!doc || !code) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>No document ${request.params.id} with a product code to map.</p>`);
      const q = request.query.q?.trim() ?? '';
      const found = q ? await search(q) : [];
      return send(request, reply, `Map ${code}`, productChoicesContent({ documentId: doc.id, partner: doc.partner, code, q, found, viewer: viewer(request) }));
    });

    app.post<{ Body: MapBody }>('/gaps/product', { preHandler: operate }, async (request, reply) => {
      const body = (request.body ?? {}) as MapBody;
      const result = await mapAndReplay(request, body);
      if ('refused' in result) return send(request, reply.status(400), 'Not mapped', html`<h1>Not mapped</h1><p>${result.refused}</p>`);
      const back = body.documentId !== undefined && /^\d+$/.test(String(body.documentId)) ? `?document=${String(body.documentId)}` : '';
      return reply.redirect(`/gaps/product/${result.batchId}${back}`, 303);
    });

    app.get<{ Params: { id: string }; Querystring: { document?: string } }>('/gaps/product/:id', { preHandler: read }, async (request, reply) => {
      const progress = /^\d+$/.test(request.params.id) ? await actions.bulkProgress(Number(request.params.id)) : undefined;
      const filter = progress?.filter as { gap?: string; partner?: string; code?: string; internalReference?: string } | undefined;
      if (!progress || filter?.gap !== 'product') return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>No gap fix ${request.params.id}.</p>`);
      const documentId = request.query.document && /^\d+$/.test(request.query.document) ? Number(request.query.document) : undefined;
      return send(request, reply, `${filter.code ?? ''} mapped`, gapResultContent({ partner: filter.partner ?? '', code: filter.code ?? '', internalReference: filter.internalReference ?? '', progress, documentId }));
    });
  };
}
