// Operational failures (a network call, a file, the database, a posting) carry a stable code of the
// one catalog, like findings do; what the pipeline does about one is the catalog's retry policy for
// that code, data rather than a class hierarchy.
import { catalog, type ErrorCode } from './catalog.js';
import type { CatalogEntry, RetryPolicy } from './types.js';

export type { RetryPolicy } from './types.js';

export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Kept on the timeline and in log lines (never secrets). */
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get policy(): RetryPolicy {
    return policyOfCode(this.code);
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  if (!(error instanceof Error) || !('details' in error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(catalog, code);
}

/** The catalog's policy for a code; a finding's code (no `retry`) is business: a person acts on it. */
export function policyOfCode(code: ErrorCode): RetryPolicy {
  const entry: CatalogEntry = catalog[code];
  return entry.retry ?? 'business';
}

/**
 * What to do about any error: a coded one by its policy; anything else (our bug, a dropped database
 * connection) is retried, so that nothing is given up on without a person seeing it fail.
 */
export function retryPolicyOf(error: unknown): RetryPolicy {
  return isGatewayError(error) ? error.policy : 'transient';
}

/**
 * The code of a failure as a field for log lines and timeline details: its own, else the first coded
 * cause (a control-flow signal wrapping one); nothing for an uncoded failure.
 */
export function codeField(error: unknown): { code?: ErrorCode } {
  for (let at = error, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    if (isGatewayError(at)) return { code: at.code };
  }
  return {};
}

/** An error's message for a log line or a timeline (anything thrown, not only Errors). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
