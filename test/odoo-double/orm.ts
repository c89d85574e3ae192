// The in-memory ORM of the double: model and field definitions, a store of raw rows, and create /
// write / unlink / search / read with Odoo's value shapes (as real 18 and 19 answer). Business models
// hook into it (models/*.ts); the HTTP layer (server.ts) only calls the public methods.
import { compileDomain, type Domain } from './domain.js';
import { missingError, pyRepr, validationError, valueError } from './errors.js';

export type Version = 18 | 19;
export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'datetime'
  | 'selection' | 'many2one' | 'one2many' | 'many2many';

export interface Row {
  id: number;
  [field: string]: unknown;
}

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one on the comodel. */
  inverse?: string;
  required?: boolean;
  readonly?: boolean;
  selection?: Array<[string, string]>;
  /** A value, or a function of the environment (called per record created). */
  default?: unknown;
  /** Not stored: computed from the store on every read and search, so it never goes stale. */
  compute?: (env: Env, row: Row) => unknown;
  /** fields_get `store` of a computed field Odoo stores (the double computes it all the same). */
  store?: boolean;
  /** float: decimal digits Odoo rounds the value to when storing it (decimal.precision, 2 by default). */
  digits?: number;
  /** Makes a computed field writable (e.g. stock.move.quantity writes its move lines). */
  inverseWrite?: (env: Env, row: Row, value: unknown) => void;
  /** many2one: what unlinking the target does to this record. */
  ondelete?: 'cascade' | 'set null' | 'restrict';
  /** Set by the registry on fields reached through `inherits` (product.product -> template). */
  delegatedTo?: string;
}

export interface ModelDef {
  name: string;
  description: string;
  fields: Record<string, FieldDef>;
  order: string;
  inherits?: { model: string; field: string };
  /** Field used by child_of / parent_of. */
  parentField?: string;
  displayName?: (env: Env, row: Row) => string;
  /** Fields name_search looks in (default: display_name). */
  nameSearchFields?: string[];
  /** Fill derived values the caller did not give (Odoo's precomputes and onchanges). */
  prepareCreate?: (env: Env, vals: Vals) => void;
  afterCreate?: (env: Env, row: Row, vals: Vals) => void;
  beforeWrite?: (env: Env, rows: Row[], vals: Vals) => void;
  afterWrite?: (env: Env, rows: Row[], vals: Vals, before: Row[]) => void;
  beforeUnlink?: (env: Env, rows: Row[]) => void;
  /** Python constraints, run after create and write. */
  check?: (env: Env, rows: Row[]) => void;
  /** Message of the ValidationError for a missing required field (default: the NOT NULL text). */
  requiredMessage?: (field: string, vals: Vals) => string | undefined;
  methods?: Record<string, MethodSpec>;
}

export type Vals = Record<string, unknown>;
export type Context = Record<string, unknown>;
export type Api = 'jsonrpc' | 'json2';

export interface Param {
  name: string;
  /** Absent: the parameter is required. */
  default?: unknown;
}

export interface MethodSpec {
  /** @api.model: no ids (JSON-2 refuses ids with 422). */
  model?: boolean;
  params: Param[];
  /** Python `**kwargs`; a string names the function that then rejects unknown keywords (search_read). */
  varKw?: boolean | string;
  fn: (env: Env, ids: number[], kw: Vals, model: string) => unknown;
}

export interface Store {
  tables: Record<string, Record<number, Row>>;
  nextId: Record<string, number>;
  sequences: Record<string, number>;
}

export interface Options {
  stockDelivery: boolean;
}

/** One call's view of the database: version, user, context, clock. */
export class Env {
  constructor(
    readonly db: Database,
    readonly ctx: Context,
    readonly api: Api,
  ) {}
  get version(): Version {
    return this.db.version;
  }
  get uid(): number {
    return this.db.uid;
  }
  withContext(extra: Context): Env {
    return new Env(this.db, { ...this.ctx, ...extra }, this.api);
  }
  /** UTC 'YYYY-MM-DD HH:MM:SS', second precision like Odoo's reads. */
  now(): string {
    return this.db.clock().toISOString().slice(0, 19).replace('T', ' ');
  }
  today(): string {
    return this.now().slice(0, 10);
  }
  model(name: string): ModelDef {
    return this.db.model(name);
  }
  row(model: string, id: number): Row | undefined {
    return this.db.store.tables[model]?.[id];
  }
  rows(model: string): Row[] {
    return Object.values(this.db.store.tables[model] ?? {});
  }
  /** Rows of `model` whose many2one `field` holds `id` (from the index: no scan of the table). */
  pointingAt(model: string, field: string, id: number): Row[] {
    return this.db.pointingAt(model, field, id);
  }
  /** Rows of `model` whose stored `field` holds exactly `value` (from an index). */
  rowsWithValue(model: string, field: string, value: unknown): Row[] {
    return this.db.rowsWithValue(model, field, value);
  }
  /** Internal value: many2one -> id | false, x2many -> ids, scalars as stored. */
  val(model: string, row: Row, field: string): unknown {
    return this.db.value(this, model, row, field);
  }
  ref(model: string, row: Row, field: string): Row | undefined {
    const id = this.val(model, row, field);
    const def = this.model(model).fields[field];
    return typeof id === 'number' && def?.relation ? this.row(def.relation, id) : undefined;
  }
  refs(model: string, row: Row, field: string): Row[] {
    const def = this.model(model).fields[field];
    const ids = this.val(model, row, field) as number[];
    return def?.relation ? ids.map((id) => this.row(def.relation!, id)).filter((r): r is Row => !!r) : [];
  }
  num(model: string, row: Row, field: string): number {
    return Number(this.val(model, row, field) || 0);
  }
  displayName(model: string, id: number): string {
    return this.db.displayName(this, model, id);
  }
  create(model: string, vals: Vals): number {
    return this.db.create(this, model, vals);
  }
  write(model: string, ids: number[], vals: Vals): void {
    this.db.write(this, model, ids, vals);
  }
  unlink(model: string, ids: number[]): void {
    this.db.unlink(this, model, ids);
  }
  search(model: string, domain: Domain, opts: SearchOpts = {}): number[] {
    return this.db.search(this, model, domain, opts);
  }
  /** Raw update of stored fields by business methods (state changes), stamping write_date. */
  patch(model: string, id: number, values: Vals): void {
    const row = this.row(model, id);
    if (!row) throw missingError(model, [id], this.uid);
    Object.assign(row, values, { write_date: this.now() });
  }
  nextSequence(key: string): number {
    const next = (this.db.store.sequences[key] ?? 0) + 1;
    this.db.store.sequences[key] = next;
    return next;
  }
}

export interface SearchOpts {
  offset?: number;
  limit?: number | null | false;
  order?: string | null | false;
}

const NUMERIC = new Set<FieldType>(['integer', 'float', 'monetary']);
const X2MANY = new Set<FieldType>(['one2many', 'many2many']);
const DATETIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}/;

export function isX2many(def: FieldDef | undefined): boolean {
  return !!def && X2MANY.has(def.type);
}

/**
 * Rows live behind a Proxy that sees every change, wherever it is made (the ORM, the business models'
 * own assignments): it keeps the many2one indexes and the undo log of the call in progress. A real
 * Odoo's cost per call does not grow with its tables (PostgreSQL's indexes); the double's must not
 * either, or a bench of thousands of orders measures the double. And a failed call is rolled back
 * by undoing its changes, not by copying the whole store before every call.
 */
export class Database {
  readonly store: Store;
  /** model -> many2one field -> target id -> the rows pointing at it. */
  private readonly refs = new Map<string, Map<string, Map<number, Set<Row>>>>();
  /** model -> scalar field -> value -> rows: made by the first search that can use it, then kept up to date. */
  private readonly values = new Map<string, Map<string, Map<unknown, Set<Row>>>>();
  private readonly handlers = new Map<string, ProxyHandler<Row>>();
  /** The undo log of the call in progress, newest last (undefined outside a call: seeding). */
  private undoLog: Array<() => void> | undefined;
  /** Work done once at the end of a call, keyed so a call asks for it once (Odoo's recompute before commit). */
  private atCallEnd = new Map<string, (env: Env) => void>();
  private counters: { nextId: Record<string, number>; sequences: Record<string, number> } | undefined;

  constructor(
    readonly version: Version,
    readonly registry: Map<string, ModelDef>,
    readonly uid: number,
    readonly clock: () => Date,
    readonly options: Options,
  ) {
    this.store = { tables: {}, nextId: {}, sequences: {} };
    for (const name of registry.keys()) this.store.tables[name] = {};
    for (const [name, def] of registry) {
      const indexed = new Map<string, Map<number, Set<Row>>>();
      for (const [field, f] of Object.entries(def.fields)) {
        if (f.type === 'many2one' && !f.compute && !f.delegatedTo) indexed.set(field, new Map());
      }
      this.refs.set(name, indexed);
    }
  }

  // ---- rows, indexes and the undo log ---------------------------------------------------------

  /** Adds a row to its table (create, seeding); returns the tracked row now stored. */
  insertRow(model: string, raw: Row): Row {
    const row = new Proxy(raw, this.handlerFor(model));
    this.store.tables[model]![row.id] = row;
    this.indexRow(model, row, 'add');
    this.undoLog?.push(() => this.removeRow(model, row.id, false));
    return row;
  }

  /** Takes a row out of its table (unlink). */
  removeRow(model: string, id: number, undoable = true): void {
    const row = this.store.tables[model]![id];
    if (!row) return;
    delete this.store.tables[model]![id];
    this.indexRow(model, row, 'delete');
    if (undoable) {
      this.undoLog?.push(() => {
        this.store.tables[model]![id] = row;
        this.indexRow(model, row, 'add');
      });
    }
  }

  pointingAt(model: string, field: string, id: number): Row[] {
    const index = this.refs.get(model)?.get(field);
    if (!index) return Object.values(this.store.tables[model] ?? {}).filter((r) => r[field] === id);
    // In id order, as a scan of the table gives them.
    return [...(index.get(id) ?? [])].sort((a, b) => a.id - b.id);
  }

  /** Rows of `model` whose stored `field` holds exactly `value` (an index made at the first ask). */
  rowsWithValue(model: string, field: string, value: unknown): Row[] {
    return [...(this.valueIndex(model, field).get(value) ?? [])].sort((a, b) => a.id - b.id);
  }

  /** Starts a call: its changes can be undone until `endCall`. */
  beginCall(): void {
    this.undoLog = [];
    this.counters = { nextId: { ...this.store.nextId }, sequences: { ...this.store.sequences } };
  }

  /** Runs `fn` once before the call ends (e.g. an invoice's tax lines, made once all its lines are in). */
  atEndOfCall(key: string, fn: (env: Env) => void): void {
    this.atCallEnd.set(key, fn);
  }

  /** The work asked for by atEndOfCall, inside the call (an error there rolls the call back). */
  finishCall(env: Env): void {
    while (this.atCallEnd.size) {
      const [key, fn] = this.atCallEnd.entries().next().value as [string, (env: Env) => void];
      this.atCallEnd.delete(key);
      fn(env);
    }
  }

  /** Ends the call; `rollback` undoes everything it changed (Odoo's transaction on an error). */
  endCall(rollback: boolean): void {
    this.atCallEnd.clear();
    const log = this.undoLog;
    const counters = this.counters;
    this.undoLog = undefined;
    this.counters = undefined;
    if (!rollback || !log || !counters) return;
    for (let i = log.length - 1; i >= 0; i--) log[i]!();
    Object.assign(this.store, { nextId: counters.nextId, sequences: counters.sequences });
  }

  private indexRow(model: string, row: Row, op: 'add' | 'delete'): void {
    for (const [field, index] of this.refs.get(model) ?? []) {
      const target = row[field];
      if (typeof target === 'number') bucketOp(index, target, row, op);
    }
    for (const [field, index] of this.values.get(model) ?? []) bucketOp(index, row[field], row, op);
  }

  /**
   * Rows that may match a domain with no '|' or '!': those of its most selective `field = value`
   * leaf on a stored field (search still applies the whole domain to them). Undefined: scan the table.
   */
  private candidates(model: string, domain: Domain): Row[] | undefined {
    if (domain.some((leaf) => typeof leaf === 'string' && leaf !== '&')) return undefined;
    let best: Row[] | undefined;
    for (const leaf of domain) {
      if (!Array.isArray(leaf) || leaf[1] !== '=' || typeof leaf[0] !== 'string' || leaf[0].includes('.')) continue;
      const [field, , value] = leaf as [string, string, unknown];
      const def = this.model(model).fields[field];
      if (!def || def.compute || def.delegatedTo) continue;
      let rows: Row[] | undefined;
      if (def.type === 'many2one' && typeof value === 'number') rows = this.pointingAt(model, field, value);
      else if (['char', 'selection', 'text'].includes(def.type) && typeof value === 'string' && value !== '') rows = this.rowsWithValue(model, field, value);
      else if (def.type === 'integer' && typeof value === 'number') rows = this.rowsWithValue(model, field, value);
      if (rows && (!best || rows.length < best.length)) best = rows;
    }
    return best;
  }

  private valueIndex(model: string, field: string): Map<unknown, Set<Row>> {
    let byField = this.values.get(model);
    if (!byField) this.values.set(model, (byField = new Map()));
    let index = byField.get(field);
    if (!index) {
      byField.set(field, (index = new Map()));
      for (const row of Object.values(this.store.tables[model] ?? {})) bucketOp(index, row[field], row, 'add');
    }
    return index;
  }

  private handlerFor(model: string): ProxyHandler<Row> {
    let handler = this.handlers.get(model);
    if (handler) return handler;
    const indexed = this.refs.get(model)!;
    const change = (raw: Row, proxy: Row, key: string, present: boolean, value: unknown, undoable: boolean) => {
      const had = Object.prototype.hasOwnProperty.call(raw, key);
      const old = raw[key];
      if (had === present && old === value) return;
      const index = indexed.get(key);
      if (index) {
        if (typeof old === 'number') bucketOp(index, old, proxy, 'delete');
        if (present && typeof value === 'number') bucketOp(index, value, proxy, 'add');
      }
      const byValue = this.values.get(model)?.get(key);
      if (byValue) {
        bucketOp(byValue, old, proxy, 'delete');
        if (present) bucketOp(byValue, value, proxy, 'add');
      }
      if (present) raw[key] = value;
      else delete raw[key];
      if (undoable) this.undoLog?.push(() => change(raw, proxy, key, had, old, false));
    };
    handler = {
      set: (raw, key, value, proxy) => {
        if (typeof key === 'symbol') return Reflect.set(raw, key, value);
        change(raw, proxy as Row, key, true, value, true);
        return true;
      },
      deleteProperty: (raw, key) => {
        if (typeof key === 'symbol') return Reflect.deleteProperty(raw, key);
        const proxy = this.store.tables[model]![raw.id];
        change(raw, proxy ?? raw, key, false, undefined, true);
        return true;
      },
    };
    this.handlers.set(model, handler);
    return handler;
  }

  model(name: string): ModelDef {
    const def = this.registry.get(name);
    if (!def) throw valueError(`Invalid model ${pyRepr(name)}`);
    return def;
  }

  field(model: string, name: string): FieldDef {
    const def = this.model(model).fields[name];
    if (!def) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model)}`);
    return def;
  }

  // ---- values -------------------------------------------------------------------------------

  value(env: Env, model: string, row: Row, field: string): unknown {
    if (field === 'id') return row.id;
    const def = this.field(model, field);
    if (def.delegatedTo) {
      const parentModel = this.model(model).inherits!.model;
      const parent = env.row(parentModel, row[def.delegatedTo] as number);
      return parent ? this.value(env, parentModel, parent, field) : emptyValue(def);
    }
    if (def.compute) return def.compute(env, row);
    if (def.type === 'one2many') {
      const children = this.pointingAt(def.relation!, def.inverse!, row.id);
      return this.sortRows(env, def.relation!, children).map((r) => r.id);
    }
    const v = row[field];
    if (def.type === 'many2many') return Array.isArray(v) ? [...v] : [];
    return v === undefined || v === null ? emptyValue(def) : v;
  }

  displayName(env: Env, model: string, id: number): string {
    const row = env.row(model, id);
    if (!row) return '';
    const def = this.model(model);
    if (def.displayName) return def.displayName(env, row);
    if (def.fields.name) {
      const name = this.value(env, model, row, 'name');
      return typeof name === 'string' ? name : '';
    }
    return `${model},${id}`;
  }

  /** The shape `read` returns (real 18 and 19): m2o [id, name] | false, x2many ids, empty -> false. */
  readValue(env: Env, model: string, row: Row, field: string, load: unknown): unknown {
    const def = field === 'id' ? undefined : this.field(model, field);
    const v = this.value(env, model, row, field);
    if (!def) return v;
    if (def.type === 'many2one') {
      if (typeof v !== 'number' || !env.row(def.relation!, v)) return false;
      return load === '_classic_read' ? [v, this.displayName(env, def.relation!, v)] : v;
    }
    if (X2MANY.has(def.type)) {
      const ids = v as number[];
      return def.type === 'many2many' ? this.sortRows(env, def.relation!, ids.map((i) => env.row(def.relation!, i)).filter((r): r is Row => !!r)).map((r) => r.id) : ids;
    }
    if (def.type === 'boolean') return !!v;
    if (NUMERIC.has(def.type)) return typeof v === 'number' ? v : 0;
    return v === '' && def.type !== 'char' && def.type !== 'text' ? false : v ?? false;
  }

  // ---- write path ---------------------------------------------------------------------------

  /** Checks and converts one value for storage (Odoo's convert_to_cache/column). */
  private convert(model: string, field: string, def: FieldDef, value: unknown): unknown {
    if (value === null || value === undefined || value === false) {
      return def.type === 'boolean' ? false : NUMERIC.has(def.type) ? 0 : false;
    }
    switch (def.type) {
      case 'many2one':
        if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          throw valueError(`Wrong value for ${model}.${field}: ${pyRepr(value)}`);
        }
        return value;
      case 'integer':
      case 'float':
      case 'monetary': {
        const n = Number(value);
        if (!Number.isFinite(n)) throw valueError(`could not convert string to float: ${pyRepr(value)}`);
        if (def.type === 'integer') return Math.trunc(n);
        return def.digits === undefined ? n : floatRound(n, def.digits);
      }
      case 'boolean':
        return !!value;
      case 'datetime': {
        const s = String(value);
        if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s} 00:00:00`;
        if (!DATETIME_RE.test(s)) throw valueError(`time data ${pyRepr(s)} does not match format '%Y-%m-%d %H:%M:%S'`);
        return s.slice(0, 19);
      }
      case 'date': {
        const s = String(value);
        if (!DATE_RE.test(s)) throw valueError(`time data ${pyRepr(s)} does not match format '%Y-%m-%d'`);
        return s.slice(0, 10);
      }
      case 'selection':
        if (def.selection && !def.selection.some(([k]) => k === value)) {
          throw valueError(`Wrong value for ${model}.${field}: ${pyRepr(value)}`);
        }
        return value;
      default:
        return typeof value === 'string' ? value : String(value);
    }
  }

  private checkFields(model: string, vals: Vals): void {
    const def = this.model(model);
    for (const key of Object.keys(vals)) {
      if (key === 'id') continue;
      if (!def.fields[key]) throw valueError(`Invalid field ${pyRepr(key)} on model ${pyRepr(model)}`);
    }
  }

  private defaultFor(env: Env, def: FieldDef, field: string): unknown {
    const key = `default_${field}`;
    if (key in env.ctx) return env.ctx[key];
    if (typeof def.default === 'function') return (def.default as (e: Env) => unknown)(env);
    return def.default;
  }

  create(env: Env, model: string, input: Vals): number {
    const def = this.model(model);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw valueError(`create() expects a dict of values, got ${pyRepr(input)}`);
    }
    this.checkFields(model, input);
    const vals: Vals = { ...input };
    delete vals.id;
    def.prepareCreate?.(env, vals);
    for (const [name, f] of Object.entries(def.fields)) {
      if (name in vals || f.compute || f.delegatedTo || f.type === 'one2many') continue;
      const d = this.defaultFor(env, f, name);
      if (d !== undefined) vals[name] = d;
    }
    // Fields reached through `inherits` go to the parent record, created first when absent.
    if (def.inherits) {
      const parentVals = takeDelegated(def, vals);
      const link = def.inherits.field;
      if (!vals[link]) {
        vals[link] = this.create(env.withContext({ _double_from_child: model }), def.inherits.model, parentVals);
      } else if (Object.keys(parentVals).length) {
        this.write(env, def.inherits.model, [vals[link] as number], parentVals);
      }
    }
    for (const [name, f] of Object.entries(def.fields)) {
      if (!f.required || f.compute || f.delegatedTo) continue;
      const v = vals[name];
      if (v === undefined || v === null || v === false || v === '') {
        throw validationError(def.requiredMessage?.(name, vals) ?? notNullMessage(def, name, f));
      }
    }
    const id = this.store.nextId[model] ?? 1;
    this.store.nextId[model] = id + 1;
    const now = env.now();
    const raw: Row = { id, create_date: now, write_date: now };
    const commands: Array<[string, FieldDef, unknown]> = [];
    for (const [name, v] of Object.entries(vals)) {
      const f = def.fields[name]!;
      if (X2MANY.has(f.type)) commands.push([name, f, v]);
      else if (f.compute) {
        if (f.inverseWrite) commands.push([name, f, v]);
      } else raw[name] = this.convert(model, name, f, v);
    }
    const row = this.insertRow(model, raw);
    for (const [name, f, v] of commands) {
      if (X2MANY.has(f.type)) this.applyCommands(env, model, row, name, f, v);
      else f.inverseWrite!(env, row, v);
    }
    def.afterCreate?.(env, row, vals);
    def.check?.(env, [row]);
    return id;
  }

  write(env: Env, model: string, ids: number[], input: Vals): void {
    const def = this.model(model);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw valueError(`write() expects a dict of values, got ${pyRepr(input)}`);
    }
    this.checkFields(model, input);
    const rows = this.existing(env, model, ids);
    const vals: Vals = { ...input };
    delete vals.id;
    const before = rows.map((r) => ({ ...r }));
    def.beforeWrite?.(env, rows, vals);
    if (def.inherits) {
      const parentVals = takeDelegated(def, vals);
      if (Object.keys(parentVals).length) {
        const parents = [...new Set(rows.map((r) => r[def.inherits!.field] as number))];
        this.write(env, def.inherits.model, parents, parentVals);
      }
    }
    const now = env.now();
    for (const row of rows) {
      for (const [name, v] of Object.entries(vals)) {
        const f = def.fields[name]!;
        if (X2MANY.has(f.type)) this.applyCommands(env, model, row, name, f, v);
        else if (f.compute) f.inverseWrite?.(env, row, v);
        else {
          const converted = this.convert(model, name, f, v);
          if (f.required && (converted === false || converted === '')) {
            throw validationError(def.requiredMessage?.(name, vals) ?? notNullMessage(def, name, f));
          }
          row[name] = converted;
        }
      }
      row.write_date = now;
    }
    def.afterWrite?.(env, rows, vals, before);
    def.check?.(env, rows);
  }

  unlink(env: Env, model: string, ids: number[]): void {
    const def = this.model(model);
    const rows = this.existing(env, model, ids);
    def.beforeUnlink?.(env, rows);
    const table = this.store.tables[model]!;
    for (const row of rows) {
      if (!table[row.id]) continue; // already removed by a cascade
      this.removeRow(model, row.id);
      for (const [otherName, other] of this.registry) {
        for (const [fname, f] of Object.entries(other.fields)) {
          if (f.relation !== model || f.compute || f.delegatedTo) continue;
          if (f.type === 'many2one') {
            const hits = this.pointingAt(otherName, fname, row.id);
            if (!hits.length) continue;
            if (f.ondelete === 'cascade') this.unlink(env, otherName, hits.map((r) => r.id));
            else if (f.ondelete === 'restrict') {
              throw validationError(
                `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${other.description} (${otherName})\nConstraint: ${otherName.replace(/\./g, '_')}_${fname}_fkey`,
              );
            } else for (const r of hits) r[fname] = false;
          } else if (f.type === 'many2many') {
            for (const r of Object.values(this.store.tables[otherName]!)) {
              if (Array.isArray(r[fname])) r[fname] = (r[fname] as number[]).filter((x) => x !== row.id);
            }
          }
        }
      }
      if (def.inherits) {
        const parentId = row[def.inherits.field] as number;
        const siblings = this.pointingAt(model, def.inherits.field, parentId).length > 0;
        if (!siblings && this.store.tables[def.inherits.model]![parentId]) this.unlink(env, def.inherits.model, [parentId]);
      }
    }
  }

  /** Rows for ids, MissingError naming the missing ones (write/unlink, as on a real 18). */
  existing(env: Env, model: string, ids: number[]): Row[] {
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !env.row(model, id));
    if (missing.length) throw missingError(model, missing, this.uid);
    return unique.map((id) => env.row(model, id)!);
  }

  /** x2many commands: 0 create, 1 update, 2 delete, 3 unlink, 4 link, 5 clear, 6 set (5 on move lines: docs/odoo.md#quirks-and-how-they-were-verified). */
  private applyCommands(env: Env, model: string, row: Row, field: string, f: FieldDef, value: unknown): void {
    if (value === false || value === null || value === undefined) return;
    if (!Array.isArray(value)) throw valueError(`Wrong value for ${model}.${field}: ${pyRepr(value)}`);
    const commands: unknown[][] = value.every((v) => typeof v === 'number') ? [[6, 0, value]] : (value as unknown[][]);
    const rel = f.relation!;
    const o2m = f.type === 'one2many';
    const inverseDef = o2m ? this.model(rel).fields[f.inverse!] : undefined;
    const current = (): number[] => this.value(env, model, row, field) as number[];
    const setM2m = (ids: number[]): void => {
      row[field] = [...new Set(ids)];
    };
    const detach = (id: number): void => {
      if (!o2m) return setM2m(current().filter((x) => x !== id));
      // o2m unlink: deletes only when the inverse many2one cascades (the stock.move.move_line_ids trap).
      if (inverseDef?.ondelete === 'cascade') this.unlink(env, rel, [id]);
      else this.write(env, rel, [id], { [f.inverse!]: false });
    };
    for (const cmd of commands) {
      if (!Array.isArray(cmd)) throw valueError(`Wrong value for ${model}.${field}: ${pyRepr(cmd)}`);
      const [op, id, vals] = cmd as [number, number, unknown];
      switch (op) {
        case 0: {
          const created = this.create(env, rel, o2m ? { ...(vals as Vals), [f.inverse!]: row.id } : (vals as Vals));
          if (!o2m) setM2m([...current(), created]);
          break;
        }
        case 1:
          this.write(env, rel, [id], vals as Vals);
          break;
        case 2:
          if (!o2m) setM2m(current().filter((x) => x !== id));
          this.unlink(env, rel, [id]);
          break;
        case 3:
          detach(id);
          break;
        case 4:
          if (o2m) this.write(env, rel, [id], { [f.inverse!]: row.id });
          else setM2m([...current(), id]);
          break;
        case 5:
          for (const child of current()) detach(child);
          break;
        case 6: {
          const wanted = (vals as number[]) ?? [];
          if (o2m) {
            for (const child of current()) if (!wanted.includes(child)) detach(child);
            for (const w of wanted) this.write(env, rel, [w], { [f.inverse!]: row.id });
          } else setM2m(wanted);
          break;
        }
        default:
          throw valueError(`Unknown command ${pyRepr(op)} for ${model}.${field}`);
      }
    }
  }

  // ---- read path ----------------------------------------------------------------------------

  search(env: Env, model: string, domain: Domain, opts: SearchOpts = {}): number[] {
    const def = this.model(model);
    const full: Domain = [...(domain ?? [])];
    const mentionsActive = full.some((leaf) => Array.isArray(leaf) && leaf[0] === 'active');
    if (def.fields.active && env.ctx.active_test !== false && !mentionsActive) full.unshift(['active', '=', true]);
    const match = compileDomain(env, model, full);
    const rows = this.sortRows(env, model, (this.candidates(model, full) ?? env.rows(model)).filter(match), opts.order || undefined);
    const offset = opts.offset ?? 0;
    const end = opts.limit ? offset + opts.limit : undefined;
    return rows.slice(offset, end).map((r) => r.id);
  }

  sortRows(env: Env, model: string, rows: Row[], order?: string): Row[] {
    const def = this.model(model);
    const terms = (order || def.order)
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => {
        const [name = 'id', dir = 'asc'] = t.split(/\s+/);
        if (name !== 'id' && !def.fields[name]) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model)}`);
        return { name, desc: dir.toLowerCase() === 'desc' };
      });
    const key = (row: Row, name: string): unknown => {
      const v = this.value(env, model, row, name);
      const f = def.fields[name];
      if (f?.type === 'many2one') return typeof v === 'number' ? this.displayName(env, f.relation!, v) : null;
      return v === false || v === '' ? null : v;
    };
    return [...rows].sort((a, b) => {
      for (const { name, desc } of terms) {
        const x = key(a, name);
        const y = key(b, name);
        if (x === y) continue;
        // PostgreSQL: NULLs sort last ascending, first descending.
        if (x === null) return desc ? -1 : 1;
        if (y === null) return desc ? 1 : -1;
        const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
        if (cmp) return desc ? -cmp : cmp;
      }
      return 0;
    });
  }

  read(env: Env, model: string, ids: number[], fields: string[] | null | undefined, load: unknown = '_classic_read'): Vals[] {
    const def = this.model(model);
    const names = fields && fields.length ? fields : Object.keys(def.fields);
    for (const n of names) if (n !== 'id') this.field(model, n);
    const seen = new Set<number>();
    const out: Vals[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const row = env.row(model, id);
      if (!row) continue; // read of missing ids gives [] (as on a real 18)
      const rec: Vals = { id };
      for (const n of names) if (n !== 'id') rec[n] = this.readValue(env, model, row, n, load);
      out.push(rec);
    }
    return out;
  }
}

function emptyValue(def: FieldDef): unknown {
  if (X2MANY.has(def.type)) return [];
  if (NUMERIC.has(def.type)) return 0;
  return false;
}

/** PostgreSQL NOT NULL violation as Odoo words it [KNOW: Odoo 18 odoo/service/model.py]. */
function notNullMessage(model: ModelDef, field: string, def: FieldDef): string {
  return (
    'The operation cannot be completed:\n' +
    '- Create/update: a mandatory field is not set.\n' +
    '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
    `Model: ${model.description} (${model.name})\nField: ${def.string} (${field})`
  );
}

/** Odoo's float_round (HALF-UP, with its epsilon so 2.675 -> 2.68): 3.125 at 2 digits is stored as 3.13. */
export function floatRound(value: number, digits: number): number {
  const factor = 10 ** -digits;
  const normalized = value / factor;
  if (normalized === 0) return 0;
  const epsilon = 2 ** (Math.log2(Math.abs(normalized)) - 52);
  const rounded = Math.sign(normalized) * Math.round(Math.abs(normalized) + epsilon);
  return Number((rounded * factor).toFixed(digits));
}

function bucketOp<K>(index: Map<K, Set<Row>>, target: K, row: Row, op: 'add' | 'delete'): void {
  let bucket = index.get(target);
  if (op === 'add') {
    if (!bucket) index.set(target, (bucket = new Set()));
    bucket.add(row);
  } else if (bucket) {
    bucket.delete(row);
    if (!bucket.size) index.delete(target);
  }
}

/** Moves the values of fields reached through `inherits` out of `vals`, into what it returns. */
function takeDelegated(def: ModelDef, vals: Vals): Vals {
  const parentVals: Vals = {};
  for (const [k, v] of Object.entries(vals)) {
    if (def.fields[k]?.delegatedTo) {
      parentVals[k] = v;
      delete vals[k];
    }
  }
  return parentVals;
}
