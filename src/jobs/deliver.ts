// Delivery stage: sends what waits in `outbound` (997/999/TA1 today; 850/855/856/810 later: the
// stage only needs an entry's kind and bytes) through the partner's outbound channel (SFTP inbox or
// folder, src/transports/outbound.ts). A sweep over the table, not a pg-boss queue: the rows are
// the queue already, and FOR UPDATE SKIP LOCKED lets several gateway processes share them, each
// entry delivered by one process at a time (its row stays locked during the upload).
//
// Per entry: (1) a short transaction fixes its file name from the partner's pattern and counts the
// try, and commits BEFORE anything is uploaded; (2) a second one locks it again, uploads under that
// name and records 'sent' (remote path, event). A crash between the upload and the commit leaves
// the entry ready with its name; the next try finds the file already there with the same bytes
// (folder) or size (SFTP) and records it as sent, instead of leaving a second copy under another name.
// Failures wait base * 2^(tries-1) (capped) and end 'failed' after maxAttempts (replayDelivery
// sends it again). A partner with nowhere to deliver keeps its entries ready, with the reason.
import { codeField } from '../errors/failure.js';
import { renderFileName } from '../partners/file-name.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { claimDelivery, deferDelivery, lockDelivery, lockDueDeliveries, markDelivered, replayDelivery, type DeliveryRecord } from '../store/delivery-repo.js';
import { addEvent } from '../store/events-repo.js';
import type { Database } from '../store/database.js';
import { messageOf } from './context.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { Waker } from './wakeup.js';
import type { OutboundChannel, OutboundChannels } from '../transports/outbound-channel.js';

/** The wake-up name a queued entry NOTIFYs (acks.ts) and the delivery loop waits on. */
export const DELIVERY_WAKE = 'edi-deliver';

export interface DeliveryOptions {
  channels: OutboundChannels;
  /** Tries before an entry ends 'failed'. Default 8. */
  maxAttempts?: number;
  /** Wait after the first failed try, doubling, at most maxDelaySeconds. Default 5 s .. 15 min. */
  baseDelaySeconds?: number;
  maxDelaySeconds?: number;
  /** Look again after this long when nothing woke us, and when a partner has no channel. Default 1000 ms / 60 s. */
  intervalMs?: number;
  missingRecheckSeconds?: number;
  /** Entries claimed per sweep. Default 20. */
  batchSize?: number;
  /** Clock for file-name timestamps (tests). */
  now?: () => Date;
}

export interface DeliveryResult {
  sent: number[];
  /** Tried and failed (waiting for a retry, or failed for good). */
  failed: number[];
  /** Left ready: the partner has no channel. */
  waiting: number[];
}

export function deliveryBackoffSeconds(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

/** ISA13 of an X12 payload (its fourth character is the element separator); undefined for anything else. */
export function interchangeControlOf(payload: string): string | undefined {
  if (!payload.startsWith('ISA') || payload.length < 106) return undefined;
  const control = payload.slice(0, 106).split(payload[3]!)[13];
  return control && /^\d{1,9}$/.test(control.trim()) ? control.trim() : undefined;
}

/** One sweep: claims what is due and delivers it. Never throws for a single entry's trouble. */
export async function deliverDue(db: Database, options: DeliveryOptions, log: Logger = silentLogger): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: [], failed: [], waiting: [] };
  const now = options.now ?? (() => new Date());
  // (1) Claim: names fixed and tries counted, committed before any upload.
  const claimed = await withTransaction(db, async (tx) => {
    const out: Array<{ entry: DeliveryRecord; channel: OutboundChannel; resume: boolean }> = [];
    for (const entry of await lockDueDeliveries(tx, options.batchSize ?? 20)) {
      const channel = options.channels(entry.partner);
      if ('missing' in channel) {
        await waitForChannel(tx, entry, channel.missing, options.missingRecheckSeconds ?? 60, log);
        result.waiting.push(entry.id);
        continue;
      }
      const control = interchangeControlOf(entry.payload) ?? entry.id;
      const name = entry.fileName ?? renderFileName(channel.fileNamePattern, { partner: entry.partner, set: entry.kind, control, now: now() });
      const updated = await claimDelivery(tx, { id: entry.id, fileName: name });
      // A name fixed by an earlier try (also before a replay, which resets the tries) means that
      // try may have delivered: look for the file before writing it again.
      if (updated) out.push({ entry: updated, channel, resume: entry.fileName !== null });
    }
    return out;
  });
  // (2) Deliver, one entry per transaction holding its row lock.
  for (const { entry, channel, resume } of claimed) {
    const outcome = await withTransaction(db, (tx) => deliverOne(tx, entry.id, channel, resume, options, log));
    if (outcome) result[outcome].push(entry.id);
  }
  return result;
}

async function deliverOne(tx: Tx, id: number, channel: OutboundChannel, resume: boolean, options: DeliveryOptions, log: Logger): Promise<'sent' | 'failed' | undefined> {
  const entry = await lockDelivery(tx, id);
  if (!entry) return undefined; // sent or being sent by another process meanwhile
  const name = entry.fileName!;
  const where = { outbound: entry.id, partner: entry.partner, kind: entry.kind, name, to: channel.describe };
  try {
    const done = await channel.deliver({ name, bytes: Buffer.from(entry.payload, 'utf8'), resume });
    await markDelivered(tx, { id: entry.id, fileName: done.name, remotePath: done.path });
    const message = done.alreadyThere
      ? `${entry.kind} found delivered by an earlier try as ${done.path} (${channel.describe}): sent`
      : `${entry.kind} delivered as ${done.path} (${channel.describe})`;
    await addEvent(tx, {
      fileId: entry.fileId, stage: 'deliver', actor: 'system', fromState: 'ready', toState: 'sent', message,
      details: { outboundId: entry.id, kind: entry.kind, name: done.name, path: done.path, attempts: entry.attempts, ...(done.alreadyThere ? { alreadyThere: true } : {}) },
    });
    log.info({ ...where, path: done.path, attempts: entry.attempts }, message);
    return 'sent';
  } catch (error) {
    const max = options.maxAttempts ?? 8;
    const last = entry.attempts >= max;
    const wait = deliveryBackoffSeconds(entry.attempts, options.baseDelaySeconds ?? 5, options.maxDelaySeconds ?? 900);
    const reason = last
      ? `delivery of ${entry.kind} ${name} to ${channel.describe} failed ${entry.attempts} times; last error: ${messageOf(error)}`
      : `delivery try ${entry.attempts} of ${max} to ${channel.describe} failed, next in ${wait} s: ${messageOf(error)}`;
    await deferDelivery(tx, { id: entry.id, reason, delaySeconds: wait, fail: last });
    await addEvent(tx, {
      fileId: entry.fileId, stage: 'deliver', actor: 'system', ...(last ? { fromState: 'ready', toState: 'failed' } : {}), message: reason,
      details: { outboundId: entry.id, kind: entry.kind, name, attempts: entry.attempts, error: messageOf(error), ...codeField(error) },
    });
    log[last ? 'error' : 'warn']({ ...where, attempts: entry.attempts, error: messageOf(error), ...codeField(error) }, last ? 'delivery failed for good' : 'delivery failed; will retry');
    return 'failed';
  }
}

/** Nowhere to deliver: the entry stays ready, looked at again later; the reason is said once. */
async function waitForChannel(tx: Tx, entry: DeliveryRecord, missing: string, recheckSeconds: number, log: Logger): Promise<void> {
  const reason = `waiting: ${missing}`;
  await deferDelivery(tx, { id: entry.id, reason, delaySeconds: recheckSeconds, fail: false });
  if (entry.reason === reason) return;
  await addEvent(tx, { fileId: entry.fileId, stage: 'deliver', actor: 'system', message: `${entry.kind} not delivered yet: ${missing}`, details: { outboundId: entry.id, kind: entry.kind } });
  log.warn({ outbound: entry.id, partner: entry.partner, kind: entry.kind }, `not delivered yet: ${missing}`);
}

/** failed -> ready (an event with the actor); false when the entry is not failed. */
export async function replayOutbound(db: Database, id: number, actor: string): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const entry = await replayDelivery(tx, id);
    if (!entry) return false;
    await addEvent(tx, {
      fileId: entry.fileId, stage: 'replay', actor, fromState: 'failed', toState: 'ready',
      message: `${entry.kind} queued for delivery again by ${actor}`, details: { outboundId: entry.id },
    });
    return true;
  });
}

export interface DeliveryLoop {
  /** One sweep now (tests, --once); waits for a sweep in progress first. */
  sweep(): Promise<DeliveryResult>;
  stop(): Promise<void>;
}

/** Sweeps until stopped: right away, on every wake-up (a queued entry), else every intervalMs. */
export function startDeliveryLoop(db: Database, options: DeliveryOptions, deps: { log: Logger; waker?: Waker }): DeliveryLoop {
  const { log, waker } = deps;
  const intervalMs = options.intervalMs ?? 1000;
  let stopping = false;
  let current: Promise<DeliveryResult> = Promise.resolve({ sent: [], failed: [], waiting: [] });
  let wake: (() => void) | undefined;
  const sweep = () => {
    current = current.catch(() => undefined).then(() => deliverDue(db, options, log));
    return current;
  };
  const loop = (async () => {
    let errorDelay = 0;
    while (!stopping) {
      const mark = waker?.mark(DELIVERY_WAKE) ?? 0;
      let busy = false;
      try {
        const r = await sweep();
        busy = r.sent.length + r.failed.length > 0;
        errorDelay = 0;
      } catch (error) {
        // The database is away: try again with backoff, never crash.
        errorDelay = Math.min(errorDelay ? errorDelay * 2 : 250, 5_000);
        if (!stopping) log.warn({ error: messageOf(error), retryInMs: errorDelay }, 'delivery sweep failed');
      }
      if (stopping || busy) continue;
      const ms = errorDelay || intervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
        if (waker && !errorDelay) void waker.wait(DELIVERY_WAKE, mark, ms).then(done);
      });
    }
  })();
  return {
    sweep,
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await current.catch(() => undefined);
    },
  };
}
