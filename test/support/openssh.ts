// Debian's OpenSSH server for a few fidelity tests: sshd on a free high port of 127.0.0.1, one
// throw-away user that can only do SFTP (internal-sftp) inside a chroot, password and key logins.
//
//   const why = opensshUnavailable();          // undefined, or why these tests cannot run here
//   const sshd = await startOpenSsh();         // { port, username, password, userKey, fingerprint, put, ls, ... }
//   ...
//   await sshd.stop();                         // stops sshd, removes the user and the folders
//
// sshd's rules (docs/architecture.md#sftp): the chroot path must be root-owned and not writable by others in every
// component, so it lives under /run (tmpfs, root 0755), not under /tmp (1777); privilege separation
// needs /run/sshd; `UsePAM no` makes password logins check /etc/shadow directly. Needs root (it adds
// a system user with useradd and removes it with userdel).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join, posix } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { hostKeyFingerprint } from '../../src/transports/sftp/client.js';
import { ed25519KeyPair } from './ssh-keys.js';

const SSHD = '/usr/sbin/sshd';

export interface OpenSshServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly userKey: { privateKey: string; publicKey: string };
  readonly fingerprint: string;
  /** The local folder that is '/' for the SFTP user (it holds /outbox and /inbox, writable by the user). */
  readonly root: string;
  put(path: string, content: string | Uint8Array, mtime?: Date): Promise<void>;
  get(path: string): Promise<Buffer | undefined>;
  ls(path: string): Promise<string[]>;
  /** sshd's own log (stderr), for failing tests. */
  output(): string;
  stop(): Promise<void>;
}

/** Why OpenSSH tests cannot run on this machine; undefined when they can. */
export function opensshUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install openssh-server; .ci/run does it)`;
  if (process.getuid?.() !== 0) return 'not running as root (sshd with a chrooted test user needs root)';
  for (const tool of ['/usr/sbin/useradd', '/usr/sbin/userdel', '/usr/sbin/chpasswd']) {
    if (!existsSync(tool)) return `${tool} is missing`;
  }
  return undefined;
}

export async function startOpenSsh(): Promise<OpenSshServer> {
  const why = opensshUnavailable();
  if (why) throw new Error(`cannot start OpenSSH: ${why}`);
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const base = await mkdtemp('/run/edi-sshd-');
  await chmod(base, 0o755);
  const chroot = join(base, 'chroot');
  await mkdir(chroot, { mode: 0o755 });
  const username = `edisftp${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  let child: ChildProcess | undefined;
  let log = '';
  let userAdded = false;

  const cleanup = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (userAdded) spawnSync('/usr/sbin/userdel', [username], { stdio: 'ignore' });
    await rm(base, { recursive: true, force: true });
  };

  try {
    run('/usr/sbin/useradd', ['--system', '--no-create-home', '--home-dir', '/', '--shell', '/usr/sbin/nologin', username]);
    userAdded = true;
    run('/usr/sbin/chpasswd', [], `${username}:${password}\n`);
    const uid = Number(run('/usr/bin/id', ['-u', username]).trim());
    const gid = Number(run('/usr/bin/id', ['-g', username]).trim());
    for (const folder of ['outbox', 'inbox']) {
      await mkdir(join(chroot, folder), { mode: 0o755 });
      await chown(join(chroot, folder), uid, gid);
    }

    const hostKey = ed25519KeyPair();
    const userKey = ed25519KeyPair();
    await writeFile(join(base, 'host_key'), hostKey.private, { mode: 0o600 });
    await writeFile(join(base, 'authorized_keys'), `${userKey.public}\n`, { mode: 0o644 });
    const port = await freePort();
    await writeFile(
      join(base, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(base, 'host_key')}`,
        `PidFile ${join(base, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(base, 'authorized_keys')}`,
        'UsePAM no',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin no',
        `AllowUsers ${username}`,
        'StrictModes yes',
        'LogLevel VERBOSE',
        'Subsystem sftp internal-sftp',
        `Match User ${username}`,
        `  ChrootDirectory ${chroot}`,
        '  ForceCommand internal-sftp',
        '  AllowTcpForwarding no',
        '  X11Forwarding no',
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    const check = spawnSync(SSHD, ['-t', '-f', join(base, 'sshd_config')], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`sshd -t rejected the test configuration: ${check.stderr}`);

    child = spawn(SSHD, ['-D', '-e', '-f', join(base, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
    await waitForPort(port, child, () => log);

    const fingerprint = hostKeyFingerprint((ssh2.utils.parseKey(hostKey.public) as ParsedKey).getPublicSSH());
    const local = (path: string) => join(chroot, posix.resolve('/', path));
    return {
      host: '127.0.0.1',
      port,
      username,
      password,
      userKey: { privateKey: userKey.private, publicKey: userKey.public },
      fingerprint,
      root: chroot,
      async put(path, content, mtime) {
        await writeFile(local(path), content);
        await chown(local(path), uid, gid);
        if (mtime) await utimes(local(path), mtime, mtime);
      },
      get: (path) => readFile(local(path)).catch(() => undefined),
      ls: async (path) => (await readdir(local(path)).catch(() => [] as string[])).sort(),
      output: () => log,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function run(command: string, args: string[], input?: string): string {
  const r = spawnSync(command, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s: ${log()}`);
}
