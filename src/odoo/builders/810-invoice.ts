// 810 to a customer from a posted customer invoice of a sale order that came from its 850
// (docs/odoo.md#810-from-posted-invoices): the invoice, its lines, taxes and payment term are read
// afresh, the sale order is found through the lines' sale_line_ids (else invoice_origin), the
// stored 850 by the order's customer reference, and 810-invoice-document.ts (pure) builds the 810.
import type { OdooRecord } from '../client/client.js';
import { idOf } from '../postings/context.js';
import type { SaleLineFacts } from './ack-lines.js';
import { invoiceDocument, type InvoiceFacts, type InvoiceLineFacts, type OrderSaleLine, type TermFacts } from './810-invoice-document.js';
import { x12UnitCodes } from './units.js';
import type { BuildContext, BuildOutcome, Builder, SourceRecord } from './types.js';

const MODEL = 'account.move';
const MOVE_FIELDS = ['name', 'move_type', 'state', 'invoice_date', 'invoice_date_due', 'invoice_origin', 'invoice_payment_term_id', 'invoice_line_ids', 'amount_tax', 'amount_total', 'currency_id', 'write_date'];
const LINE_FIELDS = ['sequence', 'display_type', 'product_id', 'name', 'quantity', 'price_unit', 'discount', 'price_subtotal', 'product_uom_id', 'tax_ids', 'sale_line_ids'];
/** Archived products and terms may still be on a posted invoice. */
const WITH_ARCHIVED = { active_test: false };

const nameOf = (value: unknown): string => (Array.isArray(value) && typeof value[1] === 'string' ? value[1] : '');
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const dayOf = (value: unknown): string | undefined => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined);
const ids = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []);

export const invoiceBuilder: Builder<'810'> = {
  kind: '810',
  model: MODEL,
  partnerField: 'partner_id',
  triggerDomain: () => [['move_type', '=', 'out_invoice'], ['state', '=', 'posted']],
  build,
};

async function build(ctx: BuildContext, recordId: number): Promise<BuildOutcome<'810'>> {
  const [move] = await ctx.client.read(MODEL, [recordId], MOVE_FIELDS);
  if (!move) return { skipped: `account.move ${recordId} does not exist (any more)` };
  const name = String(text(move['name']) ?? recordId);
  if (move['move_type'] !== 'out_invoice') return { skipped: `account.move ${name} is no customer invoice (move_type ${String(move['move_type'])})` };
  if (move['state'] !== 'posted') return { skipped: `invoice ${name} is not posted (state ${String(move['state'])})` };
  const source: SourceRecord = { model: MODEL, id: recordId, name, writeDate: String(move['write_date'] ?? '') };

  const rows = (await ctx.client.read('account.move.line', ids(move['invoice_line_ids']), LINE_FIELDS))
    .filter((r) => (r['display_type'] || 'product') === 'product');
  const order = await saleOrderOf(ctx, move, rows);
  if ('skipped' in order) return { skipped: `invoice ${name}: ${order.skipped}` };
  if ('held' in order) return { held: `invoice ${name}: ${order.held}`, source };
  const poNumber = text(order.record['client_order_ref']);
  const orderName = String(order.record['name']);
  if (!poNumber) return { skipped: `invoice ${name}: sale order ${orderName} has no customer reference (client_order_ref): it did not come from an 850` };
  const stored = await ctx.inbound.purchaseOrder(ctx.partnerCode, poNumber);
  if (!stored) return { skipped: `invoice ${name}: no 850 with PO number ${poNumber} was received from ${ctx.partnerName}, so there is nothing to invoice against` };

  const [saleLines, taxes, term] = await Promise.all([
    ctx.client.read('sale.order.line', ids(order.record['order_line']), ['sequence', 'display_type', 'product_id', 'product_uom_qty', ctx.schema.names.saleLine.uom, 'price_unit']),
    taxesOf(ctx, rows),
    termOf(ctx, idOf(move['invoice_payment_term_id'])),
  ]);
  const goodsSaleLines = saleLines.filter((r) => !r['display_type'] && idOf(r['product_id']));
  const products = await productsOf(ctx, [...goodsSaleLines, ...rows]);
  const codes = x12UnitCodes(ctx.settings.units);
  const facts: InvoiceFacts = {
    name,
    invoiceDate: dayOf(move['invoice_date']) ?? dayOf(move['write_date'])!,
    dueDate: dayOf(move['invoice_date_due']),
    currency: text(nameOf(move['currency_id'])),
    amountTax: Number(move['amount_tax'] ?? 0),
    amountTotal: Number(move['amount_total'] ?? 0),
    lines: rows.map((r) => invoiceLineFacts(r, products, codes)),
    taxes,
    term,
    order: { name: orderName, lines: goodsSaleLines.map((r) => orderLineFacts(ctx, r, products, codes)) },
  };
  const verdict = invoiceDocument(facts, stored.document, { units: ctx.settings.units, productIds: ctx.settings.products.ids, partnerFile: ctx.partnerFile });
  if ('held' in verdict) return { held: verdict.held.join('\n'), source };
  return { built: verdict.document, source, details: { inboundDocumentId: stored.documentId, saleOrder: orderName, lines: verdict.outcomes } };
}

/**
 * The sale order the invoice bills: the order of its lines' sale lines (as Odoo's own invoicing
 * links them), else the order named by invoice_origin. An 810 answers one 850, so an invoice of
 * several orders is held.
 */
async function saleOrderOf(ctx: BuildContext, move: OdooRecord, rows: readonly OdooRecord[]): Promise<{ record: OdooRecord } | { skipped: string } | { held: string }> {
  const fields = ['name', 'client_order_ref', 'order_line'];
  const saleLineIds = [...new Set(rows.flatMap((r) => ids(r['sale_line_ids'])))];
  const orderIds = saleLineIds.length
    ? [...new Set((await ctx.client.read('sale.order.line', saleLineIds, ['order_id'])).map((l) => idOf(l['order_id'])).filter((id): id is number => id !== undefined))]
    : [];
  if (orderIds.length > 1) {
    const orders = await ctx.client.read('sale.order', orderIds, ['name']);
    return { held: `it invoices several sale orders (${orders.map((o) => String(o['name'])).join(', ')}), and an 810 answers one purchase order: reset it to draft and invoice each order on its own invoice, then build again` };
  }
  if (orderIds.length === 1) {
    const [record] = await ctx.client.read('sale.order', orderIds, fields);
    if (record) return { record };
  }
  const origin = text(move['invoice_origin']);
  if (!origin) return { skipped: 'it is linked to no sale order (no sale order lines, no origin)' };
  const [record] = await ctx.client.searchRead('sale.order', [['name', '=', origin]], { fields, limit: 1 });
  return record ? { record } : { skipped: `its origin ${origin} is no sale order` };
}

async function productsOf(ctx: BuildContext, rows: readonly OdooRecord[]): Promise<Map<number, OdooRecord>> {
  const productIds = [...new Set(rows.map((r) => idOf(r['product_id'])).filter((id): id is number => id !== undefined))];
  if (!productIds.length) return new Map();
  return new Map((await ctx.client.read('product.product', productIds, ['default_code', 'barcode', 'type'], WITH_ARCHIVED)).map((p) => [p.id, p]));
}

/** What line matching and the unit code need of a line (sale order or invoice line). */
function lineBase(r: OdooRecord, products: ReadonlyMap<number, OdooRecord>, codes: ReadonlyMap<string, readonly string[]>, unitField: string, quantityField: string): SaleLineFacts & { productId?: number } {
  const productId = idOf(r['product_id']);
  const product = productId === undefined ? undefined : products.get(productId);
  const unitName = nameOf(r[unitField]);
  return {
    id: r.id,
    sequence: Number(r['sequence'] ?? 0),
    productName: nameOf(r['product_id']) || text(r['name'])?.split('\n')[0] || `line ${r.id}`,
    ...(text(product?.['default_code']) ? { defaultCode: text(product?.['default_code'])! } : {}),
    ...(text(product?.['barcode']) ? { barcode: text(product?.['barcode'])! } : {}),
    quantity: Number(r[quantityField] ?? 0),
    price: Number(r['price_unit'] ?? 0),
    unitName,
    unitCodes: codes.get(unitName.trim().toLowerCase()) ?? [],
    ...(productId !== undefined ? { productId } : {}),
  };
}

function orderLineFacts(ctx: BuildContext, r: OdooRecord, products: ReadonlyMap<number, OdooRecord>, codes: ReadonlyMap<string, readonly string[]>): OrderSaleLine {
  const base = lineBase(r, products, codes, ctx.schema.names.saleLine.uom, 'product_uom_qty');
  return { ...base, productId: base.productId! };
}

function invoiceLineFacts(r: OdooRecord, products: ReadonlyMap<number, OdooRecord>, codes: ReadonlyMap<string, readonly string[]>): InvoiceLineFacts {
  const base = lineBase(r, products, codes, 'product_uom_id', 'quantity');
  const product = base.productId === undefined ? undefined : products.get(base.productId);
  const saleLineId = ids(r['sale_line_ids'])[0];
  return {
    ...base,
    productType: text(product?.['type']),
    label: text(r['name'])?.split('\n')[0] ?? '',
    discount: Number(r['discount'] ?? 0),
    subtotal: Number(r['price_subtotal'] ?? 0),
    taxIds: ids(r['tax_ids']),
    ...(saleLineId !== undefined ? { saleLineId } : {}),
  };
}

async function taxesOf(ctx: BuildContext, rows: readonly OdooRecord[]) {
  const taxIds = [...new Set(rows.flatMap((r) => ids(r['tax_ids'])))];
  if (!taxIds.length) return [];
  const included = (await ctx.schema.has('account.tax', 'price_include')) ? ['price_include'] : [];
  return (await ctx.client.read('account.tax', taxIds, ['name', 'amount', 'amount_type', ...included], WITH_ARCHIVED)).map((t) => ({
    id: t.id, name: String(t['name'] ?? ''), amount: Number(t['amount'] ?? 0), amountType: String(t['amount_type'] || 'percent'), priceInclude: t['price_include'] === true,
  }));
}

/** The payment term: its longest delay, and its early payment discount where the server has one (17+). */
async function termOf(ctx: BuildContext, termId: number | undefined): Promise<TermFacts | undefined> {
  if (termId === undefined) return undefined;
  const discountFields = (await ctx.schema.has('account.payment.term', 'early_discount')) ? ['early_discount', 'discount_percentage', 'discount_days'] : [];
  const [term] = await ctx.client.read('account.payment.term', [termId], ['name', 'line_ids', ...discountFields], WITH_ARCHIVED);
  if (!term) return undefined;
  const lines = await ctx.client.read('account.payment.term.line', ids(term['line_ids']), ['nb_days']);
  const facts: TermFacts = { name: String(term['name'] ?? '') };
  if (lines.length) facts.netDays = Math.max(...lines.map((l) => Number(l['nb_days'] ?? 0)));
  if (term['early_discount'] === true) {
    facts.discountPercent = Number(term['discount_percentage'] ?? 0);
    facts.discountDays = Number(term['discount_days'] ?? 0);
  }
  return facts;
}
