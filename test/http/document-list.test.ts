// The console's document list over a seeded store (bench/console-seed.ts, as npm run bench:console):
// the date range filter through the store, GET /api/documents and edi docs list --since/--until, and
// the plan of the list query with each filter, which must find its rows through an index and never
// read the documents table sequentially (migration 14; docs/operations.md#how-fast-the-lists-are).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainNodes, seedConsole, seqScanned } from '../../bench/console-seed.js';
import { docsListCommand } from '../../src/cli/commands/docs.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { documentsApi } from '../../src/http/api/documents.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { tableIn } from '../../src/store/identifiers.js';
import { listDocuments, type DocumentFilter } from '../../src/store/index.js';
import * as sql from '../../src/store/sql/documents.js';
import { dateBound } from '../../src/util/date-range.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const DAY = 86_400_000;
const SEEDED = 20_000;
let server: HttpServer;
let first: { po: string; file: string; partner: string; before: number };

beforeAll(async () => {
  expect(await seedConsole(db, { documents: SEEDED })).toBe(SEEDED);
  const { rows } = await db.query<{ po_number: string; source_name: string; partner: string; id: string }>(
    `SELECT d.po_number, f.source_name, f.partner, d.id FROM ${tableIn(db.schema, 'documents')} d JOIN ${tableIn(db.schema, 'files')} f ON f.id = d.file_id
     ORDER BY d.id LIMIT 1 OFFSET ${SEEDED / 2}`);
  first = { po: rows[0]!.po_number, file: rows[0]!.source_name, partner: rows[0]!.partner, before: Number(rows[0]!.id) };
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  server.register(documentsApi({ db, access: { read: async () => {} } }));
  await server.listen();
}, 60_000);
afterAll(async () => server?.close());

/** Every document of a filter, page by page through the keyset cursor. */
async function all(filter: DocumentFilter): Promise<Array<{ id: number; createdAt: Date }>> {
  const found: Array<{ id: number; createdAt: Date }> = [];
  let before: number | undefined;
  for (;;) {
    const page = await listDocuments(db, { ...filter, limit: 500, ...(before !== undefined ? { before } : {}) });
    found.push(...page.items);
    if (page.next === null) return found;
    before = page.next;
  }
}

describe('the date range filter', () => {
  it('reads a bare date as a whole day and refuses what is not an ISO date', () => {
    expect(dateBound('2026-12-07', 'from')).toEqual(new Date('2026-12-07T00:00:00Z'));
    expect(dateBound('2026-12-07', 'to')).toEqual(new Date('2026-12-08T00:00:00Z'));
    expect(dateBound('2026-12-07T14:30:00Z', 'to')).toEqual(new Date('2026-12-07T14:30:00Z'));
    for (const bad of ['yesterday', '07/12/2026', '2026-13-01', '']) expect(dateBound(bad, 'from')).toBeUndefined();
  });

  it('lists every document recorded in the range once, newest first, across pages', async () => {
    const from = new Date(Date.now() - 20 * DAY);
    const to = new Date(Date.now() - 17 * DAY);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE created_at >= $1 AND created_at < $2`, [from, to]);
    expect(rows[0]!.n).toBeGreaterThan(1000); // several pages
    const found = await all({ from, to });
    expect(found).toHaveLength(rows[0]!.n);
    expect(new Set(found.map((d) => d.id)).size).toBe(found.length);
    expect(found.every((d) => d.createdAt >= from && d.createdAt < to)).toBe(true);
    expect(found.every((d, i) => i === 0 || d.createdAt <= found[i - 1]!.createdAt)).toBe(true);
    // Only an upper bound: the older documents, none of the newer.
    const older = await listDocuments(db, { to: from, limit: 5 });
    expect(older.items.every((d) => d.createdAt < from)).toBe(true);
  });

  it('through GET /api/documents?from=&to=, refusing a date it cannot read', async () => {
    const get = (q: string) => server.app.inject({ method: 'GET', url: `/api/documents?${q}` });
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    expect((await get(`from=${tomorrow}`)).json().items).toEqual([]);
    const since = new Date(Date.now() - 2 * DAY);
    const recent = (await get(`from=${since.toISOString()}&limit=10`)).json() as { items: Array<{ createdAt: string }> };
    expect(recent.items).toHaveLength(10);
    expect(recent.items.every((d) => new Date(d.createdAt) >= since)).toBe(true);
    const bad = await get('to=last-week');
    expect(bad.statusCode).toBe(400);
  });

  it('through edi docs list --since/--until', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    expect(await docsListCommand(db, { until: '12/07/2026' }, io)).toBe(EXIT.usage);
    expect(lines.join('\n')).toContain('--since and --until take an ISO date');
    lines.length = 0;
    const day = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    expect(await docsListCommand(db, { since: day, until: day, limit: '500', json: true }, io)).toBe(EXIT.valid);
    const listed = JSON.parse(lines.join('\n')) as Array<{ createdAt: string }>;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((d) => d.createdAt.slice(0, 10) === day)).toBe(true);
  });
});

describe('the plan of the list query', () => {
  const filters = (): Record<string, DocumentFilter> => ({
    'newest page': {},
    'one state': { state: 'rejected' },
    'two states': { state: ['rejected', 'failed'] },
    'partner and set': { partner: first.partner, setId: '856' },
    'date range': { from: new Date(Date.now() - 21 * DAY), to: new Date(Date.now() - 19 * DAY) },
    'date range, next page': { from: new Date(Date.now() - 30 * DAY), before: first.before },
    'search by PO number': { search: first.po },
    'search by file name': { search: first.file },
    'search by control number': { search: '0007' },
    'a file': { fileId: 1 },
    'page further on': { before: first.before },
  });

  it('reads documents through an index with every filter', async () => {
    for (const [name, filter] of Object.entries(filters())) {
      const nodes = await explainNodes(db, sql.listDocuments(db.schema, { ...filter, limit: 51 }));
      expect(seqScanned(nodes), name).not.toContain('documents');
      expect(nodes.some((n) => n['Relation Name'] === 'documents' && /Index|Bitmap Heap/.test(n['Node Type'])), name).toBe(true);
    }
  });

  it('reads a date range in created order over that range, and a search through the number and file name indexes', async () => {
    const dated = await explainNodes(db, sql.listDocuments(db.schema, filters()['date range']!));
    expect(dated.map((n) => n['Index Name'])).toContain('documents_created_idx');
    const search = (await explainNodes(db, sql.listDocuments(db.schema, filters()['search by file name']!))).map((n) => n['Index Name']);
    expect(search).toEqual(expect.arrayContaining(['documents_number_idx', 'documents_po_number_idx', 'documents_control_number_idx', 'files_source_name_idx']));
  });

  it('finds what a search names: a PO number and every document of a file', async () => {
    expect((await listDocuments(db, { search: first.po })).items.map((d) => d.poNumber)).toEqual([first.po]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} d JOIN ${tableIn(db.schema, 'files')} f ON f.id = d.file_id WHERE f.source_name = $1`, [first.file]);
    expect((await listDocuments(db, { search: first.file, limit: 100 })).items).toHaveLength(rows[0]!.n);
  });
});
