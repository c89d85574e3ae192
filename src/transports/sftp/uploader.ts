// Puts one outbound file into a partner's SFTP inbox so that the partner never sees half of it: the
// bytes go under a hidden temporary name (.NAME.xxxx.part), a stat checks the size, and only then a
// rename gives the file its final name (SFTP RENAME never overwrites an existing file). Failures
// whose code's policy is transient (connection, timeout, a short upload) are retried with a fresh
// connection; the others (credentials, rights, a taken name) wait for the caller's next try. The
// temporary file of a failed try is removed.
//
//   const uploader = createSftpUploader({ log });
//   const { path } = await uploader.upload({ partner, bytes, set: '855', control: 42 });
//   // '/inbox/acme_855_000000042_20261101120000.edi'
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { renderFileName } from '../../partners/file-name.js';
import type { Partner } from '../../partners/types.js';
import { safeFileName, temporaryName } from '../common/names.js';
import { connectSftp, endpointOf, SftpError, type ConnectOptions, type SftpSession } from './client.js';

export interface SftpUploaderOptions {
  log?: Logger;
  /** Tries after the first one for failures whose policy is transient. Default 3. */
  retries?: number;
  /** Wait before the first retry, doubling each time. Default 1000 ms. */
  retryDelayMs?: number;
  connect?: ConnectOptions;
}

export interface SftpUploadRequest {
  partner: Partner;
  bytes: Uint8Array;
  /** For the file name pattern: the transaction set ('855') or kind ('997', 'TA1'). */
  set: string;
  /** ISA13. */
  control: string | number;
  /** The time in {timestamp}. Default now. */
  now?: Date;
  /** This final name instead of one from the pattern (the delivery stage fixes it before the first try). */
  name?: string;
  /**
   * An earlier try of this file may have completed (a crash before its success was recorded): a
   * file already under the final name with the same size is taken as that try's, not uploaded again.
   */
  resume?: boolean;
}

export interface SftpUploadResult {
  /** The final remote path. */
  path: string;
  name: string;
  bytes: number;
  /** 1 when the first try went through. */
  attempts: number;
  /** resume: the file was there already (same size); nothing was uploaded. */
  alreadyThere?: boolean;
}

export interface SftpUploader {
  /** Resolves once the file is complete under its final name; throws SftpError otherwise (no file left under the final name). */
  upload(request: SftpUploadRequest): Promise<SftpUploadResult>;
}

/**
 * How long a connection waits for the next upload to the same mailbox: the uploads of one delivery
 * sweep (and of sweeps right after it) share one login instead of one each, which made a burst of
 * outbound documents wait on SSH handshakes (about 15 files/s on loopback). Short, so an idle
 * connection never holds a stopping process for long.
 */
const REUSE_MS = 1000;

export function createSftpUploader(options: SftpUploaderOptions = {}): SftpUploader {
  const rootLog = options.log ?? silentLogger;
  const retries = Math.max(0, options.retries ?? 3);
  const delayMs = Math.max(0, options.retryDelayMs ?? 1000);
  const parked = new Map<string, { session: SftpSession; timer: NodeJS.Timeout }>();
  const keyOf = (partner: Partner) => {
    const t = partner.transport as Extract<Partner['transport'], { type: 'sftp' }>;
    return `${partner.code}|${t.username}@${endpointOf(t)}|${'hostKey' in t ? String(t.hostKey) : ''}`;
  };
  /** A parked connection to this mailbox, else undefined. */
  const take = (key: string): SftpSession | undefined => {
    const p = parked.get(key);
    if (!p) return undefined;
    parked.delete(key);
    clearTimeout(p.timer);
    return p.session.closed ? undefined : p.session;
  };
  const park = async (key: string, session: SftpSession) => {
    if (session.closed) return;
    const before = parked.get(key);
    if (before) {
      // Two uploads to one mailbox at once: keep one connection.
      await session.close();
      return;
    }
    const timer = setTimeout(() => {
      if (parked.get(key)?.session === session) parked.delete(key);
      void session.close();
    }, REUSE_MS);
    timer.unref();
    parked.set(key, { session, timer });
  };

  return {
    async upload(request) {
      const { partner } = request;
      const t = partner.transport;
      if (t.type !== 'sftp' || !t.outbound) throw new TypeError(`partner ${partner.code} has no SFTP outbound mailbox`);
      const name = request.name !== undefined
        ? safeFileName(request.name)
        : renderFileName(t.outbound.fileName, { partner: partner.code, set: request.set, control: request.control, ...(request.now ? { now: request.now } : {}) });
      const path = posix.join(t.outbound.folder, name);
      // One temporary name for every try, so that a retry finds and removes what a failed try left.
      const temp = posix.join(t.outbound.folder, temporaryName(name, randomUUID().slice(0, 8)));
      const size = request.bytes.byteLength;
      const log = rootLog.child({ partner: partner.code, endpoint: endpointOf(t), path });
      let renameSent = false;

      const key = keyOf(partner);
      for (let attempt = 1; ; attempt++) {
        let session: SftpSession | undefined;
        // A connection parked by the last upload serves the first try; retries always connect afresh.
        let reused = false;
        let keep = false;
        try {
          session = attempt === 1 ? take(key) : undefined;
          reused = session !== undefined;
          session ??= await connectSftp(partner, { ...options.connect, log });
          if (request.resume && attempt === 1) {
            const there = await session.stat(path);
            if (there?.type === 'file' && there.size === size) {
              log.info({}, 'already uploaded by an earlier try (same name and size): not uploaded again');
              return { path, name, bytes: size, attempts: attempt, alreadyThere: true };
            }
          }
          if (attempt > 1) {
            // The last try may have renamed before the connection died: the final file complete and the temporary gone.
            if (renameSent && !(await session.stat(temp))) {
              const done = await session.stat(path);
              if (done?.type === 'file' && done.size === size) {
                log.info({ attempt }, 'uploaded (the previous try completed the rename)');
                return { path, name, bytes: size, attempts: attempt };
              }
            }
            await session.remove(temp).catch(() => undefined);
          }
          await session.upload(temp, request.bytes);
          const written = await session.stat(temp);
          if (written?.size !== size) {
            await session.remove(temp).catch(() => undefined);
            throw new SftpError('incomplete', `upload of ${name}: the server holds ${written?.size ?? 'no'} bytes of ${size} under the temporary name`);
          }
          renameSent = true;
          try {
            await session.rename(temp, path);
          } catch (error) {
            if (error instanceof SftpError && error.policy !== 'transient' && (await session.stat(path).catch(() => undefined))) {
              await session.remove(temp).catch(() => undefined);
              throw new SftpError('exists', `upload of ${name}: a file of that name already exists in ${t.outbound.folder} at ${endpointOf(t)}; not overwritten`, { cause: error });
            }
            throw error;
          }
          log.info({ bytes: size, attempts: attempt }, 'uploaded');
          keep = true;
          return { path, name, bytes: size, attempts: attempt };
        } catch (error) {
          const e = error instanceof SftpError ? error : new SftpError('failure', String(error), { cause: error });
          if (reused && !renameSent && e.policy === 'transient') {
            // The parked connection had gone stale (the server closed it): not a failed try.
            log.debug({ error: e.message }, 'a reused connection failed; connecting afresh');
            await session?.close();
            attempt--;
            continue;
          }
          if (e.policy !== 'transient' || attempt > retries) {
            if (session && !session.closed) await session.remove(temp).catch(() => undefined);
            log.error({ attempts: attempt, code: e.code, error: e.message }, 'upload failed');
            throw e;
          }
          const wait = delayMs * 2 ** (attempt - 1);
          log.warn({ attempt, code: e.code, error: e.message, retryInMs: wait }, 'upload failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, wait));
        } finally {
          if (session && keep) await park(key, session);
          else await session?.close();
        }
      }
    },
  };
}
