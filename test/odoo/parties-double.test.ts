// N1 ship-to / bill-to matching (support/parties-suite.ts) against the Odoo 18 and 19 doubles.
import { afterAll, describe } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { partiesSuite } from './support/parties-suite.js';

for (const version of [18, 19] as const) {
  describe(`N1 parties against the Odoo ${version} double`, () => {
    let double: OdooDouble;
    afterAll(() => double?.close());
    partiesSuite(async () => {
      double = await startOdooDouble({ version });
      return { client: createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: double.apiKey }) };
    });
  });
}
