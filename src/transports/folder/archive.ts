// The archive step of a local inbound folder, run only after intake committed: move the file into
// the archive folder under a timestamped name (never over another file), or delete it. 'leave'
// does nothing here (the caller remembers the file).
//
//   const outcome = await archiveLocalFile(join(folder, name), name, { action: 'move', folder: archive }, new Date());
//   // { movedTo: '/var/as2/acme/archive/20261101T120000.000Z-po.edi' } | { deleted: true } | { gone: true } | { left: true }
//
// Throws when the step failed: the caller logs loudly and remembers the file so that it is not
// taken a second time.
import { constants } from 'node:fs';
import { copyFile, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayError } from '../../errors/failure.js';
import type { ArchivePolicy } from '../../partners/types.js';
import { archiveName } from '../common/names.js';

export type ArchiveOutcome =
  | { movedTo: string }
  | { deleted: true }
  /** The source was no longer there: another process archived it. */
  | { gone: true }
  | { left: true };

/** Tries per archive step before giving up on finding a free name. */
const MAX_NAMES = 100;

export async function archiveLocalFile(path: string, name: string, policy: ArchivePolicy, at: Date): Promise<ArchiveOutcome> {
  if (policy.action === 'leave') return { left: true };
  if (policy.action === 'delete') {
    try {
      await unlink(path);
      return { deleted: true };
    } catch (error) {
      if (codeOf(error) === 'ENOENT') return { gone: true };
      throw error;
    }
  }
  await mkdir(policy.folder, { recursive: true });
  for (let attempt = 0; attempt < MAX_NAMES; attempt++) {
    const target = join(policy.folder, archiveName(name, at, attempt));
    // rename() would replace an existing file: a taken name means the next number.
    if (await exists(target)) continue;
    try {
      await rename(path, target);
      return { movedTo: target };
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT' && !(await exists(path))) return { gone: true };
      if (code !== 'EXDEV') throw error;
      // The archive is on another file system: copy (never over an existing file), then remove.
      try {
        await copyFile(path, target, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if (codeOf(copyError) === 'EEXIST') continue;
        throw copyError;
      }
      await unlink(path);
      return { movedTo: target };
    }
  }
  throw new GatewayError('TRANSPORT_NO_FREE_NAME', `no free archive name for ${name} in ${policy.folder}`, { folder: policy.folder });
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
