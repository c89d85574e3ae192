// Our purchase order named by a supplier's document (855/856/810), and its line for a document line.
import type { ProductIds } from '../../documents/common.js';
import type { OdooRecord } from '../client/client.js';
import { findTradingPartner, type PartnerRecord } from '../lookup/partners.js';
import { productLookup, type ProductLookup } from '../lookup/products.js';
import { MasterDataGap } from './gap.js';
import { idOf, type PostingContext } from './context.js';

export interface PurchaseOrderRecord extends OdooRecord {
  name: string;
  state: string;
}

export interface PurchaseLine {
  id: number;
  productId: number;
  productName: string;
  quantity: number;
  priceUnit: number;
  uomId: number;
  datePlanned?: string;
  qtyReceived: number;
  qtyInvoiced: number;
  /** 1-based position on the order (the PO101 we sent). */
  position: number;
}

/** The supplier and a lookup of its products (their part numbers via supplierinfo). */
export async function supplierOf(ctx: PostingContext): Promise<{ vendor: PartnerRecord; products: ProductLookup }> {
  const vendor = await findTradingPartner(ctx);
  return { vendor, products: productLookup(ctx, 'supplier', vendor.commercialId) };
}

/** Our PO by its name (what we sent in BEG03), of this vendor. */
export async function findPurchaseOrder(ctx: PostingContext, vendor: PartnerRecord, poNumber: string, said: string): Promise<PurchaseOrderRecord> {
  const rows = await ctx.client.searchRead('purchase.order', [['name', '=', poNumber], ['partner_id', 'child_of', vendor.commercialId]], {
    fields: ['id', 'name', 'state', 'order_line', 'partner_ref', 'picking_ids'],
    limit: 1,
  });
  if (!rows[0]) {
    const elsewhere = await ctx.client.searchRead('purchase.order', [['name', '=', poNumber]], { fields: ['partner_id'], limit: 1 });
    const hint = elsewhere[0] ? `; ${poNumber} exists but belongs to ${Array.isArray(elsewhere[0]['partner_id']) ? String(elsewhere[0]['partner_id'][1]) : 'another vendor'}` : '';
    throw new MasterDataGap('purchase-order', `${said}: no purchase order ${poNumber} of ${vendor.name} in Odoo${hint}`, { model: 'purchase.order', name: poNumber });
  }
  return rows[0] as PurchaseOrderRecord;
}

export async function purchaseLinesOf(ctx: PostingContext, po: PurchaseOrderRecord): Promise<PurchaseLine[]> {
  const uom = ctx.schema.names.purchaseLine.uom;
  const rows = await ctx.client.read('purchase.order.line', (po['order_line'] as number[]) ?? [], ['product_id', 'product_qty', 'price_unit', uom, 'date_planned', 'qty_received', 'qty_invoiced', 'sequence', 'display_type']);
  return goodsLinesInOrder(rows).map((r, i) => ({
    id: r.id,
    productId: idOf(r['product_id'])!,
    productName: Array.isArray(r['product_id']) ? String(r['product_id'][1]) : '',
    quantity: Number(r['product_qty'] ?? 0),
    priceUnit: Number(r['price_unit'] ?? 0),
    uomId: idOf(r[uom]) ?? 0,
    ...(typeof r['date_planned'] === 'string' ? { datePlanned: r['date_planned'] } : {}),
    qtyReceived: Number(r['qty_received'] ?? 0),
    qtyInvoiced: Number(r['qty_invoiced'] ?? 0),
    position: i + 1,
  }));
}

/**
 * The goods lines of a PO (no sections, notes or lines without product) in the order Odoo shows
 * them (sequence, id): a line's 1-based place here is the PO101 the 850 builder sends, so the
 * supplier's documents are matched by the same numbering. Rows read with display_type and sequence.
 */
export function goodsLinesInOrder<T extends OdooRecord>(rows: readonly T[]): T[] {
  const lines = rows.filter((r) => !r['display_type'] && idOf(r['product_id']));
  return lines.sort((a, b) => Number(a['sequence'] ?? 0) - Number(b['sequence'] ?? 0) || a.id - b.id);
}

/**
 * The PO line a document line is about: the product must match; among several lines of that
 * product, the one at the line number we sent (PO101) wins, else the first.
 */
export async function matchPurchaseLine(products: ProductLookup, lines: readonly PurchaseLine[], ids: ProductIds, lineNumber: string | undefined, label: string, poName: string): Promise<PurchaseLine> {
  const product = await products.resolve(ids, label);
  const candidates = lines.filter((l) => l.productId === product.id);
  if (candidates.length === 0) {
    throw new MasterDataGap('order-line', `${label}: ${product.name} is not on purchase order ${poName}`, { product: product.name, purchaseOrder: poName });
  }
  const position = lineNumber && /^\d+$/.test(lineNumber) ? Number(lineNumber) : undefined;
  return candidates.find((l) => l.position === position) ?? candidates[0]!;
}
