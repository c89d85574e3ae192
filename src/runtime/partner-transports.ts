// One running transport per configured partner (edi start): started from the PartnerDirectory,
// restarted when a reload changes the partner, stopped when its file goes away. One partner's
// transport failing to start never stops the others.
//
//   const running = startPartnerTransports({ directory, starters: { sftp, folder }, context, log });
//   ...
//   await running.stop();                       // each transport finishes the file in hand first
import type { Logger } from '../logging/logger.js';
import type { Partner, PartnerDirectory, TransportType } from '../partners/types.js';

/** What a drain took (edi start --once counts these files). */
export interface DrainResult {
  taken: Array<{ name: string; fileId: number; duplicate: boolean }>;
  /** Names that failed (left for a later run). */
  failed: string[];
  /** Files seen but not complete yet. */
  pending: number;
}

/** A started transport. */
export interface PartnerTransportHandle {
  /** Graceful: the file in hand is finished (stored and archived) or left for the next start. */
  stop(): Promise<void>;
  /**
   * Take everything there is now and wait for it (edi start --once). Its result is read by
   * drainedOf: a folder ScanResult ({ taken, failed, pending }) or SFTP PollResult[].
   */
  drain?(timeoutMs: number): Promise<unknown>;
}

export const NOTHING_DRAINED: DrainResult = Object.freeze({ taken: [], failed: [], pending: 0 }) as DrainResult;

/** A drain's result as a DrainResult: a folder ScanResult, a list of SFTP PollResults, or nothing. */
export function drainedOf(result: unknown): DrainResult {
  if (Array.isArray(result)) return mergeDrained(result.map(drainedOf));
  if (result === null || typeof result !== 'object') return NOTHING_DRAINED;
  const r = result as { partner?: string; taken?: unknown; failed?: unknown; pending?: unknown; outcome?: string; error?: string };
  const taken = Array.isArray(r.taken) ? (r.taken as DrainResult['taken']).map((t) => ({ name: t.name, fileId: t.fileId, duplicate: t.duplicate })) : [];
  const failed = Array.isArray(r.failed) ? r.failed.map((f: unknown) => (typeof f === 'string' ? f : String((f as { name?: unknown }).name))) : [];
  // A poll that could not even list its mailbox failed as a whole.
  if (r.outcome === 'failed') failed.push(`${r.partner ?? 'partner'}: ${r.error ?? 'poll failed'}`);
  return { taken, failed, pending: typeof r.pending === 'number' ? r.pending : 0 };
}

export function mergeDrained(results: readonly DrainResult[]): DrainResult {
  return {
    taken: results.flatMap((r) => r.taken),
    failed: results.flatMap((r) => r.failed),
    pending: results.reduce((n, r) => n + r.pending, 0),
  };
}

/** What every starter receives besides its partner (the gateway's intake, the database, ...). */
export type PartnerTransportStarter<C> = (partner: Partner, context: C) => Promise<PartnerTransportHandle> | PartnerTransportHandle;

export interface PartnerTransportsOptions<C> {
  directory: PartnerDirectory;
  starters: Partial<Record<TransportType, PartnerTransportStarter<C>>>;
  context: C;
  log: Logger;
  /** Partner codes served otherwise (e.g. the sample drop folder). */
  skip?: ReadonlySet<string>;
}

export interface RunningPartnerTransports {
  /** Codes of the partners whose transport runs now. */
  running(): string[];
  /** Waits for the starts and restarts under way (tests, --once). */
  settled(): Promise<void>;
  drain(timeoutMs: number): Promise<DrainResult>;
  stop(): Promise<void>;
}

export function startPartnerTransports<C>(options: PartnerTransportsOptions<C>): RunningPartnerTransports {
  const { directory, starters, context, log } = options;
  const handles = new Map<string, PartnerTransportHandle>();
  // Per partner, its starts and stops run in order; different partners run side by side.
  const queues = new Map<string, Promise<void>>();
  let stopped = false;

  const enqueue = (code: string, step: () => Promise<void>): Promise<void> => {
    const next = (queues.get(code) ?? Promise.resolve()).then(step).catch((error: unknown) => {
      log.error({ partner: code, err: error }, 'partner transport step failed');
    });
    queues.set(code, next);
    return next;
  };

  const stopOne = async (code: string, why: string) => {
    const handle = handles.get(code);
    if (!handle) return;
    handles.delete(code);
    await handle.stop();
    log.info({ partner: code }, `partner transport stopped (${why})`);
  };

  const startOne = async (code: string) => {
    if (stopped || options.skip?.has(code)) return;
    const partner = directory.get(code);
    if (!partner) return;
    if (partner.enabled === false) {
      log.info({ partner: code }, 'partner disabled (enabled: false): transport not started');
      return;
    }
    const t = partner.transport;
    // AS2 partners POST to the HTTP server (src/http/as2.ts): nothing to start or poll for them.
    if (t.type === 'as2') {
      log.info({ partner: code, transport: 'as2' }, `partner sends to POST /as2/${t.ourKeys.id} on the HTTP server`);
      return;
    }
    const starter = starters[t.type];
    if (!starter) {
      log.warn({ partner: code, transport: partner.transport.type }, 'no transport of this type in this process: partner not served');
      return;
    }
    try {
      const handle = await starter(partner, context);
      if (stopped) return void (await handle.stop());
      handles.set(code, handle);
      log.info({ partner: code, transport: partner.transport.type }, 'partner transport started');
    } catch (error) {
      // The partner stays unserved until its next change or the next start; the others go on.
      log.error({ partner: code, transport: partner.transport.type, err: error }, 'partner transport could not start');
    }
  };

  for (const partner of directory.all()) void enqueue(partner.code, () => startOne(partner.code));

  const unsubscribe = directory.onChange((change) => {
    for (const code of change.removed) void enqueue(code, () => stopOne(code, 'partner file removed'));
    for (const code of change.changed) void enqueue(code, async () => {
      await stopOne(code, 'partner file changed');
      await startOne(code);
    });
    for (const code of change.added) void enqueue(code, () => startOne(code));
  });

  const settled = async () => {
    // A reload may queue more steps meanwhile: wait until no queue moved during the wait.
    for (;;) {
      const pending = new Map(queues);
      await Promise.all(pending.values());
      if (queues.size === pending.size && [...queues].every(([code, p]) => pending.get(code) === p)) return;
    }
  };

  return {
    running: () => [...handles.keys()].sort(),
    settled,
    async drain(timeoutMs) {
      await settled();
      return mergeDrained((await Promise.all([...handles.values()].map((h) => h.drain?.(timeoutMs)))).map(drainedOf));
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await settled();
      await Promise.all([...handles.keys()].map((code) => stopOne(code, 'gateway stopping').catch((error: unknown) => {
        log.error({ partner: code, err: error }, 'partner transport stop failed');
      })));
    },
  };
}
