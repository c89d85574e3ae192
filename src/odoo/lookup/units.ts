// X12 unit codes to Odoo units of measure: a unit mapped from the console, else the partner's table (odoo.units over DEFAULT_UNITS).
import { MasterDataGap } from '../postings/gap.js';
import { cacheOf, type PostingContext } from '../postings/context.js';
import { packPhrase, packUnitName, packVerdict, trim, unitTable, unitTableFields, type UnitSize } from './packs.js';

/** What a line says of its unit: PO103, PO102 and PO401 (absent without PO4). */
export interface LineUnit {
  code: string;
  quantity: number;
  pack?: number | undefined;
}

export interface UnitLookup {
  resolve(code: string, line: string): Promise<{ id: number; name: string }>;
  /**
   * Up to Odoo 18 a line's unit must be of the product's unit category (kg for a product in
   * Units is refused, with a message naming neither line nor product); a gap that names both.
   * Odoo 19 has no categories and accepts any unit.
   */
  checkFits(unit: { id: number; name: string }, product: { name: string; uomId: number }, code: string, line: string): Promise<void>;
  /**
   * The unit the line is posted in, checked against PO401 (docs/odoo.md#units-and-packs): the mapped
   * unit when it holds PO401 of the product's unit (or is no pack); another unit that does, with a
   * note that says so; else a gap naming the pack. Never a quantity in the wrong pack.
   */
  fitPack(unit: { id: number; name: string }, product: { name: string; uomId: number }, line: LineUnit, label: string): Promise<{ unit: { id: number; name: string }; note?: string }>;
}

export function unitLookup(ctx: PostingContext): UnitLookup {
  const cache = new Map<string, Promise<{ id: number; name: string }[]>>();
  /** X12 code -> the unit mapped from the console, read once per posting. */
  const mapped = new Map<string, Promise<string | undefined>>();
  /** uom id -> [category id, category name] (Odoo 16-18). */
  const categories = new Map<number, [number, string]>();
  let table: Promise<Map<number, UnitSize>> | undefined;
  // Every unit, archived ones too (19 chains m -> cm (archived) -> mm): read once, only for a line with PO401.
  const unitsOfOdoo = () => {
    const version = ctx.schema.names.version;
    table ??= cacheOf(ctx).remember(`uom.uom:table:${version}`, () => ctx.client.searchRead('uom.uom', [], { fields: unitTableFields(version), context: { active_test: false } }), (rows) => rows.length > 0).then((rows) => unitTable(rows, version));
    table.catch(() => (table = undefined));
    return table;
  };
  return {
    async resolve(code, line) {
      // A unit mapped from the console (migration 18) wins over odoo.units: it was made to fix this
      // very gap, often a partner-file name Odoo lacks (docs/operations.md#fixing-a-master-data-gap).
      const key = code.toUpperCase();
      if (!mapped.has(key)) mapped.set(key, Promise.resolve(ctx.masterDataMappings?.('unit', [key])).then((m) => m?.get(key)));
      const name = (await mapped.get(key)) ?? ctx.settings.units[key];
      if (!name) {
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' has no Odoo unit: add it to odoo.units in ${ctx.partnerFile} (e.g. ${code}: Case of 12), naming a unit that exists in Odoo (Inventory > Configuration > Units of Measure; create it there first if needed, e.g. 'Case of 12' holding 12 Units)`, { unit: code });
      }
      let hit = cache.get(name);
      if (!hit) {
        hit = cacheOf(ctx).remember(`uom.uom:name:${name.toLowerCase()}`, () => ctx.client.searchRead('uom.uom', [['name', '=ilike', name]], { fields: ['id', 'name'], limit: 2 }), (rows) => rows.length === 1).then((rows) => rows.map((r) => ({ id: r.id, name: String(r['name']) })));
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
        const fix = rows.length
          ? `rename all but one in Odoo (Inventory > Configuration > Units of Measure), or point ${code} to another unit in odoo.units of ${ctx.partnerFile}`
          : `the unit must exist in Odoo under exactly this name: create it (Inventory > Configuration > Units of Measure), or point ${code} to the name of an existing unit in odoo.units of ${ctx.partnerFile} (${code}: <unit name>)`;
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' means Odoo unit '${name}', ${rows.length ? 'which several units are called' : 'which does not exist'}: ${fix}`, { unit: code, odooUnit: name });
      }
      return rows[0]!;
    },
    async checkFits(unit, product, code, line) {
      if (ctx.schema.names.version >= 19 || unit.id === product.uomId || !product.uomId) return;
      if (!categories.has(unit.id) || !categories.has(product.uomId)) {
        const ids = [unit.id, product.uomId].sort((a, b) => a - b);
        const rows = await cacheOf(ctx).remember(`uom.uom:categories:${ids.join(',')}`, () => ctx.client.read('uom.uom', ids, ['category_id']), (r) => r.length === ids.length);
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
    async fitPack(unit, product, line, label) {
      if (line.pack === undefined || unit.id === product.uomId || !product.uomId) return { unit };
      const verdict = packVerdict(await unitsOfOdoo(), unit.id, product.uomId, line.pack);
      if (verdict.kind === 'not-a-pack' || verdict.kind === 'fits') return { unit };
      const { mapped, reference, mappedRatio } = verdict;
      const holds = (n: number) => `${trim(n)} ${reference.name}`;
      const packs = `${packPhrase(line.code, line.pack)} (PO401 ${trim(line.pack)})`;
      if (verdict.kind === 'switch') {
        return { unit: { id: verdict.unit.id, name: verdict.unit.name }, note: `${label}: in '${verdict.unit.name}' (${holds(line.pack)}), not '${mapped.name}' (${holds(mappedRatio)}, odoo.units ${line.code}): the line orders ${packs}` };
      }
      const where = ctx.schema.names.version >= 19
        ? `Inventory > Configuration > Units of Measure: 'Contains' ${trim(line.pack)}, reference unit ${reference.name}`
        : `Inventory > Configuration > Units of Measure, in the category of ${reference.name}: type 'Bigger than the reference Unit of Measure', ratio ${trim(line.pack * reference.size)}`;
      throw new MasterDataGap(
        'unit',
        `${label}: ${product.name} is ordered in ${packs}, but X12 unit '${line.code}' means Odoo unit '${mapped.name}', which holds ${holds(mappedRatio)}, and no active Odoo unit holds ${holds(line.pack)}: posting ${trim(line.quantity)} '${mapped.name}' would order ${holds(line.quantity * mappedRatio)} instead of ${holds(line.quantity * line.pack)}. The unit must exist in Odoo: create '${packUnitName(line.code, line.pack)}' (${where}) and replay; the gateway picks it by its size, whatever odoo.units of ${ctx.partnerFile} maps ${line.code} to`,
        { unit: line.code, pack: line.pack, odooUnit: mapped.name, odooUnitHolds: mappedRatio, productUnit: reference.name },
      );
    },
  };
}
