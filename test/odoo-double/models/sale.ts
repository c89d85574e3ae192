// sale.order / sale.order.line with action_confirm and action_cancel
// (docs/odoo.md#sale-orders-from-850; creation and confirmation as captured on a real 18).
import { userError, validationError, valueError } from '../errors.js';
import type { Env, ModelDef, Row, Version } from '../orm.js';
import { checkLineUnit, convertQty, lineAmounts } from './base.js';
import { bool, char, datetime, fill, float, html, int, m2m, m2o, money, nowDefault, o2m, pick, round2, selection, text, priceDigits } from './fields.js';
import { messagePost } from './generic.js';
import { productName } from './product.js';
import { cancelPickings, createOrderPicking, doneMoveQty, lineAdded, lineChanged } from './stock.js';

const STATES: Array<[string, string]> = [['draft', 'Quotation'], ['sent', 'Quotation Sent'], ['sale', 'Sales Order'], ['cancel', 'Cancelled']];

/** res.partner.address_get: the first child of that type, else the partner. */
export function addressOf(env: Env, partnerId: unknown, type: string): unknown {
  if (typeof partnerId !== 'number') return false;
  const child = env.pointingAt('res.partner', 'parent_id', partnerId).find((p) => p.type === type && p.active !== false);
  return child ? child.id : partnerId;
}

export function saleModels(v: Version): ModelDef[] {
  const uom = pick(v, 'product_uom', 'product_uom_id');
  const tax = pick(v, 'tax_id', 'tax_ids');
  const L = 'sale.order.line';
  const lineNum = (env: Env, r: Row, f: string) => env.num(L, r, f);
  const amountsOf = (env: Env, r: Row) => lineAmounts(env, env.val(L, r, tax) as number[], lineNum(env, r, 'price_unit'), lineNum(env, r, 'product_uom_qty'), lineNum(env, r, 'discount'));
  const subtotal = (env: Env, r: Row) => amountsOf(env, r).subtotal;
  const lineTax = (env: Env, r: Row) => amountsOf(env, r).tax;
  /** The pricelist price of the line's product in the line's unit (no pricelists here: the sales price). */
  const listPrice = (env: Env, product: Row, lineUom: unknown) => convertQty(env, env.num('product.product', product, 'list_price'), lineUom, env.val('product.product', product, 'uom_id'));
  const qtyInvoiced = (env: Env, r: Row) =>
    env
      .rows('account.move.line')
      .filter((l) => Array.isArray(l.sale_line_ids) && (l.sale_line_ids as number[]).includes(r.id))
      .reduce((sum, l) => {
        const move = env.row('account.move', l.move_id as number);
        if (!move || move.state === 'cancel') return sum;
        return sum + (move.move_type === 'out_refund' ? -1 : 1) * convertQty(env, Number(l.quantity || 0), l.product_uom_id, r[uom]);
      }, 0);
  const qtyToInvoice = (env: Env, r: Row): number => {
    const order = env.row('sale.order', r.order_id as number);
    if (!order || order.state !== 'sale' || r.display_type) return 0;
    const product = env.row('product.product', r.product_id as number);
    const policy = product ? env.val('product.product', product, 'invoice_policy') : 'order';
    const base = policy === 'delivery' ? doneMoveQty(env, 'sale_line_id', r.id, r[uom]) : lineNum(env, r, 'product_uom_qty');
    return round2(base - qtyInvoiced(env, r));
  };
  const amounts = (env: Env, o: Row) => {
    const lines = env.pointingAt(L, 'order_id', o.id).filter((l) => !l.display_type);
    const untaxed = round2(lines.reduce((s, l) => s + subtotal(env, l), 0));
    const taxes = round2(lines.reduce((s, l) => s + lineTax(env, l), 0));
    return { untaxed, taxes, total: round2(untaxed + taxes) };
  };

  const order: ModelDef = {
    name: 'sale.order',
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    fields: {
      name: char('Order Reference', { required: true, default: 'New' }),
      partner_id: m2o('res.partner', 'Customer', { required: true }),
      partner_invoice_id: m2o('res.partner', 'Invoice Address', { required: true }),
      partner_shipping_id: m2o('res.partner', 'Delivery Address', { required: true }),
      client_order_ref: char('Customer Reference'),
      origin: char('Source Document'),
      date_order: datetime('Order Date', { required: true, default: nowDefault }),
      commitment_date: datetime('Delivery Date'),
      expected_date: datetime('Expected Date', { compute: (env, o) => (o.commitment_date as string) || (o.date_order as string) }),
      state: selection('Status', STATES, { default: 'draft' }),
      locked: bool('Locked', { default: false }),
      order_line: o2m(L, 'order_id', 'Order Lines'),
      picking_ids: o2m('stock.picking', 'sale_id', 'Transfers'),
      delivery_count: int('Delivery Orders', { compute: (env, o) => env.pointingAt('stock.picking', 'sale_id', o.id).length }),
      invoice_ids: m2m('account.move', 'Invoices', {
        compute: (env, o) => {
          const lineIds = new Set(env.pointingAt(L, 'order_id', o.id).map((l) => l.id));
          const moves = env.rows('account.move.line').filter((l) => ((l.sale_line_ids as number[]) ?? []).some((x) => lineIds.has(x)));
          return [...new Set(moves.map((l) => l.move_id as number))];
        },
      }),
      invoice_status: selection('Invoice Status', [['upselling', 'Upselling Opportunity'], ['invoiced', 'Fully Invoiced'], ['to invoice', 'To Invoice'], ['no', 'Nothing to Invoice']], {
        compute: (env, o) => {
          if (o.state !== 'sale') return 'no';
          const lines = env.pointingAt(L, 'order_id', o.id).filter((l) => !l.display_type);
          if (lines.some((l) => qtyToInvoice(env, l) !== 0)) return 'to invoice';
          if (lines.length && lines.every((l) => qtyInvoiced(env, l) >= lineNum(env, l, 'product_uom_qty'))) return 'invoiced';
          return 'no';
        },
      }),
      amount_untaxed: money('Untaxed Amount', { compute: (env, o) => amounts(env, o).untaxed }),
      amount_tax: money('Taxes', { compute: (env, o) => amounts(env, o).taxes }),
      amount_total: money('Total', { compute: (env, o) => amounts(env, o).total }),
      currency_id: m2o('res.currency', 'Currency', { default: 1 }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      user_id: m2o('res.users', 'Salesperson', { default: (env: Env) => env.uid }),
      note: html('Terms and conditions'),
      payment_term_id: m2o('account.payment.term', 'Payment Terms'),
    },
    prepareCreate: (env, vals) => {
      fill(vals, 'partner_invoice_id', () => addressOf(env, vals.partner_id, 'invoice'));
      fill(vals, 'partner_shipping_id', () => addressOf(env, vals.partner_id, 'delivery'));
      fill(vals, 'payment_term_id', () => (typeof vals.partner_id === 'number' ? env.row('res.partner', vals.partner_id)?.property_payment_term_id || undefined : undefined));
    },
    afterCreate: (env, row) => {
      if (row.name === 'New') row.name = `S${String(env.nextSequence('sale.order')).padStart(5, '0')}`;
    },
    beforeUnlink: (_env, rows) => {
      if (rows.some((r) => r.state !== 'draft' && r.state !== 'cancel')) {
        throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
      }
    },
    methods: {
      action_confirm: {
        params: [],
        fn: (env, ids) => {
          const rows = env.db.existing(env, 'sale.order', ids);
          const bad = rows.filter((r) => r.state === 'sale' || r.state === 'cancel');
          if (bad.length) {
            const labels = [...new Set(bad.map((r) => STATES.find(([k]) => k === r.state)![1]))];
            throw userError(`It is not allowed to confirm an order in the following states: ${labels.join(', ')}`);
          }
          for (const r of rows) {
            // Confirmation overwrites date_order (docs/odoo.md#quirks-and-how-they-were-verified).
            env.patch('sale.order', r.id, { state: 'sale', date_order: env.now() });
            createOrderPicking(env, 'sale', r.id);
          }
          return true;
        },
      },
      action_cancel: {
        params: [],
        fn: (env, ids) => {
          const rows = env.db.existing(env, 'sale.order', ids);
          if (rows.some((r) => r.locked)) throw userError('You cannot cancel a locked order. Please unlock it first.');
          // On 18 a non-draft order answers with the sale.order.cancel wizard and stays as it is,
          // unless the context has disable_cancel_warning; 19 cancels it [verified on real 18 and 19].
          if (v === 18 && !env.ctx.disable_cancel_warning && rows.some((r) => r.state !== 'draft')) {
            if (rows.length !== 1) throw valueError(`Expected singleton: sale.order(${ids.join(', ')},)`);
            return {
              name: 'Cancel Sales Order', view_mode: 'form', res_model: 'sale.order.cancel', view_id: 1222, type: 'ir.actions.act_window',
              context: { default_template_id: 17, default_order_id: rows[0]!.id, mark_so_as_canceled: true, default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature', model_description: 'Sales Order' },
              target: 'new',
            };
          }
          // sale_stock cancels the pickings not done; done deliveries stay done, no error [verified on real 18].
          for (const r of rows) {
            cancelPickings(env, env.pointingAt('stock.picking', 'sale_id', r.id));
            env.patch('sale.order', r.id, { state: 'cancel' });
          }
          return true;
        },
      },
      action_draft: {
        params: [],
        fn: (env, ids) => {
          for (const r of env.db.existing(env, 'sale.order', ids)) {
            if (r.state === 'cancel' || r.state === 'sent') env.patch('sale.order', r.id, { state: 'draft' });
          }
          return true;
        },
      },
      message_post: messagePost,
    },
  };

  const line: ModelDef = {
    name: L,
    description: 'Sales Order Line',
    order: 'order_id, sequence, id',
    displayName: (env, r) => {
      const o = env.row('sale.order', r.order_id as number);
      const partner = o ? env.row('res.partner', o.partner_id as number) : undefined;
      const base = `${String(o?.name ?? '')} - ${String(r.name ?? '')}`;
      return partner?.ref ? `${base} (${String(partner.ref)})` : base;
    },
    fields: {
      order_id: m2o('sale.order', 'Order Reference', { required: true, ondelete: 'cascade' }),
      sequence: int('Sequence', { default: 10 }),
      display_type: selection('Display Type', [['line_section', 'Section'], ['line_note', 'Note']]),
      product_id: m2o('product.product', 'Product'),
      name: text('Description'),
      product_uom_qty: float('Quantity', { digits: 2 }),
      [uom]: m2o('uom.uom', 'Unit'),
      price_unit: float('Unit Price', priceDigits(v)),
      [tax]: m2m('account.tax', 'Taxes'),
      discount: float('Discount (%)', { default: 0, digits: 2 }),
      price_subtotal: money('Subtotal', { compute: subtotal }),
      // Unrounded total - subtotal, float noise included (161.27999999999997) [verified on real 18].
      price_tax: float('Total Tax', { compute: (env, r) => amountsOf(env, r).total - amountsOf(env, r).subtotal }),
      price_total: money('Total', { compute: (env, r) => amountsOf(env, r).total }),
      qty_delivered: float('Delivery Quantity', { compute: (env, r) => doneMoveQty(env, 'sale_line_id', r.id, r[uom]) }),
      qty_invoiced: float('Invoiced Quantity', { compute: qtyInvoiced }),
      qty_to_invoice: float('Quantity To Invoice', { compute: qtyToInvoice }),
      customer_lead: float('Lead Time', { default: 0 }),
      move_ids: o2m('stock.move', 'sale_line_id', 'Stock Moves'),
      state: selection('Order Status', STATES, { compute: (env, r) => env.row('sale.order', r.order_id as number)?.state ?? false }),
      order_partner_id: m2o('res.partner', 'Customer', { compute: (env, r) => env.row('sale.order', r.order_id as number)?.partner_id ?? false }),
    },
    prepareCreate: (env, vals) => {
      if (vals.display_type) {
        fill(vals, 'product_uom_qty', () => 0);
        return;
      }
      fill(vals, 'product_uom_qty', () => 1);
      const product = typeof vals.product_id === 'number' ? env.row('product.product', vals.product_id) : undefined;
      if (!product) return;
      fill(vals, 'name', () => productName(env, product));
      fill(vals, uom, () => env.val('product.product', product, 'uom_id'));
      checkLineUnit(env, vals[uom], env.val('product.product', product, 'uom_id'));
      fill(vals, 'price_unit', () => listPrice(env, product, vals[uom]));
      fill(vals, tax, () => [[6, 0, env.val('product.product', product, 'taxes_id')]]);
    },
    // SQL constraint accountable_required_fields [KNOW: wording of Odoo 18].
    check: (_env, rows) => {
      for (const r of rows) {
        if (!r.display_type && (!r.product_id || !r[uom])) {
          throw validationError('The operation cannot be completed: Missing required fields on accountable sale order line.');
        }
      }
    },
    afterCreate: (env, row) => lineAdded(env, 'sale', row.id),
    afterWrite: (env, rows, vals) => {
      // 18: on a quotation, a new quantity or unit without a price recomputes the price from the
      // pricelist, dropping a price typed in; quantity and price written together keep the price [verified on real 18].
      if (v === 18 && (('product_uom_qty' in vals) || (uom in vals)) && !('price_unit' in vals)) {
        for (const r of rows) {
          const order = env.row('sale.order', r.order_id as number);
          const product = typeof r.product_id === 'number' ? env.row('product.product', r.product_id) : undefined;
          if (product && (order?.state === 'draft' || order?.state === 'sent') && !qtyInvoiced(env, r)) env.patch(L, r.id, { price_unit: listPrice(env, product, r[uom]) });
        }
      }
      if ('product_uom_qty' in vals) for (const r of rows) lineChanged(env, 'sale', r.id);
    },
  };
  return [order, line];
}
