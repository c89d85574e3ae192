// The pure half of the 810 builder: what was read of a posted customer invoice (facts, no Odoo
// shapes) and the customer's stored 850 -> the canonical Invoice write810 sends, or every reason it
// must wait for a person. No I/O: tested on its own. docs/odoo.md#810-from-posted-invoices.
//
//   goods line linked to an 850 line  -> IT1 echoing PO101, the customer's ids, its unit code
//   negative line (a discount)        -> summary SAC A C310
//   service (or product-less) line of no 850 line -> summary SAC C (D240 freight when it says so, else ZZZZ)
//   goods line of no 850 line         -> held when the 850 numbered its lines, else IT1 with our ids
import type { AllowanceCharge, PaymentTerms } from '../../documents/common.js';
import { InvoiceSchema, type Invoice, type InvoiceLine, type Tax } from '../../documents/invoice.js';
import type { OrderLine, PurchaseOrder } from '../../documents/purchase-order.js';
import type { ProductIdTarget } from '../lookup/product-ids.js';
import { roundDecimal } from '../../maps/shared/values.js';
import { gtinIdsOf } from './850-purchase-order-document.js';
import { matchSaleLines, unitCodeFor, type SaleLineFacts } from './ack-lines.js';
import { x12UnitCodes } from './units.js';

/** SAC02 codes we write (code list 1300). */
export const SAC_DISCOUNT = 'C310';
export const SAC_FREIGHT = 'D240';
export const SAC_MUTUALLY_DEFINED = 'ZZZZ';
/** SAC06 of a line discount: the percent is of the gross amount (code list 378, 3 discount/gross). */
export const PERCENT_OF_GROSS = '3';

/** A sale order line, as the matching of 850 lines needs it, with its product. */
export interface OrderSaleLine extends SaleLineFacts {
  productId: number;
}

/** One product line of the invoice (sections and notes left out). */
export interface InvoiceLineFacts extends SaleLineFacts {
  productId?: number | undefined;
  /** product type: consu (goods), service, combo. */
  productType?: string | undefined;
  /** The line's label (its first line): SAC15 of a charge or allowance. */
  label: string;
  /** discount (%) and price_subtotal (untaxed, after the discount). */
  discount: number;
  subtotal: number;
  taxIds: readonly number[];
  /** The sale line it invoices (sale_line_ids). */
  saleLineId?: number | undefined;
}

export interface TaxFacts {
  id: number;
  name: string;
  /** account.tax amount: a percent, or an amount per unit when amountType is fixed. */
  amount: number;
  amountType: string;
  /** price_include: Odoo's price_unit of a line with this tax includes it. */
  priceInclude?: boolean | undefined;
}

export interface TermFacts {
  name: string;
  /** The term's longest delay (account.payment.term.line nb_days). */
  netDays?: number | undefined;
  /** Early payment discount (early_discount): percent and days. */
  discountPercent?: number | undefined;
  discountDays?: number | undefined;
}

export interface InvoiceFacts {
  /** The invoice's number (INV/2026/00003): BIG02. */
  name: string;
  invoiceDate: string;
  dueDate?: string | undefined;
  currency?: string | undefined;
  amountTax: number;
  amountTotal: number;
  lines: readonly InvoiceLineFacts[];
  taxes: readonly TaxFacts[];
  term?: TermFacts | undefined;
  /** The sale order it invoices: its name and goods lines. */
  order: { name: string; lines: readonly OrderSaleLine[] };
}

export interface InvoiceRules {
  /** X12 code -> Odoo unit name (OdooSettings.units). */
  units: Readonly<Record<string, string>>;
  /** The partner's odoo.products.ids. */
  productIds?: Readonly<Record<string, ProductIdTarget>>;
  partnerFile: string;
}

/** What became of one invoice line (the build's details). */
export interface InvoiceLineOutcome {
  invoiceLineId: number;
  as: 'line' | 'allowance' | 'charge' | 'left out';
  line?: string;
}

export type InvoiceVerdict = { document: Invoice; outcomes: InvoiceLineOutcome[] } | { held: string[] };

const round2 = (n: number) => roundDecimal(n, 2);
const FREIGHT = /freight|shipping|delivery|transport/i;

/**
 * TXI01 from the tax's name (code list 963), kept simple: VAT-like names VA, GST/HST GS, local,
 * city or county taxes LT, anything else ST (state sales tax: a US distributor's usual tax).
 */
export function taxTypeCode(name: string): string {
  if (/\b(vat|tva|iva|mwst)\b|value added/i.test(name)) return 'VA';
  if (/\b(gst|hst)\b|goods and services/i.test(name)) return 'GS';
  if (/\b(local|city|county|municipal)\b/i.test(name)) return 'LT';
  return 'ST';
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** invoice line -> 850 line index: through the sale line it invoices, else a matched sale line of its product. */
function linkLines(facts: InvoiceFacts, po: PurchaseOrder, rules: InvoiceRules): Map<number, number> {
  const matches = matchSaleLines(po.lines, facts.order.lines, rules.productIds);
  const bySaleLine = new Map([...matches].map(([index, m]) => [m.sale.id, index]));
  const productOf = new Map(facts.order.lines.map((s) => [s.id, s.productId]));
  const out = new Map<number, number>();
  const claimed = new Set<number>();
  const unlinked: InvoiceLineFacts[] = [];
  for (const line of facts.lines) {
    const index = line.saleLineId !== undefined ? bySaleLine.get(line.saleLineId) : undefined;
    if (index === undefined) unlinked.push(line);
    else {
      out.set(line.id, index);
      claimed.add(index);
    }
  }
  // An invoice made by hand (invoice_origin only): its product's 850 line, if no other line took it.
  for (const line of unlinked) {
    if (line.saleLineId !== undefined || line.productId === undefined) continue;
    const hit = [...matches].find(([index, m]) => !claimed.has(index) && productOf.get(m.sale.id) === line.productId);
    if (hit) {
      out.set(line.id, hit[0]);
      claimed.add(hit[0]);
    }
  }
  return out;
}

/**
 * IT104, the unit price without tax. Odoo's price_unit includes the taxes marked price_include,
 * which TXI adds again; so the price is then derived from what Odoo invoiced untaxed (price_subtotal
 * before the line's discount), with the fewest decimals (2 to 9) whose extension gives that amount
 * back in cents, so that the IT1 extensions, SAC and TXI add up to TDS.
 */
export function untaxedUnitPrice(line: Pick<InvoiceLineFacts, 'quantity' | 'price' | 'discount' | 'subtotal' | 'taxIds'>, taxes: readonly TaxFacts[]): number {
  const included = taxes.filter((t) => t.priceInclude && line.taxIds.includes(t.id));
  if (!included.length || line.quantity === 0) return line.price;
  // A 100% discount leaves no subtotal to derive from: take the included percents off the price.
  if (line.discount >= 100) return roundDecimal(line.price / (1 + included.reduce((s, t) => s + (t.amountType === 'fixed' ? 0 : t.amount), 0) / 100), 2);
  const gross = round2(line.discount > 0 ? line.subtotal / (1 - line.discount / 100) : line.subtotal);
  const exact = gross / line.quantity;
  for (let decimals = 2; decimals <= 9; decimals++) {
    const price = roundDecimal(exact, decimals);
    if (round2(line.quantity * price) === gross) return price;
  }
  return roundDecimal(exact, 9);
}

/** The line's discount as an allowance of the IT1 loop: gross (at IT104) minus what Odoo invoiced. */
function lineDiscount(line: InvoiceLineFacts, unitPrice: number): AllowanceCharge[] {
  if (!(line.discount > 0)) return [];
  return [{ indicator: 'allowance', code: SAC_DISCOUNT, amount: round2(line.quantity * unitPrice - line.subtotal), percentQualifier: PERCENT_OF_GROSS, percent: line.discount, description: 'Discount' }];
}

function itemLine(line: InvoiceLineFacts, unit: string, ordered: OrderLine | undefined, index: number | undefined, taxes: readonly TaxFacts[]): InvoiceLine {
  const unitPrice = untaxedUnitPrice(line, taxes);
  const out: InvoiceLine = {
    quantity: line.quantity,
    unit,
    unitPrice,
    productIds: ordered ? ordered.productIds : { ...(line.defaultCode ? { vendorPart: line.defaultCode } : {}), ...gtinIdsOf(line.barcode), other: [] },
    references: [], dates: [], taxes: [],
    allowancesCharges: lineDiscount(line, unitPrice),
  };
  if (ordered) {
    out.lineNumber = ordered.lineNumber ?? String(index! + 1);
    if (ordered.priceBasis !== undefined) out.priceBasis = ordered.priceBasis;
    if (ordered.description !== undefined) out.description = ordered.description;
  }
  return out;
}

/**
 * One TXI per tax of the invoice, computed from its lines as Odoo does by default (rounded per
 * line): percent taxes on the untaxed amount, fixed ones per unit. What Odoo rounded otherwise
 * (amount_tax is the truth) goes to the largest, so the TXI add up to the invoice's tax.
 */
export function invoiceTaxes(facts: Pick<InvoiceFacts, 'lines' | 'taxes' | 'amountTax'>): Tax[] {
  const byId = new Map(facts.taxes.map((t) => [t.id, t]));
  const sums = new Map<number, { amount: number; basis: number }>();
  for (const line of facts.lines) {
    for (const id of line.taxIds) {
      const tax = byId.get(id);
      if (!tax) continue;
      const sum = sums.get(id) ?? { amount: 0, basis: 0 };
      sum.amount = round2(sum.amount + round2(tax.amountType === 'fixed' ? tax.amount * line.quantity : (line.subtotal * tax.amount) / 100));
      sum.basis = round2(sum.basis + line.subtotal);
      sums.set(id, sum);
    }
  }
  const taxes: Tax[] = [...sums].map(([id, sum]) => {
    const tax = byId.get(id)!;
    const t: Tax = { typeCode: taxTypeCode(tax.name), amount: sum.amount };
    if (tax.amountType !== 'fixed') Object.assign(t, { percent: tax.amount, basisAmount: sum.basis });
    // A 0% tax is how Odoo says exempt (TXI06 1: yes, exempt).
    if (tax.amount === 0) t.exemptCode = '1';
    return t;
  });
  const rest = round2(facts.amountTax - taxes.reduce((s, t) => s + (t.amount ?? 0), 0));
  if (rest !== 0) {
    if (!taxes.length) taxes.push({ typeCode: 'ST', amount: facts.amountTax });
    else {
      const largest = taxes.reduce((a, b) => (Math.abs(b.amount ?? 0) > Math.abs(a.amount ?? 0) ? b : a));
      largest.amount = round2((largest.amount ?? 0) + rest);
    }
  }
  return taxes;
}

/** ITD: basic terms from the invoice date (ITD02 3), net days and due date, the early payment discount if any. */
export function invoiceTerms(facts: Pick<InvoiceFacts, 'term' | 'invoiceDate' | 'dueDate'>): PaymentTerms[] {
  const { term, dueDate } = facts;
  if (!term && !dueDate) return [];
  const discount = term?.discountPercent && term.discountPercent > 0 ? term : undefined;
  const t: PaymentTerms = { typeCode: discount ? '08' : '01', basisDateCode: '3' };
  if (discount) {
    t.discountPercent = discount.discountPercent!;
    const days = discount.discountDays ?? 0;
    t.discountDueDate = addDays(facts.invoiceDate, days);
    t.discountDays = days;
  }
  if (dueDate) t.netDueDate = dueDate;
  if (term?.netDays !== undefined) t.netDays = term.netDays;
  if (term?.name) t.description = term.name.slice(0, 80);
  return [t];
}

export function invoiceDocument(facts: InvoiceFacts, po: PurchaseOrder, rules: InvoiceRules): InvoiceVerdict {
  const held: string[] = [];
  const codes = x12UnitCodes(rules.units);
  const linked = linkLines(facts, po, rules);
  const numbered = po.lines.some((l) => l.lineNumber !== undefined);
  const lines: InvoiceLine[] = [];
  const allowancesCharges: AllowanceCharge[] = [];
  const outcomes: InvoiceLineOutcome[] = [];
  const sorted = [...facts.lines].sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  sorted.forEach((line, position) => {
    const label = `invoice ${facts.name}, line ${position + 1} (${line.productName})`;
    const description = (line.label || line.productName).slice(0, 80);
    if (line.quantity === 0 && line.subtotal === 0) {
      outcomes.push({ invoiceLineId: line.id, as: 'left out' });
      return;
    }
    if (line.subtotal < 0) {
      allowancesCharges.push({ indicator: 'allowance', code: SAC_DISCOUNT, amount: round2(-line.subtotal), description });
      outcomes.push({ invoiceLineId: line.id, as: 'allowance' });
      return;
    }
    const index = linked.get(line.id);
    // A service, or a line without product (a fee typed in), that the customer did not order: a charge.
    if (index === undefined && (line.productType === 'service' || line.productId === undefined)) {
      allowancesCharges.push({ indicator: 'charge', code: FREIGHT.test(`${line.productName} ${line.label}`) ? SAC_FREIGHT : SAC_MUTUALLY_DEFINED, amount: round2(line.subtotal), description });
      outcomes.push({ invoiceLineId: line.id, as: 'charge' });
      return;
    }
    const ordered = index === undefined ? undefined : po.lines[index];
    if (!ordered && numbered) {
      held.push(`${label}: invoices no line of ${po.poNumber} (sale order ${facts.order.name}), and the customer's 850 numbers its lines, which each IT1 must echo: invoice it from the sale order line it belongs to (its sale_line_ids), or on an invoice of its own, then build again`);
      return;
    }
    const unit = ordered ? unitCodeFor(line, ordered) : line.unitCodes[0];
    if (unit === undefined) {
      held.push(`${label}: unit '${line.unitName}' has no X12 code: add its code to odoo.units in ${rules.partnerFile} (<X12 code>: ${line.unitName}), or set the invoice line's unit (product_uom_id) to one that has, then build again`);
      return;
    }
    const item = itemLine(line, unit, ordered, index, facts.taxes);
    lines.push(item);
    outcomes.push({ invoiceLineId: line.id, as: 'line', ...(item.lineNumber !== undefined ? { line: item.lineNumber } : {}) });
  });
  if (held.length) return { held };
  const document = InvoiceSchema.parse({
    invoiceNumber: facts.name,
    invoiceDate: facts.invoiceDate,
    poDate: po.poDate,
    poNumber: po.poNumber,
    ...(po.releaseNumber !== undefined ? { releaseNumber: po.releaseNumber } : {}),
    transactionType: 'DI',
    purposeCode: '00',
    // CUR only for a customer whose 850 carried one, in the invoice's currency.
    ...(po.currency !== undefined ? { currency: facts.currency ?? po.currency } : {}),
    parties: po.parties,
    terms: invoiceTerms(facts),
    lines,
    totals: { amount: facts.amountTotal },
    taxes: invoiceTaxes(facts),
    allowancesCharges,
  });
  return { document, outcomes };
}
