// What a transport needs of the gateway: its intake function (src/jobs/gateway.ts), resolving only
// after COMMIT and throwing IntakeError otherwise. Transports take this type, not the Gateway, so
// a test or a one-shot tool can hand in any function of the same shape.
import { createHash } from 'node:crypto';
import type { Tx } from '../../store/conn.js';
import type { Json } from '../../store/types.js';

export interface TransportIntakeInput {
  partner: string;
  channel: string;
  sourceName: string;
  bytes: Uint8Array;
  metadata?: Json;
  /** Runs in intake's own transaction before its commit (gateway intake); other intakes may ignore it. */
  inTransaction?: (tx: Tx, result: TransportIntakeResult) => Promise<void>;
  /** Larger than maxFileBytes and not downloaded (bytes empty): recorded as rejected, too large. */
  notDownloaded?: { size: number; identity: string; maxFileBytes: number };
  /**
   * Where and as what these bytes were read (path, size, mtime): the same bytes again under the same
   * identity are a re-read of a file not archived yet (a restart, a second watcher), not a resend.
   */
  sourceIdentity?: string;
}

export interface TransportIntakeResult {
  fileId: number;
  duplicate: boolean;
  /** A duplicate that is a re-read of the same source file (sourceIdentity): no receipt, no event. */
  reread?: boolean;
}

export type TransportIntake = (input: TransportIntakeInput) => Promise<TransportIntakeResult>;

/** The sha256 a file that was not downloaded is recorded under (one per listing identity). */
export function notDownloadedSha256(identity: string): string {
  return createHash('sha256').update(`not downloaded\u0000${identity}`).digest('hex');
}
