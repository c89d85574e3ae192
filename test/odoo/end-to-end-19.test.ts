// Sample files -> folders -> gateway -> the Odoo 19 double (JSON-2). See support/end-to-end.ts.
import { doubleOdoo, endToEndSuite } from './support/end-to-end.js';

endToEndSuite(doubleOdoo(19));
