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
import { tryMailboxLock, type MailboxLock } from '../common/mailbox-lock.js';
import { inboundFilter } from '../common/names.js';
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

export interface FolderTransportHandle {
  /** Watching (resolved at once when the partner has no inbound folder). */
  readonly ready: Promise<void>;
  /** Takes everything there is now and waits for it. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  scan(): Promise<ScanResult>;
  onResult(listener: (result: ScanResult) => void): () => void;
  /** The files in hand are finished (committed and archived) first. */
  stop(): Promise<void>;
}

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

/**
 * One watcher per folder across every gateway process on the database: a session advisory lock
 * (the SFTP mailboxes' lock, src/transports/common/mailbox-lock.ts) on the folder's absolute path,
 * held while watching. A process that does not get it tries again every `retryMs`; meanwhile its
 * scans and drains take nothing (the holder does). The lock lives on the process's lock connection
 * (db.locks), not on a pooled one: a watch lasts as long as the process.
 */
function lockedWatcher(db: Database, folder: string, start: () => FolderWatcher, log: Logger, retryMs: number): FolderTransportHandle {
  let watcher: FolderWatcher | undefined;
  let lock: MailboxLock | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const listeners = new Set<(result: ScanResult) => void>();
  const attempt = async (): Promise<void> => {
    if (stopped || watcher) return;
    try {
      lock = await tryMailboxLock(db, `folder\u0000${folder}`);
    } catch (error) {
      log.warn({ error: messageOf(error) }, 'cannot take the folder lock; trying again later');
    }
    if (stopped) return void (await lock?.release());
    if (!lock) {
      log.info({ retryMs }, 'another gateway process watches this folder; trying again later');
      timer = setTimeout(() => void attempt(), retryMs);
      return;
    }
    watcher = start();
    for (const listener of listeners) watcher.onResult(listener);
    await watcher.ready.catch(async (error: unknown) => {
      log.error({ error: messageOf(error) }, 'the folder transport could not start');
      throw error;
    });
    timer = setTimeout(() => void check(), retryMs);
  };
  // The holder checks its lock as often as the others try to take it: a lost connection frees the
  // lock for another process, so this one stops watching and goes back to trying.
  const check = async (): Promise<void> => {
    if (stopped || !lock) return;
    if (await lock.held()) {
      timer = setTimeout(() => void check(), retryMs);
      return;
    }
    log.warn({}, 'lost the folder lock (database connection gone): stopping the watcher until the lock is taken again');
    const w = watcher;
    watcher = undefined;
    await w?.stop().catch(() => undefined);
    await lock.release();
    lock = undefined;
    if (!stopped) timer = setTimeout(() => void attempt(), retryMs);
  };
  const ready = attempt();
  return {
    ready,
    drain: async (timeoutMs) => (watcher ? watcher.drain(timeoutMs) : NOTHING),
    scan: async () => (watcher ? watcher.scan() : NOTHING),
    onResult(listener) {
      listeners.add(listener);
      const off = watcher?.onResult(listener);
      return () => {
        listeners.delete(listener);
        off?.();
      };
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ready.catch(() => undefined);
      await watcher?.stop();
      await lock?.release();
    },
  };
}
