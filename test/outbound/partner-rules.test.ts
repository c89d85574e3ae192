// Issue 12, the partner file's outbound settings (documents.rules, partners/README.md#outbound-settings)
// through the outbound stage, with the Odoo 18 double and real PostgreSQL: the partner file is loaded
// from YAML as `edi start` loads it, a customer's 850 is posted into a confirmed sale order, its
// delivery validated in Odoo, and the stage builds what the file asks for, or holds it with the reason:
// the 856 hierarchy both ways, a required element missing then filled, a set in its own version.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../src/documents/purchase-order.js';
import { isError } from '../../src/errors/finding.js';
import { examineFile } from '../../src/inbound/examine.js';
import { buildOutbound, type OutboundContext, type OutboundResult } from '../../src/jobs/outbound.js';
import { wakeChannel } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logging/logger.js';
import { makeShipNoticeBuilder } from '../../src/odoo/builders/856-ship-notice.js';
import { OUTBOUND_BUILDERS } from '../../src/odoo/builders/index.js';
import { odooOutboundSource } from '../../src/odoo/builders/source.js';
import type { StoredInbound } from '../../src/odoo/builders/types.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { odooTarget } from '../../src/odoo/target.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import type { PartnerDirectory } from '../../src/partners/types.js';
import { listOutbound } from '../../src/store/index.js';
import type { OutboundDocumentRecord } from '../../src/store/types.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { envelopeFor, naturalKeyOf, purchaseOrder } from '../odoo/support/documents.js';
import { mappingsFrom } from '../odoo/support/mappings.js';
import { runId, seedWorld, type World } from '../odoo/support/seed.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));
const hierarchyOf = (x12: string) => x12.split('~').map((s) => s.trim()).filter((s) => s.startsWith('HL*')).map((s) => s.split('*')[3]).join('/');

describe('documents.rules through the outbound stage (Odoo 18 double, folder partner)', () => {
  let double: OdooDouble;
  let client: OdooClient;
  let world: World;
  let dataDir: string;
  let directory: PartnerDirectory;
  const stored = new Map<string, StoredInbound<PurchaseOrder>>();

  beforeAll(async () => {
    double = await startOdooDouble({ version: 18 });
    client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
    world = await seedWorld(client, runId());
    dataDir = mkdtempSync(join(tmpdir(), 'edi-rules-'));
    mkdirSync(join(dataDir, 'partners'));
  }, 60_000);
  afterAll(() => double?.close());

  /** partners/retail.yaml with these `documents.rules` (YAML flow mapping), loaded as `edi start` loads it. */
  const usePartnerFile = async (rules: string) => {
    writeFileSync(join(dataDir, 'partners', 'retail.yaml'), [
      'name: Retail',
      'mode: production',
      'identity: { isa: { qualifier: ZZ, id: RETAILBUY }, gs: RETAILBUY }',
      'us: { isa: { qualifier: ZZ, id: OURCO }, gs: OURCO }',
      'documents:',
      "  inbound: ['850', '997']",
      "  outbound: ['855', '856']",
      `  rules: ${rules}`,
      'transport: { type: folder, outbound: { folder: out/retail } }',
      `odoo: { partner: { ref: ${world.customer.ref} }, confirmOrders: true }`,
      '',
    ].join('\n'));
    const loaded = await loadPartners(join(dataDir, 'partners'), {}, { dataDir });
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    directory = partnerDirectory({ partners: loaded.partners });
  };

  const context = (): OutboundContext => ({
    db, queue: { channel: wakeChannel(db.schema) }, log: silentLogger, now: () => new Date(), partners: directory,
    source: odooOutboundSource({
      client, partners: () => directory.all(), inbound: { purchaseOrder: async (p, n) => stored.get(`${p}|${n}`) },
      builders: [...OUTBOUND_BUILDERS.filter((b) => b.kind !== '856'), makeShipNoticeBuilder({ companyPrefix: () => '0614141' })],
    }),
  });

  /** The customer's 850 posted (a confirmed sale order) and stored: the order's id and its delivery's id. */
  const post850 = async (tag: string): Promise<{ order: number; picking: number }> => {
    const po = purchaseOrder(world, `PO-${tag}-${world.run}`);
    const target = odooTarget({ client, partner: (c) => directory.get(c), productMappings: mappingsFrom((code) => (code === `BUYER-ALM-${world.run}` ? world.products[2]!.defaultCode : undefined)) });
    const envelope = envelopeFor('850');
    const result = await target.post({ documentId: stored.size + 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document: po, envelope });
    stored.set(`retail|${po.poNumber}`, { documentId: stored.size + 1, document: po });
    const order = Number(/^sale\.order\/(\d+)/.exec(result.ref)![1]);
    const [so] = await client.read('sale.order', [order], ['picking_ids', 'state']);
    expect(so!['state']).toBe('sale');
    return { order, picking: (so!['picking_ids'] as number[])[0]! };
  };

  /** Validates the delivery; `packed`: its goods in two weighed packages first. */
  const ship = async (picking: number, packed: boolean) => {
    if (packed) {
      const boxes = [await client.create('stock.quant.package', { shipping_weight: 18.5 }), await client.create('stock.quant.package', { shipping_weight: 7.25 })];
      const [p] = await client.read('stock.picking', [picking], ['move_ids']);
      const moves = await client.read('stock.move', p!['move_ids'] as number[], ['product_id', 'move_line_ids']);
      for (const move of moves) {
        const box = idOf(move['product_id']) === world.products[2]!.id ? boxes[1] : boxes[0];
        await client.write('stock.move.line', move['move_line_ids'] as number[], { result_package_id: box, picked: true });
      }
    }
    expect(await client.call('stock.picking', 'button_validate', [picking])).toBe(true);
  };

  const build = (model: string, recordId: number, kind: string) => buildOutbound(context(), { model, recordId, kind, via: 'webhook' });
  const held = (r: OutboundResult): OutboundDocumentRecord => {
    if (!('held' in r)) throw new Error(`not held: ${JSON.stringify(r)}`);
    return r.held;
  };
  /** The built document and the X12 queued for it (which must pass our spec). */
  const built = async (r: OutboundResult): Promise<{ doc: OutboundDocumentRecord; x12: string }> => {
    if (!('built' in r)) throw new Error(`not built: ${JSON.stringify(r)}`);
    const entry = (await listOutbound(db, { partner: 'retail' })).find((o) => o.id === r.built.outboundId)!;
    const x12 = String(entry.payload);
    expect(examineFile(x12).findings.filter(isError)).toEqual([]);
    return { doc: r.built, x12 };
  };

  it("856 hierarchy SOPI: a delivery without packages is held with what to do, never queued", async () => {
    await usePartnerFile("{ '856': { hierarchy: SOPI } }");
    const { picking } = await post850('SOPI');
    await ship(picking, false);
    const before = (await listOutbound(db, { partner: 'retail' })).length;
    const doc = held(await build('stock.picking', picking, '856'));
    expect(doc.state).toBe('held');
    expect(doc.reason).toMatch(/^delivery WH\/OUT\/\d+: its goods are in no package, but .*retail\.yaml asks for the 856 in S\/O\/P\/I \(documents\.rules\.856\.hierarchy: SOPI\): put them in packages/);
    expect(doc.outboundId).toBeNull();
    expect(await listOutbound(db, { partner: 'retail' })).toHaveLength(before);
  });

  it('856 hierarchy SOI: a delivery in packages goes out S/O/I, without pack levels or SSCCs', async () => {
    await usePartnerFile("{ '856': { hierarchy: SOI } }");
    const { picking } = await post850('SOI');
    await ship(picking, true);
    const { x12 } = await built(await build('stock.picking', picking, '856'));
    expect(hierarchyOf(x12)).toBe('S/O/I/I/I');
    expect(x12).toContain('BSN*00*');
    expect(x12).toMatch(/BSN\*00\*[^~]*\*0004~/);
    expect(x12).not.toContain('MAN*GM*');
    // The same delivery for a partner on auto (the default) would be S/O/P/I: the rule made the difference.
    await usePartnerFile('{}');
    const { picking: other } = await post850('AUTO');
    await ship(other, true);
    expect(hierarchyOf((await built(await build('stock.picking', other, '856'))).x12)).toBe('S/O/P/I/I/P/I');
  });

  it("a required element the built 856 lacks holds it, naming the element, the partner's rule and the Odoo field; filled, it builds", async () => {
    await usePartnerFile("{ '856': { require: ['TD1-07', 'REF*CN-02'] } }");
    const { picking } = await post850('REQ');
    await ship(picking, false);
    const doc = held(await build('stock.picking', picking, '856'));
    expect(doc.reason).toMatch(/^the built 856 lacks what .*retail\.yaml requires \(documents\.rules\.856\.require\): /);
    // Every missing one at once (a loose delivery without weight writes no TD1), each with its Odoo field.
    expect(doc.reason).toContain("'TD1-07' = TD107 (Weight): no TD1 segment was written (it comes from the delivery's weight (stock.picking shipping_weight, else weight; Odoo computes it from its packages' and products' weights)); ");
    expect(doc.reason).toContain("'REF*CN-02' = REF02 (Reference Identification) of REF*CN: no REF*CN segment was written (it comes from the delivery's tracking reference (stock.picking carrier_tracking_ref)); fill it in Odoo, then build again");

    // One filled: held again, naming only the other. Odoo computes the delivery's weight from its
    // products' (a write to shipping_weight changes nothing, as on a real 18): 120 x 0.2 + 15.5 x 0.13 = 26.015, sent as 26.02.
    const weigh = (kg: number[]) => Promise.all(kg.map((w, i) => client.write('product.product', [world.products[i]!.id], { weight: w })));
    await client.write('stock.picking', [picking], { shipping_weight: 26 });
    expect(held(await build('stock.picking', picking, '856')).reason).toContain('TD1-07');
    await weigh([0.2, 0, 0.13]);
    const still = held(await build('stock.picking', picking, '856'));
    expect(still.reason).not.toContain('TD1-07');
    expect(still.reason).toContain("'REF*CN-02'");

    await client.write('stock.picking', [picking], { carrier_tracking_ref: '1Z999AA10123456784' });
    const { doc: again, x12 } = await built(await build('stock.picking', picking, '856'));
    expect(again.id).toBe(doc.id);
    expect(x12).toContain('REF*CN*1Z999AA10123456784~');
    expect(x12).toMatch(/~\s*TD1\*{6}G\*26\.02\*KG~/);
    await weigh([0, 0, 0]);
  });

  it("a set's own version: the 855 written and enveloped in 005010 while x12.version stays 004010", async () => {
    await usePartnerFile("{ '855': { version: '005010' } }");
    expect(directory.get('retail')!.x12.version).toBe('004010');
    const { order } = await post850('V5');
    const { doc, x12 } = await built(await build('sale.order', order, '855'));
    expect(x12).toMatch(/^ISA\*(?:[^*]*\*){10}\^\*00501\*/);
    expect(x12).toContain(`GS*PR*OURCO*RETAILBUY*`);
    expect(x12).toContain(`*${doc.groupControl}*X*005010~`);
    const read = examineFile(x12);
    expect(read.sets[0]!.envelope).toMatchObject({ transactionSetId: '855', version: '005010' });
  });
});
