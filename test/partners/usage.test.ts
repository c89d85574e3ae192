// Test mode and ISA15: test data (T) from a production partner is acknowledged and not posted by
// default; acknowledgments.testData: reject refuses it, and productionData: reject refuses P from a
// test partner: the interchange is rejected with TA1 020 as the partner's ta1 setting allows. The
// settings are checked at load (each only for the mode it is about).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import type { AcknowledgmentSettings, Partner, PartnerMode } from '../../src/partners/types.js';
import { listDocumentsOf, listOutbound } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';
import { folderPartner, folders } from '../transports/folder/support.js';
import { folderYaml, GATEWAY_YAML, partnersFolder } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;
// FRESHMART to ACMEDIST, ISA15 = P.
const sample = readFileSync(join(import.meta.dirname, '..', '..', 'samples', '004010', '850', '850-cancellation.edi')).toString('latin1');

function partner(code: string, mode: PartnerMode, acks: Partial<AcknowledgmentSettings>): Partner {
  const base = folderPartner(folders('usage-'), { code });
  return {
    ...base,
    mode,
    identity: { isa: { qualifier: 'ZZ', id: 'FRESHMART' }, gs: 'FRESHMART' },
    us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' },
    acknowledgments: { ...base.acknowledgments, ...acks },
  };
}

beforeAll(async () => {
  const partners = [
    partner('prod-default', 'production', { ta1: 'on-error' }),
    partner('prod-strict', 'production', { ta1: 'on-error', testData: 'reject' }),
    partner('prod-quiet', 'production', { ta1: 'never', testData: 'reject' }),
    partner('test-strict', 'test', { ta1: 'on-error', productionData: 'reject' }),
  ];
  gateway = await startGateway({ db, partners: partnerDirectory({ partners: new Map(partners.map((p) => [p.code, p])) }), retry: { limit: 0, delaySeconds: 0, backoff: false } });
});
afterAll(async () => {
  await gateway?.stop();
});

let isa13 = 8100;
async function run(code: string, usage: 'P' | 'T') {
  // A fresh ISA13 each time (a repeat would be a duplicate); ISA15 as asked.
  const text = sample.replaceAll('000004498', String(++isa13).padStart(9, '0')).replace('*0*P*>~', `*0*${usage}*>~`);
  const { fileId } = await gateway.intake({ partner: code, channel: 'test', sourceName: `${code}.edi`, bytes: Buffer.from(text, 'latin1') });
  await gateway.idle(20_000);
  return { docs: await listDocumentsOf(db, { fileId }), acks: await listOutbound(db, { fileId }) };
}

describe('ISA15 and the partner mode', () => {
  it('by default, test data from a production partner is acknowledged (997) and not posted', async () => {
    const { docs, acks } = await run('prod-default', 'T');
    expect(docs.map((d) => [d.state, (d.findings as Array<{ code: string }>)[0]?.code])).toEqual([['cancelled', 'PARTNER_TEST_DATA']]);
    expect(acks.map((a) => a.kind)).toEqual(['997']);
    expect(acks[0]!.payload).toMatch(/AK9\*A\*1\*1\*1~/);
  });

  it('testData: reject refuses T with a clear reason and a TA1 020; P still posts', async () => {
    const { docs, acks } = await run('prod-strict', 'T');
    expect(docs.map((d) => d.state)).toEqual(['rejected']);
    expect(docs[0]!.reason).toContain('test data (ISA15 = T) from partner prod-strict, which is in production mode and refuses it (acknowledgments.testData: reject in prod-strict.yaml)');
    expect(acks.map((a) => a.kind)).toEqual(['TA1']);
    expect(acks[0]!.payload).toMatch(/TA1\*\d{9}\*\d{6}\*\d{4}\*R\*020~/);

    expect((await run('prod-strict', 'P')).docs.map((d) => d.state)).toEqual(['posted']);
  });

  it('with ta1: never the refused interchange gets no acknowledgment at all (as configured)', async () => {
    const { docs, acks } = await run('prod-quiet', 'T');
    expect(docs.map((d) => d.state)).toEqual(['rejected']);
    expect(acks).toEqual([]);
  });

  it('productionData: reject refuses P from a test partner with TA1 020; T is processed', async () => {
    const { docs, acks } = await run('test-strict', 'P');
    expect(docs.map((d) => d.state)).toEqual(['rejected']);
    expect(docs[0]!.reason).toContain('production data (ISA15 = P) from partner test-strict, which is in test mode and refuses it (acknowledgments.productionData: reject in test-strict.yaml)');
    expect(acks[0]!.payload).toMatch(/\*R\*020~/);
    // Processed to the end: a test partner's documents are never posted (test mode), but rehearsed and cancelled.
    const [processed] = (await run('test-strict', 'T')).docs;
    expect(processed).toMatchObject({ state: 'cancelled', reason: expect.stringMatching(/^test partner test-strict: not posted/) });
  });
});

describe('the usage settings in partner files', () => {
  it('are read, and refused for the mode they are not about', async () => {
    const f = await partnersFolder({
      '_gateway.yaml': `${GATEWAY_YAML}  acknowledgments: { testData: reject }\n`,
      'a.yaml': folderYaml('AAA', 'a'),
      'b.yaml': folderYaml('BBB', 'b', 'mode: test\nacknowledgments: { productionData: reject }'),
      'c.yaml': folderYaml('CCC', 'c', 'mode: test\nacknowledgments: { testData: reject }'),
      'd.yaml': folderYaml('DDD', 'd', 'acknowledgments: { productionData: reject }'),
      'e.yaml': folderYaml('EEE', 'e', 'acknowledgments: { testData: maybe }'),
    });
    try {
      const loaded = await loadPartners(f.dir, {}, { dataDir: f.root });
      // From the defaults, testData applies to the production partner only.
      expect(loaded.partners.get('a')?.acknowledgments).toMatchObject({ testData: 'reject' });
      expect(loaded.partners.get('b')?.acknowledgments).toMatchObject({ productionData: 'reject' });
      expect(loaded.partners.get('b')?.acknowledgments).not.toHaveProperty('testData');
      expect(loaded.errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^partners\/c\.yaml: acknowledgments\.testData: found "reject", expected no testData for a partner in test mode/),
        expect.stringMatching(/^partners\/d\.yaml: acknowledgments\.productionData: found "reject", expected no productionData for a partner in production mode/),
        expect.stringMatching(/^partners\/e\.yaml: acknowledgments\.testData: found "maybe", expected accept-not-post or reject/),
      ]);
    } finally {
      await f.remove();
    }
  });
});
