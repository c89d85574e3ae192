// Business flows over the wire, seeded over the wire, for 18 (JSON-RPC) and 19 (JSON-2): the EDI
// flow as captured on a real 18 (SO confirm, PO confirm -> receipt -> 856 -> partial validate ->
// backorder -> bill with purchase_line_id -> invoiced).
import { afterEach, describe, expect, it } from 'vitest';
import { startOdooDouble, type OdooDouble } from './index.js';
import { ormClient } from './wire.js';

type Rec = Record<string, any>;
const doubles: OdooDouble[] = [];
afterEach(async () => {
  await Promise.all(doubles.splice(0).map((d) => d.close()));
});

async function world(version: 18 | 19) {
  const d = await startOdooDouble({ version, now: () => new Date('2026-11-26T22:20:45Z') });
  doubles.push(d);
  const orm = ormClient(d);
  const customer = (await orm('res.partner', 'create', [{ name: 'ACME Retail Inc', is_company: true, ref: 'ACME' }])) as number;
  const shipTo = (await orm('res.partner', 'create', [{ name: 'ACME DC 42', parent_id: customer, type: 'delivery', barcode: '0012345000429' }])) as number;
  const vendor = (await orm('res.partner', 'create', [{ name: 'Widget Supply Co', is_company: true, supplier_rank: 1 }])) as number;
  const widget = (await orm('product.product', 'create', [{ name: 'Widget A', default_code: 'WA-100', barcode: '00012345678905', type: 'consu', is_storable: true, list_price: 10, standard_price: 6, seller_ids: [[0, 0, { partner_id: vendor, product_code: 'WSC-A-1', product_name: 'Vendor Widget A', price: 6, min_qty: 1 }]] }])) as number;
  const lotted = (await orm('product.product', 'create', [{ name: 'Widget L (lot tracked)', default_code: 'WL-200', type: 'consu', is_storable: true, tracking: 'lot', seller_ids: [[0, 0, { partner_id: vendor, product_code: 'WSC-L-2', price: 3 }]] }])) as number;
  const f = {
    uom: version === 18 ? 'product_uom' : 'product_uom_id',
    pkg: version === 18 ? 'stock.quant.package' : 'stock.package',
    // Vendors -> WH/Stock: 4 -> 8 on 18, 1 -> 5 on 19 [verified on real 18 and 19].
    vendorsToStock: version === 18 ? { location_id: 4, location_dest_id: 8 } : { location_id: 1, location_dest_id: 5 },
  };
  return { d, orm, customer, shipTo, vendor, widget, lotted, f };
}

describe.each([18, 19] as const)('Odoo %i', (version) => {
  it('confirms a sale order: state sale, date_order overwritten, a delivery with one move', async () => {
    const { orm, customer, shipTo, widget, f } = await world(version);
    const so = await orm('sale.order', 'create', [{ partner_id: customer, partner_shipping_id: shipTo, client_order_ref: 'PO-4500012345', date_order: '2026-11-20 09:00:00', commitment_date: '2026-12-01 15:00:00', order_line: [[0, 0, { product_id: widget, product_uom_qty: 24, price_unit: 9.5, [f.uom]: 1 }], [0, 0, { display_type: 'line_note', name: 'Ship complete' }]] }]);
    expect(await orm('sale.order', 'search', [[['client_order_ref', '=', 'PO-4500012345'], ['partner_id', 'child_of', customer], ['state', '!=', 'cancel']]], { limit: 1 })).toEqual([so]);
    expect(await orm('sale.order', 'action_confirm', [[so]])).toBe(true);
    const [order] = (await orm('sale.order', 'read', [[so], ['name', 'state', 'date_order', 'commitment_date', 'amount_untaxed', 'amount_total', 'picking_ids', 'partner_shipping_id']])) as Rec[];
    expect(order).toMatchObject({ name: 'S00001', state: 'sale', date_order: '2026-11-26 22:20:45', commitment_date: '2026-12-01 15:00:00', amount_untaxed: 228, amount_total: 262.2, partner_shipping_id: [shipTo, 'ACME Retail Inc, ACME DC 42'] });
    const [picking] = (await orm('stock.picking', 'read', [order!.picking_ids, ['name', 'origin', 'picking_type_code', 'state', 'scheduled_date', 'partner_id', 'sale_id', 'move_ids', 'carrier_tracking_ref']])) as Rec[];
    expect(picking).toMatchObject({ name: 'WH/OUT/00001', origin: version === 18 ? 'S00001 - PO-4500012345' : 'S00001', picking_type_code: 'outgoing', state: 'assigned', scheduled_date: '2026-12-01 15:00:00', sale_id: [so, 'S00001'], carrier_tracking_ref: false });
    const moves = (await orm('stock.move', 'search_read', [[['picking_id', '=', picking!.id]]], { fields: ['product_uom_qty', 'quantity', 'product_uom', 'sale_line_id', 'picked'] })) as Rec[];
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ product_uom_qty: 24, quantity: 24, product_uom: [1, 'Units'], picked: false, sale_line_id: [expect.any(Number), 'S00001 - [WA-100] Widget A (ACME)'] });
    await expect(orm('sale.order', 'action_confirm', [[so]])).rejects.toMatchObject({ odooName: 'odoo.exceptions.UserError' });
  });

  it('prices and weighs as a real 18: a quotation repriced by a new quantity, price_tax unrounded, computed weights, put in pack, package weights after validation', async () => {
    const { orm, customer, widget, f } = await world(version);
    const honey = (await orm('product.product', 'create', [{ name: 'Honey', type: 'consu', list_price: 22.4, weight: 0.5 }])) as number;
    const almonds = (await orm('product.product', 'create', [{ name: 'Almonds', type: 'consu', list_price: 3.13, weight: 0.45 }])) as number;
    await orm('product.product', 'write', [[widget], { weight: 1.2 }]);
    const so = (await orm('sale.order', 'create', [{ partner_id: customer, order_line: [[0, 0, { product_id: widget, product_uom_qty: 120, price_unit: 18.75 }], [0, 0, { product_id: honey, product_uom_qty: 48 }], [0, 0, { product_id: almonds, product_uom_qty: 15.5 }]] }])) as number;
    const lines = (await orm('sale.order.line', 'search_read', [[['order_id', '=', so]]], { fields: ['price_unit', 'price_subtotal', 'price_tax', 'price_total'] })) as Rec[];
    expect(lines[1]).toMatchObject({ price_subtotal: 1075.2, price_tax: 161.27999999999997, price_total: 1236.48 });
    // 18: a quantity alone reprices the quotation line from the pricelist (10), quantity with price keeps the price.
    await orm('sale.order.line', 'write', [[lines[0]!.id], { product_uom_qty: 100 }]);
    expect(((await orm('sale.order.line', 'read', [[lines[0]!.id], ['price_unit']])) as Rec[])[0]!.price_unit).toBe(version === 18 ? 10 : 18.75);
    await orm('sale.order.line', 'write', [[lines[0]!.id], { product_uom_qty: 120, price_unit: 18.75, [f.uom]: 1 }]);
    expect(((await orm('sale.order.line', 'read', [[lines[0]!.id], ['price_unit']])) as Rec[])[0]!.price_unit).toBe(18.75);
    await orm('sale.order', 'action_confirm', [[so]]);
    const [{ id: picking }] = (await orm('stock.picking', 'search_read', [[['sale_id', '=', so]]], { fields: ['id'] })) as Rec[] as [Rec];
    // weight stored and rounded (120 x 1.2 + 48 x 0.5 + 15.5 x 0.45). shipping_weight: 18 computes it unrounded and
    // ignores a write (real 18); 19 stores it rounded and keeps a write until the lines change (real 19).
    const weights = ['weight', 'shipping_weight', 'weight_uom_name'];
    expect(((await orm('stock.picking', 'read', [[picking], weights])) as Rec[])[0]).toMatchObject({ weight: 174.98, shipping_weight: version === 18 ? 174.975 : 174.98, weight_uom_name: 'kg' });
    expect(await orm('stock.picking', 'write', [[picking], { shipping_weight: 5 }])).toBe(true);
    expect(((await orm('stock.picking', 'read', [[picking], weights])) as Rec[])[0]).toMatchObject({ weight: 174.98, shipping_weight: version === 18 ? 174.975 : 5 });
    expect(await orm('stock.picking', 'fields_get', [['weight', 'shipping_weight']], { attributes: ['store', 'digits'] })).toEqual({
      weight: { store: true, digits: [16, 2] },
      shipping_weight: version === 18 ? { store: false } : { store: true, digits: [16, 2] },
    });
    // Put in pack (no carrier): the picked lines (else all) into a new package, answered as Python prints it
    // over JSON-RPC (18), as its ids over JSON-2 (19); nothing left: no result.
    const moveLines = (await orm('stock.move.line', 'search_read', [[['picking_id', '=', picking]]], { fields: ['product_id'] })) as Rec[];
    await orm('stock.move.line', 'write', [[moveLines[0]!.id], { picked: true }]);
    const first = await orm('stock.picking', 'action_put_in_pack', [[picking]]);
    if (version === 18) expect(first).toMatch(new RegExp(`^${f.pkg.replace('.', '\\.')}\\(\\d+,\\)$`));
    else expect(first).toEqual([expect.any(Number)]);
    // Packing changed what 19's shipping_weight depends on: the written 5 is recomputed away.
    if (version === 19) expect(((await orm('stock.picking', 'read', [[picking], weights])) as Rec[])[0]!.shipping_weight).toBe(174.98);
    expect(await orm('stock.picking', 'action_put_in_pack', [[picking]])).toEqual(version === 18 ? expect.stringMatching(/\(\d+,\)$/) : [expect.any(Number)]);
    // JSON-RPC (18) leaves the result key out for None; JSON-2 (19) answers null.
    expect(await orm('stock.picking', 'action_put_in_pack', [[picking]])).toBe(version === 18 ? undefined : null);
    const boxes = [...new Set(((await orm('stock.move.line', 'search_read', [[['picking_id', '=', picking]]], { fields: ['result_package_id'] })) as Rec[]).map((l) => l.result_package_id[0] as number))].sort((a, b) => a - b);
    expect(boxes).toHaveLength(2);
    const pkgFields = ['weight', 'shipping_weight', 'weight_uom_name', 'location_id', 'valid_sscc', 'package_type_id'];
    expect(await orm(f.pkg, 'read', [boxes, pkgFields])).toEqual(boxes.map((id) => ({ id, weight: 0, shipping_weight: 0, weight_uom_name: 'kg', location_id: false, valid_sscc: false, package_type_id: false })));
    await orm('stock.move.line', 'write', [moveLines.map((l) => l.id), { picked: true }]);
    expect(await orm('stock.picking', 'button_validate', [[picking]])).toBe(true);
    const done = (await orm(f.pkg, 'read', [boxes, pkgFields])) as Rec[];
    expect(done.map((p) => p.weight)).toEqual([144, 30.98]);
    expect(done.every((p) => Array.isArray(p.location_id))).toBe(true);
    expect(((await orm('stock.picking', 'read', [[picking], weights])) as Rec[])[0]).toMatchObject({ weight: 174.98, shipping_weight: version === 18 ? 174.975 : 174.98 });
    expect(((await orm('account.tax', 'read', [[1], ['price_include']])) as Rec[])[0]!.price_include).toBe(false);
  });

  it('ships part of a delivery with the backorder wizard, or drops the rest with skip_backorder', async () => {
    const { orm, customer, widget } = await world(version);
    const so = await orm('sale.order', 'create', [{ partner_id: customer, order_line: [[0, 0, { product_id: widget, product_uom_qty: 24 }]] }]);
    await orm('sale.order', 'action_confirm', [[so]]);
    const [line] = (await orm('stock.move.line', 'search_read', [[['picking_id.sale_id', '=', so]]], { fields: ['picking_id'] })) as Rec[];
    const picking = line!.picking_id[0] as number;
    await orm('stock.picking', 'write', [[picking], { carrier_tracking_ref: '1Z999AA10123456784' }]);
    await orm('stock.move.line', 'write', [[line!.id], { quantity: 10, picked: true }]);
    const action = (await orm('stock.picking', 'button_validate', [[picking]])) as Rec;
    expect(action).toEqual({ name: 'Create Backorder?', type: 'ir.actions.act_window', view_mode: 'form', res_model: 'stock.backorder.confirmation', views: [[version === 18 ? 892 : 934, 'form']], view_id: version === 18 ? 892 : 934, target: 'new', context: { button_validate_picking_ids: [picking], default_show_transfers: false, default_pick_ids: [[4, picking]] } });
    // Without the action's context the wizard does nothing (it validates context.button_validate_picking_ids).
    const idle = await orm('stock.backorder.confirmation', 'create', [{ pick_ids: [[4, picking]] }]);
    expect(await orm('stock.backorder.confirmation', 'process', [[idle]])).toBe(true);
    expect(((await orm('stock.picking', 'read', [[picking], ['state']])) as Rec[])[0]!.state).toBe('assigned');
    const wiz = await orm('stock.backorder.confirmation', 'create', [{ pick_ids: [[4, picking]], backorder_confirmation_line_ids: [[0, 0, { picking_id: picking, to_backorder: true }]] }], { context: action.context });
    expect(await orm('stock.backorder.confirmation', 'process', [[wiz]], { context: action.context })).toBe(true);
    const pickings = (await orm('stock.picking', 'search_read', [[['sale_id', '=', so]]], { fields: ['name', 'state', 'backorder_id', 'date_done', 'carrier_tracking_ref'] })) as Rec[];
    expect(pickings).toEqual([
      { id: picking + 1, name: 'WH/OUT/00002', state: 'assigned', backorder_id: [picking, 'WH/OUT/00001'], date_done: false, carrier_tracking_ref: false },
      { id: picking, name: 'WH/OUT/00001', state: 'done', backorder_id: false, date_done: '2026-11-26 22:20:45', carrier_tracking_ref: '1Z999AA10123456784' },
    ]);
    expect(((await orm('sale.order.line', 'search_read', [[['order_id', '=', so]]], { fields: ['qty_delivered'] })) as Rec[])[0]!.qty_delivered).toBe(10);
    // The backorder: validate 4 of its 14 and drop the rest.
    const [bo] = (await orm('stock.move', 'search_read', [[['picking_id', '=', picking + 1]]], { fields: ['product_uom_qty', 'quantity'] })) as Rec[];
    expect(bo).toMatchObject({ product_uom_qty: 14, quantity: 14 });
    await orm('stock.move', 'write', [[bo!.id], { quantity: 4, picked: true }]);
    expect(await orm('stock.picking', 'button_validate', [[picking + 1]], { context: { skip_backorder: true, picking_ids_not_to_backorder: [picking + 1] } })).toBe(true);
    expect(await orm('stock.picking', 'search_count', [[['sale_id', '=', so]]])).toBe(2);
    expect(((await orm('sale.order.line', 'search_read', [[['order_id', '=', so]]], { fields: ['qty_delivered'] })) as Rec[])[0]!.qty_delivered).toBe(14);
  });

  it('confirms a PO, follows 855 changes, receives lots and packages, backorders, and is billed', async () => {
    const { d, orm, vendor, widget, lotted, f } = await world(version);
    const po = await orm('purchase.order', 'create', [{ partner_id: vendor, origin: 'MRP/replenish', date_planned: '2026-12-05 10:00:00', order_line: [[0, 0, { product_id: widget, product_qty: 48, price_unit: 6, [f.uom]: 1, date_planned: '2026-12-05 10:00:00' }], [0, 0, { product_id: lotted, product_qty: 10, price_unit: 3 }]] }]);
    expect(await orm('purchase.order', 'button_confirm', [[po]])).toBe(true);
    const lines = (await orm('purchase.order.line', 'search_read', [[['order_id', '=', po]]], { fields: ['name', 'date_planned', 'move_ids'] })) as Rec[];
    expect(lines.map((l) => [l.name, l.date_planned])).toEqual([['[WSC-A-1] Vendor Widget A', '2026-12-05 10:00:00'], ['[WSC-L-2] Widget L (lot tracked)', '2026-11-27 22:20:45']]);
    const [order] = (await orm('purchase.order', 'read', [[po], ['name', 'state', 'picking_ids', 'receipt_status', 'invoice_status', 'amount_total', ...(version === 19 ? ['acknowledged'] : [])]])) as Rec[];
    expect(order).toMatchObject({ name: 'P00001', state: 'purchase', receipt_status: 'pending', invoice_status: 'no', amount_total: 365.7 });
    const receipt = order!.picking_ids[0] as number;

    // 855: vendor reference, less quantity and a later date on line 1; the receipt move follows.
    await orm('purchase.order', 'write', [[po], { partner_ref: 'SO-V-777', order_line: [[1, lines[0]!.id, { date_planned: '2026-12-07 10:00:00', product_qty: 36 }]] }]);
    const moves = (await orm('stock.move', 'search_read', [[['picking_id', '=', receipt]]], { fields: ['product_id', 'product_uom_qty', 'quantity', 'date_deadline', 'purchase_line_id'] })) as Rec[];
    const moveA = moves.find((m) => m.product_id[0] === widget)!;
    const moveL = moves.find((m) => m.product_id[0] === lotted)!;
    expect(moveA).toMatchObject({ product_uom_qty: 36, quantity: 36, date_deadline: '2026-12-07 10:00:00' });
    expect(((await orm('stock.picking', 'read', [[receipt], ['name', 'purchase_id']])) as Rec[])[0]).toMatchObject({ name: 'WH/IN/00001', purchase_id: [po, 'P00001 (SO-V-777)'] });

    // 856: lots and an SSCC on the tracked move, 30 of 36 on the other.
    const sscc = await orm(f.pkg, 'create', [{ name: '00098765000000000019' }]);
    await orm('stock.move', 'write', [[moveL.id], { move_line_ids: [[5, 0, 0], [0, 0, { product_id: lotted, lot_name: 'LOT-A1', quantity: 6, result_package_id: sscc, ...f.vendorsToStock, picking_id: receipt }], [0, 0, { product_id: lotted, lot_name: 'LOT-A2', quantity: 4, ...f.vendorsToStock, picking_id: receipt }]], picked: true }]);
    await orm('stock.move', 'write', [[moveA.id], { quantity: 30, picked: true }]);
    const action = (await orm('stock.picking', 'button_validate', [[receipt]])) as Rec;
    expect(action.res_model).toBe('stock.backorder.confirmation');
    const wiz = await orm('stock.backorder.confirmation', 'create', [{ pick_ids: [[4, receipt]] }], { context: action.context });
    expect(await orm('stock.backorder.confirmation', 'process', [[wiz]], { context: action.context })).toBe(true);

    const lots = (await orm('stock.lot', 'search_read', [[['product_id', '=', lotted]]], { fields: ['name', 'product_qty'] })) as Rec[];
    expect(lots).toEqual([{ id: 2, name: 'LOT-A1', product_qty: 6 }, { id: 1, name: 'LOT-A2', product_qty: 4 }]);
    const moveLines = (await orm('stock.move.line', 'search_read', [[['picking_id', '=', receipt]]], { fields: ['lot_id', 'quantity', 'result_package_id', 'state'] })) as Rec[];
    expect(moveLines.map((l) => [l.lot_id && l.lot_id[1], l.quantity, l.result_package_id && l.result_package_id[1], l.state])).toEqual([
      [false, 30, false, 'done'],
      [false, 10, false, false], // the line [5,0,0] detached: still on the picking, no move, no state
      ['LOT-A2', 4, false, 'done'],
      ['LOT-A1', 6, '00098765000000000019', 'done'],
    ]);
    const received = (await orm('purchase.order.line', 'search_read', [[['order_id', '=', po]]], { fields: ['qty_received', 'qty_to_invoice', f.uom] })) as Rec[];
    expect(received.map((l) => [l.qty_received, l.qty_to_invoice])).toEqual([[30, 30], [10, 10]]);
    const backorder = (await orm('stock.picking', 'search_read', [[['backorder_id', '=', receipt]]], { fields: ['name', 'state', 'move_ids'] })) as Rec[];
    expect(backorder).toMatchObject([{ name: 'WH/IN/00002', state: 'assigned' }]);
    expect(((await orm('purchase.order', 'read', [[po], ['receipt_status', 'invoice_status']])) as Rec[])[0]).toMatchObject({ receipt_status: 'partial', invoice_status: 'to invoice' });

    // 810: a draft bill linked to the PO lines; on 18 (first bill of the journal) numbered from its
    // invoice date while still draft, on 19 no name until posted [verified on real 18 and 19].
    expect(await orm('account.move', 'search', [[['move_type', '=', 'in_invoice'], ['partner_id', '=', vendor], ['ref', '=', 'INV-V-9001']]])).toEqual([]);
    const bill = await orm('account.move', 'create', [{ move_type: 'in_invoice', partner_id: vendor, ref: 'INV-V-9001', invoice_date: '2026-12-08', payment_reference: 'INV-V-9001', invoice_origin: 'P00001', invoice_line_ids: received.map((l) => [0, 0, { purchase_line_id: l.id, quantity: l.qty_received, product_uom_id: l[f.uom][0] }]) }]);
    const [draft] = (await orm('account.move', 'read', [[bill], ['name', 'state', 'invoice_date_due', 'amount_total', 'purchase_id']])) as Rec[];
    expect(draft).toMatchObject({ name: version === 18 ? 'BILL/2026/12/0001' : false, state: 'draft', invoice_date_due: '2026-11-26', amount_total: 241.5, purchase_id: false });
    expect(await orm('account.move', 'action_post', [[bill]])).toBe(false);
    const billLines = (await orm('account.move.line', 'search_read', [[['move_id', '=', bill], ['display_type', '=', 'product']]], { fields: ['price_unit', 'purchase_line_id', 'purchase_order_id'] })) as Rec[];
    expect(billLines.map((l) => [l.price_unit, l.purchase_order_id])).toEqual([[6, [po, 'P00001 (SO-V-777)']], [3, [po, 'P00001 (SO-V-777)']]]);
    expect(((await orm('purchase.order', 'read', [[po], ['invoice_status', 'invoice_ids']])) as Rec[])[0]).toMatchObject({ invoice_status: 'invoiced', invoice_ids: [bill] });

    // A note on the PO, returned as the message id, visible in mail.message.
    const message = await orm('purchase.order', 'message_post', [[po]], { body: 'EDI 855 <accepted>', message_type: 'comment' });
    expect(message).toEqual(version === 18 ? 1 : [1]);
    expect(await orm('mail.message', 'search_read', [[['model', '=', 'purchase.order'], ['res_id', '=', po]]], { fields: ['body', 'message_type'] })).toEqual([{ id: 1, body: '<p>EDI 855 &lt;accepted&gt;</p>', message_type: 'comment' }]);
    expect(d.calls.filter((c) => c.method === 'create' && c.model === 'account.move')).toHaveLength(1);
  });

  it('refuses to validate a tracked receipt without lots', async () => {
    const { orm, vendor, lotted } = await world(version);
    const po = await orm('purchase.order', 'create', [{ partner_id: vendor, order_line: [[0, 0, { product_id: lotted, product_qty: 5 }]] }]);
    await orm('purchase.order', 'button_confirm', [[po]]);
    const [order] = (await orm('purchase.order', 'read', [[po], ['picking_ids']])) as Rec[];
    await expect(orm('stock.picking', 'button_validate', [order!.picking_ids])).rejects.toMatchObject({
      odooName: 'odoo.exceptions.UserError',
      message: 'odoo.exceptions.UserError: You need to supply a Lot/Serial number for products [WL-200] Widget L (lot tracked).',
    });
  });

  it('18 refuses an order line in a unit of another category than the product unit; 19 has no categories', async () => {
    const { orm, customer, vendor, widget, f } = await world(version);
    const [lb] = (await orm('uom.uom', 'search', [[['name', '=', 'lb']]], { context: { active_test: false } })) as number[];
    const outcome = (p: Promise<unknown>) => p.then((id) => typeof id, (e: Rec) => [e.odooName, e.message]);
    const sale = await outcome(orm('sale.order', 'create', [{ partner_id: customer, order_line: [[0, 0, { product_id: widget, product_uom_qty: 2, [f.uom]: lb }]] }]));
    const purchase = await outcome(orm('purchase.order', 'create', [{ partner_id: vendor, order_line: [[0, 0, { product_id: widget, product_qty: 2, [f.uom]: lb }]] }]));
    const refused = ['odoo.exceptions.UserError', "odoo.exceptions.UserError: The unit of measure lb defined on the order line doesn't belong to the same category as the unit of measure Units defined on the product. Please correct the unit of measure defined on the order line or on the product. They should belong to the same category."];
    expect([sale, purchase]).toEqual(version === 18 ? [refused, refused] : ['number', 'number']);
    expect(await orm('sale.order', 'search_count', [[]])).toBe(version === 18 ? 0 : 1);
  });
});

describe('Odoo 19 as a real 19 answered (issue 12)', () => {
  it('packs a delivery with a carrier through the put-in-pack wizard; stored, rounded shipping_weight; quants after validation', async () => {
    const { orm, customer, widget } = await world(19);
    const honey = (await orm('product.product', 'create', [{ name: 'Honey', type: 'consu', weight: 0.5 }])) as number;
    await orm('product.product', 'write', [[widget], { weight: 1.2 }]);
    // The seeded delivery product 1 and carrier 1; a carrier needs its product.
    expect(await orm('delivery.carrier', 'read', [[1], ['name', 'product_id', 'delivery_type']])).toEqual([{ id: 1, name: 'Standard delivery', product_id: [1, '[Delivery_007] Standard delivery'], delivery_type: 'fixed' }]);
    await expect(orm('delivery.carrier', 'create', [{ name: 'FMLX' }])).rejects.toMatchObject({ odooName: 'odoo.exceptions.ValidationError' });
    const carrier = (await orm('delivery.carrier', 'create', [{ name: 'FMLX', product_id: 1, delivery_type: 'fixed', fixed_price: 0 }])) as number;
    const so = (await orm('sale.order', 'create', [{ partner_id: customer, order_line: [[0, 0, { product_id: widget, product_uom_qty: 60 }], [0, 0, { product_id: honey, product_uom_qty: 15.5 }]] }])) as number;
    await orm('sale.order', 'action_confirm', [[so]]);
    const [picking] = (await orm('stock.picking', 'search_read', [[['sale_id', '=', so]]], { fields: ['location_id', 'location_dest_id', 'picking_type_id', 'move_ids', 'name'] })) as Rec[];
    expect(picking).toMatchObject({ location_id: [5, 'WH/Stock'], location_dest_id: [2, 'Customers'] });
    expect(await orm('stock.picking.type', 'read', [[2], ['default_location_src_id', 'default_location_dest_id', 'set_package_type']])).toEqual([{ id: 2, default_location_src_id: [5, 'WH/Stock'], default_location_dest_id: [2, 'Customers'], set_package_type: false }]);
    expect(((await orm('stock.move', 'read', [picking!.move_ids, ['reference']])) as Rec[]).map((m) => m.reference)).toEqual([picking!.name, picking!.name]);
    await orm('stock.picking', 'write', [[picking!.id], { carrier_id: carrier }]);
    const lines = (await orm('stock.move.line', 'search_read', [[['picking_id', '=', picking!.id]]], { fields: ['product_id'], order: 'id' })) as Rec[];

    // With a carrier nothing is packed: the answer is the wizard's action; the wizard packs.
    await orm('stock.move.line', 'write', [[lines[1]!.id], { picked: true }]);
    const action = (await orm('stock.picking', 'action_put_in_pack', [[picking!.id]])) as Rec;
    expect(action).toMatchObject({ type: 'ir.actions.act_window', res_model: 'stock.put.in.pack', target: 'new', xml_id: 'stock.action_put_in_pack_wizard' });
    expect(action.context).toEqual({ dialog_size: 'medium', all_move_line_ids: [lines[1]!.id], default_move_line_ids: [lines[1]!.id], default_location_dest_id: 2, picking_ids: [picking!.id], default_package_carrier_type: 'none' });
    expect(((await orm('stock.move.line', 'read', [[lines[1]!.id], ['result_package_id']])) as Rec[])[0]!.result_package_id).toBe(false);
    const wizard = (await orm('stock.put.in.pack', 'create', [{ shipping_weight: 50 }], { context: action.context })) as number;
    expect(await orm('stock.put.in.pack', 'read', [[wizard], ['move_line_ids', 'shipping_weight', 'result_package_id']], { context: action.context })).toEqual([{ id: wizard, move_line_ids: [lines[1]!.id], shipping_weight: 50, result_package_id: false }]);
    const [box] = (await orm('stock.put.in.pack', 'action_put_in_pack', [[wizard]], { context: action.context })) as number[];
    // The next line: the wizard's weight defaults to the lines' (60 x 1.2).
    await orm('stock.move.line', 'write', [[lines[0]!.id], { picked: true }]);
    const next = (await orm('stock.picking', 'action_put_in_pack', [[picking!.id]])) as Rec;
    expect(next.context.all_move_line_ids).toEqual([lines[0]!.id]);
    const wizard2 = (await orm('stock.put.in.pack', 'create', [{}], { context: next.context })) as number;
    expect(((await orm('stock.put.in.pack', 'read', [[wizard2], ['shipping_weight']])) as Rec[])[0]!.shipping_weight).toBe(72);
    const [box2] = (await orm('stock.put.in.pack', 'action_put_in_pack', [[wizard2]], { context: next.context })) as number[];
    const pkgFields = ['shipping_weight', 'weight', 'quant_ids', 'location_id'];
    expect(await orm('stock.package', 'read', [[box!, box2!], pkgFields])).toEqual([
      { id: box, shipping_weight: 50, weight: 0, quant_ids: [], location_id: false },
      { id: box2, shipping_weight: 72, weight: 0, quant_ids: [], location_id: false },
    ]);
    // weight from the demand (60 x 1.2 + 15.5 x 0.5 = 79.75), shipping_weight the packages' (50 + 72).
    expect(((await orm('stock.picking', 'read', [[picking!.id], ['weight', 'shipping_weight']])) as Rec[])[0]).toMatchObject({ weight: 79.75, shipping_weight: 122 });
    expect(await orm('stock.picking', 'button_validate', [[picking!.id]])).toBe(true);
    const done = (await orm('stock.package', 'read', [[box!, box2!], pkgFields])) as Rec[];
    expect(done.map((p) => [p.weight, p.quant_ids.length, p.location_id])).toEqual([[7.75, 1, [2, 'Customers']], [72, 1, [2, 'Customers']]]);
    expect(await orm('stock.quant', 'read', [done[0]!.quant_ids, ['product_id', 'quantity', 'package_id']])).toEqual([{ id: done[0]!.quant_ids[0], product_id: [honey, 'Honey'], quantity: 15.5, package_id: [box, expect.any(String)] }]);
    expect(await orm('stock.picking', 'action_put_in_pack', [[picking!.id]])).toBeNull();
  });

  it("keeps an invoice's tax and payment-term lines in line_ids (tax_line_id, balance), invoice_line_ids the products only", async () => {
    const { orm, customer, widget } = await world(19);
    const honey = (await orm('product.product', 'create', [{ name: 'Honey', type: 'consu' }])) as number;
    const almonds = (await orm('product.product', 'create', [{ name: 'Almonds', type: 'consu' }])) as number;
    const city = (await orm('account.tax', 'create', [{ name: 'City 2% incl', amount: 2, amount_type: 'percent', type_tax_use: 'sale', price_include_override: 'tax_included' }])) as number;
    // The real 19 invoice of issue 12 (INV/2026/00002): 120 x 18.75 with 15% and 2% included, 48 x 22.4 less 10%, 15.5 x 3.125.
    const inv = (await orm('account.move', 'create', [{ move_type: 'out_invoice', partner_id: customer, invoice_payment_term_id: 4, invoice_line_ids: [
      [0, 0, { product_id: widget, quantity: 120, price_unit: 18.75, tax_ids: [[6, 0, [1, city]]] }],
      [0, 0, { product_id: honey, quantity: 48, price_unit: 22.4, discount: 10, tax_ids: [[6, 0, [1]]] }],
      [0, 0, { product_id: almonds, quantity: 15.5, price_unit: 3.125, tax_ids: [[6, 0, [1]]] }],
    ] }])) as number;
    expect(await orm('account.move', 'action_post', [[inv]])).toBe(false);
    const [move] = (await orm('account.move', 'read', [[inv], ['name', 'invoice_line_ids', 'line_ids', 'amount_untaxed', 'amount_tax', 'amount_total']])) as Rec[];
    expect(move).toMatchObject({ name: 'INV/2026/00001', amount_untaxed: 3222, amount_tax: 527.42, amount_total: 3749.42 });
    expect(move!.invoice_line_ids).toHaveLength(3);
    const all = (await orm('account.move.line', 'read', [move!.line_ids, ['display_type', 'name', 'tax_line_id', 'balance']])) as Rec[];
    expect(all.map(({ id: _id, ...l }) => l)).toEqual([
      { display_type: 'product', name: '[WA-100] Widget A', tax_line_id: false, balance: -2205.88 },
      { display_type: 'product', name: 'Honey', tax_line_id: false, balance: -967.68 },
      { display_type: 'product', name: 'Almonds', tax_line_id: false, balance: -48.44 },
      { display_type: 'tax', name: '15%', tax_line_id: [1, '15%'], balance: -483.3 },
      { display_type: 'tax', name: 'City 2% incl', tax_line_id: [city, 'City 2% incl'], balance: -44.12 },
      { display_type: 'payment_term', name: 'INV/2026/00001', tax_line_id: false, balance: 3749.42 },
    ]);
  });

  it('is seeded like a fresh 19: the 0% taxes and the ten payment terms, 2% / 10 days stored on each', async () => {
    const { orm } = await world(19);
    expect(await orm('account.tax', 'search_read', [[]], { fields: ['name', 'type_tax_use', 'amount'] })).toEqual([
      { id: 1, name: '15%', type_tax_use: 'sale', amount: 15 },
      { id: 2, name: '15%', type_tax_use: 'purchase', amount: 15 },
      { id: 3, name: '0% Exports', type_tax_use: 'sale', amount: 0 },
      { id: 4, name: '0% Imports', type_tax_use: 'purchase', amount: 0 },
    ]);
    const terms = (await orm('account.payment.term', 'search_read', [[]], { fields: ['name', 'line_ids', 'early_discount', 'discount_percentage', 'discount_days'] })) as Rec[];
    expect(terms).toHaveLength(10);
    expect(terms[8]).toEqual({ id: 9, name: '2/7 Net 30', line_ids: [10], early_discount: true, discount_percentage: 2, discount_days: 7 });
    expect(terms.filter((t) => !t.early_discount).every((t) => t.discount_percentage === 2 && t.discount_days === 10)).toBe(true);
  });
});
