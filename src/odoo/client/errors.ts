// What went wrong talking to Odoo, as a code of the error catalog (src/errors/codes/odoo.ts) whose
// retry policy is what the pipeline does about it:
//   transient -> retry with backoff (ODOO_UNREACHABLE, ODOO_TIMEOUT, ODOO_SERVER_ERROR, ODOO_CONCURRENCY)
//   business  -> a person must act (ODOO_REFUSED: ValidationError, UserError, MissingError): reject, no retry
//   auth      -> credentials or access rights (ODOO_ACCESS_DENIED: AccessDenied, AccessError, 401/403)
//   protocol  -> our request or the server is not what we expect (ODOO_UNKNOWN_MODEL, ODOO_UNEXPECTED_ANSWER):
//                a configuration or code problem, retried like transient so that a fixed
//                configuration picks the document up again.
// Odoo's own exception name and message are kept; the debug traceback is kept off the message and
// the details (it is long and may show server paths) but available as `debug`.
// See docs/odoo.md#errors-and-what-the-pipeline-does; the wire shapes: docs/odoo.md#json-rpc, docs/odoo.md#json-2.
import type { OdooCode } from '../../errors/codes/odoo.js';
import { GatewayError, type RetryPolicy } from '../../errors/failure.js';

export type OdooErrorKind = RetryPolicy;

/** What an OdooError keeps for the timeline and log lines (never the key). */
export type OdooErrorDetails = {
  /** Odoo's exception class, e.g. odoo.exceptions.ValidationError. */
  odooName?: string;
  /** Odoo's own message, unchanged. */
  odooMessage?: string;
  /** HTTP status, when the answer had one worth keeping. */
  status?: number;
  model?: string;
  method?: string;
};

export class OdooError extends GatewayError {
  override name = 'OdooError';
  declare readonly code: OdooCode;
  declare readonly details: OdooErrorDetails;
  constructor(
    code: OdooCode,
    message: string,
    details: OdooErrorDetails = {},
    options?: { cause?: unknown; debug?: string },
  ) {
    super(code, message, details, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.debug) this.debug = options.debug;
  }

  /** Odoo's traceback, when it sent one. */
  readonly debug?: string;

  /** What the pipeline does about it: the catalog's policy of the code. */
  get kind(): OdooErrorKind {
    return this.policy;
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
 * An unknown model reaches JSON-RPC clients as a UserError ("Object x doesn't exist"), JSON-2 ones as
 * a NotFound, an unknown method as an AttributeError; no person can fix either by editing data: it
 * is our configuration (a module not installed).
 */
const UNKNOWN_MODEL = /^Object \S+ doesn't exist$|^the model '[^']+' does not exist|^The method '[^']+' does not exist/;

/** The code of a fault with this exception name, message and (JSON-2) HTTP status. */
export function codeOfFault(name: string, message: string, status?: number): OdooCode {
  if (isConcurrencyName(name) || CONCURRENCY_MESSAGE.test(message) || status === 409) return 'ODOO_CONCURRENCY';
  if (status === 502 || status === 503 || status === 504) return 'ODOO_SERVER_ERROR';
  if (AUTH.has(name) || status === 401 || status === 403) return 'ODOO_ACCESS_DENIED';
  if (UNKNOWN_MODEL.test(message)) return 'ODOO_UNKNOWN_MODEL';
  if (BUSINESS.has(name)) return 'ODOO_REFUSED';
  if (status !== undefined && status >= 500) {
    // A 500 with a Python error class is a bug or a bad argument of ours, not an outage.
    return name.startsWith('builtins.') ? 'ODOO_UNEXPECTED_ANSWER' : 'ODOO_SERVER_ERROR';
  }
  return 'ODOO_UNEXPECTED_ANSWER';
}

/** The code of an HTTP answer that is not a fault of Odoo's: a proxy's 5xx or 429 passes, anything else is not Odoo as we know it. */
export function codeOfStatus(status: number): OdooCode {
  return status >= 500 || status === 429 ? 'ODOO_SERVER_ERROR' : 'ODOO_UNEXPECTED_ANSWER';
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
  const code = codeOfFault(name, odooMessage, where.status);
  const call = where.model ? ` (${where.model}.${where.method ?? '?'})` : '';
  const shortName = name.replace(/^odoo\.exceptions\.|^werkzeug\.exceptions\.|^builtins\./, '');
  const details: OdooErrorDetails = {
    odooName: name,
    odooMessage,
    ...(where.status !== undefined ? { status: where.status } : {}),
    ...(where.model ? { model: where.model } : {}),
    ...(where.method ? { method: where.method } : {}),
  };
  return new OdooError(code, `Odoo ${shortName}${call}: ${odooMessage}`, details, fault.debug ? { debug: fault.debug } : undefined);
}
