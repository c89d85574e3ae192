// Issue 11 pack sizes (PO4) through the gateway into the Odoo 18 double. See support/packs.ts.
import { doubleOdoo } from './support/end-to-end.js';
import { packsSuite } from './support/packs.js';

packsSuite(doubleOdoo(18));
