// edi odoo hooks install / check (issue 12) against the Odoo double on 18 and 19: the automation
// rules are created once with the state condition (before-update domain = not in the state, apply-on
// domain = in the state), a second install changes nothing, check reports present / missing /
// different, and the webhook token never appears in what is printed.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import { odooHooksCommand } from '../../src/cli/commands/odoo-hooks.js';
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { checkHooks, domainKey, hookRules, hookUrl, installHooks, maskHookUrl, pyLiteral } from '../../src/odoo/hooks.js';
import type { Partner } from '../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { folderPartner, folders } from '../transports/folder/support.js';

const TOKEN = 'tok-3f9a1c77e2b54d0e9a6b';
const BASE = 'https://edi.example.com';

function capture(): Output & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), text: () => [...stdout, ...stderr].join('\n') };
}

/** A Python domain literal as JSON, to run it as a search in the double (strings here hold no quotes). */
function pyDomainToJson(text: string): unknown[] {
  return JSON.parse(text.replace(/\(/g, '[').replace(/\)/g, ']').replace(/'/g, '"').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null')) as unknown[];
}

describe('the rules as data', () => {
  it('writes domains as Python literals and negates the whole condition for the before-update domain', () => {
    expect(pyLiteral([['state', 'in', ['purchase', 'done']], ['x', '!=', false], ['n', "=", "it's"]])).toBe("[('state', 'in', ['purchase', 'done']), ('x', '!=', False), ('n', '=', 'it\\'s')]");
    const [po, so] = hookRules([
      { kind: '850', model: 'purchase.order', domain: [['state', 'in', ['purchase', 'done']]] },
      { kind: '855', model: 'sale.order', domain: [['state', '=', 'sale'], ['client_order_ref', '!=', false]] },
    ], hookUrl(BASE, TOKEN));
    expect(po).toMatchObject({ name: 'EDI gateway: purchase.order', trigger: 'on_create_or_write', triggerFields: ['state'], filterPreDomain: "['!', ('state', 'in', ['purchase', 'done'])]" });
    expect(so).toMatchObject({
      name: 'EDI gateway: sale.order',
      filterDomain: "[('state', '=', 'sale'), ('client_order_ref', '!=', False)]",
      filterPreDomain: "['!', '&', ('state', '=', 'sale'), ('client_order_ref', '!=', False)]",
      triggerFields: ['client_order_ref', 'state'],
    });
    // Two documents from one model: either condition.
    const [both] = hookRules([
      { kind: '856', model: 'stock.picking', domain: [['state', '=', 'done'], ['picking_type_code', '=', 'outgoing']] },
      { kind: '850', model: 'stock.picking', domain: [['state', '=', 'cancel']] },
    ], 'u');
    expect(both!.filterDomain).toBe("['|', '&', ('state', '=', 'done'), ('picking_type_code', '=', 'outgoing'), ('state', '=', 'cancel')]");
    expect(both!.kinds).toEqual(['856', '850']);
  });

  it('compares domains by meaning, not by quoting or spacing, and masks tokens', () => {
    expect(domainKey("[('state', '=', 'sale'), ('client_order_ref', '!=', False)]")).toBe(domainKey('[("state","=","sale"),["client_order_ref","!=",False]]'));
    expect(domainKey("[('state', '=', 'sale')]")).not.toBe(domainKey("[('state', '=', 'draft')]"));
    expect(hookUrl(`${BASE}/`, TOKEN)).toBe(`${BASE}/hooks/odoo/${TOKEN}`);
    expect(maskHookUrl(hookUrl(BASE, TOKEN))).toBe(`${BASE}/hooks/odoo/***`);
    expect(maskHookUrl('https://other.example.com/secret/path?k=v')).toBe('https://other.example.com/…');
  });
});

for (const version of [18, 19] as const) {
  describe(`edi odoo hooks on Odoo ${version} (double)`, () => {
    let double: OdooDouble;
    let client: OdooClient;
    let partners: Partner[];
    const url = hookUrl(BASE, TOKEN);

    beforeAll(async () => {
      double = await startOdooDouble({ version });
      client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
      const where = folders('hooks-');
      const partner = (code: string, outbound: Partner['documents']['outbound']): Partner => {
        const p = folderPartner(where, { code, inbound: null });
        return { ...p, documents: { ...p.documents, outbound }, odoo: { partner: { ref: code.toUpperCase() } } };
      };
      // A customer we send 855s, a supplier we send 850s, and one disabled partner that would want 810s.
      partners = [partner('retail', ['855']), partner('supplier', ['850']), { ...partner('off', ['810']), enabled: false }];
    });
    afterAll(() => double?.close());

    const rules = () => client.searchRead('base.automation', [['name', '=like', 'EDI gateway: %']], { fields: ['name', 'model_name', 'trigger', 'filter_domain', 'filter_pre_domain', 'trigger_field_ids', 'action_server_ids', 'active'], context: { active_test: false } });
    const writes = () => double.calls.filter((c) => ['base.automation', 'ir.actions.server'].includes(c.model) && ['create', 'write', 'unlink'].includes(c.method)).length;

    it('install creates one rule per model with a webhook action that sends only _id and _model', async () => {
      const report = await installHooks(client, { url, partners });
      expect(report.rules.map((r) => [r.name, r.status])).toEqual([['EDI gateway: purchase.order', 'created'], ['EDI gateway: sale.order', 'created']]);
      expect(JSON.stringify(report)).not.toContain(TOKEN);

      const found = await rules();
      expect(found.map((r) => r['model_name'])).toEqual(['purchase.order', 'sale.order']);
      const so = found.find((r) => r['model_name'] === 'sale.order')!;
      expect(so['trigger']).toBe('on_create_or_write');
      const fields = await client.read('ir.model.fields', so['trigger_field_ids'] as number[], ['name', 'model']);
      expect(fields.map((f) => f['name']).sort()).toEqual(['client_order_ref', 'state']);
      const [action] = await client.read('ir.actions.server', so['action_server_ids'] as number[], ['name', 'state', 'usage', 'webhook_url', 'webhook_field_ids', 'model_name']);
      expect(action).toMatchObject({ state: 'webhook', usage: 'base_automation', webhook_url: url, webhook_field_ids: [], model_name: 'sale.order' });
      // 18 renames an automation's webhook action after its type; 19 keeps the name given.
      expect(action!['name']).toBe(version === 18 ? 'Send Webhook Notification' : 'EDI gateway: sale.order');
      // 850 on 19: no 'done' state any more (locked is a flag).
      const po = found.find((r) => r['model_name'] === 'purchase.order')!;
      expect(po['filter_domain']).toBe(version === 18 ? "[('state', 'in', ['purchase', 'done'])]" : "[('state', 'in', ['purchase'])]");
    });

    it('the conditions fire on reaching the state only: a confirmed order passes the apply-on domain and fails the before-update one', async () => {
      const so = (await rules()).find((r) => r['model_name'] === 'sale.order')!;
      const customer = await client.create('res.partner', { name: 'Hook Retail', ref: 'RETAIL', is_company: true });
      const draft = await client.create('sale.order', { partner_id: customer, client_order_ref: 'PO-HOOK-1' });
      const confirmed = await client.create('sale.order', { partner_id: customer, client_order_ref: 'PO-HOOK-2' });
      await client.call('sale.order', 'action_confirm', [confirmed]);
      const noRef = await client.create('sale.order', { partner_id: customer });
      await client.call('sale.order', 'action_confirm', [noRef]);
      const ours = [['id', 'in', [draft, confirmed, noRef]]];
      const apply = await client.search('sale.order', [...ours, ...pyDomainToJson(String(so['filter_domain']))]);
      const before = await client.search('sale.order', [...ours, ...pyDomainToJson(String(so['filter_pre_domain']))]);
      expect(apply).toEqual([confirmed]);
      expect(before.sort()).toEqual([draft, noRef].sort());
    });

    it('a second install changes nothing, and check says every rule is present', async () => {
      const before = writes();
      const again = await installHooks(client, { url, partners });
      expect(again.rules.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
      expect(writes()).toBe(before);
      const check = await checkHooks(client, { url, partners });
      expect(check.rules.map((r) => r.status)).toEqual(['present', 'present']);
      expect(check.unused).toEqual([]);
    });

    it('check reports a rule with an old token, one whose state condition was replaced, one deleted; install puts them right', async () => {
      const found = await rules();
      const po = found.find((r) => r['model_name'] === 'purchase.order')!;
      const so = found.find((r) => r['model_name'] === 'sale.order')!;
      // The trap of docs/odoo.md#webhooks: a domain without the state condition fires on every save.
      await client.write('base.automation', [po.id], { filter_domain: "[('partner_id', '!=', False)]" });
      await client.write('ir.actions.server', po['action_server_ids'] as number[], { webhook_url: hookUrl(BASE, 'old-secret-token-123') });
      await client.call('base.automation', 'unlink', [so.id]);

      const check = await checkHooks(client, { url, partners });
      const byModel = Object.fromEntries(check.rules.map((r) => [r.model, r]));
      expect(byModel['sale.order']!.status).toBe('missing');
      expect(byModel['purchase.order']!.status).toBe('different');
      const detail = byModel['purchase.order']!.differences.join('\n');
      expect(detail).toContain('filter_domain is');
      expect(detail).toContain('another token');
      expect(JSON.stringify(check)).not.toContain('old-secret-token-123');
      expect(JSON.stringify(check)).not.toContain(TOKEN);

      const fixed = await installHooks(client, { url, partners });
      expect(Object.fromEntries(fixed.rules.map((r) => [r.model, r.status]))).toEqual({ 'purchase.order': 'updated', 'sale.order': 'created' });
      expect((await checkHooks(client, { url, partners })).rules.map((r) => r.status)).toEqual(['present', 'present']);
      expect((await rules()).length).toBe(2);
    });

    it('the CLI installs and checks with ODOO_URL & co. and never prints the token', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'edi-hooks-cli-'));
      const partnersDir = join(dir, 'partners');
      mkdirSync(partnersDir);
      writeFileSync(join(partnersDir, '_gateway.yaml'), 'us:\n  isa: { qualifier: ZZ, id: OURCO }\n  gs: OURCO\ndefaults:\n  mode: production\n');
      writeFileSync(join(partnersDir, 'retail.yaml'), [
        'name: Retail', 'identity:', '  isa: { qualifier: ZZ, id: RETAILBUY }', '  gs: RETAILBUY',
        "documents: { inbound: ['850'], outbound: ['855'] }",
        'transport:', '  type: folder', '  inbound: { folder: in/retail, archive: { action: move, folder: archive/retail } }', '  outbound: { folder: out/retail }',
        'odoo:', '  partner: { ref: RETAIL }', '',
      ].join('\n'));
      const odooEnv = { ODOO_URL: double.url, ODOO_DB: double.dbName, ODOO_USERNAME: double.login, ODOO_API_KEY: double.apiKey };
      const opts = { url: BASE, partners: partnersDir, dataDir: dir };
      const otherToken = 'cli-token-77aa00ff';

      // No token: refused, nothing asked of Odoo.
      const calls = double.calls.length;
      const refused = capture();
      expect(await odooHooksCommand('install', opts, refused, odooEnv)).toBe(64);
      expect(refused.text()).toContain('ODOO_WEBHOOK_TOKEN is not set');
      expect(double.calls.length).toBe(calls);
      const badUrl = capture();
      expect(await odooHooksCommand('check', { ...opts, url: `${BASE}/hooks/odoo/${otherToken}` }, badUrl, { ...odooEnv, ODOO_WEBHOOK_TOKEN: otherToken })).toBe(64);
      expect(badUrl.text()).not.toContain(otherToken);

      const env = { ...odooEnv, ODOO_WEBHOOK_TOKEN: otherToken };
      // The sale.order rule carries TOKEN: with another token it is different (and purchase.order is not wanted here).
      const before = capture();
      expect(await odooHooksCommand('check', opts, before, env)).toBe(1);
      expect(before.text()).toMatch(/EDI gateway: sale\.order\s+855\s+different\s+the webhook URL carries another token/);
      expect(before.text()).toContain('EDI gateway: purchase.order: no partner');
      const install = capture();
      expect(await odooHooksCommand('install', opts, install, env)).toBe(0);
      expect(install.text()).toMatch(/EDI gateway: sale\.order\s+855\s+updated/);
      const after = capture();
      expect(await odooHooksCommand('check', { ...opts, json: true }, after, env)).toBe(0);
      const report = JSON.parse(after.stdout.join('\n'));
      expect(report.url).toBe(`${BASE}/hooks/odoo/***`);
      expect(report.rules).toEqual([expect.objectContaining({ name: 'EDI gateway: sale.order', status: 'present' })]);
      for (const out of [before, install, after]) {
        expect(out.text()).not.toContain(otherToken);
        expect(out.text()).not.toContain(TOKEN);
        expect(out.text()).not.toContain(double.apiKey);
      }
      const [action] = await client.searchRead('ir.actions.server', [['base_automation_id.name', '=', 'EDI gateway: sale.order']], { fields: ['webhook_url'] });
      expect(action!['webhook_url']).toBe(hookUrl(BASE, otherToken));
    });
  });
}
