// The Odoo automation rules that tell the gateway about outbound events (docs/odoo.md#webhooks):
// one rule per model that some partner's outbound document comes from, named "EDI gateway: <model>",
// with a "Send Webhook Notification" server action that posts only _id and _model to
// <public URL>/hooks/odoo/<ODOO_WEBHOOK_TOKEN>. installHooks makes Odoo match (idempotent: found by
// name, updated when different, created when missing); checkHooks says what is present, missing or
// different. Neither ever returns the token: URLs in what they say are masked.
//
// Why `on_create_or_write` with a before-update domain, not "State is set to" (on_state_set): an
// on_state_set rule takes one state value and, given a domain of its own, drops its state condition
// and fires on every save (docs/odoo.md#webhooks: four POSTs for one picking on 18). Here the
// before-update domain is the negation of the triggering state and the apply-on domain the state
// itself, so Odoo posts when a record reaches the state (or is created in it), not on later saves.
import type { Partner } from '../partners/types.js';
import { OUTBOUND_BUILDERS } from './builders/index.js';
import { sendersOf } from './builders/recipients.js';
import type { Builder, OutboundKind } from './builders/types.js';
import type { OdooClient, OdooRecord } from './client/client.js';
import { OdooError } from './client/errors.js';
import { loadOdooSchema } from './field-names.js';
import { idOf } from './postings/context.js';

export const RULE_PREFIX = 'EDI gateway: ';
export const HOOK_PATH = '/hooks/odoo/';
const TRIGGER = 'on_create_or_write';

/** What one rule must be in Odoo. */
export interface HookRule {
  /** "EDI gateway: <model>": how install and check find it. */
  name: string;
  model: string;
  /** The documents whose records it reports. */
  kinds: OutboundKind[];
  trigger: typeof TRIGGER;
  /** Python literals, as Odoo stores them. */
  filterDomain: string;
  filterPreDomain: string;
  /** The fields whose change makes Odoo look at the rule (those of the domain). */
  triggerFields: string[];
  /** The webhook's URL (it holds the token: never print it, see maskHookUrl). */
  url: string;
}

export type HookStatus = 'present' | 'missing' | 'different' | 'created' | 'updated' | 'unchanged';

export interface HookResult {
  name: string;
  model: string;
  kinds: OutboundKind[];
  status: HookStatus;
  /** What differs (check) or differed (install), in words; the token masked. */
  differences: string[];
}

export interface HookReport {
  /** The webhook URL with its token masked. */
  url: string;
  rules: HookResult[];
  /** Rules named "EDI gateway: ..." for a model no partner's document comes from now (left alone). */
  unused: string[];
}

export interface HookOptions {
  /** The gateway's webhook endpoint, token included (hookUrl). */
  url: string;
  /** The partners as loaded: a rule per model of the documents some partner sends. */
  partners: readonly Partner[];
  builders?: readonly Builder<OutboundKind>[];
}

// ---- URLs -------------------------------------------------------------------------------------

/** <public base URL>/hooks/odoo/<token>: the endpoint of src/http/odoo-hooks.ts. */
export function hookUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${HOOK_PATH}${encodeURIComponent(token)}`;
}

/** A URL safe to print: the token after /hooks/odoo/ masked; an URL of something else shows only its origin. */
export function maskHookUrl(url: string): string {
  const at = url.indexOf(HOOK_PATH);
  if (at >= 0) return `${url.slice(0, at)}${HOOK_PATH}***`;
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}

// ---- the rules, as data (pure) ------------------------------------------------------------------

/** Python's repr of a domain value: tuples for leaves, single-quoted strings, True/False/None. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(value)) {
    const inner = value.map(pyLiteral).join(', ');
    return isLeaf(value) ? `(${inner})` : `[${inner}]`;
  }
  throw new TypeError(`cannot write ${typeof value} in a domain`);
}

function isLeaf(value: unknown[]): boolean {
  return value.length === 3 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/** How many terms a prefix-notation domain holds at its top level (implicitly and-ed). */
function termCount(domain: readonly unknown[]): number {
  let i = 0;
  const term = (): void => {
    const item = domain[i++];
    if (item === '!') term();
    else if (item === '&' || item === '|') {
      term();
      term();
    }
  };
  let count = 0;
  while (i < domain.length) {
    term();
    count++;
  }
  return count;
}

/** The domain as one term: its implicit and made explicit. */
function asTerm(domain: readonly unknown[]): unknown[] {
  return [...Array<string>(Math.max(0, termCount(domain) - 1)).fill('&'), ...domain];
}

function anyOf(domains: readonly (readonly unknown[])[]): unknown[] {
  if (domains.length === 1) return [...domains[0]!];
  return [...Array<string>(domains.length - 1).fill('|'), ...domains.flatMap(asTerm)];
}

function fieldsOf(domain: readonly unknown[]): string[] {
  const names = domain.filter((d): d is unknown[] => Array.isArray(d) && typeof d[0] === 'string').map((d) => String(d[0]).split('.')[0]!);
  return [...new Set(names)].sort();
}

/** The rules for these documents (one per model; each with its triggering domain on this server), posting to `url`. */
export function hookRules(builders: ReadonlyArray<{ kind: OutboundKind; model: string; domain: unknown[] }>, url: string): HookRule[] {
  const byModel = new Map<string, Array<{ kind: OutboundKind; domain: unknown[] }>>();
  for (const b of builders) byModel.set(b.model, [...(byModel.get(b.model) ?? []), b]);
  return [...byModel].sort(([a], [b]) => a.localeCompare(b)).map(([model, list]) => {
    const domain = anyOf(list.map((b) => b.domain));
    return {
      name: `${RULE_PREFIX}${model}`,
      model,
      kinds: list.map((b) => b.kind),
      trigger: TRIGGER,
      filterDomain: pyLiteral(domain),
      filterPreDomain: pyLiteral(['!', ...asTerm(domain)]),
      triggerFields: fieldsOf(domain),
      url,
    };
  });
}

/**
 * A domain string reduced to what it means for comparison: whitespace outside strings dropped,
 * tuples as lists, strings in one quoting (Odoo's editor may rewrite what we stored).
 */
export function domainKey(text: string | false | null | undefined): string {
  if (!text) return '';
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== c; i++) s += text[i] === '\\' ? text[++i] ?? '' : text[i];
      out += JSON.stringify(s);
    } else if (c === '(') out += '[';
    else if (c === ')') out += ']';
    else if (!/\s/.test(c)) out += c;
  }
  return out.replace(/,\]/g, ']');
}

interface FoundRule {
  rule: OdooRecord;
  actions: OdooRecord[];
}

interface Ids {
  modelId: number;
  fieldIds: number[];
}

/** What differs between the rule Odoo has and the one we want, in words (token masked). */
export function ruleDifferences(wanted: HookRule, found: FoundRule, ids: Ids): string[] {
  const out: string[] = [];
  const { rule, actions } = found;
  if (rule['active'] === false) out.push('archived');
  if (idOf(rule['model_id']) !== ids.modelId) out.push(`model is not ${wanted.model}`);
  if (rule['trigger'] !== wanted.trigger) out.push(`trigger is ${String(rule['trigger'])}, not ${wanted.trigger}`);
  if (domainKey(rule['filter_domain'] as string) !== domainKey(wanted.filterDomain)) out.push(`filter_domain is ${String(rule['filter_domain'] || 'empty')}, not ${wanted.filterDomain}`);
  if (domainKey(rule['filter_pre_domain'] as string) !== domainKey(wanted.filterPreDomain)) out.push(`filter_pre_domain is ${String(rule['filter_pre_domain'] || 'empty')}, not ${wanted.filterPreDomain}`);
  if (!sameIds(rule['trigger_field_ids'], ids.fieldIds)) out.push(`trigger fields are not ${wanted.triggerFields.join(', ')}`);
  const webhooks = actions.filter((a) => a['state'] === 'webhook');
  if (webhooks.length === 0) out.push('no "Send Webhook Notification" action');
  const action = webhooks[0];
  if (action) {
    const url = String(action['webhook_url'] || '');
    if (url !== wanted.url) out.push(urlDifference(url, wanted.url));
    if (!sameIds(action['webhook_field_ids'], [])) out.push('the webhook sends record fields (it should send only _id and _model)');
    if (idOf(action['model_id']) !== ids.modelId) out.push(`the webhook action is not on ${wanted.model}`);
  }
  const others = actions.length - (action ? 1 : 0);
  if (others > 0) out.push(`${others} other action(s) on the rule`);
  return out;
}

function urlDifference(found: string, wanted: string): string {
  if (!found) return 'the webhook has no URL';
  const base = (u: string) => u.slice(0, u.indexOf(HOOK_PATH));
  if (found.includes(HOOK_PATH) && base(found) === base(wanted)) return 'the webhook URL carries another token (an older ODOO_WEBHOOK_TOKEN?)';
  return `the webhook posts to ${maskHookUrl(found)}, not ${maskHookUrl(wanted)}`;
}

function sameIds(value: unknown, ids: readonly number[]): boolean {
  const found = Array.isArray(value) ? [...(value as number[])].sort((a, b) => a - b) : [];
  const want = [...ids].sort((a, b) => a - b);
  return found.length === want.length && found.every((id, i) => id === want[i]);
}

// ---- Odoo ---------------------------------------------------------------------------------------

/** The rules this Odoo needs for the documents the partners send. */
export async function wantedRules(client: OdooClient, options: HookOptions): Promise<HookRule[]> {
  const builders = (options.builders ?? OUTBOUND_BUILDERS).filter((b) => sendersOf(options.partners, b.kind).length > 0);
  if (builders.length === 0) return [];
  const schema = await loadOdooSchema(client);
  return hookRules(builders.map((b) => ({ kind: b.kind, model: b.model, domain: b.triggerDomain(schema) })), options.url);
}

/** Creates or updates the rules; a second run changes nothing. */
export async function installHooks(client: OdooClient, options: HookOptions): Promise<HookReport> {
  const state = await readState(client, options);
  const rules: HookResult[] = [];
  for (const wanted of state.wanted) {
    const ids = state.idsOf(wanted);
    const found = state.found.get(wanted.name);
    const action = actionValues(wanted, ids.modelId);
    if (!found) {
      await client.create('base.automation', { ...ruleValues(wanted, ids), action_server_ids: [[0, 0, action]] });
      rules.push(result(wanted, 'created', []));
      continue;
    }
    const differences = ruleDifferences(wanted, found, ids);
    if (differences.length === 0) {
      rules.push(result(wanted, 'unchanged', []));
      continue;
    }
    // One write: the rule's fields together (a write of `trigger` alone would reset the domains
    // Odoo computes from it) and its actions: ours updated, any other on our rule removed.
    const keep = found.actions.find((a) => a['state'] === 'webhook');
    const commands = [
      ...(keep ? [[1, keep.id, action]] : [[0, 0, action]]),
      ...found.actions.filter((a) => a !== keep).map((a) => [2, a.id]),
    ];
    await client.write('base.automation', [found.rule.id], { ...ruleValues(wanted, ids), action_server_ids: commands }, { active_test: false });
    rules.push(result(wanted, 'updated', differences));
  }
  return { url: maskHookUrl(options.url), rules, unused: state.unused };
}

/** Which rules are present, missing or different; changes nothing. */
export async function checkHooks(client: OdooClient, options: HookOptions): Promise<HookReport> {
  const state = await readState(client, options);
  const rules = state.wanted.map((wanted) => {
    const found = state.found.get(wanted.name);
    if (!found) return result(wanted, 'missing', []);
    const differences = ruleDifferences(wanted, found, state.idsOf(wanted));
    return result(wanted, differences.length ? 'different' : 'present', differences);
  });
  return { url: maskHookUrl(options.url), rules, unused: state.unused };
}

function result(rule: HookRule, status: HookStatus, differences: string[]): HookResult {
  return { name: rule.name, model: rule.model, kinds: rule.kinds, status, differences };
}

function ruleValues(wanted: HookRule, ids: Ids): Record<string, unknown> {
  return {
    name: wanted.name,
    model_id: ids.modelId,
    trigger: wanted.trigger,
    filter_pre_domain: wanted.filterPreDomain,
    filter_domain: wanted.filterDomain,
    trigger_field_ids: [[6, 0, ids.fieldIds]],
    active: true,
  };
}

function actionValues(wanted: HookRule, modelId: number): Record<string, unknown> {
  return {
    name: wanted.name,
    model_id: modelId,
    usage: 'base_automation',
    state: 'webhook',
    webhook_url: wanted.url,
    // No fields: the body is only {_action, _id, _model}; the gateway re-reads the record anyway.
    webhook_field_ids: [[6, 0, []]],
  };
}

interface State {
  wanted: HookRule[];
  found: Map<string, FoundRule>;
  idsOf(rule: HookRule): Ids;
  unused: string[];
}

const RULE_FIELDS = ['name', 'model_id', 'trigger', 'filter_pre_domain', 'filter_domain', 'trigger_field_ids', 'action_server_ids', 'active'];
const ACTION_FIELDS = ['name', 'state', 'model_id', 'webhook_url', 'webhook_field_ids'];
const ALL = { active_test: false };

/** The wanted rules, what Odoo holds of them (archived ones too), and the ids they refer to. */
async function readState(client: OdooClient, options: HookOptions): Promise<State> {
  const wanted = await wantedRules(client, options);
  const models = wanted.map((r) => r.model);
  const irModels = await client.searchRead('ir.model', [['model', 'in', ['base.automation', ...models]]], { fields: ['model'] });
  if (!irModels.some((m) => m['model'] === 'base.automation')) {
    throw new OdooError('ODOO_UNKNOWN_MODEL', 'this Odoo has no automation rules (base.automation): install the module "Automation Rules" (base_automation) in Apps, then run edi odoo hooks install again', { model: 'base.automation' });
  }
  const modelIds = new Map(irModels.map((m) => [String(m['model']), m.id]));
  const missingModel = models.find((m) => !modelIds.has(m));
  if (missingModel) throw new OdooError('ODOO_UNKNOWN_MODEL', `this Odoo has no model ${missingModel}: install its module`, { model: missingModel });
  const fieldNames = [...new Set(wanted.flatMap((r) => r.triggerFields))];
  const fields = fieldNames.length ? await client.searchRead('ir.model.fields', [['model', 'in', models], ['name', 'in', fieldNames]], { fields: ['model', 'name'] }) : [];
  const fieldId = (model: string, name: string) => {
    const f = fields.find((x) => x['model'] === model && x['name'] === name);
    if (!f) throw new OdooError('ODOO_UNEXPECTED_ANSWER', `this Odoo has no field ${model}.${name} (ir.model.fields)`, { model });
    return f.id;
  };

  const existing = await client.searchRead('base.automation', [['name', '=like', `${RULE_PREFIX}%`]], { fields: RULE_FIELDS, context: ALL });
  const actionIds = existing.flatMap((r) => (r['action_server_ids'] as number[] | undefined) ?? []);
  const actions = actionIds.length ? await client.read('ir.actions.server', actionIds, ACTION_FIELDS, ALL) : [];
  const found = new Map<string, FoundRule>();
  for (const rule of existing) {
    const name = String(rule['name']);
    // Two rules of one name (a copy made by hand): the first found is the one kept up to date.
    if (found.has(name)) continue;
    const own = new Set((rule['action_server_ids'] as number[] | undefined) ?? []);
    found.set(name, { rule, actions: actions.filter((a) => own.has(a.id)) });
  }
  const wantedNames = new Set(wanted.map((r) => r.name));
  return {
    wanted,
    found,
    idsOf: (rule) => ({ modelId: modelIds.get(rule.model)!, fieldIds: rule.triggerFields.map((f) => fieldId(rule.model, f)) }),
    unused: [...found.keys()].filter((n) => !wantedNames.has(n)).sort(),
  };
}
