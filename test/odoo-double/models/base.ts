// Base and reference models: partners, countries, currency, company, users, units of measure,
// payment terms, taxes, chatter messages, external ids (fields as fields_get of real 18 and 19 lists them, docs/odoo.md#field-names-by-version).
import { userError, validationError } from '../errors.js';
import type { Env, ModelDef, Row, Vals, Version } from '../orm.js';
import { bool, char, datetime, float, html, int, m2m, m2o, o2m, only, round2, selection } from './fields.js';

export function baseModels(v: Version): ModelDef[] {
  return [
    {
      name: 'res.partner',
      description: 'Contact',
      order: 'complete_name, id desc',
      parentField: 'parent_id',
      nameSearchFields: ['complete_name', 'email', 'ref', 'vat'],
      displayName: partnerName,
      fields: {
        name: char('Name'),
        complete_name: char('Complete Name', { compute: (env, r) => partnerName(env, r) }),
        ref: char('Reference'),
        barcode: char('Barcode'),
        ...only(v, 19, { global_location_number: char('GLN') }),
        type: selection('Address Type', [['contact', 'Contact'], ['invoice', 'Invoice Address'], ['delivery', 'Delivery Address'], ['other', 'Other Address']], { default: 'contact' }),
        parent_id: m2o('res.partner', 'Related Company'),
        child_ids: o2m('res.partner', 'parent_id', 'Contact'),
        commercial_partner_id: m2o('res.partner', 'Commercial Entity', { compute: (env, r) => commercialPartner(env, r).id }),
        street: char('Street'),
        street2: char('Street2'),
        city: char('City'),
        zip: char('Zip'),
        state_id: m2o('res.country.state', 'State'),
        country_id: m2o('res.country', 'Country'),
        email: char('Email'),
        phone: char('Phone'),
        ...only(v, 18, { mobile: char('Mobile') }),
        vat: char('Tax ID'),
        company_registry: char('Company ID'),
        is_company: bool('Is a Company', { default: false }),
        active: bool('Active', { default: true }),
        lang: char('Language', { default: 'en_US' }),
        comment: html('Notes'),
        supplier_rank: int('Supplier Rank', { default: 0 }),
        customer_rank: int('Customer Rank', { default: 0 }),
        property_payment_term_id: m2o('account.payment.term', 'Customer Payment Terms'),
        property_supplier_payment_term_id: m2o('account.payment.term', 'Vendor Payment Terms'),
        company_id: m2o('res.company', 'Company'),
        category_id: m2m('res.partner.category', 'Tags'),
      },
      // res.partner's SQL constraint check_name, turned into a ValidationError (captured on real 18
      // and 19); a barcode (GLN) belongs to one contact [verified on real 18 and 19].
      check: (env, rows) => {
        for (const r of rows) {
          if ((r.type ?? 'contact') === 'contact' && !r.name) throw nameRequired();
          if (r.barcode && env.rowsWithValue('res.partner', 'barcode', r.barcode).some((o) => o.id !== r.id)) throw validationError('Another partner already has this barcode');
        }
      },
      prepareCreate: (_env, vals) => {
        if ((vals.type ?? 'contact') === 'contact' && !vals.name) throw nameRequired();
      },
      afterCreate: (env, row, vals) => syncCommercialFields(env, [row], vals),
      afterWrite: (env, rows, vals) => syncCommercialFields(env, rows, vals),
    },
    {
      name: 'res.partner.category',
      description: 'Partner Tags',
      order: 'name, id',
      fields: { name: char('Tag Name', { required: true }), active: bool('Active', { default: true }) },
    },
    {
      name: 'res.country',
      description: 'Country',
      order: 'name, id',
      nameSearchFields: ['name', 'code'],
      fields: { name: char('Country Name', { required: true }), code: char('Country Code') },
    },
    {
      name: 'res.country.state',
      description: 'Country state',
      order: 'country_id, name, id',
      nameSearchFields: ['name', 'code'],
      fields: { name: char('State Name', { required: true }), code: char('State Code', { required: true }), country_id: m2o('res.country', 'Country', { required: true }) },
    },
    {
      name: 'res.currency',
      description: 'Currency',
      order: 'active desc, name, id',
      fields: { name: char('Currency', { required: true }), symbol: char('Symbol'), active: bool('Active', { default: true }) },
    },
    {
      name: 'res.company',
      description: 'Companies',
      order: 'sequence, name, id',
      fields: {
        name: char('Company Name', { required: true }),
        sequence: int('Sequence', { default: 10 }),
        partner_id: m2o('res.partner', 'Partner'),
        currency_id: m2o('res.currency', 'Currency'),
        country_id: m2o('res.country', 'Country'),
      },
    },
    {
      name: 'res.users',
      description: 'User',
      order: 'name, login, id',
      displayName: (env, r) => env.displayName('res.partner', r.partner_id as number),
      fields: {
        login: char('Login', { required: true }),
        name: char('Name', { compute: (env, r) => env.displayName('res.partner', r.partner_id as number) }),
        partner_id: m2o('res.partner', 'Related Partner', { required: true }),
        company_id: m2o('res.company', 'Company'),
        active: bool('Active', { default: true }),
        tz: char('Timezone'),
        lang: char('Language', { default: 'en_US' }),
      },
      methods: {
        // JSON-2's way to learn the uid (captured on a real 19: captured-pairs.json).
        context_get: { model: true, params: [], fn: (env) => ({ lang: 'en_US', tz: false, uid: env.uid }) },
      },
    },
    ...uomModels(v),
    {
      name: 'account.payment.term',
      description: 'Payment Terms',
      order: 'sequence, id',
      fields: {
        name: char('Payment Terms', { required: true }),
        sequence: int('Sequence', { default: 10 }),
        active: bool('Active', { default: true }),
        line_ids: o2m('account.payment.term.line', 'payment_id', 'Terms'),
        note: html('Description on the Invoice'),
        // Early payment discount (17+; defaults as in account's source): read by the 810 builder.
        early_discount: bool('Early Discount', { default: false }),
        discount_percentage: float('Discount %', { default: 2 }),
        discount_days: int('Discount Days', { default: 10 }),
      },
    },
    {
      name: 'account.payment.term.line',
      description: 'Payment Terms Line',
      order: 'id',
      fields: {
        payment_id: m2o('account.payment.term', 'Payment Terms', { required: true, ondelete: 'cascade' }),
        value: selection('Type', [['percent', 'Percent'], ['fixed', 'Fixed']], { default: 'percent' }),
        value_amount: float('Due', { default: 100 }),
        nb_days: int('Days', { default: 0 }),
      },
    },
    {
      name: 'account.tax',
      description: 'Tax',
      order: 'sequence, id',
      fields: {
        name: char('Tax Name', { required: true }),
        sequence: int('Sequence', { default: 1 }),
        amount: float('Amount'),
        amount_type: selection('Tax Computation', [['percent', 'Percentage of Price'], ['fixed', 'Fixed']], { default: 'percent' }),
        type_tax_use: selection('Tax Type', [['sale', 'Sales'], ['purchase', 'Purchases'], ['none', 'None']], { default: 'sale' }),
        // 18 and 19: price_include is computed from the override (else the company's default, tax excluded) [verified on real 18].
        price_include_override: selection('Included in Price', [['tax_included', 'Tax Included'], ['tax_excluded', 'Tax Excluded']]),
        price_include: bool('Included in Price', { compute: (_env, r) => r.price_include_override === 'tax_included' }),
        active: bool('Active', { default: true }),
      },
    },
    {
      name: 'mail.message.subtype',
      description: 'Message subtypes',
      order: 'sequence, id',
      fields: { name: char('Message Type', { required: true }), sequence: int('Sequence', { default: 1 }) },
    },
    {
      name: 'mail.message',
      description: 'Message',
      order: 'id desc',
      displayName: (_env, r) => String(r.record_name || r.subject || ''),
      fields: {
        model: char('Related Document Model'),
        res_id: int('Related Document ID'),
        record_name: char('Message Record Name'),
        body: html('Contents', { default: '' }),
        subject: char('Subject'),
        message_type: selection('Type', [['email', 'Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']], { default: 'comment', required: true }),
        subtype_id: m2o('mail.message.subtype', 'Subtype'),
        author_id: m2o('res.partner', 'Author'),
        date: datetime('Date', { default: (env: Env) => env.now() }),
      },
    },
    {
      name: 'ir.model.data',
      description: 'Model Data',
      order: 'module, model, name',
      displayName: (_env, r) => `${String(r.module)}.${String(r.name)}`,
      fields: {
        module: char('Module', { required: true, default: '' }),
        name: char('External Identifier', { required: true }),
        model: char('Model Name', { required: true }),
        res_id: int('Record ID'),
        complete_name: char('Complete ID', { compute: (_env, r) => `${String(r.module)}.${String(r.name)}` }),
        noupdate: bool('Non Updatable', { default: false }),
      },
      check: (env, rows) => {
        for (const r of rows) {
          const dup = env.rows('ir.model.data').some((o) => o.id !== r.id && o.module === r.module && o.name === r.name);
          // The unique (module, name) SQL constraint; wording assumed.
          if (dup) throw validationError('The operation cannot be completed: The name of the external identifier must be unique per module');
        }
      },
    },
    {
      name: 'res.lang',
      description: 'Languages',
      order: 'active desc, name',
      fields: { name: char('Name', { required: true }), code: char('Locale Code', { required: true }), active: bool('Active', { default: true }) },
    },
  ];
}

const nameRequired = () => validationError('The operation cannot be completed: Contacts require a name');

function partnerName(env: Env, r: Row): string {
  const name = typeof r.name === 'string' ? r.name : '';
  const parent = typeof r.parent_id === 'number' ? env.row('res.partner', r.parent_id) : undefined;
  if (!parent) return name;
  const parentName = partnerName(env, parent);
  if (name) return `${parentName}, ${name}`;
  const type = String(r.type ?? 'contact');
  const label = { invoice: 'Invoice Address', delivery: 'Delivery Address', other: 'Other Address' }[type];
  return label ? `${parentName}, ${label}` : parentName;
}

/**
 * res.partner._commercial_fields of base + account (both installed here): managed by the commercial
 * entity, as if related to it [vat and company_registry verified on real 18 and 19; the payment
 * terms from account's source].
 */
const COMMERCIAL_FIELDS = ['vat', 'company_registry', 'property_payment_term_id', 'property_supplier_payment_term_id'];

/**
 * res.partner._fields_sync: a contact given a parent (at create too) takes the commercial fields of
 * its commercial entity, overwriting the values it was given: 18 all of them (an empty one as
 * False), 19 only those the entity has set. The entity's writes of them go down to every contact
 * below it. 19 also sends a contact's vat up to its parent. A later write on the contact itself
 * keeps its own value (docs/odoo.md#quirks-and-how-they-were-verified).
 */
function syncCommercialFields(env: Env, rows: Row[], vals: Vals): void {
  for (const row of rows) {
    const commercial = commercialPartner(env, row);
    if (vals.parent_id && commercial.id !== row.id) {
      const synced = COMMERCIAL_FIELDS.filter((f) => env.version === 18 || commercial[f]);
      const values = Object.fromEntries(synced.map((f) => [f, commercial[f] ?? false]));
      if (synced.length) env.write('res.partner', [row.id], values);
    }
    const parent = typeof row.parent_id === 'number' ? env.row('res.partner', row.parent_id) : undefined;
    if (env.version === 19 && parent && commercial.id !== row.id && ('vat' in vals || vals.parent_id) && row.vat && row.vat !== parent.vat) {
      env.write('res.partner', [parent.id], { vat: row.vat });
    }
    const down = COMMERCIAL_FIELDS.filter((f) => f in vals);
    if (commercial.id === row.id && down.length) {
      const below = contactsBelow(env, row);
      if (below.length) env.write('res.partner', below.map((c) => c.id), Object.fromEntries(down.map((f) => [f, row[f] ?? false])));
    }
  }
}

/** The contacts under a partner, at any depth, stopping at companies. */
function contactsBelow(env: Env, r: Row): Row[] {
  const children = env.pointingAt('res.partner', 'parent_id', r.id).filter((c) => !c.is_company);
  return children.flatMap((c) => [c, ...contactsBelow(env, c)]);
}

function commercialPartner(env: Env, r: Row): Row {
  let cur = r;
  const seen = new Set<number>();
  while (!cur.is_company && typeof cur.parent_id === 'number' && !seen.has(cur.id)) {
    seen.add(cur.id);
    const parent = env.row('res.partner', cur.parent_id);
    if (!parent) break;
    cur = parent;
  }
  return cur;
}

function uomModels(v: Version): ModelDef[] {
  if (v === 18) {
    return [
      {
        name: 'uom.category',
        description: 'Product UoM Categories',
        order: 'id',
        fields: { name: char('Unit of Measure Category', { required: true }) },
      },
      {
        name: 'uom.uom',
        description: 'Product Unit of Measure',
        order: 'factor desc, id',
        fields: {
          name: char('Unit of Measure', { required: true }),
          category_id: m2o('uom.category', 'Category', { required: true }),
          factor: float('Ratio', { default: 1 }),
          factor_inv: float('Bigger Ratio', { compute: (_env, r) => (r.factor ? 1 / Number(r.factor) : 0) }),
          uom_type: selection('Type', [['bigger', 'Bigger than the reference Unit of Measure'], ['reference', 'Reference Unit of Measure for this category'], ['smaller', 'Smaller than the reference Unit of Measure']], { default: 'reference' }),
          rounding: float('Rounding Precision', { default: 0.01 }),
          active: bool('Active', { default: true }),
        },
      },
      {
        name: 'product.packaging',
        description: 'Product Packaging',
        order: 'product_id, sequence, id',
        fields: {
          name: char('Product Packaging', { required: true }),
          sequence: int('Sequence', { default: 1 }),
          product_id: m2o('product.product', 'Product', { ondelete: 'cascade' }),
          qty: float('Contained Quantity', { default: 1 }),
          barcode: char('Barcode'),
          product_uom_id: m2o('uom.uom', 'Unit of Measure', { compute: (env, r) => (typeof r.product_id === 'number' ? env.val('product.product', env.row('product.product', r.product_id)!, 'uom_id') : false) }),
        },
      },
    ];
  }
  return [
    {
      name: 'uom.uom',
      description: 'Product Unit of Measure',
      order: 'sequence, relative_uom_id, id',
      parentField: 'relative_uom_id',
      fields: {
        name: char('Unit Name', { required: true }),
        sequence: int('Sequence', { default: 10 }),
        relative_factor: float('Contains', { default: 1 }),
        relative_uom_id: m2o('uom.uom', 'Reference Unit'),
        factor: float('Absolute Quantity', { compute: (env, r) => uomFactor19(env, r) }),
        rounding: float('Rounding Precision', { default: 0.01 }),
        active: bool('Active', { default: true }),
      },
    },
    {
      name: 'product.uom',
      description: 'Link between products and their UoMs',
      order: 'id',
      fields: {
        product_id: m2o('product.product', 'Product', { required: true, ondelete: 'cascade' }),
        uom_id: m2o('uom.uom', 'Unit', { required: true }),
        barcode: char('Barcode', { required: true }),
      },
    },
  ];
}

function uomFactor19(env: Env, r: Row): number {
  let f = Number(r.relative_factor || 1);
  let parent = typeof r.relative_uom_id === 'number' ? env.row('uom.uom', r.relative_uom_id) : undefined;
  const seen = new Set<number>([r.id]);
  while (parent && !seen.has(parent.id)) {
    seen.add(parent.id);
    f *= Number(parent.relative_factor || 1);
    parent = typeof parent.relative_uom_id === 'number' ? env.row('uom.uom', parent.relative_uom_id) : undefined;
  }
  return Math.round(f * 1e7) / 1e7;
}

/** How many reference units one unit holds: 18 keeps `factor` = units per reference, 19 the product of relative factors. */
export function uomRatio(env: Env, uomId: unknown): number {
  const r = typeof uomId === 'number' ? env.row('uom.uom', uomId) : undefined;
  if (!r) return 1;
  if (env.version === 18) return r.factor ? 1 / Number(r.factor) : 1;
  return uomFactor19(env, r);
}

/** Converts a quantity between two units (no category check). */
export function convertQty(env: Env, qty: number, from: unknown, to: unknown): number {
  if (from === to || !from || !to) return qty;
  return Math.round(((qty * uomRatio(env, from)) / uomRatio(env, to)) * 1e6) / 1e6;
}

/** 18 only (19 has no categories): an order line's unit must share the product unit's category,
 *  or creating the sale/purchase line fails in uom.uom._compute_quantity [verified on real 18]. */
export function checkLineUnit(env: Env, lineUom: unknown, productUom: unknown): void {
  if (env.version !== 18 || lineUom === productUom || typeof lineUom !== 'number' || typeof productUom !== 'number') return;
  const [line, product] = [env.row('uom.uom', lineUom), env.row('uom.uom', productUom)];
  if (line && product && line.category_id !== product.category_id) {
    throw userError(`The unit of measure ${String(line.name)} defined on the order line doesn't belong to the same category as the unit of measure ${String(product.name)} defined on the product. Please correct the unit of measure defined on the order line or on the product. They should belong to the same category.`);
  }
}


/**
 * A line's amounts as Odoo's taxes make them, rounded per line and per tax: taxes marked
 * price_include are inside the price (price_subtotal is what remains without them), the others come
 * on top of price_subtotal; fixed taxes per unit. 2250 with 2% included and 15% on top: 2205.88,
 * 44.12 + 330.88, 2580.88 [verified on real 18].
 */
export function lineAmounts(env: Env, taxIds: number[], priceUnit: number, quantity: number, discount = 0): { subtotal: number; tax: number; total: number; byTax: Map<number, number> } {
  const taxes = taxIds.map((id) => env.row('account.tax', id)).filter((t): t is Row => !!t);
  const isFixed = (t: Row) => t.amount_type === 'fixed';
  const included = taxes.filter((t) => t.price_include_override === 'tax_included');
  const raw = priceUnit * (1 - discount / 100) * quantity;
  const fixedIn = included.filter(isFixed).reduce((s, t) => s + Number(t.amount || 0) * quantity, 0);
  const percentIn = included.filter((t) => !isFixed(t)).reduce((s, t) => s + Number(t.amount || 0), 0);
  const taxIn = round2(raw - (raw - fixedIn) / (1 + percentIn / 100));
  const subtotal = round2(raw - taxIn);
  // Each tax's part (an invoice's tax lines): included percents share what is not fixed by their rates.
  const byTax = new Map<number, number>();
  for (const t of taxes) {
    const amount = Number(t.amount || 0);
    const part = isFixed(t) ? amount * quantity : included.includes(t) ? (percentIn ? ((taxIn - fixedIn) * amount) / percentIn : 0) : (subtotal * amount) / 100;
    byTax.set(t.id, round2((byTax.get(t.id) ?? 0) + round2(part)));
  }
  const taxOut = taxes.filter((t) => !included.includes(t)).reduce((s, t) => s + round2(isFixed(t) ? Number(t.amount || 0) * quantity : (subtotal * Number(t.amount || 0)) / 100), 0);
  const tax = round2(taxIn + taxOut);
  return { subtotal, tax, total: round2(subtotal + tax), byTax };
}
