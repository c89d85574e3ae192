// What went wrong talking to Odoo, sorted the way the pipeline acts on it:
//   transient -> retry with backoff (network, timeouts, 5xx, serialization failures, lock contention)
//   business  -> a person must act (ValidationError, UserError, MissingError): reject, no retry
//   auth      -> credentials or access rights (AccessDenied, AccessError, 401/403)
//   protocol  -> our request or the server is not what we expect (unknown model/method, bad
//                arguments, not an Odoo): a configuration or code problem, retried like transient
//                so that a fixed configuration picks the document up again.
// Odoo's own exception name and message are kept; the debug traceback is kept off the message
// (it is long and may show server paths) but available as `debug`.
// Sources: NOTES.md §1.3 (JSON-RPC error envelope), §1.4 (JSON-2 statuses), both transcripts.

export type OdooErrorKind = 'transient' | 'business' | 'auth' | 'protocol';

export class OdooError extends Error {
  override name = 'OdooError';
  constructor(
    readonly kind: OdooErrorKind,
    message: string,
    readonly details: {
      /** Odoo's exception class, e.g. odoo.exceptions.ValidationError. */
      odooName?: string;
      /** Odoo's own message, unchanged. */
      odooMessage?: string;
      /** HTTP status, when the answer had one worth keeping. */
      status?: number;
      model?: string;
      method?: string;
      debug?: string;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isOdooError(error: unknown): error is OdooError {
  return error instanceof Error && error.name === 'OdooError' && 'kind' in error;
}

const BUSINESS = new Set([
  'odoo.exceptions.ValidationError',
  'odoo.exceptions.UserError',
  'odoo.exceptions.MissingError',
  'odoo.exceptions.RedirectWarning',
  'odoo.exceptions.except_orm',
]);
const AUTH = new Set(['odoo.exceptions.AccessDenied', 'odoo.exceptions.AccessError', 'werkzeug.exceptions.Unauthorized', 'werkzeug.exceptions.Forbidden']);

/** Exceptions that say "try again": Postgres concurrency errors (psycopg2 in 16-18, psycopg in 19) and Odoo's LockError. */
function isConcurrencyName(name: string): boolean {
  return /SerializationFailure|DeadlockDetected|LockNotAvailable|TransactionRollbackError|OperationalError|LockError|InterfaceError|PoolError/.test(name);
}

/** Messages Odoo gives a concurrency failure whatever the class (after its own 5 retries). */
const CONCURRENCY_MESSAGE = /could not serialize access|deadlock detected|could not obtain lock|concurrent update|lock timeout/i;

/**
 * An unknown model reaches JSON-RPC clients as a UserError ("Object x doesn't exist") although no
 * person can fix it by editing data: it is our configuration (a module not installed).
 */
const UNKNOWN_MODEL = /^Object \S+ doesn't exist$/;

/** The kind of a fault with this exception name, message and (JSON-2) HTTP status. */
export function kindOfFault(name: string, message: string, status?: number): OdooErrorKind {
  if (isConcurrencyName(name) || CONCURRENCY_MESSAGE.test(message) || status === 409 || status === 503 || status === 504 || status === 502) return 'transient';
  if (AUTH.has(name) || status === 401 || status === 403) return 'auth';
  if (UNKNOWN_MODEL.test(message)) return 'protocol';
  if (BUSINESS.has(name)) return 'business';
  if (status !== undefined && status >= 500) {
    // A 500 with a Python error class is a bug or a bad argument of ours, not an outage.
    return name.startsWith('builtins.') ? 'protocol' : 'transient';
  }
  return 'protocol';
}

/** The error fields both APIs use: JSON-RPC `error.data`, JSON-2's whole body. */
export interface OdooFault {
  name?: string;
  message?: string;
  arguments?: unknown[];
  debug?: string;
}

export function faultError(fault: OdooFault, where: { model?: string; method?: string; status?: number }): OdooError {
  const name = fault.name ?? 'unknown';
  const odooMessage = typeof fault.message === 'string' && fault.message ? fault.message : String(fault.arguments?.[0] ?? name);
  const kind = kindOfFault(name, odooMessage, where.status);
  const call = where.model ? ` (${where.model}.${where.method ?? '?'})` : '';
  const shortName = name.replace(/^odoo\.exceptions\.|^werkzeug\.exceptions\.|^builtins\./, '');
  return new OdooError(kind, `Odoo ${shortName}${call}: ${odooMessage}`, {
    odooName: name,
    odooMessage,
    ...(where.status !== undefined ? { status: where.status } : {}),
    ...(where.model ? { model: where.model } : {}),
    ...(where.method ? { method: where.method } : {}),
    ...(fault.debug ? { debug: fault.debug } : {}),
  });
}
