// An SFTP server in the test process, built on the ssh2 package's server side: 127.0.0.1 only, a
// temporary folder as its root, password and public-key logins, and faults the tests switch on.
//
//   const server = await startSftpServer();                  // user 'partner', password 'secret'
//   await server.put('/outbox/po-1.edi', 'ISA*...');         // files are plain files under server.root
//   server.faults.denyRename = (from) => from.endsWith('po-1.edi');
//   ...
//   await server.close();                                    // ends every session, removes the root
//
// Behaves like OpenSSH where the transports depend on it: READDIR gives ls-style longnames (the
// client derives the entry type from their first character), RENAME onto an existing name fails
// (SSH_FX_FAILURE), paths resolve inside the root (no way out through '..'), TCP_NODELAY on sockets.
import { lstat, mkdir, mkdtemp, open, readdir, readFile, rename, rm, rmdir, stat, unlink, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import type { Stats as FsStats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Socket } from 'node:net';
import ssh2, { type Attributes, type Connection, type FileEntry, type ParsedKey, type SFTPWrapper } from 'ssh2';
import { hostKeyFingerprint } from '../../src/transports/sftp/client.js';
import { ed25519KeyPair } from './ssh-keys.js';

const { Server, utils } = ssh2;
const { STATUS_CODE, flagsToString } = utils.sftp;

export interface SftpFaults {
  /** Cut the connection (no goodbye) once a session has sent this many bytes of READ data in total. Fires once (then cleared). */
  dropAfterReadBytes?: number;
  /** Cut the connection once a session has received this many bytes of WRITE data in total. Fires once (then cleared). */
  dropAfterWriteBytes?: number;
  /** RENAME from -> to answers PERMISSION_DENIED when this returns true (paths as the client sent them). */
  denyRename?: (from: string, to: string) => boolean;
  /** RENAME is carried out, then the connection is cut before the answer (the client cannot know). Fires once. */
  dropAfterRename?: (from: string, to: string) => boolean;
  /** Each WRITE answers this many ms late. */
  writeDelayMs?: number;
  /** Requests of this kind on this path are never answered ('READ', 'WRITE', 'OPENDIR', ...). */
  stall?: (op: string, path: string) => boolean;
  /** Extra READDIR entries (names the server makes up, e.g. '../evil.edi'), listed as 10-byte files. */
  extraEntries?: (folder: string) => string[];
  /** Refuse logins outright (the server is "down" for SSH but the port answers). */
  refuseLogins?: boolean;
  /** OPEN for writing answers PERMISSION_DENIED when this returns true (a read-only folder: the tests run as root, where chmod denies nothing). */
  denyWrite?: (path: string) => boolean;
}

export interface SftpServerOptions {
  username?: string;
  password?: string;
  /** Folders to create under the root. Default ['/outbox', '/inbox']. */
  folders?: string[];
  /** More public keys (OpenSSH lines) the user may log in with, besides userKey. */
  authorizedKeys?: string[];
}

export interface TestSftpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The local folder that is '/' for clients. */
  readonly root: string;
  readonly username: string;
  readonly password: string;
  /** A key pair the user may log in with (OpenSSH private key text, public key line). */
  readonly userKey: { privateKey: string; publicKey: string };
  /** SHA256:... of the server's host key, as ssh-keygen -lf prints it. */
  readonly fingerprint: string;
  /** Switch faults on and off at any time. */
  faults: SftpFaults;
  /** Sessions that completed a login so far. */
  readonly logins: number;
  /** Paths opened for reading, in order (as the client sent them). */
  readonly reads: string[];
  /** The local path of a server path. */
  local(path: string): string;
  put(path: string, content: string | Uint8Array, mtime?: Date): Promise<void>;
  get(path: string): Promise<Buffer | undefined>;
  /** Names in a server folder (sorted); [] when it does not exist. */
  ls(path: string): Promise<string[]>;
  /** Cuts every open session (the server keeps listening). */
  dropAll(): void;
  close(): Promise<void>;
}

const hostKey = ed25519KeyPair();
const hostKeyBlob = (utils.parseKey(hostKey.public) as ParsedKey).getPublicSSH();

export async function startSftpServer(options: SftpServerOptions = {}): Promise<TestSftpServer> {
  const root = await mkdtemp(join(tmpdir(), 'edi-sftp-'));
  for (const folder of options.folders ?? ['/outbox', '/inbox']) await mkdir(join(root, folder), { recursive: true });
  const username = options.username ?? 'partner';
  const password = options.password ?? 'secret';
  const pair = ed25519KeyPair();
  const allowedKeys = [pair.public, ...(options.authorizedKeys ?? [])].map((k) => utils.parseKey(k) as ParsedKey);
  const sessions = new Set<Connection>();
  const reads: string[] = [];
  let logins = 0;
  let faults: SftpFaults = {};

  const local = (path: string) => join(root, posix.resolve('/', path));

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    sessions.add(client);
    (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
    client.on('close', () => sessions.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (faults.refuseLogins || ctx.username !== username) return ctx.reject();
      if (ctx.method === 'password') return ctx.password === password ? ctx.accept() : ctx.reject(['password', 'publickey']);
      if (ctx.method === 'publickey') {
        const key = allowedKeys.find((k) => ctx.key.algo === k.type && Buffer.compare(ctx.key.data, k.getPublicSSH()) === 0);
        if (!key) return ctx.reject(['password', 'publickey']);
        if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
        return key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      logins++;
      client.on('session', (acceptSession) => {
        acceptSession().on('sftp', (acceptSftp) => serveSftp(acceptSftp(), client));
      });
    });
  });

  function serveSftp(sftp: SFTPWrapper, client: Connection): void {
    const handles = new Map<number, { kind: 'file'; fh: FileHandle; path: string } | { kind: 'dir'; path: string; listed: boolean }>();
    let nextHandle = 1;
    let readBytes = 0;
    let writtenBytes = 0;
    const cut = (): void => void (client as unknown as { _sock: Socket })._sock.destroy();
    const handleOf = (buf: Buffer) => handles.get(buf.length === 4 ? buf.readUInt32BE(0) : -1);
    const newHandle = (entry: Parameters<typeof handles.set>[1]) => {
      const id = nextHandle++;
      handles.set(id, entry);
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(id);
      return buf;
    };
    const fail = (reqid: number, error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, 'No such file');
      if (code === 'EACCES' || code === 'EPERM') return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'Permission denied');
      return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    };
    // Every request: a stalled one is never answered; errors become SFTP status codes.
    const on = (op: string, path: (...args: never[]) => string, handler: (...args: never[]) => Promise<void>) => {
      sftp.on(op as 'OPEN', ((reqid: number, ...rest: never[]) => {
        const p = path(...rest);
        if (faults.stall?.(op, p)) return;
        handler(reqid as never, ...rest).catch((error) => {
          try {
            fail(reqid, error);
          } catch {
            // the session is gone
          }
        });
      }) as never);
    };
    const pathOfHandle = (h: Buffer) => {
      const e = handleOf(h);
      return e?.path ?? '';
    };

    on('OPEN', (filename: string) => filename, async (reqid: number, filename: string, flags: number) => {
      const mode = flagsToString(flags) ?? 'r';
      if (mode !== 'r' && faults.denyWrite?.(filename)) return void sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'Permission denied');
      const fh = await open(local(filename), mode);
      if (mode === 'r') reads.push(filename);
      sftp.handle(reqid, newHandle({ kind: 'file', fh, path: filename }));
    });
    on('READ', pathOfHandle as never, async (reqid: number, h: Buffer, offset: number, length: number) => {
      const e = handleOf(h);
      if (e?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await e.fh.read(buf, 0, length, offset);
      if (bytesRead === 0) return void sftp.status(reqid, STATUS_CODE.EOF);
      readBytes += bytesRead;
      if (faults.dropAfterReadBytes !== undefined && readBytes > faults.dropAfterReadBytes) {
        delete faults.dropAfterReadBytes;
        return cut();
      }
      sftp.data(reqid, buf.subarray(0, bytesRead));
    });
    on('WRITE', pathOfHandle as never, async (reqid: number, h: Buffer, offset: number, data: Buffer) => {
      const e = handleOf(h);
      if (e?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      writtenBytes += data.length;
      if (faults.dropAfterWriteBytes !== undefined && writtenBytes > faults.dropAfterWriteBytes) {
        delete faults.dropAfterWriteBytes;
        return cut();
      }
      if (faults.writeDelayMs) await new Promise((r) => setTimeout(r, faults.writeDelayMs));
      await e.fh.write(data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    });
    on('FSTAT', pathOfHandle as never, async (reqid: number, h: Buffer) => {
      const e = handleOf(h);
      if (e?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      sftp.attrs(reqid, attrsOf(await e.fh.stat()));
    });
    on('CLOSE', pathOfHandle as never, async (reqid: number, h: Buffer) => {
      const e = handleOf(h);
      if (!e) return void sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      handles.delete(h.readUInt32BE(0));
      if (e.kind === 'file') await e.fh.close();
      sftp.status(reqid, STATUS_CODE.OK);
    });
    on('OPENDIR', (path: string) => path, async (reqid: number, path: string) => {
      const s = await stat(local(path));
      if (!s.isDirectory()) return void sftp.status(reqid, STATUS_CODE.FAILURE, 'Not a directory');
      sftp.handle(reqid, newHandle({ kind: 'dir', path, listed: false }));
    });
    on('READDIR', pathOfHandle as never, async (reqid: number, h: Buffer) => {
      const e = handleOf(h);
      if (e?.kind !== 'dir') return void sftp.status(reqid, STATUS_CODE.FAILURE, 'bad handle');
      if (e.listed) return void sftp.status(reqid, STATUS_CODE.EOF);
      e.listed = true;
      const dir = local(e.path);
      const entries: FileEntry[] = [];
      for (const name of ['.', '..', ...(await readdir(dir))]) {
        const s = await lstat(join(dir, name)).catch(() => undefined);
        if (s) entries.push({ filename: name, longname: longname(name, s), attrs: attrsOf(s) });
      }
      for (const name of faults.extraEntries?.(e.path) ?? []) {
        const fake = { mode: 0o100644, size: 10, uid: 0, gid: 0, atime: 1_700_000_000, mtime: 1_700_000_000 };
        entries.push({ filename: name, longname: `-rw-r--r--    1 0        0              10 Nov 14  2023 ${name}`, attrs: fake });
      }
      sftp.name(reqid, entries);
    });
    const statOp = (op: 'STAT' | 'LSTAT') =>
      on(op, (path: string) => path, async (reqid: number, path: string) => {
        sftp.attrs(reqid, attrsOf(await (op === 'STAT' ? stat : lstat)(local(path))));
      });
    statOp('STAT');
    statOp('LSTAT');
    on('REALPATH', (path: string) => path, async (reqid: number, path: string) => {
      const abs = posix.resolve('/', path);
      sftp.name(reqid, [{ filename: abs, longname: abs, attrs: {} as Attributes }]);
    });
    on('SETSTAT', (path: string) => path, async (reqid: number) => void sftp.status(reqid, STATUS_CODE.OK));
    on('FSETSTAT', pathOfHandle as never, async (reqid: number) => void sftp.status(reqid, STATUS_CODE.OK));
    on('REMOVE', (path: string) => path, async (reqid: number, path: string) => {
      await unlink(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    });
    on('MKDIR', (path: string) => path, async (reqid: number, path: string) => {
      await mkdir(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    });
    on('RMDIR', (path: string) => path, async (reqid: number, path: string) => {
      await rmdir(local(path));
      sftp.status(reqid, STATUS_CODE.OK);
    });
    on('RENAME', (from: string) => from, async (reqid: number, from: string, to: string) => {
      if (faults.denyRename?.(from, to)) return void sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, 'Permission denied');
      await lstat(local(from));
      // As OpenSSH: never over an existing name.
      if (await lstat(local(to)).then(() => true, () => false)) return void sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
      await rename(local(from), local(to));
      if (faults.dropAfterRename?.(from, to)) {
        delete faults.dropAfterRename;
        return cut();
      }
      sftp.status(reqid, STATUS_CODE.OK);
    });
    sftp.on('close', () => {
      for (const e of handles.values()) if (e.kind === 'file') void e.fh.close().catch(() => undefined);
      handles.clear();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  return {
    host: '127.0.0.1',
    port,
    root,
    username,
    password,
    userKey: { privateKey: pair.private, publicKey: pair.public },
    fingerprint: hostKeyFingerprint(hostKeyBlob),
    get faults() {
      return faults;
    },
    set faults(f: SftpFaults) {
      faults = f;
    },
    get logins() {
      return logins;
    },
    reads,
    local,
    async put(path, content, mtime) {
      await mkdir(posix.dirname(local(path)), { recursive: true });
      await writeFile(local(path), content);
      if (mtime) await utimes(local(path), mtime, mtime);
    },
    get: (path) => readFile(local(path)).catch(() => undefined),
    ls: async (path) => (await readdir(local(path)).catch(() => [] as string[])).sort(),
    dropAll() {
      for (const client of sessions) (client as unknown as { _sock: Socket })._sock.destroy();
    },
    async close() {
      for (const client of sessions) (client as unknown as { _sock: Socket })._sock.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

function attrsOf(s: FsStats): Attributes {
  return { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `-rw-r--r--    1 0        0             812 Nov 14 12:00 po-1.edi`, as OpenSSH's ls -l style. */
function longname(name: string, s: FsStats): string {
  const type = s.isDirectory() ? 'd' : s.isSymbolicLink() ? 'l' : s.isFile() ? '-' : '?';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => (s.mode & (1 << (8 - i)) ? c : '-')).join('');
  const d = s.mtime;
  const when = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `${type}${bits}    1 ${String(s.uid).padEnd(8)} ${String(s.gid).padEnd(8)} ${String(s.size).padStart(8)} ${when} ${name}`;
}
