// 850 purchase order from a customer -> sale.order (docs/odoo.md#sale-orders-from-850, docs/odoo.md#idempotency-look-up-before-create).
//   original / confirmation: look up by client_order_ref among the customer's non-cancelled orders,
//     create (one call: header and lines) when absent, confirm when configured;
//   cancellation: cancel when nothing was delivered, else a person decides;
//   replace: rewrite an unconfirmed order's lines (only what differs), else a person decides;
//   duplicate: recorded, not posted.
import type { PurchaseOrder } from '../../documents/purchase-order.js';
import type { Party } from '../../documents/common.js';
import { GatewayError, retryPolicyOf } from '../../errors/failure.js';
import type { OdooRecord } from '../client/client.js';
import { findAddress, findTradingPartner, type PartnerRecord } from '../lookup/partners.js';
import { productLookup } from '../lookup/products.js';
import { unitLookup } from '../lookup/units.js';
import { postNote, postOnce } from '../lookup/chatter.js';
import { sameFloat } from '../lookup/precision.js';
import { odooDatetime, requestedDate } from './dates.js';
import { documentPrice } from './line-price.js';
import { MasterDataGap } from './gap.js';
import { idOf, markerOf, refOf, sourceOf, type PostingContext, type PostingResult } from './context.js';

interface LineValues {
  lineLabel: string;
  values: Record<string, unknown>;
  /** Where the posted price comes from: 'PO104', 'CTP NET', ..., or 'odoo' (Odoo's pricelist). */
  priceSource: string;
  /** "line 2: in 'Case of 4' (4 Units), not 'Case of 12' ...": the line's PO401 chose another unit than odoo.units. */
  unitNote?: string;
}

/** What the timeline and the summary say about prices, dates and units that did not come from the document as such. */
interface OrderNotes {
  /** "line 2: price from Odoo ..." per line Odoo priced; empty when the document priced every line. */
  prices: string[];
  dates: string[];
  /** Lines posted in another unit than odoo.units names, because of their PO4 pack. */
  units: string[];
}

const ORDER_FIELDS = ['id', 'name', 'state', 'order_line', 'client_order_ref', 'partner_shipping_id', 'partner_invoice_id'];

export async function postSaleOrder(ctx: PostingContext, po: PurchaseOrder): Promise<PostingResult> {
  const customer = await findTradingPartner(ctx);
  const marker = markerOf(ctx.naturalKey);
  if (po.purpose === 'duplicate') {
    return { ref: 'not-posted:duplicate', summary: `850 PO ${po.poNumber} is marked duplicate (BEG01 07): recorded, not posted` };
  }
  const existing = await findOrder(ctx, customer, po.poNumber);
  switch (po.purpose) {
    case 'original':
    case 'confirmation':
      return existing ? replayed(ctx, existing, po) : createOrder(ctx, customer, po, marker);
    case 'cancellation':
      return cancelOrder(ctx, customer, existing, po, marker);
    case 'replace':
      return replaceOrder(ctx, customer, existing, po, marker);
    default:
      throw new GatewayError('ODOO_PURPOSE_NOT_AUTOMATED', `850 PO ${po.poNumber} has purpose ${po.purposeCode ?? po.purpose} (BEG01), which is not posted automatically: handle it in Odoo by hand`, { purpose: po.purposeCode ?? po.purpose });
  }
}

async function findOrder(ctx: PostingContext, customer: PartnerRecord, poNumber: string): Promise<OdooRecord | undefined> {
  const rows = await ctx.client.searchRead('sale.order', [['client_order_ref', '=', poNumber], ['partner_id', 'child_of', customer.commercialId], ['state', '!=', 'cancel']], { fields: ORDER_FIELDS, limit: 2, order: 'id' });
  if (rows.length > 1) {
    throw new MasterDataGap('order', `several open sale orders of ${customer.name} carry customer reference ${poNumber} (${rows.map((r) => r['name']).join(', ')}): cancel the extra ones`, { client_order_ref: poNumber });
  }
  return rows[0];
}

/** The same PO again (a replay, or a resend): nothing is created; a pending confirmation is done. */
async function replayed(ctx: PostingContext, order: OdooRecord, po: PurchaseOrder): Promise<PostingResult> {
  if (ctx.settings.confirmOrders && (order['state'] === 'draft' || order['state'] === 'sent')) {
    await ctx.client.call('sale.order', 'action_confirm', [order.id]);
  }
  return { ref: refOf('sale.order', order.id, order['name']), summary: `sale order ${String(order['name'])} for PO ${po.poNumber} exists already: nothing created` };
}

async function headerValues(ctx: PostingContext, customer: PartnerRecord, po: PurchaseOrder): Promise<Record<string, unknown>> {
  const shipToParty = partyOf(po.parties, 'ship_to');
  const billToParty = partyOf(po.parties, 'bill_to');
  const shipTo = shipToParty ? await findAddress(ctx, shipToParty, customer, 'delivery') : undefined;
  const billTo = billToParty ? await findAddress(ctx, billToParty, customer, 'invoice') : undefined;
  const { date: requested, perLine } = requestedDate(po.dates, po.lines);
  const noteLines = [`Customer PO ${po.poNumber} dated ${po.poDate}${po.releaseNumber ? `, release ${po.releaseNumber}` : ''} (EDI 850, ${sourceOf(ctx.envelope)})`];
  if (requested) noteLines.push(`Requested date: ${requested}`);
  // Odoo has no date per sale order line: the lines' own dates stay readable in the note.
  if (perLine.some((l) => l.date !== requested)) noteLines.push(`Requested dates per line: ${perLine.map((l) => `${l.label} ${l.date}`).join(', ')}`);
  for (const n of po.notes) for (const m of n.messages) noteLines.push(m);
  return {
    partner_id: customer.commercialId,
    client_order_ref: po.poNumber,
    origin: `EDI ${ctx.partnerCode} ${po.poNumber}`,
    ...(shipTo ? { partner_shipping_id: shipTo.id } : {}),
    ...(billTo ? { partner_invoice_id: billTo.id } : {}),
    // date_order is overwritten on confirmation (docs/odoo.md#quirks-and-how-they-were-verified): the PO date lives in the note.
    ...(requested ? { commitment_date: odooDatetime(requested) } : {}),
    note: noteLines.join('\n'),
  };
}

function partyOf(parties: readonly Party[], role: Party['role']): Party | undefined {
  return parties.find((p) => p.role === role);
}

/** The value, or the first failure thrown (a gap of another lookup of the line is collected by the caller). */
function settledValue<T>(r: PromiseSettledResult<T>): T {
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

/** One gap as it is; several as one gap listing them all (a person fixes them all before one replay). */
function throwGaps(gaps: readonly MasterDataGap[]): void {
  if (gaps.length === 1) throw gaps[0]!;
  if (gaps.length > 1) throw new MasterDataGap(gaps[0]!.gap, gaps.map((g) => g.message).join('\n'), { gaps: gaps.map((g) => ({ gap: g.gap, ...g.lookedFor })) });
}

/** Header and lines, with every gap of both reported at once. */
async function orderValues(ctx: PostingContext, customer: PartnerRecord, po: PurchaseOrder): Promise<{ header: Record<string, unknown>; lines: LineValues[] }> {
  const [header, lines] = await Promise.allSettled([headerValues(ctx, customer, po), lineValues(ctx, po)]);
  const gaps = [header, lines].flatMap((r) => (r.status === 'rejected' && r.reason instanceof MasterDataGap ? [r.reason] : []));
  // What is retried goes first; then every gap; then another refusal (a price), once no gap hides it.
  for (const r of [header, lines]) if (r.status === 'rejected' && !(r.reason instanceof MasterDataGap) && retryPolicyOf(r.reason) !== 'business') throw r.reason;
  throwGaps(gaps);
  return { header: settledValue(header), lines: settledValue(lines) };
}

/** The sentences a person reads on the timeline: lines Odoo priced, and a commitment date taken from the lines. */
function orderNotes(ctx: PostingContext, po: PurchaseOrder, lines: readonly LineValues[]): OrderNotes {
  const why = ctx.settings.prices.policy === 'odoo' ? 'odoo.prices.policy: odoo' : 'no PO104, no usable CTP';
  const prices = lines.filter((l) => l.priceSource === 'odoo').map((l) => `${l.lineLabel}: price from Odoo (list price or the customer's pricelist), not the document (${why})`);
  const { date } = requestedDate(po.dates, po.lines);
  const fromLines = date !== undefined && requestedDate(po.dates, []).date === undefined;
  const dates = fromLines ? [`commitment date ${date} from the earliest line date (no requested date in the heading)`] : [];
  const units = lines.flatMap((l) => (l.unitNote ? [l.unitNote] : []));
  return { prices, dates, units };
}

/** The summary's tail and the timeline details for the notes. */
function withNotes(summary: string, notes: OrderNotes, lines: readonly LineValues[]): Pick<PostingResult, 'summary' | 'details'> {
  const said = [...notes.dates, ...notes.units, ...notes.prices];
  return {
    summary: said.length ? `${summary}; ${said.join('; ')}` : summary,
    details: { priceSources: Object.fromEntries(lines.map((l) => [l.lineLabel, l.priceSource])), ...(said.length ? { notes: said } : {}) },
  };
}

async function lineValues(ctx: PostingContext, po: PurchaseOrder): Promise<LineValues[]> {
  const products = productLookup(ctx, 'customer');
  const units = unitLookup(ctx);
  const uomField = ctx.schema.names.saleLine.uom;
  const gaps: MasterDataGap[] = [];
  const mismatches: string[] = [];
  const unpriced: string[] = [];
  const out: LineValues[] = [];
  // Every line's products in one read, before the lines are resolved one by one.
  await products.prefetch(po.lines.map((l) => l.productIds));
  for (const [index, line] of po.lines.entries()) {
    const lineLabel = `line ${line.lineNumber ?? index + 1}`;
    const fromDocument = documentPrice(line);
    if (!fromDocument && ctx.settings.prices.missing === 'reject') unpriced.push(line.lineNumber !== undefined ? `${lineLabel} (PO101 ${line.lineNumber})` : `${lineLabel} (PO1 number ${index + 1}, without PO101)`);
    // Product and unit are both looked up, so a line missing both says so at once.
    const [found, unitFound] = await Promise.allSettled([products.resolve(line.productIds, lineLabel), units.resolve(line.unit, lineLabel)]);
    try {
      const product = settledValue(found);
      const mapped = settledValue(unitFound);
      await units.checkFits(mapped, product, line.unit, lineLabel);
      // PO401 checks the mapped unit: a case of 4 is not posted as a case of 12 (docs/odoo.md#units-and-packs).
      const { unit, note: unitNote } = await units.fitPack(mapped, product, { code: line.unit, quantity: line.quantity, pack: line.pack?.pack }, lineLabel);
      const price = priceOf(ctx, fromDocument?.price, product.listPrice, lineLabel, mismatches);
      out.push({
        lineLabel,
        priceSource: price === undefined ? 'odoo' : fromDocument!.source,
        ...(unitNote ? { unitNote } : {}),
        values: {
          product_id: product.id,
          product_uom_qty: line.quantity,
          [uomField]: unit.id,
          sequence: (index + 1) * 10,
          ...(price !== undefined ? { price_unit: price } : {}),
          ...(line.description ? { name: `${product.name}\n${line.description}` } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof MasterDataGap)) throw error;
      const failed = [found, unitFound].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      for (const reason of failed) if (!(reason instanceof MasterDataGap)) throw reason;
      // Both lookups' gaps, or the gap found after them (a unit that does not fit the product).
      gaps.push(...(failed.length ? (failed as MasterDataGap[]) : [error]));
    }
  }
  // Every gap of the order at once: a person fixes them all before one replay.
  throwGaps(gaps);
  if (unpriced.length) {
    throw new GatewayError('ODOO_PRICE_MISSING', `${unpriced.length === 1 ? 'a line carries' : `${unpriced.length} lines carry`} no price (no PO104, no CTP with a usable price) and odoo.prices.missing: reject in partners/${ctx.partnerCode}.yaml requires one: ${unpriced.join(', ')}. Ask the partner to send the price (PO104, or CTP with CTP02 NET, CON, PRP, UCP, DIS or CAT) and replay, or set odoo.prices.missing: list-price to let Odoo price such lines`, { lines: unpriced });
  }
  if (mismatches.length) {
    throw new GatewayError('ODOO_PRICE_MISMATCH', `price differs from Odoo beyond ${ctx.settings.prices.tolerancePercent}% (odoo.prices.policy: reject in partners/${ctx.partnerCode}.yaml):\n${mismatches.join('\n')}`, { mismatches });
  }
  return out;
}

/** The price_unit to write, per the partner's policy; undefined lets Odoo's pricelist decide. */
function priceOf(ctx: PostingContext, ediPrice: number | undefined, odooPrice: number, lineLabel: string, mismatches: string[]): number | undefined {
  const { policy, tolerancePercent } = ctx.settings.prices;
  if (policy === 'odoo' || ediPrice === undefined) return undefined;
  if (policy === 'reject') {
    const allowed = Math.abs(odooPrice) * (tolerancePercent / 100) + 1e-9;
    if (Math.abs(ediPrice - odooPrice) > allowed) mismatches.push(`${lineLabel}: EDI price ${ediPrice}, Odoo price ${odooPrice}`);
  }
  return ediPrice;
}

async function createOrder(ctx: PostingContext, customer: PartnerRecord, po: PurchaseOrder, marker: string): Promise<PostingResult> {
  if (po.lines.length === 0) throw new MasterDataGap('order', `850 PO ${po.poNumber} has no lines: nothing to order`, { poNumber: po.poNumber });
  const { header, lines } = await orderValues(ctx, customer, po);
  // Header and lines in one create: one Odoo transaction, so no half-made order. Its name is read in
  // the same call where Odoo has web_save (17+).
  const order = await ctx.client.createAndRead('sale.order', { ...header, order_line: lines.map((l) => [0, 0, l.values]) }, ['name', 'state']);
  const id = order.id;
  // The order was made by this call: no message of ours can be on it yet.
  await postNote(ctx, 'sale.order', id, marker, [`Created from EDI 850 ${po.poNumber} of ${ctx.partnerName} (${sourceOf(ctx.envelope)}).`]);
  if (ctx.settings.confirmOrders) await ctx.client.call('sale.order', 'action_confirm', [id]);
  const name = String(order['name'] ?? id);
  return { ref: refOf('sale.order', id, name), ...withNotes(`sale order ${name} created for PO ${po.poNumber} (${lines.length} lines${ctx.settings.confirmOrders ? ', confirmed' : ''})`, orderNotes(ctx, po, lines), lines) };
}

async function cancelOrder(ctx: PostingContext, customer: PartnerRecord, order: OdooRecord | undefined, po: PurchaseOrder, marker: string): Promise<PostingResult> {
  if (!order) {
    const cancelled = await ctx.client.searchRead('sale.order', [['client_order_ref', '=', po.poNumber], ['partner_id', 'child_of', customer.commercialId], ['state', '=', 'cancel']], { fields: ['id', 'name'], limit: 1 });
    if (cancelled[0]) return { ref: refOf('sale.order', cancelled[0].id, cancelled[0]['name']), summary: `sale order ${String(cancelled[0]['name'])} for PO ${po.poNumber} is cancelled already` };
    throw new MasterDataGap('order', `cancellation of PO ${po.poNumber}: ${customer.name} has no sale order with this customer reference`, { client_order_ref: po.poNumber });
  }
  const delivered = await deliveredLines(ctx, order);
  if (delivered.length) {
    throw new GatewayError('ODOO_ORDER_STATE', `cancellation of PO ${po.poNumber}: sale order ${String(order['name'])} has delivered goods (${delivered.join(', ')}); a person must decide (return, partial cancel)`, { order: order['name'] });
  }
  await postOnce(ctx, 'sale.order', order.id, marker, [`Cancelled by EDI 850 ${po.poNumber} (BEG01 01) of ${ctx.partnerName} (${sourceOf(ctx.envelope)}).`]);
  // Without disable_cancel_warning, a confirmed order answers with the sale.order.cancel wizard and
  // stays confirmed (verified on a real Odoo 18).
  await ctx.client.call('sale.order', 'action_cancel', [order.id], undefined, { disable_cancel_warning: true });
  return { ref: refOf('sale.order', order.id, order['name']), summary: `sale order ${String(order['name'])} cancelled by PO ${po.poNumber}` };
}

async function deliveredLines(ctx: PostingContext, order: OdooRecord): Promise<string[]> {
  const lineIds = (order['order_line'] as number[] | undefined) ?? [];
  const lines = await ctx.client.read('sale.order.line', lineIds, ['product_id', 'qty_delivered']);
  return lines.filter((l) => Number(l['qty_delivered'] ?? 0) > 0).map((l) => `${Array.isArray(l['product_id']) ? String(l['product_id'][1]) : 'line'}: ${String(l['qty_delivered'])}`);
}

async function replaceOrder(ctx: PostingContext, customer: PartnerRecord, order: OdooRecord | undefined, po: PurchaseOrder, marker: string): Promise<PostingResult> {
  if (!order) return createOrder(ctx, customer, po, marker);
  if (order['state'] !== 'draft' && order['state'] !== 'sent') {
    throw new GatewayError('ODOO_ORDER_STATE', `replacement of PO ${po.poNumber}: sale order ${String(order['name'])} is confirmed (${String(order['state'])}); a person must apply the changes`, { order: order['name'], state: order['state'] });
  }
  const { header, lines: wanted } = await orderValues(ctx, customer, po);
  const uomField = ctx.schema.names.saleLine.uom;
  const fields = ['product_id', 'product_uom_qty', uomField, 'price_unit', 'sequence', 'display_type'];
  const current = (await ctx.client.read('sale.order.line', (order['order_line'] as number[]) ?? [], fields)).filter((l) => !l['display_type']);
  current.sort((a, b) => Number(a['sequence']) - Number(b['sequence']) || a.id - b.id);
  const digits = { qty: await ctx.schema.digits('sale.order.line', 'product_uom_qty'), price: await ctx.schema.digits('sale.order.line', 'price_unit') };
  const commands: unknown[] = [];
  wanted.forEach((w, i) => {
    const have = current[i];
    if (!have) commands.push([0, 0, w.values]);
    else if (!sameLine(have, w.values, uomField, digits)) commands.push([1, have.id, w.values]);
  });
  // Sale order lines cascade with their order, but delete explicitly ([5, 0, 0] only detaches
  // where nothing cascades: docs/odoo.md#quirks-and-how-they-were-verified).
  for (const extra of current.slice(wanted.length)) commands.push([2, extra.id, 0]);
  const headerChanged = (['partner_shipping_id', 'partner_invoice_id'] as const).some((k) => k in header && idOf(order[k]) !== header[k]);
  if (commands.length || headerChanged) {
    await ctx.client.write('sale.order', [order.id], { ...header, ...(commands.length ? { order_line: commands } : {}) });
  }
  await postOnce(ctx, 'sale.order', order.id, marker, [`Replaced by EDI 850 ${po.poNumber} (BEG01 05) of ${ctx.partnerName} (${sourceOf(ctx.envelope)}).`]);
  return { ref: refOf('sale.order', order.id, order['name']), ...withNotes(`sale order ${String(order['name'])} replaced by PO ${po.poNumber} (${commands.length} line changes)`, orderNotes(ctx, po, wanted), wanted) };
}

function sameLine(have: OdooRecord, want: Record<string, unknown>, uomField: string, digits: { qty: number | undefined; price: number | undefined }): boolean {
  if (idOf(have['product_id']) !== want['product_id']) return false;
  if (!sameFloat(have['product_uom_qty'], Number(want['product_uom_qty']), digits.qty)) return false;
  if (idOf(have[uomField]) !== want[uomField]) return false;
  if (want['price_unit'] !== undefined && !sameFloat(have['price_unit'], Number(want['price_unit']), digits.price)) return false;
  return true;
}
