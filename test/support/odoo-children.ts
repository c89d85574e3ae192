// The Odoo double (18) seeded for the 850s of test/jobs/support.ts (customer ACME, the product with
// barcode 012345678905), and the environment that makes a gateway child process post into it.
import { createOdooClient, type OdooClient } from '../../src/odoo/client/client.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';

export interface SeededOdoo {
  double: OdooDouble;
  client: OdooClient;
  /** For ChildEnv.extra: TARGET=odoo and the double's address and key. */
  childEnv: Record<string, string>;
  /** The double's sale orders of a customer PO number. */
  ordersFor(poNumber: string): Array<Record<string, unknown>>;
}

export async function seededOdoo(): Promise<SeededOdoo> {
  const double = await startOdooDouble({ version: 18 });
  const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey });
  await client.create('res.partner', { name: 'Acme Buyer', ref: 'ACME', is_company: true });
  await client.create('product.product', { name: 'Rolled Oats', default_code: 'AC-1001', barcode: '012345678905', type: 'consu', list_price: 4.25 });
  return {
    double,
    client,
    childEnv: {
      TARGET: 'odoo', ODOO_URL: double.url, ODOO_DB: double.dbName, ODOO_USERNAME: double.login, ODOO_API_KEY: double.apiKey, ODOO_VERSION: '18',
      ODOO_PARTNERS: JSON.stringify({ acme: { partner: { ref: 'ACME' } } }),
    },
    ordersFor: (poNumber) => double.db.records('sale.order').filter((o) => o['client_order_ref'] === poNumber),
  };
}
