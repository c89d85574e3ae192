// Delivery stage: sends what waits in `outbound` (997/999/TA1, and the 850/855/856/810 of
// outbound.ts: the stage only needs an entry's kind and bytes) through the partner's outbound channel (SFTP inbox or
// folder, src/transports/outbound.ts). A sweep over the table, not a pg-boss queue: the rows are
// the queue already. Like the post stage, claim -> deliver -> record, so that no transaction (and
// no pooled connection) is held while an upload runs, which on SFTP may take up to its timeouts:
// - claim: one short transaction takes the due entries (FOR UPDATE SKIP LOCKED, so several gateway
//   processes share them), fixes each one's file name from the partner's pattern, counts the try
//   and leases it to this sweep (holder, expiry; renewed while the sweep works), then commits;
// - deliver: the channel uploads under the fixed name with no transaction open;
// - record: a short transaction per entry writes 'sent' (remote path, event) or the failure and its
//   backoff, only where this sweep's lease still stands.
// A process that dies after its claim leaves the entry leased; once the lease ran out a sweep takes
// it again, and the fixed name makes that try find the file the first one may have left (same bytes
// in a folder, same size on SFTP) and record it as sent, instead of leaving a second copy.
// Failures wait base * 2^(tries-1) (capped) and end 'failed' after maxAttempts (replayDelivery
// sends it again). A partner with nowhere to deliver keeps its entries ready, with the reason.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { codeField, retryPolicyOf } from '../errors/failure.js';
import { renderFileName } from '../partners/file-name.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { claimDelivery, deferDelivery, lockDueDeliveries, markDelivered, renewDeliveryLeases, replayDelivery, type DeliveryRecord } from '../store/delivery-repo.js';
import { addEvent } from '../store/events-repo.js';
import { markOutboundDocumentSent } from '../store/outbound-documents-repo.js';
import type { Database } from '../store/database.js';
import { messageOf } from './context.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { metrics } from '../logging/metrics.js';
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
  /**
   * How long a claim keeps other processes away from an entry; renewed every third of it while the
   * sweep works, so it only bounds how soon the entry of a dead process is taken over. Default 60 s.
   */
  leaseSeconds?: number;
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

/** Who holds a claim: this process, and one sweep of it. */
const PROCESS = `${hostname()}/${process.pid}`;

interface Claimed {
  entry: DeliveryRecord;
  channel: OutboundChannel;
  /** An earlier try fixed the name and may have delivered: look for the file before writing it again. */
  resume: boolean;
}

/**
 * One sweep: claims what is due and delivers it. Throws only when the claim cannot be made (the
 * database is away); a single entry's trouble, also an outcome that cannot be recorded, is logged.
 */
export async function deliverDue(db: Database, options: DeliveryOptions, log: Logger = silentLogger): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: [], failed: [], waiting: [] };
  const holder = `${PROCESS}/${randomUUID()}`;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const claimed = await withTransaction(db, (tx) => claim(tx, options, holder, leaseSeconds, result, log));
  if (claimed.length === 0) return result;
  const held = new Set(claimed.map((c) => c.entry.id));
  const renewal = renewWhileHeld(db, holder, leaseSeconds, held, log);
  try {
    // One upload at a time: a partner's server sees one login for the sweep (the SFTP uploader keeps
    // it for the next file), not a burst of parallel ones.
    for (const c of claimed) {
      const outcome = await deliverOne(db, c, holder, options, log);
      held.delete(c.entry.id);
      if (outcome) result[outcome].push(c.entry.id);
    }
  } finally {
    renewal.stop();
  }
  return result;
}

/** Names fixed, tries counted and leases taken, in one transaction; entries without a channel are put off. */
async function claim(tx: Tx, options: DeliveryOptions, holder: string, leaseSeconds: number, result: DeliveryResult, log: Logger): Promise<Claimed[]> {
  const now = options.now ?? (() => new Date());
  const out: Claimed[] = [];
  for (const entry of await lockDueDeliveries(tx, options.batchSize ?? 20)) {
    const channel = options.channels(entry.partner);
    if ('missing' in channel) {
      await waitForChannel(tx, entry, channel.missing, options.missingRecheckSeconds ?? 60, log);
      result.waiting.push(entry.id);
      continue;
    }
    const control = interchangeControlOf(entry.payload) ?? entry.id;
    const name = entry.fileName ?? renderFileName(channel.fileNamePattern, { partner: entry.partner, set: entry.kind, control, now: now() });
    const updated = await claimDelivery(tx, { id: entry.id, fileName: name, holder, leaseSeconds });
    // A name fixed by an earlier try (also one whose process died, or before a replay, which resets
    // the tries) means that try may have delivered.
    if (updated) out.push({ entry: updated, channel, resume: entry.fileName !== null });
  }
  return out;
}

/** Uploads with no transaction open, then records the outcome under the lease. */
async function deliverOne(db: Database, c: Claimed, holder: string, options: DeliveryOptions, log: Logger): Promise<'sent' | 'failed' | undefined> {
  const { entry, channel, resume } = c;
  const name = entry.fileName!;
  // fileId: the file an acknowledgment answers, so its delivery lines grep with the file's story.
  const where = { outbound: entry.id, ...(entry.fileId !== null ? { fileId: entry.fileId } : {}), partner: entry.partner, kind: entry.kind, name, to: channel.describe, attempts: entry.attempts };
  const upload = await channel.deliver({ name, bytes: Buffer.from(entry.payload, 'utf8'), resume, entryId: entry.id, kind: entry.kind }).then(
    (done) => ({ done }),
    (error: unknown) => ({ error }),
  );
  metrics().delivery(entry.partner, 'done' in upload ? 'sent' : 'failed');
  try {
    if ('done' in upload) {
      const { done } = upload;
      const message = done.alreadyThere
        ? `${entry.kind} found delivered by an earlier try as ${done.path} (${channel.describe}): sent`
        : `${entry.kind} delivered as ${done.path} (${channel.describe})`;
      const recorded = await withTransaction(db, async (tx) => {
        if (!(await markDelivered(tx, { id: entry.id, fileName: done.name, remotePath: done.path, holder }))) return false;
        // A business document (850/855/856/810) goes built -> sent on its own timeline (a resend
        // restarts its acknowledgment clock); anything else (an acknowledgment) gets its event on the file it answers.
        const documents = await markOutboundDocumentSent(tx, entry.id, done.path);
        if (documents.length === 0) await addEvent(tx, {
          fileId: entry.fileId, stage: 'deliver', actor: 'system', fromState: 'ready', toState: 'sent', message,
          details: { outboundId: entry.id, kind: entry.kind, name: done.name, path: done.path, attempts: entry.attempts, ...(done.alreadyThere ? { alreadyThere: true } : {}) },
        });
        return true;
      });
      if (!recorded) return leaseLost(where, holder, log);
      log.info({ ...where, path: done.path }, message);
      return 'sent';
    }
    const { error } = upload;
    const max = options.maxAttempts ?? 8;
    // Refused for good by the partner's side (an AS2 MDN with an error): no try would do better.
    const refused = retryPolicyOf(error) === 'business';
    const last = refused || entry.attempts >= max;
    const wait = deliveryBackoffSeconds(entry.attempts, options.baseDelaySeconds ?? 5, options.maxDelaySeconds ?? 900);
    const reason = refused
      ? `delivery of ${entry.kind} ${name} to ${channel.describe} refused: ${messageOf(error)}`
      : last
      ? `delivery of ${entry.kind} ${name} to ${channel.describe} failed ${entry.attempts} times; last error: ${messageOf(error)}`
      : `delivery try ${entry.attempts} of ${max} to ${channel.describe} failed, next in ${wait} s: ${messageOf(error)}`;
    const recorded = await withTransaction(db, async (tx) => {
      if (!(await deferDelivery(tx, { id: entry.id, reason, delaySeconds: wait, fail: last, holder }))) return false;
      await addEvent(tx, {
        fileId: entry.fileId, stage: 'deliver', actor: 'system', ...(last ? { fromState: 'ready', toState: 'failed' } : {}), message: reason,
        details: { outboundId: entry.id, kind: entry.kind, name, attempts: entry.attempts, error: messageOf(error), ...codeField(error) },
      });
      return true;
    });
    if (!recorded) return leaseLost(where, holder, log);
    log[last ? 'error' : 'warn']({ ...where, error: messageOf(error), ...codeField(error) }, last ? 'delivery failed for good' : 'delivery failed; will retry');
    return 'failed';
  } catch (error) {
    // The entry stays claimed; once its lease ran out a sweep takes it again and finds what this upload left.
    log.warn({ ...where, error: messageOf(error), ...codeField(error) }, 'cannot record the outcome of a delivery; it is resumed when its lease runs out');
    return undefined;
  }
}

/** Another sweep took the entry over (this one's lease ran out): that sweep records it. */
function leaseLost(where: Record<string, unknown>, holder: string, log: Logger): undefined {
  log.warn({ ...where, holder }, 'the lease of a delivery was lost before its outcome was recorded');
  return undefined;
}

/** Keeps the leases of `held` from running out while the sweep uploads; logs a lease it lost. */
function renewWhileHeld(db: Database, holder: string, leaseSeconds: number, held: Set<number>, log: Logger): { stop(): void } {
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing || held.size === 0) return;
    renewing = true;
    const ids = [...held];
    renewDeliveryLeases(db, { ids, holder, leaseSeconds })
      .then((still) => {
        const lost = ids.filter((id) => held.has(id) && !still.has(id));
        if (lost.length) log.warn({ outbound: lost, holder }, 'leases of deliveries lost while uploading (another sweep took them over)');
      })
      .catch((error: unknown) => log.warn({ error: messageOf(error), ...codeField(error) }, 'cannot renew the leases of deliveries'))
      .finally(() => {
        renewing = false;
      });
  }, Math.max(100, (leaseSeconds * 1000) / 3));
  return { stop: () => clearInterval(timer) };
}

/** Nowhere to deliver: the entry stays ready, looked at again later; the reason is said once. */
async function waitForChannel(tx: Tx, entry: DeliveryRecord, missing: string, recheckSeconds: number, log: Logger): Promise<void> {
  const reason = `waiting: ${missing}`;
  // The claim's row lock guards this change (no lease taken): holder null.
  await deferDelivery(tx, { id: entry.id, reason, delaySeconds: recheckSeconds, fail: false, holder: null });
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
