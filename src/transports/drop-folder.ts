// A local drop folder: partners (or an AS2 server) put files into a folder, we take each file once
// it has stopped changing, hand its bytes to intake, and only after intake committed move it to the
// archive. Minimal on purpose (issue 3); partner profiles and SFTP come with issue 4.
//
//   const folder = startDropFolder({ folder: 'data/inbox/sample', archive: 'data/archive/sample',
//                                    partner: 'sample', intake: (input) => gateway.intake(input), log });
//   ...
//   await folder.stop();
//
// Never lose a file: the source stays where it is until intake resolved; a failed intake leaves it
// for the next scan. A failed archive move is logged loudly and the file's sha256 remembered, so the
// next scans retry the move without a second intake.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** What the poller needs of the gateway: its intake function. */
export interface FolderIntakeInput {
  partner: string;
  channel: string;
  sourceName: string;
  bytes: Uint8Array;
  metadata?: Record<string, unknown>;
}
export type FolderIntake = (input: FolderIntakeInput) => Promise<{ fileId: number; duplicate: boolean }>;

/** pino-compatible subset: (details, message). */
export interface FolderLog {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
  debug?(details: object, message?: string): void;
}

export interface DropFolderOptions {
  /** The folder partners drop files into (created when missing). */
  folder: string;
  /** Where taken files are moved after intake committed (created when missing). */
  archive: string;
  partner: string;
  intake: FolderIntake;
  /** Channel recorded with the file. Default 'folder'. */
  channel?: string;
  /** Scan every this many ms. Default 5000. */
  intervalMs?: number;
  /** Two looks at least this many ms apart must agree on size and mtime. Default 1000. */
  settleMs?: number;
  /** Files taken at once. Default 4. */
  concurrency?: number;
  /** Names to leave alone. Default: isTemporaryName. */
  ignore?: (name: string) => boolean;
  log?: FolderLog;
  /** Scan right away and on a timer. False: only when scan() or drain() is called (tests, one-shot runs). Default true. */
  schedule?: boolean;
  /** Clock for the archive names (tests). */
  now?: () => Date;
}

export interface ScanResult {
  /** Files handed to intake and archived (or already archived by another poller) in this scan. */
  taken: TakenFile[];
  /** Files seen but not yet stable: a later scan takes them. */
  pending: number;
  /** Names of files whose intake failed (they stay in the folder) or whose archive move failed. */
  failed: string[];
}

export interface TakenFile {
  name: string;
  sha256: string;
  fileId: number;
  duplicate: boolean;
  /** Where the file went; null when we did not move it: another poller did, or the move failed (then it is in `failed` too). */
  archivedAs: string | null;
}

export interface DropFolder {
  /** One scan now (waits for a scan in progress first). The timer keeps running. */
  scan(): Promise<ScanResult>;
  /** Scans until no file is pending (stable files taken; failures stay failed). For `edi start --once`. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  /** Stops the timer and waits for the scan in progress. */
  stop(): Promise<void>;
}

/** Writers in progress: `.part`, `.tmp`, hidden names (also editors' and rsync's temporaries). */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || /\.(part|tmp)$/i.test(name);
}

/**
 * A file name that is safe as the last part of an archive path: no path separators, no '..',
 * no control characters, at most 150 characters; never empty.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f]/g, '_')
    .replace(/[\/\\]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+/, '')
    .slice(0, 150);
  return cleaned.length > 0 ? cleaned : 'file';
}

/** 2026-11-01T12:00:00.123Z -> 20261101T120000.123Z: sortable, no ':' (not allowed on some file systems). */
export function archiveStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

interface Look {
  size: number;
  mtimeMs: number;
  at: number;
}

const noLog: FolderLog = { info() {}, warn() {}, error() {} };

const NOT_ARCHIVED = 'FILE COMMITTED BUT NOT ARCHIVED: it stays in the drop folder; it will not be received twice, the move is retried at each scan';

export function startDropFolder(options: DropFolderOptions): DropFolder {
  const log = options.log ?? noLog;
  const intervalMs = options.intervalMs ?? 5000;
  const settleMs = options.settleMs ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const ignore = options.ignore ?? isTemporaryName;
  const channel = options.channel ?? 'folder';
  const now = options.now ?? (() => new Date());
  // name -> the last look at it; a file is taken when two looks >= settleMs apart agree.
  const looks = new Map<string, Look>();
  // name + sha256 of files already committed whose archive move failed: retry the move, never intake again.
  const committed = new Map<string, { fileId: number; duplicate: boolean }>();
  const keyOf = (name: string, sha256: string) => `${sha256}:${name}`;
  let current: Promise<ScanResult> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let followUp: NodeJS.Timeout | undefined;
  let prepared: Promise<void> | undefined;
  // drain() hears every scan, the timer's too, so it misses no file.
  const listeners = new Set<(r: ScanResult) => void>();

  // The drop folder is made once (again after a failure); the archive before each move (archive()).
  const prepare = () =>
    (prepared ??= mkdir(options.folder, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        prepared = undefined;
        throw error;
      },
    ));

  async function scanOnce(): Promise<ScanResult> {
    await prepare();
    const result: ScanResult = { taken: [], pending: 0, failed: [] };
    const entries = await readdir(options.folder, { withFileTypes: true });
    const present = new Set<string>();
    const stable: string[] = [];
    for (const entry of entries) {
      // Sub-folders, symlinks, sockets: not files a partner dropped.
      if (!entry.isFile() || ignore(entry.name)) continue;
      present.add(entry.name);
      const path = join(options.folder, entry.name);
      const s = await stat(path).catch(() => undefined);
      if (!s) continue; // gone between readdir and stat (another poller took it)
      const look: Look = { size: s.size, mtimeMs: s.mtimeMs, at: Date.now() };
      const before = looks.get(entry.name);
      if (before && before.size === look.size && before.mtimeMs === look.mtimeMs && look.at - before.at >= settleMs) {
        stable.push(entry.name);
      } else {
        // New or changed: remember this look (keep the older one when unchanged but not long enough).
        if (!before || before.size !== look.size || before.mtimeMs !== look.mtimeMs) looks.set(entry.name, look);
        result.pending++;
      }
    }
    for (const name of looks.keys()) if (!present.has(name)) looks.delete(name);

    let next = 0;
    const worker = async () => {
      while (next < stable.length && !stopped) {
        const name = stable[next++]!;
        const outcome = await take(name);
        if (outcome === 'changed') result.pending++;
        else if (outcome === 'failed') result.failed.push(name);
        else if (outcome) {
          result.taken.push(outcome);
          if (outcome.archivedAs === null && committed.has(keyOf(name, outcome.sha256))) result.failed.push(name);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, stable.length) }, worker));
    for (const listener of listeners) listener(result);
    return result;
  }

  /** Takes one stable file: intake, then archive. */
  async function take(name: string): Promise<TakenFile | 'failed' | 'changed' | undefined> {
    const path = join(options.folder, name);
    const before = looks.get(name)!;
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        looks.delete(name);
        return undefined; // another poller took it
      }
      log.error({ file: name, error: message(error) }, 'cannot read a dropped file; it stays in the folder');
      return 'failed';
    }
    // A writer that came back while we read: look again later.
    const after = await stat(path).catch(() => undefined);
    if (!after || after.size !== before.size || after.mtimeMs !== before.mtimeMs || bytes.length !== before.size) {
      looks.delete(name);
      return after ? 'changed' : undefined;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let stored = committed.get(keyOf(name, sha256));
    if (stored) {
      log.warn({ file: name, fileId: stored.fileId }, 'file already committed; retrying its archive move');
    } else {
      try {
        stored = await options.intake({
          partner: options.partner,
          channel,
          sourceName: name,
          bytes,
          metadata: { originalName: name, folder: options.folder, size: bytes.length, mtime: new Date(before.mtimeMs).toISOString() },
        });
      } catch (error) {
        // The file stays where it is; the next scan tries again.
        log.error({ file: name, error: message(error) }, 'intake failed; the file stays in the drop folder and is retried');
        return 'failed';
      }
      log.info({ file: name, fileId: stored.fileId, duplicate: stored.duplicate, bytes: bytes.length }, stored.duplicate ? 'received again (duplicate receipt)' : 'received');
    }
    const archivedAs = await archive(path, name, sha256);
    if (archivedAs === undefined) {
      committed.set(keyOf(name, sha256), stored);
      return { name, sha256, fileId: stored.fileId, duplicate: stored.duplicate, archivedAs: null };
    }
    committed.delete(keyOf(name, sha256));
    looks.delete(name);
    return { name, sha256, fileId: stored.fileId, duplicate: stored.duplicate, archivedAs: archivedAs === 'gone' ? null : archivedAs };
  }

  /** Moves the file into the archive under a new timestamped name; 'gone' when another poller moved it; undefined when it failed. */
  async function archive(path: string, name: string, sha256: string): Promise<string | 'gone' | undefined> {
    const base = `${archiveStamp(now())}-${safeFileName(name)}`;
    try {
      await mkdir(options.archive, { recursive: true });
    } catch (error) {
      log.error({ file: name, archive: options.archive, sha256, error: message(error) }, NOT_ARCHIVED);
      return undefined;
    }
    for (let n = 0; n < 100; n++) {
      const target = join(options.archive, n === 0 ? base : `${base}.${n}`);
      // Never overwrite an archived file (two files of one name in the same millisecond).
      if (await stat(target).then(() => true, () => false)) continue;
      try {
        await rename(path, target);
        return target;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && !(await stat(path).then(() => true, () => false))) {
          log.info({ file: name }, 'the file was archived by another poller');
          return 'gone';
        }
        if (code === 'EXDEV') {
          // The archive is on another file system: copy (never over an existing file), then remove.
          try {
            await copyFile(path, target, constants.COPYFILE_EXCL);
            await unlink(path);
            return target;
          } catch (copyError) {
            if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
            error = copyError;
          }
        }
        log.error({ file: name, archive: target, sha256, error: message(error) }, NOT_ARCHIVED);
        return undefined;
      }
    }
    log.error({ file: name, sha256 }, 'FILE COMMITTED BUT NOT ARCHIVED: no free archive name');
    return undefined;
  }

  function scan(): Promise<ScanResult> {
    const previous = current ?? Promise.resolve(undefined);
    const next: Promise<ScanResult> = previous.catch(() => undefined).then(() => scanOnce());
    current = next;
    void next.finally(() => {
      if (current === next) current = undefined;
    }).catch(() => undefined);
    return next;
  }

  /** The timer's scan: errors are logged, never thrown; new files get a second look after settleMs. */
  function tick(): void {
    if (stopped) return;
    scan().then(
      (r) => {
        if (r.pending > 0 && !stopped && !followUp) {
          followUp = setTimeout(() => {
            followUp = undefined;
            tick();
          }, settleMs + 10);
        }
      },
      (error) => log.error({ folder: options.folder, error: message(error) }, 'drop folder scan failed'),
    );
  }

  if (options.schedule ?? true) {
    tick();
    timer = setInterval(tick, intervalMs);
  }

  return {
    scan,
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const total: ScanResult = { taken: [], pending: 0, failed: [] };
      const hear = (r: ScanResult) => {
        total.taken.push(...r.taken);
        // A failing file fails again at each scan: count it once, and not once it went through.
        total.failed = [...new Set([...total.failed, ...r.failed])].filter((n) => r.failed.includes(n) || !r.taken.some((t) => t.name === n));
        total.pending = r.pending;
      };
      listeners.add(hear);
      try {
        for (;;) {
          const r = await scan();
          if (r.pending === 0 || Date.now() >= deadline) return total;
          await new Promise((resolve) => setTimeout(resolve, settleMs + 10));
        }
      } finally {
        listeners.delete(hear);
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (followUp) clearTimeout(followUp);
      await current?.catch(() => undefined);
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
