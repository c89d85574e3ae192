// GET /api/documents, /api/documents/:id, /api/files, /api/files/:id: the received documents and
// files, as `edi docs` and `edi files` show them (the same queries and views: ../views/documents.ts).
// Read-only: `access.read` guards every route (a viewer may read).
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import { DOCUMENT_STATES, FILE_STATES, listDocuments, listFiles, type Conn, type FileState } from '../../store/index.js';
import { ISO_DATE_PATTERN } from '../../util/date-range.js';
import { parseFilter } from '../../jobs/document-actions.js';
import { documentView, fileView } from '../views/documents.js';

export interface DocumentsApiOptions {
  db: Conn;
  /** Who may read (the console's session or API token, viewer and up). */
  access: { read: preHandlerHookHandler };
}

const id = { type: 'object', properties: { id: { type: 'integer', minimum: 1, description: 'the id' } }, required: ['id'] } as const;
const limit = { type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'at most this many (newest first)' } as const;
const before = { type: 'integer', minimum: 1, description: 'keyset cursor: the `next` of the previous page' } as const;
const notFound = { description: 'no such id', type: 'object', properties: { error: { type: 'string' } } } as const;

export function documentsApi(options: DocumentsApiOptions): FastifyPluginAsync {
  const { db } = options;
  return async (app) => {
    app.addHook('preHandler', options.access.read);

    app.get<{ Querystring: { state?: string; partner?: string; set?: string; search?: string; file?: number; from?: string; to?: string; before?: number; limit: number } }>('/api/documents', {
      schema: {
        summary: 'received documents, newest first, filtered (as edi docs list)',
        tags: ['documents'],
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', description: `states, comma-separated: ${DOCUMENT_STATES.join(', ')}` },
            partner: { type: 'string', description: 'a partner code' },
            set: { type: 'string', pattern: '^\\d{3}$', description: 'a transaction set, e.g. 850' },
            search: { type: 'string', description: 'a PO number, shipment id, invoice number, ST02 or file name (exact)' },
            file: { type: 'integer', minimum: 1, description: 'the documents of this file' },
            from: { type: 'string', pattern: ISO_DATE_PATTERN, description: 'only documents recorded at or after this ISO date or date-time (a date: its start, UTC)' },
            to: { type: 'string', pattern: ISO_DATE_PATTERN, description: 'only documents recorded before this ISO date-time; a date includes that whole day (UTC)' },
            before,
            limit,
          },
        },
        response: { 200: { description: 'a page of documents and the cursor of the next', type: 'object', properties: { items: { type: 'array' }, next: { type: ['integer', 'null'] } } } },
      },
    }, async (request, reply) => {
      const { file, before, limit, ...typed } = request.query;
      // The same filter as the console's page, edi docs list and a bulk replay (document-actions.ts).
      const filter = parseFilter(typed);
      if ('error' in filter) return reply.status(400).send({ error: filter.error });
      return listDocuments(db, { ...filter, limit, ...(file !== undefined ? { fileId: file } : {}), ...(before !== undefined ? { before } : {}) });
    });

    app.get<{ Params: { id: number } }>('/api/documents/:id', {
      schema: {
        summary: 'one received document: its record, what helps when it is rejected, findings with their fixes, timeline, raw segments (as edi docs show)',
        tags: ['documents'],
        params: id,
        response: { 200: { description: 'the document', type: 'object', additionalProperties: true }, 404: notFound },
      },
    }, async (request, reply) => (await documentView(db, request.params.id)) ?? reply.status(404).send({ error: `no document ${request.params.id}` }));

    app.get<{ Querystring: { state?: FileState; partner?: string; before?: number; limit: number } }>('/api/files', {
      schema: {
        summary: 'received files, newest first (as edi files list): a file rejected as a whole has no document',
        tags: ['files'],
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: [...FILE_STATES], description: 'only files in this state' },
            partner: { type: 'string', description: 'a partner code' },
            before,
            limit,
          },
        },
        response: { 200: { description: 'the files', type: 'array' } },
      },
    }, async (request) => {
      const q = request.query;
      return listFiles(db, { limit: q.limit, ...(q.state ? { state: q.state } : {}), ...(q.partner ? { partner: q.partner } : {}), ...(q.before !== undefined ? { before: q.before } : {}) });
    });

    app.get<{ Params: { id: number } }>('/api/files/:id', {
      schema: {
        summary: 'one received file: reason and what helps, receipts, interchanges with their findings, documents, timeline (as edi files show)',
        tags: ['files'],
        params: id,
        response: { 200: { description: 'the file', type: 'object', additionalProperties: true }, 404: notFound },
      },
    }, async (request, reply) => (await fileView(db, request.params.id)) ?? reply.status(404).send({ error: `no file ${request.params.id}` }));
  };
}
