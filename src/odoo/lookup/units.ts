// X12 unit codes to Odoo units of measure, through the partner's table (odoo.units over DEFAULT_UNITS).
import { MasterDataGap } from '../postings/gap.js';
import type { PostingContext } from '../postings/context.js';

export interface UnitLookup {
  resolve(code: string, line: string): Promise<{ id: number; name: string }>;
}

export function unitLookup(ctx: PostingContext): UnitLookup {
  const cache = new Map<string, Promise<{ id: number; name: string }[]>>();
  return {
    async resolve(code, line) {
      const name = ctx.settings.units[code.toUpperCase()];
      if (!name) {
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' has no Odoo unit: add it to odoo.units in partners/${ctx.partnerCode}.yaml (e.g. ${code}: "Case of 12")`, { unit: code });
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
          throw new MasterDataGap('unit', `${line}: X12 unit '${code}' means Odoo unit '${name}', which is archived: unarchive it in Odoo (Inventory > Configuration > Units of Measure, filter Archived) or change odoo.units in partners/${ctx.partnerCode}.yaml`, { unit: code, odooUnit: name, archived: true });
        }
      }
      if (rows.length !== 1) {
        throw new MasterDataGap('unit', `${line}: X12 unit '${code}' means Odoo unit '${name}', ${rows.length ? 'which several units are called' : 'which does not exist'}: create it in Odoo (Inventory > Configuration > Units of Measure) or change odoo.units in partners/${ctx.partnerCode}.yaml`, { unit: code, odooUnit: name });
      }
      return rows[0]!;
    },
  };
}
