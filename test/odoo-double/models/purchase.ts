// purchase.order / purchase.order.line with button_confirm, button_cancel, button_draft
// (from creating the order to its invoice_status after the bill, as captured on a real 18).
import { userError } from '../errors.js';
import type { Env, ModelDef, Row, Version } from '../orm.js';
import { checkLineUnit, convertQty, lineAmounts } from './base.js';
import { bool, char, datetime, fill, float, html, int, m2m, m2o, money, nowDefault, o2m, only, pick, round2, selection, text, priceDigits } from './fields.js';
import { messagePost } from './generic.js';
import { productName } from './product.js';
import { cancelPickings, createOrderPicking, doneMoveQty, lineAdded, lineChanged } from './stock.js';

const L = 'purchase.order.line';

function addDays(datetime: string, days: number): string {
  const d = new Date(`${datetime.replace(' ', 'T')}Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** The vendor price line for this partner and product (variant-specific first). */
function sellerFor(env: Env, partnerId: unknown, product: Row): Row | undefined {
  const tmpl = product.product_tmpl_id;
  const sellers = env.db.sortRows(
    env,
    'product.supplierinfo',
    env.rows('product.supplierinfo').filter((s) => s.partner_id === partnerId && (s.product_id === product.id || (!s.product_id && s.product_tmpl_id === tmpl))),
  );
  return sellers.find((s) => s.product_id === product.id) ?? sellers[0];
}

export function purchaseModels(v: Version): ModelDef[] {
  const uom = pick(v, 'product_uom', 'product_uom_id');
  const tax = pick(v, 'taxes_id', 'tax_ids');
  const states: Array<[string, string]> = [['draft', 'RFQ'], ['sent', 'RFQ Sent'], ['to approve', 'To Approve'], ['purchase', 'Purchase Order'], ...(v === 18 ? ([['done', 'Locked']] as Array<[string, string]>) : []), ['cancel', 'Cancelled']];
  const n = (env: Env, r: Row, f: string) => env.num(L, r, f);
  const amountsOf = (env: Env, r: Row) => lineAmounts(env, env.val(L, r, tax) as number[], n(env, r, 'price_unit'), n(env, r, 'product_qty'));
  const subtotal = (env: Env, r: Row) => amountsOf(env, r).subtotal;
  const lineTax = (env: Env, r: Row) => amountsOf(env, r).tax;
  const billLines = (env: Env, lineId: number) =>
    env.rows('account.move.line').filter((l) => l.purchase_line_id === lineId && env.row('account.move', l.move_id as number)?.state !== 'cancel');
  const qtyInvoiced = (env: Env, r: Row) =>
    round2(
      billLines(env, r.id).reduce((s, l) => {
        const move = env.row('account.move', l.move_id as number)!;
        const sign = move.move_type === 'in_refund' ? -1 : 1;
        return s + sign * convertQty(env, Number(l.quantity || 0), l.product_uom_id, r[uom]);
      }, 0),
    );
  const qtyReceived = (env: Env, r: Row) => doneMoveQty(env, 'purchase_line_id', r.id, r[uom]);
  const qtyToInvoice = (env: Env, r: Row) => {
    const order = env.row('purchase.order', r.order_id as number);
    if (!order || (order.state !== 'purchase' && order.state !== 'done') || r.display_type) return 0;
    const product = env.row('product.product', r.product_id as number);
    const method = product ? env.val('product.product', product, 'purchase_method') : 'purchase';
    return round2((method === 'purchase' ? n(env, r, 'product_qty') : qtyReceived(env, r)) - qtyInvoiced(env, r));
  };
  const linesOf = (env: Env, o: Row) => env.rows(L).filter((l) => l.order_id === o.id && !l.display_type);
  const amounts = (env: Env, o: Row) => {
    const untaxed = round2(linesOf(env, o).reduce((s, l) => s + subtotal(env, l), 0));
    const taxes = round2(linesOf(env, o).reduce((s, l) => s + lineTax(env, l), 0));
    return { untaxed, taxes, total: round2(untaxed + taxes) };
  };
  const invoiceIds = (env: Env, o: Row) => {
    const ids = new Set(env.rows(L).filter((l) => l.order_id === o.id).map((l) => l.id));
    return [...new Set(env.rows('account.move.line').filter((l) => ids.has(l.purchase_line_id as number)).map((l) => l.move_id as number))].sort((a, b) => a - b);
  };
  const recomputeDatePlanned = (env: Env, orderId: unknown) => {
    const order = typeof orderId === 'number' ? env.row('purchase.order', orderId) : undefined;
    if (!order) return;
    const dates = env.rows(L).filter((l) => l.order_id === order.id && l.date_planned).map((l) => String(l.date_planned)).sort();
    if (dates[0]) order.date_planned = dates[0];
  };

  const order: ModelDef = {
    name: 'purchase.order',
    description: 'Purchase Order',
    order: 'priority desc, id desc',
    // "P00001 (SO-V-777)" once the vendor reference is known (captured on a real 18).
    displayName: (_env, r) => (r.partner_ref ? `${String(r.name)} (${String(r.partner_ref)})` : String(r.name)),
    fields: {
      name: char('Order Reference', { required: true, default: 'New' }),
      priority: selection('Priority', [['0', 'Normal'], ['1', 'Urgent']], { default: '0' }),
      partner_id: m2o('res.partner', 'Vendor', { required: true }),
      partner_ref: char('Vendor Reference'),
      origin: char('Source'),
      state: selection('Status', states, { default: 'draft' }),
      date_order: datetime('Order Deadline', { required: true, default: nowDefault }),
      date_approve: datetime('Confirmation Date'),
      date_planned: datetime('Expected Arrival'),
      order_line: o2m(L, 'order_id', 'Order Lines'),
      picking_ids: m2m('stock.picking', 'Receptions', { compute: (env, o) => env.rows('stock.picking').filter((p) => p.purchase_id === o.id).map((p) => p.id) }),
      picking_type_id: m2o('stock.picking.type', 'Deliver To', { required: true, default: 1 }),
      dest_address_id: m2o('res.partner', 'Dropship Address'),
      [pick(v, 'notes', 'note')]: html('Terms and Conditions'),
      ...only(v, 19, { acknowledged: bool('Acknowledged', { default: false }), locked: bool('Locked', { default: false }) }),
      receipt_status: selection('Receipt Status', [['pending', 'Not Received'], ['partial', 'Partially Received'], ['full', 'Fully Received']], {
        compute: (env, o) => {
          const picks = env.rows('stock.picking').filter((p) => p.purchase_id === o.id && p.state !== 'cancel');
          if (!picks.length) return false;
          if (picks.every((p) => p.state === 'done')) return 'full';
          return picks.some((p) => p.state === 'done') ? 'partial' : 'pending';
        },
      }),
      invoice_status: selection('Billing Status', [['no', 'Nothing to Bill'], ['to invoice', 'Waiting Bills'], ['invoiced', 'Fully Billed']], {
        compute: (env, o) => {
          if (o.state !== 'purchase' && o.state !== 'done') return 'no';
          if (linesOf(env, o).some((l) => Math.abs(qtyToInvoice(env, l)) > 1e-6)) return 'to invoice';
          return invoiceIds(env, o).length ? 'invoiced' : 'no';
        },
      }),
      invoice_ids: m2m('account.move', 'Bills', { compute: invoiceIds }),
      invoice_count: int('Bill Count', { compute: (env, o) => invoiceIds(env, o).length }),
      amount_untaxed: money('Untaxed Amount', { compute: (env, o) => amounts(env, o).untaxed }),
      amount_tax: money('Taxes', { compute: (env, o) => amounts(env, o).taxes }),
      amount_total: money('Total', { compute: (env, o) => amounts(env, o).total }),
      currency_id: m2o('res.currency', 'Currency', { default: 1 }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      user_id: m2o('res.users', 'Buyer', { default: (env: Env) => env.uid }),
      payment_term_id: m2o('account.payment.term', 'Payment Terms'),
    },
    prepareCreate: (env, vals) => {
      fill(vals, 'payment_term_id', () => (typeof vals.partner_id === 'number' ? env.row('res.partner', vals.partner_id)?.property_supplier_payment_term_id || undefined : undefined));
    },
    afterCreate: (env, row, vals) => {
      if (row.name === 'New') row.name = `P${String(env.nextSequence('purchase.order')).padStart(5, '0')}`;
      // A date given at create wins over the lines' minimum (captured on a real 18).
      if (vals.date_planned) row.date_planned = String(vals.date_planned).length === 10 ? `${String(vals.date_planned)} 00:00:00` : String(vals.date_planned).slice(0, 19);
      else recomputeDatePlanned(env, row.id);
    },
    beforeUnlink: (_env, rows) => {
      if (rows.some((r) => r.state !== 'cancel')) throw userError('In order to delete a purchase order, you must cancel it first.');
    },
    methods: {
      button_confirm: {
        params: [],
        fn: (env, ids) => {
          for (const r of env.db.existing(env, 'purchase.order', ids)) {
            if (r.state !== 'draft' && r.state !== 'sent') continue; // Odoo skips them silently
            env.patch('purchase.order', r.id, { state: 'purchase', date_approve: env.now() });
            createOrderPicking(env, 'purchase', r.id);
          }
          return true;
        },
      },
      button_cancel: {
        params: [],
        fn: (env, ids) => {
          const rows = env.db.existing(env, 'purchase.order', ids);
          for (const r of rows) {
            const picks = env.rows('stock.picking').filter((p) => p.purchase_id === r.id);
            // purchase_stock's wording [KNOW].
            if (picks.some((p) => p.state === 'done')) throw userError(`Unable to cancel purchase order ${String(r.name)} as some receptions have already been done.`);
            if (invoiceIds(env, r).some((id) => !['cancel', 'draft'].includes(String(env.row('account.move', id)?.state)))) {
              throw userError('Unable to cancel this purchase order. You must first cancel the related vendor bills.');
            }
            cancelPickings(env, picks);
            env.patch('purchase.order', r.id, { state: 'cancel' });
          }
          return undefined; // button_cancel returns None: JSON-RPC omits "result" [KNOW]
        },
      },
      button_draft: {
        params: [],
        fn: (env, ids) => {
          for (const r of env.db.existing(env, 'purchase.order', ids)) env.patch('purchase.order', r.id, { state: 'draft' });
          return {};
        },
      },
      message_post: messagePost,
    },
  };

  const line: ModelDef = {
    name: L,
    description: 'Purchase Order Line',
    order: 'order_id, sequence, id',
    fields: {
      order_id: m2o('purchase.order', 'Order Reference', { required: true, ondelete: 'cascade' }),
      sequence: int('Sequence', { default: 10 }),
      display_type: selection('Display Type', [['line_section', 'Section'], ['line_note', 'Note']]),
      name: text('Description', { required: true }),
      product_id: m2o('product.product', 'Product'),
      product_qty: float('Quantity', { default: 1, digits: 2 }),
      [uom]: m2o('uom.uom', 'Unit'),
      price_unit: float('Unit Price', priceDigits(v)),
      [tax]: m2m('account.tax', 'Taxes'),
      date_planned: datetime('Expected Arrival'),
      price_subtotal: money('Subtotal', { compute: subtotal }),
      price_tax: float('Tax', { compute: lineTax }),
      price_total: money('Total', { compute: (env, r) => round2(subtotal(env, r) + lineTax(env, r)) }),
      qty_received: float('Received Qty', { compute: qtyReceived }),
      qty_invoiced: float('Billed Qty', { compute: qtyInvoiced }),
      qty_to_invoice: float('To Invoice Quantity', { compute: qtyToInvoice }),
      move_ids: o2m('stock.move', 'purchase_line_id', 'Reservation'),
      invoice_lines: o2m('account.move.line', 'purchase_line_id', 'Bill Lines'),
      state: selection('Status', states, { compute: (env, r) => env.row('purchase.order', r.order_id as number)?.state ?? false }),
      partner_id: m2o('res.partner', 'Partner', { compute: (env, r) => env.row('purchase.order', r.order_id as number)?.partner_id ?? false }),
    },
    prepareCreate: (env, vals) => {
      const order = typeof vals.order_id === 'number' ? env.row('purchase.order', vals.order_id) : undefined;
      const product = typeof vals.product_id === 'number' ? env.row('product.product', vals.product_id) : undefined;
      if (!product || vals.display_type) return;
      const seller = sellerFor(env, order?.partner_id, product);
      // "[vendor code] vendor name" (captured on a real 18).
      fill(vals, 'name', () => {
        if (!seller?.product_code) return productName(env, product);
        return `[${String(seller.product_code)}] ${String(seller.product_name || env.val('product.product', product, 'name'))}`;
      });
      fill(vals, uom, () => (v === 18 ? env.val('product.product', product, 'uom_po_id') : (seller?.product_uom_id || env.val('product.product', product, 'uom_id'))));
      checkLineUnit(env, vals[uom], env.val('product.product', product, 'uom_id'));
      fill(vals, 'price_unit', () => (seller ? Number(seller.price || 0) : env.num('product.product', product, 'standard_price')));
      fill(vals, tax, () => [[6, 0, env.val('product.product', product, 'supplier_taxes_id')]]);
      // date_order + vendor lead time (the captured line without a date got now + 1 day).
      fill(vals, 'date_planned', () => addDays(String(order?.date_order ?? env.now()), Number(seller?.delay ?? 0)));
    },
    afterCreate: (env, row) => {
      recomputeDatePlanned(env, row.order_id);
      lineAdded(env, 'purchase', row.id);
    },
    afterWrite: (env, rows, vals) => {
      for (const r of rows) {
        if ('date_planned' in vals) recomputeDatePlanned(env, r.order_id);
        if ('product_qty' in vals || 'date_planned' in vals) lineChanged(env, 'purchase', r.id, 'date_planned' in vals);
      }
    },
  };
  return [order, line];
}
