// edi partners check --connect CODE against a real SFTP server on 127.0.0.1 (the in-process one):
// host key, login, folders, a temporary file written and removed; an exit code per kind of trouble.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/commands/inspect.js';
import { partnersConnectCommand } from '../../src/cli/commands/partners.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FINGERPRINT, GATEWAY_YAML, partnersFolder } from '../partners/support.js';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server.js';

let server: TestSftpServer;
beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
});

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** A partner file for the test server (disabled, as a partner being brought live is). */
function acmeYaml(o: { hostKey?: string; port?: number; inbound?: string; outbound?: string } = {}): string {
  return `
enabled: false
identity: { isa: { qualifier: ZZ, id: ACME }, gs: ACME }
documents: { inbound: ['850'] }
transport:
  type: sftp
  host: 127.0.0.1
  port: ${o.port ?? server.port}
  username: ${server.username}
  hostKey: '${o.hostKey ?? server.fingerprint}'
  password: { env: ACME_PASSWORD }
  connectTimeoutSeconds: 5
  inbound: { folder: ${o.inbound ?? '/outbox'} }
  outbound: { folder: ${o.outbound ?? '/inbox'} }
`;
}

async function connect(yaml: string, env: Record<string, string> = { ACME_PASSWORD: server.password }, code = 'acme') {
  const f = await partnersFolder({ '_gateway.yaml': GATEWAY_YAML, 'acme.yaml': yaml });
  try {
    const io = capture();
    const exit = await partnersConnectCommand(code, { partners: f.dir }, io, env);
    return { exit, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  } finally {
    await f.remove();
  }
}

describe('edi partners check --connect', () => {
  it('succeeds: host key pinned, login, folders listed, a temporary file written, read back and removed', async () => {
    const { exit, out } = await connect(acmeYaml());
    expect(exit, out).toBe(EXIT.valid);
    expect(out.split('\n')).toEqual([
      `acme: sftp partner@127.0.0.1:${server.port} (disabled: tried all the same)`,
      `ok    host key         ${server.fingerprint}, the pinned one`,
      `ok    login            as partner@127.0.0.1:${server.port} with a password`,
      expect.stringMatching(/^ok    inbound folder   \/outbox: listed \(\d+ entries\)$/),
      'ok    archive folder   /outbox/archive does not exist yet: the poller creates it at the first file',
      'ok    outbound folder  /inbox: a temporary file written, read back and removed',
      'acme: the connection works',
    ]);
    expect((await server.ls('/inbox')).filter((n) => n.startsWith('.edi-gateway-check-'))).toEqual([]);
  });

  it('an unknown host key: prints the server\'s SHA256 to pin, exit 4', async () => {
    const { exit, out } = await connect(acmeYaml({ hostKey: FINGERPRINT }));
    expect(exit).toBe(EXIT.hostKey);
    expect(exit).toBe(4);
    expect(out).toContain(`FAIL  host key  the server presents ${server.fingerprint}, not the pinned ${FINGERPRINT}: once the partner confirms it is theirs, pin it: hostKey: '${server.fingerprint}'`);
    expect(out).not.toContain('login');
  });

  it('a wrong password: exit 5, and a secret that cannot be read: exit 5 naming the variable', async () => {
    const wrong = await connect(acmeYaml(), { ACME_PASSWORD: 'not-the-password' });
    expect(wrong.exit).toBe(EXIT.login);
    expect(wrong.out).toMatch(/ok    host key/);
    expect(wrong.out).toMatch(/FAIL  login     authentication as partner@127\.0\.0\.1:\d+ failed: the server refused our password or key/);
    expect(wrong.out).not.toContain('not-the-password');

    const unset = await connect(acmeYaml(), {});
    expect(unset.exit).toBe(5);
    expect(unset.out).toContain('the environment variable ACME_PASSWORD is not set');
  });

  it('a missing folder: exit 1 naming it', async () => {
    const { exit, out } = await connect(acmeYaml({ inbound: '/nope' }));
    expect(exit).toBe(EXIT.invalid);
    expect(out).toContain('FAIL  inbound folder   /nope does not exist on the server');
    expect(out).toContain('ok    outbound folder');
    expect(out).toMatch(/acme: 1 check\(s\) failed \(folders\)$/);
  });

  it('no write permission in the outbound folder: exit 1, permission denied', async () => {
    server.faults.denyWrite = (path) => path.startsWith('/inbox/');
    try {
      const { exit, out } = await connect(acmeYaml());
      expect(exit).toBe(1);
      expect(out).toContain('FAIL  outbound folder  /inbox: cannot write a file: permission denied');
    } finally {
      delete server.faults.denyWrite;
    }
  });

  it('nobody listening: exit 6; an unknown partner: exit 3', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const { exit, out } = await connect(acmeYaml({ port }));
    expect(exit).toBe(EXIT.unreachable);
    expect(out).toMatch(/FAIL  connection  cannot connect to partner@127\.0\.0\.1:\d+: .*ECONNREFUSED/);

    const unknown = await connect(acmeYaml(), {}, 'globex');
    expect(unknown.exit).toBe(EXIT.notFound);
    expect(unknown.err).toMatch(/^globex: no such partner in .*\/partners \(acme\)$/);
  });
});
