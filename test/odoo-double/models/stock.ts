// Inventory: locations, operation types, pickings, moves, move lines, lots, packages, carriers and
// the backorder wizard (docs/odoo.md#receipts-from-856, docs/odoo.md#quirks-and-how-they-were-verified;
// a partial validation, an 856 receipt and its move lines as captured on a real 18).
import { userError } from '../errors.js';
import type { Env, ModelDef, Row, Vals, Version } from '../orm.js';
import { floatRound } from '../orm.js';
import { convertQty } from './base.js';
import { bool, char, datetime, float, int, m2m, m2o, nowDefault, o2m, only, pick, selection } from './fields.js';
import { messagePost } from './generic.js';
import { productName } from './product.js';

const PICKING_STATES: Array<[string, string]> = [['draft', 'Draft'], ['waiting', 'Waiting Another Operation'], ['confirmed', 'Waiting'], ['assigned', 'Ready'], ['done', 'Done'], ['cancel', 'Cancelled']];
const MOVE_STATES: Array<[string, string]> = [['draft', 'New'], ['waiting', 'Waiting Another Move'], ['confirmed', 'Waiting Availability'], ['partially_available', 'Partially Available'], ['assigned', 'Available'], ['done', 'Done'], ['cancel', 'Cancelled']];
/** Form view id of the backorder wizard in the captured real 18 and 19 databases. */
const BACKORDER_VIEW: Record<Version, number> = { 18: 892, 19: 934 };
const OPEN = (r: Row) => r.state !== 'done' && r.state !== 'cancel';
const EPS = 1e-6;

export function packageModel(v: Version): string {
  return pick(v, 'stock.quant.package', 'stock.package');
}

export function stockModels(v: Version, stockDelivery: boolean): ModelDef[] {
  const pkg = packageModel(v);
  return [
    {
      name: 'stock.location',
      description: 'Inventory Locations',
      order: 'complete_name, id',
      parentField: 'location_id',
      displayName: (env, r) => locationName(env, r),
      fields: {
        name: char('Location Name', { required: true }),
        complete_name: char('Full Location Name', { compute: (env, r) => locationName(env, r) }),
        location_id: m2o('stock.location', 'Parent Location'),
        usage: selection('Location Type', [['supplier', 'Vendor'], ['view', 'Virtual'], ['internal', 'Internal'], ['customer', 'Customer'], ['inventory', 'Inventory Loss'], ['production', 'Production'], ['transit', 'Transit']], { default: 'internal' }),
        active: bool('Active', { default: true }),
      },
    },
    {
      name: 'stock.picking.type',
      description: 'Picking Type',
      order: 'sequence, id',
      displayName: (_env, r) => `My Company: ${String(r.name)}`,
      fields: {
        name: char('Operation Type', { required: true }),
        sequence: int('Sequence', { default: 1 }),
        code: selection('Type of Operation', [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']], { required: true }),
        sequence_code: char('Sequence Prefix', { required: true }),
        default_location_src_id: m2o('stock.location', 'Default Source Location'),
        default_location_dest_id: m2o('stock.location', 'Default Destination Location'),
        create_backorder: selection('Create Backorder', [['ask', 'Ask'], ['always', 'Always'], ['never', 'Never']], { default: 'ask' }),
        warehouse_id: m2o('stock.warehouse', 'Warehouse'),
        active: bool('Active', { default: true }),
        // 19: true makes action_put_in_pack answer the put-in-pack wizard [verified on real 19: false on both seeded types].
        ...only(v, 19, { set_package_type: bool('Set Package Type', { default: false }) }),
      },
    },
    {
      // Its partner_id is the warehouse's address (where a PO of its receipts type is delivered).
      name: 'stock.warehouse',
      description: 'Warehouse',
      order: 'sequence, id',
      fields: {
        name: char('Warehouse', { required: true }),
        code: char('Short Name', { required: true }),
        sequence: int('Sequence', { default: 10 }),
        partner_id: m2o('res.partner', 'Address'),
        company_id: m2o('res.company', 'Company', { default: 1 }),
        active: bool('Active', { default: true }),
      },
    },
    {
      name: 'stock.picking',
      description: 'Transfer',
      order: 'priority desc, scheduled_date, id desc',
      fields: {
        name: char('Reference', { default: '/' }),
        origin: char('Source Document'),
        note: { type: 'html', string: 'Notes' },
        priority: selection('Priority', [['0', 'Normal'], ['1', 'Urgent']], { default: '0' }),
        state: selection('Status', PICKING_STATES, { default: 'draft' }),
        picking_type_id: m2o('stock.picking.type', 'Operation Type', { required: true }),
        picking_type_code: selection('Type of Operation', [['incoming', 'Receipt'], ['outgoing', 'Delivery'], ['internal', 'Internal Transfer']], {
          compute: (env, r) => env.row('stock.picking.type', r.picking_type_id as number)?.code ?? false,
        }),
        location_id: m2o('stock.location', 'Source Location', { required: true }),
        location_dest_id: m2o('stock.location', 'Destination Location', { required: true }),
        partner_id: m2o('res.partner', 'Contact'),
        scheduled_date: datetime('Scheduled Date', { default: nowDefault }),
        date_deadline: datetime('Deadline'),
        date_done: datetime('Date of Transfer'),
        move_ids: o2m('stock.move', 'picking_id', 'Stock Moves'),
        ...only(v, 18, { move_ids_without_package: o2m('stock.move', 'picking_id', 'Stock moves not in package') }),
        move_line_ids: o2m('stock.move.line', 'picking_id', 'Operations'),
        backorder_id: m2o('stock.picking', 'Back Order of'),
        backorder_ids: o2m('stock.picking', 'backorder_id', 'Back Orders'),
        purchase_id: m2o('purchase.order', 'Purchase Orders'),
        sale_id: m2o('sale.order', 'Sales Order'),
        company_id: m2o('res.company', 'Company', { default: 1 }),
        ...(stockDelivery
          ? {
              carrier_id: m2o('delivery.carrier', 'Carrier'),
              carrier_tracking_ref: char('Tracking Reference'),
              // weight is stored and rounded to 'Stock Weight'. shipping_weight on 18 is computed, not stored, not
              // rounded (174.975), and a write to it answers true and changes nothing [verified on real 18]; on 19
              // it is stored, rounded (174.98) and writable until what it depends on changes [verified on real 19].
              weight: float('Weight', { digits: 2, store: true, compute: (env, r) => floatRound(pickingWeight(env, r), 2) }),
              shipping_weight:
                v === 18
                  ? float('Weight for Shipping', { compute: (env, r) => shippingWeight(env, r, pkg) })
                  : float('Weight for Shipping', {
                      digits: 2,
                      store: true,
                      compute: (env, r) => writtenShippingWeight(env, r, pkg) ?? floatRound(shippingWeight(env, r, pkg), 2),
                      inverseWrite: (env, r, value) => {
                        r[WRITTEN] = { value: floatRound(Number(value || 0), 2), deps: shippingWeightDeps(env, r, pkg) };
                      },
                    }),
              weight_uom_name: char('Weight unit of measure label', { compute: () => 'kg' }),
            }
          : {}),
      },
      prepareCreate: (env, vals) => {
        const type = typeof vals.picking_type_id === 'number' ? env.row('stock.picking.type', vals.picking_type_id) : undefined;
        if (!type) return;
        if (vals.location_id === undefined) vals.location_id = type.default_location_src_id;
        if (vals.location_dest_id === undefined) vals.location_dest_id = type.default_location_dest_id;
      },
      afterCreate: (env, row) => {
        if (!row.name || row.name === '/') row.name = nextPickingName(env, row.picking_type_id as number);
      },
      methods: {
        action_confirm: { params: [], fn: (env, ids) => (reserve(env, env.db.existing(env, 'stock.picking', ids)), true) },
        action_assign: { params: [], fn: (env, ids) => (reserve(env, env.db.existing(env, 'stock.picking', ids)), true) },
        button_validate: { params: [], fn: (env, ids) => buttonValidate(env, ids) },
        action_cancel: { params: [], fn: (env, ids) => (cancelPickings(env, env.db.existing(env, 'stock.picking', ids)), true) },
        action_put_in_pack: { params: [], fn: (env, ids) => putInPack(env, ids, pkg, stockDelivery) },
        message_post: messagePost,
      },
    },
    {
      name: 'stock.move',
      description: 'Stock Move',
      order: 'sequence, id',
      displayName: (env, r) => {
        const picking = env.row('stock.picking', r.picking_id as number);
        const product = env.row('product.product', r.product_id as number);
        const code = product ? env.val('product.product', product, 'default_code') : false;
        const src = env.row('stock.location', r.location_id as number);
        const dest = env.row('stock.location', r.location_dest_id as number);
        return `${picking?.origin ? `${String(picking.origin)}/` : ''}${code ? `${String(code)}: ` : ''}${String(src?.name ?? '')}>${String(dest?.name ?? '')}`;
      },
      fields: {
        ...only(v, 18, { name: char('Description', { required: true }) }),
        sequence: int('Sequence', { default: 10 }),
        picking_id: m2o('stock.picking', 'Transfer'),
        product_id: m2o('product.product', 'Product', { required: true }),
        product_uom_qty: float('Demand', { default: 0, digits: 2 }),
        product_uom: m2o('uom.uom', 'Unit', { required: true }),
        product_qty: float('Real Quantity', { compute: (env, r) => convertQty(env, Number(r.product_uom_qty || 0), r.product_uom, productUom(env, r.product_id)) }),
        quantity: float('Quantity', {
          digits: 2,
          compute: (env, r) => round(env.pointingAt('stock.move.line', 'move_id', r.id).reduce((s, l) => s + Number(l.quantity || 0), 0)),
          inverseWrite: (env, r, value) => setMoveQuantity(env, r, Number(value || 0)),
        }),
        picked: bool('Picked', { default: false }),
        state: selection('Status', MOVE_STATES, { default: 'draft' }),
        date: datetime('Date Scheduled', { default: nowDefault }),
        date_deadline: datetime('Deadline'),
        location_id: m2o('stock.location', 'Source Location', { required: true }),
        location_dest_id: m2o('stock.location', 'Destination Location', { required: true }),
        partner_id: m2o('res.partner', 'Destination Address'),
        origin: char('Source Document'),
        purchase_line_id: m2o('purchase.order.line', 'Purchase Order Line'),
        sale_line_id: m2o('sale.order.line', 'Sale Line'),
        move_line_ids: o2m('stock.move.line', 'move_id', 'Move Lines'),
        has_tracking: selection('Product with Tracking', [['serial', 'By Unique Serial Number'], ['lot', 'By Lots'], ['none', 'By Quantity']], {
          compute: (env, r) => trackingOf(env, r.product_id),
        }),
        ...only(v, 19, {
          // The transfer's name [verified on real 19].
          reference: char('Reference', { compute: (env, r) => env.row('stock.picking', r.picking_id as number)?.name ?? false }),
          packaging_uom_id: m2o('uom.uom', 'Packaging'),
          packaging_uom_qty: float('Packaging Quantity', { compute: (env, r) => (r.packaging_uom_id ? convertQty(env, Number(r.product_uom_qty || 0), r.product_uom, r.packaging_uom_id) : 0) }),
        }),
      },
      prepareCreate: (env, vals) => {
        const picking = typeof vals.picking_id === 'number' ? env.row('stock.picking', vals.picking_id) : undefined;
        if (picking) {
          if (vals.location_id === undefined) vals.location_id = picking.location_id;
          if (vals.location_dest_id === undefined) vals.location_dest_id = picking.location_dest_id;
        }
        if (vals.product_uom === undefined) vals.product_uom = productUom(env, vals.product_id);
        if (v === 18 && vals.name === undefined && typeof vals.product_id === 'number') vals.name = productName(env, env.row('product.product', vals.product_id)!);
      },
      afterWrite: (env, rows, vals) => {
        // _inverse_picked: the move's flag goes to its lines.
        if ('picked' in vals) for (const r of rows) for (const l of linesOf(env, r.id)) l.picked = !!vals.picked;
      },
    },
    {
      name: 'stock.move.line',
      description: 'Product Moves (Stock Move Line)',
      // NULLs first on "desc": that is why lots are created in this order (captured on a real 18).
      order: 'result_package_id desc, id',
      displayName: (env, r) => (typeof r.product_id === 'number' ? env.displayName('product.product', r.product_id) : ''),
      fields: {
        move_id: m2o('stock.move', 'Stock Operation'),
        picking_id: m2o('stock.picking', 'Transfer'),
        product_id: m2o('product.product', 'Product'),
        product_uom_id: m2o('uom.uom', 'Unit'),
        quantity: float('Quantity', { default: 0, digits: 2 }),
        quantity_product_uom: float('Quantity in Product UoM', { compute: (env, r) => convertQty(env, Number(r.quantity || 0), r.product_uom_id, productUom(env, r.product_id)) }),
        lot_id: m2o('stock.lot', 'Lot/Serial Number'),
        lot_name: char('Lot/Serial Number Name'),
        package_id: m2o(pkg, 'Source Package'),
        result_package_id: m2o(pkg, 'Destination Package'),
        location_id: m2o('stock.location', 'From', { required: true }),
        location_dest_id: m2o('stock.location', 'To', { required: true }),
        picked: bool('Picked', { default: false }),
        state: selection('Status', MOVE_STATES, { compute: (env, r) => env.row('stock.move', r.move_id as number)?.state ?? false }),
        date: datetime('Date', { default: nowDefault }),
      },
      prepareCreate: (env, vals) => {
        const move = typeof vals.move_id === 'number' ? env.row('stock.move', vals.move_id) : undefined;
        if (!move) return;
        for (const [lineField, moveField] of [['picking_id', 'picking_id'], ['product_id', 'product_id'], ['location_id', 'location_id'], ['location_dest_id', 'location_dest_id'], ['product_uom_id', 'product_uom']] as const) {
          if (vals[lineField] === undefined) vals[lineField] = move[moveField];
        }
      },
      afterCreate: (env, row) => syncMovePicked(env, row.move_id),
      afterWrite: (env, rows, vals, before) => {
        if (!('picked' in vals) && !('move_id' in vals)) return;
        for (const r of [...rows, ...before]) syncMovePicked(env, r.move_id);
      },
    },
    {
      name: 'stock.lot',
      description: 'Lot/Serial',
      order: 'name, id',
      fields: {
        name: char('Lot/Serial Number', { required: true }),
        ref: char('Internal Reference'),
        product_id: m2o('product.product', 'Product', { required: true }),
        product_qty: float('On Hand Quantity', { compute: (env, r) => lotQuantity(env, r.id) }),
        // product_expiry's field; the double always has it (the 856 builder asks fields_get first).
        expiration_date: datetime('Expiration Date'),
        company_id: m2o('res.company', 'Company', { default: 1 }),
      },
    },
    {
      name: pkg,
      description: 'Packages',
      order: 'name',
      fields: {
        name: char('Package Reference', { default: (env: Env) => `PACK${String(env.nextSequence(pkg)).padStart(7, '0')}` }),
        package_type_id: m2o('stock.package.type', 'Package Type'),
        // Where its goods are: the destination of the last done move that filled it (no quants here).
        location_id: m2o('stock.location', 'Location', { compute: (env, r) => lastFilling(env, r.id)[0]?.location_dest_id ?? false }),
        valid_sscc: bool('Package name is valid SSCC', { compute: (_env, r) => isSscc(r.name) }),
        // 19 reads it: [] until a move into the package is done, then its quants [verified on real 19].
        ...only(v, 19, { quant_ids: o2m('stock.quant', 'package_id', 'Bulk Content') }),
        ...(stockDelivery
          ? {
              shipping_weight: float('Shipping Weight'),
              // What its goods weigh (0 until a move is done into it) [verified on real 18].
              weight: float('Weight', { digits: 2, compute: (env, r) => floatRound(packageWeight(env, r.id), 2) }),
              weight_uom_name: char('Weight unit of measure label', { compute: () => 'kg' }),
            }
          : {}),
      },
    },
    {
      name: 'stock.package.type',
      description: 'Stock package type',
      order: 'sequence, id',
      fields: { name: char('Package Type', { required: true }), sequence: int('Sequence', { default: 1 }), barcode: char('Barcode') },
    },
    ...(stockDelivery
      ? [
          {
            name: 'delivery.carrier',
            description: 'Shipping Methods',
            order: 'sequence, id',
            fields: {
              name: char('Delivery Method', { required: true }),
              sequence: int('Sequence', { default: 10 }),
              active: bool('Active', { default: true }),
              // Required on 19 (fields_get of real 19; seeded: product 1 "Standard delivery", carrier 1).
              product_id: m2o('product.product', 'Delivery Product', { required: v === 19 }),
              delivery_type: selection('Provider', [['base_on_rule', 'Based on Rules'], ['fixed', 'Fixed Price']], { required: true, default: 'fixed' }),
              fixed_price: float('Fixed Price', { default: 0 }),
            },
          } satisfies ModelDef,
        ]
      : []),
    {
      name: 'stock.backorder.confirmation',
      description: 'Backorder Confirmation',
      order: 'id',
      fields: {
        pick_ids: m2m('stock.picking', 'Pick'),
        show_transfers: bool('Show Transfers', { default: false }),
        backorder_confirmation_line_ids: o2m('stock.backorder.confirmation.line', 'backorder_confirmation_id', 'Backorder Confirmation Lines'),
      },
      methods: {
        // Both act on the context's button_validate_picking_ids: without that context they do nothing [KNOW: Odoo 18's source].
        process: {
          params: [],
          fn: (env, ids) => {
            const wizards = env.db.existing(env, 'stock.backorder.confirmation', ids);
            const toValidate = env.ctx.button_validate_picking_ids as number[] | undefined;
            if (!toValidate?.length) return true;
            const notToDo = env.rows('stock.backorder.confirmation.line').filter((l) => wizards.some((w) => w.id === l.backorder_confirmation_id) && !l.to_backorder).map((l) => l.picking_id as number);
            return buttonValidate(env.withContext({ skip_backorder: true, picking_ids_not_to_backorder: notToDo }), toValidate);
          },
        },
        process_cancel_backorder: {
          params: [],
          fn: (env, ids) => {
            const wizards = env.db.existing(env, 'stock.backorder.confirmation', ids);
            const toValidate = env.ctx.button_validate_picking_ids as number[] | undefined;
            if (!toValidate?.length) return true;
            const picks = wizards.flatMap((w) => (w.pick_ids as number[]) ?? []);
            return buttonValidate(env.withContext({ skip_backorder: true, picking_ids_not_to_backorder: picks }), toValidate);
          },
        },
      },
    },
    {
      name: 'stock.backorder.confirmation.line',
      description: 'Backorder Confirmation Line',
      order: 'id',
      fields: {
        backorder_confirmation_id: m2o('stock.backorder.confirmation', 'Immediate transfer', { ondelete: 'cascade' }),
        picking_id: m2o('stock.picking', 'Transfer'),
        to_backorder: bool('To Backorder', { default: false }),
      },
    },
    ...(v === 19 ? [quantModel(), putInPackWizard(pkg, stockDelivery)] : []),
  ];
}

/**
 * 19's packages list their quants (stock.package.quant_ids). The double keeps quants of packages only:
 * one per product and lot, made when a move into the package is done (what lastFilling reads).
 */
function quantModel(): ModelDef {
  return {
    name: 'stock.quant',
    description: 'Quants',
    order: 'id',
    fields: {
      product_id: m2o('product.product', 'Product', { required: true }),
      location_id: m2o('stock.location', 'Location', { required: true }),
      package_id: m2o('stock.package', 'Package'),
      lot_id: m2o('stock.lot', 'Lot/Serial Number'),
      quantity: float('Quantity', { default: 0 }),
    },
  };
}

/**
 * 19's put-in-pack wizard (answered by action_put_in_pack when the delivery has a carrier or its type
 * sets package types): created with the action's context, its action_put_in_pack packs the context's
 * all_move_line_ids and, with stock_delivery, gives the package the wizard's shipping weight
 * (which defaults to the lines' weight) [verified on real 19].
 */
function putInPackWizard(pkg: string, stockDelivery: boolean): ModelDef {
  return {
    name: 'stock.put.in.pack',
    description: 'Put In Pack Wizard',
    order: 'id',
    fields: {
      location_dest_id: m2o('stock.location', 'Destination'),
      move_line_ids: m2m('stock.move.line', 'Move lines'),
      package_ids: m2m(pkg, 'Packages'),
      package_type_id: m2o('stock.package.type', 'Package Type'),
      result_package_id: m2o(pkg, 'Package'),
      ...(stockDelivery
        ? {
            shipping_weight: float('Shipping Weight'),
            weight_uom_name: char('Weight unit of measure label', { compute: () => 'kg' }),
            package_carrier_type: char('Carrier Type'),
          }
        : {}),
    },
    afterCreate: (env, row, vals) => {
      if (stockDelivery && vals.shipping_weight === undefined) {
        const lines = (env.val('stock.put.in.pack', row, 'move_line_ids') as number[]).map((id) => env.row('stock.move.line', id)).filter((l): l is Row => !!l);
        row.shipping_weight = lines.reduce((s, l) => s + lineWeight(env, l), 0) + Number(env.row(pkg, row.result_package_id as number)?.shipping_weight || 0);
      }
    },
    methods: {
      action_put_in_pack: {
        params: [],
        fn: (env, ids) => {
          const [wizard] = env.db.existing(env, 'stock.put.in.pack', ids);
          if (!wizard) return undefined;
          const fromContext = env.ctx.all_move_line_ids as number[] | undefined;
          const lineIds = fromContext?.length ? fromContext : (env.val('stock.put.in.pack', wizard, 'move_line_ids') as number[]);
          const lines = linesToPack(env, lineIds.map((id) => env.row('stock.move.line', id)).filter((l): l is Row => !!l));
          if (!lines.length) return undefined;
          const id = packLines(env, pkg, lines, wizard.result_package_id, wizard.package_type_id);
          // stock_delivery's _post_put_in_pack_hook: the wizard's weight, when it has a carrier type.
          if (stockDelivery && wizard.package_carrier_type && Number(wizard.shipping_weight || 0)) env.patch(pkg, id, { shipping_weight: wizard.shipping_weight });
          return recordsetAnswer(env, pkg, id);
        },
      },
    },
  };
}

// ---- weights and packages (stock_delivery) ---------------------------------------------------

const productWeight = (env: Env, productId: unknown): number => {
  const product = typeof productId === 'number' ? env.row('product.product', productId) : undefined;
  return product ? env.num('product.product', product, 'weight') : 0;
};
const lineWeight = (env: Env, l: Row): number => convertQty(env, Number(l.quantity || 0), l.product_uom_id, productUom(env, l.product_id)) * productWeight(env, l.product_id);

/** stock.picking.weight: the demand of its moves not cancelled, in the product's unit, times the product's weight. */
function pickingWeight(env: Env, picking: Row): number {
  return env.pointingAt('stock.move', 'picking_id', picking.id).filter((m) => m.state !== 'cancel')
    .reduce((s, m) => s + convertQty(env, Number(m.product_uom_qty || 0), m.product_uom, productUom(env, m.product_id)) * productWeight(env, m.product_id), 0);
}

/** The done move lines that last filled a package (all of one transfer): what its quants would hold. */
function lastFilling(env: Env, packageId: number): Row[] {
  const done = env.pointingAt('stock.move.line', 'result_package_id', packageId).filter((l) => env.row('stock.move', l.move_id as number)?.state === 'done');
  const last = done.reduce<Row | undefined>((a, l) => (!a || l.id > a.id ? l : a), undefined);
  return last ? done.filter((l) => l.picking_id === last.picking_id) : [];
}

/** stock.quant.package.weight, unrounded: its quants' quantities times their products' weights. */
function packageWeight(env: Env, packageId: number): number {
  return lastFilling(env, packageId).reduce((s, l) => s + lineWeight(env, l), 0);
}

/**
 * stock.picking.shipping_weight: lines in no package, plus each package's shipping weight or else its
 * weight (18: its goods once done; 19: what this transfer's lines put in it, stock.package._get_weight).
 */
function shippingWeight(env: Env, picking: Row, pkg: string): number {
  const lines = env.pointingAt('stock.move.line', 'picking_id', picking.id);
  const bulk = lines.filter((l) => !l.result_package_id).reduce((s, l) => s + lineWeight(env, l), 0);
  const packages = [...new Set(lines.map((l) => l.result_package_id).filter((id): id is number => typeof id === 'number'))];
  const contents = (id: number) =>
    env.version === 18 ? packageWeight(env, id) : lines.filter((l) => l.result_package_id === id).reduce((s, l) => s + lineWeight(env, l), 0);
  return bulk + packages.reduce((s, id) => s + (Number(env.row(pkg, id)?.shipping_weight || 0) || contents(id)), 0);
}

/** Where a written 19 shipping_weight is kept (not a field): the value and what it was computed from then. */
const WRITTEN = '_double_written_shipping_weight';

/** What 19 recomputes shipping_weight on (its @api.depends): the lines, their packages and those packages' shipping weights. */
function shippingWeightDeps(env: Env, picking: Row, pkg: string): string {
  const lines = env.db.sortRows(env, 'stock.move.line', env.pointingAt('stock.move.line', 'picking_id', picking.id), 'id');
  return JSON.stringify(lines.map((l) => [l.id, l.quantity, l.product_uom_id, l.result_package_id, env.row(pkg, l.result_package_id as number)?.shipping_weight ?? null]));
}

/** A written 19 shipping_weight stays until a dependency changes (then Odoo recomputes the stored field). */
function writtenShippingWeight(env: Env, picking: Row, pkg: string): number | undefined {
  const written = picking[WRITTEN] as { value: number; deps: string } | undefined;
  return written && written.deps === shippingWeightDeps(env, picking, pkg) ? written.value : undefined;
}

/** A valid SSCC: 18 digits, the last a GS1 check digit. */
function isSscc(name: unknown): boolean {
  if (typeof name !== 'string' || !/^\d{18}$/.test(name)) return false;
  const digits = [...name].map(Number);
  const sum = digits.slice(0, 17).reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === digits[17];
}

/** Lines a put in pack takes: open, with a quantity and no package; the picked ones when some are. */
function linesToPack(env: Env, lines: Row[]): Row[] {
  const moveOpen = (l: Row) => {
    const move = env.row('stock.move', l.move_id as number);
    return !move || OPEN(move);
  };
  const open = lines.filter((l) => Number(l.quantity || 0) > 0 && !l.result_package_id && moveOpen(l));
  return open.some((l) => l.picked) ? open.filter((l) => l.picked) : open;
}

function packLines(env: Env, pkg: string, lines: Row[], packageId: unknown, packageTypeId: unknown): number {
  const id = typeof packageId === 'number' ? packageId : env.create(pkg, typeof packageTypeId === 'number' ? { package_type_id: packageTypeId } : {});
  for (const l of lines) env.patch('stock.move.line', l.id, { result_package_id: id });
  return id;
}

/** A returned recordset: Python's print of it over JSON-RPC [verified on real 18], its ids over JSON-2 [verified on real 19]. */
function recordsetAnswer(env: Env, model: string, id: number): unknown {
  return env.api === 'json2' ? [id] : `${model}(${id},)`;
}

/**
 * action_put_in_pack: the picking's lines with a quantity and no package (the picked ones when some
 * are) go into a new package; nothing to pack: no answer (None) [verified on real 18 and 19]. On 19 a
 * delivery with a carrier (stock_delivery) or whose type sets package types packs nothing and answers
 * the put-in-pack wizard's action (as captured on real 19; stock.put.in.pack packs).
 */
function putInPack(env: Env, ids: number[], pkg: string, stockDelivery: boolean): unknown {
  const pickings = env.db.existing(env, 'stock.picking', ids).filter(OPEN);
  const lines = linesToPack(env, pickings.flatMap((p) => env.pointingAt('stock.move.line', 'picking_id', p.id)));
  if (!lines.length) return undefined;
  if (env.version === 19) {
    const withCarrier = stockDelivery ? pickings.find((p) => p.carrier_id) : undefined;
    const setsType = pickings.some((p) => env.row('stock.picking.type', p.picking_type_id as number)?.set_package_type);
    if (withCarrier || setsType) return putInPackAction(env, lines, pickings, withCarrier);
  }
  return recordsetAnswer(env, pkg, packLines(env, pkg, lines, false, false));
}

/** The stock.action_put_in_pack_wizard action as a real 19 answered it (its id in that database). */
function putInPackAction(env: Env, lines: Row[], pickings: Row[], withCarrier: Row | undefined): Vals {
  const carrier = withCarrier ? env.row('delivery.carrier', withCarrier.carrier_id as number) : undefined;
  const type = carrier?.delivery_type ?? 'fixed';
  return {
    id: 343, display_name: 'Put in Pack', name: 'Put in Pack', type: 'ir.actions.act_window', xml_id: 'stock.action_put_in_pack_wizard',
    path: false, help: false, binding_model_id: false, binding_type: 'action', binding_view_types: 'list,form', view_id: false, domain: false,
    context: {
      dialog_size: 'medium',
      all_move_line_ids: lines.map((l) => l.id),
      default_move_line_ids: lines.map((l) => l.id),
      default_location_dest_id: lines[0]!.location_dest_id,
      picking_ids: pickings.map((p) => p.id),
      // stock_delivery: 'fixed' and 'base_on_rule' carriers pack as 'none'.
      ...(withCarrier ? { default_package_carrier_type: type === 'fixed' || type === 'base_on_rule' ? 'none' : type } : {}),
    },
    res_id: 0, res_model: 'stock.put.in.pack', target: 'new', view_mode: 'form', mobile_view_mode: 'kanban', views: [[false, 'form']],
    limit: 80, group_ids: [], search_view_id: false, embedded_action_ids: [], filter: false, cache: true,
  };
}

// ---- helpers shared with sale / purchase -----------------------------------------------------

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function locationName(env: Env, r: Row): string {
  const parent = typeof r.location_id === 'number' ? env.row('stock.location', r.location_id) : undefined;
  return parent && r.usage !== 'view' ? `${locationName(env, parent)}/${String(r.name)}` : String(r.name);
}

function productUom(env: Env, productId: unknown): unknown {
  const p = typeof productId === 'number' ? env.row('product.product', productId) : undefined;
  return p ? env.val('product.product', p, 'uom_id') : false;
}

function trackingOf(env: Env, productId: unknown): unknown {
  const p = typeof productId === 'number' ? env.row('product.product', productId) : undefined;
  return p ? env.val('product.product', p, 'tracking') : 'none';
}

function linesOf(env: Env, moveId: number): Row[] {
  return env.db.sortRows(env, 'stock.move.line', env.pointingAt('stock.move.line', 'move_id', moveId), 'id');
}

function movesOf(env: Env, pickingId: number): Row[] {
  return env.db.sortRows(env, 'stock.move', env.pointingAt('stock.move', 'picking_id', pickingId));
}

function syncMovePicked(env: Env, moveId: unknown): void {
  const move = typeof moveId === 'number' ? env.row('stock.move', moveId) : undefined;
  if (!move) return;
  const lines = linesOf(env, move.id);
  if (lines.length) move.picked = lines.some((l) => l.picked);
}

/** stock.move quantity inverse: grow the first line (or create one), shrink from the last ones. */
function setMoveQuantity(env: Env, move: Row, qty: number): void {
  const lines = linesOf(env, move.id);
  let delta = round(qty - lines.reduce((s, l) => s + Number(l.quantity || 0), 0));
  if (delta > EPS) {
    if (lines[0]) lines[0].quantity = round(Number(lines[0].quantity || 0) + delta);
    else env.create('stock.move.line', { move_id: move.id, quantity: delta, picked: !!move.picked });
    return;
  }
  for (const line of [...lines].reverse()) {
    if (delta > -EPS) break;
    const q = Number(line.quantity || 0);
    const take = Math.min(q, -delta);
    delta = round(delta + take);
    if (round(q - take) <= EPS && lines.length > 1) env.unlink('stock.move.line', [line.id]);
    else line.quantity = round(q - take);
  }
}

function nextPickingName(env: Env, typeId: number): string {
  const type = env.row('stock.picking.type', typeId);
  const code = String(type?.sequence_code ?? 'INT');
  return `WH/${code}/${String(env.nextSequence(`picking.${typeId}`)).padStart(5, '0')}`;
}

/** Reservation: stock is assumed available, so every open move reserves its whole demand. */
function reserve(env: Env, pickings: Row[]): void {
  for (const p of pickings) {
    if (!OPEN(p)) continue;
    for (const m of movesOf(env, p.id)) {
      if (!OPEN(m)) continue;
      if (env.num('stock.move', m, 'quantity') < Number(m.product_uom_qty || 0) - EPS) setMoveQuantity(env, m, Number(m.product_uom_qty || 0));
      m.state = 'assigned';
    }
    env.patch('stock.picking', p.id, { state: 'assigned' });
  }
}

type Kind = 'sale' | 'purchase';

function orderInfo(env: Env, kind: Kind, lineId: number) {
  const lineModel = kind === 'sale' ? 'sale.order.line' : 'purchase.order.line';
  const line = env.row(lineModel, lineId)!;
  const order = env.row(kind === 'sale' ? 'sale.order' : 'purchase.order', line.order_id as number)!;
  const uomField = env.version === 18 ? 'product_uom' : 'product_uom_id';
  const qtyField = kind === 'sale' ? 'product_uom_qty' : 'product_qty';
  return { line, order, lineModel, uomField, qtyField, link: kind === 'sale' ? 'sale_line_id' : 'purchase_line_id' };
}

function needsMove(env: Env, line: Row): boolean {
  const product = typeof line.product_id === 'number' ? env.row('product.product', line.product_id) : undefined;
  return !line.display_type && !!product && env.val('product.product', product, 'type') === 'consu';
}

function confirmed(kind: Kind, order: Row): boolean {
  return kind === 'sale' ? order.state === 'sale' : order.state === 'purchase' || order.state === 'done';
}

function newPicking(env: Env, kind: Kind, order: Row): number {
  const v18 = env.version === 18;
  return env.create('stock.picking', {
    picking_type_id: kind === 'sale' ? 2 : 1,
    partner_id: kind === 'sale' ? order.partner_shipping_id : order.partner_id,
    // 18 appends the customer reference to the delivery's origin, 19 does not (real 18 and 19).
    origin: kind === 'sale' && v18 && order.client_order_ref ? `${String(order.name)} - ${String(order.client_order_ref)}` : order.name,
    scheduled_date: kind === 'sale' ? order.commitment_date || env.now() : env.now(),
    date_deadline: kind === 'sale' ? order.commitment_date || false : false,
    [kind === 'sale' ? 'sale_id' : 'purchase_id']: order.id,
    state: 'assigned',
  });
}

function createMove(env: Env, kind: Kind, lineId: number, pickingId: number, demand?: number): void {
  const { line, uomField, qtyField, link } = orderInfo(env, kind, lineId);
  const picking = env.row('stock.picking', pickingId)!;
  const productUomId = productUom(env, line.product_id);
  const qty = demand ?? convertQty(env, Number(line[qtyField] || 0), line[uomField], productUomId);
  if (qty <= EPS) return;
  const when = kind === 'purchase' ? (line.date_planned as string) || env.now() : (picking.scheduled_date as string);
  const vals: Vals = {
    picking_id: pickingId,
    product_id: line.product_id,
    product_uom_qty: qty,
    product_uom: productUomId,
    date: when,
    date_deadline: kind === 'purchase' ? when : picking.date_deadline || false,
    partner_id: picking.partner_id,
    origin: picking.origin,
    [link]: lineId,
    state: 'assigned',
  };
  if (env.version === 19 && line[uomField] && line[uomField] !== productUomId) vals.packaging_uom_id = line[uomField];
  const moveId = env.create('stock.move', vals);
  env.create('stock.move.line', { move_id: moveId, quantity: qty });
}

/** action_confirm / button_confirm: one picking with one move per goods line. */
export function createOrderPicking(env: Env, kind: Kind, orderId: number): void {
  const lineModel = kind === 'sale' ? 'sale.order.line' : 'purchase.order.line';
  const lines = env.db.sortRows(env, lineModel, env.pointingAt(lineModel, 'order_id', orderId).filter((l) => needsMove(env, l)));
  if (!lines.length) return;
  const order = env.row(kind === 'sale' ? 'sale.order' : 'purchase.order', orderId)!;
  const pickingId = newPicking(env, kind, order);
  for (const l of lines) createMove(env, kind, l.id, pickingId);
  if (kind === 'purchase') {
    const dates = movesOf(env, pickingId).map((m) => String(m.date)).sort();
    if (dates[0]) env.patch('stock.picking', pickingId, { scheduled_date: dates[0] });
  }
}

function openPicking(env: Env, kind: Kind, orderId: number): Row | undefined {
  const key = kind === 'sale' ? 'sale_id' : 'purchase_id';
  return env.pointingAt('stock.picking', key, orderId).find(OPEN);
}

/** A line added to a confirmed order gets its move in the open picking (or a new one). */
export function lineAdded(env: Env, kind: Kind, lineId: number): void {
  const { line, order } = orderInfo(env, kind, lineId);
  if (!confirmed(kind, order) || !needsMove(env, line)) return;
  const picking = openPicking(env, kind, order.id) ?? env.row('stock.picking', newPicking(env, kind, order))!;
  createMove(env, kind, lineId, picking.id);
}

/** Quantity or date changed on a confirmed order line: the open move follows (docs/odoo.md#acknowledgments-from-855). */
export function lineChanged(env: Env, kind: Kind, lineId: number, dateChanged = false): void {
  const { line, order, uomField, qtyField, link } = orderInfo(env, kind, lineId);
  if (!confirmed(kind, order) || !needsMove(env, line)) return;
  const moves = env.pointingAt('stock.move', link, lineId);
  const open = moves.filter(OPEN);
  if (dateChanged) for (const m of open) m.date_deadline = line.date_planned;
  const productUomId = productUom(env, line.product_id);
  const done = moves.filter((m) => m.state === 'done').reduce((s, m) => s + convertQty(env, env.num('stock.move', m, 'quantity'), m.product_uom, productUomId), 0);
  const wanted = round(convertQty(env, Number(line[qtyField] || 0), line[uomField], productUomId) - done);
  const move = open[0];
  if (!move) {
    if (wanted > EPS) lineAdded(env, kind, lineId);
    return;
  }
  const reservedAll = env.num('stock.move', move, 'quantity') >= Number(move.product_uom_qty || 0) - EPS;
  move.product_uom_qty = Math.max(0, wanted);
  if (reservedAll && !move.picked) setMoveQuantity(env, move, Math.max(0, wanted));
}

/** Done quantity of the moves linked to an order line, in the line's unit. */
export function doneMoveQty(env: Env, link: 'sale_line_id' | 'purchase_line_id', lineId: number, lineUom: unknown): number {
  return round(
    env
      .rows('stock.move')
      .filter((m) => m[link] === lineId && m.state === 'done')
      .reduce((s, m) => s + convertQty(env, env.num('stock.move', m, 'quantity'), m.product_uom, lineUom), 0),
  );
}

export function cancelPickings(env: Env, pickings: Row[]): void {
  for (const p of pickings) {
    if (!OPEN(p)) continue;
    for (const m of movesOf(env, p.id)) {
      if (!OPEN(m)) continue;
      const lines = linesOf(env, m.id);
      if (lines.length) env.unlink('stock.move.line', lines.map((l) => l.id));
      m.state = 'cancel';
    }
    env.patch('stock.picking', p.id, { state: 'cancel' });
  }
}

function lotQuantity(env: Env, lotId: number): number {
  let qty = 0;
  for (const l of env.pointingAt('stock.move.line', 'lot_id', lotId)) {
    if (env.row('stock.move', l.move_id as number)?.state !== 'done') continue;
    const from = env.row('stock.location', l.location_id as number);
    const to = env.row('stock.location', l.location_dest_id as number);
    if (to?.usage === 'internal') qty += Number(l.quantity || 0);
    if (from?.usage === 'internal') qty -= Number(l.quantity || 0);
  }
  return round(qty);
}

/** button_validate (docs/odoo.md#quirks-and-how-they-were-verified): auto-fill, lot check, backorder wizard or done. */
export function buttonValidate(env: Env, ids: number[]): unknown {
  const pickings = env.db.existing(env, 'stock.picking', ids).filter(OPEN);
  if (!pickings.length) return true;
  reserve(env, pickings.filter((p) => p.state === 'draft'));
  for (const p of pickings) {
    const moves = movesOf(env, p.id).filter(OPEN);
    if (!moves.length) throw userError('Please add some items to move.');
    if (moves.every((m) => env.num('stock.move', m, 'quantity') <= EPS)) for (const m of moves) setMoveQuantity(env, m, Number(m.product_uom_qty || 0));
    if (!moves.some((m) => m.picked)) for (const m of moves) env.write('stock.move', [m.id], { picked: true });
  }
  const missingLots = new Set<string>();
  for (const p of pickings) {
    for (const m of movesOf(env, p.id).filter((x) => OPEN(x) && x.picked)) {
      if (trackingOf(env, m.product_id) === 'none') continue;
      for (const l of linesOf(env, m.id)) {
        if (l.picked && Number(l.quantity || 0) > EPS && !l.lot_id && !l.lot_name) missingLots.add(env.displayName('product.product', m.product_id as number));
      }
    }
  }
  // Wording of stock.picking._sanity_check [KNOW].
  if (missingLots.size) throw userError(`You need to supply a Lot/Serial number for products ${[...missingLots].join(', ')}.`);
  const short = pickings.filter((p) =>
    movesOf(env, p.id)
      .filter(OPEN)
      .some((m) => (m.picked ? env.num('stock.move', m, 'quantity') : 0) < Number(m.product_uom_qty || 0) - EPS),
  );
  if (short.length && !env.ctx.skip_backorder) {
    return {
      name: 'Create Backorder?',
      type: 'ir.actions.act_window',
      view_mode: 'form',
      res_model: 'stock.backorder.confirmation',
      views: [[BACKORDER_VIEW[env.version], 'form']],
      view_id: BACKORDER_VIEW[env.version],
      target: 'new',
      context: {
        button_validate_picking_ids: pickings.map((p) => p.id),
        default_show_transfers: short.length > 1,
        default_pick_ids: short.map((p) => [4, p.id]),
      },
    };
  }
  const noBackorder = new Set((env.ctx.picking_ids_not_to_backorder as number[] | undefined) ?? []);
  for (const p of pickings) markDone(env, p, !noBackorder.has(p.id));
  return true;
}

function markDone(env: Env, picking: Row, withBackorder: boolean): void {
  const whole: Row[] = [];
  const remainders: Array<[Row, number]> = [];
  const doneLines: Row[] = [];
  for (const m of movesOf(env, picking.id).filter(OPEN)) {
    const lines = linesOf(env, m.id);
    const picked = m.picked ? lines.filter((l) => l.picked || !lines.some((x) => x.picked)) : [];
    const unpicked = lines.filter((l) => !picked.includes(l));
    if (unpicked.length) env.unlink('stock.move.line', unpicked.map((l) => l.id));
    const done = round(picked.reduce((s, l) => s + Number(l.quantity || 0), 0));
    const demand = Number(m.product_uom_qty || 0);
    if (done <= EPS) {
      whole.push(m);
      continue;
    }
    if (done < demand - EPS) {
      remainders.push([m, round(demand - done)]);
      m.product_uom_qty = done;
    }
    m.state = 'done';
    m.picked = true;
    doneLines.push(...picked);
  }
  createLots(env, doneLines);
  if (env.version === 19) fillQuants(env, doneLines);
  env.patch('stock.picking', picking.id, { state: 'done', date_done: env.now() });
  if (withBackorder && (whole.length || remainders.length)) {
    const bo = env.create('stock.picking', {
      picking_type_id: picking.picking_type_id,
      partner_id: picking.partner_id,
      origin: picking.origin,
      scheduled_date: picking.scheduled_date,
      date_deadline: picking.date_deadline,
      location_id: picking.location_id,
      location_dest_id: picking.location_dest_id,
      purchase_id: picking.purchase_id,
      sale_id: picking.sale_id,
      backorder_id: picking.id,
      state: 'assigned',
    });
    for (const m of whole) {
      Object.assign(m, { picking_id: bo, picked: false, state: 'assigned' });
      setMoveQuantity(env, m, Number(m.product_uom_qty || 0));
    }
    for (const [m, qty] of remainders) {
      const copy: Vals = {};
      for (const f of ['product_id', 'product_uom', 'date', 'date_deadline', 'location_id', 'location_dest_id', 'partner_id', 'origin', 'purchase_line_id', 'sale_line_id', 'name', 'packaging_uom_id']) {
        if (f in m) copy[f] = m[f];
      }
      const moveId = env.create('stock.move', { ...copy, picking_id: bo, product_uom_qty: qty, state: 'assigned' });
      env.create('stock.move.line', { move_id: moveId, quantity: qty });
    }
  } else {
    for (const m of whole) m.state = 'cancel';
  }
}

/** 19: the packages these done lines filled hold quants of them now (one per product and lot), and nothing else. */
function fillQuants(env: Env, lines: Row[]): void {
  const packed = lines.filter((l) => typeof l.result_package_id === 'number');
  for (const id of new Set(packed.map((l) => l.result_package_id as number))) {
    const old = env.pointingAt('stock.quant', 'package_id', id).map((q) => q.id);
    if (old.length) env.unlink('stock.quant', old);
  }
  const quants = new Map<string, Row>();
  for (const l of env.db.sortRows(env, 'stock.move.line', packed, 'id')) {
    const key = `${String(l.result_package_id)}/${String(l.product_id)}/${String(l.lot_id)}`;
    const qty = convertQty(env, Number(l.quantity || 0), l.product_uom_id, productUom(env, l.product_id));
    const q = quants.get(key);
    if (q) q.quantity = round(Number(q.quantity || 0) + qty);
    else {
      const qid = env.create('stock.quant', { product_id: l.product_id, location_id: l.location_dest_id, package_id: l.result_package_id, lot_id: l.lot_id || false, quantity: qty });
      quants.set(key, env.row('stock.quant', qid)!);
    }
  }
}

/**
 * Receipts: a lot_name becomes a stock.lot at validation (docs/odoo.md#quirks-and-how-they-were-verified), for products
 * tracked by lot or serial only; an untracked product's lot_name is ignored [verified on real 18 and 19].
 */
function createLots(env: Env, lines: Row[]): void {
  for (const l of env.db.sortRows(env, 'stock.move.line', lines)) {
    if (l.lot_id || !l.lot_name) continue;
    const product = env.row('product.product', l.product_id as number);
    const template = product ? env.row('product.template', product.product_tmpl_id as number) : undefined;
    if ((template?.tracking ?? 'none') === 'none') continue;
    const existing = env.rowsWithValue('stock.lot', 'name', l.lot_name).find((lot) => lot.product_id === l.product_id);
    l.lot_id = existing ? existing.id : env.create('stock.lot', { name: l.lot_name, product_id: l.product_id });
  }
}
