// Issue 11, prices in CTP and line-level dates: partner files of our own (test/odoo/files/) go
// through the whole gateway into the Odoo double. Prices only in CTP (several qualifiers, price
// breaks), a line with no usable price, line DTMs only; then the same under a partner whose file
// requires a document price (odoo.prices.missing: reject). Codes carry the run's suffix, so a
// real database can take the suite again and again.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/jobs/gateway.js';
import type { OdooClient } from '../../../src/odoo/client/client.js';
import { partnerDirectory } from '../../../src/partners/directory.js';
import type { OdooPartnerFile, Partner } from '../../../src/partners/types.js';
import { documentTimeline, listDocuments } from '../../../src/store/index.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders } from '../../transports/folder/support.js';
import { startOdooFolderGateway } from './end-to-end.js';
import type { EndToEndOdoo } from './end-to-end.js';
import { dropWithCodes, runCodes, waitForGateway } from './gateway-wait.js';
import { runId } from './seed.js';

const FILES = join(import.meta.dirname, '../files');
const FINAL = ['posted', 'rejected', 'failed', 'duplicate'];

export function linePricesAndDatesSuite(odoo: EndToEndOdoo): void {
  const db = useTestDatabase();
  let close: (() => Promise<void>) | undefined;
  let client: OdooClient;
  let gateway: Gateway;
  let running: { gateway: Gateway; stop(): Promise<void> } | undefined;
  const inboxes = new Map<string, string>();
  const listPrice = { 'NG-100': 5, 'NG-200': 12, 'NG-300': 24.5 } as const;
  const run = runId();
  // The codes in the files (not the interchange ids); the customer's Internal Reference is the run's too.
  const codes = runCodes(run, ['NGDC3', 'NG-100', 'NG-200', 'NG-300', 'NG-7001', 'NG-7002']);
  const customerRef = `NORTHGATE-${run}`;

  const partner = (code: string, isaId: string, settings: OdooPartnerFile): Partner => {
    const where = folders(`fidelity-${code}-`);
    mkdirSync(where.inbox, { recursive: true });
    inboxes.set(code, where.inbox);
    const base = folderPartner(where, { code, outbound: null });
    return { ...base, name: code, identity: { isa: { qualifier: 'ZZ', id: isaId }, gs: isaId }, us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' }, documents: { inbound: ['850'], outbound: [] }, odoo: settings };
  };

  beforeAll(async () => {
    const connection = await odoo.connect();
    close = connection.close;
    client = connection.client;
    const northgate = await client.create('res.partner', { name: `Northgate Home Centers ${run}`, ref: customerRef, is_company: true });
    await client.create('res.partner', { name: 'Northgate DC 3', parent_id: northgate, type: 'delivery', ref: codes['NGDC3'] });
    for (const [code, price] of Object.entries(listPrice)) await client.create('product.product', { name: code, default_code: codes[code], type: 'consu', list_price: price });
    const directory = partnerDirectory({
      partners: new Map([
        // Today's behavior by default: Odoo prices a line without a document price, and says so.
        ['northgate', partner('northgate', 'NORTHGATE', { partner: { ref: customerRef }, products: { match: ['defaultCode'] } })],
        ['ngstrict', partner('ngstrict', 'NGSTRICT', { partner: { ref: customerRef }, products: { match: ['defaultCode'] }, prices: { missing: 'reject' } })],
      ]),
    });
    running = await startOdooFolderGateway(db, directory, client);
    gateway = running.gateway;
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await close?.();
  });

  const settledDocument = async (code: string, file: string) => {
    dropWithCodes(join(FILES, file), inboxes.get(code)!, codes);
    await waitForGateway(db, `${code} document settled`, async () => {
      const docs = (await listDocuments(db, { partner: code, limit: 5 })).items;
      return docs.length === 1 && FINAL.includes(docs[0]!.state);
    }, [code]);
    return (await listDocuments(db, { partner: code, limit: 5 })).items[0]!;
  };

  describe(`850 prices in CTP and line dates into ${odoo.label}`, () => {
    it('posts the CTP price by qualifier, PO104 over CTP, and says per line where Odoo priced; commitment date = earliest line date', async () => {
      const doc = await settledDocument('northgate', '850-ctp-prices-line-dates.edi');
      expect(doc.state).toBe('posted');
      const [order] = await client.searchRead('sale.order', [['client_order_ref', '=', codes['NG-7001']]], { fields: ['order_line', 'commitment_date', 'note'] });
      // Line DTMs only: 002 2026-12-14, 010 2026-12-09, 002 2026-12-20 -> the earliest.
      expect(String(order!['commitment_date'])).toBe('2026-12-09 12:00:00');
      expect(String(order!['note'])).toContain('Requested dates per line: line 1 2026-12-14, line 2 2026-12-09, line 3 2026-12-20');
      const lines = await client.read('sale.order.line', order!['order_line'] as number[], ['sequence', 'price_unit', 'product_uom_qty']);
      lines.sort((a, b) => Number(a['sequence']) - Number(b['sequence']));
      expect(lines.map((l) => [l['product_uom_qty'], l['price_unit']])).toEqual([
        [24, 4.15], // CTP NET over CAT and RES
        [10, 10.8], // CTP CON, the price break of 10 (not 1, not 50)
        [5, listPrice['NG-300']], // CTP RES only: a shelf price, never ours -> Odoo's price
        [2, 7.25], // PO104 over CTP NET 6
      ]);
      const posted = (await documentTimeline(db, doc.id)).find((e) => e.toState === 'posted')!;
      expect(posted.message).toContain('(4 lines)');
      expect(posted.message).toContain("line 3: price from Odoo (list price or the customer's pricelist), not the document (no PO104, no usable CTP)");
      expect(posted.message).not.toMatch(/line [124]: price from Odoo/);
      expect(posted.message).toContain('commitment date 2026-12-09 from the earliest line date (no requested date in the heading)');
    });

    it('rejects, under odoo.prices.missing: reject, the order whose line has no document price, naming the line and the fix', async () => {
      const doc = await settledDocument('ngstrict', '850-no-price-strict-partner.edi');
      expect(doc.state).toBe('rejected');
      expect(doc.reason).toContain('line 3 (PO101 3)');
      expect(doc.reason).not.toMatch(/line [124] \(PO101/);
      expect(doc.reason).toContain('odoo.prices.missing: reject in partners/ngstrict.yaml');
      expect(doc.reason).toContain('set odoo.prices.missing: list-price');
      expect(await client.search('sale.order', [['client_order_ref', '=', codes['NG-7002']]])).toEqual([]);
    });
  });
}
