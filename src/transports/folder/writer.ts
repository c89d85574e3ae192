// Outbound files into a local folder (an AS2 server's outgoing folder, local exchange) so that
// whoever reads the folder never sees half a file and nothing is overwritten: the bytes go under a
// hidden temporary name (.NAME.xxxx.part, skipped by every poller), are fsynced, and only then get
// their final name through link() (fails when the name exists: we add -1, -2, ... before the
// extension) and the temporary is removed; the folder is fsynced so the name survives a crash.
//
//   await writeOutbound(partner, { set: '855', control: 42 }, bytes);   // name from the partner's fileName pattern
//   await writeOutbound(partner, 'po-ack.edi', bytes);                   // a given name (made safe)
//   // { path: '/var/as2/acme/out/acme_855_000000042_20261101120000.edi', name: '...', bytes: 812 }
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { GatewayError } from '../../errors/failure.js';
import { renderFileName, type FileNameValues } from '../../partners/file-name.js';
import type { Partner } from '../../partners/types.js';
import { safeFileName, temporaryName } from '../common/names.js';

export interface OutboundWriteResult {
  /** The final path. */
  path: string;
  /** The final name (the asked-for name, or it with a -n suffix when that name was taken). */
  name: string;
  bytes: number;
}

/** For the partner's fileName pattern; `partner` is the partner's code. */
export type OutboundNameValues = Omit<FileNameValues, 'partner'>;

/** Final names tried before giving up (the pattern should make unique names anyway). */
const MAX_SUFFIX = 1000;

/** Errors of file systems without hard links: then a check and a rename (a small race, documented). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Writes one file for a folder partner: into transport.outbound.folder, named by `fileName` (made
 * safe: a partner-controlled name never becomes a path) or by the partner's pattern.
 * Relative folders (hand-built partners) resolve against `dataDir` (default: the working directory).
 */
export async function writeOutbound(
  partner: Partner,
  fileName: string | OutboundNameValues,
  bytes: Uint8Array,
  options: { dataDir?: string } = {},
): Promise<OutboundWriteResult> {
  const t = partner.transport;
  if (t.type !== 'folder' || !t.outbound) throw new TypeError(`partner ${partner.code} has no folder outbound mailbox`);
  const name = typeof fileName === 'string' ? fileName : renderFileName(t.outbound.fileName, { partner: partner.code, ...fileName });
  const folder = isAbsolute(t.outbound.folder) ? t.outbound.folder : resolve(options.dataDir ?? '.', t.outbound.folder);
  return writeFileExclusive(folder, name, bytes);
}

/**
 * Writes `bytes` as `folder/name` (name made safe), never over an existing file and never visible
 * half-written under its final name. The folder is created when missing.
 */
export async function writeFileExclusive(folder: string, name: string, bytes: Uint8Array): Promise<OutboundWriteResult> {
  const finalName = safeFileName(name);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, temporaryName(finalName, randomUUID().slice(0, 8)));
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let n = 0; n < MAX_SUFFIX; n++) {
      const candidate = n === 0 ? finalName : withSuffix(finalName, n);
      const path = join(folder, candidate);
      if (await place(temp, path)) {
        await syncFolder(folder);
        return { path, name: candidate, bytes: bytes.byteLength };
      }
    }
    throw new GatewayError('TRANSPORT_NO_FREE_NAME', `no free name for ${finalName} in ${folder}`, { folder });
  } finally {
    // Gone after a successful rename; after a link or a failure, the temporary must not stay.
    await unlink(temp).catch(() => undefined);
  }
}

/** 'acme.edi' + 2 -> 'acme-2.edi': the extension stays, so partners' *.edi patterns still match. */
export function withSuffix(name: string, n: number): string {
  const ext = extname(name);
  return ext && ext !== name ? `${name.slice(0, -ext.length)}-${n}${ext}` : `${name}-${n}`;
}

/** Gives the temporary file its final name; false when that name is taken. */
async function place(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!code || !NO_LINKS.has(code)) throw error;
  }
  if (await stat(path).then(() => true, () => false)) return false;
  await rename(temp, path);
  return true;
}

/** The new directory entry reaches the disk (best effort: not every file system allows it). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // e.g. EISDIR/EINVAL on some platforms: the file itself is synced.
  }
}
