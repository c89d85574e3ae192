// odoo.shipTo in a partner file: the N103 qualifier -> res.partner field map (`fields`), its
// defaults, the duns match step, and the messages for a map written wrong.
import { afterEach, describe, expect, it } from 'vitest';
import { odooSettingsOf } from '../../src/odoo/settings.js';
import { loadPartners } from '../../src/partners/load.js';
import { GATEWAY_YAML, partnersFolder, sftpYaml } from '../partners/support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function load(odoo: string) {
  const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': `${sftpYaml()}odoo:\n  partner: { ref: ACME }\n${odoo}` });
  cleanups.push(f.remove);
  return loadPartners(f.dir, {}, { dataDir: '/srv/data' });
}

describe('odoo.shipTo settings', () => {
  it('defaults: GLN in barcode, DUNS, DUNS+4 and assigned ids in ref; match gln, ref, duns, name', async () => {
    const { partners, errors } = await load('');
    expect(errors).toEqual([]);
    expect(odooSettingsOf(partners.get('acme')!.odoo!).shipTo).toEqual({
      match: ['gln', 'ref', 'duns', 'name'], createMissing: false, fields: { UL: 'barcode', '92': 'ref', '91': 'ref', '1': 'ref', '9': 'ref' },
    });
  });

  it('takes the partner\'s fields over the defaults, unquoted digit keys included', async () => {
    const { partners, errors } = await load('  shipTo:\n    match: [duns, name]\n    fields: { 1: x_duns, 9: x_duns, ZZ: ref }\n');
    expect(errors).toEqual([]);
    expect(odooSettingsOf(partners.get('acme')!.odoo!).shipTo).toEqual({
      match: ['duns', 'name'], createMissing: false, fields: { UL: 'barcode', '92': 'ref', '91': 'ref', '1': 'x_duns', '9': 'x_duns', ZZ: 'ref' },
    });
  });

  it('names a bad qualifier, a bad field name and an unknown step', async () => {
    const { errors } = await load("  shipTo:\n    match: [gln, dunsplus4]\n    fields: { zz: ref, '1': 'Reference Field' }\n");
    expect(errors.map((e) => e.message.replace(/ \[line \d+\]$/, ''))).toEqual([
      'partners/acme.yaml: odoo.shipTo.match.1: found "dunsplus4", expected gln, ref, duns or name',
      'partners/acme.yaml: odoo.shipTo.fields.1: found "Reference Field", expected a res.partner field name (e.g. ref, barcode, x_duns)',
      "partners/acme.yaml: odoo.shipTo.fields.zz: found \"ref\", expected N103 id qualifiers as keys (one or two capitals or digits, e.g. '1': ref for DUNS)",
    ]);
  });
});
