// One SFTP session with a partner's server: connect (key or password, the pinned host key), then
// the few operations the poller and the uploader need, each with a timeout, each failing with an
// SftpError that says what kind of trouble it was; its catalog code's retry policy says whether
// trying again at once may help (transient) or not (configuration, rights, the server's data).
//
//   const session = await connectSftp(partner, { log });      // partner.transport.type === 'sftp'
//   const files = await session.list('/outbox');              // [{ name, type: 'file', size, mtimeMs }]
//   const bytes = await session.download('/outbox/po-1.edi', files[0].size);
//   await session.close();
//
// Host keys: 'SHA256:' + unpadded base64(sha256(key blob)), what `ssh-keygen -lf` prints, compared
// with transport.hostKey. A mismatch refuses the connection; insecureAcceptAnyHostKey (tests only)
// accepts any key and says so at warn level at every connect.
import { createHash } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { posix } from 'node:path';
import { partnerFileLabel } from '../../partners/file-label.js';
import type { ConnectConfig, FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import type { TransportCode } from '../../errors/codes/transports.js';
import { GatewayError } from '../../errors/failure.js';
import { silentLogger, type Logger } from '../../logging/logger.js';
import { SecretError } from '../../partners/secrets.js';
import type { Partner, SftpTransport } from '../../partners/types.js';
import { inParallel } from '../../util/in-parallel.js';

export type SftpErrorKind =
  /** The server's host key is not the pinned one. */
  | 'host-key'
  /** The server refused our password or key. */
  | 'auth'
  /** A secret (password, key, passphrase) could not be read or parsed. */
  | 'secret'
  /** No TCP connection or SSH handshake (refused, unreachable, handshake timeout). */
  | 'connect'
  /** An operation got no answer in time (the session is closed). */
  | 'timeout'
  /** The connection went away. */
  | 'closed'
  | 'not-found'
  | 'permission'
  /** The file changed while we read it (size or end not as listed). */
  | 'changed'
  /** Anything else the server reported (SSH_FX_FAILURE: e.g. a rename onto an existing name). */
  | 'failure'
  /** An upload's final name is taken (never overwritten). */
  | 'exists'
  /** An upload left another size on the server than was sent. */
  | 'incomplete';

/** Each kind's catalog code (src/errors/codes/transports.ts), whose policy the callers act on. */
const CODE_OF_KIND = {
  'host-key': 'SFTP_HOST_KEY_MISMATCH',
  auth: 'SFTP_AUTH_FAILED',
  secret: 'SFTP_SECRET_UNUSABLE',
  connect: 'SFTP_CONNECT_FAILED',
  timeout: 'SFTP_TIMEOUT',
  closed: 'SFTP_CONNECTION_LOST',
  'not-found': 'SFTP_NOT_FOUND',
  permission: 'SFTP_PERMISSION_DENIED',
  changed: 'SFTP_FILE_CHANGED',
  failure: 'SFTP_SERVER_FAILURE',
  exists: 'SFTP_NAME_TAKEN',
  incomplete: 'SFTP_UPLOAD_INCOMPLETE',
} as const satisfies Record<SftpErrorKind, TransportCode>;

export class SftpError extends GatewayError {
  override name = 'SftpError';
  declare readonly code: TransportCode;

  constructor(
    readonly kind: SftpErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(CODE_OF_KIND[kind], message, {}, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

export interface RemoteEntry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  /** Milliseconds since the epoch (SFTP carries whole seconds). */
  mtimeMs: number;
}

export interface RemoteStat {
  type: RemoteEntry['type'];
  size: number;
  mtimeMs: number;
}

export interface SftpSession {
  /** user@host:port, for messages. */
  readonly endpoint: string;
  /** The connection is gone (closed by us, by the server, or after a timeout). */
  readonly closed: boolean;
  /** The folder's entries (without '.' and '..'). */
  list(folder: string): Promise<RemoteEntry[]>;
  /** undefined when nothing exists at path. */
  stat(path: string): Promise<RemoteStat | undefined>;
  /**
   * The whole file, read with parallel requests. Fails with kind 'changed' when it is not exactly
   * `expectedSize` bytes long (it grew or shrank since it was listed): a partial file is never returned.
   */
  download(path: string, expectedSize: number): Promise<Buffer>;
  /** Creates or truncates path and writes bytes (parallel requests), then closes it. */
  upload(path: string, bytes: Uint8Array): Promise<void>;
  /** Fails when `to` exists (SFTP RENAME never overwrites). */
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Creates the folder and its parents when missing. */
  ensureFolder(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  log?: Logger;
  /** Overrides transport.connectTimeoutSeconds (tests). */
  connectTimeoutMs?: number;
  /** Overrides transport.timeoutSeconds: the longest wait for any one answer (tests). */
  timeoutMs?: number;
  /** Requests in flight per download or upload. Default 32. */
  parallel?: number;
  /** Told the fingerprint of the key the server presents, before it is checked (edi partners check --connect prints it). */
  onHostKey?: (fingerprint: string) => void;
}

export { partnerFileLabel };

/** 'SHA256:' + unpadded base64 of sha256(key blob): the fingerprint `ssh-keygen -lf` prints. */
export function hostKeyFingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}


export function endpointOf(t: Pick<SftpTransport, 'username' | 'host' | 'port'>): string {
  return `${t.username}@${t.host}:${t.port}`;
}

const CHUNK = 32 * 1024;

export async function connectSftp(partner: Partner, options: ConnectOptions = {}): Promise<SftpSession> {
  const t = partner.transport;
  if (t.type !== 'sftp') throw new TypeError(`partner ${partner.code} has a ${t.type} transport, not sftp`);
  const log = options.log ?? silentLogger;
  const endpoint = endpointOf(t);
  const where = `${t.host}:${t.port}`;
  const file = partnerFileLabel(partner);
  const connectTimeoutMs = options.connectTimeoutMs ?? t.connectTimeoutSeconds * 1000;
  const timeoutMs = options.timeoutMs ?? t.timeoutSeconds * 1000;
  const parallel = Math.max(1, options.parallel ?? 32);

  const auth: Pick<ConnectConfig, 'password' | 'privateKey' | 'passphrase'> = {};
  try {
    if (t.password) auth.password = t.password.reveal();
    if (t.privateKey) auth.privateKey = t.privateKey.revealBytes();
    if (t.passphrase) auth.passphrase = t.passphrase.reveal();
  } catch (error) {
    throw new SftpError('secret', error instanceof SecretError ? error.message : `${file}: cannot read a secret of transport`, { cause: error });
  }

  const pinned = t.hostKey?.replace(/=+$/, '');
  let mismatch: string | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    const seen = hostKeyFingerprint(key);
    options.onHostKey?.(seen);
    if (t.insecureAcceptAnyHostKey) {
      log.warn(
        { partner: partner.code, endpoint, hostKey: seen, file },
        `INSECURE: host key of ${where} accepted WITHOUT CHECKING (${file} sets insecureAcceptAnyHostKey, meant for tests only); pin hostKey: '${seen}'`,
      );
      return true;
    }
    if (pinned !== undefined && seen === pinned) return true;
    mismatch = seen;
    return false;
  };

  // Our own socket, so that Nagle is off from the first byte (10-200x slower without it: docs/architecture.md#sftp).
  const socket: Socket = tcpConnect({ host: t.host, port: t.port, noDelay: true });
  socket.setNoDelay(true);
  let closed = false;
  const client = new SftpClient(`edi-${partner.code}`, {
    // Errors outside an operation (the server went away between polls): the next operation fails anyway.
    error: (error) => log.debug({ partner: partner.code, endpoint, error: error instanceof Error ? error.message : String(error) }, 'sftp connection error'),
    end: () => void (closed = true),
    close: () => void (closed = true),
  });
  socket.once('close', () => void (closed = true));

  let sftp: SFTPWrapper;
  try {
    sftp = await client.connect({
      sock: socket,
      host: t.host,
      port: t.port,
      username: t.username,
      ...auth,
      readyTimeout: connectTimeoutMs,
      hostVerifier,
      // A server that stops answering is noticed even between operations.
      keepaliveInterval: Math.max(1000, Math.min(15_000, Math.floor(timeoutMs / 3))),
      keepaliveCountMax: 3,
      tryKeyboard: false,
    });
  } catch (error) {
    socket.destroy();
    closed = true;
    throw connectError(error, { mismatch, pinned, where, file, endpoint, connectTimeoutMs });
  }

  // A protocol error on the SFTP channel: every pending request fails with it; nothing to throw.
  sftp.on('error', (error: Error) => log.debug({ partner: partner.code, endpoint, error: error.message }, 'sftp channel error'));

  const kill = () => {
    closed = true;
    socket.destroy();
  };

  /** One request with a deadline: no answer in time closes the session (its state is unknown). */
  const call = <T>(what: string, path: string, start: (done: (error: unknown, value?: T) => void) => void): Promise<T> => {
    if (closed) return Promise.reject(new SftpError('closed', `${what} ${path}: the connection to ${endpoint} is closed`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        kill();
        reject(new SftpError('timeout', `${what} ${path}: no answer from ${endpoint} within ${timeoutMs} ms; connection closed`));
      }, timeoutMs);
      try {
        start((error, value) => {
          clearTimeout(timer);
          if (error) reject(operationError(error, what, path, endpoint, closed || socket.destroyed));
          else resolve(value as T);
        });
      } catch (error) {
        clearTimeout(timer);
        reject(operationError(error, what, path, endpoint, closed || socket.destroyed));
      }
    });
  };

  const open = (path: string, flags: 'r' | 'w') => call<Buffer>('open', path, (done) => sftp.open(path, flags, done));
  const closeHandle = (handle: Buffer, path: string) => call<void>('close', path, (done) => sftp.close(handle, done));

  const session: SftpSession = {
    endpoint,
    get closed() {
      return closed || socket.destroyed;
    },

    async list(folder) {
      const entries = await call<FileEntryWithStats[]>('list', folder, (done) => sftp.readdir(folder, done));
      return entries
        .filter((e) => e.filename !== '.' && e.filename !== '..')
        .map((e) => ({ name: e.filename, type: typeOf(e.longname, e.attrs), size: e.attrs.size, mtimeMs: e.attrs.mtime * 1000 }));
    },

    async stat(path) {
      try {
        const s = await call<Stats>('stat', path, (done) => sftp.stat(path, done));
        return { type: s.isDirectory() ? 'dir' : s.isFile() ? 'file' : s.isSymbolicLink() ? 'link' : 'other', size: s.size, mtimeMs: s.mtime * 1000 };
      } catch (error) {
        if (error instanceof SftpError && error.kind === 'not-found') return undefined;
        throw error;
      }
    },

    async download(path, expectedSize) {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafe(expectedSize);
        // Parallel requests over the whole range; a short answer reads its rest again.
        const ranges: Array<[number, number]> = [];
        for (let at = 0; at < expectedSize; at += CHUNK) ranges.push([at, Math.min(CHUNK, expectedSize - at)]);
        const readRange = async (at: number, length: number): Promise<void> => {
          while (length > 0) {
            const n = await call<number>('read', path, (done) => sftp.read(handle, buffer, at, length, at, (e, bytes) => done(e, bytes)));
            if (n === 0) throw new SftpError('changed', `read ${path}: the file ended at ${at} bytes, shorter than the ${expectedSize} listed (it changed)`);
            at += n;
            length -= n;
          }
        };
        await inParallel(ranges, parallel, ([at, length]) => readRange(at, length));
        // One byte past the end: a file that grew since it was listed is not taken now.
        const probe = Buffer.alloc(1);
        const extra = await call<number>('read', path, (done) => sftp.read(handle, probe, 0, 1, expectedSize, (e, bytes) => done(e, bytes)));
        if (extra > 0) throw new SftpError('changed', `read ${path}: the file is longer than the ${expectedSize} bytes listed (it changed)`);
        return buffer;
      } finally {
        if (!session.closed) await closeHandle(handle, path).catch(() => undefined);
      }
    },

    async upload(path, bytes) {
      const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const handle = await open(path, 'w');
      let ok = false;
      try {
        const ranges: Array<[number, number]> = [];
        for (let at = 0; at < data.length; at += CHUNK) ranges.push([at, Math.min(CHUNK, data.length - at)]);
        await inParallel(ranges, parallel, ([at, length]) => call<void>('write', path, (done) => sftp.write(handle, data, at, length, at, (e) => done(e))));
        ok = true;
      } finally {
        // The close is what makes the server flush: its failure fails the upload.
        if (ok) await closeHandle(handle, path);
        else if (!session.closed) await closeHandle(handle, path).catch(() => undefined);
      }
    },

    rename: (from, to) => call<void>('rename', `${from} -> ${to}`, (done) => sftp.rename(from, to, (e) => done(e))),
    remove: (path) => call<void>('remove', path, (done) => sftp.unlink(path, (e) => done(e))),

    async ensureFolder(path) {
      const existing = await session.stat(path);
      if (existing?.type === 'dir') return;
      if (existing) throw new SftpError('failure', `mkdir ${path}: a ${existing.type} of that name exists at ${endpoint}`);
      const parent = posix.dirname(path);
      if (parent !== path && parent !== '.' && parent !== '/') await session.ensureFolder(parent);
      try {
        await call<void>('mkdir', path, (done) => sftp.mkdir(path, (e) => done(e)));
      } catch (error) {
        // Another poller made it in the meantime.
        if ((await session.stat(path).catch(() => undefined))?.type !== 'dir') throw error;
      }
    },

    async close() {
      if (closed && socket.destroyed) return;
      closed = true;
      // end() waits for 'close'; a server that does not answer is cut off.
      const cut = setTimeout(() => socket.destroy(), 2000);
      try {
        await client.end();
      } catch {
        socket.destroy();
      } finally {
        clearTimeout(cut);
      }
    },
  };
  return session;
}


/** The entry type from the ls-style longname (as ssh2-sftp-client does), else from the mode bits. */
function typeOf(longname: string | undefined, attrs: { mode?: number }): RemoteEntry['type'] {
  const c = longname?.[0];
  if (c === '-') return 'file';
  if (c === 'd') return 'dir';
  if (c === 'l') return 'link';
  const mode = (attrs.mode ?? 0) & 0o170000;
  return mode === 0o100000 ? 'file' : mode === 0o040000 ? 'dir' : mode === 0o120000 ? 'link' : 'other';
}

interface ConnectContext {
  mismatch: string | undefined;
  pinned: string | undefined;
  where: string;
  file: string;
  endpoint: string;
  connectTimeoutMs: number;
}

function connectError(error: unknown, c: ConnectContext): SftpError {
  const e = error as Error & { level?: string; code?: string | number };
  const text = e?.message ?? String(error);
  if (c.mismatch !== undefined) {
    return new SftpError(
      'host-key',
      `host key ${c.mismatch} of ${c.where} does not match the pinned ${c.pinned ?? '(none)'} in ${c.file}; connection refused (if the partner changed its key, check with them and update hostKey)`,
      { cause: error },
    );
  }
  if (e?.level === 'client-authentication' || /authentication methods failed/i.test(text)) {
    return new SftpError('auth', `authentication as ${c.endpoint} failed: the server refused our password or key (${c.file})`, { cause: error });
  }
  if (/privateKey|passphrase|encrypted private/i.test(text) && !e?.level) {
    return new SftpError('secret', `${c.file}: transport.privateKey cannot be used: ${text.replace(/^.*?: /, '')}`, { cause: error });
  }
  if (e?.level === 'client-timeout' || /timed out/i.test(text)) {
    return new SftpError('connect', `no SSH handshake with ${c.where} within ${c.connectTimeoutMs} ms`, { cause: error });
  }
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return new SftpError('connect', `cannot connect to ${c.endpoint}: ${text.replace(/^connect: /, '').replace(/^getConnection: /, '')}${code}`, { cause: error });
}

const STATUS: Record<number, SftpErrorKind> = { 2: 'not-found', 3: 'permission', 6: 'closed', 7: 'closed' };

function operationError(error: unknown, what: string, path: string, endpoint: string, gone: boolean): SftpError {
  if (error instanceof SftpError) return error;
  const e = error as Error & { code?: string | number };
  const text = e?.message ?? String(error);
  const status = typeof e?.code === 'number' ? STATUS[e.code] : undefined;
  const kind: SftpErrorKind =
    status ?? (gone || /No response from server|not connected|ECONNRESET|EPIPE|closed/i.test(text) ? 'closed' : 'failure');
  return new SftpError(kind, `${what} ${path} at ${endpoint}: ${text}`, { cause: error });
}
