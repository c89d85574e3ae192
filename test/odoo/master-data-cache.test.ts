// The master-data cache (src/odoo/lookup/cache.ts) and its rules in the Odoo target: only what was
// found is remembered, for the cache's lifetime; what a person fixes after a refusal counts at once
// (nothing not-found is remembered, and a refusal decided with remembered data is checked again
// with fresh reads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/documents/common.js';
import { TargetError } from '../../src/errors/target-error.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { odooCacheSecondsFromEnv } from '../../src/odoo/config.js';
import { masterDataCache } from '../../src/odoo/lookup/cache.js';
import { odooTarget, type OdooTarget } from '../../src/odoo/target.js';
import type { OdooPartnerFile, Partner } from '../../src/partners/types.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { envelopeFor, naturalKeyOf, purchaseOrder } from './support/documents.js';
import { recordingClient } from './support/recording-client.js';
import { runId, seedWorld, type World } from './support/seed.js';
import { mappingsFrom } from './support/mappings.js';

describe('masterDataCache', () => {
  let clock = 0;
  const cache = () => masterDataCache({ seconds: 60, now: () => clock });
  const loader = (value: string[]) => {
    let calls = 0;
    return { load: async () => (calls++, value), get calls() { return calls; } };
  };
  const found = (v: string[]) => v.length > 0;

  it('remembers what was found for its lifetime, and says a posting used it', async () => {
    clock = 0;
    const c = cache();
    const l = loader(['a']);
    const first = c.forPosting(false);
    expect(await first.remember('k', l.load, found)).toEqual(['a']);
    expect(first.used).toBe(false);
    const second = c.forPosting(false);
    expect(await second.remember('k', l.load, found)).toEqual(['a']);
    expect([l.calls, second.used]).toEqual([1, true]);
    clock = 59_999;
    await c.forPosting(false).remember('k', l.load, found);
    expect(l.calls).toBe(1);
    clock = 60_000;
    await c.forPosting(false).remember('k', l.load, found);
    expect(l.calls).toBe(2);
  });

  it('asks again for what was not found, and for what failed', async () => {
    clock = 0;
    const c = cache();
    const none = loader([]);
    await c.forPosting(false).remember('k', none.load, found);
    await c.forPosting(false).remember('k', none.load, found);
    expect(none.calls).toBe(2);
    await expect(c.forPosting(false).remember('e', () => Promise.reject(new Error('down')), found)).rejects.toThrow('down');
    const l = loader(['b']);
    expect(await c.forPosting(false).remember('e', l.load, found)).toEqual(['b']);
  });

  it('a fresh posting reads everything again and remembers what it read', async () => {
    clock = 0;
    const c = cache();
    await c.forPosting(false).remember('k', loader(['old']).load, found);
    const fresh = c.forPosting(true);
    expect(await fresh.remember('k', loader(['new']).load, found)).toEqual(['new']);
    expect(fresh.used).toBe(false);
    expect(await c.forPosting(false).remember('k', loader(['other']).load, found)).toEqual(['new']);
  });

  it('documents posted at once share one read', async () => {
    clock = 0;
    const c = cache();
    const l = loader(['a']);
    await Promise.all([c.forPosting(false).remember('k', l.load, found), c.forPosting(false).remember('k', l.load, found)]);
    expect(l.calls).toBe(1);
  });

  it('0 seconds: nothing is remembered', async () => {
    const c = masterDataCache({ seconds: 0 });
    const l = loader(['a']);
    await c.forPosting(false).remember('k', l.load, found);
    await c.forPosting(false).remember('k', l.load, found);
    expect(l.calls).toBe(2);
  });
});

describe('ODOO_CACHE_SECONDS', () => {
  it('is a number of seconds, 0 or more; unset keeps the default', () => {
    expect(odooCacheSecondsFromEnv({})).toBeUndefined();
    expect(odooCacheSecondsFromEnv({ ODOO_CACHE_SECONDS: '0' })).toBe(0);
    expect(odooCacheSecondsFromEnv({ ODOO_CACHE_SECONDS: '15' })).toBe(15);
    expect(() => odooCacheSecondsFromEnv({ ODOO_CACHE_SECONDS: 'soon' })).toThrow("ODOO_CACHE_SECONDS must be a number of seconds, 0 or more, not 'soon'");
  });
});

describe('the cache in the Odoo target (the Odoo 18 double)', () => {
  let double: OdooDouble;
  let client: ReturnType<typeof recordingClient>;
  let world: World;
  const mappings = new Map<string, string>();

  beforeAll(async () => {
    double = await startOdooDouble({ version: 18 });
    client = recordingClient(createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }));
    world = await seedWorld(client, runId());
    mappings.set(`retail:BUYER-ALM-${world.run}`, world.products[2]!.defaultCode);
  }, 60_000);
  afterAll(() => double?.close());

  const targetFor = (odoo: Partial<OdooPartnerFile> = {}): OdooTarget =>
    odooTarget({
      client,
      partner: (c) => (c === 'retail' ? ({ code: 'retail', name: world.customer.name, odoo: { partner: { ref: world.customer.ref }, ...odoo } } as unknown as Partner) : undefined),
      productMappings: mappingsFrom((code, p) => mappings.get(`${p}:${code}`)),
    });
  const post = (target: OdooTarget, document: unknown, envelope: Envelope = envelopeFor('850')) =>
    target.post({ documentId: 1, documentType: 'purchase_order', naturalKey: naturalKeyOf('retail', envelope), partner: 'retail', document, envelope });
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as TargetError);

  it('a product created after its order was refused is found by the replay at once, with the rest remembered', async () => {
    const target = targetFor();
    await post(target, purchaseOrder(world, `PO-W-${world.run}`));
    const po = purchaseOrder(world, `PO-X-${world.run}`);
    po.lines[0] = { ...po.lines[0]!, productIds: { vendorPart: `NEW-${world.run}`, other: [] } };
    const envelope = envelopeFor('850');
    const error = await refusal(post(target, po, envelope));
    expect(error).toBeInstanceOf(TargetError);
    expect(error!.message).toContain(`VN 'NEW-${world.run}' as internal reference (no product has it)`);
    await client.create('product.product', { name: `New ${world.run}`, default_code: `NEW-${world.run}`, type: 'consu', list_price: 1 });
    const from = client.calls.length;
    const result = await post(target, po, envelope);
    expect(result.ref).toMatch(/^sale\.order\/\d+/);
    const calls = client.calls.slice(from);
    // The customer and its addresses were remembered; the product was asked for again.
    expect(calls.filter((c) => c.model === 'res.partner')).toEqual([]);
    expect(calls.filter((c) => c.model === 'product.product')).toHaveLength(1);
  });

  it('a refusal decided with a remembered list price is checked again with a fresh one before it counts', async () => {
    const target = targetFor({ prices: { policy: 'reject' } });
    const honey = world.products[1]!;
    const at = (price: number, poNumber: string) => {
      const po = purchaseOrder(world, poNumber);
      po.lines = [{ ...po.lines[1]!, unitPrice: price }];
      return po;
    };
    await post(target, at(honey.storedPrice, `PO-Y-${world.run}`));
    // A person changes the list price in Odoo; the next order carries it. The cache still holds the old one.
    await client.write('product.product', [honey.id], { list_price: honey.storedPrice + 2 });
    const from = client.calls.length;
    const result = await post(target, at(honey.storedPrice + 2, `PO-Z-${world.run}`));
    expect(result.ref).toMatch(/^sale\.order\/\d+/);
    // First try with the remembered product (refused), then a fresh read of everything.
    expect(client.calls.slice(from).filter((c) => c.model === 'product.product')).toHaveLength(1);
    expect(client.calls.slice(from).filter((c) => c.model === 'res.partner').length).toBeGreaterThan(0);
    // A refusal that stands after fresh reads is still a refusal.
    const wrong = await refusal(post(target, at(honey.storedPrice + 7, `PO-Q-${world.run}`)));
    expect(wrong).toBeInstanceOf(TargetError);
    expect((wrong as TargetError).details['failure']).toMatchObject({ code: 'ODOO_PRICE_MISMATCH' });
    expect(await client.search('sale.order', [['client_order_ref', '=', `PO-Q-${world.run}`]])).toEqual([]);
  });
});
