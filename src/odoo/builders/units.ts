// Odoo unit names -> the X12 unit codes (element 355) we may write for them: the reverse of the
// partner's odoo.units over DEFAULT_UNITS (src/odoo/settings.ts), shared by every builder.
import { DEFAULT_UNITS } from '../settings.js';

/**
 * The X12 codes of each Odoo unit (by lower-cased name), upper-cased, the partner's own entries
 * first and then the built-in ones in table order: the first is the one to write unless a document
 * names another (an 855 echoes the 850's code when it is one of them).
 */
export function x12UnitCodes(units: Readonly<Record<string, string>>): ReadonlyMap<string, readonly string[]> {
  const entries = Object.entries(units);
  const builtIn = ([code, name]: [string, string]) => DEFAULT_UNITS[code.toUpperCase()] === name;
  const out = new Map<string, string[]>();
  for (const [code, name] of [...entries.filter((e) => !builtIn(e)), ...entries.filter(builtIn)]) {
    const key = name.trim().toLowerCase();
    const codes = out.get(key) ?? [];
    if (!codes.includes(code.toUpperCase())) codes.push(code.toUpperCase());
    out.set(key, codes);
  }
  return out;
}
