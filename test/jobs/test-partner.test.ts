// Test mode (mode: test) through the whole gateway, with real PostgreSQL, real partner files and
// folders, and the Odoo 19 double: a test partner's 850 is stored, validated, mapped and answered
// with a 997 in the store, then cancelled with what the dry run would have made (no sale order
// created), and its 997 stays unsent; a production partner's same 850 posts and its 997 is delivered.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/jobs/gateway.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { odooRehearsal } from '../../src/odoo/dry-run.js';
import { odooTarget, type OdooTargetOptions } from '../../src/odoo/target.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import { documentTimeline, mappedProductCodes } from '../../src/store/index.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import { partnerOutboundChannels } from '../../src/transports/outbound.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { FRESHMART_850, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';
import { bytes, documentsOf, testGateway } from './support.js';

const db = useTestDatabase();
let odoo: OdooDouble;
let gateway: Gateway;
let dataDir: string;
const sample = readFileSync(FRESHMART_850, 'latin1');
const READS = ['search', 'search_read', 'read', 'fields_get', 'search_count', 'name_search'];
const writes = () => odoo.calls.filter((c) => !READS.includes(c.method)).length;
const outFolder = (code: string) => join(dataDir, 'out', code);
const filesIn = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

beforeAll(async () => {
  odoo = await startOdooDouble({ version: 19 });
  const client = createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey });
  await seedFreshmart(client);
  dataDir = mkdtempSync(join(tmpdir(), 'test-partner-'));
  const partners = writeFreshmartPartners(dataDir, { outbound: ['855'] });
  // The same customer under a second id, in test mode, with an outbound folder of its own.
  writeFileSync(join(partners, 'freshtest.yaml'), readFileSync(join(partners, 'freshmart.yaml'), 'utf8')
    .replaceAll('id: FRESHMART }', 'id: FRESHTEST }').replace('gs: FRESHMART', 'gs: FRESHTEST')
    .replaceAll('/freshmart', '/freshtest').replace('name: FreshMart', 'name: FreshMart (test)\nmode: test'));
  for (const code of ['freshmart', 'freshtest']) mkdirSync(outFolder(code), { recursive: true });
  const loaded = await loadPartners(partners, {}, { dataDir });
  expect(loaded.errors).toEqual([]);
  const directory = partnerDirectory(loaded);
  expect(directory.get('freshtest')?.mode).toBe('test');
  const options: OdooTargetOptions = { client, partner: (code) => directory.get(code), productMappings: (p, codes) => mappedProductCodes(db, p, codes), cacheSeconds: 0 };
  gateway = await testGateway(db, {
    partners: directory, target: odooTarget(options), rehearse: odooRehearsal(options),
    delivery: { channels: partnerOutboundChannels({ directory, dataDir }), intervalMs: 100 },
  });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await odoo?.close();
});

describe('a partner in test mode', () => {
  it('is processed and acknowledged in the store, but its 850 is not posted (the dry run says what it would make) and its 997 is not sent', async () => {
    const orders = odoo.db.records('sale.order').length;
    const before = writes();
    const r = await gateway.intake({ partner: 'freshtest', channel: 'test', sourceName: 'test-850.edi', bytes: bytes(sample.replaceAll('FRESHMART      *', 'FRESHTEST      *').replace('GS*PO*FRESHMART*', 'GS*PO*FRESHTEST*')) });
    await gateway.idle(30_000);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ setId: '850', state: 'cancelled', documentType: 'purchase_order' });
    expect(doc!.reason).toMatch(/^test partner freshtest: not posted \(dry run: would create sale\.order \(new 1\) .*"client_order_ref":"FM-4500123"/);
    expect(doc!.reason).toContain('would call action_confirm on sale.order (new 1)');
    expect(doc!.findings).toContainEqual(expect.objectContaining({ code: 'PARTNER_TEST_MODE', severity: 'warning' }));
    const timeline = await documentTimeline(db, doc!.id);
    expect(timeline.map((e) => [e.stage, e.toState])).toEqual([['split', 'parsed'], ['validate', 'validated'], ['map', 'mapped'], ['post', 'cancelled']]);
    expect(timeline.at(-1)!.details).toMatchObject({ mode: 'test', dryRun: { outcome: 'would-post' } });
    // Odoo untouched.
    expect(odoo.db.records('sale.order').length).toBe(orders);
    expect(writes()).toBe(before);

    // Its 997 is built and kept, never delivered.
    const result = await gateway.deliver();
    const [ack] = await listOutbound(db, { fileId: r.fileId });
    expect(ack).toMatchObject({ kind: '997', state: 'ready', sentAt: null });
    expect(ack!.payload).toMatch(/AK9\*A\*1\*1\*1/);
    expect(ack!.reason).toBe('waiting: partner freshtest is in test mode (mode: test in freshtest.yaml): nothing is sent to it');
    expect(result.sent).not.toContain(ack!.id);
    expect(filesIn(outFolder('freshtest'))).toEqual([]);
  });

  it('leaves a production partner alone: its 850 posts and its 997 is delivered', async () => {
    const orders = odoo.db.records('sale.order').length;
    const r = await gateway.intake({ partner: 'freshmart', channel: 'test', sourceName: 'prod-850.edi', bytes: bytes(sample) });
    await gateway.idle(30_000);
    const [doc] = await documentsOf(db, r.fileId);
    expect(doc).toMatchObject({ state: 'posted' });
    expect(doc!.targetRef).toMatch(/^sale\.order\/\d+/);
    expect(odoo.db.records('sale.order').length).toBe(orders + 1);
    await gateway.deliver();
    const [ack] = await listOutbound(db, { fileId: r.fileId });
    expect(ack).toMatchObject({ kind: '997', state: 'sent' });
    expect(filesIn(outFolder('freshmart'))).toHaveLength(1);
    expect(filesIn(outFolder('freshtest'))).toEqual([]);
  });
});
