// Automation rules and their webhook actions (base_automation installed), with the model and field
// registry they point at (ir.model, ir.model.fields, ir.model.fields.selection), as real 18 and 19
// answered over RPC (captured creating and reading rules on real 18 and 19; docs/odoo.md#webhooks).
// Rules are stored and read back; the double does not run them (no POST when a record changes).
import { randomUUID } from 'node:crypto';
import { validationError } from '../errors.js';
import type { Database, Env, ModelDef, Row, Version } from '../orm.js';
import { bool, char, datetime, html, int, m2m, m2o, o2m, only, selection, text } from './fields.js';

/** base.automation's triggers (18's selection [Odoo 18's base_automation.py]; 19 **assumed** the same). */
const TRIGGERS: Array<[string, string]> = [
  ['on_stage_set', 'Stage is set to'], ['on_user_set', 'User is set'], ['on_tag_set', 'Tag is added'],
  ['on_state_set', 'State is set to'], ['on_priority_set', 'Priority is set to'], ['on_archive', 'On archived'],
  ['on_unarchive', 'On unarchived'], ['on_create_or_write', 'On save'], ['on_create', 'On creation'],
  ['on_write', 'On update'], ['on_unlink', 'On deletion'], ['on_change', 'On UI change'],
  ['on_time', 'Based on date field'], ['on_time_created', 'After creation'], ['on_time_updated', 'After last update'],
  ['on_message_received', 'On incoming message'], ['on_message_sent', 'On outgoing message'], ['on_webhook', 'On webhook'],
];

/** ir.actions.server states with base, mail and base_automation installed: 'webhook' verified on 18 and 19, 19 adds object_copy [verified on real 18 and 19]; other labels [KNOW]. */
function actionStates(v: Version): Array<[string, string]> {
  return [
    ['object_write', 'Update Record'], ['object_create', 'Create Record'], ...only19<[string, string]>(v, [['object_copy', 'Duplicate Record']]),
    ['code', 'Execute Code'], ['webhook', 'Send Webhook Notification'], ['multi', 'Execute Existing Actions'],
    ['mail_post', 'Send Email'], ['followers', 'Add Followers'], ['remove_followers', 'Remove Followers'], ['next_activity', 'Create Activity'],
  ];
}

const only19 = <T>(v: Version, items: T[]): T[] => (v === 19 ? items : []);

const TTYPES: Array<[string, string]> = [
  'binary', 'boolean', 'char', 'date', 'datetime', 'float', 'html', 'integer', 'json', 'many2many', 'many2one',
  'many2one_reference', 'monetary', 'one2many', 'properties', 'reference', 'selection', 'text',
].map((t) => [t, t]);

/** Field names a domain string names (its leaves' first elements), as Odoo finds them for trigger_field_ids. */
function domainFieldNames(domain: unknown): string[] {
  if (typeof domain !== 'string') return [];
  const names = [...domain.matchAll(/[([]\s*(['"])([a-z]\w*)(?:\.[.\w]*)?\1\s*,/g)].map((m) => m[2]!);
  return [...new Set(names)];
}

function fieldIds(env: Env, modelId: unknown, names: string[]): number[] {
  if (typeof modelId !== 'number' || !names.length) return [];
  return env.pointingAt('ir.model.fields', 'model_id', modelId).filter((f) => names.includes(String(f.name))).map((f) => f.id);
}

export function automationModels(v: Version): ModelDef[] {
  const states = actionStates(v);
  return [
    {
      name: 'ir.model',
      description: 'Models',
      order: 'model',
      fields: {
        name: char('Model Description', { required: true }),
        model: char('Model', { required: true }),
        order: char('Order', { default: 'id' }),
        info: text('Information'),
        state: selection('Type', [['manual', 'Custom Object'], ['base', 'Base Object']], { default: 'manual' }),
        transient: bool('Transient Model', { default: false }),
        is_mail_thread: bool('Has Mail Thread', { default: false }),
        field_id: o2m('ir.model.fields', 'model_id', 'Fields'),
      },
    },
    {
      name: 'ir.model.fields',
      description: 'Fields',
      order: 'name',
      // As chatter shows them: "Status (Sales Order)" [captured on real 18].
      displayName: (env, r) => `${String(r.field_description)} (${env.displayName('ir.model', r.model_id as number)})`,
      fields: {
        name: char('Field Name', { required: true }),
        model: char('Model Name', { required: true }),
        model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
        field_description: char('Field Label', { required: true }),
        ttype: selection('Field Type', TTYPES, { required: true }),
        relation: char('Related Model'),
        relation_field: char('Relation Field'),
        required: bool('Required', { default: false }),
        readonly: bool('Readonly', { default: false }),
        store: bool('Stored', { default: true }),
        index: bool('Indexed', { default: false }),
        copied: bool('Copied', { default: false }),
        help: text('Field Help'),
        state: selection('Type', [['manual', 'Custom Field'], ['base', 'Base Field']], { default: 'manual' }),
        selection_ids: o2m('ir.model.fields.selection', 'field_id', 'Selection Options'),
      },
    },
    {
      name: 'ir.model.fields.selection',
      description: 'Fields Selection',
      order: 'sequence, id',
      fields: {
        field_id: m2o('ir.model.fields', 'Field', { required: true, ondelete: 'cascade' }),
        value: char('Value', { required: true }),
        name: char('Name', { required: true }),
        sequence: int('Sequence', { default: 1000 }),
      },
    },
    {
      name: 'ir.actions.server',
      description: 'Server Actions',
      order: 'sequence,name',
      fields: {
        name: char('Action Name', { required: true }),
        type: char('Action Type', { default: 'ir.actions.server' }),
        usage: selection('Usage', [['ir_actions_server', 'Server Action'], ['ir_cron', 'Scheduled Action'], ['base_automation', 'Automation Rule']], { default: 'ir_actions_server', required: true }),
        state: selection('Type', states, { default: 'object_write', required: true }),
        sequence: int('Sequence', { default: 5 }),
        model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
        model_name: char('Model Name', { compute: (env, r) => modelOf(env, r.model_id) }),
        binding_model_id: m2o('ir.model', 'Binding Model', { ondelete: 'cascade' }),
        code: text('Python Code'),
        webhook_url: char('Webhook URL'),
        webhook_field_ids: m2m('ir.model.fields', 'Webhook Fields'),
        webhook_sample_payload: text('Sample Payload', { compute: samplePayload }),
        base_automation_id: m2o('base.automation', 'Automation Rule', { ondelete: 'cascade' }),
        // 18: child_ids many2many; 19: one2many on parent_id (fields_get of real 18 and 19 diffed).
        ...(v === 18
          ? { child_ids: m2m('ir.actions.server', 'Child Actions') }
          : { parent_id: m2o('ir.actions.server', 'Parent Action', { ondelete: 'cascade' }), child_ids: o2m('ir.actions.server', 'parent_id', 'Child Actions') }),
      },
      // Actions made through a rule's action_server_ids get the field's context default_usage.
      prepareCreate: (_env, vals) => {
        if (vals.base_automation_id && vals.usage === undefined) vals.usage = 'base_automation';
      },
      // 18 names an automation's webhook action after its type whatever name was given (captured:
      // created "POST picking to EDI gateway", read back "Send Webhook Notification" on real 18); 19 keeps it.
      afterCreate: (_env, row) => {
        if (v === 18) forceName(row, states);
      },
      afterWrite: (_env, rows) => {
        if (v === 18) rows.forEach((r) => forceName(r, states));
      },
    },
    {
      name: 'base.automation',
      description: 'Automation Rule',
      order: 'id',
      fields: {
        name: char('Automation Rule Name', { required: true }),
        description: html('Description'),
        model_id: m2o('ir.model', 'Model', { required: true, ondelete: 'cascade' }),
        model_name: char('Model Name', { compute: (env, r) => modelOf(env, r.model_id) }),
        action_server_ids: o2m('ir.actions.server', 'base_automation_id', 'Actions'),
        url: char('Url', { compute: (_env, r) => (r.trigger === 'on_webhook' ? `http://localhost:8069/web/hook/${String(r.webhook_uuid)}` : '') }),
        webhook_uuid: char('Webhook UUID', { readonly: true, default: () => randomUUID() }),
        record_getter: char('Record Getter', { default: "model.env[payload.get('_model')].browse(int(payload.get('_id')))" }),
        log_webhook_calls: bool('Log Calls', { default: false }),
        active: bool('Active', { default: true }),
        trigger: selection('Trigger', TRIGGERS, { required: true }),
        trg_selection_field_id: m2o('ir.model.fields.selection', 'Trigger Field'),
        trg_date_id: m2o('ir.model.fields', 'Trigger Date'),
        trg_date_range: int('Delay after trigger date'),
        trg_date_range_type: selection('Delay type', [['minutes', 'Minutes'], ['hour', 'Hours'], ['day', 'Days'], ['month', 'Months']]),
        ...only(v, 19, { trg_date_range_mode: selection('Delay mode', [['after', 'After'], ['before', 'Before']]) }),
        filter_pre_domain: char('Before Update Domain'),
        filter_domain: char('Apply on'),
        last_run: datetime('Last Run', { readonly: true }),
        on_change_field_ids: m2m('ir.model.fields', 'On Change Fields Trigger'),
        trigger_field_ids: m2m('ir.model.fields', 'Trigger Fields'),
      },
      afterCreate: (env, row, vals) => computeRule(env, row, vals),
      beforeWrite: (_env, _rows, vals) => {
        // _compute_filter_pre_domain depends on trigger: a new trigger without a before-update
        // domain in the same write clears it (except on_tag_set) [Odoo 18's base_automation.py].
        if ('trigger' in vals && !('filter_pre_domain' in vals) && vals.trigger !== 'on_tag_set') vals.filter_pre_domain = false;
      },
      afterWrite: (env, rows, vals) => rows.forEach((r) => computeRule(env, r, vals)),
      // _check_action_server_model [Odoo 18's base_automation.py]
      check: (env, rows) => {
        for (const rule of rows) {
          const failing = env.pointingAt('ir.actions.server', 'base_automation_id', rule.id).filter((a) => a.model_id !== rule.model_id);
          if (failing.length) throw validationError(`Target model of actions ${failing.map((a) => String(a.name)).join(', ')} are different from rule model.`);
        }
      },
    },
  ];
}

/** On save: trigger_field_ids gains the fields of filter_domain unless given (_compute_trigger_field_ids, 18). */
function computeRule(env: Env, row: Row, vals: Record<string, unknown>): void {
  if ('trigger_field_ids' in vals || !('filter_domain' in vals || 'trigger' in vals) || row.trigger !== 'on_create_or_write') return;
  const current = Array.isArray(row.trigger_field_ids) ? (row.trigger_field_ids as number[]) : [];
  row.trigger_field_ids = [...new Set([...current, ...fieldIds(env, row.model_id, domainFieldNames(row.filter_domain))])];
}

function forceName(row: Row, states: Array<[string, string]>): void {
  if (row.usage !== 'base_automation') return;
  const label = states.find(([k]) => k === row.state)?.[1];
  if (label && row.name !== label) row.name = label;
}

function modelOf(env: Env, modelId: unknown): string | false {
  const m = typeof modelId === 'number' ? env.row('ir.model', modelId) : undefined;
  return m ? String(m.model) : false;
}

/** webhook_sample_payload: the first record's selected fields with _model and _name (key `_name`, unlike the real POST's `_action` [captured on real 18]). */
function samplePayload(env: Env, row: Row): string | false {
  if (row.state !== 'webhook') return false;
  const model = modelOf(env, row.model_id);
  if (!model) return false;
  const [first] = env.search(model, [], { limit: 1 });
  const payload: Record<string, unknown> = { _model: model, _name: row.name, id: first ?? 1 };
  const record = first ? env.row(model, first) : undefined;
  for (const f of env.refs('ir.actions.server', row, 'webhook_field_ids')) {
    payload[String(f.name)] = record ? env.val(model, record, String(f.name)) : false;
  }
  return JSON.stringify(Object.fromEntries(Object.entries(payload).sort(([a], [b]) => (a < b ? -1 : 1))), null, 4);
}

/**
 * One ir.model per model of the double and one ir.model.fields per field (with its selection
 * values), as a fresh database lists its installed models; ids are the double's own.
 */
export function seedModelRegistry(db: Database, stamp: string): void {
  const dates = { create_date: stamp, write_date: stamp };
  let modelId = 0;
  let fieldId = 0;
  let selectionId = 0;
  for (const [name, def] of db.registry) {
    const mid = ++modelId;
    db.insertRow('ir.model', { id: mid, name: def.description, model: name, state: 'base', transient: false, is_mail_thread: !!def.methods?.message_post, order: def.order, ...dates });
    const fields = { id: { type: 'integer', string: 'ID' }, ...def.fields } as ModelDef['fields'];
    for (const [fname, f] of Object.entries(fields)) {
      const fid = ++fieldId;
      db.insertRow('ir.model.fields', {
        id: fid, name: fname, model: name, model_id: mid, field_description: f.string, ttype: f.type,
        relation: f.relation ?? false, relation_field: f.inverse ?? false, required: !!f.required, readonly: !!f.readonly,
        store: !f.compute, state: 'base', ...dates,
      });
      for (const [i, [value, label]] of (f.selection ?? []).entries()) {
        db.insertRow('ir.model.fields.selection', { id: ++selectionId, field_id: fid, value, name: label, sequence: i, ...dates });
      }
    }
  }
}
