// The in-memory ORM: domains, ordering, read shapes, x2many commands (incl. the [5,0,0] trap on
// stock.move.move_line_ids, docs/odoo.md#quirks-and-how-they-were-verified), required fields and MissingError. In process, no HTTP.
import { describe, expect, it } from 'vitest';
import { createDatabase } from './models/index.js';
import { Env, type Vals } from './orm.js';
import { OdooError } from './errors.js';

function setup(version: 18 | 19 = 18) {
  const db = createDatabase(version, 2, () => new Date('2026-11-26T22:20:13Z'), { stockDelivery: true });
  const env = new Env(db, {}, 'jsonrpc');
  const company = env.create('res.partner', { name: 'ACME Retail Inc', is_company: true, ref: 'ACME', email: 'edi@acme.test' });
  const dc = env.create('res.partner', { name: 'ACME DC 42', parent_id: company, type: 'delivery', barcode: '0012345000429' });
  const buyer = env.create('res.partner', { name: 'Jane Buyer', parent_id: dc });
  const other = env.create('res.partner', { name: 'Beta Stores', is_company: true, ref: 'BETA', active: false });
  const names = (domain: unknown[], ctx: Vals = {}, order?: string) =>
    env.withContext(ctx).search('res.partner', domain, { order }).map((id) => env.displayName('res.partner', id));
  return { db, env, company, dc, buyer, other, names };
}

describe('domains', () => {
  it('combines prefix operators with the implicit and', () => {
    const { names } = setup();
    expect(names(['|', ['ref', '=', 'ACME'], ['barcode', '=', '0012345000429'], ['is_company', '=', true]])).toEqual(['ACME Retail Inc']);
    expect(names(['!', ['name', 'ilike', 'acme']], {}, 'id')).toEqual(['My Company', 'Administrator', 'ACME Retail Inc, ACME DC 42, Jane Buyer']);
    expect(names(['&', ['name', '=like', 'ACME%'], '|', ['type', '=', 'delivery'], ['is_company', '=', true]], {}, 'id')).toEqual(['ACME Retail Inc', 'ACME Retail Inc, ACME DC 42']);
  });

  it('handles comparisons, in / not in, like patterns and false', () => {
    const { names, company, dc } = setup();
    expect(names([['id', 'in', [company, dc]]], {}, 'id desc')).toEqual(['ACME Retail Inc, ACME DC 42', 'ACME Retail Inc']);
    expect(names([['id', '>=', dc], ['id', 'not in', [dc]]])).toEqual(['ACME Retail Inc, ACME DC 42, Jane Buyer']);
    expect(names([['barcode', '!=', false]])).toEqual(['ACME Retail Inc, ACME DC 42']);
    // '!=' also matches empty values, as in Odoo's SQL.
    expect(names([['ref', '!=', 'ACME'], ['parent_id', '=', false]], {}, 'id')).toEqual(['My Company', 'Administrator']);
    expect(names([['email', '=ilike', 'EDI@%']])).toEqual(['ACME Retail Inc']);
    expect(names([['name', 'like', 'acme']])).toEqual([]);
    expect(names([['name', 'not ilike', 'a']], {}, 'id')).toEqual([]);
  });

  it('follows dotted paths, child_of and parent_of', () => {
    const { names, company, buyer } = setup();
    expect(names([['parent_id.ref', '=', 'ACME']])).toEqual(['ACME Retail Inc, ACME DC 42']);
    expect(names([['commercial_partner_id', '=', company]])).toHaveLength(3);
    expect(names([['id', 'child_of', company]], {}, 'id')).toEqual(['ACME Retail Inc', 'ACME Retail Inc, ACME DC 42', 'ACME Retail Inc, ACME DC 42, Jane Buyer']);
    expect(names([['id', 'parent_of', buyer]], {}, 'id')).toEqual(['ACME Retail Inc', 'ACME Retail Inc, ACME DC 42', 'ACME Retail Inc, ACME DC 42, Jane Buyer']);
    expect(names([['parent_id', '=', 'ACME Retail Inc']])).toEqual(['ACME Retail Inc, ACME DC 42']);
  });

  it('hides archived records unless active_test is false or the domain names active', () => {
    const { names } = setup();
    expect(names([['ref', '=', 'BETA']])).toEqual([]);
    expect(names([['ref', '=', 'BETA']], { active_test: false })).toEqual(['Beta Stores']);
    expect(names([['active', '=', false], ['is_company', '=', true]])).toEqual(['Beta Stores']);
  });

  it('rejects unknown fields and malformed domains with ValueError', () => {
    const { env } = setup();
    expect(() => env.search('res.partner', [['nope', '=', 1]])).toThrow("Invalid field res.partner.nope in leaf ('nope', '=', 1)");
    expect(() => env.search('res.partner', ['|', ['id', '=', 1]])).toThrow(OdooError);
  });

  it('orders, offsets and limits', () => {
    const { env } = setup();
    const all = env.search('res.partner', [], { order: 'name desc' });
    expect(env.search('res.partner', [], { order: 'name desc', offset: 1, limit: 2 })).toEqual(all.slice(1, 3));
    // NULLs first on desc (stock.move.line's "result_package_id desc, id").
    expect(env.search('res.partner', [], { order: 'barcode desc, id' }).at(-1)).toBe(env.search('res.partner', [['barcode', '!=', false]])[0]);
  });
});

describe('read shapes and errors', () => {
  it('reads many2one as [id, name], x2many as ids, empty as false, missing ids as nothing', () => {
    const { db, env, company, dc } = setup();
    expect(db.read(env, 'res.partner', [dc, 999], ['parent_id', 'child_ids', 'street', 'customer_rank', 'is_company'])).toEqual([
      { id: dc, parent_id: [company, 'ACME Retail Inc'], child_ids: [dc + 1], street: false, customer_rank: 0, is_company: false },
    ]);
    expect(db.read(env, 'res.partner', [dc], ['parent_id'], null)).toEqual([{ id: dc, parent_id: company }]);
  });

  it('write and unlink of missing ids raise MissingError naming them', () => {
    const { env } = setup();
    expect(() => env.write('res.partner', [999999], { name: 'x' })).toThrow('Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)');
    expect(() => env.unlink('res.partner', [5000, 5001])).toThrow('(Record: res.partner(5000, 5001), User: 2)');
  });

  it('refuses unknown fields, bad dates and missing required values like Odoo', () => {
    const { env } = setup();
    expect(() => env.create('res.partner', { name: 'x', foo: 1 })).toThrow("Invalid field 'foo' on model 'res.partner'");
    expect(() => env.create('res.partner', { name: false })).toThrow('The operation cannot be completed: Contacts require a name');
    expect(() => env.create('sale.order', { partner_id: 3, date_order: '2026-12-01T15:00:00Z' })).toThrow("time data '2026-12-01T15:00:00Z' does not match format '%Y-%m-%d %H:%M:%S'");
    expect(() => env.create('sale.order', {})).toThrow(/a mandatory field is not set[\s\S]*Field: Customer \(partner_id\)/);
  });
});

describe('commercial fields of res.partner (as probed on real 18 and 19)', () => {
  const registry = (env: Env, id: number) => env.row('res.partner', id)!.company_registry ?? false;

  it('18: a new contact takes every commercial field of its company, empty ones too; its own write keeps its value', () => {
    const { env, company } = setup(18);
    const child = env.create('res.partner', { name: 'Dock', parent_id: company, type: 'delivery', company_registry: '123456789', vat: 'US1' });
    expect([registry(env, child), env.row('res.partner', child)!.vat ?? false]).toEqual([false, false]);
    env.write('res.partner', [child], { company_registry: '123456789' });
    expect(registry(env, child)).toBe('123456789');
  });

  it('19: a new contact keeps its value unless its company has one; a contact\'s vat goes up to its company', () => {
    const { env, company } = setup(19);
    const kept = env.create('res.partner', { name: 'Dock', parent_id: company, type: 'delivery', company_registry: '123456789' });
    expect(registry(env, kept)).toBe('123456789');
    env.create('res.partner', { name: 'Yard', parent_id: company, type: 'delivery', vat: 'US2' });
    expect(env.row('res.partner', company)!.vat).toBe('US2');
  });

  it('a company\'s new value goes down to every contact below it, at any depth (18 and 19)', () => {
    for (const version of [18, 19] as const) {
      const { env, company, dc, buyer } = setup(version);
      env.write('res.partner', [company], { company_registry: 'REG-1' });
      expect([registry(env, dc), registry(env, buyer)]).toEqual(['REG-1', 'REG-1']);
      const child = env.create('res.partner', { name: 'Dock', parent_id: company, type: 'delivery', company_registry: '123456789' });
      expect(registry(env, child)).toBe('REG-1');
    }
  });
});

describe('x2many commands', () => {
  function order(version: 18 | 19) {
    const s = setup(version);
    const product = s.env.create('product.product', { name: 'Widget', default_code: 'W1' });
    const so = s.env.create('sale.order', {
      partner_id: s.company,
      order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }], [0, 0, { product_id: product, product_uom_qty: 3 }]],
    });
    const lines = () => s.env.rows('sale.order.line').filter((l) => l.order_id === so).map((l) => [l.id, l.product_uom_qty]);
    return { ...s, product, so, lines };
  }

  it('applies 0 create, 1 update, 2 delete in one write (as a real 18 did)', () => {
    const { env, so, product, lines } = order(18);
    const [a, b] = lines().map(([id]) => id as number);
    env.write('sale.order', [so], { order_line: [[1, a, { product_uom_qty: 5 }], [2, b!, 0], [0, 0, { product_id: product, product_uom_qty: 7 }]] });
    expect(lines()).toEqual([[a, 5], [b! + 1, 7]]);
  });

  it('[5,0,0] deletes cascading lines but only detaches stock move lines (the trap seen on a real 18)', () => {
    const { env, so, product, lines } = order(19);
    env.write('sale.order', [so], { order_line: [[5, 0, 0]] });
    expect(lines()).toEqual([]);

    env.write('sale.order', [so], { order_line: [[0, 0, { product_id: product, product_uom_qty: 4 }]] });
    env.db.model('sale.order').methods!.action_confirm!.fn(env, [so], {}, 'sale.order');
    const move = env.rows('stock.move')[0]!;
    const [oldLine] = env.val('stock.move', move, 'move_line_ids') as number[];
    env.write('stock.move', [move.id], { move_line_ids: [[5, 0, 0], [0, 0, { quantity: 1, lot_name: 'L1' }]] });
    expect(env.row('stock.move.line', oldLine!)).toMatchObject({ move_id: false, picking_id: move.picking_id, quantity: 4 });
    expect(env.db.read(env, 'stock.move.line', [oldLine!], ['state'])).toEqual([{ id: oldLine, state: false }]);
    expect(env.num('stock.move', move, 'quantity')).toBe(1);
  });

  it('links, unlinks and sets many2many', () => {
    const { env, product } = order(18);
    const tmpl = env.row('product.product', product)!.product_tmpl_id as number;
    env.write('product.template', [tmpl], { taxes_id: [[6, 0, [1, 2]]] });
    env.write('product.template', [tmpl], { taxes_id: [[3, 1, 0]] });
    expect(env.val('product.template', env.row('product.template', tmpl)!, 'taxes_id')).toEqual([2]);
    env.write('product.template', [tmpl], { taxes_id: [[4, 1, 0], [5, 0, 0], [4, 2, 0]] });
    expect(env.val('product.template', env.row('product.template', tmpl)!, 'taxes_id')).toEqual([2]);
  });
});

describe('calls as transactions, and indexes that follow every change', () => {
  it('a call that fails undoes everything it changed: rows created, values written, rows deleted', () => {
    const { db, env, company, dc } = setup();
    const partnersBefore = env.rows('res.partner').map((r) => ({ ...r }));
    const before = { orders: env.rows('sale.order').length, lines: env.rows('sale.order.line').length };
    db.beginCall();
    const order = env.create('sale.order', { partner_id: company, client_order_ref: 'PO-ROLLBACK' });
    env.write('res.partner', [dc], { name: 'Renamed DC', parent_id: false });
    env.unlink('res.partner', [dc]);
    expect(env.search('sale.order', [['client_order_ref', '=', 'PO-ROLLBACK']])).toEqual([order]);
    db.endCall(true);
    expect(env.rows('sale.order').length).toBe(before.orders);
    expect(env.rows('sale.order.line').length).toBe(before.lines);
    expect(env.rows('res.partner').map((r) => ({ ...r }))).toEqual(partnersBefore);
    // The indexes were undone too: the DC is the company's child again, found through child_of.
    expect(env.search('res.partner', [['id', 'child_of', company]])).toContain(dc);
    expect(db.read(env, 'res.partner', [company], ['child_ids'])[0]!.child_ids).toContain(dc);
  });

  it('a call that succeeds keeps its changes, and one2many and child_of see rows moved between parents', () => {
    const { db, env, company, dc, buyer } = setup();
    const beta = env.create('res.partner', { name: 'Beta Retail', is_company: true });
    db.beginCall();
    env.write('res.partner', [dc], { parent_id: beta });
    db.endCall(false);
    expect(db.read(env, 'res.partner', [beta], ['child_ids'])[0]!.child_ids).toEqual([dc]);
    expect(db.read(env, 'res.partner', [company], ['child_ids'])[0]!.child_ids).toEqual([]);
    expect(env.search('res.partner', [['id', 'child_of', beta]], { order: 'id' })).toEqual([dc, buyer, beta]);
    expect(env.search('res.partner', [['id', 'child_of', company]])).toEqual([company]);
  });
});
