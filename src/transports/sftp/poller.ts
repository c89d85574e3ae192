// One poll of one partner's SFTP outbox: lock the mailbox (one poller across all gateway
// processes), connect, list, pick the files that are ready, download, hand each to intake, and
// only after intake committed archive / delete / remember it. Never throws: a poll's outcome and
// every file's fate are in the result, connection trouble goes into partner_health with an
// exponential backoff, and one partner's trouble never reaches another's poll.
//
//   const poller = createSftpPoller({ db, intake: (input) => gateway.intake(input), log });
//   const result = await poller.poll(directory.get('acme')!);
//   // { outcome: 'done', taken: [{ name: 'po-1.edi', fileId: 7, archivedAs: '/outbox/archive/2026...-po-1.edi' }], pending: 1, ... }
//
// A file is read when it stood still for a moment (size and mtime unchanged across two looks about a
// second apart; the poller remembers its looks between polls) or, with doneMarker, when FILE.done
// exists. It goes to intake when its X12 is complete, else only once our looks saw it unchanged for
// stableSeconds (readyToTake; our looks, not its mtime: the server's clock may differ). Once intake
// committed a file, remote_files remembers it by name + size + mtime (+ sha256); the archive step
// waits until the file stood still for stableSeconds and checks it is still the stored one (a writer
// that went on makes it a new file, taken again), so later polls (of any process) retry only that
// step and never take it again (docs/reliability.md#half-written-files).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { notDownloadedSha256 } from '../common/intake.js';
import { codeField, GatewayError, messageOf } from '../../errors/failure.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { metrics, secondsSince } from '../../logging/metrics.js';
import { mailboxKey } from '../../partners/cross-check.js';
import { safeFileName } from '../../partners/file-name.js';
import type { InboundMailbox, Partner } from '../../partners/types.js';
import type { Database } from '../../store/database.js';
import {
  listPartnerHealth,
  listRemoteFiles,
  pruneRemoteFiles,
  recordHealthFailure,
  recordHealthSuccess,
  rememberRemoteFile,
  remoteFileKey,
  setRemoteFileState,
} from '../../store/partners-repo.js';
import type { RemoteFileRecord } from '../../store/types.js';
import type { TransportIntake, TransportIntakeResult } from '../common/intake.js';
import { tryMailboxLock } from '../common/mailbox-lock.js';
import { archiveName, inboundFilter, unusableName } from '../common/names.js';
import { msUntilSettled, readyToTake } from '../common/ready-to-take.js';
import { StabilityTracker } from '../common/stability.js';
import { connectSftp, endpointOf, SftpError, type ConnectOptions, type RemoteEntry, type SftpSession } from './client.js';

export const SFTP_CHANNEL = 'sftp';
/** Two looks this far apart that agree: the file is read (and taken when its X12 is complete). */
const SETTLE_MS = 1000;

const windowMs = (inbound: InboundMailbox) => inbound.stableSeconds * 1000;

/** A file waits: looked at again in `ms`. */
function wait(result: PollResult, ms: number): void {
  result.pending++;
  result.recheckMs = Math.min(result.recheckMs ?? ms, ms);
}
const TRANSPORT = 'sftp';

export interface SftpPollerOptions {
  /** Advisory locks, remote_files and partner_health live here. */
  db: Database;
  /** gateway.intake: resolves after COMMIT, throws otherwise. */
  intake: TransportIntake;
  log?: Logger;
  /** Connection failures in a row push the next attempt out: base * 2^(n-1), at most max. Default 30 s .. 30 min. */
  backoff?: { baseSeconds: number; maxSeconds: number };
  /** Files downloaded and handed to intake at once per poll. Default 4. */
  concurrency?: number;
  /** At most this many files per poll (the rest wait for the next). Default 5000. */
  maxFilesPerPoll?: number;
  /** Timeouts and parallel requests (tests, bench). */
  connect?: ConnectOptions;
  /** Clock for archive names. */
  now?: () => Date;
}

export interface PollOptions {
  /** Poll even when the partner is backing off after connection failures. */
  force?: boolean;
  /** Checked between files: true stops taking more (scheduler stop). */
  stopping?: () => boolean;
}

export type PollOutcome =
  /** Listed and worked through (some files may have failed: see `failed`). */
  | 'done'
  /** Another process is polling this mailbox right now. */
  | 'locked'
  /** Connection failures: not before nextAttemptAt. */
  | 'backoff'
  /** Connection, login or listing failed (or the database): see error; partner_health counts it. */
  | 'failed'
  /** The partner has no SFTP inbound mailbox. */
  | 'idle';

export interface TakenRemoteFile {
  /** The name in the mailbox, as listed. */
  name: string;
  size: number;
  sha256: string;
  fileId: number;
  duplicate: boolean;
  /** True when intake was not called because an earlier poll already committed the file (only its archive step was retried). */
  earlier: boolean;
  /** 'archived' (moved or deleted), 'remembered' (left in place), 'ingested' (archive step failed: retried next poll). */
  state: 'archived' | 'remembered' | 'ingested';
  /** Where it was moved; undefined when deleted, left, not moved, or already gone. */
  archivedAs?: string;
}

export interface PollResult {
  partner: string;
  mailbox: string;
  outcome: PollOutcome;
  taken: TakenRemoteFile[];
  /** Listed files not ready yet (still changing, or no .done marker yet). */
  pending: number;
  /** Files that failed this time (left in place, tried again next poll). */
  failed: Array<{ name: string; error: string }>;
  /** Listed names never taken, with why (unusable names, too large). */
  skipped: Array<{ name: string; reason: string }>;
  error?: string;
  /** When the partner backs off: the next attempt. */
  nextAttemptAt?: Date;
  /** Look again this soon (ms) to catch pending files as soon as they settle; undefined: the normal interval. */
  recheckMs?: number;
}

export interface SftpPoller {
  poll(partner: Partner, options?: PollOptions): Promise<PollResult>;
}

/** A connection-level failure inside a poll: stop, count it against the partner's health. */
class PollAborted extends Error {}

export function createSftpPoller(options: SftpPollerOptions): SftpPoller {
  const { db } = options;
  const rootLog = options.log ?? silentLogger;
  const backoff = options.backoff ?? { baseSeconds: 30, maxSeconds: 1800 };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxFiles = Math.max(1, options.maxFilesPerPoll ?? 5000);
  const now = options.now ?? (() => new Date());
  // Per mailbox: the looks for stability, and names already reported as unusable (said once, not every poll).
  const trackers = new Map<string, StabilityTracker>();
  const reported = new Map<string, Set<string>>();

  async function poll(partner: Partner, pollOptions: PollOptions = {}): Promise<PollResult> {
    const started = performance.now();
    const result = await pollOnce(partner, pollOptions);
    // A poll put off (backoff) or left to another process (locked) is counted but not timed.
    const looked = result.outcome === 'done' || result.outcome === 'failed';
    if (result.outcome !== 'idle') metrics().sftpPoll(partner.code, result.outcome, looked ? secondsSince(started) : undefined);
    return result;
  }

  async function pollOnce(partner: Partner, pollOptions: PollOptions): Promise<PollResult> {
    const t = partner.transport;
    const inbound = t.type === 'sftp' ? t.inbound : undefined;
    const mailbox = inbound ? mailboxKey(partner, inbound.folder) : '';
    const result: PollResult = { partner: partner.code, mailbox, outcome: 'idle', taken: [], pending: 0, failed: [], skipped: [] };
    if (t.type !== 'sftp' || !inbound) return result;
    const log = rootLog.child({ partner: partner.code, mailbox: `${endpointOf(t)}${inbound.folder}` });

    try {
      if (!pollOptions.force) {
        const health = (await listPartnerHealth(db, { partner: partner.code })).find((h) => h.transport === TRANSPORT);
        if (health?.nextAttemptAt && health.nextAttemptAt.getTime() > Date.now()) {
          return { ...result, outcome: 'backoff', nextAttemptAt: health.nextAttemptAt, ...(health.lastError ? { error: health.lastError } : {}) };
        }
      }
      const lock = await tryMailboxLock(db, mailbox);
      if (!lock) {
        log.debug({}, 'another process is polling this mailbox; skipped');
        return { ...result, outcome: 'locked' };
      }
      try {
        await pollLocked(partner, inbound, mailbox, result, log, pollOptions);
        result.outcome = 'done';
        await recordHealthSuccess(db, { partner: partner.code, transport: TRANSPORT }).catch((error: unknown) =>
          log.warn({ error: messageOf(error) }, 'cannot record partner health'),
        );
      } finally {
        await lock.release();
      }
    } catch (error) {
      result.outcome = 'failed';
      result.error = messageOf(error);
      if (error instanceof SftpError || error instanceof PollAborted) {
        try {
          const health = await recordHealthFailure(db, { partner: partner.code, transport: TRANSPORT, error: result.error, backoff });
          if (health.nextAttemptAt) result.nextAttemptAt = health.nextAttemptAt;
          log.error(
            { error: result.error, ...codeField(error), consecutiveFailures: health.consecutiveFailures, nextAttemptAt: health.nextAttemptAt?.toISOString() },
            `sftp poll failed (${health.consecutiveFailures} in a row); next attempt not before ${health.nextAttemptAt?.toISOString() ?? 'the next poll'}`,
          );
        } catch (healthError) {
          log.error({ error: result.error, ...codeField(error), healthError: messageOf(healthError) }, 'sftp poll failed (and its health could not be recorded)');
        }
      } else {
        // Our side (the database): not the partner's fault, no backoff.
        log.error({ error: result.error, ...codeField(error) }, 'sftp poll failed on our side');
      }
    }
    return result;
  }

  async function pollLocked(partner: Partner, inbound: InboundMailbox, mailbox: string, result: PollResult, log: Logger, pollOptions: PollOptions): Promise<void> {
    const session = await connectSftp(partner, { ...options.connect, log });
    try {
      const entries = await session.list(inbound.folder);
      const known = new Map<string, RemoteFileRecord>();
      for (const r of await listRemoteFiles(db, { partner: partner.code, mailbox })) known.set(remoteFileKey(r), r);

      const tracker = trackerFor(mailbox, inbound);
      const said = reported.get(mailbox) ?? new Set<string>();
      reported.set(mailbox, said);
      // The partner's patterns, and never a temporary name whatever its ignore list says.
      const takes = inboundFilter(inbound);
      const files = entries.filter((e) => e.type === 'file');
      const names = new Set(files.map((e) => e.name));
      const ready: Array<{ entry: RemoteEntry; record?: RemoteFileRecord; tooLarge?: boolean }> = [];

      for (const entry of files) {
        const problem = unusableName(entry.name);
        if (problem) {
          result.skipped.push({ name: entry.name, reason: problem });
          if (!said.has(entry.name)) log.warn({ name: entry.name }, `listed name not taken: ${problem}`);
          said.add(entry.name);
          continue;
        }
        if (!takes(entry.name)) continue;
        const record = known.get(remoteFileKey({ path: entry.name, size: entry.size, mtime: entry.mtimeMs }));
        if (record?.state === 'remembered') continue;
        const looked = tracker.look(entry.name, entry);
        if (record?.state === 'ingested') {
          // Committed before: the archive step only, once the file stood still for the window.
          const waitMs = inbound.doneMarker ? 0 : msUntilSettled({ unchangedForMs: tracker.unchangedForMs(entry.name), stableMs: windowMs(inbound) });
          if (waitMs === 0) ready.push({ entry, record });
          else wait(result, waitMs);
          continue;
        }
        const isReady = inbound.doneMarker ? names.has(`${entry.name}.done`) : looked === 'stable';
        // Too large: not downloaded, but recorded (rejected, with the reason) and archived like any taken file.
        if (isReady) ready.push(entry.size > partner.maxFileBytes ? { entry, tooLarge: true } : { entry });
        else result.pending++;
      }
      tracker.keepOnly(names);
      for (const name of said) if (!names.has(name)) said.delete(name);

      const batch = ready.slice(0, maxFiles);
      result.pending += ready.length - batch.length;
      const archive = archiver(session, inbound, log);
      let next = 0;
      let aborted: unknown;
      const worker = async () => {
        while (next < batch.length && aborted === undefined && !pollOptions.stopping?.()) {
          const item = batch[next++]!;
          try {
            await takeFile(partner, inbound, mailbox, session, archive, item.entry, item.record, result, tracker, log, item.tooLarge);
          } catch (error) {
            aborted ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
      if (aborted !== undefined) throw aborted;

      // Archived entries whose file is gone protect nothing any more.
      const gone = new Set(result.taken.filter((t) => t.state === 'archived').map((t) => t.name));
      await pruneRemoteFiles(db, { partner: partner.code, mailbox, present: [...names].filter((n) => !gone.has(n)) }).catch((error: unknown) =>
        log.warn({ error: messageOf(error) }, 'cannot prune remembered files'),
      );
      if (result.pending > 0 && !inbound.doneMarker) {
        const waits = files.map((f) => tracker.remainingMs(f.name)).filter((ms) => ms > 0);
        if (result.recheckMs !== undefined) waits.push(result.recheckMs);
        result.recheckMs = Math.max(100, (waits.length ? Math.min(...waits) : tracker.settleMs) + 50);
      }
    } finally {
      await session.close();
    }
  }

  /** One ready file: download, intake, then the archive step (or only the archive step, when committed before). */
  async function takeFile(
    partner: Partner,
    inbound: InboundMailbox,
    mailbox: string,
    session: SftpSession,
    archive: Archiver,
    entry: RemoteEntry,
    record: RemoteFileRecord | undefined,
    result: PollResult,
    tracker: StabilityTracker,
    log: Logger,
    tooLarge = false,
  ): Promise<void> {
    const path = posix.join(inbound.folder, entry.name);
    const key = { partner: partner.code, mailbox, path: entry.name, size: entry.size, mtime: entry.mtimeMs };
    let taken: TakenRemoteFile;
    if (record) {
      taken = { name: entry.name, size: entry.size, sha256: record.sha256, fileId: record.fileId ?? 0, duplicate: false, earlier: true, state: 'ingested' };
      // Routine (the archive step waits for the window) or a retry after a failed step (logged loudly then).
      log.info({ name: entry.name, fileId: record.fileId }, 'file committed by an earlier poll: only its archive step now');
    } else {
      let bytes: Buffer;
      try {
        if (tooLarge) {
          log.error({ name: entry.name, size: entry.size, maxFileBytes: partner.maxFileBytes }, 'file larger than maxFileBytes: not downloaded; recorded as rejected and archived');
        }
        bytes = tooLarge ? Buffer.alloc(0) : await session.download(path, entry.size);
      } catch (error) {
        if (error instanceof SftpError && error.kind === 'changed') {
          tracker.forget(entry.name);
          result.pending++;
          log.info({ name: entry.name }, 'file changed while it was read; taken once it is stable');
          return;
        }
        if (error instanceof SftpError && (error.policy === 'transient' || session.closed)) {
          throw new PollAborted(`download of ${entry.name} failed: ${error.message}`, { cause: error });
        }
        result.failed.push({ name: entry.name, error: messageOf(error) });
        log.error({ name: entry.name, error: messageOf(error), ...codeField(error) }, 'cannot download; the file stays in the mailbox and is tried again');
        return;
      }
      const stableMs = inbound.doneMarker ? 0 : windowMs(inbound);
      const verdict = tooLarge ? ({ ready: true } as const) : readyToTake(bytes, { unchangedForMs: tracker.unchangedForMs(entry.name), stableMs });
      if (!verdict.ready) {
        log.debug({ name: entry.name, bytes: bytes.length, why: verdict.why, waitMs: verdict.waitMs }, 'the file does not look finished yet; waiting for the stability window');
        wait(result, verdict.waitMs);
        return;
      }
      const identity = `${mailbox}\u0000${entry.name}\u0000${entry.size}\u0000${entry.mtimeMs}`;
      const sha256 = tooLarge ? notDownloadedSha256(identity) : createHash('sha256').update(bytes).digest('hex');
      const state = inbound.archive.action === 'leave' ? 'remembered' : 'ingested';
      // Remembered in intake's own transaction: committed together with the file, or not at all.
      let remembered = false;
      let stored: TransportIntakeResult;
      try {
        stored = await options.intake({
          partner: partner.code,
          channel: SFTP_CHANNEL,
          sourceName: safeFileName(entry.name),
          bytes,
          metadata: {
            originalName: entry.name,
            remotePath: path,
            mailbox,
            size: entry.size,
            mtime: new Date(entry.mtimeMs).toISOString(),
          },
          sourceIdentity: `sftp:${mailbox}/${entry.name}?size=${entry.size}&mtime=${entry.mtimeMs}`,
          ...(tooLarge ? { notDownloaded: { size: entry.size, identity, maxFileBytes: partner.maxFileBytes } } : {}),
          inTransaction: async (tx, r) => {
            await rememberRemoteFile(tx, { ...key, sha256, state, fileId: r.fileId });
            remembered = true;
          },
        });
      } catch (error) {
        // Nothing committed: the file stays, the next poll tries again.
        result.failed.push({ name: entry.name, error: messageOf(error) });
        log.error({ name: entry.name, error: messageOf(error), ...codeField(error) }, 'intake failed; the file stays in the mailbox and is tried again');
        return;
      }
      taken = { name: entry.name, size: entry.size, sha256, fileId: stored.fileId, duplicate: stored.duplicate, earlier: false, state: 'ingested' };
      log.info(
        { name: entry.name, fileId: stored.fileId, bytes: entry.size, duplicate: stored.duplicate },
        stored.reread ? 'already received (the same file read again before it was archived)' : stored.duplicate ? 'received again (duplicate receipt)' : 'received',
      );
      try {
        // An intake without the transaction hook (tests, tools): remembered right after its commit.
        if (!remembered) await rememberRemoteFile(db, { ...key, sha256, state, fileId: stored.fileId });
        taken.state = state;
      } catch (error) {
        // Still archive below: a moved file cannot be taken twice either.
        log.error({ name: entry.name, error: messageOf(error) }, 'cannot remember the committed file; archiving it now');
      }
    }
    result.taken.push(taken);
    if (inbound.archive.action === 'leave') {
      tracker.forget(entry.name);
      return;
    }
    // The archive step waits until the file stood still for the window: a writer still at work
    // changes it in the mailbox (taken again), never an archived copy.
    const dueMs = inbound.doneMarker ? 0 : msUntilSettled({ unchangedForMs: tracker.unchangedForMs(entry.name), stableMs: windowMs(inbound) });
    if (dueMs > 0 && !record) {
      wait(result, dueMs);
      return;
    }
    // Still the file that was stored?
    const current = await session.stat(path);
    if (current && (current.size !== entry.size || current.mtimeMs !== entry.mtimeMs)) {
      log.warn({ name: entry.name, fileId: taken.fileId, storedBytes: entry.size, nowBytes: current.size }, 'the file changed after it was received: not archived, taken again once it is finished');
      result.pending++;
      return;
    }
    tracker.forget(entry.name);

    let outcome: Awaited<ReturnType<Archiver>>;
    try {
      outcome = await archive(entry.name);
    } catch (error) {
      if (error instanceof SftpError && (error.policy === 'transient' || session.closed)) {
        throw new PollAborted(`archive of ${entry.name} failed: ${error.message}`, { cause: error });
      }
      result.failed.push({ name: entry.name, error: messageOf(error) });
      log.error(
        { name: entry.name, fileId: taken.fileId, sha256: taken.sha256, error: messageOf(error), ...codeField(error) },
        'FILE COMMITTED BUT NOT ARCHIVED: it stays in the mailbox; it will not be received twice, the archive step is retried at each poll',
      );
      return;
    }
    taken.state = 'archived';
    if (outcome.movedTo) taken.archivedAs = outcome.movedTo;
    await setRemoteFileState(db, { ...key, from: ['ingested'], to: 'archived' }).catch((error: unknown) =>
      log.warn({ name: entry.name, error: messageOf(error) }, 'archived, but its record could not be updated'),
    );
    if (inbound.doneMarker) {
      await session.remove(`${path}.done`).catch((error: unknown) => {
        if (!(error instanceof SftpError && error.kind === 'not-found')) log.warn({ name: `${entry.name}.done`, error: messageOf(error) }, 'cannot delete the .done marker');
      });
    }
  }

  type Archiver = (name: string) => Promise<{ movedTo?: string; gone?: boolean }>;

  /** The archive step of a mailbox: move under a timestamped name (never over another file), or delete. */
  function archiver(session: SftpSession, inbound: InboundMailbox, log: Logger): Archiver {
    let folderReady: Promise<void> | undefined;
    return async (name) => {
      const path = posix.join(inbound.folder, name);
      const policy = inbound.archive;
      if (policy.action === 'delete') {
        try {
          await session.remove(path);
          return {};
        } catch (error) {
          if (error instanceof SftpError && error.kind === 'not-found') return { gone: true };
          throw error;
        }
      }
      if (policy.action !== 'move') return {};
      folderReady ??= session.ensureFolder(policy.folder).catch((error: unknown) => {
        folderReady = undefined;
        throw error;
      });
      await folderReady;
      const at = now();
      for (let attempt = 0; attempt < 20; attempt++) {
        const target = posix.join(policy.folder, archiveName(name, at, attempt));
        try {
          await session.rename(path, target);
          return { movedTo: target };
        } catch (error) {
          if (!(error instanceof SftpError) || error.policy === 'transient') throw error;
          // RENAME never overwrites: a taken name means try the next one.
          if (await session.stat(target)) continue;
          if (!(await session.stat(path))) {
            log.info({ name }, 'the file was archived by another poller');
            return { gone: true };
          }
          throw error;
        }
      }
      throw new GatewayError('TRANSPORT_NO_FREE_NAME', `no free archive name for ${name} in ${policy.folder}`, { folder: policy.folder });
    };
  }

  function trackerFor(mailbox: string, inbound: InboundMailbox): StabilityTracker {
    const settleMs = Math.min(SETTLE_MS, windowMs(inbound));
    let tracker = trackers.get(mailbox);
    if (!tracker || tracker.settleMs !== settleMs) trackers.set(mailbox, (tracker = new StabilityTracker(settleMs)));
    return tracker;
  }

  return { poll };
}
