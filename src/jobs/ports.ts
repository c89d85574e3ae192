// The pipeline's ports: what it needs from the outside world, as interfaces. The Odoo issue
// implements PostingTarget; the recording target (recording-target.ts) is the default and the dry run.
import type { Tx } from '../store/conn.js';

/** A pino-compatible logger (a pino instance fits as is): structured details first, message second. */
export interface Logger {
  debug(details: object, message?: string): void;
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Says nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** What the post stage hands a target for one canonical document. */
export interface PostRequest {
  documentId: number;
  /** purchase_order, purchase_order_ack, ship_notice, invoice. */
  documentType: string;
  /** Same transaction, same key: see naturalKeyOf (post.ts). A target posts a key at most once. */
  naturalKey: string;
  partner: string;
  /** The canonical document (src/documents). */
  document: unknown;
  /** The X12 envelope it came in (src/documents/common.ts Envelope). */
  envelope: unknown;
  /**
   * The transaction in which the post stage records the document as 'posted'. A target that writes
   * to our own database (the recording target) writes there, so the ledger row and the state change
   * commit together; a remote target ignores it.
   */
  tx?: Tx;
}

/** What a target made of a document. */
export interface PostResult {
  /** The target's reference (e.g. 'sale.order/12 S00012'). */
  ref: string;
  /** One sentence for the document's timeline. */
  summary?: string;
  /** Line results, mismatches ...: kept on the timeline event. */
  details?: Record<string, unknown>;
}

export interface PostingTarget {
  readonly name: string;
  /** Posts one canonical document. Must be idempotent by naturalKey: a second call with the same key returns the
   *  first result. Throws TargetError with kind 'transient' | 'business' | 'auth'. */
  post(req: PostRequest): Promise<PostResult>;
}

/**
 * transient: try again later (network, 5xx, locks); business: a person must act (unknown product),
 * the document is rejected without retry; auth: credentials or permissions, retried like transient
 * (a person fixes the configuration, then the retries or a replay succeed).
 */
export type TargetErrorKind = 'transient' | 'business' | 'auth';

export class TargetError extends Error {
  override name = 'TargetError';
  constructor(
    readonly kind: TargetErrorKind,
    message: string,
    /** Shown in the timeline (e.g. the target's fault code). */
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTargetError(error: unknown): error is TargetError {
  return error instanceof Error && error.name === 'TargetError' && 'kind' in error;
}
