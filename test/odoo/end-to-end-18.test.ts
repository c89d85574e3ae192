// Sample files -> folders -> gateway -> the Odoo 18 double (JSON-RPC). See support/end-to-end.ts.
import { endToEndSuite } from './support/end-to-end.js';

endToEndSuite(18);
