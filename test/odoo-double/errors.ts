// Exceptions as Odoo raises them: the Python class name that lands in `error.data.name` (JSON-RPC)
// or `name` (JSON-2), the message, the exception args, and the HTTP status JSON-2 gives it
// (docs/odoo.md#json-rpc, docs/odoo.md#json-2; captured-pairs.json).

export class OdooError extends Error {
  constructor(
    /** Python qualified class name, e.g. odoo.exceptions.UserError. */
    readonly pyName: string,
    message: string,
    /** JSON-2 status (Json2Dispatcher.handle_error). */
    readonly status: number,
    /** `arguments` in the payload; werkzeug exceptions carry [message, status]. */
    readonly args: unknown[] = [message],
  ) {
    super(message);
  }
}

export const userError = (message: string) => new OdooError('odoo.exceptions.UserError', message, 422);
export const validationError = (message: string) => new OdooError('odoo.exceptions.ValidationError', message, 422);
export const accessError = (message: string) => new OdooError('odoo.exceptions.AccessError', message, 403);
export const accessDenied = () => new OdooError('odoo.exceptions.AccessDenied', 'Access Denied', 403);
// Not captured for JSON-2: builtins other than the ones in the table answer 500 ("anything else" in docs/odoo.md#json-2).
export const valueError = (message: string) => new OdooError('builtins.ValueError', message, 500);
export const typeError = (message: string) => new OdooError('builtins.TypeError', message, 500);
export const attributeError = (message: string) => new OdooError('builtins.AttributeError', message, 500);

/** Python repr of a tuple of ids, as in "res.partner(999999,)" or "res.partner(1, 2)". */
export function idsRepr(ids: readonly number[]): string {
  return ids.length === 1 ? `(${ids[0]},)` : `(${ids.join(', ')})`;
}

export function missingError(model: string, ids: readonly number[], uid: number): OdooError {
  return new OdooError(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}${idsRepr(ids)}, User: ${uid})`,
    404,
  );
}

/** werkzeug HTTP exceptions as JSON-2 reports them: arguments = [message, status]. */
export function werkzeug(status: number, message: string): OdooError {
  const names: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    404: 'NotFound',
    422: 'UnprocessableEntity',
  };
  return new OdooError(`werkzeug.exceptions.${names[status] ?? 'InternalServerError'}`, message, status, [message, status]);
}

/** Python repr of a string: single quotes unless the text holds one. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/'/g, "\\'")}'`;
  if (value === false) return 'False';
  if (value === true) return 'True';
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return String(value);
}

/** A traceback-shaped `debug` text: clients log it, none should parse it. */
export function fakeTraceback(err: OdooError): string {
  return `Traceback (most recent call last):\n  File "odoo-double", line 1, in <module>\n${err.pyName}: ${err.message}\n`;
}
