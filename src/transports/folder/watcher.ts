// Watching a local inbound folder (partner folders, AS2 drops, the drop folder of `edi start`):
// chokidar reports files once their size stopped changing for settleMs (awaitWriteFinish), a scan at
// start takes the files that arrived while the gateway was down, and a periodic rescan is the safety
// net for events the OS dropped (network shares, inotify limits) and the retry path for failed
// intakes and archive steps. The taker takes complete X12 at once and lets a file that looks
// unfinished wait for the stability window (stableMs); the scanner looks again when it asks.
//
//   const watcher = startFolderWatcher({ partner: 'acme', folder, archive, intake, filter, stableMs: 5000, rescanMs: 60_000 });
//   await watcher.ready;        // chokidar is watching
//   ...
//   await watcher.stop();       // the files in hand are finished first
//
// Caveat (docs/reliability.md#half-written-files): a writer that pauses longer than the stability
// window right after an interchange's IEA looks finished. Writers should write under a temporary
// name (.part, .tmp, a leading dot: never taken) and rename, or use a .done marker (doneMarker).
import { silentLogger, type Logger } from '../../logging/logger.js';
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ArchivePolicy } from '../../partners/types.js';
import type { TransportIntake } from '../common/intake.js';
import { memoryOnly, type FileMemory } from './memory.js';
import { startFolderScanner, type FolderScanner, type ScanResult } from './scanner.js';
import { createFolderTaker, messageOf } from './take.js';

export interface FolderWatcherOptions {
  partner: string;
  /** The inbound folder (created when missing). */
  folder: string;
  archive: ArchivePolicy;
  intake: TransportIntake;
  /** Whether a base name is a file to take: see inboundFilter (src/transports/common/names.ts). */
  filter: (name: string) => boolean;
  /** Take FILE only once FILE.done exists (the marker is deleted after). */
  doneMarker?: boolean;
  /** The partner's maxFileBytes: larger files are not read (see createFolderTaker). */
  maxFileBytes?: number;
  /** The stability window: a file that does not look finished waits until unchanged this long; no file is archived before. */
  stableMs: number;
  /** Size unchanged this long before a file is read (awaitWriteFinish; the scans' two looks). Default min(1000, stableMs). */
  settleMs?: number;
  /** The safety-net rescan. */
  rescanMs: number;
  /** Default: in memory only. With a database: databaseFileMemory (survives restarts). */
  memory?: FileMemory;
  /** Files taken at once. Default 4. */
  concurrency?: number;
  channel?: string;
  log?: Logger;
  now?: () => Date;
  /** false: no chokidar, no timer; only scan()/drain() (edi start --once). Default true. */
  schedule?: boolean;
  /** Poll the folder instead of OS events (network shares; tests), every this many ms. */
  pollingIntervalMs?: number;
  /** After each timer scan (partner health). */
  onScanned?: (error: unknown) => void;
}

export interface FolderWatcher {
  /**
   * Started: chokidar watches, or the folder could not be made yet (logged; the scans retry and the
   * watch starts with the first scan that works). At once without schedule.
   */
  readonly ready: Promise<void>;
  scan(): Promise<ScanResult>;
  /** Scans until no file is pending, and waits for the files in hand. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  /** Every taken or failed file, from events and scans. */
  onResult(listener: (result: ScanResult) => void): () => void;
  stop(): Promise<void>;
}

export function startFolderWatcher(options: FolderWatcherOptions): FolderWatcher {
  const folder = resolve(options.folder);
  const log = options.log ?? silentLogger;
  const schedule = options.schedule ?? true;
  const memory = options.memory ?? memoryOnly();
  const settleMs = Math.min(options.settleMs ?? 1000, options.stableMs);
  const taker = createFolderTaker({
    partner: options.partner,
    folder,
    archive: options.archive,
    intake: options.intake,
    memory,
    log,
    stableMs: options.stableMs,
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.doneMarker ? { doneMarker: true } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  let scanner: FolderScanner | undefined;
  let watcher: FSWatcher | undefined;
  let stopped = false;
  const listeners = new Set<(r: ScanResult) => void>();

  // What chokidar should not even look at: temporary names and names the partner's patterns exclude.
  // v4+ takes no globs here, hence a function. Markers pass when the partner uses them.
  const wanted = (name: string) =>
    options.filter(name) || (options.doneMarker === true && name.endsWith('.done') && options.filter(name.slice(0, -'.done'.length)));
  const ignored = (path: string, stats?: Stats) => {
    if (path === folder) return false;
    if (stats?.isDirectory()) return true;
    return !wanted(basename(path));
  };

  const onFile = (path: string, stats?: Stats) => {
    if (stopped || !scanner || dirname(path) !== folder) return;
    let name = basename(path);
    if (options.doneMarker && name.endsWith('.done') && !options.filter(name)) name = name.slice(0, -'.done'.length);
    else if (!options.filter(name)) return;
    const expected = stats && basename(path) === name ? { size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
    void scanner.takeNow(name, expected).catch((error: unknown) => log.error({ file: name, error: messageOf(error) }, 'taking a file failed; retried at the next scan'));
  };

  /** chokidar on the folder, once (again after a failed start); the scans go on regardless. */
  let watching: Promise<void> | undefined;
  const startWatch = (): Promise<void> =>
    (watching ??= (async () => {
      if (stopped) return;
      const w = watch(folder, {
        // The scanner's first scan handles what is there already (with its own two looks).
        ignoreInitial: true,
        depth: 0,
        followSymlinks: false,
        ignored,
        awaitWriteFinish: settleMs > 0 ? { stabilityThreshold: settleMs, pollInterval: Math.max(10, Math.min(100, Math.floor(settleMs / 4))) } : false,
        ...(options.pollingIntervalMs ? { usePolling: true, interval: options.pollingIntervalMs, binaryInterval: options.pollingIntervalMs } : {}),
      });
      watcher = w;
      w.on('add', onFile);
      w.on('change', onFile);
      w.on('error', (error: unknown) => log.error({ folder, error: messageOf(error) }, 'folder watch error; the periodic rescan goes on'));
      await new Promise<void>((resolveReady) => w.once('ready', () => resolveReady()));
      // A file that arrived between the first scan's listing and chokidar's own (ignoreInitial)
      // would otherwise wait for the rescan.
      scanner?.poke();
    })().catch((error: unknown) => {
      watching = undefined;
      log.error({ folder, error: messageOf(error) }, 'cannot watch the folder; retried after the next scan that works');
    }));

  const ready = (async () => {
    // Memory first: a file committed before the last stop must not be taken again at the first scan.
    await memory.load().catch((error: unknown) => log.error({ folder, error: messageOf(error) }, 'cannot read the records of files taken earlier; files whose archive step failed before may be received again (duplicate receipts)'));
    if (stopped) return;
    scanner = startFolderScanner({
      folder,
      filter: options.filter,
      taker,
      memory,
      intervalMs: options.rescanMs,
      settleMs,
      schedule,
      log,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      // A folder that could not be made or read (a mount not there yet) is retried at each scan;
      // the watch starts with the first scan that works.
      onScanned: (error) => {
        options.onScanned?.(error);
        if (error === undefined && schedule && !stopped) void startWatch();
      },
    });
    scanner.onResult((r) => {
      for (const listener of listeners) listener(r);
    });
    if (!schedule) return;
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      log.error({ folder, error: messageOf(error) }, 'cannot make the inbound folder; retried at each scan');
      return;
    }
    await startWatch();
  })();

  // Never an unhandled rejection; callers that care await `ready`.
  ready.catch(() => undefined);

  const started = async (): Promise<FolderScanner> => {
    await ready;
    if (!scanner) throw new Error(`folder watcher for ${folder} stopped`);
    return scanner;
  };

  return {
    ready,
    scan: async () => (await started()).scan(),
    drain: async (timeoutMs) => (await started()).drain(timeoutMs),
    onResult(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      await ready.catch(() => undefined);
      await watching;
      await watcher?.close().catch((error: unknown) => log.warn({ folder, error: messageOf(error) }, 'closing the folder watch failed'));
      await scanner?.stop();
    },
  };
}
