// A customer set up for outbound 855s, for the tests of a person's outbound actions and the CLI:
// FreshMart as `edi start` tests use it (test/support/freshmart.ts: partner files, master data in the
// Odoo double, the sample 850 FM-4500123), plus `documents.outbound: ['855']` and a folder outbox
// `<dataDir>/out/freshmart`. `postOrder` takes the sample 850 through the gateway into a confirmed
// sale order (the stored 850 the 855 answers). The gateway has no outbound option and no delivery
// loop: the tests build, resend and deliver (`deliver`) themselves, so every step is theirs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverDue } from '../../src/jobs/deliver.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { odooTarget } from '../../src/odoo/target.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import type { PartnerDirectory } from '../../src/partners/types.js';
import { createPool, databaseOf, type Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrations.js';
import type { TestDatabase } from '../support/db.js';
import { partnerOutboundChannels } from '../../src/transports/outbound.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { mappingsFrom, noMappings } from '../odoo/support/mappings.js';
import { runId, seedWorld, type World } from '../odoo/support/seed.js';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server.js';
import { sftpPartner } from '../transports/sftp/support.js';
import type { PurchaseOrder } from '../../src/documents/purchase-order.js';
import { storedInbound, type OutboundContext } from '../../src/jobs/outbound.js';
import { wakeChannel } from '../../src/jobs/queues.js';
import { silentLogger } from '../../src/logging/logger.js';
import { write850 } from '../../src/maps/850-purchase-order.js';
import { outboundInterchange } from '../../src/maps/outbound-interchange.js';
import { OUTBOUND_BUILDERS } from '../../src/odoo/builders/index.js';
import { odooOutboundSource } from '../../src/odoo/builders/source.js';
import type { Partner } from '../../src/partners/types.js';
import { listOutboundDocuments } from '../../src/store/index.js';
import type { OutboundDocumentRecord } from '../../src/store/types.js';
import { startSftpTransport } from '../../src/transports/sftp/index.js';
import { serializeInterchange } from '../../src/x12/writer.js';
import { FRESHMART_850, FRESHMART_PO, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';

const ROOT = join(import.meta.dirname, '..', '..');
const idOf = (v: unknown) => (Array.isArray(v) ? (v[0] as number) : (v as number));

export interface OutboundCustomer {
  double: OdooDouble;
  client: OdooClient;
  dataDir: string;
  /** The partners folder (what --partners names). */
  partnersDir: string;
  outbox: string;
  directory: PartnerDirectory;
  gateway: Gateway;
  /** ODOO_URL & co. of the double, as the CLI reads them. */
  env: NodeJS.ProcessEnv;
  /** Posts the sample 850 and returns the id of its confirmed sale order. */
  postOrder(): Promise<number>;
  /** One delivery sweep into the outbox. */
  deliver(): Promise<number[]>;
  /** The 855 files delivered, by name. */
  sent855(): string[];
  /** What buildOutbound and the outbound actions need, on this customer's double and partner files. */
  outboundContext(): OutboundContext;
  close(): Promise<void>;
}

export async function outboundCustomer(db: Database, version: 18 | 19): Promise<OutboundCustomer> {
  const double = await startOdooDouble({ version });
  const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
  await seedFreshmart(client);
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-outbound-'));
  const partnersDir = writeFreshmartPartners(dataDir, { outbound: ['855'] });
  const outbox = join(dataDir, 'out', 'freshmart');
  mkdirSync(outbox, { recursive: true });
  const env = { ODOO_URL: double.url, ODOO_DB: double.dbName, ODOO_USERNAME: double.login, ODOO_API_KEY: double.apiKey };
  const loaded = await loadPartners(partnersDir, env, { dataDir });
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const directory = partnerDirectory({ partners: loaded.partners, gateway: loaded.gateway });
  const gateway = await startGateway({
    db, partners: directory, pollIntervalMs: 200, jobExpireSeconds: 10, retry: { limit: 1, delaySeconds: 0, backoff: false },
    target: odooTarget({ client, partner: (c) => directory.get(c), productMappings: noMappings }),
  });
  const channels = partnerOutboundChannels({ directory, dataDir });
  return {
    double, client, dataDir, partnersDir, outbox, directory, gateway, env,
    async postOrder() {
      await gateway.intake({ partner: 'freshmart', channel: 'test', sourceName: 'po.edi', bytes: readFileSync(join(ROOT, FRESHMART_850)) });
      await gateway.idle(30_000);
      const [order] = await client.searchRead('sale.order', [['client_order_ref', '=', FRESHMART_PO]], { fields: ['state'] });
      if (order?.['state'] !== 'sale') throw new Error(`the sample 850 did not end in a confirmed sale order: ${JSON.stringify(order)}`);
      return order.id;
    },
    deliver: async () => (await deliverDue(db, { channels })).sent,
    sent855: () => readdirSync(outbox).filter((f) => f.includes('_855_')).sort(),
    outboundContext: () => ({
      db, queue: { channel: wakeChannel(db.schema) }, log: silentLogger, now: () => new Date(), partners: directory,
      source: odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS }),
    }),
    async close() {
      await gateway.stop();
      await double.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The whole outbound loop over a real SFTP server (issue 12): one in-process SFTP server on
// 127.0.0.1 is both partners' mailboxes (/<code>/inbox is theirs to read, /<code>/outbox theirs to
// write); the gateway polls each partner's outbox with its SFTP transport, so an 850 or a 997 a
// partner drops there comes in by itself, and delivers what it builds into their inbox.
// `supplier` gets our 850s (Odoo purchase orders); `retail` sends us 850s and gets 855, 856, 810.

export interface SftpOutboundLoop {
  /** The loop's own schema. */
  db: Database;
  double: OdooDouble;
  client: OdooClient;
  world: World;
  server: TestSftpServer;
  gateway: Gateway;
  supplier: Partner;
  retail: Partner;
  /** The retail customer's 850 dropped into its outbox; waits for its (draft) sale order: its id and line ids by sequence. */
  postOrder(po: PurchaseOrder): Promise<{ id: number; lines: number[] }>;
  /** Builds `model` `id` (a webhook hint), delivers, and waits for the new file of `setId` in the partner's inbox. */
  buildAndFetch(partner: Partner, setId: string, model: string, id: number): Promise<{ doc: OutboundDocumentRecord; text: string }>;
  /** The partner's 997 for `doc` dropped into its outbox; `rejection`: AK3/AK4 lines and AK5 R. Waits until the document leaves `sent`. */
  acknowledge(partner: Partner, doc: OutboundDocumentRecord, rejection?: string[]): Promise<OutboundDocumentRecord>;
  close(): Promise<void>;
}

const FUNCTIONAL_ID: Record<string, string> = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN' };
const X12_DELIMITERS = { element: '*', component: '>', repetition: '^', segment: '~' };

/** Polls `probe` until it gives a value, or fails after `ms` with `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One loop per Odoo version: each on its own schema of the file's database (`<schema>_odoo<version>`,
 * dropped with it), since the gateway keys outbound documents by Odoo record and the doubles' ids overlap.
 */
export async function sftpOutboundLoop(fileDb: TestDatabase, version: 18 | 19): Promise<SftpOutboundLoop> {
  const schema = `${fileDb.schema}_odoo${version}`;
  const pool = createPool(fileDb.url, 10, silentLogger);
  await migrate(pool, schema);
  const db = databaseOf(pool, fileDb.url, schema);
  const double = await startOdooDouble({ version });
  const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
  const world = await seedWorld(client, runId());
  // The ship-to of an 850 is our warehouse's address: it needs a GLN.
  const [company] = await client.searchRead('res.company', [], { fields: ['partner_id'], limit: 1 });
  await client.write('res.partner', [idOf(company!['partner_id'])], { barcode: '0614141999996' });
  const codes = [`supplier${version}`, `retail${version}`];
  const server = await startSftpServer({ folders: codes.flatMap((c) => [`/${c}/inbox`, `/${c}/outbox`, `/${c}/outbox/archive`]) });
  const mailbox = (code: string) => ({
    code, inbound: { folder: `/${code}/outbox`, pollSeconds: 1, archive: { action: 'move' as const, folder: `/${code}/outbox/archive` } }, outbound: { folder: `/${code}/inbox` },
  });
  const supplier: Partner = {
    ...sftpPartner(server, mailbox(codes[0]!)),
    documents: { inbound: ['997'], outbound: ['850'] },
    odoo: { partner: { ref: world.vendor.ref } },
  };
  const retail: Partner = {
    ...sftpPartner(server, mailbox(codes[1]!)),
    documents: { inbound: ['850', '997'], outbound: ['855', '856', '810'] },
    odoo: { partner: { ref: world.customer.ref } },
  };
  const directory = partnerDirectory({ partners: new Map([[supplier.code, supplier], [retail.code, retail]]) });
  // Line 3 of the sample 850 names the buyer's part: mapped to our almonds, as the builder tests do.
  const productMappings = mappingsFrom((code) => (code === `BUYER-ALM-${world.run}` ? world.products[2]!.defaultCode : undefined));
  const gateway = await startGateway({
    db, partners: directory, pollIntervalMs: 200, retry: { limit: 2, delaySeconds: 0, backoff: false },
    target: odooTarget({ client, partner: (c) => directory.get(c), productMappings }),
    delivery: { channels: partnerOutboundChannels({ directory, dataDir: server.root }), intervalMs: 200 },
    outbound: { source: odooOutboundSource({ client, partners: () => directory.all(), inbound: storedInbound(db), builders: OUTBOUND_BUILDERS }), pollSeconds: 0 },
  });
  const transports = [supplier, retail].map((p) => startSftpTransport(p, { db, intake: (input) => gateway.intake(input), log: silentLogger }));
  let icn = version * 1000;
  const interchange = (from: Partner, lines: string[]): string => {
    const n = ++icn;
    const isa = (id: string) => id.padEnd(15);
    return [
      `ISA*00*          *00*          *ZZ*${isa(from.identity.isa.id)}*ZZ*${isa(from.us.isa.id)}*261207*1200*U*00401*${String(n).padStart(9, '0')}*0*P*>~`,
      `GS*FA*${from.identity.gs}*${from.us.gs}*20261207*1200*${n}*X*004010~`, 'ST*997*0001~', ...lines, `SE*${lines.length + 2}*0001~`, `GE*1*${n}~`, `IEA*1*${String(n).padStart(9, '0')}~`,
    ].join('\n');
  };
  const documentOf = async (partner: Partner, setId: string, id: number) =>
    (await listOutboundDocuments(db, { partner: partner.code })).find((d) => d.setId === setId && d.sourceId === id);
  const seen = new Set<string>();

  return {
    db, double, client, world, server, gateway, supplier, retail,
    async postOrder(po) {
      const ic = outboundInterchange({
        setId: '850', version: '004010', from: retail.identity, to: retail.us, usage: 'P', ackRequested: false,
        controls: { interchange: ++icn, group: icn, set: icn }, now: new Date(),
      }, write850(po, '004010'));
      await server.put(`/${retail.code}/outbox/${po.poNumber}.edi`, serializeInterchange(ic, { delimiters: X12_DELIMITERS, lineBreak: '\n' }));
      const order = await until(`the sale order of ${po.poNumber}`, async () => {
        await gateway.idle(30_000);
        return (await client.searchRead('sale.order', [['client_order_ref', '=', po.poNumber]], { fields: ['order_line'] }))[0];
      });
      const lines = await client.read('sale.order.line', order['order_line'] as number[], ['sequence']);
      return { id: order.id, lines: lines.sort((a, b) => Number(a['sequence']) - Number(b['sequence'])).map((l) => l.id) };
    },
    async buildAndFetch(partner, setId, model, id) {
      await gateway.queueOutbound(model, id, 'webhook');
      await gateway.idle(30_000);
      await gateway.deliver();
      const doc = await until(`${setId} of ${model} ${id} sent`, async () => {
        const d = await documentOf(partner, setId, id);
        if (d && d.state !== 'built' && d.state !== 'sent') throw new Error(`${setId} of ${model} ${id} is ${d.state}: ${d.reason}`);
        return d?.state === 'sent' ? d : undefined;
      });
      let listed: string[] = [];
      const name = await until(`the ${setId} in /${partner.code}/inbox`, async () =>
        (listed = await server.ls(`/${partner.code}/inbox`)).find((f) => f.includes(`_${setId}_${doc.interchangeControl}_`) && !seen.has(f))).catch((e: Error) => {
        throw new Error(`${e.message} (there: ${listed.join(', ')})`);
      });
      seen.add(name);
      return { doc, text: (await server.get(`/${partner.code}/inbox/${name}`))!.toString('latin1') };
    },
    async acknowledge(partner, doc, rejection) {
      const ack = interchange(partner, [
        `AK1*${FUNCTIONAL_ID[doc.setId]}*${doc.groupControl}~`, `AK2*${doc.setId}*${doc.controlNumber}~`,
        ...(rejection ?? []), rejection ? 'AK5*R*5~' : 'AK5*A~', rejection ? 'AK9*R*1*1*0~' : 'AK9*A*1*1*1~',
      ]);
      await server.put(`/${partner.code}/outbox/997-${doc.setId}-${doc.controlNumber}.edi`, ack);
      return until(`the 997 for ${doc.setId} ${doc.controlNumber}`, async () => {
        await gateway.idle(30_000);
        const d = await documentOf(partner, doc.setId, doc.sourceId);
        return d && d.state !== 'sent' ? d : undefined;
      });
    },
    async close() {
      await Promise.all(transports.map((t) => t.stop()));
      await gateway.stop();
      await server.close();
      await double.close();
      await db.close();
    },
  };
}
