// One watcher per folder across every gateway process on the database (partner folders and the drop
// folder alike).
import type { Logger } from '../../logging/logger.js';
import type { Database } from '../../store/database.js';
import { tryMailboxLock, type MailboxLock } from '../common/mailbox-lock.js';
import type { ScanResult } from './scanner.js';
import type { FolderWatcher } from './watcher.js';
import { messageOf } from './take.js';

/** What a folder intake offers its owner, locked or not. */
export interface FolderHandle {
  /** Watching (resolved at once when there is nothing to watch). */
  readonly ready: Promise<void>;
  /** Takes everything there is now and waits for it. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  scan(): Promise<ScanResult>;
  onResult(listener: (result: ScanResult) => void): () => void;
  /** The files in hand are finished (committed and archived) first. */
  stop(): Promise<void>;
}

const NOTHING: ScanResult = { taken: [], pending: 0, failed: [] };

/**
 * One watcher per folder across every gateway process on the database: a session advisory lock
 * (the SFTP mailboxes' lock, src/transports/common/mailbox-lock.ts) on the folder's absolute path,
 * held while watching. A process that does not get it tries again every `retryMs`; meanwhile its
 * scans and drains take nothing (the holder does). The lock lives on the process's lock connection
 * (db.locks), not on a pooled one: a watch lasts as long as the process.
 */
export function lockedWatcher(db: Database, folder: string, start: () => FolderWatcher, log: Logger, retryMs: number): FolderHandle {
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
    // The first try at the lock is over first (a one-shot run drains right after starting).
    drain: async (timeoutMs) => {
      await ready.catch(() => undefined);
      return watcher ? watcher.drain(timeoutMs) : NOTHING;
    },
    scan: async () => {
      await ready.catch(() => undefined);
      return watcher ? watcher.scan() : NOTHING;
    },
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
