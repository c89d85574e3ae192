// Taking one file from a local inbound folder: read it, check it did not change while we read it and
// that it is finished (readyToTake: complete X12 at once, anything else only once it stood still for
// the stability window), hand the bytes to intake, and only after intake resolved (COMMIT) archive it
// (move / delete) or remember it (leave). Shared by the polling scanner and the chokidar watcher,
// which serve the partner folders and the drop folder of `edi start` alike.
//
// The archive step waits until the file has not changed for the stability window, and checks that
// the file is still the one that was stored before moving it and that the archived bytes are the
// stored ones after: a writer that goes on writing after we took the file (no temporary name, an
// open handle) changes the file in the folder, which is then taken again, never archived half-read
// (docs/reliability.md#half-written-files).
//
//   const taker = createFolderTaker({ partner: 'acme', folder, archive: { action: 'move', folder: archiveDir },
//                                     intake, memory: memoryOnly(), log });
//   const outcome = await taker.take('po-1.edi');     // TakenFile | Unfinished | 'failed' | 'changed' | 'gone' | 'known' | 'busy' | 'skipped'
//
// Never lose a file: intake throwing leaves the file where it is ('failed'; the next scan retries).
// Never take one twice: a failed archive step is logged loudly and the file remembered, so the next
// scans retry only the archive step.
import { silentLogger, type Logger } from '../../logging/logger.js';
import { createHash } from 'node:crypto';
import { lstat, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchivePolicy } from '../../partners/types.js';
import { notDownloadedSha256, type TransportIntake, type TransportIntakeResult } from '../common/intake.js';
import { safeFileName } from '../common/names.js';
import { msUntilSettled, readyToTake, unchangedSince } from '../common/ready-to-take.js';
import { archiveLocalFile } from './archive.js';
import type { FileIdentity, FileMemory } from './memory.js';
import { messageOf } from '../../errors/failure.js';
export { messageOf } from '../../errors/failure.js';


export interface FolderTakerOptions {
  partner: string;
  /** Absolute (or cwd-relative) inbound folder. */
  folder: string;
  archive: ArchivePolicy;
  intake: TransportIntake;
  memory: FileMemory;
  /** Recorded with the file. Default 'folder'. */
  channel?: string;
  log?: Logger;
  /** Take FILE only when FILE.done exists; the marker is deleted after the file was committed and archived. */
  doneMarker?: boolean;
  /** The partner's maxFileBytes: a larger file is never read, only recorded rejected (too large) and archived. */
  maxFileBytes?: number;
  /**
   * The stability window (the partner's stableSeconds): a file that does not look like finished X12
   * is taken only once it has not changed this long, and no file is archived before. Default 5000.
   */
  stableMs?: number;
  /** Clock for the archive names (tests). */
  now?: () => Date;
}

export interface TakenFile {
  /** The name in the folder, as it is (may hold control characters: see metadata.originalName). */
  name: string;
  sha256: string;
  fileId: number;
  duplicate: boolean;
  /** Where the file went; null when it was not moved: deleted, left, moved by another process, or the move failed (then `archiveFailed`). */
  archivedAs: string | null;
  /** Committed but the archive step failed: remembered, the step is retried at the next scans. */
  archiveFailed?: boolean;
  /** Committed by an earlier attempt: only the archive step ran now. */
  earlier?: boolean;
  /** Committed, and archived once the file stood still for the stability window: in this many ms. */
  archiveDueInMs?: number;
  /** The same file (name, size, mtime) was received before: a re-read of ours, not a partner's resend. */
  reread?: boolean;
}

/** Read, but it does not look finished and changed within the stability window: looked at again in `waitMs`. */
export interface Unfinished {
  unfinished: true;
  waitMs: number;
  why: string;
}

export type TakeOutcome =
  | TakenFile
  | Unfinished
  /** Not read or intake failed: the file stays, a later scan tries again. */
  | 'failed'
  /** Changed while we looked: taken once stable. */
  | 'changed'
  /** No longer there (another process took it). */
  | 'gone'
  /** Left in place earlier (archive action 'leave') and unchanged since. */
  | 'known'
  /** Being taken right now by another caller. */
  | 'busy'
  /** doneMarker: its FILE.done marker is not there yet. */
  | 'waiting'
  /** Not a regular file (folder, symlink, socket): never taken. */
  | 'skipped';

export interface FolderTaker {
  /** `expected`: the size and mtime a stability check saw; a file that differs now is 'changed'. */
  take(name: string, expected?: { size: number; mtimeMs: number }): Promise<TakeOutcome>;
  /** Resolves when no take is in progress. */
  idle(): Promise<void>;
  readonly busy: number;
}

const NOT_ARCHIVED =
  'FILE COMMITTED BUT NOT ARCHIVED: it stays in the folder; it will not be received twice, the archive step is retried at each scan';

const noLog: Logger = silentLogger;

/** Whether an outcome is a file handed to intake (now or earlier). */
export function isTaken(outcome: TakeOutcome): outcome is TakenFile {
  return typeof outcome === 'object' && !('unfinished' in outcome);
}

export function createFolderTaker(options: FolderTakerOptions): FolderTaker {
  const log = options.log ?? noLog;
  const stableMs = options.stableMs ?? 5000;
  // Files whose archive step waits for the window (not failed): their retake is routine, not a warning.
  const waiting = new Set<string>();
  const channel = options.channel ?? 'folder';
  const now = options.now ?? (() => new Date());
  const { memory, archive } = options;
  const inFlight = new Map<string, Promise<TakeOutcome>>();

  async function takeOnce(name: string, expected?: { size: number; mtimeMs: number }): Promise<TakeOutcome> {
    const path = join(options.folder, name);
    const before = await lstat(path).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (before instanceof Error) {
      if (before.code === 'ENOENT') return 'gone';
      log.error({ file: name, error: before.message }, 'cannot look at a file in the folder; it stays and is retried');
      return 'failed';
    }
    // A symlink could point anywhere (/etc/shadow): only regular files are partners' files.
    if (!before.isFile()) return 'skipped';
    if (expected && (expected.size !== before.size || expected.mtimeMs !== before.mtimeMs)) return 'changed';
    if (options.doneMarker && !(await exists(`${path}.done`))) return 'waiting';
    const identity: FileIdentity = { name, size: before.size, mtimeMs: before.mtimeMs };
    const known = memory.get(identity);
    if (known?.state === 'remembered') return 'known';
    if (known) {
      if (!waiting.has(keyOf(identity))) log.warn({ file: name, fileId: known.fileId }, 'file committed before; retrying only its archive step');
      return finish(path, identity, { sha256: known.sha256, fileId: known.fileId ?? 0, duplicate: false }, true);
    }

    if (options.maxFileBytes !== undefined && before.size > options.maxFileBytes) return takeTooLarge(path, identity, options.maxFileBytes);

    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      log.error({ file: name, error: messageOf(error) }, 'cannot read a file in the folder; it stays and is retried');
      return 'failed';
    }
    // A writer that came back while we read: take it once it is stable again.
    const after = await lstat(path).catch(() => undefined);
    if (!after) return 'gone';
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || bytes.length !== before.size) return 'changed';
    const verdict = readyToTake(bytes, { unchangedForMs: unchangedSince(before.mtimeMs), stableMs });
    if (!verdict.ready) {
      log.debug({ file: name, bytes: bytes.length, why: verdict.why, waitMs: verdict.waitMs }, 'the file does not look finished yet; waiting for the stability window');
      return { unfinished: true, waitMs: verdict.waitMs, why: verdict.why };
    }

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let stored: TransportIntakeResult;
    try {
      stored = await options.intake({
        partner: options.partner,
        channel,
        // The name as people see it; the exact one (control characters and all) is in the metadata.
        sourceName: safeFileName(name),
        bytes,
        metadata: {
          originalName: name,
          path,
          folder: options.folder,
          size: bytes.length,
          mtime: new Date(before.mtimeMs).toISOString(),
        },
        sourceIdentity: sourceIdentityOf(path, identity),
      });
    } catch (error) {
      log.error({ file: name, error: messageOf(error) }, 'intake failed; the file stays in the folder and is retried');
      return 'failed';
    }
    const reread = stored.reread === true;
    log.info(
      { file: name, fileId: stored.fileId, duplicate: stored.duplicate, bytes: bytes.length },
      reread ? 'already received (the same file read again before it was archived)' : stored.duplicate ? 'received again (duplicate receipt)' : 'received',
    );
    return finish(path, identity, { sha256, fileId: stored.fileId, duplicate: stored.duplicate, ...(reread ? { reread } : {}) }, false);
  }

  /** A file over maxFileBytes, as the SFTP poller does: intake records it from its size alone (never read into memory). */
  async function takeTooLarge(path: string, identity: FileIdentity, maxFileBytes: number): Promise<TakeOutcome> {
    const sourceIdentity = sourceIdentityOf(path, identity);
    let stored: TransportIntakeResult;
    try {
      stored = await options.intake({
        partner: options.partner, channel, sourceName: safeFileName(identity.name), bytes: new Uint8Array(0),
        metadata: { originalName: identity.name, path, folder: options.folder, size: identity.size, mtime: new Date(identity.mtimeMs).toISOString() },
        sourceIdentity,
        notDownloaded: { size: identity.size, identity: sourceIdentity, maxFileBytes },
      });
    } catch (error) {
      log.error({ file: identity.name, error: messageOf(error) }, 'intake failed; the file stays in the folder and is retried');
      return 'failed';
    }
    log.error({ file: identity.name, size: identity.size, maxFileBytes }, 'file larger than maxFileBytes: not read; recorded as rejected and archived');
    return finish(path, identity, { sha256: notDownloadedSha256(sourceIdentity), fileId: stored.fileId, duplicate: stored.duplicate }, false);
  }

  /** The step after COMMIT: archive per policy (once the file stood still long enough, verified), or remember. Never throws. */
  async function finish(
    path: string,
    file: FileIdentity,
    stored: { sha256: string; fileId: number; duplicate: boolean; reread?: boolean },
    earlier: boolean,
  ): Promise<TakenFile | 'changed'> {
    const taken: TakenFile = { name: file.name, ...stored, archivedAs: null, ...(earlier ? { earlier } : {}) };
    const entry = { sha256: stored.sha256, fileId: stored.fileId || null };
    const key = keyOf(file);
    if (archive.action === 'leave') {
      await memory.remember(file, { ...entry, state: 'remembered' }).catch((error: unknown) =>
        log.error({ file: file.name, error: messageOf(error) }, 'file left in place but its record could not be stored: a restart takes it again (a duplicate receipt)'),
      );
      await removeMarker(path);
      return taken;
    }
    const dueMs = msUntilSettled({ unchangedForMs: unchangedSince(file.mtimeMs), stableMs });
    if (dueMs > 0) {
      // Committed; it stays (remembered, so it is not taken again) until it stood still for the window.
      waiting.add(key);
      taken.archiveDueInMs = dueMs;
      // Remembered once: a later look before the window ran out (earlier) finds it remembered already.
      if (!earlier) {
        await memory.remember(file, { ...entry, state: 'ingested' }).catch((error: unknown) =>
          log.warn({ file: file.name, error: messageOf(error) }, 'cannot store the record of the committed file: only this process remembers it'),
        );
      }
      return taken;
    }
    waiting.delete(key);
    // Still the file that was stored? A writer that went on since is taken again, never archived.
    const current = await lstat(path).catch(() => undefined);
    if (current && (current.size !== file.size || Math.trunc(current.mtimeMs) !== Math.trunc(file.mtimeMs))) {
      log.warn({ file: file.name, fileId: stored.fileId, storedBytes: file.size, nowBytes: current.size }, 'the file changed after it was received: not archived, taken again once it is finished');
      await memory.forget(file).catch(() => undefined);
      return 'changed';
    }
    try {
      const outcome = await archiveLocalFile(path, file.name, archive, now());
      if ('movedTo' in outcome) {
        taken.archivedAs = outcome.movedTo;
        if (!(await archivedAsStored(outcome.movedTo, path, file, stored))) return 'changed';
      }
      if ('gone' in outcome) log.info({ file: file.name }, 'the file was archived by another process');
    } catch (error) {
      taken.archiveFailed = true;
      log.error({ file: file.name, fileId: stored.fileId, sha256: stored.sha256, archive, error: messageOf(error) }, NOT_ARCHIVED);
      await memory.remember(file, { ...entry, state: 'ingested' }).catch((memoryError: unknown) =>
        log.error({ file: file.name, error: messageOf(memoryError) }, 'cannot store the record of the committed file: only this process remembers it'),
      );
      return taken;
    }
    if (earlier) {
      await memory.forget(file).catch((error: unknown) => log.warn({ file: file.name, error: messageOf(error) }, 'archived, but its record could not be removed'));
    }
    await removeMarker(path);
    return taken;
  }

  /**
   * The archived copy must hold the stored bytes. If a writer changed the file in the moment between
   * the check and the move, the copy goes back into the folder (taken again) when its name is free;
   * otherwise it stays in the archive and a person is told where.
   */
  async function archivedAsStored(archived: string, path: string, file: FileIdentity, stored: { sha256: string; fileId: number }): Promise<boolean> {
    // A file over maxFileBytes was never read (its sha256 names its identity): its size stands for its bytes.
    const unread = stored.sha256 === notDownloadedSha256(sourceIdentityOf(path, file));
    const bytes = unread ? undefined : await readFile(archived).catch(() => undefined);
    const sha256 = bytes && createHash('sha256').update(bytes).digest('hex');
    if (sha256 === stored.sha256 || (unread && (await lstat(archived).catch(() => undefined))?.size === file.size)) return true;
    await memory.forget(file).catch(() => undefined);
    const back = !(await exists(path)) && (await rename(archived, path).then(() => true, () => false));
    log.error(
      { file: file.name, fileId: stored.fileId, archived, storedBytes: file.size, archivedBytes: bytes?.length ?? null },
      back
        ? 'the archived file differs from the stored one (written to while it was moved): moved back into the folder and taken again'
        : 'THE ARCHIVED FILE DIFFERS FROM THE STORED ONE and cannot go back into the folder: receive it again by hand (edi receive) from the archive path',
    );
    return false;
  }

  async function removeMarker(path: string): Promise<void> {
    if (!options.doneMarker) return;
    await unlink(`${path}.done`).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ file: `${path}.done`, error: messageOf(error) }, 'cannot delete the .done marker');
    });
  }

  return {
    take(name, expected) {
      if (inFlight.has(name)) return Promise.resolve('busy');
      const p = takeOnce(name, expected).finally(() => inFlight.delete(name));
      inFlight.set(name, p);
      return p;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
    get busy() {
      return inFlight.size;
    },
  };
}

/** Local mtimes have sub-millisecond digits; identities keep whole milliseconds (as the memory does). */
const keyOf = (f: FileIdentity) => `${f.name}\u0000${f.size}\u0000${Math.trunc(f.mtimeMs)}`;

/** What tells a re-read of the same file from a partner's resend of the same bytes (docs/reliability.md#duplicate-receipts). */
function sourceIdentityOf(path: string, f: FileIdentity): string {
  // jsonb holds no NUL: size and mtime follow the path as a query does.
  return `file:${path}?size=${f.size}&mtime=${Math.trunc(f.mtimeMs)}`;
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
