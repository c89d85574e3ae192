// Polls every SFTP partner's outbox at its own interval, a few partners at a time. The partner list
// is read from the directory at each tick, so a reload applies at each partner's next poll and
// removed partners stop being polled (a poll in flight finishes). A partner whose polls fail backs
// off (partner_health); the others go on. stop() lets polls in flight finish their current file.
//
//   const scheduler = startSftpScheduler({ partners: directory, poller: createSftpPoller({ db, intake, log }), log });
//   await scheduler.pollNow(['acme']);     // tests and `edi start --once`
//   await scheduler.stop();
import { codeField } from '../../errors/failure.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import type { Partner, PartnerDirectory } from '../../partners/types.js';
import type { Database } from '../../store/database.js';
import type { TransportIntake } from '../common/intake.js';
import { createSftpPoller, type PollResult, type SftpPoller, type SftpPollerOptions } from './poller.js';

export interface SftpSchedulerOptions {
  partners: Pick<PartnerDirectory, 'all'>;
  poller: SftpPoller;
  log?: Logger;
  /** Polls running at once, across partners. Default 4. */
  maxConcurrent?: number;
  /** How often due partners are looked for. Default 250 ms. */
  tickMs?: number;
  /** Hears every poll's result (metrics, tests). */
  onPoll?: (result: PollResult) => void;
  /** false: no timer, polls only through pollNow (edi start --once). Default true. */
  schedule?: boolean;
}

export interface SftpScheduler {
  /** Polls these partners (default: every SFTP partner with an inbound mailbox) now, after any poll of theirs in flight. */
  pollNow(codes?: readonly string[]): Promise<PollResult[]>;
  /** The partners being polled, with when each is due next. */
  status(): Array<{ partner: string; dueAt: Date; running: boolean }>;
  stop(): Promise<void>;
}

interface Slot {
  dueAt: number;
  running?: Promise<PollResult>;
}

/** Partners this scheduler polls: SFTP with an inbound mailbox, not disabled. */
export function polledPartners(partners: Pick<PartnerDirectory, 'all'>): Partner[] {
  return partners.all().filter((p) => p.transport.type === 'sftp' && p.transport.inbound !== undefined && p.enabled !== false);
}

export function startSftpScheduler(options: SftpSchedulerOptions): SftpScheduler {
  const log = options.log ?? silentLogger;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
  const slots = new Map<string, Slot>();
  let stopped = false;
  let running = 0;

  const run = (partner: Partner, slot: Slot): Promise<PollResult> => {
    running++;
    const started = Date.now();
    const promise = options.poller
      .poll(partner, { stopping: () => stopped })
      .catch((error: unknown): PollResult => {
        // poll() does not throw; should it ever, this partner fails alone.
        log.error({ partner: partner.code, error: error instanceof Error ? error.message : String(error), ...codeField(error) }, 'sftp poll threw');
        return { partner: partner.code, mailbox: '', outcome: 'failed', taken: [], pending: 0, failed: [], skipped: [], error: String(error) };
      })
      .then((result) => {
        slot.dueAt = nextDue(partner, result, started);
        try {
          options.onPoll?.(result);
        } catch (error) {
          log.warn({ error: error instanceof Error ? error.message : String(error) }, 'onPoll listener failed');
        }
        return result;
      })
      .finally(() => {
        running--;
        slot.running = undefined;
      });
    slot.running = promise;
    return promise;
  };

  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    const partners = polledPartners(options.partners);
    const present = new Set(partners.map((p) => p.code));
    for (const [code, slot] of slots) if (!present.has(code) && !slot.running) slots.delete(code);
    for (const partner of partners) {
      let slot = slots.get(partner.code);
      if (!slot) slots.set(partner.code, (slot = { dueAt: now }));
      if (slot.running || slot.dueAt > now) continue;
      if (running >= maxConcurrent) break;
      void run(partner, slot);
    }
  };

  const timer = options.schedule === false ? undefined : setInterval(tick, Math.max(10, options.tickMs ?? 250));
  // The gateway keeps the process alive; a forgotten scheduler must not.
  timer?.unref();
  if (timer) tick();

  return {
    async pollNow(codes) {
      const partners = polledPartners(options.partners).filter((p) => !codes || codes.includes(p.code));
      return Promise.all(
        partners.map(async (partner) => {
          let slot = slots.get(partner.code);
          if (!slot) slots.set(partner.code, (slot = { dueAt: Date.now() }));
          while (slot.running) await slot.running;
          return run(partner, slot);
        }),
      );
    },
    status() {
      return [...slots].map(([partner, slot]) => ({ partner, dueAt: new Date(slot.dueAt), running: slot.running !== undefined }));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...slots.values()].map((s) => s.running));
    },
  };
}

/** After a poll: back off when failing, look again soon for pending files, else the partner's interval. */
function nextDue(partner: Partner, result: PollResult, started: number): number {
  const t = partner.transport;
  const intervalMs = ((t.type === 'sftp' ? t.inbound?.pollSeconds : undefined) ?? 60) * 1000;
  const regular = started + intervalMs;
  if (result.nextAttemptAt) return Math.max(result.nextAttemptAt.getTime(), regular);
  if (result.recheckMs !== undefined) return Date.now() + Math.min(result.recheckMs, intervalMs);
  return regular;
}

/** What `edi start` hands each partner's transport (src/cli/commands/transport-starters.ts TransportContext fits). */
export interface SftpTransportContext {
  db: Database;
  intake: TransportIntake;
  log: Logger;
}

export interface SftpTransportHandle {
  /** Lets a poll in flight finish its current file, then stops. */
  stop(): Promise<void>;
  /** Polls until nothing is pending (files still settling) or timeoutMs passed; stops early when the partner fails. */
  drain(timeoutMs: number): Promise<PollResult[]>;
}

/**
 * One partner's SFTP inbound, polled at its interval: the starter for `edi start`
 * (startPartnerTransports restarts it when the partner file changes). Nothing to poll when the
 * partner has no inbound mailbox (an outbound-only partner).
 */
export function startSftpTransport(
  partner: Partner,
  context: SftpTransportContext,
  options: Partial<SftpPollerOptions> & { schedule?: boolean } = {},
): SftpTransportHandle {
  const log = context.log.child({ partner: partner.code, transport: 'sftp' });
  const { schedule, ...pollerOptions } = options;
  const poller = createSftpPoller({ ...pollerOptions, db: context.db, intake: context.intake, log });
  const scheduler = startSftpScheduler({ partners: { all: () => [partner] }, poller, log, maxConcurrent: 1, ...(schedule === false ? { schedule } : {}) });
  return {
    stop: () => scheduler.stop(),
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const results: PollResult[] = [];
      for (;;) {
        const [result] = await scheduler.pollNow([partner.code]);
        if (!result) return results;
        results.push(result);
        const settling = result.outcome === 'done' && result.pending > 0 && result.recheckMs !== undefined;
        if (!settling && result.outcome !== 'locked') return results;
        const wait = result.recheckMs ?? 100;
        if (Date.now() + wait > deadline) return results;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}
