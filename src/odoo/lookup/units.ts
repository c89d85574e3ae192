// X12 unit codes to Odoo units of measure, through the partner's table (odoo.units over DEFAULT_UNITS).
import { MasterDataGap } from '../postings/gap.js';
import type { PostingContext } from '../postings/context.js';

export interface UnitLookup {
  resolve(code: string, line: string): Promise<{ id: number; name: string }>;
  /**
   * Up to Odoo 18 a line's unit must be of the product's unit category (kg for a product in
   * Units is refused, with a message naming neither line nor product); a gap that names both.
   * Odoo 19 has no categories and accepts any unit.
   */
  checkFits(unit: { id: number; name: string }, product: { name: string; uomId: number }, code: string, line: string): Promise<void>;
}

export function unitLookup(ctx: PostingContext): UnitLookup {
  const cache = new Map<string, Promise<{ id: number; name: string }[]>>();
  /** uom id -> [category id, category name] (Odoo 16-18). */
  const categories = new Map<number, [number, string]>();
  return {
    async resolve(code, line) {
      const name = ctx.settings.units[code.toUpperCase()];
      if (!name) {
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' has no Odoo unit: add it to odoo.units in ${ctx.partnerFile} (e.g. ${code}: "Case of 12")`, { unit: code });
      }
      let hit = cache.get(name);
      if (!hit) {
        hit = ctx.client.searchRead('uom.uom', [['name', '=ilike', name]], { fields: ['id', 'name'], limit: 2 }).then((rows) => rows.map((r) => ({ id: r.id, name: String(r['name']) })));
        cache.set(name, hit);
      }
      const rows = await hit;
      if (rows.length === 0) {
        // Odoo 19 ships imperial units such as lb archived: say so rather than "does not exist".
        const archived = await ctx.client.search('uom.uom', [['name', '=ilike', name], ['active', '=', false]], { limit: 1, context: { active_test: false } });
        if (archived.length) {
          cache.delete(name);
          throw new MasterDataGap('unit', `${line}: X12 unit '${code}' means Odoo unit '${name}', which is archived: unarchive it in Odoo (Inventory > Configuration > Units of Measure, filter Archived) or change odoo.units in ${ctx.partnerFile}`, { unit: code, odooUnit: name, archived: true });
        }
      }
      if (rows.length !== 1) {
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' means Odoo unit '${name}', ${rows.length ? 'which several units are called' : 'which does not exist'}: create it in Odoo (Inventory > Configuration > Units of Measure) or change odoo.units in ${ctx.partnerFile}`, { unit: code, odooUnit: name });
      }
      return rows[0]!;
    },
    async checkFits(unit, product, code, line) {
      if (ctx.schema.names.version >= 19 || unit.id === product.uomId || !product.uomId) return;
      if (!categories.has(unit.id) || !categories.has(product.uomId)) {
        const rows = await ctx.client.read('uom.uom', [unit.id, product.uomId], ['category_id']);
        for (const r of rows) categories.set(r.id, Array.isArray(r['category_id']) ? [r['category_id'][0] as number, String(r['category_id'][1])] : [0, '']);
      }
      const [unitCategory, unitCategoryName] = categories.get(unit.id) ?? [0, ''];
      const [productCategory, productCategoryName] = categories.get(product.uomId) ?? [0, ''];
      if (unitCategory && productCategory && unitCategory !== productCategory) {
        throw new MasterDataGap(
          'unit',
          `${line}: ${product.name} is sold in a unit of category ${productCategoryName}, but the line orders it in '${unit.name}' (X12 ${code}, category ${unitCategoryName}): map ${code} to a unit of category ${productCategoryName} in odoo.units of ${ctx.partnerFile}, or change the product's unit in Odoo`,
          { unit: code, odooUnit: unit.name, product: product.name },
        );
      }
    },
  };
}
