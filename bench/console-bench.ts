// npm run bench:console: the console's document list and search over 100,000 received documents
// (bench/console-seed.ts), through the real HTTP server and GET /api/documents, one request at a time.
// Prints p50/p99 per query and whether its plan scans a table sequentially; target p99 < 200 ms each.
// DATABASE_URL when set (schema bench_console, dropped first), else an embedded server in a temp folder.
// Options: --documents N (100000), --requests N per query (200). Ends with one JSON line.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { documentsApi } from '../src/http/api/documents.js';
import { createHttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/logging/logger.js';
import { quoteIdent, tableIn } from '../src/store/identifiers.js';
import { openDatabase, type DocumentFilter } from '../src/store/index.js';
import { listDocuments } from '../src/store/sql/documents.js';
import { benchDatabase } from './bench-database.js';
import { explainNodes, seedConsole, seqScanned } from './console-seed.js';

const { values: args } = parseArgs({ options: { documents: { type: 'string', default: '100000' }, requests: { type: 'string', default: '200' } } });
const say = (line: string) => process.stderr.write(line + '\n');
const SCHEMA = 'bench_console';
const TARGET_P99_MS = 200;
const DAY = 86_400_000;

const server = await benchDatabase(20, say);
const old = await openDatabase({ databaseUrl: server.url, schema: SCHEMA, migrate: false });
await old.query(`DROP SCHEMA IF EXISTS ${quoteIdent(SCHEMA)} CASCADE`);
await old.close();
const db = await openDatabase({ databaseUrl: server.url, schema: SCHEMA });
const http = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
try {
  let started = performance.now();
  const seeded = await seedConsole(db, { documents: Number(args.documents) });
  say(`seeded ${seeded} documents in ${Math.round(performance.now() - started)} ms`);

  // Allow-all: the access check is not what is measured.
  http.register(documentsApi({ db, access: { read: async () => {} } }));
  const { url } = await http.listen();
  const page = async (filter: DocumentFilter) => (await fetch(`${url}/api/documents?${query(filter)}`)).json() as Promise<{ items: Array<{ id: number }>; next: number | null }>;

  // What a person looks for: the rarest partner's ship notices, a PO number and a file from mid-month, two days three weeks ago.
  const pick = async <R>(sql: string) => (await db.query<R & object>(sql)).rows[0]!;
  const documents = tableIn(SCHEMA, 'documents');
  const files = tableIn(SCHEMA, 'files');
  const rare = await pick<{ partner: string }>(`SELECT partner FROM ${files} GROUP BY partner ORDER BY count(*), partner LIMIT 1`);
  const middle = await pick<{ po_number: string; source_name: string }>(
    `SELECT d.po_number, f.source_name FROM ${documents} d JOIN ${files} f ON f.id = d.file_id WHERE d.id >= (SELECT (min(id) + max(id)) / 2 FROM ${documents}) ORDER BY d.id LIMIT 1`);
  let cursor: number | null = null;
  for (let i = 0; i < 99; i++) cursor = (await page({ limit: 50, ...(cursor ? { before: cursor } : {}) })).next;
  const now = Date.now();
  const cases: Array<{ name: string; filter: DocumentFilter }> = [
    { name: 'newest page', filter: {} },
    { name: 'state=rejected', filter: { state: 'rejected' } },
    { name: `partner+set (${rare.partner}, 856)`, filter: { partner: rare.partner, setId: '856' } },
    { name: 'date range (2 days)', filter: { from: new Date(now - 21 * DAY), to: new Date(now - 19 * DAY) } },
    { name: 'search PO number', filter: { search: middle.po_number } },
    { name: 'search file name', filter: { search: middle.source_name } },
    { name: 'page 100 (keyset)', filter: { before: cursor! } },
  ];

  const requests = Number(args.requests);
  const results: Array<{ name: string; rows: number; p50Ms: number; p99Ms: number; seqScans: string[]; pass: boolean }> = [];
  for (const c of cases) {
    const filter = { limit: 50, ...c.filter };
    const seqScans = seqScanned(await explainNodes(db, listDocuments(SCHEMA, { ...filter, limit: 51 })));
    for (let i = 0; i < 10; i++) await page(filter); // warm-up
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < requests; i++) {
      started = performance.now();
      rows = (await page(filter)).items.length;
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    const p50Ms = round(ms[Math.floor(0.5 * (ms.length - 1))]!);
    const p99Ms = round(ms[Math.ceil(0.99 * ms.length) - 1]!);
    results.push({ name: c.name, rows, p50Ms, p99Ms, seqScans, pass: p99Ms < TARGET_P99_MS });
  }

  const width = Math.max(...results.map((r) => r.name.length));
  say(`GET /api/documents, ${requests} requests each, one at a time (target p99 < ${TARGET_P99_MS} ms):`);
  say(`${'query'.padEnd(width)}  rows   p50 ms   p99 ms  seq scan      result`);
  for (const r of results) {
    say(`${r.name.padEnd(width)}  ${String(r.rows).padStart(4)}  ${r.p50Ms.toFixed(1).padStart(7)}  ${r.p99Ms.toFixed(1).padStart(7)}  ${(r.seqScans.join(',') || 'none').padEnd(12)}  ${r.pass ? 'PASS' : 'FAIL'}`);
  }
  process.stdout.write(JSON.stringify({ bench: 'console', documents: seeded, requests, targetP99Ms: TARGET_P99_MS, pass: results.every((r) => r.pass), queries: results }) + '\n');
} finally {
  await http.close();
  await db.close();
  await server.close();
}

function query(filter: DocumentFilter): string {
  const q = new URLSearchParams();
  if (filter.limit) q.set('limit', String(filter.limit));
  if (filter.state) q.set('state', [filter.state].flat().join(','));
  if (filter.partner) q.set('partner', filter.partner);
  if (filter.setId) q.set('set', filter.setId);
  if (filter.search) q.set('search', filter.search);
  if (filter.from) q.set('from', filter.from.toISOString());
  if (filter.to) q.set('to', filter.to.toISOString());
  if (filter.before) q.set('before', String(filter.before));
  return q.toString();
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
