// The console's read API over a real socket: the same documents and files as `edi docs` and
// `edi files`, guarded by the access check it is given; and GET /api/openapi.json, made of the
// /api/ routes registered, checked against them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { preHandlerHookHandler } from 'fastify';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { documentsApi } from '../../src/http/api/documents.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
let server: HttpServer;
let url = '';
const routes: Array<{ method: string; url: string }> = [];

// Stands for the console's session check: a request without the header is refused.
const read: preHandlerHookHandler = async (request, reply) => {
  if (request.headers['x-test-user'] !== 'viewer') await reply.status(401).send({ error: 'log in first' });
};

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-api-'));
  const inbox = join(dataDir, 'inbox', 'sample');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, 'catalog.pdf'), '%PDF-1.4\n1 0 obj << >> endobj\n');
  writeFileSync(join(inbox, 'po1010.edi'), readFileSync(join(root, 'test', 'fixtures', 'x12', 'fail', 'se-count-wrong.edi')));
  writeFileSync(join(inbox, 'good.edi'), readFileSync(join(root, 'samples', '004010', '850', '850-cancellation.edi')));
  const past = new Date(Date.now() - 60_000);
  for (const n of ['catalog.pdf', 'po1010.edi', 'good.edi']) utimesSync(join(inbox, n), past, past);
  const io = { out: () => {}, err: () => {} };
  await startCommand({ dataDir, once: true, interval: '0.2' }, { io, log: cliLogger({ level: 'error', format: 'pretty', write: () => {} }), db, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });

  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  server.app.addHook('onRoute', (r) => { for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url }); });
  server.register(documentsApi({ db, access: { read } }));
  url = (await server.listen()).url;
}, 120_000);
afterAll(async () => server?.close());

const get = (path: string, user: string | null = 'viewer') => fetch(url + path, { headers: user ? { 'x-test-user': user } : {} });

describe('GET /api/documents and /api/files', () => {
  it('lists and finds documents as edi docs list does, with the numbers read from the raw heading', async () => {
    const page = await (await get('/api/documents?search=PO1010')).json() as { items: Array<{ id: number; state: string; number: string }>; next: number | null };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ state: 'rejected', number: 'PO1010' });
    const rejected = await (await get('/api/documents?state=rejected,failed&set=850')).json() as { items: Array<{ state: string; setId: string }> };
    expect(rejected.items.length).toBeGreaterThan(0);
    expect(rejected.items.every((d) => d.setId === '850' && ['rejected', 'failed'].includes(d.state))).toBe(true);
    const bad = await get('/api/documents?state=lost');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('unknown state lost');
    expect((await get('/api/documents?limit=0')).status).toBe(400);
  });

  it('pages newest first with the keyset cursor, no document twice', async () => {
    const first = await (await get('/api/documents?limit=1')).json() as { items: Array<{ id: number }>; next: number | null };
    expect(first.next).not.toBeNull();
    const second = await (await get(`/api/documents?limit=1&before=${first.next}`)).json() as { items: Array<{ id: number }> };
    expect(second.items[0]!.id).toBeLessThan(first.items[0]!.id);
  });

  it('one document: what helps, findings with their fix, timeline and raw segments', async () => {
    const { items } = await (await get('/api/documents?search=PO1010')).json() as { items: Array<{ id: number }> };
    const view = await (await get(`/api/documents/${items[0]!.id}`)).json() as { document: { number: string }; remedy: { kind: string }; findings: Array<{ code: string; fix?: string }>; timeline: unknown[]; segments: string[] };
    expect(view.document.number).toBe('PO1010');
    expect(view.remedy.kind).toBe('partner');
    expect(view.findings.find((f) => f.code === 'X12_SE_COUNT')?.fix).toMatch(/\w/);
    expect(view.timeline.length).toBeGreaterThan(0);
    expect(view.segments[0]).toMatch(/^ST\*850\*/);
    expect((await get('/api/documents/999999')).status).toBe(404);
  });

  it('a file rejected as a whole, with its reason and what helps', async () => {
    const files = await (await get('/api/files?state=rejected')).json() as Array<{ id: number; sourceName: string }>;
    const pdf = files.find((f) => f.sourceName === 'catalog.pdf')!;
    const view = await (await get(`/api/files/${pdf.id}`)).json() as { file: { reason: string }; remedy: { kind: string; fix: string }; documents: unknown[] };
    expect(view.file.reason).toContain('[X12_NOT_X12]');
    expect(view.remedy).toMatchObject({ kind: 'partner' });
    expect(view.remedy.fix).toMatch(/\w/);
    expect(view.documents).toEqual([]);
  });

  it('refuses every route without the access check passing', async () => {
    for (const path of ['/api/documents', '/api/documents/1', '/api/files', '/api/files/1']) expect((await get(path, null)).status, path).toBe(401);
  });
});

describe('GET /api/openapi.json', () => {
  it('describes exactly the /api/ routes registered, each path parameter and query parameter of their schemas', async () => {
    const doc = await (await fetch(`${url}/api/openapi.json`)).json() as { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>> };
    expect(doc.openapi).toMatch(/^3\./);
    // The server registers /api/openapi.json itself, before this test's hook could see it.
    const registered = [...routes, { method: 'GET', url: '/api/openapi.json' }]
      .filter((r) => r.url.startsWith('/api/')).map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`).sort();
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)).sort();
    expect(described).toEqual(registered);
    expect(described).toContain('get /api/documents/{id}');
    expect(doc.paths['/api/documents/{id}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    expect(doc.paths['/api/documents']!.get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['state', 'partner', 'set', 'search', 'before', 'limit']));
  });
});
