// edi partners test CODE FILES...: FreshMart's sample 850 and broken variants through its partner
// file's checks, validation, mapping, the dry run against the Odoo 19 double, and the 997 we would
// send; exit codes 0/1/2/3; nothing written to Odoo, the store or the partner's mailbox.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnersTestCommand } from '../../src/cli/commands/partner-test.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { listDocuments } from '../../src/store/index.js';
import { listOutbound } from '../../src/store/outbound-repo.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { FRESHMART_850, seedFreshmart, writeFreshmartPartners } from '../support/freshmart.js';

const db = useTestDatabase();
let odoo: OdooDouble;
let env: Record<string, string>;
let dataDir: string;
let partners: string;
const sample = readFileSync(FRESHMART_850, 'latin1');
const READS = ['search', 'search_read', 'read', 'fields_get', 'search_count', 'name_search'];
const writes = () => odoo.calls.filter((c) => !READS.includes(c.method)).length;

beforeAll(async () => {
  odoo = await startOdooDouble({ version: 19 });
  await seedFreshmart(createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey }));
  env = { ODOO_URL: odoo.url, ODOO_DB: odoo.dbName, ODOO_USERNAME: odoo.login, ODOO_API_KEY: odoo.apiKey };
  dataDir = mkdtempSync(join(tmpdir(), 'partners-test-'));
  // With an outbound folder: the test must leave it empty.
  partners = writeFreshmartPartners(dataDir, { outbound: ['855'] });
  mkdirSync(join(dataDir, 'out', 'freshmart'), { recursive: true });
}, 60_000);
afterAll(async () => {
  await odoo?.close();
});

function file(name: string, text: string): string {
  const path = join(dataDir, name);
  writeFileSync(path, text, 'latin1');
  return path;
}

async function test(code: string, files: string[], options: { json?: boolean; odoo?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await partnersTestCommand(code, files, { partners, dataDir, ...(options.json ? { json: true } : {}) }, { out: (t) => void out.push(t), err: (t) => void err.push(t) }, options.odoo === false ? undefined : db, options.odoo === false ? {} : env);
  return { exit, out: out.join('\n'), err: err.join('\n') };
}

describe('edi partners test', () => {
  it('a good 850: valid, mapped, the sale order the dry run would create, the 997 we would send; exit 0 and nothing written', async () => {
    const orders = odoo.db.records('sale.order').length;
    const before = writes();
    const r = await test('freshmart', [FRESHMART_850]);
    expect(r.err).toBe('');
    expect(r.exit).toBe(0);
    expect(r.out).toContain('partner freshmart (production mode)');
    expect(r.out).toContain(`dry run against ${odoo.url} (reads only)`);
    expect(r.out).toContain('850-grocery-gln-allowances.edi: VALID');
    expect(r.out).toMatch(/850 0001 -> purchase_order: dry run would-post\n {4}would create sale\.order \(new 1\) .*"client_order_ref":"FM-4500123"/);
    expect(r.out).toContain('would call action_confirm on sale.order (new 1)');
    expect(r.out).toContain('acknowledgment we would send (997):');
    expect(r.out).toMatch(/ISA\*00\*.*\*ZZ\*ACMEDIST {7}\*ZZ\*FRESHMART {6}\*.*\n/);
    expect(r.out).toMatch(/AK1\*PO\*4512/);
    expect(r.out).toMatch(/AK9\*A\*1\*1\*1/);
    // Nothing written anywhere.
    expect(odoo.db.records('sale.order').length).toBe(orders);
    expect(writes()).toBe(before);
    expect((await listDocuments(db, {})).items).toEqual([]);
    expect(await listOutbound(db, {})).toEqual([]);
    expect(readdirSync(join(dataDir, 'out', 'freshmart'))).toEqual([]);
  });

  it('without ODOO_URL: the Odoo part is skipped, and says why', async () => {
    const r = await test('freshmart', [FRESHMART_850], { odoo: false });
    expect(r.exit).toBe(0);
    expect(r.out).toContain('Odoo: skipped: ODOO_URL is not set');
    expect(r.out).toContain('850 0001 -> purchase_order: would be posted (Odoo dry run skipped)');
    expect(r.out).toContain('acknowledgment we would send (997):');
  });

  it('a master-data gap: the dry run says where the posting would stop; exit 1', async () => {
    const gap = file('gap.edi', sample.replace('UP*012345678905*UK*10012345678902*VN*AC-1001', 'UP*099999999993*VN*AC-9999'));
    const r = await test('freshmart', [gap]);
    expect(r.exit).toBe(1);
    expect(r.out).toContain('gap.edi: VALID');
    expect(r.out).toMatch(/dry run would-stop\n(.*\n)* {4}would stop: .*\[ODOO_MASTER_DATA_GAP\]/);
  });

  it("an interchange from someone else and a set that is invalid: the partner file's check, the validation, the 997 that rejects; exit 1", async () => {
    const stranger = file('stranger.edi', sample.replaceAll('FRESHMART      *', 'SOMEONEELSE    *'));
    const invalid = file('invalid.edi', sample.replace(/BEG\*00\*SA\*FM-4500123\*\*20240311~\n?/, ''));
    const r = await test('freshmart', [stranger, invalid]);
    expect(r.exit).toBe(1);
    expect(r.out).toContain('stranger.edi: INVALID');
    expect(r.out).toContain('[PARTNER_SENDER_MISMATCH]');
    expect(r.out).toMatch(/invalid\.edi: INVALID/);
    expect(r.out).toContain('mandatory segment BEG is missing before CUR at position 2 [X12_SEGMENT_MISSING]');
    expect(r.out).toMatch(/850 0001: not posted: rejected: invalid\.edi line/);
    expect(r.out).toMatch(/AK5\*R/);
  });

  it('an unreadable or missing file: exit 2; an unknown partner: exit 3', async () => {
    expect((await test('freshmart', [file('notes.txt', 'hello, this is not X12\n')], { odoo: false })).exit).toBe(2);
    const missing = await test('freshmart', [join(dataDir, 'nothing-here.edi')], { odoo: false });
    expect(missing.exit).toBe(2);
    expect(missing.out).toContain('nothing-here.edi: cannot be read (ENOENT)');
    const unknown = await test('nobody', [FRESHMART_850], { odoo: false });
    expect(unknown.exit).toBe(3);
    expect(unknown.err).toContain('no partner nobody');
  });

  it('--json: each file with its findings, documents with their dry run, and the acknowledgments', async () => {
    const r = await test('freshmart', [FRESHMART_850], { json: true });
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ partner: 'freshmart', mode: 'production' });
    expect(report.files).toHaveLength(1);
    expect(report.files[0].documents[0]).toMatchObject({ setId: '850', documentType: 'purchase_order', outcome: 'post', dryRun: { outcome: 'would-post' } });
    expect(report.files[0].acknowledgments[0].kind).toBe('997');
    expect(report.files[0].acknowledgments[0].payload).toMatch(/^ISA\*/);
  });
});
