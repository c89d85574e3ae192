// Short constructors for field definitions, so the model files read like Odoo's field lists.
import type { Env, FieldDef, Row, Vals, Version } from '../orm.js';

type Extra = Partial<FieldDef>;

export const char = (string: string, extra: Extra = {}): FieldDef => ({ type: 'char', string, ...extra });
export const text = (string: string, extra: Extra = {}): FieldDef => ({ type: 'text', string, ...extra });
export const html = (string: string, extra: Extra = {}): FieldDef => ({ type: 'html', string, ...extra });
export const int = (string: string, extra: Extra = {}): FieldDef => ({ type: 'integer', string, ...extra });
export const float = (string: string, extra: Extra = {}): FieldDef => ({ type: 'float', string, ...extra });
export const money = (string: string, extra: Extra = {}): FieldDef => ({ type: 'monetary', string, ...extra });
export const bool = (string: string, extra: Extra = {}): FieldDef => ({ type: 'boolean', string, ...extra });
export const date = (string: string, extra: Extra = {}): FieldDef => ({ type: 'date', string, ...extra });
export const datetime = (string: string, extra: Extra = {}): FieldDef => ({ type: 'datetime', string, ...extra });
export const selection = (string: string, values: Array<[string, string]>, extra: Extra = {}): FieldDef => ({
  type: 'selection',
  string,
  selection: values,
  ...extra,
});
export const m2o = (relation: string, string: string, extra: Extra = {}): FieldDef => ({ type: 'many2one', relation, string, ...extra });
export const o2m = (relation: string, inverse: string, string: string, extra: Extra = {}): FieldDef => ({
  type: 'one2many',
  relation,
  inverse,
  string,
  ...extra,
});
export const m2m = (relation: string, string: string, extra: Extra = {}): FieldDef => ({ type: 'many2many', relation, string, ...extra });

/** A field that exists only in one version (fields_get of real 18 and 19 diffed, docs/odoo.md#field-names-by-version). */
export function only(version: Version, wanted: Version, fields: Record<string, FieldDef>): Record<string, FieldDef> {
  return version === wanted ? fields : {};
}

/** The version's name for a renamed field (docs/odoo.md#field-names-by-version). */
export const pick = (version: Version, v18: string, v19: string): string => (version === 18 ? v18 : v19);

export const nowDefault = (env: Env): string => env.now();

/** Sets vals[key] from fn() when the caller did not give it. */
export function fill(vals: Vals, key: string, fn: () => unknown): void {
  if (vals[key] === undefined) {
    const v = fn();
    if (v !== undefined) vals[key] = v;
  }
}

export function related(model: string, path: string[]): (env: Env, row: Row) => unknown {
  return (env, row) => {
    let m = model;
    let r: Row | undefined = row;
    for (const [i, name] of path.entries()) {
      if (!r) return false;
      if (i === path.length - 1) return env.val(m, r, name);
      const def = env.model(m).fields[name]!;
      r = env.ref(m, r, name);
      m = def.relation!;
    }
    return false;
  };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

/** Digits of price fields ('Product Price'): 2 on 18; 19 reports `digits: false` and keeps 3.125 [verified on real 18 and 19]. */
export const priceDigits = (v: Version): Extra => (v === 18 ? { digits: 2 } : {});
