// createAndRead: one web_save call from Odoo 17 on, create + read before; the same record either way
// (many2one as a bare id, as web_read gives it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';

let odoo: OdooDouble;
beforeAll(async () => {
  odoo = await startOdooDouble({ version: 18 });
});
afterAll(async () => {
  await odoo?.close();
});

const clientFor = (version: number) => createOdooClient({ url: odoo.url, db: odoo.dbName, username: odoo.login, apiKey: odoo.apiKey, version, api: 'jsonrpc' });

describe('createAndRead', () => {
  it('creates and reads back in one web_save call on 17 and later, in a create and a read before', async () => {
    const customer = await clientFor(18).create('res.partner', { name: 'Create And Read Retail', is_company: true });
    const methods = (from: number) => odoo.calls.slice(from).map((c) => `${c.model}.${c.method}`);
    const results = [];
    for (const [version, expected] of [[18, ['sale.order.web_save']], [16, ['sale.order.create', 'sale.order.read']]] as const) {
      const from = odoo.calls.length;
      const order = await clientFor(version).createAndRead('sale.order', { partner_id: customer, client_order_ref: `CAR-${version}` }, ['name', 'partner_id', 'client_order_ref']);
      expect(methods(from)).toEqual(expected);
      results.push(order);
    }
    for (const [i, order] of results.entries()) {
      expect(order).toEqual({ id: expect.any(Number), name: expect.stringMatching(/^S\d+$/), partner_id: customer, client_order_ref: `CAR-${i === 0 ? 18 : 16}` });
    }
    expect(results[0]!.id).not.toBe(results[1]!.id);
  });
});
