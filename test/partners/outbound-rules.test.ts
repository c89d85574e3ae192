// documents.rules (partners/README.md#outbound-settings): the settings of each set we send, read
// into the partner, and every mistake named at load with the file, the key path and the rule.
import { afterEach, describe, expect, it } from 'vitest';
import { loadPartners } from '../../src/partners/load.js';
import { GATEWAY_YAML, partnersFolder, sftpYaml } from './support.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The SFTP example with `documents:` replaced by this YAML block. */
const withDocuments = (documents: string) => sftpYaml().replace("documents:\n  inbound: ['850']\n", `documents:\n${documents}`);

async function load(documents: string) {
  const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': withDocuments(documents) });
  cleanups.push(f.remove);
  const result = await loadPartners(f.dir, {}, { dataDir: '/srv/data' });
  return { partner: result.partners.get('acme'), messages: result.errors.map((e) => e.message.replace(/ \[line \d+\]$/, '')) };
}

describe('documents.rules', () => {
  it('reads each set\'s version, 856 hierarchy and required elements, parsed', async () => {
    const { partner, messages } = await load([
      "  inbound: ['850']",
      "  outbound: ['855', '856', '810']",
      '  rules:',
      "    '856': { hierarchy: SOPI, require: ['TD5-03', 'REF*CN-02', 'MAN-02'] }",
      "    '810': { version: '005010', require: ['ITD-01', 'N1*ST-04', 'BIG-11'] }",
      '',
    ].join('\n'));
    expect(messages).toEqual([]);
    expect(partner!.x12.version).toBe('004010');
    expect(partner!.documents.rules).toEqual({
      '856': {
        hierarchy: 'SOPI',
        require: [
          { text: 'TD5-03', segment: 'TD5', position: 3 },
          { text: 'REF*CN-02', segment: 'REF', qualifier: 'CN', position: 2 },
          { text: 'MAN-02', segment: 'MAN', position: 2 },
        ],
      },
      '810': {
        version: '005010',
        require: [
          { text: 'ITD-01', segment: 'ITD', position: 1 },
          { text: 'N1*ST-04', segment: 'N1', qualifier: 'ST', position: 4 },
          // BIG11 exists from 005010 on: checked against the set's own version.
          { text: 'BIG-11', segment: 'BIG', position: 11 },
        ],
      },
    });
  });

  it('a partner without rules has none (and the examples keep loading)', async () => {
    const { partner, messages } = await load("  inbound: ['850']\n  outbound: ['855']\n");
    expect(messages).toEqual([]);
    expect(partner!.documents).toEqual({ inbound: ['850'], outbound: ['855'] });
  });

  it('names every mistake: a set not sent, a hierarchy elsewhere than the 856 or unknown, elements our spec does not have', async () => {
    const { partner, messages } = await load([
      "  inbound: ['850']",
      "  outbound: ['856', '810']",
      '  rules:',
      "    '855': { require: ['BAK-03'] }",
      "    '856': { hierarchy: SOIP, require: ['TD5-03', 'XYZ-01', 'TD5-99', 'td5-03', 'TD503'] }",
      "    '810': { hierarchy: SOI, require: ['BIG-11'], mandatory: ['ITD-01'] }",
      '',
    ].join('\n'));
    expect(partner).toBeUndefined();
    expect(messages).toEqual([
      'partners/acme.yaml: documents.rules.856.hierarchy: found "SOIP", expected SOPI, SOI or auto',
      "partners/acme.yaml: documents.rules.856.require.3: found \"td5-03\", expected an element as SEG-NN, such as 'TD5-03', or SEG*QUALIFIER-NN for the segments whose first element is QUALIFIER, such as 'REF*BM-02'",
      "partners/acme.yaml: documents.rules.856.require.4: found \"TD503\", expected an element as SEG-NN, such as 'TD5-03', or SEG*QUALIFIER-NN for the segments whose first element is QUALIFIER, such as 'REF*BM-02'",
      'partners/acme.yaml: documents.rules.810.mandatory: found ["ITD-01"], expected the key require instead (the gateway calls mandatory require)',
    ]);
    // Once the file's shape is right, the rules are checked against documents.outbound and specs/.
    const shaped = await load([
      "  inbound: ['850']",
      "  outbound: ['856', '810']",
      '  rules:',
      "    '855': { require: ['BAK-03'] }",
      "    '856': { require: ['TD5-03', 'XYZ-01', 'TD5-99'] }",
      "    '810': { hierarchy: SOI, require: ['BIG-11'] }",
      '',
    ].join('\n'));
    expect(shaped.messages).toEqual([
      "partners/acme.yaml: documents.rules.855: found {\"require\":[\"BAK-03\"]}, expected settings only for a set listed in documents.outbound ('856', '810')",
      'partners/acme.yaml: documents.rules.856.require.1: found "XYZ-01", expected an element of the 856 as we send it in 004010: it has no XYZ segment (specs/004010/856.json)',
      'partners/acme.yaml: documents.rules.856.require.2: found "TD5-99", expected an element of TD5, which has elements 01 to 15 in 004010',
      "partners/acme.yaml: documents.rules.810.hierarchy: found \"SOI\", expected no hierarchy here: only the '856' has one (SOPI, SOI or auto)",
      'partners/acme.yaml: documents.rules.810.require.0: found "BIG-11", expected an element of BIG, which has elements 01 to 10 in 004010',
    ]);
  });

  it('a set key that is not a set id, and rules that are not a mapping', async () => {
    const keys = await load("  inbound: ['850']\n  outbound: ['856']\n  rules: { asn: { hierarchy: SOI } }\n");
    expect(keys.messages).toEqual(["partners/acme.yaml: documents.rules.asn: found {\"hierarchy\":\"SOI\"}, expected transaction set ids in quotes as keys, such as '856'"]);
    const list = await load("  inbound: ['850']\n  outbound: ['856']\n  rules: ['856']\n");
    expect(list.messages).toEqual(["partners/acme.yaml: documents.rules: found [\"856\"], expected a mapping of the sets we send to their settings (e.g. '856': { hierarchy: SOPI })"]);
  });
});
