// The operations console's pages (server-rendered HTML, no script): dashboard, documents, one
// document, files, one file, partners. Each reads through the same queries and views as the CLI and
// the JSON API (./views, src/store/sql); `access.read` guards them all and `access.viewer` says who
// is logged in (src/http/auth.ts).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { PartnerDirectory } from '../partners/types.js';
import { DOCUMENT_STATES, FILE_STATES, listDocuments, listFiles, listPartnerHealth, readDashboard, type Conn, type DocumentState, type FileState } from '../store/index.js';
import { dashboardContent } from './pages/dashboard-page.js';
import { documentContent, documentTitle } from './pages/document-page.js';
import { documentsContent, type DocumentsFilter } from './pages/documents-page.js';
import { fileContent, filesContent } from './pages/file-page.js';
import { html, type Html } from './pages/html.js';
import { page, type PageViewer } from './pages/layout.js';
import { partnersContent } from './pages/partners-page.js';
import { documentView, fileView, odooRecordUrl } from './views/documents.js';

export interface ConsoleOptions {
  db: Conn;
  partners: PartnerDirectory;
  now(): Date;
  /** ODOO_URL, for links to the records documents were posted as. */
  odooUrl?: string | undefined;
  access: {
    read: preHandlerHookHandler;
    viewer(request: FastifyRequest): PageViewer | null;
  };
}

const PAGE_SIZE = 50;

export function consoleRoutes(options: ConsoleOptions): FastifyPluginAsync {
  const { db } = options;
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html, current?: Parameters<typeof page>[3]) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page(title, options.access.viewer(request), content, current).text);
  const missing = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>${what} does not exist.</p>`);

  return async (app) => {
    app.addHook('preHandler', options.access.read);

    app.get('/', async (request, reply) => {
      const [dashboard, health] = await Promise.all([readDashboard(db, options.now()), listPartnerHealth(db)]);
      return send(request, reply, 'Dashboard', dashboardContent(dashboard, health), '/');
    });

    app.get<{ Querystring: DocumentsFilter & { before?: string } }>('/documents', async (request, reply) => {
      const q = request.query;
      const state = q.state && (DOCUMENT_STATES as readonly string[]).includes(q.state) ? (q.state as DocumentState) : undefined;
      const before = q.before && /^\d+$/.test(q.before) ? Number(q.before) : undefined;
      const filter: DocumentsFilter = { ...(state ? { state } : {}), ...(q.partner ? { partner: q.partner } : {}), ...(q.set ? { set: q.set } : {}), ...(q.search?.trim() ? { search: q.search.trim() } : {}) };
      const list = await listDocuments(db, {
        limit: PAGE_SIZE, ...(state ? { state } : {}), ...(filter.partner ? { partner: filter.partner } : {}), ...(filter.set ? { setId: filter.set } : {}),
        ...(filter.search ? { search: filter.search } : {}), ...(before !== undefined ? { before } : {}),
      });
      const partners = options.partners.all().map((p) => p.code).sort();
      return send(request, reply, 'Documents', documentsContent(filter, list, partners), '/documents');
    });

    app.get<{ Params: { id: string } }>('/documents/:id', async (request, reply) => {
      const view = /^\d+$/.test(request.params.id) ? await documentView(db, Number(request.params.id)) : undefined;
      if (!view) return missing(request, reply, `Document ${request.params.id}`);
      return send(request, reply, documentTitle(view), documentContent(view, { odoo: odooRecordUrl(options.odooUrl, view.document.targetRef) }), '/documents');
    });

    app.get<{ Querystring: { state?: string } }>('/files', async (request, reply) => {
      const state = request.query.state && (FILE_STATES as readonly string[]).includes(request.query.state) ? (request.query.state as FileState) : undefined;
      const files = await listFiles(db, { limit: 100, ...(state ? { state } : {}) });
      return send(request, reply, 'Files', filesContent(files, state), '/files');
    });

    app.get<{ Params: { id: string } }>('/files/:id', async (request, reply) => {
      const view = /^\d+$/.test(request.params.id) ? await fileView(db, Number(request.params.id)) : undefined;
      if (!view) return missing(request, reply, `File ${request.params.id}`);
      return send(request, reply, `File ${view.file.sourceName}`, fileContent(view), '/files');
    });

    app.get('/partners', async (request, reply) =>
      send(request, reply, 'Partners', partnersContent(options.partners.all(), await listPartnerHealth(db)), '/partners'));
  };
}
