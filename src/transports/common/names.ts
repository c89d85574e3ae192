// Names that come from partners (listings of their mailboxes, dropped files) before they become part
// of a path, and the names we give files we archive. Shared by the SFTP poller and the folder
// transports.
//
//   unusableName('../etc/passwd')            -> 'it holds a path separator'  (never taken)
//   archiveName('po 1.edi', now)             -> '20261101T120000.123Z-po 1.edi'
//   archiveName('po 1.edi', now, 2)          -> '20261101T120000.123Z-po 1.edi.2'  (the first two were taken)
//   isTemporaryName('po.edi.PART')           -> true   (a writer is still at work: never taken)
//   const takes = inboundFilter(mailbox);     takes('po.edi') -> true when the partner's patterns say so
import { BUILT_IN } from '../../partners/defaults.js';
import { safeFileName } from '../../partners/file-name.js';
import { matchesAny, nameFilter } from '../../partners/glob.js';
import type { InboundMailbox } from '../../partners/types.js';

export { safeFileName };

/**
 * Names writers use while a file is still being written, and hidden files: the built-in `ignore`
 * list of partner files (src/partners/defaults.ts), case-insensitively ('PO.EDI.PART' too).
 * Our own temporary names (temporaryName below) are among them.
 */
export function isTemporaryName(name: string): boolean {
  return matchesAny(BUILT_IN.inbound.ignore, name.toLowerCase());
}

/**
 * Whether a transport takes a file of this base name from this mailbox: the partner's patterns and
 * ignore list, and never a temporary name or an unusable one, whatever the partner's ignore says
 * (a half-written file is never taken).
 */
export function inboundFilter(mailbox: Pick<InboundMailbox, 'patterns' | 'ignore' | 'doneMarker'>): (name: string) => boolean {
  const configured = nameFilter(mailbox);
  return (name) => unusableName(name) === undefined && !isTemporaryName(name) && configured(name);
}

/**
 * Why a listed name cannot be used as a file of this folder at all (undefined when it can): a
 * name with a path separator or a NUL would point elsewhere, '.' and '..' are folders. Names that
 * are merely unusual (control characters, '..' inside, a leading dot) are usable: they are read
 * under their own name and recorded under safeFileName() with the original kept as metadata.
 */
export function unusableName(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return 'it names a folder';
  // A backslash is an ordinary character in POSIX names (safeFileName replaces it where we name files).
  if (name.includes('/')) return 'it holds a path separator';
  if (name.includes('\u0000')) return 'it holds a NUL character';
  return undefined;
}

/** 2026-11-01T12:00:00.123Z -> 20261101T120000.123Z: sortable, no ':' (not allowed on some file systems). */
export function archiveStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

/**
 * The name a taken file gets in the archive: timestamp, '-', the safe form of its name; `attempt`
 * n > 0 appends '.n' (an archive never overwrites: the caller tries the next n when a name is taken).
 */
export function archiveName(name: string, at: Date, attempt = 0): string {
  const base = `${archiveStamp(at)}-${safeFileName(name)}`;
  return attempt > 0 ? `${base}.${attempt}` : base;
}

/** The temporary name an outbound file is written under before its rename: hidden and `.part`, so pollers skip it. */
export function temporaryName(finalName: string, unique: string): string {
  return `.${safeFileName(finalName)}.${unique}.part`;
}
