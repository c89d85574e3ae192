// A local drop folder: partners (or an AS2 server) put files into a folder, we take each file once
// it has stopped changing, hand its bytes to intake, and only after intake committed move it to the
// archive. The sample partner's inbox of `edi start`; partner files with `transport.type: folder`
// get the watched folder (src/transports/folder), which runs this same scan at start and as its
// safety net.
//
//   const folder = startDropFolder({ folder: 'data/inbox/sample', archive: 'data/archive/sample',
//                                    partner: 'sample', intake: (input) => gateway.intake(input), log });
//   ...
//   await folder.stop();
//
// Never lose a file: the source stays where it is until intake resolved; a failed intake leaves it
// for the next scan. A failed archive move is logged loudly and the file remembered (name + size +
// mtime, in memory), so the next scans retry the move without a second intake.
import type { Logger } from '../logging/logger.js';
import type { TransportIntake, TransportIntakeInput } from './common/intake.js';
import { isTemporaryName, unusableName } from './common/names.js';
import { memoryOnly } from './folder/memory.js';
import { startFolderScanner, type ScanResult } from './folder/scanner.js';
import { createFolderTaker, type TakenFile } from './folder/take.js';

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
  /** Scan every this many ms. Default 5000. */
  intervalMs?: number;
  /** Two looks at least this many ms apart must agree on size and mtime. Default 1000. */
  settleMs?: number;
  /** Files taken at once. Default 4. */
  concurrency?: number;
  /** Names to leave alone. Default: isTemporaryName. */
  ignore?: (name: string) => boolean;
  log?: Logger;
  /** Scan right away and on a timer. False: only when scan() or drain() is called (tests, one-shot runs). Default true. */
  schedule?: boolean;
  /** Clock for the archive names (tests). */
  now?: () => Date;
}

export interface DropFolder {
  /** One scan now (waits for a scan in progress first). The timer keeps running. */
  scan(): Promise<ScanResult>;
  /** Scans until no file is pending (stable files taken; failures stay failed). For `edi start --once`. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  /** Stops the timer and waits for the scan in progress. */
  stop(): Promise<void>;
}

export function startDropFolder(options: DropFolderOptions): DropFolder {
  const ignore = options.ignore ?? isTemporaryName;
  const memory = memoryOnly();
  const taker = createFolderTaker({
    partner: options.partner,
    folder: options.folder,
    archive: { action: 'move', folder: options.archive },
    intake: options.intake,
    memory,
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const scanner = startFolderScanner({
    folder: options.folder,
    filter: (name) => unusableName(name) === undefined && !ignore(name),
    taker,
    memory,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { scan: scanner.scan, drain: scanner.drain, stop: scanner.stop };
}
