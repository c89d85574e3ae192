// Comparing what Odoo stores with what we would write: Odoo rounds a float field with digits when
// it stores it (OdooSchema.digits), so "is this value already there?" must compare at the field's
// digits, or every replay would write the same value again.

/** True when `have` (as read) is what Odoo stores for `want` at `digits` (rounding half away from zero). */
export function sameFloat(have: unknown, want: number, digits: number | undefined): boolean {
  const slack = digits === undefined ? 1e-9 : 0.5 * 10 ** -digits + 1e-9;
  return Math.abs(Number(have) - want) <= slack;
}
