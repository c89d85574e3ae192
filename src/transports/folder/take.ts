// Taking one file from a local inbound folder: read it, check it did not change while we read it,
// hand the bytes to intake, and only after intake resolved (COMMIT) archive it (move / delete) or
// remember it (leave). Shared by the polling scanner and the chokidar watcher.
//
//   const taker = createFolderTaker({ partner: 'acme', folder, archive: { action: 'move', folder: archiveDir },
//                                     intake, memory: memoryOnly(), log });
//   const outcome = await taker.take('po-1.edi');     // TakenFile | 'failed' | 'changed' | 'gone' | 'known' | 'busy' | 'skipped'
//
// Never lose a file: intake throwing leaves the file where it is ('failed'; the next scan retries).
// Never take one twice: a failed archive step is logged loudly and the file remembered, so the next
// scans retry only the archive step.
import { silentLogger, type Logger } from '../../logging/logger.js';
import { createHash } from 'node:crypto';
import { lstat, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchivePolicy } from '../../partners/types.js';
import type { TransportIntake } from '../common/intake.js';
import { safeFileName } from '../common/names.js';
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
}

export type TakeOutcome =
  | TakenFile
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

export function createFolderTaker(options: FolderTakerOptions): FolderTaker {
  const log = options.log ?? noLog;
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
      log.warn({ file: name, fileId: known.fileId }, 'file committed before; retrying only its archive step');
      return finish(path, identity, { sha256: known.sha256, fileId: known.fileId ?? 0, duplicate: false }, true);
    }

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

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let stored: { fileId: number; duplicate: boolean };
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
      });
    } catch (error) {
      log.error({ file: name, error: messageOf(error) }, 'intake failed; the file stays in the folder and is retried');
      return 'failed';
    }
    log.info({ file: name, fileId: stored.fileId, duplicate: stored.duplicate, bytes: bytes.length }, stored.duplicate ? 'received again (duplicate receipt)' : 'received');
    return finish(path, identity, { sha256, ...stored }, false);
  }

  /** The step after COMMIT: archive per policy, or remember. Never throws. */
  async function finish(
    path: string,
    file: FileIdentity,
    stored: { sha256: string; fileId: number; duplicate: boolean },
    earlier: boolean,
  ): Promise<TakenFile> {
    const taken: TakenFile = { name: file.name, ...stored, archivedAs: null, ...(earlier ? { earlier } : {}) };
    const entry = { sha256: stored.sha256, fileId: stored.fileId || null };
    if (archive.action === 'leave') {
      await memory.remember(file, { ...entry, state: 'remembered' }).catch((error: unknown) =>
        log.error({ file: file.name, error: messageOf(error) }, 'file left in place but its record could not be stored: a restart takes it again (a duplicate receipt)'),
      );
      await removeMarker(path);
      return taken;
    }
    try {
      const outcome = await archiveLocalFile(path, file.name, archive, now());
      if ('movedTo' in outcome) taken.archivedAs = outcome.movedTo;
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

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
