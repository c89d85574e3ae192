// Builds the model registry of one version and seeds it like a fresh database with base, sale,
// purchase, stock and account installed (as real 18 and 19 were: "My Company", USD, one warehouse WH,
// stock location 8 on 18 / 5 on 19, receipts type 1, deliveries type 2; ids as captured there where they show).
import { Database, type FieldDef, type ModelDef, type Options, type Row, type Version } from '../orm.js';
import { accountModels } from './account.js';
import { automationModels, seedModelRegistry } from './automation.js';
import { baseModels } from './base.js';
import { char, datetime } from './fields.js';
import { genericMethods } from './generic.js';
import { productModels } from './product.js';
import { purchaseModels } from './purchase.js';
import { saleModels } from './sale.js';
import { stockModels } from './stock.js';

export function buildRegistry(version: Version, options: Options): Map<string, ModelDef> {
  const models = [
    ...baseModels(version),
    ...productModels(version),
    ...saleModels(version),
    ...purchaseModels(version),
    ...stockModels(version, options.stockDelivery),
    ...accountModels(version),
    ...automationModels(version),
  ];
  const registry = new Map(models.map((m) => [m.name, m]));
  const generic = genericMethods(version);
  for (const m of models) {
    m.fields.display_name = char('Display Name', { compute: (env, row) => env.displayName(m.name, row.id) });
    m.fields.create_date = datetime('Created on', { readonly: true });
    m.fields.write_date = datetime('Last Updated on', { readonly: true });
    m.methods = { ...generic, ...m.methods };
  }
  // _inherits: the child answers the parent's fields by reading and writing the parent record.
  for (const m of models) {
    if (!m.inherits) continue;
    const parent = registry.get(m.inherits.model)!;
    for (const [name, f] of Object.entries(parent.fields)) {
      if (name in m.fields) continue;
      m.fields[name] = { ...f, delegatedTo: m.inherits.field } satisfies FieldDef;
    }
  }
  return registry;
}

type Seed = Record<string, Array<Partial<Row> & { id: number }>>;

function seeds(v: Version, options: Options): Seed {
  // Ids as a fresh Odoo 18 and 19 give them [verified on real 18 and 19]; 19 ships the
  // imperial units, Dozens, cm, km and oz archived [verified on real 19].
  const uoms18 = [
    { id: 1, name: 'Units', category_id: 1, factor: 1, uom_type: 'reference' },
    { id: 2, name: 'Dozens', category_id: 1, factor: 1 / 12, uom_type: 'bigger' },
    { id: 3, name: 'Days', category_id: 3, factor: 1 / 8, uom_type: 'bigger' },
    { id: 4, name: 'Hours', category_id: 3, factor: 1, uom_type: 'reference' },
    { id: 5, name: 'm', category_id: 4, factor: 1, uom_type: 'reference' },
    { id: 6, name: 'mm', category_id: 4, factor: 1000, uom_type: 'smaller' },
    { id: 7, name: 'km', category_id: 4, factor: 0.001, uom_type: 'bigger' },
    { id: 8, name: 'cm', category_id: 4, factor: 100, uom_type: 'smaller' },
    { id: 10, name: 'L', category_id: 5, factor: 1, uom_type: 'reference' },
    { id: 12, name: 'kg', category_id: 2, factor: 1, uom_type: 'reference' },
    { id: 13, name: 'g', category_id: 2, factor: 1000, uom_type: 'smaller' },
    { id: 14, name: 't', category_id: 2, factor: 0.001, uom_type: 'bigger' },
    { id: 15, name: 'lb', category_id: 2, factor: 2.20462, uom_type: 'smaller' },
    { id: 16, name: 'oz', category_id: 2, factor: 35.274, uom_type: 'smaller' },
    { id: 17, name: 'in', category_id: 4, factor: 39.3701, uom_type: 'smaller' },
    { id: 18, name: 'ft', category_id: 4, factor: 3.28084, uom_type: 'smaller' },
    { id: 19, name: 'yd', category_id: 4, factor: 1.09361, uom_type: 'smaller' },
    { id: 24, name: 'gal (US)', category_id: 5, factor: 0.264172, uom_type: 'smaller' },
  ].map((u) => ({ ...u, active: true }));
  const uoms19 = [
    { id: 1, name: 'Units', relative_factor: 1, relative_uom_id: false },
    { id: 2, name: 'Pack of 6', relative_factor: 6, relative_uom_id: 1 },
    { id: 3, name: 'Dozens', relative_factor: 12, relative_uom_id: 1, active: false },
    { id: 4, name: 'Hours', relative_factor: 1, relative_uom_id: false },
    { id: 5, name: 'Days', relative_factor: 8, relative_uom_id: 4 },
    { id: 6, name: 'Minutes', relative_factor: 0.0166667, relative_uom_id: 4 },
    { id: 7, name: 'mm', relative_factor: 1, relative_uom_id: false },
    { id: 8, name: 'cm', relative_factor: 10, relative_uom_id: 7, active: false },
    { id: 9, name: 'm', relative_factor: 100, relative_uom_id: 8 },
    { id: 10, name: 'km', relative_factor: 1000, relative_uom_id: 9, active: false },
    { id: 11, name: 'm²', relative_factor: 1, relative_uom_id: false },
    { id: 12, name: 'ml', relative_factor: 1, relative_uom_id: false },
    { id: 13, name: 'L', relative_factor: 1000, relative_uom_id: 12 },
    { id: 15, name: 'g', relative_factor: 1, relative_uom_id: false },
    { id: 16, name: 'kg', relative_factor: 1000, relative_uom_id: 15 },
    { id: 17, name: 'Ton', relative_factor: 1000, relative_uom_id: 16 },
    { id: 18, name: 'oz', relative_factor: 28.349523, relative_uom_id: 15, active: false },
    { id: 19, name: 'lb', relative_factor: 453.59237, relative_uom_id: 15, active: false },
    { id: 21, name: 'ft', relative_factor: 30.48, relative_uom_id: 8, active: false },
    { id: 27, name: 'gal (US)', relative_factor: 3785.41, relative_uom_id: 12, active: false },
    { id: 30, name: 'KWH', relative_factor: 1, relative_uom_id: false },
  ].map((u) => ({ active: true, ...u }));
  return {
    'res.currency': [{ id: 1, name: 'USD', symbol: '$', active: true }],
    'res.country': [
      { id: 233, name: 'United States', code: 'US' },
      { id: 38, name: 'Canada', code: 'CA' },
      { id: 156, name: 'Mexico', code: 'MX' },
      { id: 20, name: 'Belgium', code: 'BE' },
      { id: 57, name: 'Germany', code: 'DE' },
      { id: 231, name: 'United Kingdom', code: 'GB' },
    ],
    'res.country.state': [
      { id: 13, name: 'California', code: 'CA', country_id: 233 },
      { id: 22, name: 'Illinois', code: 'IL', country_id: 233 },
      { id: 44, name: 'New York', code: 'NY', country_id: 233 },
      { id: 53, name: 'Texas', code: 'TX', country_id: 233 },
    ],
    'res.lang': [{ id: 1, name: 'English (US)', code: 'en_US', active: true }],
    'res.partner': [
      { id: 1, name: 'My Company', is_company: true, country_id: 233, company_id: 1, active: true, type: 'contact' },
      { id: 2, name: 'OdooBot', active: false, email: 'odoobot@example.com', type: 'contact' },
      { id: 3, name: 'Administrator', email: 'admin@example.com', active: true, type: 'contact' },
    ],
    'res.company': [{ id: 1, name: 'My Company', sequence: 0, partner_id: 1, currency_id: 1, country_id: 233 }],
    'res.users': [
      { id: 1, login: '__system__', partner_id: 2, company_id: 1, active: false },
      { id: 2, login: 'admin', partner_id: 3, company_id: 1, active: true },
    ],
    ...(v === 18
      ? {
          'uom.category': [
            { id: 1, name: 'Unit' },
            { id: 2, name: 'Weight' },
            { id: 3, name: 'Working Time' },
            { id: 4, name: 'Length / Distance' },
            { id: 5, name: 'Volume' },
          ],
          'uom.uom': uoms18.map((u) => ({ ...u, rounding: 0.01 })),
        }
      : { 'uom.uom': uoms19.map((u) => ({ ...u, rounding: 0.01, sequence: 10 })) }),
    'account.tax': [
      { id: 1, name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'sale', active: true, sequence: 1 },
      { id: 2, name: '15%', amount: 15, amount_type: 'percent', type_tax_use: 'purchase', active: true, sequence: 1 },
      ...(v === 19
        ? [
            { id: 3, name: '0% Exports', amount: 0, amount_type: 'percent', type_tax_use: 'sale', active: true, sequence: 1 },
            { id: 4, name: '0% Imports', amount: 0, amount_type: 'percent', type_tax_use: 'purchase', active: true, sequence: 1 },
          ]
        : []),
    ],
    ...(v === 18 ? paymentTerms18() : paymentTerms19()),
    'mail.message.subtype': [
      { id: 1, name: 'Discussions', sequence: 0 },
      { id: 2, name: 'Note', sequence: 100 },
    ],
    ...(v === 18 ? stock18() : stock19()),
    'stock.warehouse': [{ id: 1, name: 'My Company', code: 'WH', sequence: 10, partner_id: 1, company_id: 1, active: true }],
    // 19 with stock_delivery: the delivery product and carrier a fresh database has [verified on real 19].
    ...(v === 19 && options.stockDelivery
      ? {
          'product.template': [{ id: 1, name: 'Standard delivery', default_code: 'Delivery_007', type: 'service', uom_id: 1, list_price: 0, standard_price: 0, weight: 0, sale_ok: false, purchase_ok: false, invoice_policy: 'order', tracking: 'none', taxes_id: [], supplier_taxes_id: [], is_storable: false, is_favorite: false, active: true }],
          'product.product': [{ id: 1, product_tmpl_id: 1, active: true }],
          'delivery.carrier': [{ id: 1, name: 'Standard delivery', sequence: 10, product_id: 1, delivery_type: 'fixed', fixed_price: 0, active: true }],
        }
      : {}),
  };
}

function stock18(): Seed {
  return {
    'stock.location': [
      { id: 1, name: 'Physical Locations', usage: 'view', active: true },
      { id: 2, name: 'Partners', usage: 'view', active: true },
      { id: 3, name: 'Virtual Locations', usage: 'view', active: true },
      { id: 4, name: 'Vendors', usage: 'supplier', location_id: 2, active: true },
      { id: 5, name: 'Customers', usage: 'customer', location_id: 2, active: true },
      { id: 7, name: 'WH', usage: 'view', location_id: 1, active: true },
      { id: 8, name: 'Stock', usage: 'internal', location_id: 7, active: true },
    ],
    'stock.picking.type': [
      { id: 1, name: 'Receipts', code: 'incoming', sequence_code: 'IN', default_location_src_id: 4, default_location_dest_id: 8, sequence: 1, create_backorder: 'ask', warehouse_id: 1, active: true },
      { id: 2, name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', default_location_src_id: 8, default_location_dest_id: 5, sequence: 2, create_backorder: 'ask', warehouse_id: 1, active: true },
    ],
  };
}

/** 19 has no Partners / Physical Locations parents: "Customers" 2, "WH/Stock" 5, archived WH/Output 8 [verified on real 19]. */
function stock19(): Seed {
  const loc = (id: number, name: string, usage: string, parent: number | false = false, active = true) => ({ id, name, usage, location_id: parent, active });
  const type = { create_backorder: 'ask', warehouse_id: 1, active: true, set_package_type: false };
  return {
    'stock.location': [
      loc(1, 'Vendors', 'supplier'),
      loc(2, 'Customers', 'customer'),
      loc(3, 'Inter-company transit', 'transit', false, false),
      loc(4, 'WH', 'view'),
      loc(5, 'Stock', 'internal', 4),
      loc(6, 'Input', 'internal', 4, false),
      loc(7, 'Quality Control', 'internal', 4, false),
      loc(8, 'Output', 'internal', 4, false),
      loc(9, 'Packing Zone', 'internal', 4, false),
      loc(10, 'Inter-warehouse transit', 'transit', false, false),
      loc(11, 'Inventory adjustment', 'inventory'),
      loc(12, 'Production', 'production'),
    ],
    'stock.picking.type': [
      { ...type, id: 1, name: 'Receipts', code: 'incoming', sequence_code: 'IN', default_location_src_id: 1, default_location_dest_id: 5, sequence: 1 },
      { ...type, id: 2, name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', default_location_src_id: 5, default_location_dest_id: 2, sequence: 7 },
    ],
  };
}

function paymentTerms18(): Seed {
  return {
    'account.payment.term': [
      { id: 1, name: 'Immediate Payment', sequence: 1, active: true },
      { id: 2, name: '15 Days', sequence: 2, active: true },
      { id: 3, name: '21 Days', sequence: 3, active: true },
      { id: 4, name: '30 Days', sequence: 4, active: true },
      { id: 5, name: '45 Days', sequence: 5, active: true },
    ],
    'account.payment.term.line': [0, 15, 21, 30, 45].map((days, i) => ({ id: i + 1, payment_id: i + 1, value: 'percent', value_amount: 100, nb_days: days })),
  };
}

/**
 * The ten terms of a fresh 19, each with the field defaults 2% / 10 days stored, "2/7 Net 30" the only
 * early discount [verified on real 19]. The double's due date takes the longest nb_days: terms 6, 7
 * and 10 count from the end of a month on a real Odoo (their delay_type), not here.
 */
function paymentTerms19(): Seed {
  const names = ['Immediate Payment', '15 Days', '21 Days', '30 Days', '45 Days', 'End of Following Month', '10 Days after End of Next Month', '30% Now, Balance 60 Days', '2/7 Net 30', '90 days, on the 10th'];
  const lines: Array<[number, number, number]> = [[1, 100, 0], [2, 100, 15], [3, 100, 21], [4, 100, 30], [5, 100, 45], [6, 100, 0], [7, 100, 10], [8, 30, 0], [8, 70, 60], [9, 100, 30], [10, 100, 90]];
  return {
    'account.payment.term': names.map((name, i) => ({ id: i + 1, name, sequence: 10, active: true, early_discount: i === 8, discount_percentage: 2, discount_days: i === 8 ? 7 : 10 })),
    'account.payment.term.line': lines.map(([term, pct, days], i) => ({ id: i + 1, payment_id: term, value: 'percent', value_amount: pct, nb_days: days })),
  };
}

/** Next ids of a fresh database where captures on real 18 and 19 show them (first customer 8 on 18, 6 on 19; first product 3 / 2). */
function nextIds(v: Version): Record<string, number> {
  return {
    'res.partner': v === 18 ? 8 : 6,
    'res.users': 3,
    'product.template': v === 18 ? 3 : 2,
    'product.product': v === 18 ? 3 : 2,
    'uom.uom': 31,
    'stock.location': 30,
    'stock.picking.type': 3,
    'stock.warehouse': 2,
    'account.payment.term': v === 18 ? 6 : 11,
    'account.payment.term.line': v === 18 ? 6 : 12,
    'account.tax': v === 18 ? 3 : 5,
    'mail.message.subtype': 3,
    'res.country': 300,
    'res.country.state': 100,
    'res.currency': 2,
    'res.company': 2,
    'res.lang': 2,
    'uom.category': 6,
  };
}

export function createDatabase(version: Version, uid: number, clock: () => Date, options: Options): Database {
  const db = new Database(version, buildRegistry(version, options), uid, clock, options);
  const stamp = clock().toISOString().slice(0, 19).replace('T', ' ');
  for (const [model, rows] of Object.entries(seeds(version, options))) {
    for (const row of rows) db.insertRow(model, { create_date: stamp, write_date: stamp, ...row } as Row);
  }
  seedModelRegistry(db, stamp);
  for (const name of db.registry.keys()) {
    const maxId = Math.max(0, ...Object.keys(db.store.tables[name]!).map(Number));
    db.store.nextId[name] = Math.max(maxId + 1, nextIds(version)[name] ?? 1);
  }
  return db;
}
