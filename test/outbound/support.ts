// A customer set up for outbound 855s, for the tests of a person's outbound actions and the CLI:
// FreshMart as `edi start` tests use it (test/support/freshmart.ts: partner files, master data in the
// Odoo double, the sample 850 FM-4500123), plus `documents.outbound: ['855']` and a folder outbox
// `<dataDir>/out/freshmart`. `postOrder` takes the sample 850 through the gateway into a confirmed
// sale order (the stored 850 the 855 answers). The gateway has no outbound option and no delivery
// loop: the tests build, resend and deliver (`deliver`) themselves, so every step is theirs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverDue } from '../../src/jobs/deliver.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { odooTarget } from '../../src/odoo/target.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import type { PartnerDirectory } from '../../src/partners/types.js';
import type { Database } from '../../src/store/database.js';
import { partnerOutboundChannels } from '../../src/transports/outbound.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { noMappings } from '../odoo/support/mappings.js';
import { FRESHMART_850, FRESHMART_PO, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';

const ROOT = join(import.meta.dirname, '..', '..');

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
  close(): Promise<void>;
}

export async function outboundCustomer(db: Database, version: 18 | 19): Promise<OutboundCustomer> {
  const double = await startOdooDouble({ version });
  const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
  await seedFreshmart(client);
  const dataDir = mkdtempSync(join(tmpdir(), 'edi-outbound-'));
  const partnersDir = writeFreshmartPartners(dataDir);
  const file = join(partnersDir, 'freshmart.yaml');
  const yaml = readFileSync(file, 'utf8')
    .replace("documents: { inbound: ['850'] }", "documents: { inbound: ['850', '997'], outbound: ['855'] }")
    .replace(/^( {2}inbound: .*)$/m, '$1\n  outbound: { folder: out/freshmart }');
  if (!yaml.includes("outbound: ['855']") || !yaml.includes('out/freshmart')) throw new Error(`freshmart.yaml changed shape:\n${yaml}`);
  writeFileSync(file, yaml);
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
    async close() {
      await gateway.stop();
      await double.close();
    },
  };
}
