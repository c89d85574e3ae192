// Where the builders take an element of what we send from in Odoo, for the reason a document is held
// when a partner requires an element (documents.rules.<set>.require) and it is missing: only where the
// map makes it plain (docs/odoo.md has each builder's sources). Looked up by the element as the
// partner wrote it ('REF*CN-02'), then SEG-NN, then the whole segment.
import type { RequiredElement } from '../../partners/types.js';
import type { OutboundKind } from './types.js';

const CARRIER_SCAC = "the SCAC of the delivery's carrier (delivery.carrier x_scac, or a carrier named by its SCAC)";
const WEIGHT = "the delivery's weight (stock.picking shipping_weight, else weight; Odoo computes it from its packages' and products' weights)";

const SOURCES: Readonly<Record<OutboundKind, Readonly<Record<string, string>>>> = {
  '850': {
    'DTM*002-02': "the purchase order's expected arrival (purchase.order date_planned)",
  },
  '855': {},
  '856': {
    'TD5-02': CARRIER_SCAC,
    'TD5-03': CARRIER_SCAC,
    'TD5-05': "the delivery's carrier (stock.picking carrier_id)",
    'REF*CN-02': "the delivery's tracking reference (stock.picking carrier_tracking_ref)",
    'TD1-07': WEIGHT,
    'TD1-08': WEIGHT,
    'TD1-09': WEIGHT,
    MAN: "the delivery's packages (an SSCC-18 per package: put the goods in packages)",
    'N1*SF-02': "our company (stock.picking company_id)",
    'DTM*036-02': "the lots' expiration dates (stock.lot expiration_date)",
  },
  '810': {
    ITD: "the invoice's payment terms (account.move invoice_payment_term_id)",
    'CUR-02': "the invoice's currency (account.move currency_id)",
    TXI: "the invoice's taxes (account.move.line tax_ids)",
  },
};

/** What in Odoo most likely feeds `required` in a `kind` we build, or undefined when the map does not make it plain. */
export function elementSource(kind: OutboundKind, required: RequiredElement): string | undefined {
  const table = SOURCES[kind];
  return table[required.text] ?? table[`${required.segment}-${String(required.position).padStart(2, '0')}`] ?? table[required.segment];
}
