// 856 ship notice from a supplier -> the incoming receipt of each PO it names: per move, the move
// lines are set to what was shipped (quantity, lot, destination package = SSCC), then a summary
// message on the receipt, then (when odoo.validateReceipts) validation, with a backorder for what
// was not shipped. Move lines are updated and deleted one by one ([1, id, ...], [2, id, 0]): the
// [5, 0, 0] clear only detaches them (docs/odoo.md#quirks-and-how-they-were-verified). A replay finds its message on the receipt
// and changes nothing (it completes a validation a crash interrupted).
import type { ShipNotice, ShipNoticeOrder } from '../../documents/ship-notice.js';
import type { OdooRecord } from '../client/client.js';
import { findMarkedMessage, postNote } from '../lookup/chatter.js';
import type { ProductLookup } from '../lookup/products.js';
import type { PartnerRecord } from '../lookup/partners.js';
import { sameFloat } from '../lookup/precision.js';
import { MasterDataGap } from './gap.js';
import { findPurchaseOrder, supplierOf, type PurchaseOrderRecord } from './purchase-lines.js';
import { shippedRows, type ShippedRow } from './shipped-items.js';
import { cacheOf, idOf, markerOf, refOf, sourceOf, type PostingContext, type PostingResult } from './context.js';

interface WantedLine {
  quantity: number;
  lot?: string;
  /** The carton's SSCC, and the package of that name once found or made. */
  sscc?: string;
  packageId?: number;
}

export async function postReceipt(ctx: PostingContext, asn: ShipNotice): Promise<PostingResult> {
  if (asn.orders.length === 0) throw new MasterDataGap('receipt', `856 ${asn.shipmentId} names no purchase order (no O level)`, { shipment: asn.shipmentId });
  const { vendor, products } = await supplierOf(ctx);
  const marker = markerOf(ctx.naturalKey);
  // Every item's product of every order in one read.
  await products.prefetch(asn.orders.flatMap((o) => shippedRows(o).map((r) => r.item.productIds)));
  const refs: string[] = [];
  const details: Record<string, unknown>[] = [];
  for (const order of asn.orders) {
    const result = await postOrder(ctx, asn, order, vendor, products, marker);
    refs.push(result.ref);
    details.push(result.details);
  }
  return { ref: refs.join(', '), summary: `856 ${asn.shipmentId} applied to ${refs.length} receipt${refs.length === 1 ? '' : 's'}: ${refs.join(', ')}`, details: { orders: details } };
}

async function postOrder(ctx: PostingContext, asn: ShipNotice, order: ShipNoticeOrder, vendor: PartnerRecord, products: ProductLookup, marker: string): Promise<{ ref: string; details: Record<string, unknown> }> {
  const said = `856 ${asn.shipmentId}, PO ${order.poNumber}`;
  const po = await findPurchaseOrder(ctx, vendor, order.poNumber, said);
  const pickingIds = (po['picking_ids'] as number[] | undefined) ?? [];
  const pickings = await ctx.client.read('stock.picking', pickingIds, ['id', 'name', 'state', 'picking_type_code', 'move_ids']);
  const incoming = pickings.filter((p) => p['picking_type_code'] === 'incoming');
  const done = await findMarkedMessage(ctx, 'stock.picking', incoming.map((p) => p.id), marker);
  if (done) {
    // Applied before: at most finish the validation.
    const picking = incoming.find((p) => p.id === done.resId)!;
    if (ctx.settings.validateReceipts && picking['state'] !== 'done' && picking['state'] !== 'cancel') await validate(ctx, picking.id);
    return { ref: refOf('stock.picking', picking.id, picking['name']), details: { receipt: picking['name'], replay: true } };
  }
  const open = incoming.filter((p) => !['done', 'cancel'].includes(String(p['state'])));
  if (open.length === 0) {
    throw new MasterDataGap('receipt', `${said}: purchase order ${po.name} has no receipt waiting (${po.state === 'purchase' ? 'all received' : `order state ${po.state}; confirm it first`})`, { purchaseOrder: po.name });
  }
  const picking = open[0]!;
  const moves = await ctx.client.read('stock.move', picking['move_ids'] as number[], ['id', 'product_id', 'product_uom_qty', 'move_line_ids', 'location_id', 'location_dest_id', 'state', 'purchase_line_id']);
  const rows = shippedRows(order);
  const wanted = new Map<number, WantedLine[]>();
  const gaps: string[] = [];
  for (const [index, row] of rows.entries()) {
    const label = `${said}, item ${row.item.lineNumber ?? index + 1}`;
    try {
      const product = await products.resolve(row.item.productIds, label);
      const move = pickMove(moves, product.id, wanted);
      if (!move) throw new MasterDataGap('order-line', `${label}: ${product.name} is not on receipt ${String(picking['name'])} of ${po.name}`, { product: product.name, receipt: picking['name'] });
      if (product.tracking !== 'none' && !row.lot) throw new MasterDataGap('receipt', `${label}: ${product.name} is tracked by ${product.tracking} in Odoo but the 856 gives no lot`, { product: product.name });
      const line: WantedLine = { quantity: row.quantity, ...(row.lot ? { lot: row.lot } : {}), ...(row.sscc ? { sscc: row.sscc } : {}) };
      wanted.set(move.id, [...(wanted.get(move.id) ?? []), line]);
    } catch (error) {
      if (error instanceof MasterDataGap) { gaps.push(error.message); continue; }
      throw error;
    }
  }
  if (gaps.length) throw new MasterDataGap('receipt', gaps.join('\n'), { purchaseOrder: po.name });
  const packages = await packagesFor(ctx, [...wanted.values()].flat().flatMap((l) => (l.sscc ? [l.sscc] : [])));
  for (const l of [...wanted.values()].flat()) if (l.sscc) l.packageId = packages.get(l.sscc);

  const qtyField = ctx.schema.names.moveLineQuantity;
  const existingLineIds = moves.flatMap((m) => (m['move_line_ids'] as number[]) ?? []);
  const existing = await ctx.client.read('stock.move.line', existingLineIds, ['id', 'move_id', qtyField, 'lot_name', 'lot_id', 'result_package_id']);
  const qtyDigits = await ctx.schema.digits('stock.move.line', qtyField);
  let changedMoves = 0;
  for (const move of moves) {
    const want = wanted.get(move.id) ?? [];
    const have = existing.filter((l) => idOf(l['move_id']) === move.id).sort((a, b) => a.id - b.id);
    const commands = moveLineCommands(ctx, move, have, want, picking.id, qtyDigits);
    if (commands.length) {
      await ctx.client.write('stock.move', [move.id], { move_line_ids: commands });
      changedMoves++;
    }
  }
  const shipping = await shippingValues(ctx, asn);
  if (Object.keys(shipping).length) await ctx.client.write('stock.picking', [picking.id], shipping);
  const shippedTotal = rows.reduce((s, r) => s + r.quantity, 0);
  // The marker was searched for on every incoming receipt of the PO above: not there.
  await postNote(ctx, 'stock.picking', picking.id, marker, [
    `EDI 856 ship notice ${asn.shipmentId} from ${ctx.partnerName} (${sourceOf(ctx.envelope)}), shipped ${asn.shipDate}.`,
    `${rows.length} rows, ${shippedTotal} units${asn.carrier?.scac ? `, carrier ${asn.carrier.scac}` : ''}${asn.proNumber ? `, PRO ${asn.proNumber}` : ''}${asn.billOfLading ? `, BOL ${asn.billOfLading}` : ''}.`,
    ...rows.map((r) => `${r.item.lineNumber ? `line ${r.item.lineNumber}: ` : ''}${r.quantity} ${r.item.unit}${r.lot ? ` lot ${r.lot}` : ''}${r.sscc ? ` SSCC ${r.sscc}` : ''}`),
  ]);
  if (ctx.settings.validateReceipts) await validate(ctx, picking.id);
  return { ref: refOf('stock.picking', picking.id, picking['name']), details: { receipt: picking['name'], purchaseOrder: po.name, rows: rows.length, units: shippedTotal, movesChanged: changedMoves } };
}

/**
 * Tracking number (PRO, else bill of lading) and carrier (a delivery.carrier named like the TD5
 * SCAC or routing), where stock_delivery is installed (carrier_tracking_ref is not in stock: docs/odoo.md#field-names-by-version).
 */
async function shippingValues(ctx: PostingContext, asn: ShipNotice): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  if (!(await ctx.schema.has('stock.picking', 'carrier_tracking_ref'))) return values;
  const tracking = asn.proNumber ?? asn.billOfLading;
  if (tracking) values['carrier_tracking_ref'] = tracking;
  const names = [asn.carrier?.scac, asn.carrier?.routing].filter((n): n is string => !!n);
  if (names.length && (await ctx.schema.has('stock.picking', 'carrier_id'))) {
    const domain = names.length === 2 ? ['|', ['name', '=ilike', names[0]], ['name', '=ilike', names[1]]] : [['name', '=ilike', names[0]]];
    // Kept even when none is found: a receipt without carrier is never refused, so nothing waits for a fix.
    const [carrier] = await cacheOf(ctx).remember(`delivery.carrier:${JSON.stringify(domain)}`, () => ctx.client.search('delivery.carrier', domain, { limit: 1 }), () => true);
    if (carrier) values['carrier_id'] = carrier;
  }
  return values;
}

/** The move for a product: the first one of that product not yet given lines, else the first. */
function pickMove(moves: readonly OdooRecord[], productId: number, wanted: ReadonlyMap<number, WantedLine[]>): OdooRecord | undefined {
  const mine = moves.filter((m) => idOf(m['product_id']) === productId && m['state'] !== 'cancel');
  return mine.find((m) => !wanted.has(m.id)) ?? mine[0];
}

/** The package named by each SSCC: one search for all, then the missing ones made in one create. */
async function packagesFor(ctx: PostingContext, ssccs: readonly string[]): Promise<Map<string, number>> {
  const names = [...new Set(ssccs)];
  const out = new Map<string, number>();
  if (!names.length) return out;
  const model = ctx.schema.names.packageModel;
  for (const r of await ctx.client.searchRead(model, [['name', 'in', names]], { fields: ['id', 'name'], order: 'id' })) {
    if (!out.has(String(r['name']))) out.set(String(r['name']), r.id);
  }
  const missing = names.filter((n) => !out.has(n));
  if (missing.length) {
    // create takes a list: the ids come back in its order (docs/odoo.md#one-call-both-apis).
    const ids = await ctx.client.execute({ model, method: 'create', params: { vals_list: missing.map((name) => ({ name })) } });
    const list = Array.isArray(ids) ? ids : [ids];
    missing.forEach((name, i) => {
      if (typeof list[i] === 'number') out.set(name, list[i]);
    });
  }
  return out;
}

/** Commands turning the move's lines into the wanted ones; none when they match already. */
function moveLineCommands(ctx: PostingContext, move: OdooRecord, have: readonly OdooRecord[], want: readonly WantedLine[], pickingId: number, qtyDigits: number | undefined): unknown[] {
  const qtyField = ctx.schema.names.moveLineQuantity;
  const commands: unknown[] = [];
  const valuesOf = (w: WantedLine): Record<string, unknown> => ({
    [qtyField]: w.quantity,
    ...(w.lot ? { lot_name: w.lot } : {}),
    result_package_id: w.packageId ?? false,
    ...(ctx.schema.names.moveLinePicked ? { picked: true } : {}),
  });
  want.forEach((w, i) => {
    const h = have[i];
    if (!h) {
      commands.push([0, 0, { ...valuesOf(w), product_id: idOf(move['product_id']), picking_id: pickingId, location_id: idOf(move['location_id']), location_dest_id: idOf(move['location_dest_id']) }]);
    } else if (!sameFloat(h[qtyField], w.quantity, qtyDigits) || (w.lot && h['lot_name'] !== w.lot) || (idOf(h['result_package_id']) ?? false) !== (w.packageId ?? false)) {
      commands.push([1, h.id, valuesOf(w)]);
    }
  });
  for (const extra of have.slice(want.length)) commands.push([2, extra.id, 0]);
  return commands;
}

/** button_validate; a partial receipt answers with the backorder wizard, which we process (keeping a backorder). */
async function validate(ctx: PostingContext, pickingId: number): Promise<void> {
  const result = await ctx.client.call('stock.picking', 'button_validate', [pickingId]);
  if (result && typeof result === 'object' && (result as { res_model?: string }).res_model === 'stock.backorder.confirmation') {
    const context = ((result as { context?: Record<string, unknown> }).context ?? {});
    const wizard = await ctx.client.create('stock.backorder.confirmation', { pick_ids: [[4, pickingId]], backorder_confirmation_line_ids: [[0, 0, { picking_id: pickingId, to_backorder: true }]] }, context);
    await ctx.client.call('stock.backorder.confirmation', 'process', [wizard], undefined, context);
  }
}
