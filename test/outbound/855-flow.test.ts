// Issue 12, the whole loop for the 855 with the Odoo 18 double and a folder partner: a customer's 850
// goes in and is posted as a confirmed sale order; a webhook (or the poller, when the webhook was lost)
// queues the 855 build, which is numbered from the partner's counters, checked against our spec,
// delivered into the partner's folder and recorded `sent`; the customer's 997 for it marks it
// `acknowledged`. Repeated hints never send it twice.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../src/documents/purchase-order.js';
import { createHttpServer } from '../../src/http/server.js';
import { odooHookRoutes } from '../../src/http/odoo-hooks.js';
import { examineFile } from '../../src/inbound/examine.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { storedInbound } from '../../src/jobs/outbound.js';
import { write850 } from '../../src/maps/850-purchase-order.js';
import { outboundInterchange } from '../../src/maps/outbound-interchange.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { OUTBOUND_BUILDERS } from '../../src/odoo/builders/index.js';
import { odooOutboundSource } from '../../src/odoo/builders/source.js';
import { odooTarget } from '../../src/odoo/target.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import type { Partner } from '../../src/partners/types.js';
import { listOutbound, listOutboundDocuments, outboundDocumentTimeline } from '../../src/store/index.js';
import { partnerOutboundChannels } from '../../src/transports/outbound.js';
import { silentLogger } from '../../src/logging/logger.js';
import { serializeInterchange } from '../../src/x12/writer.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { noMappings } from '../odoo/support/mappings.js';
import { runId, seedPurchaseOrder, seedWorld, type World } from '../odoo/support/seed.js';
import { useTestDatabase } from '../support/db.js';
import { folderPartner, folders } from '../transports/folder/support.js';

const db = useTestDatabase();
const DELIMITERS = { element: '*', component: '>', repetition: '^', segment: '~' };

describe('855 from Odoo events, end to end (Odoo 18 double, folder partner)', () => {
  let double: OdooDouble;
  let client: OdooClient;
  let world: World;
  let gateway: Gateway;
  let partner: Partner;
  let outbox: string;
  let icn = 100;

  beforeAll(async () => {
    double = await startOdooDouble({ version: 18 });
    client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
    world = await seedWorld(client, runId());
    const where = folders('outbound-855-');
    outbox = where.outbox;
    mkdirSync(outbox, { recursive: true });
    partner = {
      ...folderPartner(where, { code: 'retail', inbound: null }),
      name: 'Retail',
      identity: { isa: { qualifier: 'ZZ', id: 'RETAILBUY' }, gs: 'RETAILBUY' },
      us: { isa: { qualifier: 'ZZ', id: 'OURCO' }, gs: 'OURCO' },
      documents: { inbound: ['850', '997'], outbound: ['855'] },
      odoo: { partner: { ref: world.customer.ref }, confirmOrders: true },
    };
    const directory = partnerDirectory({ partners: new Map([['retail', partner]]) });
    const source = odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS });
    gateway = await startGateway({
      db, partners: directory, pollIntervalMs: 200, retry: { limit: 2, delaySeconds: 0, backoff: false },
      target: odooTarget({ client, partner: (c) => directory.get(c), productMappings: noMappings }),
      delivery: { channels: partnerOutboundChannels({ directory, dataDir: where.root }), intervalMs: 200 },
      outbound: { source, pollSeconds: 0 },
    });
    // The poller's first look starts its cursor: orders confirmed before it are history.
    await gateway.pollOdoo();
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await double?.close();
  });

  /** The customer's 850 for `lines` of the seeded products, as the customer's system would write it. */
  const order850 = (poNumber: string, lines: number): { po: PurchaseOrder; bytes: Buffer } => {
    const po = PurchaseOrderSchema.parse({
      purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber, poDate: '2026-12-01',
      dates: [{ qualifier: '002', date: '2026-12-20' }],
      parties: [{ role: 'ship_to', entityCode: 'ST', name: world.shipTo.name, ids: { gln: world.shipTo.gln } }],
      lines: Array.from({ length: lines }, (_, i) => ({ lineNumber: String(i + 1), quantity: 10 * (i + 1), unit: 'EA', unitPrice: world.products[i]!.price, productIds: { vendorPart: world.products[i]!.defaultCode } })),
    });
    const ic = outboundInterchange({
      setId: '850', version: '004010', from: partner.identity, to: partner.us, usage: 'P', ackRequested: false,
      controls: { interchange: ++icn, group: icn, set: icn }, now: new Date(),
    }, write850(po, '004010'));
    return { po, bytes: Buffer.from(serializeInterchange(ic, { delimiters: DELIMITERS, lineBreak: '\n' }), 'latin1') };
  };

  /** Drops an 850, waits for its sale order (confirmed by the posting), returns the order's id. */
  const postOrder = async (poNumber: string, lines: number): Promise<number> => {
    const { bytes } = order850(poNumber, lines);
    await gateway.intake({ partner: 'retail', channel: 'test', sourceName: `${poNumber}.edi`, bytes });
    await gateway.idle(30_000);
    const [order] = await client.searchRead('sale.order', [['client_order_ref', '=', poNumber]], { fields: ['state'] });
    expect(order?.['state']).toBe('sale');
    return order!.id;
  };

  const sentFiles = () => readdirSync(outbox).filter((f) => f.includes('_855_'));
  const documentsOf = async (recordId: number) => (await listOutboundDocuments(db, { partner: 'retail' })).filter((d) => d.sourceId === recordId);

  it('a webhook hint builds the 855, numbered and checked, delivers it, and the customer\'s 997 marks it acknowledged', async () => {
    const poNumber = `PO-${world.run}-1`;
    const orderId = await postOrder(poNumber, 2);
    expect(await gateway.queueOutbound('sale.order', orderId, 'webhook')).toBe(1);
    await gateway.idle(30_000);
    await gateway.deliver();

    const [doc] = await documentsOf(orderId);
    expect(doc).toMatchObject({ setId: '855', state: 'sent', sourceModel: 'sale.order', generation: 1 });
    expect(doc!.ackDueAt!.getTime() - doc!.sentAt!.getTime()).toBe(24 * 3600 * 1000);
    const [file] = sentFiles();
    const text = readFileSync(join(outbox, file!), 'latin1');
    // What the customer receives passes our own 855 spec and reads back as the answer to its PO.
    const read = examineFile(text);
    expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const set = read.sets[0]!;
    expect(set.document).toMatchObject({ poNumber, lines: [{ lineNumber: '1' }, { lineNumber: '2' }] });
    expect(set.envelope).toMatchObject({ transactionSetId: '855', transactionControlNumber: doc!.controlNumber, interchangeControlNumber: doc!.interchangeControl, receiverId: 'RETAILBUY' });
    expect(text).toContain(`GS*PR*OURCO*RETAILBUY*`);
    expect(text).toContain(`*${doc!.groupControl}*X*004010~`);
    expect(text).toMatch(/^ISA\*00\* {10}\*00\* {10}\*ZZ\*OURCO {10}\*ZZ\*RETAILBUY /);

    // The customer's 997 for our group and set.
    const ack = [
      `ISA*00*          *00*          *ZZ*RETAILBUY      *ZZ*OURCO          *261207*1200*U*00401*${String(++icn).padStart(9, '0')}*0*P*>~`,
      `GS*FA*RETAILBUY*OURCO*20261207*1200*${icn}*X*004010~`, 'ST*997*0001~', `AK1*PR*${doc!.groupControl}~`, `AK2*855*${doc!.controlNumber}~`, 'AK5*A~', 'AK9*A*1*1*1~', 'SE*6*0001~', `GE*1*${icn}~`, `IEA*1*${String(icn).padStart(9, '0')}~`,
    ].join('\n');
    await gateway.intake({ partner: 'retail', channel: 'test', sourceName: '997.edi', bytes: Buffer.from(ack, 'latin1') });
    await gateway.idle(30_000);
    const [acknowledged] = await documentsOf(orderId);
    expect(acknowledged!.state).toBe('acknowledged');
    const timeline = await outboundDocumentTimeline(db, doc!.id);
    expect(timeline.map((e) => e.toState)).toEqual(['built', 'sent', 'acknowledged']);
    expect(timeline[0]!.message).toContain(`ISA13 ${doc!.interchangeControl}`);
  });

  it('repeated hints (webhooks, the poller) never build or send a document twice', async () => {
    const orderId = await postOrder(`PO-${world.run}-2`, 1);
    const before = sentFiles().length;
    await Promise.all([gateway.queueOutbound('sale.order', orderId, 'webhook'), gateway.queueOutbound('sale.order', orderId, 'webhook'), gateway.queueOutbound('sale.order', orderId, 'webhook')]);
    await gateway.idle(30_000);
    await gateway.queueOutbound('sale.order', orderId, 'webhook');
    await gateway.idle(30_000);
    await gateway.deliver();
    expect(await documentsOf(orderId)).toHaveLength(1);
    expect((await listOutbound(db, { partner: 'retail' })).filter((o) => o.kind === '855' && o.sourceKey?.startsWith(`odoo:sale.order:${orderId}:`))).toHaveLength(1);
    expect(sentFiles().length).toBe(before + 1);
  });

  it('two gateway processes on one database: each record built and sent once, no control number used twice', async () => {
    const directory = partnerDirectory({ partners: new Map([['retail', partner]]) });
    const other = await startGateway({
      db, partners: directory, pollIntervalMs: 200, retry: { limit: 2, delaySeconds: 0, backoff: false },
      target: odooTarget({ client, partner: (c) => directory.get(c), productMappings: noMappings }),
      outbound: { source: odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS }), pollSeconds: 0 },
    });
    try {
      const orders: number[] = [];
      for (let i = 0; i < 6; i++) orders.push(await postOrder(`PO-${world.run}-two-${i}`, 1));
      // Every record named to both processes, twice each.
      await Promise.all(orders.flatMap((id) => [gateway, other, gateway, other].map((g) => g.queueOutbound('sale.order', id, 'webhook'))));
      await Promise.all([gateway.idle(30_000), other.idle(30_000)]);
    } finally {
      await other.stop();
    }
    const all = (await listOutboundDocuments(db, { partner: 'retail', limit: 1000 })).filter((d) => d.state !== 'held');
    const bySource = new Map<number, number>();
    for (const d of all) bySource.set(d.sourceId, (bySource.get(d.sourceId) ?? 0) + 1);
    expect([...bySource.values()].every((n) => n === 1)).toBe(true);
    for (const numbers of [all.map((d) => d.interchangeControl), all.map((d) => d.groupControl), all.map((d) => d.controlNumber)]) {
      expect(new Set(numbers).size).toBe(all.length);
    }
  });

  it('the poller finds a confirmed order whose webhook never came, once', async () => {
    const orderId = await postOrder(`PO-${world.run}-3`, 1);
    expect(await documentsOf(orderId)).toEqual([]);
    const queued = await gateway.pollOdoo();
    // The orders answered above changed since the cursor too, but are known: only the new one is queued.
    expect(queued['855']).toBe(1);
    await gateway.idle(30_000);
    await gateway.deliver();
    expect((await documentsOf(orderId)).map((d) => d.state)).toEqual(['sent']);
    expect((await gateway.pollOdoo())['855'] ?? 0).toBe(0);
  });

  it('a draft order gets no 855', async () => {
    const id = await client.create('sale.order', { partner_id: world.customer.id, client_order_ref: `PO-${world.run}-draft` });
    await gateway.queueOutbound('sale.order', id, 'webhook');
    await gateway.idle(30_000);
    expect(await documentsOf(id)).toEqual([]);
  });
});

describe('850 to a supplier from a confirmed purchase order (Odoo 18 double): held until Odoo has what the 850 needs', () => {
  let double: OdooDouble;
  let client: OdooClient;
  let world: World;
  let gateway: Gateway;
  let outbox: string;

  beforeAll(async () => {
    double = await startOdooDouble({ version: 18 });
    client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
    world = await seedWorld(client, runId());
    const where = folders('outbound-850-');
    outbox = where.outbox;
    mkdirSync(outbox, { recursive: true });
    const supplier: Partner = {
      ...folderPartner(where, { code: 'supplier', inbound: null }),
      name: 'Supplier',
      identity: { isa: { qualifier: 'ZZ', id: 'SUPPLIER' }, gs: 'SUPPLIER' },
      us: { isa: { qualifier: 'ZZ', id: 'OURCO' }, gs: 'OURCO' },
      documents: { inbound: ['997'], outbound: ['850'] },
      odoo: { partner: { ref: world.vendor.ref } },
    };
    const directory = partnerDirectory({ partners: new Map([['supplier', supplier]]) });
    const source = odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS });
    gateway = await startGateway({
      db, partners: directory, pollIntervalMs: 200, retry: { limit: 2, delaySeconds: 0, backoff: false },
      delivery: { channels: partnerOutboundChannels({ directory, dataDir: where.root }), intervalMs: 200 },
      outbound: { source, pollSeconds: 0 },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await double?.close();
  });

  it('holds the 850 with what to fill in Odoo, and sends it once that is done and the record is built again', async () => {
    const po = await seedPurchaseOrder(client, world, `P-${world.run}`, [12, 5]);
    await gateway.queueOutbound('purchase.order', po.id, 'webhook');
    await gateway.idle(30_000);
    const [held] = (await listOutboundDocuments(db, { partner: 'supplier' })).filter((d) => d.sourceId === po.id);
    // The seeded warehouse's address (our company) has no GLN: the ship-to of an 850 needs one.
    expect(held).toMatchObject({ state: 'held', setId: '850', controlNumber: null, outboundId: null });
    expect(held!.reason).toMatch(/GLN/);
    expect(readdirSync(outbox)).toEqual([]);
    // Nothing was numbered or queued for a held document.
    expect((await listOutbound(db, { partner: 'supplier' }))).toEqual([]);

    const [company] = await client.searchRead('res.company', [], { fields: ['partner_id'], limit: 1 });
    await client.write('res.partner', [Array.isArray(company!['partner_id']) ? company!['partner_id'][0] as number : company!['partner_id'] as number], { barcode: '0614141999996' });
    await gateway.queueOutbound('purchase.order', po.id, 'replay');
    await gateway.idle(30_000);
    await gateway.deliver();
    const [sent] = (await listOutboundDocuments(db, { partner: 'supplier' })).filter((d) => d.sourceId === po.id);
    expect(sent).toMatchObject({ id: held!.id, state: 'sent', reason: null });
    const [file] = readdirSync(outbox);
    const read = examineFile(readFileSync(join(outbox, file!), 'latin1'));
    expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(read.sets[0]!.document).toMatchObject({ poNumber: po.name, lines: [{ quantity: 12 }, { quantity: 5 }], parties: expect.arrayContaining([expect.objectContaining({ role: 'ship_to', ids: expect.objectContaining({ gln: '0614141999996' }) })]) });
    expect((await outboundDocumentTimeline(db, held!.id)).map((e) => e.toState)).toEqual(['held', 'built', 'sent']);
  });
});

describe('POST /hooks/odoo/<token>', () => {
  const queued: Array<[string, number]> = [];
  const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  server.register(odooHookRoutes({ token: () => 's3cret-token', queue: async (model, id) => (queued.push([model, id]), 1), log: silentLogger }));

  it('queues the record named by an Odoo webhook with the right token', async () => {
    const answer = await server.app.inject({ method: 'POST', url: '/hooks/odoo/s3cret-token', payload: { _action: 'Send Webhook Notification(#7)', _id: 42, _model: 'sale.order', state: 'sale' } });
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toEqual({ queued: 1 });
    expect(queued).toEqual([['sale.order', 42]]);
  });

  it('refuses a wrong or missing token as an unknown path, and a body without _model and _id', async () => {
    for (const url of ['/hooks/odoo/wrong', '/hooks/odoo/s3cret-tokenX', '/hooks/odoo/']) {
      const answer = await server.app.inject({ method: 'POST', url, payload: { _id: 1, _model: 'sale.order' } });
      expect(answer.statusCode).toBe(404);
    }
    const bad = await server.app.inject({ method: 'POST', url: '/hooks/odoo/s3cret-token', payload: { id: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(queued).toHaveLength(1);
  });

  it('refuses everything while no token is configured', async () => {
    const closed = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    closed.register(odooHookRoutes({ token: () => undefined, queue: async () => 1, log: silentLogger }));
    expect((await closed.app.inject({ method: 'POST', url: '/hooks/odoo/anything', payload: { _id: 1, _model: 'sale.order' } })).statusCode).toBe(404);
  });
});


