// Odoo rounds a float field with digits when it stores it (3.125 is kept as 3.13 under the default
// 'Product Price' precision of 2; verified on a real Odoo 18), so "is this value already there?"
// must compare at the field's digits, or every replay would write the same value again.
import type { PostingContext } from '../postings/context.js';

/** The decimal digits of each float field of `model` that has them (fields_get `digits`: [16, 2]). */
export async function floatDigits(ctx: PostingContext, model: string): Promise<(field: string) => number | undefined> {
  const fields = await ctx.client.fieldsGet(model, ['type', 'digits']);
  return (field) => {
    const digits = fields[field]?.['digits'];
    return Array.isArray(digits) && typeof digits[1] === 'number' ? digits[1] : undefined;
  };
}

/** True when `have` (as read) is what Odoo stores for `want` at `digits` (rounding half away from zero). */
export function sameFloat(have: unknown, want: number, digits: number | undefined): boolean {
  const slack = digits === undefined ? 1e-9 : 0.5 * 10 ** -digits + 1e-9;
  return Math.abs(Number(have) - want) <= slack;
}
