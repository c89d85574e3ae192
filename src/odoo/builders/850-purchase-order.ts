// 850 to the supplier from a confirmed purchase.order: reads the order afresh (its lines, products,
// this vendor's product codes, our warehouse's and company's addresses) and hands the facts to the
// pure purchaseOrderDocument. docs/odoo.md#850-from-confirmed-purchase-orders.
import type { OdooRecord } from '../client/client.js';
import type { OdooSchema } from '../field-names.js';
import { DEFAULT_ADDRESS_FIELDS } from '../lookup/party-ids.js';
import { idOf } from '../postings/context.js';
import { goodsLinesInOrder } from '../postings/purchase-lines.js';
import {
  purchaseOrderDocument, vendorCodeRequired, type AddressFacts, type OrderLineFacts, type PurchaseOrderFacts,
} from './850-purchase-order-document.js';
import type { BuildContext, BuildOutcome, Builder, SourceRecord } from './types.js';

const MODEL = 'purchase.order';
const ORDER_FIELDS = ['name', 'state', 'partner_id', 'date_order', 'date_approve', 'date_planned', 'write_date', 'currency_id', 'picking_type_id', 'company_id', 'order_line'];
const ADDRESS_FIELDS = ['name', 'street', 'street2', 'city', 'zip', 'state_id', 'country_id'];
/** Archived products and contacts may still be on a confirmed order. */
const WITH_ARCHIVED = { active_test: false };

/** Confirmed: 'purchase', and 'done' (locked) up to 18; 19 locks with a flag and has no 'done'. */
function confirmedStates(schema: OdooSchema): string[] {
  return schema.names.version >= 19 ? ['purchase'] : ['purchase', 'done'];
}

export const purchaseOrderBuilder: Builder<'850'> = {
  kind: '850',
  model: MODEL,
  partnerField: 'partner_id',
  triggerDomain: (schema) => [['state', 'in', confirmedStates(schema)]],
  build,
};

async function build(ctx: BuildContext, recordId: number): Promise<BuildOutcome<'850'>> {
  const [po] = await ctx.client.searchRead(MODEL, [['id', '=', recordId]], { fields: ORDER_FIELDS, context: WITH_ARCHIVED });
  if (!po) return { skipped: `purchase.order ${recordId} does not exist (deleted)` };
  const name = String(po['name']);
  const state = String(po['state']);
  if (!confirmedStates(ctx.schema).includes(state)) return { skipped: `purchase order ${name} is ${state}, not confirmed` };
  const source: SourceRecord = { model: MODEL, id: po.id, name, writeDate: String(po['write_date']) };

  const [lines, { shipTo, billTo }] = await Promise.all([lineFacts(ctx, po), partyFacts(ctx, po)]);
  const facts: PurchaseOrderFacts = {
    name,
    vendorName: nameOf(po['partner_id']) ?? `res.partner ${idOf(po['partner_id'])}`,
    approvedOn: dateOf(po['date_approve']),
    orderedOn: dateOf(po['date_order']) ?? dateOf(po['write_date'])!,
    plannedOn: dateOf(po['date_planned']),
    currency: nameOf(po['currency_id']),
    shipTo,
    billTo,
    lines,
  };
  const verdict = purchaseOrderDocument(facts, { units: ctx.settings.units, vendorCodeRequired: vendorCodeRequired(ctx.settings), partnerFile: ctx.partnerFile });
  if ('held' in verdict) return { held: verdict.held.join('; '), source };
  return { built: verdict.document, source, details: { lines: lines.length } };
}

/** The goods lines in PO101 order, each with its product's ids and this vendor's code. */
async function lineFacts(ctx: BuildContext, po: OdooRecord): Promise<OrderLineFacts[]> {
  const uom = ctx.schema.names.purchaseLine.uom;
  const rows = goodsLinesInOrder(await ctx.client.read('purchase.order.line', (po['order_line'] as number[]) ?? [], ['product_id', 'name', 'product_qty', uom, 'price_unit', 'date_planned', 'sequence', 'display_type']));
  const productIds = [...new Set(rows.map((r) => idOf(r['product_id'])!))];
  const products = new Map((await ctx.client.read('product.product', productIds, ['name', 'default_code', 'barcode', 'product_tmpl_id'], WITH_ARCHIVED)).map((p) => [p.id, p]));
  const vendorCodes = await vendorCodesOf(ctx, idOf(po['partner_id'])!, [...products.values()]);
  return rows.map((r) => {
    const productId = idOf(r['product_id'])!;
    const product = products.get(productId);
    return {
      productName: text(product?.['name']) ?? nameOf(r['product_id']) ?? `product ${productId}`,
      defaultCode: text(product?.['default_code']),
      barcode: text(product?.['barcode']),
      vendorCode: vendorCodes.get(productId),
      description: text(r['name'])?.split('\n')[0]?.trim().slice(0, 80) || undefined,
      quantity: Number(r['product_qty'] ?? 0),
      unitName: nameOf(r[uom]) ?? '',
      price: Number(r['price_unit'] ?? 0),
      plannedOn: dateOf(r['date_planned']),
    };
  });
}

/**
 * Product id -> the vendor's product code, from one search over all the order's products: the
 * vendor's or its company's entries, one for the variant before one for the whole template, then
 * in the sequence Odoo lists them (its own choice of seller).
 */
async function vendorCodesOf(ctx: BuildContext, vendorId: number, products: readonly OdooRecord[]): Promise<Map<number, string>> {
  const templates = [...new Set(products.map((p) => idOf(p['product_tmpl_id'])).filter((t): t is number => t !== undefined))];
  const codes = new Map<number, string>();
  if (!templates.length) return codes;
  const infos = await ctx.client.searchRead('product.supplierinfo', [['partner_id', 'parent_of', vendorId], ['product_tmpl_id', 'in', templates], ['product_code', '!=', false]], {
    fields: ['product_tmpl_id', 'product_id', 'product_code', 'sequence'],
    order: 'sequence, id',
  });
  for (const p of products) {
    const ofTemplate = infos.filter((i) => idOf(i['product_tmpl_id']) === idOf(p['product_tmpl_id']) && text(i['product_code']));
    const info = ofTemplate.find((i) => idOf(i['product_id']) === p.id) ?? ofTemplate.find((i) => !idOf(i['product_id']));
    if (info) codes.set(p.id, text(info['product_code'])!);
  }
  return codes;
}

/** Ship-to: the address of the warehouse the order is received in; bill-to: our company. */
async function partyFacts(ctx: BuildContext, po: OdooRecord): Promise<{ shipTo: PurchaseOrderFacts['shipTo']; billTo: AddressFacts }> {
  const [types, companies, glnFields] = await Promise.all([
    ctx.client.read('stock.picking.type', ids(po['picking_type_id']), ['warehouse_id'], WITH_ARCHIVED),
    ctx.client.read('res.company', ids(po['company_id']), ['partner_id']),
    glnFieldsOf(ctx),
  ]);
  const warehouses = await ctx.client.read('stock.warehouse', ids(types[0]?.['warehouse_id']), ['code', 'name', 'partner_id'], WITH_ARCHIVED);
  const warehouse = warehouses[0];
  const shipToId = idOf(warehouse?.['partner_id']);
  const companyPartnerId = idOf(companies[0]?.['partner_id']);
  const partners = await ctx.client.read('res.partner', [...new Set([shipToId, companyPartnerId].filter((i): i is number => i !== undefined))], [...ADDRESS_FIELDS, ...glnFields], WITH_ARCHIVED);
  const codes = await placeCodes(ctx, partners);
  const addressOf = (id: number | undefined) => {
    const row = partners.find((p) => p.id === id);
    return row && addressFacts(row, glnFields, codes);
  };
  return {
    shipTo: { warehouse: text(warehouse?.['code']) ?? text(warehouse?.['name']), address: addressOf(shipToId), glnFields },
    billTo: addressOf(companyPartnerId) ?? { name: nameOf(po['company_id']) ?? 'our company' },
  };
}

/**
 * Where a GLN is kept: the field the partner file reads N103 UL from (odoo.shipTo.fields, default
 * barcode), and Odoo 19's global_location_number when this server has it, as the inbound lookup
 * (lookup/partners.ts) searches them.
 */
async function glnFieldsOf(ctx: BuildContext): Promise<string[]> {
  const named = ctx.settings.shipTo.fields['UL'] ?? DEFAULT_ADDRESS_FIELDS['UL']!;
  const candidates = [...new Set([named, 'global_location_number'])];
  const present = await Promise.all(candidates.map((f) => ctx.schema.has('res.partner', f)));
  return candidates.filter((_, i) => present[i]);
}

/** State and country codes (N402, N404) of the addresses' state_id and country_id. */
async function placeCodes(ctx: BuildContext, partners: readonly OdooRecord[]): Promise<Map<string, string>> {
  const of = (field: string) => [...new Set(partners.map((p) => idOf(p[field])).filter((i): i is number => i !== undefined))];
  const [states, countries] = await Promise.all([ctx.client.read('res.country.state', of('state_id'), ['code']), ctx.client.read('res.country', of('country_id'), ['code'])]);
  return new Map([...states.map((s) => [`state:${s.id}`, String(s['code'])] as const), ...countries.map((c) => [`country:${c.id}`, String(c['code'])] as const)]);
}

function addressFacts(row: OdooRecord, glnFields: readonly string[], codes: ReadonlyMap<string, string>): AddressFacts {
  return {
    name: text(row['name']) ?? `res.partner ${row.id}`,
    gln: glnFields.map((f) => text(row[f])).find(Boolean),
    street: text(row['street']),
    street2: text(row['street2']),
    city: text(row['city']),
    state: codes.get(`state:${idOf(row['state_id'])}`),
    zip: text(row['zip']),
    country: codes.get(`country:${idOf(row['country_id'])}`),
  };
}

/** A non-empty trimmed string, else undefined (Odoo answers false for an empty field). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The display name of a many2one as read ([id, name]). */
function nameOf(value: unknown): string | undefined {
  return Array.isArray(value) ? text(value[1]) : undefined;
}

function ids(value: unknown): number[] {
  const id = idOf(value);
  return id === undefined ? [] : [id];
}

/** The calendar day (UTC, as Odoo stores datetimes) of an Odoo date or datetime. */
function dateOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}
