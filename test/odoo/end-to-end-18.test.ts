// Sample files -> folders -> gateway -> the Odoo 18 double (JSON-RPC). See support/end-to-end.ts.
import { doubleOdoo, endToEndSuite } from './support/end-to-end.js';

endToEndSuite(doubleOdoo(18));
