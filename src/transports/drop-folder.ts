// A local drop folder: partners (or an AS2 server) put files into a folder, we take each file once
// it is finished, hand its bytes to intake, and only after intake committed move it to the archive.
// The sample partner's inbox of `edi start`. It is the folder watcher of partner folders
// (src/transports/folder/watcher.ts) with a move to the archive: one folder intake, the same
// stability window, completeness check, re-check after reading and verified archive step.
//
//   const folder = startDropFolder({ folder: 'data/inbox/sample', archive: 'data/archive/sample',
//                                    partner: 'sample', intake: (input) => gateway.intake(input), log });
//   ...
//   await folder.stop();
//
// Never lose a file: the source stays where it is until intake resolved; a failed intake leaves it
// for the next scan. A failed archive move is logged loudly and the file remembered (name + size +
// mtime, in memory), so the next scans retry the move without a second intake.
import { silentLogger, type Logger } from '../logging/logger.js';
import { resolve } from 'node:path';
import type { TransportIntake, TransportIntakeInput } from './common/intake.js';
import { isTemporaryName, unusableName } from './common/names.js';
import type { Database } from '../store/database.js';
import { lockedWatcher } from './folder/locked.js';
import type { ScanResult } from './folder/scanner.js';
import type { TakenFile } from './folder/take.js';
import { startFolderWatcher } from './folder/watcher.js';

export { archiveStamp, isTemporaryName, safeFileName } from './common/names.js';
export type { ScanResult, TakenFile };

/** What the poller needs of the gateway: its intake function. */
export type FolderIntakeInput = TransportIntakeInput;
export type FolderIntake = TransportIntake;

export interface DropFolderOptions {
  /** The folder partners drop files into (created when missing). */
  folder: string;
  /** Where taken files are moved after intake committed (created when missing). */
  archive: string;
  partner: string;
  intake: FolderIntake;
  /** Channel recorded with the file. Default 'folder'. */
  channel?: string;
  /** The safety-net rescan beside the folder's events, every this many ms. Default 5000. */
  intervalMs?: number;
  /** A file's size and mtime must stand still this long before it is read. Default min(1000, stableMs). */
  settleMs?: number;
  /** The stability window: a file that does not look like finished X12 waits until unchanged this long; none is archived before. Default 5000. */
  stableMs?: number;
  /** Files taken at once. Default 4. */
  concurrency?: number;
  /** Names to leave alone. Default: isTemporaryName. */
  ignore?: (name: string) => boolean;
  log?: Logger;
  /** Watch and rescan on a timer. False: only when scan() or drain() is called (tests, one-shot runs). Default true. */
  schedule?: boolean;
  /** Clock for the archive names (tests). */
  now?: () => Date;
  /** With a database: one process at a time watches the folder (the partner folders' lock), the others stand by. */
  db?: Database;
  /** A larger file is never read into memory: recorded rejected (too large) from its size, and archived. */
  maxFileBytes?: number;
}

export interface DropFolder {
  /** Started (watching, when scheduled). */
  readonly ready: Promise<void>;
  /** One scan now (waits for a scan in progress first). The timer keeps running. */
  scan(): Promise<ScanResult>;
  /** Scans until no file is pending (stable files taken and archived; failures stay failed). For `edi start --once`. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  /** Stops watching and waits for the files in hand. */
  stop(): Promise<void>;
}

export function startDropFolder(options: DropFolderOptions): DropFolder {
  const ignore = options.ignore ?? isTemporaryName;
  const stableMs = options.stableMs ?? 5000;
  const start = () => startFolderWatcher({
    partner: options.partner,
    folder: options.folder,
    archive: { action: 'move', folder: options.archive },
    intake: options.intake,
    filter: (name) => unusableName(name) === undefined && !ignore(name),
    stableMs,
    settleMs: options.settleMs ?? Math.min(1000, stableMs),
    rescanMs: options.intervalMs ?? 5000,
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const log = options.log ?? silentLogger;
  const watcher = options.db ? lockedWatcher(options.db, resolve(options.folder), start, log, options.intervalMs ?? 5000) : start();
  return { ready: watcher.ready, scan: watcher.scan, drain: watcher.drain, stop: watcher.stop };
}
