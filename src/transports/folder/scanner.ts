// Scanning a local inbound folder: list it, take each file once two looks at least settleMs apart
// agree on its size and mtime (the taker then decides whether it looks finished, and archives it only
// once it stood still for the stability window; it says when to look again). The folder watcher
// (watcher.ts) runs it at start (files that arrived while the gateway was down) and as a periodic
// safety net beside chokidar, whose events go through takeNow().
//
//   const scanner = startFolderScanner({ folder, filter, taker, settleMs: 1000, intervalMs: 5000 });
//   await scanner.drain(60_000);     // edi start --once: until no file is pending
//   await scanner.stop();
import type { Logger } from '../../logging/logger.js';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StabilityTracker } from '../common/stability.js';
import type { FileMemory } from './memory.js';
import { isTaken, messageOf, type FolderTaker, type TakenFile, type TakeOutcome } from './take.js';

export interface FolderScannerOptions {
  /** Created when missing. */
  folder: string;
  /** Whether a base name is a file to take (patterns, temporary names). */
  filter: (name: string) => boolean;
  taker: FolderTaker;
  /** Its entries are forgotten when their file went away (full scans only). */
  memory?: FileMemory;
  /** Scan every this many ms. Default 5000. */
  intervalMs?: number;
  /** Two looks at least this many ms apart must agree on size and mtime. Default 1000. */
  settleMs?: number;
  /** Files taken at once (scans and takeNow together). Default 4. */
  concurrency?: number;
  /** Scan right away and on a timer. False: only when scan() or drain() is called. Default true. */
  schedule?: boolean;
  log?: Logger;
  /** After each timer scan: undefined when it went through, else its error (partner health). */
  onScanned?: (error: unknown) => void;
}

export interface ScanResult {
  /** Files handed to intake and archived (or remembered, or archived by another process). */
  taken: TakenFile[];
  /** Files seen but not yet stable or finished, and files taken whose archive step waits: a later scan does the rest. */
  pending: number;
  /** The earliest of the waits the taker asked for (ms), when any. */
  nextInMs?: number;
  /** Names of files whose intake failed (they stay) or whose archive step failed. */
  failed: string[];
}

export interface FolderScanner {
  /** One scan now (after the scan in progress). The timer keeps running. */
  scan(): Promise<ScanResult>;
  /** A scan as the timer runs it: errors logged, a quick second look for files not yet stable. */
  poke(): void;
  /** Scans until no file is pending; waits for takeNow() calls in progress too. */
  drain(timeoutMs?: number): Promise<ScanResult>;
  /** Takes a file that is known to be complete (chokidar's awaitWriteFinish) without a second look. */
  takeNow(name: string, expected?: { size: number; mtimeMs: number }): Promise<TakeOutcome>;
  /** Called with every taken or failed file, from scans and takeNow alike. */
  onResult(listener: (result: ScanResult) => void): () => void;
  /** Stops the timer, waits for the scan and the takes in progress. */
  stop(): Promise<void>;
}

export function startFolderScanner(options: FolderScannerOptions): FolderScanner {
  const log = options.log ?? { info() {}, warn() {}, error() {} };
  const intervalMs = options.intervalMs ?? 5000;
  const settleMs = options.settleMs ?? 1000;
  const { taker, filter } = options;
  const tracker = new StabilityTracker(settleMs);
  const limit = limiter(Math.max(1, options.concurrency ?? 4));
  const listeners = new Set<(r: ScanResult) => void>();
  let current: Promise<ScanResult> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let followUp: NodeJS.Timeout | undefined;
  let followUpAt = 0;
  let prepared: Promise<void> | undefined;

  // The folder is made once (again after a failure).
  const prepare = () =>
    (prepared ??= mkdir(options.folder, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        prepared = undefined;
        throw error;
      },
    ));

  const emit = (r: ScanResult) => {
    for (const listener of listeners) listener(r);
  };

  const wait = (ms: number, into: ScanResult) => {
    into.pending++;
    into.nextInMs = Math.min(into.nextInMs ?? ms, ms);
  };

  /** Adds one outcome to a result. */
  const record = (name: string, outcome: TakeOutcome, into: ScanResult) => {
    if (outcome === 'changed') into.pending++;
    else if (outcome === 'failed') into.failed.push(name);
    else if (isTaken(outcome)) {
      into.taken.push(outcome);
      if (outcome.archiveFailed) into.failed.push(name);
      if (outcome.archiveDueInMs !== undefined) wait(outcome.archiveDueInMs, into);
    } else if (typeof outcome === 'object') wait(outcome.waitMs, into);
    // Files that stay (failed, left in place, waiting for a marker, the window or their archive step)
    // keep their looks: the next scan tries them at once instead of waiting for two more looks.
    if (outcome === 'gone' || outcome === 'skipped' || (isTaken(outcome) && !outcome.archiveFailed && outcome.archivedAs !== null)) tracker.forget(name);
  };

  /** Another look in `ms` (the earliest asked for wins). */
  const lookAgainIn = (ms: number) => {
    if (stopped || !(options.schedule ?? true)) return;
    const at = Date.now() + ms;
    if (followUp && followUpAt <= at) return;
    if (followUp) clearTimeout(followUp);
    followUpAt = at;
    followUp = setTimeout(() => {
      followUp = undefined;
      tick();
    }, ms);
  };

  async function scanOnce(): Promise<ScanResult> {
    await prepare();
    const result: ScanResult = { taken: [], pending: 0, failed: [] };
    const entries = await readdir(options.folder, { withFileTypes: true });
    const present = new Set<string>();
    const stable: { name: string; size: number; mtimeMs: number }[] = [];
    for (const entry of entries) {
      // Sub-folders (the archive may be one), symlinks, sockets: not files a partner dropped.
      if (!entry.isFile() || !filter(entry.name)) continue;
      present.add(entry.name);
      const s = await stat(join(options.folder, entry.name)).catch(() => undefined);
      if (!s) continue; // gone between readdir and stat
      if (tracker.look(entry.name, s) === 'stable') stable.push({ name: entry.name, size: s.size, mtimeMs: s.mtimeMs });
      else result.pending++;
    }
    tracker.keepOnly(present);
    await options.memory?.keepOnly(present).catch((error: unknown) => log.warn({ error: messageOf(error) }, 'cannot forget records of files that went away'));
    await Promise.all(
      stable.map(({ name, ...expected }) =>
        limit(async () => {
          if (stopped) return;
          record(name, await taker.take(name, expected), result);
        }),
      ),
    );
    emit(result);
    return result;
  }

  function scan(): Promise<ScanResult> {
    const next: Promise<ScanResult> = (current ?? Promise.resolve(undefined)).catch(() => undefined).then(() => scanOnce());
    current = next;
    void next
      .finally(() => {
        if (current === next) current = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  /** The timer's scan: errors are logged, never thrown; new files get a second look after settleMs. */
  function tick(): void {
    if (stopped) return;
    scan().then(
      (r) => {
        options.onScanned?.(undefined);
        if (r.pending > 0) lookAgainIn(Math.max(10, r.nextInMs ?? settleMs) + 10);
      },
      (error: unknown) => {
        log.error({ folder: options.folder, error: messageOf(error) }, 'folder scan failed; retried at the next scan');
        options.onScanned?.(error);
      },
    );
  }

  if (options.schedule ?? true) {
    tick();
    timer = setInterval(tick, intervalMs);
  }

  const onResult = (listener: (r: ScanResult) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };

  return {
    scan,
    poke: tick,
    onResult,
    takeNow(name, expected) {
      return limit(async () => {
        if (stopped) return 'busy' as const;
        const outcome = await taker.take(name, expected);
        const result: ScanResult = { taken: [], pending: 0, failed: [] };
        record(name, outcome, result);
        if (result.taken.length > 0 || result.failed.length > 0) emit(result);
        if (result.pending > 0) lookAgainIn(Math.max(10, result.nextInMs ?? settleMs) + 10);
        return outcome;
      });
    },
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      const total: ScanResult = { taken: [], pending: 0, failed: [] };
      const failing = new Set<string>();
      // A file taken, then archived by a later scan, is one file: its last word counts.
      const takenOnce = new Map<string, TakenFile>();
      // Every scan and takeNow while we drain, the timer's too, so no file is missed.
      const unsubscribe = onResult((r) => {
        for (const t of r.taken) {
          const key = `${t.name}\u0000${t.fileId}`;
          takenOnce.delete(key);
          takenOnce.set(key, t);
        }
        for (const t of r.taken) if (!t.archiveFailed) failing.delete(t.name);
        // A failing file fails again at each scan: counted once.
        for (const name of r.failed) failing.add(name);
      });
      try {
        for (;;) {
          const r = await scan();
          await taker.idle();
          total.pending = r.pending;
          if (r.pending === 0 || Date.now() >= deadline) return { ...total, taken: [...takenOnce.values()], failed: [...failing] };
          await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(10, Math.min(r.nextInMs ?? settleMs, settleMs)) + 10, Math.max(0, deadline - Date.now()))));
        }
      } finally {
        unsubscribe();
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (followUp) clearTimeout(followUp);
      await current?.catch(() => undefined);
      await taker.idle();
    },
  };
}

/** At most `n` tasks at once, the others queued in order. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
