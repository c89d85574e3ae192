// The operations console's pages (server-rendered HTML, no script): dashboard, documents, one
// document, files, one file, partners. Each reads through the same queries and views as the CLI and
// the JSON API (./views, src/store/sql); `access.read` guards them all and `access.viewer` says who
// is logged in (src/http/auth.ts).
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { PartnerDirectory } from '../partners/types.js';
import { FILE_STATES, hasUsers, listDocuments, listFiles, listPartnerHealth, readDashboard, type Conn, type FileState } from '../store/index.js';
import { dashboardContent } from './pages/dashboard-page.js';
import { documentContent, documentTitle } from './pages/document-page.js';
import { documentsContent, type DocumentsFilter } from './pages/documents-page.js';
import { fileContent, filesContent } from './pages/file-page.js';
import { html, type Html } from './pages/html.js';
import { page, sendPage, type PageViewer } from './pages/layout.js';
import { loginContent } from './pages/login-page.js';
import { brokenPartnersSection, partnersContent } from './pages/partners-page.js';
import { documentView, fileView, odooRecordUrl } from './views/documents.js';
import { documentsApi } from './api/documents.js';
import { overviewApi } from './api/overview.js';
import { accessRoutes, actorOf, FIRST_ADMIN_MESSAGE, pageViewer, requireRole, type AccessOptions } from './auth.js';
import { outboundConsoleRoutes, type OutboundConsoleOptions } from './outbound-console.js';
import { as2ConsoleRoutes } from './as2-console.js';
import { gapRoutes, type GapRoutesOptions } from './gaps.js';
import { parseFilter, type DocumentActions } from '../jobs/document-actions.js';
import { actionRoutes } from './actions.js';
import { bulkReplayForm, documentActionsSection, mayAct } from './pages/actions-page.js';

export interface ConsoleOptions {
  db: Conn;
  partners: PartnerDirectory;
  now(): Date;
  /** ODOO_URL, for links to the records documents were posted as. */
  odooUrl?: string | undefined;
  /** Replay, cancel, bulk replay (src/jobs/document-actions.ts): the forms on the documents' pages. */
  actions?: DocumentActions | undefined;
  access: {
    read: preHandlerHookHandler;
    viewer(request: FastifyRequest): PageViewer | null;
    /** While nobody can log in yet: how to create the first admin (the login page says so). */
    noUsers(): Promise<string | undefined>;
  };
}

const PAGE_SIZE = 50;

export function consoleRoutes(options: ConsoleOptions): FastifyPluginAsync {
  const { db } = options;
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, content: Html, current?: Parameters<typeof page>[3]) =>
    sendPage(reply, options.access.viewer(request), title, content, current);
  const missing = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    send(request, reply.status(404), 'Not found', html`<h1>Not found</h1><p>${what} does not exist.</p>`);

  return async (app) => {
    // Open to all: the login page (a logged-in user goes on to the dashboard).
    app.get<{ Querystring: { error?: string } }>('/login', async (request, reply) => {
      if (options.access.viewer(request)) return reply.redirect('/', 303);
      return send(request, reply, 'Log in', loginContent({ error: request.query.error, noUsers: await options.access.noUsers() }));
    });

    // Every other page: only for someone logged in.
    await app.register(async (pages) => {
      pages.addHook('preHandler', options.access.read);
      await pageRoutes(pages);
    });
  };

  async function pageRoutes(app: FastifyInstance): Promise<void> {

    app.get('/', async (request, reply) => {
      const [dashboard, health] = await Promise.all([readDashboard(db, options.now()), listPartnerHealth(db)]);
      return send(request, reply, 'Dashboard', html`${brokenPartnersSection(options.partners.broken?.() ?? [])}${dashboardContent(dashboard, health)}`, '/');
    });

    app.get<{ Querystring: DocumentsFilter & { before?: string } }>('/documents', async (request, reply) => {
      const q = request.query;
      // The same filter as GET /api/documents, edi docs list and a bulk replay (document-actions.ts parseFilter).
      const typed: Record<string, string> = Object.fromEntries(Object.entries({ state: q.state, partner: q.partner, set: q.set, search: q.search?.trim(), from: q.from, to: q.to }).filter((e): e is [string, string] => Boolean(e[1])));
      const parsed = parseFilter(typed);
      const partners = options.partners.all().map((p) => p.code).sort();
      if ('error' in parsed) return send(request, reply.status(400), 'Documents', html`${documentsContent(typed, { items: [], next: null }, partners)}<p class="box problem">${parsed.error}</p>`, '/documents');
      const before = q.before && /^\d+$/.test(q.before) ? Number(q.before) : undefined;
      const list = await listDocuments(db, { ...parsed, limit: PAGE_SIZE, ...(before !== undefined ? { before } : {}) });
      const viewer = options.access.viewer(request);
      // Filtered to rejected or failed: the count, and a form to replay them all.
      const bulk = options.actions && mayAct(viewer) && (q.state === 'rejected' || q.state === 'failed')
        ? bulkReplayForm(viewer, { ...typed }, await options.actions.countBulk(parsed))
        : '';
      return send(request, reply, 'Documents', html`${documentsContent(typed, list, partners)}${bulk}`, '/documents');
    });

    app.get<{ Params: { id: string }; Querystring: { done?: string } }>('/documents/:id', async (request, reply) => {
      const view = /^\d+$/.test(request.params.id) ? await documentView(db, Number(request.params.id)) : undefined;
      if (!view) return missing(request, reply, `Document ${request.params.id}`);
      const actions = documentActionsSection(view, options.access.viewer(request), request.query.done);
      return send(request, reply, documentTitle(view), documentContent(view, { odoo: odooRecordUrl(options.odooUrl, view.document.targetRef), actions, viewer: options.access.viewer(request) }), '/documents');
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
      send(request, reply, 'Partners', partnersContent(options.partners.all(), await listPartnerHealth(db), options.partners.broken?.() ?? [], new Date(), options.partners.gateway().alerts?.rules), '/partners'));
  }
}

export interface OperationsConsoleOptions {
  db: ConsoleOptions['db'] & AccessOptions['db'];
  /** A person's resend and regenerate of what we send (the gateway's: src/jobs/gateway.ts). */
  outboundActions: OutboundConsoleOptions['actions'];
  /** A person's replay, cancel, bulk replay and downloads of received documents (the gateway's: src/jobs/document-actions.ts). */
  documentActions?: DocumentActions | undefined;
  /** Fixing a master-data gap once for every document waiting on it, and a replay's dry run (./gaps.ts). */
  gaps?: Pick<GapRoutesOptions, 'gateway' | 'odoo'> | undefined;
  partners: PartnerDirectory;
  log: AccessOptions['log'];
  now?: () => Date;
  odooUrl?: string | undefined;
}

/**
 * Everything people use, in the order it must be registered: access (login, sessions, tokens: its
 * hooks reach every route), the JSON API, the pages. The API answers 401/403 as JSON; a page sends
 * a visitor who is not logged in to the login page.
 */
export function operationsConsole(options: OperationsConsoleOptions): FastifyPluginAsync[] {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const pageGuard: preHandlerHookHandler = async (request, reply) => {
    if (!request.user) return reply.redirect('/login', 303);
  };
  const viewer = pageViewer;
  return [
    accessRoutes({ db, log: options.log, now }),
    documentsApi({ db, access: { read: requireRole('viewer') } }),
    overviewApi({ db, partners: options.partners, now, access: { read: requireRole('viewer') } }),
    outboundConsoleRoutes({ db, actions: options.outboundActions, pages: { read: pageGuard, viewer } }),
    as2ConsoleRoutes({ db, partners: () => options.partners.all().map((p) => p.code), pages: { read: pageGuard, viewer } }),
    ...(options.documentActions
      ? [actionRoutes({ actions: options.documentActions, access: { read: requireRole('viewer'), pageRead: pageGuard, operate: requireRole('operator'), actor: actorOf, viewer } })]
      : []),
    ...(options.gaps ? [gapRoutes({ db, ...options.gaps, access: { read: requireRole('viewer'), operate: requireRole('operator'), pageRead: pageGuard, viewer, actor: actorOf } })] : []),
    consoleRoutes({
      db, partners: options.partners, now, odooUrl: options.odooUrl, actions: options.documentActions,
      access: {
        read: pageGuard,
        viewer,
        noUsers: async () => ((await hasUsers(db)) ? undefined : FIRST_ADMIN_MESSAGE),
      },
    }),
  ];
}
