// The folder transport of a partner (transport.type: folder): its inbound folder watched into the
// gateway's intake, its outbound folder written without partial files. AS2 servers drop what they
// receive into such folders and send on what we put into others.
//
//   const t = startFolderTransport(partner, gateway, { log, dataDir });   // gateway: { intake, options.db } or { intake, db }
//   await t.ready;                   // watching (rejects when the folder cannot be made)
//   await writeOutbound(partner, { set: '855', control: 42 }, bytes);
//   await t.stop();
//
// With a database (gateway.options.db or db), files committed but not archived and files left in
// place (archive action 'leave') are remembered in remote_files and survive a restart; scan
// failures are recorded as partner health (transport 'folder').
import { silentLogger, type Logger } from '../../logging/logger.js';
import { isAbsolute, resolve } from 'node:path';
import { mailboxKey } from '../../partners/cross-check.js';
import type { ArchivePolicy, Partner } from '../../partners/types.js';
import type { Database } from '../../store/database.js';
import { recordHealthFailure, recordHealthSuccess } from '../../store/partners-repo.js';
import type { TransportIntake } from '../common/intake.js';
import { inboundFilter } from '../common/names.js';
import { lockedWatcher, type FolderHandle } from './locked.js';
import { databaseFileMemory, memoryOnly } from './memory.js';
import type { ScanResult } from './scanner.js';
import { messageOf } from './take.js';
import { startFolderWatcher, type FolderWatcher } from './watcher.js';

export { writeOutbound, writeFileExclusive, type OutboundNameValues, type OutboundWriteResult } from './writer.js';
export { startFolderWatcher, type FolderWatcher, type FolderWatcherOptions } from './watcher.js';
export type { ScanResult } from './scanner.js';
export type { TakenFile } from './take.js';

export const FOLDER_CHANNEL = 'folder';

/** What the transport needs of the gateway: a Gateway (intake + options.db) or the CLI's TransportContext (intake + db). */
export interface FolderGateway {
  intake: TransportIntake;
  db?: Database;
  options?: { readonly db?: Database };
}

export interface FolderTransportOptions {
  log?: Logger;
  /** Relative folders (hand-built partners) resolve against it. Default: the working directory. */
  dataDir?: string;
  /** false: no watching, no timer; drain() takes what is there (edi start --once). Default true. */
  schedule?: boolean;
  /** Overrides of the partner's stableSeconds / pollSeconds (tests). */
  stableMs?: number;
  rescanMs?: number;
  /** With a database: how often a process without the folder's lock tries again. Default min(pollSeconds, 30 s). */
  lockRetryMs?: number;
  /** chokidar polls instead of OS events (network shares; tests). */
  pollingIntervalMs?: number;
  concurrency?: number;
  now?: () => Date;
}

export type FolderTransportHandle = FolderHandle;

const NOTHING: ScanResult = { taken: [], pending: 0, failed: [] };

export function startFolderTransport(partner: Partner, gateway: FolderGateway, options: FolderTransportOptions = {}): FolderTransportHandle {
  const t = partner.transport;
  if (t.type !== 'folder') throw new TypeError(`partner ${partner.code} has a ${t.type} transport, not a folder`);
  const inbound = t.inbound;
  const place = (folder: string) => (isAbsolute(folder) ? folder : resolve(options.dataDir ?? '.', folder));
  const baseLog: Logger = options.log ?? silentLogger;
  if (!inbound) {
    return { ready: Promise.resolve(), drain: async () => NOTHING, scan: async () => NOTHING, onResult: () => () => undefined, stop: async () => undefined };
  }
  const folder = place(inbound.folder);
  const log = baseLog.child({ partner: partner.code, folder });
  const db = gateway.db ?? gateway.options?.db;
  const archive: ArchivePolicy = inbound.archive.action === 'move' ? { action: 'move', folder: place(inbound.archive.folder) } : inbound.archive;
  let healthy: boolean | undefined;
  const onScanned = (error: unknown) => {
    if (!db || (error === undefined) === healthy) return; // health is written when it changes, not at every scan
    healthy = error === undefined;
    const key = { partner: partner.code, transport: FOLDER_CHANNEL };
    void (error === undefined ? recordHealthSuccess(db, key) : recordHealthFailure(db, { ...key, error: `scan of ${folder}: ${messageOf(error)}` })).catch(
      (e: unknown) => log.warn({ error: messageOf(e) }, 'cannot record partner health'),
    );
  };

  const start = (): FolderWatcher => startFolderWatcher({
    partner: partner.code,
    folder,
    archive,
    intake: gateway.intake,
    filter: inboundFilter(inbound),
    doneMarker: inbound.doneMarker,
    maxFileBytes: partner.maxFileBytes,
    stableMs: options.stableMs ?? inbound.stableSeconds * 1000,
    rescanMs: options.rescanMs ?? inbound.pollSeconds * 1000,
    memory: db ? databaseFileMemory(db, { partner: partner.code, mailbox: mailboxKey(partner, folder) }) : memoryOnly(),
    channel: FOLDER_CHANNEL,
    log,
    onScanned,
    ...(options.schedule === false ? { schedule: false } : {}),
    ...(options.pollingIntervalMs ? { pollingIntervalMs: options.pollingIntervalMs } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (!db) {
    const watcher = start();
    watcher.ready.catch((error: unknown) => log.error({ error: messageOf(error) }, 'the folder transport could not start'));
    return watcher;
  }
  return lockedWatcher(db, folder, start, log, options.lockRetryMs ?? Math.min(inbound.pollSeconds * 1000, 30_000));
}
