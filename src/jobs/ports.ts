// The pipeline's ports: what it needs from the outside world, as interfaces. The Odoo target
// (src/odoo/target.ts) fits PostingTarget; the recording target (recording-target.ts) is the default
// and the dry run. The composition root (src/runtime/) hands the pipeline its target.
import type { PostRequest } from '../documents/post-request.js';
import type { Tx } from '../store/conn.js';

export type { PostRequest } from '../documents/post-request.js';

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
  /**
   * What two postings must not race on (e.g. partner + document type + PO number: the target has no
   * unique key of its own there). The post stage never runs two postings of one business key at
   * once, in one process or across several. Default: the natural key.
   */
  businessKey?(req: PostRequest): string;
  /**
   * Posts one canonical document, with no database transaction open (a call may take long). Must be
   * idempotent: a repeat of the same document (after a crash between this call and the record)
   * finds what the first call made and returns the same result. Throws a GatewayError (TargetError)
   * whose retry policy decides: business rejects the document, the others retry it.
   */
  post(req: PostRequest): Promise<PostResult>;
  /**
   * Runs in the transaction that records documents as 'posted', with those whose claim still stood:
   * a target that writes to our own database (the recording target's ledger) writes there.
   */
  record?(tx: Tx, postings: ReadonlyArray<{ req: PostRequest; result: PostResult }>): Promise<void>;
}

export { TargetError, isTargetError, type TargetErrorKind } from '../errors/target-error.js';
