// What every stage handler works with: the database, the job queue, the target, the settings.
import type { AckPolicy } from '../acks/policy.js';
import type { AckIdentity } from '../acks/respond.js';
import type { PartnerDirectory } from '../partners/types.js';
import type { Database } from '../store/database.js';
import type { Interchange } from '../x12/model.js';
import type { Logger } from '../logging/logger.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Rehearse } from './dry-run.js';
import type { PostingTarget } from './ports.js';
import type { PostingSettings } from './posting-settings.js';
import type { JobQueue } from './queues.js';
import { messageOf } from '../errors/failure.js';
export { messageOf } from '../errors/failure.js';

export interface PipelineContext {
  readonly db: Database;
  readonly queue: JobQueue;
  readonly log: Logger;
  readonly target: PostingTarget;
  readonly maxFileBytes: number;
  /** Defaults for partners without a partner file (see partner-settings.ts). */
  readonly ack: { policy: AckPolicy; identity: AckIdentity | ((ic: Interchange) => AckIdentity) };
  /** partners/*.yaml (src/partners); absent: every partner gets the defaults above. */
  readonly partners?: PartnerDirectory;
  readonly now: () => Date;
  /** Leases, calls in flight, retries of the post stage and the sweep; default postingSettings(). */
  readonly posting?: PostingSettings;
  /** The circuit breaker in front of `target` (this process's own); absent: every document is called. */
  readonly breaker?: CircuitBreaker;
  /** Bytes of a file the split and validate stages read at a time (file-slices.ts); default 1 MiB. */
  readonly sliceBytes?: number;
  /** Dry runs of postings (dry-run.ts), for test partners' documents (test-partner.ts); absent: no Odoo to rehearse against. */
  readonly rehearse?: Rehearse;
}

export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;


/** A failure as it crosses the job boundary (pg-boss job output): data, not a class instance. */
export function failureOf(error: unknown): { message: string; code?: string } {
  const message = messageOf(error);
  // A coded failure's catalog code (a TargetError's PIPELINE_TARGET_*); else node-postgres SQLSTATEs
  // (40001 serialization, 40P01 deadlock, 57P01 shutdown) and errno codes (ECONNREFUSED).
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}
