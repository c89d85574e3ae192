// The SFTP client against the in-process server: logins, host key pinning, timeouts, and the
// operations the poller and uploader rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretError } from '../../../src/partners/secrets.js';
import type { Secret } from '../../../src/partners/types.js';
import { connectSftp, hostKeyFingerprint, SftpError } from '../../../src/transports/sftp/client.js';
import ssh2, { type ParsedKey } from 'ssh2';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';
import { recordingLog, sftpPartner } from './support.js';
import { ed25519KeyPair } from '../../support/ssh-keys.js';

let server: TestSftpServer;

beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
});

async function failure(promise: Promise<unknown>): Promise<SftpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SftpError);
  return error as SftpError;
}

/** What a caller acts on: the kind, its catalog code and that code's retry policy. */
const coded = (e: SftpError) => ({ kind: e.kind, code: e.code, policy: e.policy });

describe('host key fingerprints', () => {
  it('are what ssh-keygen -lf prints: SHA256: and unpadded base64 of the key blob', () => {
    // ssh-keygen -lf on this public key printed: 256 SHA256:WaeG2x9Rd4eCPeYrZTzSCxgOVtiSjjGf39hPVUJWxCc no comment (ED25519)
    const key = ssh2.utils.parseKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMUWI4y3gjgmnIXE0h+Ti4k6bahukw2O2c9e9cdoa+AX') as ParsedKey;
    expect(hostKeyFingerprint(key.getPublicSSH())).toBe('SHA256:WaeG2x9Rd4eCPeYrZTzSCxgOVtiSjjGf39hPVUJWxCc');
  });
});

describe('connectSftp', () => {
  it('logs in with a password and with a key, lists with entry types, reads and writes', async () => {
    await server.put('/outbox/po-1.edi', 'ISA*00*hello~');
    for (const auth of ['password', 'key'] as const) {
      const session = await connectSftp(sftpPartner(server, { auth }));
      try {
        const entries = await session.list('/');
        expect(entries.find((e) => e.name === 'outbox')?.type).toBe('dir');
        const [file] = (await session.list('/outbox')).filter((e) => e.name === 'po-1.edi');
        expect(file).toMatchObject({ type: 'file', size: 13 });
        expect((await session.download('/outbox/po-1.edi', 13)).toString()).toBe('ISA*00*hello~');
        await session.upload(`/inbox/${auth}.edi`, Buffer.from('x'.repeat(100_000)));
        expect(await session.stat(`/inbox/${auth}.edi`)).toMatchObject({ type: 'file', size: 100_000 });
        expect(await session.stat('/inbox/none.edi')).toBeUndefined();
      } finally {
        await session.close();
      }
      expect(session.closed).toBe(true);
    }
  });

  it('refuses a server whose host key is not the pinned one, naming both keys and the partner file', async () => {
    const pinned = 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc';
    const error = await failure(connectSftp(sftpPartner(server, { hostKey: pinned })));
    expect(coded(error)).toEqual({ kind: 'host-key', code: 'SFTP_HOST_KEY_MISMATCH', policy: 'auth' });
    expect(error.message).toContain(`host key ${server.fingerprint} of 127.0.0.1:${server.port} does not match the pinned ${pinned} in /etc/edi/partners/acme.yaml`);
  });

  it('accepts any host key only with insecureAcceptAnyHostKey, and says so loudly', async () => {
    const { log, lines } = recordingLog();
    const session = await connectSftp(sftpPartner(server, { insecureAcceptAnyHostKey: true }), { log });
    await session.close();
    const warning = lines.find((l) => l.level === 'warn');
    expect(warning?.message).toMatch(/^INSECURE: host key of 127\.0\.0\.1:\d+ accepted WITHOUT CHECKING/);
    expect(warning?.message).toContain(server.fingerprint);
  });

  it('fails with kind auth for a wrong password or a key the server does not know', async () => {
    const wrongPassword = await failure(connectSftp(sftpPartner(server, { password: 'not-it' })));
    expect(coded(wrongPassword)).toEqual({ kind: 'auth', code: 'SFTP_AUTH_FAILED', policy: 'auth' });
    expect(wrongPassword.message).toBe(`authentication as partner@127.0.0.1:${server.port} failed: the server refused our password or key (/etc/edi/partners/acme.yaml)`);
    const otherKey = ed25519KeyPair().private;
    const wrongKey = await failure(connectSftp(sftpPartner(server, { auth: 'key', privateKey: otherKey })));
    expect(wrongKey.kind).toBe('auth');
    expect(wrongKey.message).not.toContain('OPENSSH PRIVATE KEY');
  });

  it('uses a passphrase-protected key; a wrong passphrase is a secret problem, not a login failure', async () => {
    const locked = ed25519KeyPair({ passphrase: 'open sesame', cipher: 'aes256-ctr', rounds: 4 });
    const keyed = await startSftpServer({ authorizedKeys: [locked.public] });
    try {
      const session = await connectSftp(sftpPartner(keyed, { auth: 'key', privateKey: locked.private, passphrase: 'open sesame' }));
      expect(await session.list('/')).toHaveLength(2);
      await session.close();
      const error = await failure(connectSftp(sftpPartner(keyed, { auth: 'key', privateKey: locked.private, passphrase: 'wrong' })));
      expect(coded(error)).toEqual({ kind: 'secret', code: 'SFTP_SECRET_UNUSABLE', policy: 'auth' });
      expect(error.message).toMatch(/^\/etc\/edi\/partners\/acme\.yaml: transport\.privateKey cannot be used: .*passphrase/);
      expect(keyed.logins).toBe(1);
    } finally {
      await keyed.close();
    }
  });

  it('fails with kind secret when a secret cannot be read, naming its source and never a value', async () => {
    const partner = sftpPartner(server);
    const unset: Secret = {
      source: 'env',
      ref: 'ACME_SFTP_PASSWORD',
      reveal: () => {
        throw new SecretError('partners/acme.yaml: transport.password: the environment variable ACME_SFTP_PASSWORD is not set');
      },
      revealBytes: () => Buffer.alloc(0),
    };
    const broken = { ...partner, transport: Object.defineProperty({ ...partner.transport }, 'password', { value: unset }) };
    const error = await failure(connectSftp(broken));
    expect(error.kind).toBe('secret');
    expect(error.message).toContain('ACME_SFTP_PASSWORD is not set');
  });

  it('fails with a transient connect error when nothing listens', async () => {
    const closed = await startSftpServer();
    const port = closed.port;
    await closed.close();
    const error = await failure(connectSftp(sftpPartner({ ...server, port })));
    expect(coded(error)).toEqual({ kind: 'connect', code: 'SFTP_CONNECT_FAILED', policy: 'transient' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives up on a request the server never answers, and closes the session', async () => {
    await server.put('/outbox/stuck.edi', 'abc');
    server.faults = { stall: (op, path) => op === 'OPEN' && path.endsWith('stuck.edi') };
    try {
      const session = await connectSftp(sftpPartner(server), { timeoutMs: 300 });
      const started = Date.now();
      const error = await failure(session.download('/outbox/stuck.edi', 3));
      expect(coded(error)).toEqual({ kind: 'timeout', code: 'SFTP_TIMEOUT', policy: 'transient' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(session.closed).toBe(true);
      await session.close();
    } finally {
      server.faults = {};
    }
  });

  it('never returns part of a file: a file shorter or longer than listed fails with kind changed', async () => {
    await server.put('/outbox/grows.edi', 'x'.repeat(70_000));
    const session = await connectSftp(sftpPartner(server));
    try {
      expect(coded(await failure(session.download('/outbox/grows.edi', 69_999)))).toEqual({ kind: 'changed', code: 'SFTP_FILE_CHANGED', policy: 'transient' });
      expect((await failure(session.download('/outbox/grows.edi', 70_001))).kind).toBe('changed');
      expect((await session.download('/outbox/grows.edi', 70_000)).length).toBe(70_000);
    } finally {
      await session.close();
    }
  });

  it('maps server answers: missing file, permission denied, rename onto an existing name', async () => {
    await server.put('/outbox/r1.edi', '1');
    await server.put('/outbox/r2.edi', '2');
    server.faults = { denyRename: (from) => from.endsWith('r1.edi') };
    const session = await connectSftp(sftpPartner(server));
    try {
      expect(coded(await failure(session.download('/outbox/none.edi', 1)))).toEqual({ kind: 'not-found', code: 'SFTP_NOT_FOUND', policy: 'protocol' });
      expect(coded(await failure(session.rename('/outbox/r1.edi', '/outbox/r3.edi')))).toEqual({ kind: 'permission', code: 'SFTP_PERMISSION_DENIED', policy: 'auth' });
      expect(coded(await failure(session.rename('/outbox/r2.edi', '/outbox/r1.edi')))).toEqual({ kind: 'failure', code: 'SFTP_SERVER_FAILURE', policy: 'protocol' });
      expect((await server.get('/outbox/r1.edi'))?.toString()).toBe('1');
      await session.ensureFolder('/outbox/archive/2026/11');
      expect((await session.stat('/outbox/archive/2026/11'))?.type).toBe('dir');
    } finally {
      server.faults = {};
      await session.close();
    }
  });
});
