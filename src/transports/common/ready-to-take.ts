// When a file that was read may go to intake, for every intake path (local folders, the drop folder,
// SFTP mailboxes). Partners do write files in place, in chunks, without a temporary name, so a file
// that stood still for a moment may still be unfinished:
// - a file whose X12 is complete (the last interchange closed by its IEA) is taken at once;
// - one that looks unfinished waits until it has not changed for the whole stability window
//   (`stableMs`, the partner's stableSeconds), then is taken whatever it holds, so a broken file is
//   still received and rejected with its reason instead of waiting forever.
// See docs/reliability.md#half-written-files.
//
//   const verdict = readyToTake(bytes, { unchangedForMs: unchangedSince(mtimeMs), stableMs: 5000 });
//   // { ready: true } | { ready: false, waitMs: 3200, why: 'the file does not end with a segment terminator' }
import { x12Completeness } from '../../x12/completeness.js';

export type TakeVerdict = { ready: true } | { ready: false; waitMs: number; why: string };

/** How long the file has not changed: by our own looks (SFTP: the server's clock may differ), or by its mtime on a local disk. */
export interface Unchanged {
  unchangedForMs: number;
  stableMs: number;
}

export function readyToTake(bytes: Uint8Array, file: Unchanged): TakeVerdict {
  const waitMs = msUntilSettled(file);
  if (waitMs === 0) return { ready: true };
  const verdict = x12Completeness(bytes);
  return verdict.complete ? { ready: true } : { ready: false, waitMs, why: verdict.why };
}

/** How long until the file has stood still for the whole window (0: it has; the archive step waits for that). */
export function msUntilSettled(file: Unchanged): number {
  return Math.max(0, Math.ceil(file.stableMs - file.unchangedForMs));
}

/**
 * A local file's time unchanged, from its mtime. An mtime in the future (a clock set wrong, a copy
 * that kept it) says nothing about a writer at work now: it counts as settled.
 */
export function unchangedSince(mtimeMs: number, nowMs = Date.now()): number {
  return mtimeMs > nowMs + 1000 ? Number.POSITIVE_INFINITY : Math.max(0, nowMs - mtimeMs);
}
