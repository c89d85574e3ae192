// account.move / account.move.line: vendor bills linked to PO lines and customer invoices
// (docs/odoo.md#vendor-bills-from-810; from creating a vendor bill to posting it as captured on a real 18).
import { userError } from '../errors.js';
import type { Env, ModelDef, Row, Vals, Version } from '../orm.js';
import { lineAmounts } from './base.js';
import { char, date, fill, float, int, m2m, m2o, money, o2m, only, pick, round2, selection, text, priceDigits } from './fields.js';
import { messagePost } from './generic.js';
import { productName } from './product.js';

const M = 'account.move';
const ML = 'account.move.line';
const MOVE_TYPES: Array<[string, string]> = [['entry', 'Journal Entry'], ['out_invoice', 'Customer Invoice'], ['out_refund', 'Customer Credit Note'], ['in_invoice', 'Vendor Bill'], ['in_refund', 'Vendor Credit Note'], ['out_receipt', 'Sales Receipt'], ['in_receipt', 'Purchase Receipt']];
const DRAFT_LABEL: Record<string, string> = { out_invoice: 'Draft Invoice', out_refund: 'Draft Credit Note', in_invoice: 'Draft Bill', in_refund: 'Draft Vendor Credit Note', entry: 'Draft Entry' };
const isBill = (r: Row | Vals) => r.move_type === 'in_invoice' || r.move_type === 'in_refund';

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function accountModels(v: Version): ModelDef[] {
  const amountsOf = (env: Env, l: Row) => lineAmounts(env, env.val(ML, l, 'tax_ids') as number[], env.num(ML, l, 'price_unit'), env.num(ML, l, 'quantity'), env.num(ML, l, 'discount'));
  const sub = (env: Env, l: Row) => amountsOf(env, l).subtotal;
  const lineTax = (env: Env, l: Row) => amountsOf(env, l).tax;
  const productLines = (env: Env, m: Row) => env.rows(ML).filter((l) => l.move_id === m.id && l.display_type === 'product');
  /** Debit minus credit of a product line's amount: sales invoices and vendor refunds credit their product lines. */
  const sign = (m: Row | undefined) => (m && ['out_invoice', 'out_receipt', 'in_refund'].includes(String(m.move_type)) ? -1 : 1);
  const taxTotals = (env: Env, m: Row) => {
    const totals = new Map<number, number>();
    for (const l of productLines(env, m)) for (const [tax, amount] of amountsOf(env, l).byTax) totals.set(tax, round2((totals.get(tax) ?? 0) + amount));
    return totals;
  };
  /**
   * 19: an invoice's journal items also hold one tax line per tax (tax_line_id, balance) and a
   * payment-term line (the total, labelled with the invoice's name), as a real 19 made them; kept in
   * step at the end of each call that changed its lines. 18's double has product lines only.
   */
  const syncDynamicLines = (env: Env, moveId: number) => {
    const m = env.row(M, moveId);
    if (!m || m.move_type === 'entry') return;
    const lines = env.pointingAt(ML, 'move_id', moveId);
    const totals = [...taxTotals(env, m)].filter(([, amount]) => Math.abs(amount) > 0.001);
    const stale: number[] = [];
    for (const l of lines.filter((x) => x.display_type === 'tax')) if (!totals.some(([tax]) => tax === l.tax_line_id)) stale.push(l.id);
    for (const [tax] of totals) {
      if (lines.some((l) => l.display_type === 'tax' && l.tax_line_id === tax)) continue;
      env.create(ML, { move_id: moveId, display_type: 'tax', name: env.row('account.tax', tax)?.name ?? false, tax_line_id: tax, quantity: 0, tax_ids: [] });
    }
    const term = lines.find((l) => l.display_type === 'payment_term');
    if (!productLines(env, m).length) {
      if (term) stale.push(term.id);
    } else if (term) env.patch(ML, term.id, { name: m.name || false });
    else env.create(ML, { move_id: moveId, display_type: 'payment_term', name: m.name || false, quantity: 0, tax_ids: [] });
    if (stale.length) env.unlink(ML, stale);
  };
  const laterSync = (env: Env, moveId: unknown) => {
    if (v === 19 && typeof moveId === 'number') env.db.atEndOfCall(`${M}:${moveId}:dynamic-lines`, (e) => syncDynamicLines(e, moveId));
  };
  const isDynamic = (l: Row | Vals) => l.display_type === 'tax' || l.display_type === 'payment_term';
  /** balance: product lines their subtotal, tax lines their tax's part, the payment-term line the total, signed by the move type. */
  const balanceOf = (env: Env, l: Row) => {
    const m = env.row(M, l.move_id as number);
    if (!m) return 0;
    if (l.display_type === 'product') return sign(m) * sub(env, l);
    if (l.display_type === 'tax') return sign(m) * (taxTotals(env, m).get(l.tax_line_id as number) ?? 0);
    if (l.display_type === 'payment_term') return -sign(m) * amounts(env, m).total;
    return 0;
  };
  const amounts = (env: Env, m: Row) => {
    const untaxed = round2(productLines(env, m).reduce((s, l) => s + sub(env, l), 0));
    const taxes = round2(productLines(env, m).reduce((s, l) => s + lineTax(env, l), 0));
    return { untaxed, taxes, total: round2(untaxed + taxes) };
  };
  /** Due date: invoice date + the term's longest delay; without a term it stays as it was (today by default: the due-date trap of docs/odoo.md#quirks-and-how-they-were-verified). */
  const computeDue = (env: Env, m: Row) => {
    const term = typeof m.invoice_payment_term_id === 'number' ? m.invoice_payment_term_id : undefined;
    if (!term) return;
    const days = Math.max(0, ...env.rows('account.payment.term.line').filter((l) => l.payment_id === term).map((l) => Number(l.nb_days || 0)));
    m.invoice_date_due = addDays(String(m.invoice_date || env.today()), days);
  };
  /**
   * A bill's number (BILL/2026/12/0001): on 18 a draft gets one as soon as its invoice date is set
   * only while it is the first bill of the journal, later drafts stay '/' until posted; on 19 a
   * draft's name is false until posted [verified on real 18 and 19].
   */
  const nameBill = (env: Env, m: Row) => {
    if (!isBill(m) || (m.name !== '/' && m.name !== false) || !m.invoice_date || m.state === 'cancel') return;
    if (m.state === 'draft' && (v === 19 || env.rows(M).some((o) => o.id !== m.id && isBill(o) && o.name && o.name !== '/'))) return;
    const [y, mo] = String(m.invoice_date).split('-');
    const prefix = `${m.move_type === 'in_refund' ? 'RBILL' : 'BILL'}/${y}/${mo}/`;
    m.name = `${prefix}${String(env.nextSequence(prefix)).padStart(4, '0')}`;
  };

  const move: ModelDef = {
    name: M,
    description: 'Journal Entry',
    order: 'date desc, name desc, id desc',
    displayName: (_env, r) => (r.name && r.name !== '/' ? String(r.name) : `${DRAFT_LABEL[String(r.move_type)] ?? 'Draft Entry'} (* ${r.id})`),
    fields: {
      name: char('Number', { default: v === 19 ? false : '/' }),
      move_type: selection('Type', MOVE_TYPES, { required: true, default: 'entry' }),
      state: selection('Status', [['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { default: 'draft' }),
      partner_id: m2o('res.partner', 'Partner'),
      partner_shipping_id: m2o('res.partner', 'Delivery Address'),
      commercial_partner_id: m2o('res.partner', 'Commercial Entity', { compute: (env, r) => (typeof r.partner_id === 'number' ? env.val('res.partner', env.row('res.partner', r.partner_id)!, 'commercial_partner_id') : false) }),
      ref: char('Reference'),
      payment_reference: char('Payment Reference'),
      date: date('Date', { default: (env: Env) => env.today() }),
      invoice_date: date('Invoice/Bill Date'),
      invoice_date_due: date('Due Date', { default: (env: Env) => env.today() }),
      invoice_origin: char('Origin'),
      invoice_payment_term_id: m2o('account.payment.term', 'Payment Terms'),
      // 19: the product, section and note lines only (line_ids also has the tax and payment-term lines).
      invoice_line_ids: o2m(ML, 'move_id', 'Invoice lines', v === 19 ? { compute: (env, r) => env.db.sortRows(env, ML, env.pointingAt(ML, 'move_id', r.id).filter((l) => !isDynamic(l))).map((l) => l.id) } : {}),
      line_ids: o2m(ML, 'move_id', 'Journal Items'),
      amount_untaxed: money('Untaxed Amount', { compute: (env, r) => amounts(env, r).untaxed }),
      amount_tax: money('Tax', { compute: (env, r) => amounts(env, r).taxes }),
      amount_total: money('Total', { compute: (env, r) => amounts(env, r).total }),
      amount_residual: money('Amount Due', { compute: (env, r) => (r.state === 'cancel' ? 0 : amounts(env, r).total) }),
      currency_id: m2o('res.currency', 'Currency', { default: 1 }),
      company_id: m2o('res.company', 'Company', { default: 1 }),
      payment_state: selection('Payment Status', [['not_paid', 'Not Paid'], ['in_payment', 'In Payment'], ['paid', 'Paid'], ['partial', 'Partially Paid'], ['reversed', 'Reversed'], ['blocked', 'Blocked'], ['invoicing_legacy', 'Invoicing App Legacy']], { default: 'not_paid' }),
      narration: { type: 'html', string: 'Terms and Conditions' },
      // Non-stored onchange helpers: always false when read (docs/odoo.md#quirks-and-how-they-were-verified).
      purchase_id: m2o('purchase.order', 'Purchase Order', { compute: () => false }),
      purchase_vendor_bill_id: m2o('purchase.order', 'Auto-complete', { compute: () => false }),
    },
    prepareCreate: (env, vals) => {
      const partner = typeof vals.partner_id === 'number' ? env.row('res.partner', vals.partner_id) : undefined;
      const type = vals.move_type ?? env.ctx.default_move_type;
      if (partner) fill(vals, 'invoice_payment_term_id', () => (type === 'in_invoice' || type === 'in_refund' ? partner.property_supplier_payment_term_id : partner.property_payment_term_id) || undefined);
      // Here, before the field's default (today) is filled in: a term given at create sets the due date.
      if (vals.invoice_date_due === undefined) computeDue(env, vals as Row);
    },
    afterCreate: (env, row, vals) => {
      if (!vals.invoice_date_due) computeDue(env, row);
      nameBill(env, row);
      laterSync(env, row.id);
    },
    afterWrite: (env, rows, vals) => {
      for (const r of rows) {
        if (!('invoice_date_due' in vals) && ('invoice_date' in vals || 'invoice_payment_term_id' in vals)) computeDue(env, r);
        nameBill(env, r);
        laterSync(env, r.id);
      }
    },
    beforeUnlink: (_env, rows) => {
      if (rows.some((r) => r.state === 'posted')) throw userError('You cannot delete an entry which has been posted once.');
    },
    methods: {
      action_post: {
        params: [],
        fn: (env, ids) => {
          for (const m of env.db.existing(env, M, ids)) {
            // Wordings of account.move._post [KNOW].
            if (m.state === 'posted') throw userError(`The entry ${String(m.name)} (id ${m.id}) is already posted.`);
            if (!productLines(env, m).length) throw userError('You need to add a line before posting.');
            if (isBill(m) && !m.invoice_date) throw userError('The Bill/Refund date is required to validate this document.');
            if (m.move_type !== 'entry' && !m.partner_id) throw userError(`The field '${isBill(m) ? 'Vendor' : 'Customer'}' is required, please complete it to validate the ${MOVE_TYPES.find(([k]) => k === m.move_type)![1]}.`);
            const patch: Vals = { state: 'posted' };
            if (!m.invoice_date && m.move_type !== 'entry') patch.invoice_date = env.today();
            env.patch(M, m.id, patch);
            const posted = env.row(M, m.id)!;
            if (posted.name === '/' || posted.name === false) {
              if (isBill(posted)) nameBill(env, posted);
              else {
                const year = String(posted.invoice_date || posted.date || env.today()).slice(0, 4);
                const prefix = posted.move_type === 'out_refund' ? `RINV/${year}/` : posted.move_type === 'entry' ? `MISC/${year}/` : `INV/${year}/`;
                posted.name = `${prefix}${String(env.nextSequence(prefix)).padStart(5, '0')}`;
              }
            }
            if (!posted.payment_reference && !isBill(posted)) posted.payment_reference = posted.name;
            laterSync(env, posted.id);
          }
          // action_post returns False in 18 and 19 (real 18 and 19).
          return false;
        },
      },
      button_draft: {
        params: [],
        fn: (env, ids) => {
          for (const m of env.db.existing(env, M, ids)) env.patch(M, m.id, { state: 'draft' });
          return undefined;
        },
      },
      button_cancel: {
        params: [],
        fn: (env, ids) => {
          for (const m of env.db.existing(env, M, ids)) {
            if (m.state !== 'draft') throw userError('Only draft journal entries can be cancelled.');
            env.patch(M, m.id, { state: 'cancel' });
          }
          return undefined;
        },
      },
      message_post: messagePost,
    },
  };

  const line: ModelDef = {
    name: ML,
    description: 'Journal Item',
    order: 'move_id desc, sequence, id',
    displayName: (_env, r) => String(r.name ?? ''),
    fields: {
      move_id: m2o(M, 'Journal Entry', { required: true, ondelete: 'cascade' }),
      // 100 for lines given at create; Odoo's invoicing of a sale order numbers them 0, 1, 2... [verified on real 18].
      sequence: int('Sequence', { default: 100 }),
      display_type: selection('Display Type', [['product', 'Product'], ['cogs', 'Cost of Goods Sold'], ['tax', 'Tax'], ['discount', 'Discount'], ['rounding', 'Rounding'], ['payment_term', 'Payment Term'], ['line_section', 'Section'], ['line_note', 'Note'], ['epd', 'Early Payment Discount']], { default: 'product' }),
      product_id: m2o('product.product', 'Product'),
      name: text('Label'),
      quantity: float('Quantity', { default: 1, digits: 2 }),
      price_unit: float('Unit Price', priceDigits(v)),
      discount: float('Discount (%)', { default: 0, digits: 2 }),
      product_uom_id: m2o('uom.uom', 'Unit'),
      tax_ids: m2m('account.tax', 'Taxes'),
      price_subtotal: money('Subtotal', { compute: sub }),
      price_total: money('Total', { compute: (env, l) => amountsOf(env, l).total }),
      partner_id: m2o('res.partner', 'Partner', { compute: (env, l) => env.row(M, l.move_id as number)?.partner_id ?? false }),
      purchase_line_id: m2o('purchase.order.line', 'Purchase Order Line'),
      purchase_order_id: m2o('purchase.order', 'Purchase Order', {
        compute: (env, l) => (typeof l.purchase_line_id === 'number' ? env.row('purchase.order.line', l.purchase_line_id)?.order_id ?? false : false),
      }),
      sale_line_ids: m2m('sale.order.line', 'Sales Order Lines'),
      parent_state: selection('Status', [['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { compute: (env, l) => env.row(M, l.move_id as number)?.state ?? false }),
      ...only(v, 19, {
        tax_line_id: m2o('account.tax', 'Originator Tax'),
        balance: money('Balance', { compute: balanceOf }),
      }),
    },
    afterCreate: (env, row) => {
      if (!isDynamic(row)) laterSync(env, row.move_id);
    },
    afterWrite: (env, rows, _vals, before) => {
      for (const r of [...rows, ...before]) if (!isDynamic(r)) laterSync(env, r.move_id);
    },
    beforeUnlink: (env, rows) => {
      for (const r of rows) if (!isDynamic(r)) laterSync(env, r.move_id);
    },
    prepareCreate: (env, vals) => {
      const move = typeof vals.move_id === 'number' ? env.row(M, vals.move_id) : undefined;
      const bill = move ? isBill(move) : false;
      const pol = typeof vals.purchase_line_id === 'number' ? env.row('purchase.order.line', vals.purchase_line_id) : undefined;
      if (pol) {
        fill(vals, 'product_id', () => pol.product_id || undefined);
        fill(vals, 'name', () => `${env.displayName('purchase.order', pol.order_id as number)}: ${String(pol.name)}`);
        fill(vals, 'product_uom_id', () => pol[pick(v, 'product_uom', 'product_uom_id')] || undefined);
        fill(vals, 'price_unit', () => pol.price_unit);
        fill(vals, 'tax_ids', () => [[6, 0, env.val('purchase.order.line', pol, pick(v, 'taxes_id', 'tax_ids'))]]);
      }
      const product = typeof vals.product_id === 'number' ? env.row('product.product', vals.product_id) : undefined;
      if (!product) return;
      fill(vals, 'name', () => productName(env, product));
      fill(vals, 'product_uom_id', () => env.val('product.product', product, 'uom_id'));
      fill(vals, 'price_unit', () => env.num('product.product', product, bill ? 'standard_price' : 'list_price'));
      fill(vals, 'tax_ids', () => [[6, 0, env.val('product.product', product, bill ? 'supplier_taxes_id' : 'taxes_id')]]);
    },
  };
  return [move, line];
}
