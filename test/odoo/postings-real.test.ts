// The posting suite against a real Odoo 18 or 19, when one is configured:
//   ODOO_URL=http://127.0.0.1:8069 ODOO_DB=edi18 ODOO_USERNAME=admin ODOO_API_KEY=... npx vitest run test/odoo/postings-real.test.ts
// (a database with base, sale_management, purchase, stock and account installed, and an API key of
// its user, docs/odoo.md#configuration; the suite creates its own partners, products and orders,
// named with a run id, so it can run again on the same database).
// Without those variables the suite is skipped, and says so.
import { describe, it } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { odooOptionsFromEnv } from '../../src/odoo/config.js';
import { postingSuite } from './support/posting-suite.js';

const options = odooOptionsFromEnv(process.env);

if (options) {
  describe(`postings against the real Odoo at ${options.url} (${options.db})`, () => {
    postingSuite(async () => ({ client: createOdooClient(options) }));
  });
} else {
  // Skipped at run time, with the reason in the report (the issue asks the suite to say so).
  it('postings against a real Odoo', ({ skip }) => skip('no real Odoo configured: set ODOO_URL, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY to run the posting suite against one'));
}
