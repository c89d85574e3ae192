// The ORM methods every model answers over RPC, with the signatures of Odoo 18 / 19 (parameter names: docs/odoo.md#json-2).
import type { Domain } from '../domain.js';
import { valueError } from '../errors.js';
import type { Env, FieldDef, MethodSpec, Vals, Version } from '../orm.js';
import { escapeHtml } from './fields.js';

const asList = (v: unknown): number[] => (Array.isArray(v) ? (v as number[]) : []);

function searchOpts(kw: Vals) {
  return {
    offset: Number(kw.offset ?? 0) || 0,
    limit: (kw.limit as number | null) ?? null,
    order: (kw.order as string | null) ?? null,
  };
}

const FIELD_ATTRIBUTES = ['name', 'type', 'string', 'required', 'readonly', 'relation', 'relation_field', 'selection', 'store', 'digits'];

function describe(name: string, f: FieldDef): Vals {
  const d: Vals = { name, type: f.type, string: f.string, required: !!f.required, readonly: !!f.readonly || (!!f.compute && !f.inverseWrite), store: f.store ?? !f.compute };
  if (f.relation) d.relation = f.relation;
  if (f.inverse) d.relation_field = f.inverse;
  if (f.selection) d.selection = f.selection;
  if (f.digits !== undefined) d.digits = [16, f.digits];
  return d;
}

export function genericMethods(version: Version): Record<string, MethodSpec> {
  return {
    search: {
      model: true,
      params: [{ name: 'domain' }, { name: 'offset', default: 0 }, { name: 'limit', default: null }, { name: 'order', default: null }],
      fn: (env, _ids, kw, model) => env.search(model, kw.domain as Domain, searchOpts(kw)),
    },
    search_count: {
      model: true,
      params: [{ name: 'domain' }, { name: 'limit', default: null }],
      fn: (env, _ids, kw, model) => env.search(model, kw.domain as Domain, { limit: kw.limit as number | null }).length,
    },
    search_read: {
      model: true,
      params: [
        { name: 'domain', default: null },
        { name: 'fields', default: null },
        { name: 'offset', default: 0 },
        { name: 'limit', default: null },
        { name: 'order', default: null },
      ],
      varKw: 'BaseModel._read_format',
      fn: (env, _ids, kw, model) => {
        const ids = env.search(model, (kw.domain as Domain) ?? [], searchOpts(kw));
        return env.db.read(env, model, ids, kw.fields as string[] | null, 'load' in kw ? kw.load : '_classic_read');
      },
    },
    read: {
      params: [{ name: 'fields', default: null }, { name: 'load', default: '_classic_read' }],
      fn: (env, ids, kw, model) => env.db.read(env, model, ids, kw.fields as string[] | null, kw.load),
    },
    create: {
      model: true,
      params: [{ name: 'vals_list' }],
      fn: (env, _ids, kw, model) => {
        const list = Array.isArray(kw.vals_list) ? kw.vals_list : [kw.vals_list];
        return list.map((vals) => env.create(model, vals as Vals));
      },
    },
    // The web client's save (web module, 17+): create (no ids) or write, then web_read of the specification's fields;
    // many2one values without a sub-specification are bare ids.
    web_save: {
      params: [{ name: 'vals' }, { name: 'specification' }, { name: 'next_id', default: null }],
      fn: (env, ids, kw, model) => {
        let target = ids;
        if (ids.length) env.write(model, ids, kw.vals as Vals);
        else target = [env.create(model, kw.vals as Vals)];
        if (kw.next_id) target = [kw.next_id as number];
        const fields = Object.keys((kw.specification as Vals) ?? {});
        return env.db.read(env, model, target, fields.length ? fields : ['id'], null);
      },
    },
    write: {
      params: [{ name: 'vals' }],
      fn: (env, ids, kw, model) => {
        env.write(model, ids, kw.vals as Vals);
        return true;
      },
    },
    unlink: {
      params: [],
      fn: (env, ids, _kw, model) => {
        env.unlink(model, ids);
        return true;
      },
    },
    name_search: {
      model: true,
      params: [
        { name: 'name', default: '' },
        { name: version === 18 ? 'args' : 'domain', default: null },
        { name: 'operator', default: 'ilike' },
        { name: 'limit', default: 100 },
      ],
      fn: (env, _ids, kw, model) => {
        const extra = (kw[version === 18 ? 'args' : 'domain'] as Domain | null) ?? [];
        const name = String(kw.name ?? '');
        const fields = env.model(model).nameSearchFields ?? ['display_name'];
        const nameDomain: Domain = name
          ? [...fields.slice(1).map(() => '|'), ...fields.map((f) => [f, kw.operator ?? 'ilike', name])]
          : [];
        const ids = env.search(model, [...nameDomain, ...extra], { limit: (kw.limit as number) ?? 100 });
        return ids.map((id) => [id, env.displayName(model, id)]);
      },
    },
    fields_get: {
      model: true,
      params: [{ name: 'allfields', default: null }, { name: 'attributes', default: null }],
      fn: (env, _ids, kw, model) => {
        const def = env.model(model);
        const wanted = asList(kw.allfields).length ? (kw.allfields as string[]) : Object.keys(def.fields);
        const attrs = Array.isArray(kw.attributes) && kw.attributes.length ? (kw.attributes as string[]) : FIELD_ATTRIBUTES;
        const out: Vals = {};
        for (const name of wanted) {
          const f = def.fields[name];
          if (!f) continue; // Odoo skips unknown names in allfields
          const d = describe(name, f);
          out[name] = Object.fromEntries(attrs.filter((a) => a in d).map((a) => [a, d[a]]));
        }
        return out;
      },
    },
    default_get: {
      model: true,
      params: [{ name: version === 18 ? 'fields_list' : 'fields' }],
      fn: (env, _ids, kw, model) => {
        const def = env.model(model);
        const names = (kw[version === 18 ? 'fields_list' : 'fields'] as string[]) ?? [];
        const out: Vals = {};
        for (const name of names) {
          const f = def.fields[name];
          if (!f) continue;
          const key = `default_${name}`;
          const v = key in env.ctx ? env.ctx[key] : typeof f.default === 'function' ? (f.default as (e: Env) => unknown)(env) : f.default;
          if (v !== undefined) out[name] = v;
        }
        return out;
      },
    },
    exists: {
      params: [],
      fn: (env, ids, _kw, model) => ids.filter((id) => env.row(model, id)),
    },
  };
}

/** mail.thread's message_post on the documents the gateway annotates. */
export const messagePost: MethodSpec = {
  params: [
    { name: 'body', default: '' },
    { name: 'subject', default: null },
    { name: 'message_type', default: 'notification' },
    { name: 'subtype_xmlid', default: null },
    { name: 'partner_ids', default: null },
  ],
  varKw: true,
  fn: (env, ids, kw, model) => {
    if (ids.length !== 1) throw valueError(`Expected singleton: ${model}(${ids.join(', ')},)`);
    const id = ids[0]!;
    env.db.existing(env, model, [id]);
    // Without subtype_xmlid the subtype is Note, whatever message_type says [verified on real 18].
    const subtypeXmlid = (kw.subtype_xmlid as string | null) ?? 'mail.mt_note';
    const subtype = subtypeXmlid === 'mail.mt_comment' ? 1 : 2;
    // A str body is escaped by message_post (only Markup passes through), then the html field's
    // sanitizer wraps it in <p> and gives the quotes back; newlines stay \n [verified on real 18].
    const body = kw.body ? `<p>${escapeHtml(String(kw.body)).replace(/&quot;/g, '"').replace(/&#x27;/g, "'")}</p>` : '';
    const messageId = env.create('mail.message', {
      model,
      res_id: id,
      body,
      subject: kw.subject ?? false,
      message_type: kw.message_type ?? 'notification',
      subtype_id: subtype,
      author_id: 3,
      record_name: env.displayName(model, id),
    });
    // @api.returns('mail.message', lambda m: m.id): an int over JSON-RPC; JSON-2 turns recordsets into ids.
    return env.api === 'json2' ? [messageId] : messageId;
  },
};
