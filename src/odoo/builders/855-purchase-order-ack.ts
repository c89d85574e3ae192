// 855 to a customer from a confirmed sale.order that came from its 850
// (docs/odoo.md#855-from-confirmed-sale-orders): the order and its lines are read afresh, the
// stored 850 is found by the order's customer reference, and ack-lines.ts compares the two.
// Held when a line's unit cannot be said in X12; skipped when the order is not (or no longer)
// confirmed or did not come from an 850.
import { PurchaseOrderAckSchema, type PurchaseOrderAck } from '../../documents/purchase-order-ack.js';
import type { OrderLine } from '../../documents/purchase-order.js';
import type { OdooRecord } from '../client/client.js';
import { unitTable, unitTableFields } from '../lookup/packs.js';
import { idOf } from '../postings/context.js';
import { DEFAULT_UNITS } from '../settings.js';
import { ackLines, type AckLinesResult, type SaleLineFacts } from './ack-lines.js';
import { x12UnitCodes } from './units.js';
import type { BuildContext, BuildOutcome, Builder, SourceRecord } from './types.js';

const ORDER_FIELDS = ['name', 'state', 'client_order_ref', 'partner_id', 'commitment_date', 'date_order', 'write_date', 'order_line'];

/** The ISO day of an Odoo datetime ('2026-12-04 12:00:00'), or undefined for false. */
function dayOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

const nameOf = (value: unknown): string => (Array.isArray(value) && typeof value[1] === 'string' ? value[1] : '');

/** The order's goods lines (sections and notes left out), with what the comparison needs of their products and units. */
export async function saleLinesOf(ctx: BuildContext, order: OdooRecord, ordered: readonly OrderLine[]): Promise<SaleLineFacts[]> {
  const uom = ctx.schema.names.saleLine.uom;
  const rows = (await ctx.client.read('sale.order.line', (order['order_line'] as number[] | undefined) ?? [], ['sequence', 'display_type', 'product_id', 'product_uom_qty', uom, 'price_unit']))
    .filter((r) => !r['display_type'] && idOf(r['product_id']));
  const productIds = [...new Set(rows.map((r) => idOf(r['product_id'])!))];
  const products = new Map((productIds.length ? await ctx.client.read('product.product', productIds, ['default_code', 'barcode', 'uom_id']) : []).map((p) => [p.id, p]));
  const codes = x12UnitCodes({ ...DEFAULT_UNITS, ...ctx.settings.units });
  const facts = rows.map((r) => {
    const product = products.get(idOf(r['product_id'])!);
    const unitName = nameOf(r[uom]);
    const fact: SaleLineFacts = {
      id: r.id,
      sequence: Number(r['sequence'] ?? 0),
      productName: nameOf(r['product_id']),
      ...(typeof product?.['default_code'] === 'string' && product['default_code'] ? { defaultCode: product['default_code'] } : {}),
      ...(typeof product?.['barcode'] === 'string' && product['barcode'] ? { barcode: product['barcode'] } : {}),
      quantity: Number(r['product_uom_qty'] ?? 0),
      price: Number(r['price_unit'] ?? 0),
      unitName,
      ...(idOf(r[uom]) !== undefined ? { unitId: idOf(r[uom])! } : {}),
      unitCodes: codes.get(unitName.trim().toLowerCase()) ?? [],
    };
    return { row: r, productUom: idOf(product?.['uom_id']), fact };
  });
  // A unit without a code may be the pack unit the 850 posting chose for a PO401 line (Case of 4
  // for CA): its size tells. The table of units is read only then.
  if (facts.some((f) => !f.fact.unitCodes.length) && ordered.some((l) => l.pack?.pack !== undefined)) {
    const version = ctx.schema.names.version;
    const table = unitTable(await ctx.client.searchRead('uom.uom', [], { fields: unitTableFields(version), context: { active_test: false } }), version);
    for (const f of facts) {
      const unit = table.get(idOf(f.row[uom]) ?? 0);
      const reference = table.get(f.productUom ?? 0);
      if (!f.fact.unitCodes.length && unit && reference && unit.family === reference.family) f.fact.holds = unit.size / reference.size;
    }
  }
  return facts.map((f) => f.fact);
}

/** Why a line holds the document: the order, the line and the field a person fixes. */
function heldReason(ctx: BuildContext, orderName: string, unitless: AckLinesResult['unitless']): string {
  const field = ctx.schema.names.saleLine.uom;
  return unitless.map(({ line, sale }) =>
    `sale order ${orderName}, ${line} (${sale.productName}): unit '${sale.unitName}' has no X12 code: add its code to odoo.units in ${ctx.partnerFile} (<X12 code>: ${sale.unitName}), or set the sale line's unit (${field}) to one that has, then build again`,
  ).join('\n');
}

async function build(ctx: BuildContext, recordId: number): Promise<BuildOutcome<'855'>> {
  const [order] = await ctx.client.read('sale.order', [recordId], ORDER_FIELDS);
  if (!order) return { skipped: `sale.order ${recordId} does not exist (any more)` };
  const name = String(order['name'] || recordId);
  if (order['state'] !== 'sale') return { skipped: `sale order ${name} is not confirmed (state ${String(order['state'])})` };
  const poNumber = typeof order['client_order_ref'] === 'string' ? order['client_order_ref'].trim() : '';
  if (!poNumber) return { skipped: `sale order ${name} has no customer reference (client_order_ref): it did not come from an 850` };
  const stored = await ctx.inbound.purchaseOrder(ctx.partnerCode, poNumber);
  if (!stored) return { skipped: `sale order ${name}: no 850 with PO number ${poNumber} was received from ${ctx.partnerName}, so there is nothing to acknowledge` };
  const po = stored.document;
  const source: SourceRecord = { model: 'sale.order', id: recordId, name, writeDate: String(order['write_date'] ?? '') };

  const [sale, quantity, price] = await Promise.all([
    saleLinesOf(ctx, order, po.lines),
    ctx.schema.digits('sale.order.line', 'product_uom_qty'),
    ctx.schema.digits('sale.order.line', 'price_unit'),
  ]);
  const result = ackLines({
    ordered: po.lines, headingDates: po.dates, sale,
    commitmentDate: dayOf(order['commitment_date']),
    digits: { quantity, price },
    productIds: ctx.settings.products.ids,
  });
  if (result.unitless.length) return { held: heldReason(ctx, name, result.unitless), source };

  // date_order is the confirmation time (action_confirm overwrites it): the day we acknowledge.
  const ackDate = dayOf(order['date_order']);
  const built: PurchaseOrderAck = PurchaseOrderAckSchema.parse({
    purpose: 'original', purposeCode: '00', ackType: result.ackType,
    poNumber: po.poNumber, poDate: po.poDate,
    ...(po.releaseNumber !== undefined ? { releaseNumber: po.releaseNumber } : {}),
    sellerOrderNumber: name,
    ...(ackDate ? { ackDate } : {}),
    ...(po.currency !== undefined ? { currency: po.currency } : {}),
    parties: po.parties,
    lines: result.lines,
  });
  return {
    built,
    source,
    details: {
      inboundDocumentId: stored.documentId,
      lines: result.outcomes,
      // Lines a person added in Odoo: the customer did not order them, so the 855 leaves them out.
      ...(result.added.length ? { notIn850: result.added.map((s) => ({ saleLineId: s.id, sequence: s.sequence, product: s.productName, quantity: s.quantity, unit: s.unitName })) } : {}),
    },
  };
}

export const purchaseOrderAckBuilder: Builder<'855'> = {
  kind: '855',
  model: 'sale.order',
  partnerField: 'partner_id',
  // Confirmed orders that carry a customer reference (only those can answer an 850).
  triggerDomain: () => [['state', '=', 'sale'], ['client_order_ref', '!=', false]],
  build,
};
