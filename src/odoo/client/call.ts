// One ORM call, described once and sent by either API: named parameters as in the Python method
// (JSON-2 requires names: docs/odoo.md#json-2), turned into execute_kw's positional args where the method
// needs them (JSON-RPC: create must get its vals_list positionally, call_kw looks at args[0]).

export interface OdooCall {
  model: string;
  method: string;
  /** The records a method works on (write, read, action_confirm, message_post ...); absent for @api.model methods. */
  ids?: readonly number[];
  /** The method's named parameters: domain, fields, limit, order, vals_list, vals, body ... */
  params?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

/** An external API of Odoo: JSON-RPC (16-19) or JSON-2 (19+). */
export interface OdooApi {
  readonly kind: 'jsonrpc' | 'json2';
  /** The method's return value; undefined when it returns None. */
  execute(call: OdooCall): Promise<unknown>;
}

/** Parameters execute_kw gets positionally, in order, per method; all others go as keyword arguments. */
const POSITIONAL: Readonly<Record<string, readonly string[]>> = {
  search: ['domain'],
  search_read: ['domain'],
  search_count: ['domain'],
  create: ['vals_list'],
  write: ['vals'],
  read: ['fields'],
  load: ['fields', 'data'],
};

/** execute_kw's `args` and `kwargs` for a call. */
export function executeKwArguments(call: OdooCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const params = { ...call.params };
  const args: unknown[] = call.ids ? [[...call.ids]] : [];
  for (const name of POSITIONAL[call.method] ?? []) {
    if (!(name in params)) break;
    args.push(params[name]);
    delete params[name];
  }
  const kwargs: Record<string, unknown> = { ...params };
  if (call.context) kwargs['context'] = call.context;
  return { args, kwargs };
}

/** The JSON-2 body for a call: ids, context and the named parameters. */
export function json2Body(call: OdooCall): Record<string, unknown> {
  return {
    ...(call.ids ? { ids: [...call.ids] } : {}),
    ...(call.context ? { context: call.context } : {}),
    ...call.params,
  };
}
