// 855 acknowledgment from a supplier -> our purchase.order: line results recorded on the document
// and posted as one message on the order; quantity, date and price changes applied only when the
// partner allows it (odoo.applyAckChanges); the line's price read by the 850's rule (PO104, else
// CTP by qualifier: line-price.ts); the vendor's order number stored in partner_ref; Odoo 19's
// `acknowledged` flag set. Every write compares first, so a replay changes nothing.
import type { AckLine, PurchaseOrderAck } from '../../documents/purchase-order-ack.js';
import { ACK_TYPE_NAMES } from '../../documents/purchase-order-ack.js';
import { postOnce } from '../lookup/chatter.js';
import { sameFloat } from '../lookup/precision.js';
import { odooDatetime } from './dates.js';
import { MasterDataGap } from './gap.js';
import { documentPrice, type DocumentPrice } from './line-price.js';
import { findPurchaseOrder, matchPurchaseLine, purchaseLinesOf, supplierOf, type PurchaseLine } from './purchase-lines.js';
import { markerOf, refOf, sourceOf, type PostingContext, type PostingResult } from './context.js';

/** ACK01 codes that change the quantity to ACK02, or cancel the line. */
const QUANTITY_CHANGE = new Set(['IQ', 'IC', 'IB', 'BP']);
const REJECTED = new Set(['IR', 'ID', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
/** ACK04 qualifiers of a promised date. */
const PROMISED_DATE = new Set(['067', '068', '017', '002', '010']);
/** ACK01 codes that announce a new price (the line's PO104 or CTP). */
const PRICE_CHANGE = new Set(['IP', 'IC']);

export interface AckLineResult {
  line: string;
  product: string;
  status: string;
  meaning: string;
  orderedQuantity: number;
  ackQuantity?: number;
  date?: string;
  /** The line's price as the 855 gives it (PO104, else CTP), and where it was read. */
  price?: number;
  priceSource?: string;
  /** The PO line's price, when the 855's differs from it. */
  orderedPrice?: number;
  applied: string[];
}

export async function postPurchaseAck(ctx: PostingContext, ack: PurchaseOrderAck): Promise<PostingResult> {
  const { vendor, products } = await supplierOf(ctx);
  // The PO and every line's product are read side by side (products: one read for all lines).
  const [po] = await Promise.all([findPurchaseOrder(ctx, vendor, ack.poNumber, `855 for PO ${ack.poNumber}`), products.prefetch(ack.lines.map((l) => l.productIds))]);
  const lines = await purchaseLinesOf(ctx, po);
  // Price digits only when some line sends a price (a replay must compare at what Odoo stored).
  const priceDigits = ack.lines.some((l) => documentPrice(l)) ? await ctx.schema.digits('purchase.order.line', 'price_unit') : undefined;
  const results: AckLineResult[] = [];
  const gaps: string[] = [];
  const writes = new Map<number, Record<string, unknown>>();
  for (const [index, ackLine] of ack.lines.entries()) {
    const label = `line ${ackLine.lineNumber ?? index + 1}`;
    let poLine: PurchaseLine;
    try {
      poLine = await matchPurchaseLine(products, lines, ackLine.productIds, ackLine.lineNumber, label, po.name);
    } catch (error) {
      if (error instanceof MasterDataGap) { gaps.push(error.message); continue; }
      throw error;
    }
    results.push(...lineResults(ctx, ackLine, poLine, label, writes, priceDigits));
  }
  if (gaps.length) throw new MasterDataGap('order-line', gaps.join('\n'), { purchaseOrder: po.name });

  const header: Record<string, unknown> = {};
  if (ack.sellerOrderNumber && po['partner_ref'] !== ack.sellerOrderNumber) header['partner_ref'] = ack.sellerOrderNumber;
  if (await ctx.schema.has('purchase.order', 'acknowledged')) {
    const [current] = await ctx.client.read('purchase.order', [po.id], ['acknowledged']);
    if (current && current['acknowledged'] !== true) header['acknowledged'] = true;
  }
  if (Object.keys(header).length) await ctx.client.write('purchase.order', [po.id], header);
  for (const [lineId, values] of writes) await ctx.client.write('purchase.order.line', [lineId], values);

  const typeName = ACK_TYPE_NAMES[ack.ackType] ?? ack.ackType;
  const message = [
    `EDI 855 from ${ctx.partnerName} (${sourceOf(ctx.envelope)}): ${ack.ackType} ${typeName}${ack.sellerOrderNumber ? `, their order ${ack.sellerOrderNumber}` : ''}.`,
    ...results.map((r) => `${r.line} ${r.product}: ${r.status} ${r.meaning}${r.ackQuantity !== undefined ? `, quantity ${r.ackQuantity} (ordered ${r.orderedQuantity})` : ''}${r.date ? `, date ${r.date}` : ''}${r.price !== undefined ? `, price ${r.price} (${r.priceSource}${r.orderedPrice !== undefined ? `; ordered at ${r.orderedPrice}` : ''})` : ''}${r.applied.length ? ` [applied: ${r.applied.join(', ')}]` : ''}`),
  ];
  await postOnce(ctx, 'purchase.order', po.id, markerOf(ctx.naturalKey), message);
  const changed = results.filter((r) => r.status !== 'IA' && r.status !== 'AC' && r.status !== 'AR').length;
  return {
    ref: refOf('purchase.order', po.id, po.name),
    summary: `855 recorded on ${po.name}: ${typeName}; ${results.length} line results, ${changed} with changes${writes.size ? `, ${writes.size} lines updated` : ''}`,
    details: { ackType: ack.ackType, lines: results },
  };
}

function lineResults(ctx: PostingContext, ackLine: AckLine, poLine: PurchaseLine, label: string, writes: Map<number, Record<string, unknown>>, priceDigits: number | undefined): AckLineResult[] {
  const acks = ackLine.acks.length ? ackLine.acks : [{ status: 'IA', statusName: 'item accepted', productIds: ackLine.productIds }];
  const price: DocumentPrice | undefined = documentPrice(ackLine);
  const priceDiffers = price !== undefined && !sameFloat(poLine.priceUnit, price.price, priceDigits);
  return acks.map((a) => {
    const result: AckLineResult = {
      line: label,
      product: poLine.productName,
      status: a.status,
      meaning: a.statusName,
      orderedQuantity: poLine.quantity,
      ...(a.quantity !== undefined ? { ackQuantity: a.quantity } : {}),
      ...(a.date ? { date: a.date } : {}),
      ...(price ? { price: price.price, priceSource: price.source } : {}),
      ...(priceDiffers ? { orderedPrice: poLine.priceUnit } : {}),
      applied: [],
    };
    if (!ctx.settings.applyAckChanges) return result;
    const values = writes.get(poLine.id) ?? {};
    if (REJECTED.has(a.status) && poLine.quantity !== 0) {
      values['product_qty'] = 0;
      result.applied.push('quantity 0');
    } else if (QUANTITY_CHANGE.has(a.status) && a.quantity !== undefined && a.quantity !== poLine.quantity && acks.length === 1) {
      // With several ACKs on one line (part now, part backordered) the order quantity stands.
      values['product_qty'] = a.quantity;
      result.applied.push(`quantity ${a.quantity}`);
    }
    // A price that differs under a status that announces none is only reported (a person decides).
    if (price && priceDiffers && PRICE_CHANGE.has(a.status)) {
      values['price_unit'] = price.price;
      result.applied.push(`price ${price.price}`);
    }
    if (a.date && (!a.dateQualifier || PROMISED_DATE.has(a.dateQualifier))) {
      const planned = odooDatetime(a.date);
      if (poLine.datePlanned !== planned) {
        values['date_planned'] = planned;
        result.applied.push(`date ${a.date}`);
      }
    }
    if (Object.keys(values).length) writes.set(poLine.id, values);
    return result;
  });
}
