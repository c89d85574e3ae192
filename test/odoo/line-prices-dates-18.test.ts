// Issue 11 files (CTP prices, line dates) through the gateway into the Odoo 18 double. See support/line-prices-dates.ts.
import { doubleOdoo } from './support/end-to-end.js';
import { linePricesAndDatesSuite } from './support/line-prices-dates.js';

linePricesAndDatesSuite(doubleOdoo(18));
