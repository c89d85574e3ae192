// Dry runs and master-data gap fixes over HTTP (docs/operations.md#dry-run, #fixing-a-master-data-gap):
//   POST /api/documents/:id/dry-run   what a replay would do in Odoo (viewer: it writes nothing)
//   GET  /api/odoo/products?q=        Odoo products by name, internal reference or barcode (viewer)
//   GET  /api/odoo/units?q=           Odoo units by name (viewer)
//   GET  /api/odoo/addresses?q=       Odoo addresses by name, reference or city (viewer)
//   POST /api/gaps/product|unit|address  map a partner's code (product code, X12 unit, GLN), replay the documents waiting on it (operator)
//   GET  /api/gaps/:kind/:batch       how those replays are going
// and the pages behind the document page's forms: /documents/:id/dry-run, /documents/:id/gaps/:kind,
// POST /gaps/:kind (a form: CSRF checked by auth.ts), /gaps/:kind/:batch.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { DocumentActions } from '../jobs/document-actions.js';
import { dryRunDocument, type Rehearse } from '../jobs/dry-run.js';
import { GAP_FIX_KINDS, type GapFixes, type GapFixKind } from '../jobs/gaps.js';
import { messageOf } from '../errors/failure.js';
import type { OdooClient } from '../odoo/client/client.js';
import { searchProducts } from '../odoo/lookup/product-search.js';
import { searchAddresses, searchUnits } from '../odoo/lookup/gap-search.js';
import { getDocument, type Actor, type Conn } from '../store/index.js';
import { actorOf, pageViewer, requireRole } from './auth.js';
import { addressChoices, choicesContent, dryRunContent, gapResultContent, productChoices, unitChoices, GAP_WORDS, type GapChoice } from './pages/gap-page.js';
import { html, type Html } from './pages/html.js';
import { sendPage, type PageViewer } from './pages/layout.js';

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
    /** Before the pages' own checks: a visitor who is not logged in goes to the login page (console.ts); default none. */
    pageRead?: preHandlerHookHandler;
    /** Who looks at a page; default the request's user. */
    viewer?(request: FastifyRequest): PageViewer | null;
    /** Who acts; default actorOf (auth.ts). */
    actor?(request: FastifyRequest): Actor;
  };
}

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the id' } }, required: ['id'] } as const;
const error = { type: 'object', properties: { error: { type: 'string' } } } as const;
const qString = { type: 'object', properties: { q: { type: 'string', minLength: 1, description: 'the text to look for' } }, required: ['q'] } as const;
const NO_ODOO = 'no Odoo is configured (ODOO_URL): there is no Odoo to search';

/** A mapping's fields: the API names the code and target by kind (below); the page's forms send code and target. */
type MapBody = { partner?: string; code?: string; target?: string; reason?: string; documentId?: string | number } & Record<string, unknown>;

/**
 * Per gap kind: the API body's names for the code and the target, and the search behind the page.
 * Products keep their first API (code, internalReference).
 */
const KINDS: Record<GapFixKind, { codeField: string; targetField: string; target: string; search(client: OdooClient, q: string): Promise<{ headers: string[]; rows: GapChoice[] }> }> = {
  product: { codeField: 'code', targetField: 'internalReference', target: "the Odoo product's internal reference (default_code)", search: async (c, q) => productChoices(await searchProducts(c, q)) },
  unit: { codeField: 'code', targetField: 'unit', target: "the Odoo unit's name (uom.uom)", search: async (c, q) => unitChoices(await searchUnits(c, q)) },
  address: { codeField: 'gln', targetField: 'addressId', target: "the Odoo address's id (res.partner, an address of the partner's company)", search: async (c, q) => addressChoices(await searchAddresses(c, q)) },
};
const KIND_NAMES = GAP_FIX_KINDS;
const isKind = (k: string): k is GapFixKind => (KIND_NAMES as readonly string[]).includes(k);

export function gapRoutes(options: GapRoutesOptions): FastifyPluginAsync {
  const { db } = options;
  const read = options.access?.read ?? requireRole('viewer');
  const operate = options.access?.operate ?? requireRole('operator');
  // A page first sends a visitor who is not logged in to log in; then the role check.
  const pageRead = options.access?.pageRead;
  const pageOf = (check: preHandlerHookHandler): preHandlerHookHandler[] => (pageRead ? [pageRead, check] : [check]);
  const viewer = options.access?.viewer ?? pageViewer;
  const actor = options.access?.actor ?? actorOf;
  const actions = options.gateway.actions;
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html) =>
    sendPage(reply, viewer(request), title, content, '/documents');
  const search = async (kind: GapFixKind, q: string): Promise<{ headers: string[]; rows: GapChoice[] } | string> => {
    if (!options.odoo) return NO_ODOO;
    try {
      return await KINDS[kind].search(options.odoo.client, q);
    } catch (e) {
      return `Odoo did not answer the search: ${messageOf(e)}`;
    }
  };
  const mapAndReplay = async (request: FastifyRequest, kind: GapFixKind, body: MapBody) => {
    const { codeField, targetField } = KINDS[kind];
    const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());
    const fix = { kind, partner: text(body.partner), code: text(body[codeField] ?? body.code), target: text(body[targetField] ?? body.target) };
    if (!fix.partner || !fix.code || !fix.target) return { refused: `partner, ${codeField} and ${targetField} are all needed` } as const;
    if (kind === 'address' && !/^\d+$/.test(fix.target)) return { refused: `${targetField} is an Odoo address id (a number)` } as const;
    return options.gateway.gaps.fix({ ...fix, reason: typeof body.reason === 'string' ? body.reason : null }, actor(request));
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
        querystring: qString,
        response: {
          200: { description: 'the products', type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, default_code: { type: ['string', 'null'] }, barcode: { type: ['string', 'null'] } } } } } },
          502: error, 503: error,
        },
      },
    }, async (request, reply) => {
      if (!options.odoo) return reply.status(503).send({ error: NO_ODOO });
      try {
        return { items: (await searchProducts(options.odoo.client, request.query.q)).map((p) => ({ id: p.id, name: p.name, default_code: p.defaultCode, barcode: p.barcode })) };
      } catch (e) {
        return reply.status(502).send({ error: `Odoo did not answer the search: ${messageOf(e)}` });
      }
    });

    app.get<{ Querystring: { q: string } }>('/api/odoo/units', {
      preHandler: read,
      schema: {
        summary: 'active Odoo units of measure whose name contains q (at most 20): what an X12 unit code can be mapped to',
        tags: ['gaps'],
        querystring: qString,
        response: { 200: { description: 'the units', type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } } } }, 502: error, 503: error },
      },
    }, async (request, reply) => {
      if (!options.odoo) return reply.status(503).send({ error: NO_ODOO });
      try {
        return { items: await searchUnits(options.odoo.client, request.query.q) };
      } catch (e) {
        return reply.status(502).send({ error: `Odoo did not answer the search: ${messageOf(e)}` });
      }
    });

    app.get<{ Querystring: { q: string } }>('/api/odoo/addresses', {
      preHandler: read,
      schema: {
        summary: "Odoo addresses (contacts with a parent company) whose name, reference or city contains q (at most 20), with their company: what a ship-to GLN can be mapped to",
        tags: ['gaps'],
        querystring: qString,
        response: {
          200: { description: 'the addresses', type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, company: { type: 'string' }, companyId: { type: ['integer', 'null'] }, ref: { type: ['string', 'null'] }, street: { type: ['string', 'null'] }, city: { type: ['string', 'null'] } } } } } },
          502: error, 503: error,
        },
      },
    }, async (request, reply) => {
      if (!options.odoo) return reply.status(503).send({ error: NO_ODOO });
      try {
        return { items: await searchAddresses(options.odoo.client, request.query.q) };
      } catch (e) {
        return reply.status(502).send({ error: `Odoo did not answer the search: ${messageOf(e)}` });
      }
    });

    for (const kind of KIND_NAMES) {
      const { codeField, targetField, target } = KINDS[kind];
      const words = GAP_WORDS[kind];
      app.post<{ Body: MapBody }>(`/api/gaps/${kind}`, {
        preHandler: operate,
        schema: {
          summary: `maps a partner's ${words.code} to an ${words.odoo} and replays every document of that partner rejected for that ${words.code}; audited (gaps.map_${kind})`,
          tags: ['gaps'],
          body: {
            type: 'object',
            properties: {
              partner: { type: 'string', minLength: 1, description: 'the partner code' },
              [codeField]: { type: 'string', minLength: 1, description: `the ${words.code} Odoo did not know` },
              [targetField]: kind === 'address' ? { type: 'integer', minimum: 1, description: target } : { type: 'string', minLength: 1, description: target },
              reason: { type: 'string', description: 'why (kept in the audit trail)' },
            },
            required: ['partner', codeField, targetField],
          },
          response: { 200: { description: 'the replay batch and the documents replayed', type: 'object', properties: { batchId: { type: 'integer' }, replayed: { type: 'array', items: { type: 'integer' } }, skipped: { type: 'array' } } }, 400: error },
        },
      }, async (request, reply) => {
        const result = await mapAndReplay(request, kind, request.body);
        return 'refused' in result ? reply.status(400).send({ error: result.refused }) : result;
      });

      app.get<{ Params: { id: number } }>(`/api/gaps/${kind}/:id`, {
        preHandler: read,
        schema: {
          summary: `how the replays of a ${words.code} gap fix are going: how many posted, rejected again, failed, still on their way`,
          tags: ['gaps'],
          params: idParams,
          response: { 200: { description: 'the replay batch progress', type: 'object', additionalProperties: true }, 404: error },
        },
      }, async (request, reply) => (await actions.bulkProgress(request.params.id)) ?? reply.status(404).send({ error: `no gap fix ${request.params.id}` }));
    }

    // Pages.
    app.get<{ Params: { id: string } }>('/documents/:id/dry-run', { preHandler: pageOf(read) }, async (request, reply) => {
      const report = /^\d+$/.test(request.params.id) ? await dryRunDocument(db, Number(request.params.id), options.odoo?.rehearse) : undefined;
      if (!report) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>Document ${request.params.id} does not exist.</p>`);
      return send(request, reply, `Dry run of document ${report.documentId}`, dryRunContent(report));
    });

    app.get<{ Params: { id: string; kind: string }; Querystring: { code?: string; q?: string } }>('/documents/:id/gaps/:kind', { preHandler: pageOf(operate) }, async (request, reply) => {
      const { kind } = request.params;
      const doc = isKind(kind) && /^\d+$/.test(request.params.id) ? await getDocument(db, Number(request.params.id)) : undefined;
      const code = request.query.code?.trim();
      if (!isKind(kind) || !doc || !code) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>No document ${request.params.id} with a code to map.</p>`);
      const q = request.query.q?.trim() ?? '';
      const found = q ? await search(kind, q) : { headers: [], rows: [] };
      return send(request, reply, `Map ${code}`, choicesContent({ kind, documentId: doc.id, partner: doc.partner, code, q, found, viewer: viewer(request) }));
    });

    app.post<{ Params: { kind: string }; Body: MapBody }>('/gaps/:kind', { preHandler: pageOf(operate) }, async (request, reply) => {
      const { kind } = request.params;
      if (!isKind(kind)) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>No gap kind ${kind}.</p>`);
      const body = (request.body ?? {}) as MapBody;
      const result = await mapAndReplay(request, kind, body);
      if ('refused' in result) return send(request, reply.status(400), 'Not mapped', html`<h1>Not mapped</h1><p>${result.refused}</p>`);
      const back = body.documentId !== undefined && /^\d+$/.test(String(body.documentId)) ? `?document=${String(body.documentId)}` : '';
      return reply.redirect(`/gaps/${kind}/${result.batchId}${back}`, 303);
    });

    app.get<{ Params: { id: string; kind: string }; Querystring: { document?: string } }>('/gaps/:kind/:id', { preHandler: pageOf(read) }, async (request, reply) => {
      const progress = /^\d+$/.test(request.params.id) ? await actions.bulkProgress(Number(request.params.id)) : undefined;
      const filter = progress?.filter as { gap?: string; partner?: string; code?: string; target?: string; internalReference?: string } | undefined;
      if (!progress || filter?.gap !== request.params.kind) return send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>No gap fix ${request.params.id}.</p>`);
      const documentId = request.query.document && /^\d+$/.test(request.query.document) ? Number(request.query.document) : undefined;
      return send(request, reply, `${filter.code ?? ''} mapped`, gapResultContent({ partner: filter.partner ?? '', code: filter.code ?? '', target: filter.target ?? filter.internalReference ?? '', progress, documentId }));
    });
  };
}
