// What a posting target (Odoo, the recording ledger) throws: one of three catalog codes, whose
// retry policy decides whether the post stage rejects the document or retries it.
import { GatewayError, isGatewayError } from './failure.js';

export type TargetErrorKind = 'transient' | 'business' | 'auth';

const CODE_OF_KIND = {
  transient: 'PIPELINE_TARGET_UNAVAILABLE',
  business: 'PIPELINE_TARGET_REJECTED',
  auth: 'PIPELINE_TARGET_AUTH',
} as const;

export class TargetError extends GatewayError {
  override name = 'TargetError';
  constructor(
    readonly kind: TargetErrorKind,
    message: string,
    /** Shown in the timeline (e.g. the target's fault code). */
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(CODE_OF_KIND[kind], message, details, options);
  }

  /**
   * A coded failure of a target (an Odoo fault, a master-data gap) as a TargetError: the catalog's
   * policy of its code picks the kind (protocol is retried like transient); its own code and
   * details stay in `details.failure` for the timeline. Anything else is returned as it is.
   */
  static from(error: unknown): unknown {
    if (!isGatewayError(error) || isTargetError(error)) return error;
    const policy = error.policy;
    const kind: TargetErrorKind = policy === 'business' || policy === 'auth' ? policy : 'transient';
    return new TargetError(kind, error.message, { failure: { code: error.code, ...error.details } }, { cause: error });
  }
}

export function isTargetError(error: unknown): error is TargetError {
  return error instanceof Error && error.name === 'TargetError' && 'kind' in error;
}
