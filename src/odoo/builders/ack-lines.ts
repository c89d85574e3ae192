// The 855's line acknowledgments: the customer's 850 lines compared with the confirmed sale order's
// lines as they stand now (docs/odoo.md#855-from-confirmed-sale-orders). Pure: the builder reads
// Odoo, this decides each line's ACK01 status.
//
//   IA accepted as ordered; IQ quantity (or unit) changed; IP price changed; IC both changed;
//   DR only the date moved (the order's commitment date); IR no sale line any more, or quantity 0.
import type { DateReference, ProductIds } from '../../documents/common.js';
import { LINE_STATUS_NAMES, type AckLine, type LineAck } from '../../documents/purchase-order-ack.js';
import type { OrderLine } from '../../documents/purchase-order.js';
import { barcodeVariants } from '../lookup/products.js';
import { productIdUses, type ProductIdTarget } from '../lookup/product-ids.js';
import { sameFloat } from '../lookup/precision.js';
import { firstDate, REQUESTED_DATE_QUALIFIERS, requestedDate } from '../postings/dates.js';
import { documentPrice } from '../postings/line-price.js';

/** ACK04: current schedule ship (what the 855 says of the order's commitment date). */
export const SCHEDULE_DATE_QUALIFIER = '068';

/** A sale order line as the builder read it (sections and notes left out). */
export interface SaleLineFacts {
  id: number;
  sequence: number;
  productName: string;
  /** The product's internal reference and barcode: what the 850's ids can be checked against. */
  defaultCode?: string;
  barcode?: string;
  quantity: number;
  price: number;
  unitName: string;
  /** The line's uom.uom id (the 856 converts shipped quantities into it). */
  unitId?: number;
  /** The X12 codes that name this unit (odoo.units over the defaults), best first; empty: none. */
  unitCodes: readonly string[];
  /** How many of the product's own unit this unit holds, where the builder read it (pack units). */
  holds?: number;
}

export interface AckLinesInput {
  /** The stored 850's lines and heading dates. */
  ordered: readonly OrderLine[];
  headingDates: readonly DateReference[];
  sale: readonly SaleLineFacts[];
  /** The sale order's commitment date (ISO day), if it has one. */
  commitmentDate?: string | undefined;
  /** Digits Odoo stores quantities and prices at (fields_get), so 3.125 ordered is 3.13 stored on 18. */
  digits: { quantity?: number | undefined; price?: number | undefined };
  /** The partner's odoo.products.ids: what each product id qualifier means. */
  productIds?: Readonly<Record<string, ProductIdTarget>>;
}

/** What became of one 850 line. */
export interface LineOutcome {
  line: string;
  status: string;
  saleLineId?: number;
  /** How it was matched: by its sequence ((index + 1) * 10) or by its product. */
  matchedBy?: 'sequence' | 'product';
}

export interface AckLinesResult {
  lines: AckLine[];
  /** AD when every line is accepted as ordered, else AC. */
  ackType: 'AD' | 'AC';
  outcomes: LineOutcome[];
  /** Sale lines no 850 line matched (added by a person): not in the 855. */
  added: SaleLineFacts[];
  /** Matched sale lines whose unit has no X12 code: the document cannot be written (held). */
  unitless: { line: string; sale: SaleLineFacts }[];
}

type ProductVerdict = 'same' | 'different' | 'unknown';

/**
 * Whether a sale line's product is the one an 850 line names. Only ids that name our internal
 * reference or a barcode can be checked here; the customer's own codes (the mapping table) cannot,
 * so such a line is 'unknown' and matched by its sequence alone.
 */
export function productVerdict(ids: ProductIds, sale: Pick<SaleLineFacts, 'defaultCode' | 'barcode'>, overrides: Readonly<Record<string, ProductIdTarget>> = {}): ProductVerdict {
  const checkable = productIdUses(ids, 'customer', overrides).filter((i) => i.use === 'ours' || i.use === 'barcode');
  if (!checkable.length) return 'unknown';
  const same = checkable.some((i) => (i.use === 'ours'
    ? sale.defaultCode !== undefined && i.value === sale.defaultCode
    : sale.barcode !== undefined && barcodeVariants(i.value, i.checkDigit).includes(sale.barcode)));
  return same ? 'same' : 'different';
}

/**
 * 850 line index -> sale line: first the line at the sequence the 850 posting gave it
 * ((index + 1) * 10) unless its product is provably another; then, for the lines left, the first
 * unclaimed sale line of the same product (a person re-sorted the lines).
 */
export function matchSaleLines(ordered: readonly OrderLine[], sale: readonly SaleLineFacts[], overrides: Readonly<Record<string, ProductIdTarget>> = {}): Map<number, { sale: SaleLineFacts; by: 'sequence' | 'product' }> {
  const sorted = [...sale].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  const claimed = new Set<number>();
  const out = new Map<number, { sale: SaleLineFacts; by: 'sequence' | 'product' }>();
  ordered.forEach((line, index) => {
    const hit = sorted.find((s) => !claimed.has(s.id) && s.sequence === (index + 1) * 10 && productVerdict(line.productIds, s, overrides) !== 'different');
    if (hit) {
      claimed.add(hit.id);
      out.set(index, { sale: hit, by: 'sequence' });
    }
  });
  ordered.forEach((line, index) => {
    if (out.has(index)) return;
    const hit = sorted.find((s) => !claimed.has(s.id) && productVerdict(line.productIds, s, overrides) === 'same');
    if (hit) {
      claimed.add(hit.id);
      out.set(index, { sale: hit, by: 'product' });
    }
  });
  return out;
}

/**
 * The X12 code of a sale line's unit for an 850 line: the 850's own code when it names this unit
 * (EA and PC both mean Units: the customer gets back what it sent), or when the line was posted in
 * the pack unit its PO401 asked for (Case of 4 for CA with PO401 4); else the unit's first code;
 * undefined when the unit has none.
 */
export function unitCodeFor(sale: SaleLineFacts, line: OrderLine): string | undefined {
  const ordered = line.unit.toUpperCase();
  if (sale.unitCodes.some((c) => c.toUpperCase() === ordered)) return line.unit;
  const pack = line.pack?.pack;
  if (pack !== undefined && sale.holds !== undefined && Math.abs(sale.holds - pack) <= 1e-6 * Math.max(1, pack)) return line.unit;
  return sale.unitCodes[0];
}

/** The 850 line's requested date: its own DTM, else the heading's. */
function requestedOf(line: OrderLine, headingDates: readonly DateReference[]): string | undefined {
  return firstDate(line.dates, REQUESTED_DATE_QUALIFIERS) ?? firstDate(headingDates, REQUESTED_DATE_QUALIFIERS);
}

function ack(status: string, quantity: number, unit: string, date: string | undefined): LineAck {
  return {
    status,
    statusName: LINE_STATUS_NAMES[status] ?? 'unknown',
    quantity,
    unit,
    ...(date ? { dateQualifier: SCHEDULE_DATE_QUALIFIER, date } : {}),
    productIds: { other: [] },
  };
}

/** The 850 line as echoed in the 855's PO1 (its ids, quantity, unit and price as ordered). */
function echo(line: OrderLine, index: number): AckLine {
  return {
    lineNumber: line.lineNumber ?? String(index + 1),
    quantity: line.quantity,
    unit: line.unit,
    ...(line.unitPrice !== undefined ? { unitPrice: line.unitPrice } : {}),
    ...(line.priceBasis !== undefined ? { priceBasis: line.priceBasis } : {}),
    ...(line.prices ? { prices: line.prices } : {}),
    productIds: line.productIds,
    ...(line.description !== undefined ? { description: line.description } : {}),
    descriptions: [], references: [], dates: [], allowancesCharges: [], notes: [], parties: [],
    acks: [],
  };
}

export function ackLines(input: AckLinesInput): AckLinesResult {
  const { ordered, headingDates, sale, commitmentDate, digits } = input;
  const matches = matchSaleLines(ordered, sale, input.productIds);
  // The commitment date the 850 posting wrote: only a date a person moved away from it is a reschedule.
  const postedDate = requestedDate(headingDates, ordered).date;
  const moved = commitmentDate !== undefined && commitmentDate !== postedDate;
  const lines: AckLine[] = [];
  const outcomes: LineOutcome[] = [];
  const unitless: AckLinesResult['unitless'] = [];
  ordered.forEach((line, index) => {
    const label = `line ${line.lineNumber ?? index + 1}`;
    const out = echo(line, index);
    const match = matches.get(index);
    if (!match || sameFloat(match.sale.quantity, 0, digits.quantity)) {
      out.acks.push(ack('IR', line.quantity, line.unit, undefined));
      lines.push(out);
      outcomes.push({ line: label, status: 'IR', ...(match ? { saleLineId: match.sale.id, matchedBy: match.by } : {}) });
      return;
    }
    const s = match.sale;
    const unit = unitCodeFor(s, line);
    if (unit === undefined) unitless.push({ line: label, sale: s });
    const unitCode = unit ?? line.unit;
    const quantityChanged = !sameFloat(s.quantity, line.quantity, digits.quantity) || unitCode.toUpperCase() !== line.unit.toUpperCase();
    // A line the 850 did not price was priced by Odoo: nothing to compare with.
    const orderedPrice = documentPrice(line)?.price;
    const priceChanged = orderedPrice !== undefined && !sameFloat(s.price, orderedPrice, digits.price);
    const requested = requestedOf(line, headingDates);
    const rescheduled = moved && requested !== undefined && requested !== commitmentDate;
    const status = quantityChanged && priceChanged ? 'IC' : quantityChanged ? 'IQ' : priceChanged ? 'IP' : rescheduled ? 'DR' : 'IA';
    // The new price goes in PO104, where an 855 reader (ours too) looks for it under IP and IC.
    if (priceChanged) out.unitPrice = s.price;
    out.acks.push(ack(status, quantityChanged ? s.quantity : line.quantity, quantityChanged ? unitCode : line.unit, commitmentDate));
    lines.push(out);
    outcomes.push({ line: label, status, saleLineId: s.id, matchedBy: match.by });
  });
  const used = new Set([...matches.values()].map((m) => m.sale.id));
  return {
    lines,
    ackType: outcomes.every((o) => o.status === 'IA') ? 'AD' : 'AC',
    outcomes,
    added: sale.filter((s) => !used.has(s.id)),
    unitless,
  };
}

