// Issue 11, pack sizes: 850 files of our own (test/odoo/files/850-packs-*.edi) whose lines order
// CA in cases of 4 and of 12 (PO401) under one partner mapping CA: Case of 12, through the whole
// gateway into the Odoo double. Each line must be posted in the unit that holds its pack, so the
// delivery Odoo makes counts the right number of units; a pack no Odoo unit holds is a gap that
// names it, and a replay posts the order once the unit exists. Codes and unit names carry the
// run's suffix, and the pack units of earlier runs are archived first, so a real database can take
// the suite again and again.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/jobs/gateway.js';
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { fieldNamesFor } from '../../../src/odoo/field-names.js';
import { partnerDirectory } from '../../../src/partners/directory.js';
import type { Partner } from '../../../src/partners/types.js';
import { documentTimeline, getDocument, listDocuments } from '../../../src/store/index.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders } from '../../transports/folder/support.js';
import { startOdooFolderGateway } from './end-to-end.js';
import type { EndToEndOdoo } from './end-to-end.js';
import { dropWithCodes, runCodes, TWO_WAITS_MS, waitForGateway } from './gateway-wait.js';
import { runId } from './seed.js';

const FILES = join(import.meta.dirname, '../files');
const FINAL = ['posted', 'rejected', 'failed', 'duplicate'];
const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));
const nameOf = (v: unknown) => (Array.isArray(v) ? String(v[1]) : String(v));

export function packsSuite(odoo: EndToEndOdoo): void {
  const db = useTestDatabase();
  let close: (() => Promise<void>) | undefined;
  let client: OdooClient;
  let version: number;
  let gateway: Gateway;
  let running: { gateway: Gateway; stop(): Promise<void> } | undefined;
  let inbox: string;
  const run = runId();
  // The codes in the files (not the interchange ids); the customer's Internal Reference is the run's too.
  const codes = runCodes(run, ['PR-100', 'PR-200', 'PR-8101', 'PR-8102']);
  const customerRef = `PACKRITE-${run}`;
  /** 'Case of 4 (packs RUN)': the gateway picks a pack unit by its size; the name says which run made it. */
  const caseOf = (n: number) => `Case of ${n} (packs ${run})`;

  /** A pack unit of n Units, as a person creates it in Odoo 18 (category, bigger, factor) or 19 (relative). */
  const createPackUnit = async (name: string, n: number) => {
    const [units] = await client.searchRead('uom.uom', [['name', '=', 'Units']], { fields: version >= 19 ? ['id'] : ['id', 'category_id'] });
    return client.create('uom.uom', version >= 19 ? { name, relative_factor: n, relative_uom_id: units!.id } : { name, category_id: idOf(units!['category_id']), uom_type: 'bigger', factor: 1 / n });
  };
  /** Earlier runs' pack units would hold the same sizes (and 24 must be missing at first): archived. */
  const archiveEarlierPackUnits = async () => {
    const earlier = await client.search('uom.uom', [['name', '=like', 'Case of % (packs %)']]);
    if (earlier.length) await client.write('uom.uom', earlier, { active: false });
  };

  beforeAll(async () => {
    const connection = await odoo.connect();
    close = connection.close;
    client = connection.client;
    version = await client.version();
    await client.create('res.partner', { name: `Packrite Janitorial Supply ${run}`, ref: customerRef, is_company: true });
    for (const [code, name] of [['PR-100', 'Trash Bags 33 gal'], ['PR-200', 'Hand Soap 12 oz']]) await client.create('product.product', { name, default_code: codes[code!], type: 'consu', list_price: 3 });
    await archiveEarlierPackUnits();
    await createPackUnit(caseOf(12), 12);
    await createPackUnit(caseOf(4), 4);
    const where = folders('packs-packrite-');
    mkdirSync(where.inbox, { recursive: true });
    inbox = where.inbox;
    const base = folderPartner(where, { code: 'packrite', outbound: null });
    // One CA mapping for every case size, as partner files have it today; orders confirmed, so Odoo counts the units to deliver.
    const partner: Partner = { ...base, name: 'packrite', identity: { isa: { qualifier: 'ZZ', id: 'PACKRITE' }, gs: 'PACKRITE' }, us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' }, documents: { inbound: ['850'], outbound: [] }, odoo: { partner: { ref: customerRef }, products: { match: ['defaultCode'] }, units: { CA: caseOf(12) }, confirmOrders: true } };
    const directory = partnerDirectory({ partners: new Map([['packrite', partner]]) });
    running = await startOdooFolderGateway(db, directory, client);
    gateway = running.gateway;
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    // Leave no active pack unit behind for other suites on a real database.
    if (client) await archiveEarlierPackUnits();
    await close?.();
  });

  const seen = new Set<string>();
  /** Drops a file and waits for its one document (the one not seen before) to settle. */
  const settledDocument = async (file: string) => {
    dropWithCodes(join(FILES, file), inbox, codes);
    const fresh = async () => (await listDocuments(db, { partner: 'packrite', limit: 10 })).items.filter((d) => !seen.has(String(d.id)));
    await waitForGateway(db, `${file} settled`, async () => {
      const docs = await fresh();
      return docs.length === 1 && FINAL.includes(docs[0]!.state);
    }, ['packrite']);
    const [doc] = await fresh();
    seen.add(String(doc!.id));
    return doc!;
  };

  /** The order's lines in sequence: [unit name, quantity, price, units Odoo delivers]. */
  const postedLines = async (poNumber: string) => {
    const uom = fieldNamesFor(version).saleLine.uom;
    const [order] = await client.searchRead('sale.order', [['client_order_ref', '=', poNumber]], { fields: ['order_line', 'state'] });
    expect(order!['state']).toBe('sale');
    const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['sequence', uom, 'product_uom_qty', 'price_unit']);
    lines.sort((a, b) => Number(a['sequence']) - Number(b['sequence']));
    const moves = await client.searchRead('stock.move', [['sale_line_id', 'in', lines.map((l) => l.id)]], { fields: ['sale_line_id', 'product_uom_qty', 'product_uom'] });
    return lines.map((l) => {
      const move = moves.find((m) => idOf(m['sale_line_id']) === l.id);
      return [nameOf(l[uom]), l['product_uom_qty'], l['price_unit'], `${String(move?.['product_uom_qty'])} ${nameOf(move?.['product_uom'])}`];
    });
  };

  describe(`850 pack sizes (PO4) under one CA mapping into ${odoo.label}`, () => {
    it('posts cases of 4 in Case of 4 and cases of 12 in Case of 12, eaches in Units, and says which line left odoo.units', async () => {
      const doc = await settledDocument('850-packs-case-of-4-and-12.edi');
      expect(doc.reason ?? '').toBe('');
      expect(doc.state).toBe('posted');
      expect(await postedLines(codes['PR-8101']!)).toEqual([
        [caseOf(4), 500, 9.6, '2000 Units'], // PO4*4: not 500 cases of 12 (6000 units)
        [caseOf(12), 20, 30, '240 Units'], // PO4*12 fits the mapping
        ['Units', 48, 2.5, '48 Units'], // EA: PO4 describes the pack, the line orders eaches
        [caseOf(12), 10, 30, '120 Units'], // no PO4: the mapping as before
      ]);
      const posted = (await documentTimeline(db, doc.id)).find((e) => e.toState === 'posted')!;
      expect(posted.message).toContain(`line 1: in '${caseOf(4)}' (4 Units), not '${caseOf(12)}' (12 Units, odoo.units CA): the line orders cases of 4 (PO401 4)`);
      expect(posted.message).not.toMatch(/line [234]: in '/);
    });

    it('rejects a line in cases of 24 that no Odoo unit holds, naming the pack, the mapped unit and the fix; posts it once the unit exists', { timeout: TWO_WAITS_MS }, async () => {
      const doc = await settledDocument('850-packs-case-of-24-missing.edi');
      expect(doc.state).toBe('rejected');
      expect(doc.reason).toContain(`line 1: [${codes['PR-100']}] Trash Bags 33 gal is ordered in cases of 24 (PO401 24), but X12 unit 'CA' means Odoo unit '${caseOf(12)}', which holds 12 Units, and no active Odoo unit holds 24 Units`);
      expect(doc.reason).toContain(`posting 15 '${caseOf(12)}' would order 180 Units instead of 360 Units`);
      expect(doc.reason).toContain("The unit must exist in Odoo: create 'Case of 24' (Inventory > Configuration > Units of Measure");
      expect(doc.reason).toContain(version >= 19 ? "'Contains' 24, reference unit Units" : "type 'Bigger than the reference Unit of Measure', ratio 24");
      expect(doc.reason).not.toContain('line 2'); // cases of 12: nothing to fix
      expect(await client.search('sale.order', [['client_order_ref', '=', codes['PR-8102']]])).toEqual([]);

      await createPackUnit(caseOf(24), 24);
      await gateway.replayDocument(doc.id, 'test');
      await waitForGateway(db, 'PR-8102 posted', async () => (await getDocument(db, doc.id))?.state === 'posted', ['packrite']);
      expect(await postedLines(codes['PR-8102']!)).toEqual([
        [caseOf(24), 15, 27, '360 Units'],
        [caseOf(12), 6, 30, '72 Units'],
      ]);
    });
  });
}
