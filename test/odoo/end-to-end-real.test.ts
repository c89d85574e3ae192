// The sample files through the gateway into a REAL Odoo 18 or 19, when one is configured
// (ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY) and its database is fresh (the samples carry
// fixed PO numbers, GLNs and barcodes, so this suite runs once per database; the posting suite,
// postings-real.test.ts, can run again and again). Otherwise it says why it was skipped.
import { it } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { odooOptionsFromEnv } from '../../src/odoo/config.js';
import { endToEndSuite, realOdoo, samplesBlockedIn } from './support/end-to-end.js';

const options = odooOptionsFromEnv(process.env);
const blocked = options ? await samplesBlockedIn(createOdooClient(options)) : 'no real Odoo configured (set ODOO_URL, ODOO_DB, ODOO_USERNAME and ODOO_API_KEY)';

if (blocked === undefined) {
  endToEndSuite(realOdoo(options!));
} else {
  // Skipped at run time, with the reason in the report.
  it('sample files into a real Odoo', ({ skip }) => skip(blocked));
}
