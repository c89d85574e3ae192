// Odoo search domains evaluated in memory: prefix '&' '|' '!' with implicit '&', the comparison
// operators, dotted paths through relations, child_of / parent_of (Odoo's domain
// semantics, e.g. '!=' also matches empty values).
import { pyRepr, valueError } from './errors.js';
import type { Env, FieldDef, Row } from './orm.js';

export type Domain = unknown[];
type Predicate = (row: Row) => boolean;

const OPERATORS = new Set([
  '=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike',
  'child_of', 'parent_of', '=?',
]);
const NEGATIVE: Record<string, string> = { '!=': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' };

export function compileDomain(env: Env, model: string, domain: Domain): Predicate {
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
  const stack: Predicate[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const item = domain[i];
    if (item === '&' || item === '|') {
      const a = stack.pop();
      const b = stack.pop();
      if (!a || !b) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
      stack.push(item === '&' ? (r) => a(r) && b(r) : (r) => a(r) || b(r));
    } else if (item === '!') {
      const a = stack.pop();
      if (!a) throw valueError(`Invalid domain: ${pyRepr(domain)}`);
      stack.push((r) => !a(r));
    } else stack.push(compileLeaf(env, model, item));
  }
  return (row) => stack.every((p) => p(row));
}

function compileLeaf(env: Env, model: string, leaf: unknown): Predicate {
  if (!Array.isArray(leaf) || leaf.length !== 3) throw valueError(`Invalid leaf ${pyRepr(leaf)}`);
  const [path, op, value] = leaf as [unknown, string, unknown];
  // TRUE_LEAF / FALSE_LEAF
  if (path === 1 || path === 0) return () => path === 1;
  if (typeof path !== 'string' || !OPERATORS.has(String(op).toLowerCase())) throw valueError(`Invalid leaf ${pyRepr(leaf)}`);
  const operator = String(op).toLowerCase();
  const parts = path.split('.');
  // Resolve the path now so a bad field fails even on an empty table.
  let current = model;
  const defs: FieldDef[] = [];
  for (const [i, name] of parts.entries()) {
    const def = name === 'id' ? ({ type: 'integer', string: 'ID' } as FieldDef) : env.model(current).fields[name];
    if (!def) throw valueError(`Invalid field ${current}.${name} in leaf ${leafRepr(leaf)}`);
    defs.push(def);
    if (i < parts.length - 1) {
      if (!def.relation) throw valueError(`Invalid field ${current}.${name} in leaf ${leafRepr(leaf)}`);
      current = def.relation;
    }
  }
  const last = defs[defs.length - 1]!;
  const lastModel = current;
  if (operator === '=?') {
    if (value === false || value === null || value === undefined) return () => true;
    return compileLeaf(env, model, [path, '=', value]);
  }
  if (operator === 'child_of' || operator === 'parent_of') {
    const target = last.relation ?? lastModel;
    const ids = hierarchy(env, target, toIds(env, target, value), operator);
    return compileLeaf(env, model, [path, 'in', [...ids]]);
  }
  const positive = NEGATIVE[operator] ?? operator;
  const test = (v: unknown): boolean => compare(env, last, v, positive, value);
  const matches = (row: Row): boolean => {
    const values = valuesAtPath(env, model, row, parts);
    if (last.type === 'one2many' || last.type === 'many2many') {
      const ids = values.flatMap((v) => v as number[]);
      return x2manyTest(ids, positive, value);
    }
    return values.some(test);
  };
  return operator in NEGATIVE ? (row) => !matches(row) : matches;
}

/** Leaves are tuples once Odoo has normalized the domain. */
function leafRepr(leaf: unknown[]): string {
  return `(${leaf.map(pyRepr).join(', ')})`;
}

/** Values of the last field of the path, one per record reached (paths through x2many fan out). */
function valuesAtPath(env: Env, model: string, row: Row, parts: string[]): unknown[] {
  let rows: Array<[string, Row]> = [[model, row]];
  for (const [i, name] of parts.entries()) {
    if (i === parts.length - 1) return rows.map(([m, r]) => env.val(m, r, name));
    const next: Array<[string, Row]> = [];
    for (const [m, r] of rows) {
      const def = env.model(m).fields[name]!;
      const v = env.val(m, r, name);
      const ids = typeof v === 'number' ? [v] : Array.isArray(v) ? (v as number[]) : [];
      for (const id of ids) {
        const target = env.row(def.relation!, id);
        if (target) next.push([def.relation!, target]);
      }
    }
    if (!next.length) return [false];
    rows = next;
  }
  return [];
}

function x2manyTest(ids: number[], op: string, value: unknown): boolean {
  if (value === false || value === null) return op === '=' ? ids.length === 0 : ids.length > 0;
  const wanted = Array.isArray(value) ? value : [value];
  if (op === '=' || op === 'in') return ids.some((id) => wanted.includes(id));
  return false;
}

function compare(env: Env, def: FieldDef, v: unknown, op: string, value: unknown): boolean {
  const empty = v === false || v === null || v === undefined || (def.type !== 'boolean' && v === '');
  if (def.type === 'many2one' && typeof v === 'number') {
    // A name instead of an id: compare with the display name (Odoo's name_search on the comodel).
    const byName = typeof value === 'string' || (Array.isArray(value) && value.some((x) => typeof x === 'string'));
    if (byName && !['in'].includes(op)) return compare(env, { type: 'char', string: '' }, env.displayName(def.relation!, v), op, value);
    if (byName) return (value as unknown[]).includes(env.displayName(def.relation!, v));
  }
  switch (op) {
    case '=':
      if (value === false || value === null) return empty || (def.type === 'boolean' && v === false);
      if (def.type === 'boolean') return !!v === !!value;
      return !empty && same(v, value);
    case 'in': {
      const list = Array.isArray(value) ? value : [value];
      if (empty) return list.some((x) => x === false || x === null) || (def.type === 'boolean' && list.includes(false));
      return list.some((x) => same(v, x));
    }
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (empty || value === false || value === null) return false;
      const a = typeof v === 'number' ? v : String(v);
      const b = typeof v === 'number' ? Number(value) : String(value);
      return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
    }
    case 'like':
    case 'ilike':
    case '=like':
    case '=ilike': {
      if (value === false || value === null) return empty;
      if (empty) return false;
      const pattern = op.startsWith('=') ? String(value) : `%${String(value)}%`;
      return likeRegex(pattern, op.endsWith('ilike')).test(String(v));
    }
    default:
      return false;
  }
}

function same(v: unknown, x: unknown): boolean {
  if (typeof v === 'number' && typeof x !== 'number') return v === Number(x);
  return v === x;
}

function likeRegex(pattern: string, insensitive: boolean): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, insensitive ? 'is' : 's');
}

function toIds(env: Env, model: string, value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((x) => {
    if (typeof x === 'number') return [x];
    if (typeof x === 'string') return env.search(model, [['display_name', 'ilike', x]], {});
    return [];
  });
}

/** Ids reachable downwards (child_of) or upwards (parent_of) through the model's parent field. */
function hierarchy(env: Env, model: string, start: number[], op: 'child_of' | 'parent_of'): Set<number> {
  const parentField = env.model(model).parentField;
  const out = new Set<number>(start.filter((id) => env.row(model, id)));
  if (!parentField) return out;
  let frontier = [...out];
  while (frontier.length) {
    const next: number[] = [];
    for (const id of frontier) {
      const found =
        op === 'child_of'
          ? env.pointingAt(model, parentField, id).map((r) => r.id)
          : [env.row(model, id)?.[parentField]].filter((x): x is number => typeof x === 'number');
      for (const f of found) if (!out.has(f)) (out.add(f), next.push(f));
    }
    frontier = next;
  }
  return out;
}
