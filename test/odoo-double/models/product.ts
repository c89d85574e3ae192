// Products: template + variant (product.product delegates to product.template like Odoo's _inherits),
// vendor prices (field names by version: docs/odoo.md#field-names-by-version).
import { validationError } from '../errors.js';
import type { Env, ModelDef, Row, Version } from '../orm.js';
import { bool, char, fill, float, int, m2m, m2o, o2m, only, pick, selection, priceDigits } from './fields.js';

export function productName(env: Env, r: Row): string {
  const tmpl = typeof r.product_tmpl_id === 'number' ? env.row('product.template', r.product_tmpl_id) : r;
  if (!tmpl) return '';
  return tmpl.default_code ? `[${String(tmpl.default_code)}] ${String(tmpl.name)}` : String(tmpl.name ?? '');
}

export function productModels(v: Version): ModelDef[] {
  const template: ModelDef = {
    name: 'product.template',
    description: 'Product',
    order: 'is_favorite desc, name, id',
    nameSearchFields: ['default_code', 'name', 'barcode'],
    displayName: productName,
    fields: {
      name: char('Name', { required: true }),
      default_code: char('Internal Reference'),
      barcode: char('Barcode'),
      is_favorite: bool('Favorite', { default: false }),
      type: selection('Product Type', [['consu', 'Goods'], ['service', 'Service'], ['combo', 'Combo']], { default: 'consu' }),
      is_storable: bool('Track Inventory', { default: false }),
      uom_id: m2o('uom.uom', 'Unit', { required: true, default: 1 }),
      ...only(v, 18, { uom_po_id: m2o('uom.uom', 'Purchase Unit', { required: true }) }),
      ...only(v, 19, { uom_ids: m2m('uom.uom', 'Packagings') }),
      list_price: float('Sales Price', { default: 1, ...priceDigits(v) }),
      // 'Stock Weight' precision: 2 digits by default [verified on real 18].
      weight: float('Weight', { default: 0, digits: 2 }),
      standard_price: float('Cost', { default: 0, ...priceDigits(v) }),
      seller_ids: o2m('product.supplierinfo', 'product_tmpl_id', 'Vendors'),
      product_variant_ids: o2m('product.product', 'product_tmpl_id', 'Products'),
      tracking: selection('Tracking', [['serial', 'By Unique Serial Number'], ['lot', 'By Lots'], ['none', 'By Quantity']], { default: 'none' }),
      sale_ok: bool('Can be Sold', { default: true }),
      purchase_ok: bool('Can be Purchased', { default: true }),
      invoice_policy: selection('Invoicing Policy', [['order', 'Ordered quantities'], ['delivery', 'Delivered quantities']], { default: 'order' }),
      purchase_method: selection('Control Policy', [['purchase', 'On ordered quantities'], ['receive', 'On received quantities']]),
      taxes_id: m2m('account.tax', 'Sales Taxes', { default: () => [1] }),
      supplier_taxes_id: m2m('account.tax', 'Purchase Taxes', { default: () => [2] }),
      active: bool('Active', { default: true }),
    },
    prepareCreate: (_env, vals) => {
      if (v === 18) fill(vals, 'uom_po_id', () => vals.uom_id ?? 1);
      // 18: computed from the type (goods are billed on received quantities) [KNOW, consistent with what a real 18 did].
      fill(vals, 'purchase_method', () => (vals.type === 'service' ? 'purchase' : 'receive'));
    },
    afterCreate: (env, row) => {
      if (env.ctx._double_from_child !== 'product.product') env.create('product.product', { product_tmpl_id: row.id });
    },
    check: checkBarcodes,
  };
  const product: ModelDef = {
    name: 'product.product',
    description: 'Product Variant',
    order: 'is_favorite desc, default_code, name, id',
    nameSearchFields: ['default_code', 'name', 'barcode'],
    displayName: productName,
    inherits: { model: 'product.template', field: 'product_tmpl_id' },
    fields: {
      product_tmpl_id: m2o('product.template', 'Product Template', { required: true, ondelete: 'cascade' }),
      active: bool('Active', { default: true }),
      lst_price: float('Sales Price', { ...priceDigits(v), compute: (env, r) => env.val('product.product', r, 'list_price') }),
      ...only(v, 18, { packaging_ids: o2m('product.packaging', 'product_id', 'Product Packages') }),
      ...only(v, 19, { product_uom_ids: o2m('product.uom', 'product_id', 'Packaging Barcodes') }),
    },
  };
  const supplierinfo: ModelDef = {
    name: 'product.supplierinfo',
    description: 'Supplier Pricelist',
    order: 'sequence, min_qty desc, price, id',
    displayName: (env, r) => (typeof r.partner_id === 'number' ? env.displayName('res.partner', r.partner_id) : ''),
    fields: {
      partner_id: m2o('res.partner', 'Vendor', { required: true, ondelete: 'cascade' }),
      product_name: char('Vendor Product Name'),
      product_code: char('Vendor Product Code'),
      sequence: int('Sequence', { default: 1 }),
      [pick(v, 'product_uom', 'product_uom_id')]: m2o('uom.uom', 'Unit'),
      min_qty: float('Quantity', { default: 0, digits: 2 }),
      price: float('Price', { default: 0, ...priceDigits(v) }),
      currency_id: m2o('res.currency', 'Currency', { default: 1 }),
      delay: int('Delivery Lead Time', { default: 1 }),
      product_tmpl_id: m2o('product.template', 'Product Template', { ondelete: 'cascade' }),
      product_id: m2o('product.product', 'Product Variant'),
    },
    prepareCreate: (env, vals) => {
      if (typeof vals.product_id === 'number' && vals.product_tmpl_id === undefined) {
        fill(vals, 'product_tmpl_id', () => env.row('product.product', vals.product_id as number)?.product_tmpl_id);
      }
      const tmpl = typeof vals.product_tmpl_id === 'number' ? env.row('product.template', vals.product_tmpl_id) : undefined;
      if (tmpl) fill(vals, pick(v, 'product_uom', 'product_uom_id'), () => (v === 18 ? tmpl.uom_po_id : tmpl.uom_id));
    },
  };
  return [template, product, supplierinfo];
}

/** product.product's barcode uniqueness constraint [KNOW: Odoo 18 wording]. */
function checkBarcodes(env: Env, rows: Row[]): void {
  for (const r of rows) {
    if (!r.barcode) continue;
    const clash = env.rowsWithValue('product.template', 'barcode', r.barcode).filter((o) => o.id !== r.id && o.active !== false);
    if (clash.length) {
      throw validationError(
        `Barcode(s) already assigned:\n\n- Barcode "${String(r.barcode)}" already assigned to product(s): ${clash.map((o) => productName(env, o)).join(', ')}`,
      );
    }
  }
}
