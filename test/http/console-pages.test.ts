// The console's pages, rendered from a real store: the dashboard, the documents list and search, a
// rejected document with its segment and element highlighted and named, a file rejected as a
// whole, the partners with their secrets shown only as where they come from; and escaping of
// whatever partners send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCommand } from '../../src/cli/commands/start.js';
import { cliLogger } from '../../src/cli/log.js';
import { consoleRoutes } from '../../src/http/console.js';
import { escapeHtml, html } from '../../src/http/pages/html.js';
import { humanize } from '../../src/http/pages/canonical-view.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { odooRecordUrl } from '../../src/http/views/documents.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { insertOutboundDocument } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const root = join(import.meta.dirname, '..', '..');
const SECRET = 'pass-phrase-that-must-not-show';
let server: HttpServer;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-pages-'));
  const inbox = join(dataDir, 'inbox', 'sample');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, 'x<b>y.pdf'), '%PDF-1.4\n');
  writeFileSync(join(inbox, 'po1010.edi'), readFileSync(join(root, 'test', 'fixtures', 'x12', 'fail', 'se-count-wrong.edi')));
  writeFileSync(join(inbox, 'good.edi'), readFileSync(join(root, 'samples', '004010', '850', '850-grocery-gln-allowances.edi')));
  const past = new Date(Date.now() - 60_000);
  for (const n of ['x<b>y.pdf', 'po1010.edi', 'good.edi']) utimesSync(join(inbox, n), past, past);
  await startCommand({ dataDir, once: true, interval: '0.2' }, { io: { out: () => {}, err: () => {} }, log: cliLogger({ level: 'error', format: 'pretty', write: () => {} }), db, gateway: { jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false } } });

  process.env.ACME_KEY_PASSPHRASE = SECRET;
  const loaded = await loadPartners(join(root, 'partners'), process.env, { dataDir });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  server.register(consoleRoutes({
    db, partners: partnerDirectory({
      partners: loaded.partners,
      broken: [{ code: 'initech', file: '/srv/partners/initech.yaml', display: 'partners/initech.yaml', errors: [{ file: 'partners/initech.yaml', path: 'transport.port', message: 'partners/initech.yaml: transport.port: expected a number, got "twenty-two"' }] }],
    }), now: () => new Date(), odooUrl: 'https://odoo.example',
    access: { read: async () => {}, viewer: () => ({ username: 'olga', role: 'viewer', csrfToken: 'tok' }), noUsers: async () => undefined },
  }));
}, 120_000);
afterAll(async () => server?.close());

const get = async (url: string) => {
  const r = await server.app.inject({ method: 'GET', url });
  return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body };
};

describe('console pages', () => {
  it('the dashboard counts what waits for a person, links it, and says who is logged in', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/html');
    expect(r.body).toMatch(/Waiting for a person: [1-9]/);
    expect(r.body).toMatch(/href="\/documents\/\d+"/);
    expect(r.body).toContain('olga (viewer)');
    expect(r.body).toMatch(/<td><a href="\/documents\?partner=sample">sample<\/a><\/td>/);
  });

  it('the documents list finds a rejected order by the PO number of its raw BEG', async () => {
    const r = await get('/documents?search=PO1010');
    expect(r.body).toContain('PO1010');
    expect(r.body).toMatch(/class="state rejected"/);
    expect((await get('/documents?search=NOPE')).body).toContain('No documents match.');
    // Received on a day: today's documents are found, none long ago; a date that is not one is said so.
    const today = new Date().toISOString().slice(0, 10);
    expect((await get(`/documents?search=PO1010&from=${today}&to=${today}`)).body).toContain('PO1010');
    expect((await get('/documents?from=2001-01-01&to=2001-01-02')).body).toContain('No documents match.');
    const bad = await get('/documents?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('from and to are ISO dates');
  });

  it('a rejected document: what is wrong and what helps first, then the segment and element in error, named', async () => {
    const list = await get('/documents?search=PO1010');
    const id = /href="\/documents\/(\d+)"/.exec(list.body)![1]!;
    const r = await get(`/documents/${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('What is wrong:');
    expect(r.body).toContain('What helps:</strong> only a corrected file from the partner helps');
    // The SE is the set's last segment: its row and SE01 are marked, SE01 named from specs/.
    const se = /<tr id="seg-(\d+)" class="err">[\s\S]*?<\/tr>/.exec(r.body);
    expect(se?.[0]).toContain('>SE</span>');
    expect(se?.[0]).toMatch(/<span class="el err" title="SE01 Number of Included Segments \(element 96\)">/);
    expect(se?.[0]).toContain('How to fix:');
    expect(r.body).toMatch(/title="BEG03 Purchase Order Number \(element 324\)">PO1010</);
    expect((await get('/documents/999999')).status).toBe(404);
  });

  it('a posted document shows its canonical document as tables, not JSON, and links its Odoo record', async () => {
    const list = await get('/documents?state=posted&set=850');
    const id = /href="\/documents\/(\d+)"/.exec(list.body)![1]!;
    const r = await get(`/documents/${id}`);
    expect(r.body).toMatch(/<h3>Lines \(\d+\)<\/h3>/);
    expect(r.body).toMatch(/<th>Product IDs: (UPC|GTIN|buyer part|vendor part)<\/th>/);
    expect(r.body).not.toMatch(/"poNumber":/);
  });

  it("a received order's page shows the 997 we sent and the order's thread, received and sent, in time order", async () => {
    const list = await get('/documents?state=posted&set=850');
    const id = /href="\/documents\/(\d+)"/.exec(list.body)![1]!;
    const page = (await get(`/documents/${id}`)).body;
    const po = /PO number ([^<,]+)/.exec(page)![1]!.trim();
    expect(page).toMatch(/Acknowledgment we sent<\/h2>\s*<p>997 <span class="state (sent|ready)">/);
    expect(page).not.toContain("This order's documents");
    // The 855 we built for that order (as the outbound stage stores it) joins the thread.
    await insertOutboundDocument(db, { model: 'sale.order', recordId: 77, setId: '855', generation: 1 }, {
      partner: 'sample', sourceName: 'S00077', sourceVersion: '2026-12-07 10:00:00', state: 'built', reason: null, document: { poNumber: po, lines: [] },
      interchangeControl: '000000001', groupControl: '1', controlNumber: '0001', outboundId: null, ackWindowSeconds: null,
    }, { stage: 'outbound', actor: 'system', message: 'built' });
    const threaded = (await get(`/documents/${id}`)).body;
    const thread = /This order's documents \(PO [^)]+\)<\/h2>([\s\S]*?)<\/table>/.exec(threaded)?.[1] ?? '';
    expect(thread).toMatch(/received[\s\S]*850 purchase order[\s\S]*997 <span class="state/);
    expect(thread).toMatch(/sent[\s\S]*855 order acknowledgment[\s\S]*S00077[\s\S]*class="state built"/);
    expect(thread.indexOf('received')).toBeLessThan(thread.indexOf('S00077'));
  });

  it('a file rejected as a whole: reason, fix and what helps; its name escaped', async () => {
    const files = await get('/files?state=rejected');
    expect(files.body).toContain('x&lt;b&gt;y.pdf');
    expect(files.body).not.toContain('x<b>y.pdf');
    const id = /href="\/files\/(\d+)">\1<\/a><\/td><td>sample<\/td><td>x&lt;b&gt;y\.pdf/.exec(files.body)![1]!;
    const r = await get(`/files/${id}`);
    expect(r.body).toContain('[X12_NOT_X12]');
    expect(r.body).toContain('How to fix:');
    expect(r.body).toContain('None: nothing in this file could be read as a transaction set.');
    // A file with sets lists them by interchange and group.
    const list = await get('/documents?search=PO1010');
    const docId = /href="\/documents\/(\d+)"/.exec(list.body)![1]!;
    const fileId = /href="\/files\/(\d+)"/.exec((await get(`/documents/${docId}`)).body)![1]!;
    expect((await get(`/files/${fileId}`)).body).toMatch(/Transaction sets \(1\), by interchange and group[\s\S]*<td>000000905<\/td><td>1 \(004010\)<\/td><td>850<\/td><td>0001<\/td><td>PO1010<\/td>/);
  });

  it('partners as loaded, each secret only as where it is read from; a partner whose file is broken shown out of service, on the dashboard too', async () => {
    const r = await get('/partners');
    expect(r.body).toMatch(/Out of service: 1 partner file with a problem[\s\S]*initech[\s\S]*transport\.port: expected a number, got &quot;twenty-two&quot;/);
    expect((await get('/')).body).toContain('Out of service: 1 partner file with a problem');
    expect(r.body).toContain('ACME Retail');
    expect(r.body).toContain('from environment variable ACME_KEY_PASSPHRASE');
    expect(r.body).toContain('from file /etc/edi/acme_ed25519');
    expect(r.body).not.toContain(SECRET);
  });
});

describe('page helpers', () => {
  it('escapes every interpolated value, nested templates kept as markup', () => {
    const evil = '<script>alert("x")</script>&\'';
    expect(html`<p title="${evil}">${evil}</p>`.text).toBe(`<p title="${escapeHtml(evil)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>`);
    expect(html`<ul>${['a<', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
  });

  it('names fields in words and links Odoo records', () => {
    expect(humanize('poNumber')).toBe('PO number');
    expect(humanize('productIds.buyerPart')).toBe('Product IDs: buyer part');
    expect(odooRecordUrl('https://odoo.example/', 'sale.order/42 S00042')).toBe('https://odoo.example/web#model=sale.order&id=42&view_type=form');
    expect(odooRecordUrl(undefined, 'sale.order/42')).toBeUndefined();
    expect(odooRecordUrl('https://odoo.example', 'recorded:abc')).toBeUndefined();
  });
});
