// 810 invoice from a supplier -> a draft vendor bill (account.move in_invoice; in_refund for a
// credit memo) linked to the PO lines (purchase_line_id, docs/odoo.md#vendor-bills-from-810), vendor
// reference = invoice number. Three-way match: each line's quantity against the PO and the
// receipts, its price against the PO; the total against the lines. Mismatches are recorded on the
// document and in a message on the bill for a person; the bill stays draft either way.
import type { AllowanceCharge } from '../../documents/common.js';
import type { Invoice } from '../../documents/invoice.js';
import { postNote } from '../lookup/chatter.js';
import { addDays } from './dates.js';
import { MasterDataGap } from './gap.js';
import { findPurchaseOrder, matchPurchaseLine, purchaseLinesOf, supplierOf, type PurchaseLine } from './purchase-lines.js';
import { idOf, markerOf, refOf, sourceOf, type PostingContext, type PostingResult } from './context.js';

export interface Mismatch {
  line: string;
  what: 'quantity-ordered' | 'quantity-received' | 'price' | 'total';
  invoiced: number;
  expected: number;
}

export async function postVendorBill(ctx: PostingContext, invoice: Invoice): Promise<PostingResult> {
  const { vendor, products } = await supplierOf(ctx);
  const moveType = invoice.transactionType === 'CR' ? 'in_refund' : 'in_invoice';
  const existing = (await ctx.client.searchRead('account.move', [['move_type', '=', moveType], ['partner_id', 'child_of', vendor.commercialId], ['ref', '=', invoice.invoiceNumber], ['state', '!=', 'cancel']], { fields: ['id', 'name', 'invoice_line_ids'], limit: 1 }))[0];
  if (existing && !invoice.poNumber) {
    return { ref: refOf('account.move', existing.id, billName(existing['name'])), summary: `vendor bill for invoice ${invoice.invoiceNumber} exists already: nothing created` };
  }
  if (!invoice.poNumber) throw new MasterDataGap('purchase-order', `810 invoice ${invoice.invoiceNumber} names no purchase order (BIG04): enter the bill by hand`, { invoice: invoice.invoiceNumber });
  // The PO and every line's product are read side by side (products: one read for all lines).
  const [po] = await Promise.all([findPurchaseOrder(ctx, vendor, invoice.poNumber, `810 invoice ${invoice.invoiceNumber}`), products.prefetch(invoice.lines.map((l) => l.productIds))]);
  // A bill made by an earlier try counts in qty_invoiced: leave it out, so a retry reports the
  // same three-way match as the first try did.
  const poLines = withoutBill(await purchaseLinesOf(ctx, po), existing ? await billedByLine(ctx, existing['invoice_line_ids'] as number[]) : new Map());
  const tolerance = ctx.settings.prices.tolerancePercent / 100;
  const gaps: string[] = [];
  const mismatches: Mismatch[] = [];
  const billLines: unknown[] = [];
  let computedTotal = 0;
  for (const [index, line] of invoice.lines.entries()) {
    const label = `line ${line.lineNumber ?? index + 1}`;
    let poLine: PurchaseLine;
    try {
      poLine = await matchPurchaseLine(products, poLines, line.productIds, line.lineNumber, `810 invoice ${invoice.invoiceNumber}, ${label}`, po.name);
    } catch (error) {
      if (error instanceof MasterDataGap) { gaps.push(error.message); continue; }
      throw error;
    }
    computedTotal += line.quantity * line.unitPrice + chargesOf(line.allowancesCharges);
    const open = poLine.quantity - poLine.qtyInvoiced;
    if (line.quantity > open + 1e-9) mismatches.push({ line: label, what: 'quantity-ordered', invoiced: line.quantity, expected: open });
    const receivedOpen = poLine.qtyReceived - poLine.qtyInvoiced;
    if (line.quantity > receivedOpen + 1e-9) mismatches.push({ line: label, what: 'quantity-received', invoiced: line.quantity, expected: receivedOpen });
    if (Math.abs(line.unitPrice - poLine.priceUnit) > Math.abs(poLine.priceUnit) * tolerance + 1e-6) mismatches.push({ line: label, what: 'price', invoiced: line.unitPrice, expected: poLine.priceUnit });
    billLines.push([0, 0, {
      purchase_line_id: poLine.id,
      product_id: poLine.productId,
      quantity: line.quantity,
      price_unit: line.unitPrice,
      product_uom_id: poLine.uomId,
      ...(line.description ? { name: line.description } : {}),
    }]);
  }
  if (gaps.length) throw new MasterDataGap('order-line', gaps.join('\n'), { purchaseOrder: po.name, invoice: invoice.invoiceNumber });
  if (billLines.length === 0) throw new MasterDataGap('order-line', `810 invoice ${invoice.invoiceNumber} has no lines: enter the bill by hand`, { invoice: invoice.invoiceNumber });
  const charges = chargesOf(invoice.allowancesCharges);
  const taxes = invoice.taxes.reduce((s, t) => s + (t.amount ?? 0), 0);
  const expectedTotal = round2(computedTotal + charges + taxes);
  if (Math.abs(expectedTotal - invoice.totals.amount) > 0.005) mismatches.push({ line: 'total', what: 'total', invoiced: invoice.totals.amount, expected: expectedTotal });

  const due = dueDateOf(invoice);
  const mismatchNote = mismatches.length ? `, ${mismatches.length} mismatches to check` : ', matches PO and receipts';
  if (existing) {
    return {
      ref: refOf('account.move', existing.id, billName(existing['name'])),
      summary: `vendor bill ${billName(existing['name']) ?? `#${existing.id}`} for invoice ${invoice.invoiceNumber} exists already: nothing created (${billLines.length} lines${mismatchNote})`,
      details: { invoice: invoice.invoiceNumber, purchaseOrder: po.name, mismatches },
    };
  }
  // Created and its number read in one call where Odoo has web_save (17+).
  const bill = await ctx.client.createAndRead('account.move', {
    move_type: moveType,
    partner_id: vendor.commercialId,
    ref: invoice.invoiceNumber,
    payment_reference: invoice.invoiceNumber,
    invoice_date: invoice.invoiceDate,
    // Set explicitly: without a payment term Odoo may compute a due date before the invoice date (docs/odoo.md#quirks-and-how-they-were-verified).
    invoice_date_due: due,
    invoice_origin: po.name,
    invoice_line_ids: billLines,
  }, ['name']);
  const id = bill.id;
  const lines = [
    `Draft bill from EDI 810 invoice ${invoice.invoiceNumber} of ${ctx.partnerName} (${sourceOf(ctx.envelope)}), PO ${po.name}, total ${invoice.totals.amount}, due ${due}.`,
    ...(mismatches.length ? ['Three-way match found differences for a person to check:', ...mismatches.map(describeMismatch)] : ['Three-way match: quantities and prices agree with the PO and the receipts.']),
  ];
  // The bill was made by this call: no message of ours can be on it yet.
  await postNote(ctx, 'account.move', id, markerOf(ctx.naturalKey), lines);
  const name = billName(bill['name']) ?? `#${id}`;
  return {
    ref: refOf('account.move', id, billName(bill['name'])),
    summary: `draft vendor bill ${name} for invoice ${invoice.invoiceNumber} (${billLines.length} lines${mismatchNote})`,
    details: { invoice: invoice.invoiceNumber, purchaseOrder: po.name, mismatches },
  };
}

/** Quantity per PO line on an existing bill's lines. */
async function billedByLine(ctx: PostingContext, lineIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await ctx.client.read('account.move.line', lineIds, ['purchase_line_id', 'quantity']);
  const out = new Map<number, number>();
  for (const r of rows) {
    const id = idOf(r['purchase_line_id']);
    if (id) out.set(id, (out.get(id) ?? 0) + Number(r['quantity'] ?? 0));
  }
  return out;
}

function withoutBill(lines: readonly PurchaseLine[], billed: ReadonlyMap<number, number>): PurchaseLine[] {
  return lines.map((l) => ({ ...l, qtyInvoiced: Math.max(0, l.qtyInvoiced - (billed.get(l.id) ?? 0)) }));
}

/** ITD net due date, else invoice date + ITD net days, else the invoice date. */
export function dueDateOf(invoice: Invoice): string {
  const terms = invoice.terms[0];
  if (terms?.netDueDate) return terms.netDueDate;
  if (terms?.netDays !== undefined) return addDays(invoice.invoiceDate, terms.netDays);
  return invoice.invoiceDate;
}

function describeMismatch(m: Mismatch): string {
  switch (m.what) {
    case 'quantity-ordered': return `${m.line}: invoiced ${m.invoiced}, but only ${m.expected} ordered and not yet billed`;
    case 'quantity-received': return `${m.line}: invoiced ${m.invoiced}, but only ${m.expected} received and not yet billed`;
    case 'price': return `${m.line}: invoiced price ${m.invoiced}, PO price ${m.expected}`;
    case 'total': return `total: invoice says ${m.invoiced}, lines, charges and taxes add up to ${m.expected}`;
  }
}

/** SAC amounts: charges add, allowances subtract. */
function chargesOf(list: readonly AllowanceCharge[]): number {
  return list.reduce((s, c) => s + (c.amount ?? 0) * (c.indicator === 'allowance' ? -1 : c.indicator === 'charge' ? 1 : 0), 0);
}

/** A draft bill has no number yet: '/' on 18 (after the journal's first), false on 19 [verified on real 18 and 19]. */
function billName(name: unknown): string | undefined {
  return typeof name === 'string' && name && name !== '/' ? name : undefined;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
