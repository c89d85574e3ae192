// Intake: the one function every transport calls. The bytes, their receipt, the file's first event
// and its split job commit in ONE transaction; only then does intake resolve, and only then may the
// transport archive or delete its source. Files that cannot be X12 at all (0 bytes, blank, too
// large) are kept and rejected here with a clear reason; everything else is the split stage's call.
import { createHash } from 'node:crypto';
import { GatewayError } from '../errors/failure.js';
import { metrics } from '../logging/metrics.js';
import { notDownloadedSha256 } from '../transports/common/intake.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { addEvent } from '../store/events-repo.js';
import { storeFile } from '../store/files-repo.js';
import type { FileState, Json } from '../store/types.js';
import { messageOf, type PipelineContext } from './context.js';
import { maxFileBytesFor } from './partner-settings.js';

export interface IntakeInput {
  /** Partner code (later partners/<code>.yaml). */
  partner: string;
  /** How the bytes came: 'folder', 'sftp', 'as2', 'cli', ... */
  channel: string;
  /** File name at the source, for people. */
  sourceName: string;
  bytes: Uint8Array;
  metadata?: Json;
  /**
   * Runs inside intake's transaction, after the file is stored, before the commit: a transport
   * records what it took (the SFTP poller's remote_files row) atomically with the file, so a crash
   * after the commit cannot make it take the same file again. A throw rolls the intake back.
   */
  inTransaction?: (tx: Tx, result: { fileId: number; duplicate: boolean }) => Promise<void>;
  /**
   * The transport did not download the file because it is larger than maxFileBytes (`bytes` is
   * empty): it is recorded as rejected (too large) with this size. Its sha256 is then one of
   * `identity` (e.g. mailbox, name, size, mtime), since its bytes were never read.
   */
  notDownloaded?: { size: number; identity: string; maxFileBytes: number };
  /** Where the bytes were read (path, size, mtime): the same bytes under the same identity again are our own re-read, not a resend. */
  sourceIdentity?: string;
}

export interface IntakeResult {
  fileId: number;
  /** The partner sent these bytes before: only a receipt was added, nothing is processed again. */
  duplicate: boolean;
  /**
   * A duplicate that is our own re-read of a file not archived yet (a restart between commit and
   * archive, two watchers on one folder): no receipt and no event, it is not the partner's resend.
   */
  reread?: boolean;
  receiptId: number;
  /** The file's state after intake: 'received' (queued for split) or 'rejected' (0 bytes, blank, too large). */
  state: FileState;
  /** Why the file was rejected at intake. */
  reason?: string;
}

/** Thrown when intake could not commit (PIPELINE_INTAKE_FAILED): the transport must keep its source file and try again later. */
export class IntakeError extends GatewayError {
  override name = 'IntakeError';
  constructor(message: string, details: { partner: string; sourceName: string }, options?: { cause?: unknown }) {
    super('PIPELINE_INTAKE_FAILED', message, details, options);
  }
}

export async function intake(ctx: Pick<PipelineContext, 'db' | 'queue' | 'log' | 'maxFileBytes' | 'partners' | 'ack'>, input: IntakeInput): Promise<IntakeResult> {
  const { bytes, notDownloaded } = input;
  const sha256 = notDownloaded ? notDownloadedSha256(notDownloaded.identity) : createHash('sha256').update(bytes).digest('hex');
  const size = notDownloaded?.size ?? bytes.length;
  // A file the transport did not download is judged by the limit it applied.
  const verdict = judge(bytes, notDownloaded?.maxFileBytes ?? maxFileBytesFor(ctx, input.partner), size);
  try {
    const result = await withTransaction(ctx.db, async (tx) => {
      const stored = await storeFile(tx, {
        partner: input.partner,
        channel: input.channel,
        sourceName: input.sourceName,
        sha256,
        // An oversized file is kept as a record (name, size, hash) without its bytes.
        bytes: verdict?.tooLarge ? new Uint8Array(0) : bytes,
        size,
        ...(notDownloaded
          ? { metadata: { ...objectOf(input.metadata), notDownloaded: true, sha256Of: 'the listing, not the bytes' } }
          : input.metadata ? { metadata: input.metadata } : {}),
        ...(verdict ? { state: 'rejected' as const, reason: verdict.reason } : {}),
        ...(input.sourceIdentity ? { sourceIdentity: input.sourceIdentity } : {}),
      });
      const { file, receipt, duplicate } = stored;
      if (stored.reread) {
        // Nothing new happened: the partner sent once, we read twice.
      } else if (duplicate) {
        await addEvent(tx, {
          fileId: file.id, stage: 'intake', actor: 'system',
          message: `the same bytes arrived again as ${input.sourceName} (${input.channel}): duplicate receipt, not processed again`,
          details: { receiptId: receipt.id, sourceName: input.sourceName, channel: input.channel },
        });
      } else {
        await addEvent(tx, {
          fileId: file.id, stage: 'intake', actor: 'system', toState: file.state,
          message: verdict ? `rejected: ${verdict.reason}` : `received ${input.sourceName} (${size} bytes) from ${input.partner} by ${input.channel}`,
          details: { receiptId: receipt.id, size, sha256, ...(verdict ? { code: verdict.code } : {}) },
        });
        if (file.state === 'received') await ctx.queue.enqueue(tx, [{ stage: 'split', fileId: file.id }]);
      }
      await input.inTransaction?.(tx, { fileId: file.id, duplicate });
      return {
        fileId: file.id,
        duplicate,
        ...(stored.reread ? { reread: true } : {}),
        receiptId: receipt.id,
        state: file.state,
        ...(file.reason ? { reason: file.reason } : {}),
      } satisfies IntakeResult;
    });
    if (!result.duplicate && !result.reread) metrics().fileReceived(input.partner, input.channel);
    ctx.log.info({ ...result, partner: input.partner, sourceName: input.sourceName }, result.reread ? 'file read again before it was archived: already received' : result.duplicate ? 'duplicate receipt' : 'file received');
    return result;
  } catch (error) {
    throw new IntakeError(`intake of ${input.sourceName} from ${input.partner} failed, nothing was stored: ${messageOf(error)}`, { partner: input.partner, sourceName: input.sourceName }, { cause: error });
  }
}

/** The transport's metadata when it is an object (to add to it), else nothing. */
function objectOf(metadata: Json | undefined): Record<string, Json> {
  return metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? (metadata as Record<string, Json>) : {};
}

/** File-level verdicts that need no X12 reading. */
function judge(bytes: Uint8Array, max: number, size = bytes.length): { code: string; reason: string; tooLarge?: boolean } | undefined {
  if (size > max) {
    return { code: 'PIPELINE_FILE_TOO_LARGE', reason: `the file is ${size} bytes, more than the maximum of ${max} bytes [PIPELINE_FILE_TOO_LARGE]`, tooLarge: true };
  }
  if (bytes.length === 0) return { code: 'X12_EMPTY_FILE', reason: 'the file is empty (0 bytes) [X12_EMPTY_FILE]' };
  if (isBlank(bytes)) return { code: 'X12_EMPTY_FILE', reason: `the file holds only white space (${bytes.length} bytes) [X12_EMPTY_FILE]` };
  return undefined;
}

/** White space, NUL, Ctrl-Z and a UTF-8 byte-order mark only (what the X12 reader also calls empty). */
function isBlank(bytes: Uint8Array): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (!(b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0x00 || b === 0x1a)) return false;
  }
  return true;
}
