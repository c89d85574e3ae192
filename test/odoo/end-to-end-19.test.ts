// Sample files -> folders -> gateway -> the Odoo 19 double (JSON-2). See support/end-to-end.ts.
import { endToEndSuite } from './support/end-to-end.js';

endToEndSuite(19);
