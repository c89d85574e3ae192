// The posting suite against the Odoo test double, as Odoo 18 (JSON-RPC) and as Odoo 19 (JSON-2);
// plus what only a double can show: Odoo down, slow, 5xx, serialization failures, a bad key.
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../src/jobs/ports.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { asTargetError } from '../../src/odoo/target.js';
import { unitLookup } from '../../src/odoo/lookup/units.js';
import type { PostingContext } from '../../src/odoo/postings/context.js';
import { odooSettingsOf } from '../../src/odoo/settings.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { postingSuite } from './support/posting-suite.js';

for (const version of [18, 19] as const) {
  describe(`postings against the Odoo ${version} double`, () => {
    let double: OdooDouble;
    afterAll(() => double?.close());
    postingSuite(async () => {
      double = await startOdooDouble({ version });
      return { client: createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }) };
    });
    it(`talks ${version === 19 ? 'JSON-2' : 'JSON-RPC'} to it`, () => {
      expect(new Set(double.calls.map((c) => c.api))).toEqual(new Set([version === 19 ? 'json2' : 'jsonrpc']));
    });
  });

  describe(`client faults against the Odoo ${version} double`, () => {
    let double: OdooDouble;
    afterAll(() => double?.close());
    const clientOf = (o: { apiKey?: string; timeoutMs?: number } = {}) =>
      createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: o.apiKey ?? double.apiKey, timeoutMs: o.timeoutMs ?? 5000 });
    const kindOf = async (p: Promise<unknown>) => {
      const e = asTargetError(await p.then(() => undefined, (x: unknown) => x));
      expect(e).toBeInstanceOf(TargetError);
      const failure = (e as TargetError).details['failure'] as { code: string; odooMessage?: string };
      return { kind: (e as TargetError).kind, code: failure.code, message: (e as TargetError).message, odooMessage: failure.odooMessage };
    };

    it('sorts faults into transient, auth and business, keeping Odoo\'s message and never the key', async () => {
      double = await startOdooDouble({ version });
      const client = clientOf();
      expect(await client.version()).toBe(version);
      double.faults.serializationFailure(1);
      expect(await kindOf(client.search('res.partner', []))).toMatchObject({ kind: 'transient', code: 'ODOO_CONCURRENCY' });
      double.faults.http5xx(1, 503);
      expect(await kindOf(client.search('res.partner', []))).toMatchObject({ kind: 'transient', code: 'ODOO_SERVER_ERROR', message: expect.stringContaining('503') });
      double.faults.lockError(1);
      expect(await kindOf(client.search('res.partner', []))).toMatchObject({ kind: 'transient', code: 'ODOO_CONCURRENCY' });
      const missing = await kindOf(client.write('res.partner', [999999], { name: 'x' }));
      expect(missing).toMatchObject({ kind: 'business', code: 'ODOO_REFUSED', message: expect.stringContaining('Record does not exist or has been deleted') });
      expect(missing.odooMessage).toContain('Record does not exist or has been deleted');
      const invalid = await kindOf(client.create('res.partner', {}));
      expect(invalid).toMatchObject({ kind: 'business', code: 'ODOO_REFUSED' });
      // A model Odoo does not know (a module not installed) is retried like transient, not rejected.
      expect(await kindOf(client.search('no.such.model', []))).toMatchObject({ kind: 'transient', code: 'ODOO_UNKNOWN_MODEL' });
      const badKey = 'f'.repeat(40);
      const refused = await kindOf(clientOf({ apiKey: badKey }).search('res.partner', []));
      expect(refused).toMatchObject({ kind: 'auth', code: 'ODOO_ACCESS_DENIED' });
      expect(refused.message).not.toContain(badKey);
      expect(refused.message).not.toContain(double.apiKey);
      // and after all that, the client still works
      expect((await client.search('res.partner', [['id', '=', 3]])).length).toBeLessThanOrEqual(1);
    });

    it('gives a transient error naming the server when Odoo is down or too slow', async () => {
      const client = clientOf({ timeoutMs: 300 });
      await client.version();
      double.faults.slow(1000);
      expect(await kindOf(client.search('res.partner', []))).toMatchObject({ kind: 'transient', code: 'ODOO_TIMEOUT', message: expect.stringContaining('did not answer') });
      double.faults.reset();
      double.faults.down(true);
      expect(await kindOf(client.search('res.partner', []))).toMatchObject({ kind: 'transient', code: 'ODOO_UNREACHABLE', message: expect.stringContaining('cannot reach Odoo') });
      double.faults.down(false);
      expect(Array.isArray(await client.search('res.partner', []))).toBe(true);
    });
  });
}

describe('units of measure against the Odoo 19 double (19 ships Dozens, lb, oz ... archived)', () => {
  let double: OdooDouble;
  afterAll(() => double?.close());
  it('says a unit is archived rather than missing, and finds it once it is active again', async () => {
    double = await startOdooDouble({ version: 19 });
    const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
    const ctx = { client, partnerCode: 'retail', partnerFile: 'partners/retail.yaml', settings: odooSettingsOf({ partner: { ref: 'X' }, units: { ZZ: 'No Such Unit' } }) } as unknown as PostingContext;
    const units = unitLookup(ctx);
    await expect(units.resolve('DZ', 'line 4')).rejects.toThrow("line 4: X12 unit 'DZ' means Odoo unit 'Dozens', which is archived: unarchive it in Odoo");
    // Both say that the unit must exist in Odoo, where to make it, and how the partner file points to it.
    await expect(units.resolve('ZZ', 'line 5')).rejects.toThrow("line 5: X12 unit 'ZZ' means Odoo unit 'No Such Unit', which does not exist: the unit must exist in Odoo under exactly this name: create it (Inventory > Configuration > Units of Measure), or point ZZ to the name of an existing unit in odoo.units of partners/retail.yaml (ZZ: <unit name>)");
    await expect(units.resolve('XX', 'line 6')).rejects.toThrow("line 6: X12 unit 'XX' has no Odoo unit: add it to odoo.units in partners/retail.yaml (e.g. XX: Case of 12), naming a unit that exists in Odoo (Inventory > Configuration > Units of Measure; create it there first if needed, e.g. 'Case of 12' holding 12 Units)");
    const [dozens] = await client.search('uom.uom', [['name', '=', 'Dozens'], ['active', '=', false]], { context: { active_test: false } });
    await client.write('uom.uom', [dozens!], { active: true });
    expect(await unitLookup(ctx).resolve('DZ', 'line 4')).toEqual({ id: dozens, name: 'Dozens' });
    expect((await unitLookup(ctx).resolve('EA', 'line 1')).name).toBe('Units');
  });
});
