// Dry runs and master-data gap fixes against the Odoo 19 double, with real PostgreSQL: two 850s of
// one partner rejected for the same unknown buyer part; a dry run says the gap while it stands and,
// once mapped, the sale order it would create while Odoo stays untouched; the product is found by
// barcode over the API; a viewer may not map; an operator's mapping replays both, they post, and the
// audit trail and timelines say who did it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dryRunCommand } from '../../src/cli/commands/dry-run.js';
import { gapCodes } from '../../src/jobs/gaps.js';
import { gapSection } from '../../src/http/pages/gap-page.js';
import type { HttpServer } from '../../src/http/server.js';
import { documentView } from '../../src/http/views/documents.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import type { OdooClient } from '../../src/odoo/client/client.js';
import type { OdooTargetOptions } from '../../src/odoo/target.js';
import type { Partner } from '../../src/partners/types.js';
import { documentTimeline, getDocument, listAudit, listDocuments, mapProduct } from '../../src/store/index.js';
import type { OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { GAP_CODE, GAP_PARTNER, gapServer, productGapScene, until, type ProductGapScene } from '../support/product-gap.js';
import { writeFreshmartPartners } from '../support/freshmart.js';

const db = useTestDatabase();
const PARTNER = GAP_PARTNER;
const THEIR_CODE = GAP_CODE;

let scene: ProductGapScene;
let odoo: OdooDouble;
let client: OdooClient;
let gateway: Gateway;
let server: HttpServer;
let options: OdooTargetOptions;
const tokens: Record<string, string> = {};
const docs: number[] = [];

const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
  server.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
const mutatingCalls = () => odoo.calls.filter((c) => !['search', 'search_read', 'read', 'fields_get', 'search_count', 'name_search'].includes(c.method));

beforeAll(async () => {
  scene = await productGapScene(db);
  ({ odoo, client, options, gateway } = scene);
  docs.push(...scene.documentIds);

  const served = await gapServer(db, { gateway, client, options });
  server = served.server;
  Object.assign(tokens, served.tokens);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await scene?.close();
});

describe("gapCodes of a product gap", () => {
  it('reads the codes of a product gap, alone or among several gaps, and nothing of other gaps', () => {
    const failure = (f: object) => ({ failure: { code: 'ODOO_MASTER_DATA_GAP', ...f } });
    expect(gapCodes('product', failure({ gap: 'product', lookedFor: { buyerPart: 'X1', upc: '012', other: [{ qualifier: 'ZZ', value: 'Q9' }] } }))).toEqual(['X1', '012', 'Q9']);
    expect(gapCodes('product', failure({ gap: 'product', lookedFor: { gaps: [{ gap: 'unit', code: 'EA' }, { gap: 'product', vendorPart: 'V7', other: [] }] } }))).toEqual(['V7']);
    expect(gapCodes('product', failure({ gap: 'address', lookedFor: { gln: '061' } }))).toEqual([]);
    expect(gapCodes('product', { failure: { code: 'ODOO_PRICE_MISMATCH', gap: 'product', lookedFor: { buyerPart: 'X1' } } })).toEqual([]);
  });
});

describe('dry run', () => {
  it('while the gap stands: the gap message, and nothing written', async () => {
    const before = mutatingCalls().length;
    const res = await call('POST', `/api/documents/${docs[0]}/dry-run`, 'vic');
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.outcome).toBe('would-stop');
    expect(report.error).toMatchObject({ code: 'ODOO_MASTER_DATA_GAP', gap: 'product' });
    expect(report.lines.at(-1)).toContain(`unknown product`);
    expect(report.lines.at(-1)).toContain(THEIR_CODE);
    expect(mutatingCalls().length).toBe(before);
    expect((await getDocument(db, docs[0]!))!.state).toBe('rejected');
  });

  it('once the code is mapped: the sale order it would create, confirmed, while Odoo and the document stay as they were', async () => {
    await mapProduct(db, { partner: PARTNER, theirCode: THEIR_CODE, defaultCode: 'AC-2040' });
    const orders = odoo.db.records('sale.order').length;
    const before = mutatingCalls().length;
    const timeline = (await documentTimeline(db, docs[0]!)).length;
    const report = (await call('POST', `/api/documents/${docs[0]}/dry-run`, 'vic')).json();
    expect(report.outcome).toBe('would-post');
    expect(report.lines[0]).toMatch(/^would create sale\.order \(new 1\) /);
    expect(report.lines[0]).toContain('"client_order_ref":"FM-1"');
    expect(report.changes[0].values.order_line).toHaveLength(2);
    expect(report.lines.some((l: string) => l.startsWith('would call message_post on sale.order (new 1)'))).toBe(true);
    expect(report.lines).toContain('would call action_confirm on sale.order (new 1)');
    expect(report.result.summary).toContain('created for PO FM-1');
    expect(odoo.db.records('sale.order').length).toBe(orders);
    expect(mutatingCalls().length).toBe(before);
    expect((await documentTimeline(db, docs[0]!)).length).toBe(timeline);
    expect((await getDocument(db, docs[0]!))!.state).toBe('rejected');
  });

  it('the page shows the same, for an unknown document a 404', async () => {
    const res = await call('GET', `/documents/${docs[1]}/dry-run`, 'vic');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('would create sale.order (new 1)');
    expect((await call('GET', '/documents/999999/dry-run', 'vic')).statusCode).toBe(404);
  });
});

describe('fixing the gap', () => {
  it('the document page offers the mapping to an operator, not to a viewer', async () => {
    const view = (await documentView(db, docs[0]!))!;
    const forOperator = String(gapSection(view, { username: 'olga', role: 'operator' }));
    expect(forOperator).toContain(`Map ${THEIR_CODE} to an Odoo product`);
    expect(forOperator).toContain(`action="/documents/${docs[0]}/gaps/product"`);
    expect(String(gapSection(view, { username: 'vic', role: 'viewer' }))).not.toContain('<form');
  });

  it('finds the product by its barcode, and lists it on the search page with a mapping form', async () => {
    const res = await call('GET', '/api/odoo/products?q=012345678929', 'vic');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([expect.objectContaining({ name: 'Bulk Almonds Raw', default_code: 'AC-2040', barcode: '012345678929' })]);
    const page = await call('GET', `/documents/${docs[0]}/gaps/product?code=${THEIR_CODE}&q=almonds`, 'olga');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Map ${THEIR_CODE} to AC-2040`);
  });

  it('refuses a viewer, and audits nothing', async () => {
    const res = await call('POST', '/api/gaps/product', 'vic', { partner: PARTNER, code: THEIR_CODE, internalReference: 'AC-2040' });
    expect(res.statusCode).toBe(403);
    expect((await listAudit(db, {})).filter((a) => a.action === 'gaps.map_product')).toEqual([]);
  });

  it("an operator's mapping replays both documents; both post; the batch says so; audited on each timeline", async () => {
    const res = await call('POST', '/api/gaps/product', 'olga', { partner: PARTNER, code: THEIR_CODE, internalReference: 'AC-2040', reason: 'FreshMart calls the almonds FM-ALM-77' });
    expect(res.statusCode).toBe(200);
    const { batchId, replayed } = res.json();
    expect([...replayed].sort((a: number, b: number) => a - b)).toEqual([...docs].sort((a, b) => a - b));
    await until('both posted', async () => (await Promise.all(docs.map((id) => getDocument(db, id)))).every((d) => d?.state === 'posted'));
    const progress = (await call('GET', `/api/gaps/product/${batchId}`, 'vic')).json();
    expect(progress).toMatchObject({ total: 2, posted: 2, done: true });
    expect(odoo.db.records('sale.order').map((o) => o['client_order_ref']).sort()).toEqual(['FM-1', 'FM-2']);

    const audit = (await listAudit(db, {})).filter((a) => a.action === 'gaps.map_product');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'olga', via: 'token', targetKind: 'product_mapping', targetId: `${PARTNER}:${THEIR_CODE}`, reason: 'FreshMart calls the almonds FM-ALM-77' });
    for (const id of docs) {
      expect((await documentTimeline(db, id)).some((e) => e.actor === 'olga' && e.message.includes(`product code ${THEIR_CODE} mapped to internal reference AC-2040`))).toBe(true);
    }
    const page = await call('GET', `/gaps/product/${batchId}`, 'vic');
    expect(page.body).toContain('2 waiting documents replayed, 2 posted so far');
  });

  it('the page form maps too (a repeat finds nothing left waiting) and leads to the result page', async () => {
    const res = await server.app.inject({
      method: 'POST', url: '/gaps/product', headers: { authorization: `Bearer ${tokens['olga']}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ partner: PARTNER, code: THEIR_CODE, internalReference: 'AC-2040', documentId: String(docs[0]) }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/gaps/product/\\d+\\?document=${docs[0]}$`));
    const page = await call('GET', String(res.headers.location), 'olga');
    expect(page.body).toContain('0 waiting documents replayed, 0 posted so far');
  });

  it('a dry run of a posted document would skip it: already posted', async () => {
    const report = (await call('POST', `/api/documents/${docs[0]}/dry-run`, 'vic')).json();
    expect(report.outcome).toBe('would-skip');
    expect(report.lines[0]).toMatch(/^would skip: already posted as sale\.order\/\d+ S\d+/);
  });

  it('edi replay ID --dry-run says the same from the partner files and ODOO_URL & co.', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gaps-cli-'));
    const partners = writeFreshmartPartners(dataDir);
    const file = join(partners, 'freshmart.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace("units: { CA: 'Units', LB: 'Units' }", "units: { EA: 'Units' }"));
    const out: string[] = [];
    const err: string[] = [];
    const env = { ODOO_URL: odoo.url, ODOO_DB: odoo.dbName, ODOO_USERNAME: odoo.login, ODOO_API_KEY: odoo.apiKey };
    const code = await dryRunCommand(db, String(docs[1]), { partners, dataDir }, { out: (t) => void out.push(t), err: (t) => void err.push(t) }, env);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe(`document ${docs[1]} (posted), dry run: nothing written`);
    expect(out[1]).toMatch(/^ {2}would skip: already posted as sale\.order\/\d+/);
    expect(await dryRunCommand(db, '999999', { partners, dataDir }, { out: () => undefined, err: () => undefined }, env)).not.toBe(0);
  });
});
