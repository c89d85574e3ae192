// 856 to a customer from a done outgoing stock.picking whose sale order came from its 850
// (docs/odoo.md#856-from-done-deliveries): the delivery, its done move lines, packages, lots,
// carrier and weight are read afresh, the stored 850 is found by the order's customer reference,
// and 856-ship-notice-document.ts (pure) makes the document or the reasons it is held.
// The GS1 company prefix of the SSCCs is ours, not the partner's: GS1_COMPANY_PREFIX.
import type { OdooRecord } from '../client/client.js';
import { unitTable, unitTableFields, type UnitSize } from '../lookup/packs.js';
import { idOf } from '../postings/context.js';
import { saleLinesOf } from './855-purchase-order-ack.js';
import { shipNoticeDocument, scacOf, type PackageFacts, type ShippedLineFacts } from './856-ship-notice-document.js';
import { roundDecimal } from '../../maps/shared/values.js';
import { x12UnitCodes } from './units.js';
import type { BuildContext, BuildOutcome, Builder, SourceRecord } from './types.js';

const MODEL = 'stock.picking';
const PICKING_FIELDS = ['name', 'state', 'picking_type_code', 'sale_id', 'origin', 'date_done', 'write_date', 'company_id'];
/** Fields of stock_delivery: read only where this server has them. */
const DELIVERY_FIELDS = ['carrier_id', 'carrier_tracking_ref', 'shipping_weight', 'weight', 'weight_uom_name'];
/** Products, lots and carriers may have been archived since the goods left. */
const WITH_ARCHIVED = { active_test: false };

export interface ShipNoticeBuilderOptions {
  /** GS1_COMPANY_PREFIX, read at each build (undefined: not set). */
  companyPrefix(): string | undefined;
}

/** The builder with its configuration; `shipNoticeBuilder` reads the prefix from the environment. */
export function makeShipNoticeBuilder(options: ShipNoticeBuilderOptions): Builder<'856'> {
  return {
    kind: '856',
    model: MODEL,
    partnerField: 'partner_id',
    // Done deliveries; whether the sale order came from an 850 is for build to tell.
    triggerDomain: () => [['picking_type_code', '=', 'outgoing'], ['state', '=', 'done']],
    build: (ctx, id) => build(ctx, id, options),
  };
}

export const shipNoticeBuilder: Builder<'856'> = makeShipNoticeBuilder({ companyPrefix: () => process.env['GS1_COMPANY_PREFIX'] });

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const nameOf = (value: unknown): string => (Array.isArray(value) && typeof value[1] === 'string' ? value[1] : '');
const positive = (value: unknown): number | undefined => (typeof value === 'number' && value > 0 ? value : undefined);

async function present(ctx: BuildContext, model: string, fields: readonly string[]): Promise<string[]> {
  const has = await Promise.all(fields.map((f) => ctx.schema.has(model, f)));
  return fields.filter((_, i) => has[i]);
}

/** The sale order of the delivery: sale_id, else the order named by its origin ('S00012 - PO-1' on 18, 'S00012' on 19). */
async function saleOrderOf(ctx: BuildContext, picking: OdooRecord): Promise<OdooRecord | undefined> {
  const fields = ['name', 'client_order_ref', 'order_line'];
  const id = idOf(picking['sale_id']);
  if (id) return (await ctx.client.read('sale.order', [id], fields))[0];
  const origin = text(picking['origin'])?.split(' - ')[0]?.trim();
  if (!origin) return undefined;
  return (await ctx.client.searchRead('sale.order', [['name', '=', origin]], { fields, limit: 1 }))[0];
}

async function build(ctx: BuildContext, recordId: number, options: ShipNoticeBuilderOptions): Promise<BuildOutcome<'856'>> {
  const delivery = await present(ctx, MODEL, DELIVERY_FIELDS);
  const [picking] = await ctx.client.read(MODEL, [recordId], [...PICKING_FIELDS, ...delivery]);
  if (!picking) return { skipped: `stock.picking ${recordId} does not exist (any more)` };
  const name = String(picking['name'] || recordId);
  if (picking['picking_type_code'] !== 'outgoing') return { skipped: `transfer ${name} is not a delivery (${String(picking['picking_type_code'])})` };
  if (picking['state'] !== 'done') return { skipped: `delivery ${name} is not done (state ${String(picking['state'])})` };
  const order = await saleOrderOf(ctx, picking);
  if (!order) return { skipped: `delivery ${name} has no sale order (sale_id, origin): it did not come from an 850` };
  const orderName = String(order['name']);
  const poNumber = text(order['client_order_ref']);
  if (!poNumber) return { skipped: `delivery ${name}: sale order ${orderName} has no customer reference (client_order_ref): it did not come from an 850` };
  const stored = await ctx.inbound.purchaseOrder(ctx.partnerCode, poNumber);
  if (!stored) return { skipped: `delivery ${name}: no 850 with PO number ${poNumber} was received from ${ctx.partnerName}` };
  const source: SourceRecord = { model: MODEL, id: recordId, name, writeDate: String(picking['write_date'] ?? '') };

  const [sale, moveLines, weightOf] = await Promise.all([saleLinesOf(ctx, order, stored.document.lines), doneMoveLines(ctx, recordId), weightRounding(ctx)]);
  const [lines, packages, carrier] = await Promise.all([shippedLines(ctx, moveLines.rows, moveLines.saleLineOf, sale), packagesOf(ctx, moveLines.rows, weightOf), carrierOf(ctx, picking)]);
  if ('held' in lines) return { held: `delivery ${name}: ${lines.held}`, source };
  const packageModel = ctx.schema.names.packageModel;
  const verdict = shipNoticeDocument({
    pickingName: name,
    orderName,
    doneAt: String(picking['date_done'] || picking['write_date']),
    shipFrom: nameOf(picking['company_id']) || undefined,
    carrier,
    trackingRef: text(picking['carrier_tracking_ref']),
    weight: weightOf(picking),
    weightUnit: weightUnitOf(ctx, picking['weight_uom_name']),
    packagesWeighed: packages.weighed,
    packageModel,
    po: stored.document,
    sale,
    lines: lines.lines,
    packages: packages.list,
  }, { companyPrefix: options.companyPrefix(), partnerFile: ctx.partnerFile, productIds: ctx.settings.products.ids, hierarchy: ctx.rules?.hierarchy ?? 'auto' });
  if ('held' in verdict) return { held: verdict.held.join('\n'), source };
  return { built: verdict.document, source, details: { inboundDocumentId: stored.documentId, saleOrder: orderName, ...verdict.details } };
}

/** The move lines of the delivery's done moves, and each move's sale line. */
async function doneMoveLines(ctx: BuildContext, pickingId: number): Promise<{ rows: OdooRecord[]; saleLineOf: Map<number, number | undefined> }> {
  const qty = ctx.schema.names.moveLineQuantity;
  const rows = await ctx.client.searchRead('stock.move.line', [['picking_id', '=', pickingId]], { fields: ['move_id', 'product_id', qty, 'product_uom_id', 'lot_id', 'result_package_id'], order: 'id' });
  const moveIds = [...new Set(rows.map((r) => idOf(r['move_id'])).filter((i): i is number => i !== undefined))];
  const moves = await ctx.client.read('stock.move', moveIds, ['state', 'sale_line_id']);
  const done = new Set(moves.filter((m) => m['state'] === 'done').map((m) => m.id));
  return {
    rows: rows.filter((r) => done.has(idOf(r['move_id']) ?? 0) && Number(r[qty] ?? 0) > 0),
    saleLineOf: new Map(moves.map((m) => [m.id, idOf(m['sale_line_id'])])),
  };
}

/**
 * Each move line with its quantity in its sale line's unit (what the customer ordered in), its lot
 * and expiry, and its package. The table of units is read only when a move line's unit differs.
 */
async function shippedLines(ctx: BuildContext, rows: readonly OdooRecord[], saleLineOf: ReadonlyMap<number, number | undefined>, sale: Awaited<ReturnType<typeof saleLinesOf>>): Promise<{ lines: ShippedLineFacts[] } | { held: string }> {
  const qty = ctx.schema.names.moveLineQuantity;
  const saleById = new Map(sale.map((s) => [s.id, s]));
  const unitOfSale = (r: OdooRecord) => saleById.get(saleLineOf.get(idOf(r['move_id']) ?? 0) ?? 0)?.unitId;
  let table: Map<number, UnitSize> | undefined;
  if (rows.some((r) => unitOfSale(r) !== undefined && idOf(r['product_uom_id']) !== unitOfSale(r))) {
    const version = ctx.schema.names.version;
    table = unitTable(await ctx.client.searchRead('uom.uom', [], { fields: unitTableFields(version), context: WITH_ARCHIVED }), version);
  }
  const lotIds = [...new Set(rows.map((r) => idOf(r['lot_id'])).filter((i): i is number => i !== undefined))];
  const expiry = await present(ctx, 'stock.lot', ['expiration_date']);
  const lots = new Map((lotIds.length ? await ctx.client.read('stock.lot', lotIds, ['name', ...expiry], WITH_ARCHIVED) : []).map((l) => [l.id, l]));
  const lines: ShippedLineFacts[] = [];
  for (const r of rows) {
    let quantity = Number(r[qty] ?? 0);
    const from = idOf(r['product_uom_id']);
    const to = unitOfSale(r);
    if (table && to !== undefined && from !== to) {
      const a = table.get(from ?? 0);
      const b = table.get(to);
      if (!a || !b || a.family !== b.family) {
        return { held: `${nameOf(r['product_id'])} was moved in '${nameOf(r['product_uom_id'])}', which cannot be converted into the sale line's unit '${b?.name ?? to}': set the move's unit to one of the same kind, then build again` };
      }
      quantity = Math.round((quantity * a.size / b.size) * 1e6) / 1e6;
    }
    const lot = lots.get(idOf(r['lot_id']) ?? 0);
    const expires = typeof lot?.['expiration_date'] === 'string' ? lot['expiration_date'].slice(0, 10) : undefined;
    lines.push({
      saleLineId: saleLineOf.get(idOf(r['move_id']) ?? 0),
      productName: nameOf(r['product_id']),
      quantity,
      ...(lot ? { lot: { name: String(lot['name']), ...(expires ? { expiry: expires } : {}) } } : {}),
      ...(idOf(r['result_package_id']) !== undefined ? { packageId: idOf(r['result_package_id'])! } : {}),
    });
  }
  return { lines };
}

/** The packages the goods went out in, with their weight where this server keeps one (stock_delivery). */
async function packagesOf(ctx: BuildContext, rows: readonly OdooRecord[], weightOf: (record: OdooRecord) => number | undefined): Promise<{ list: PackageFacts[]; weighed: boolean }> {
  const model = ctx.schema.names.packageModel;
  const ids = [...new Set(rows.map((r) => idOf(r['result_package_id'])).filter((i): i is number => i !== undefined))];
  if (!ids.length) return { list: [], weighed: false };
  const weights = await present(ctx, model, ['shipping_weight', 'weight']);
  const list = (await ctx.client.read(model, ids, ['name', ...weights])).map((p) => ({
    id: p.id,
    name: String(p['name'] || `${model} ${p.id}`),
    weight: weightOf(p),
  }));
  return { list, weighed: weights.length > 0 };
}

/** The delivery's carrier and its SCAC (x_scac, a custom field, where the database has it; else a name that is a SCAC). */
async function carrierOf(ctx: BuildContext, picking: OdooRecord): Promise<{ id: number; name: string; scac?: string } | undefined> {
  const id = idOf(picking['carrier_id']);
  if (!id) return undefined;
  const custom = await present(ctx, 'delivery.carrier', ['x_scac']);
  const [carrier] = await ctx.client.read('delivery.carrier', [id], ['name', ...custom], WITH_ARCHIVED);
  const name = String(carrier?.['name'] ?? nameOf(picking['carrier_id']));
  const scac = scacOf(name, carrier?.['x_scac']);
  return { id, name, ...(scac ? { scac } : {}) };
}

/**
 * A record's weight (shipping_weight, else weight) as Odoo shows it: rounded to the picking's weight
 * precision ('Stock Weight', fields_get digits of stock.picking weight; 2 when not told). Real 18
 * computes shipping_weight without rounding (174.975 where the packages say 144 and 30.98).
 */
async function weightRounding(ctx: BuildContext): Promise<(record: OdooRecord) => number | undefined> {
  const digits = (await ctx.schema.has(MODEL, 'weight')) ? (await ctx.schema.digits(MODEL, 'weight')) ?? 2 : 2;
  return (record) => {
    const weight = positive(record['shipping_weight']) ?? positive(record['weight']);
    return weight === undefined ? undefined : positive(roundDecimal(weight, digits));
  };
}

/** TD108 of the delivery's weight unit (weight_uom_name, stock_delivery), by the partner's units; kg when unknown. */
function weightUnitOf(ctx: BuildContext, uomName: unknown): string {
  const name = text(uomName)?.toLowerCase().replace(/^lbs$/, 'lb') ?? 'kg';
  return x12UnitCodes(ctx.settings.units).get(name)?.[0] ?? 'KG';
}
