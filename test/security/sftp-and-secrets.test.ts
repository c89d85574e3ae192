// (a) A server whose host key is not the pinned one gets nothing from us: no password, no key, no file.
//     The poller side is in test/transports/sftp/poller.test.ts ("refuses a server with the wrong host
//     key"); here the uploader and the bare client.
// (b) Secrets (SFTP password, private key and its passphrase, the Odoo API key) never appear in an
//     error, a log line, partner health or the timeline of the failing paths: a wrong password, a
//     wrong passphrase, Odoo answering 401 / AccessDenied.
import { inspect } from 'node:util';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { listPartnerHealth } from '../../src/store/index.js';
import { connectSftp } from '../../src/transports/sftp/client.js';
import { createSftpPoller } from '../../src/transports/sftp/poller.js';
import { createSftpUploader } from '../../src/transports/sftp/uploader.js';
import { startOdooDouble } from '../odoo-double/index.js';
import { useTestGateway } from '../support/test-gateway.js';
import { useTestDatabase } from '../support/db.js';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server.js';
import { recordingLog, sftpPartner } from '../transports/sftp/support.js';
import { ed25519KeyPair } from '../support/ssh-keys.js';

const db = useTestDatabase();
const servers: TestSftpServer[] = [];

const gateway = useTestGateway(db, { workers: false });
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startSftpServer>[0] = {}): Promise<TestSftpServer> {
  const s = await startSftpServer(options);
  servers.push(s);
  return s;
}

const WRONG_KEY = 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc';

/** Everything an error carries, as a person or a log could see it: message, stack, own properties, causes. */
function everything(value: unknown): string {
  return [inspect(value, { depth: 10, showHidden: true }), value instanceof Error ? String(value.stack) : '', JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v)) ?? ''].join('\n');
}

/** Fails naming where a secret (or a long piece of it) shows up. */
function expectNoSecret(haystack: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    // Also a line of a PEM key, and the secret base64- or hex-encoded.
    const pieces = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), ...secret.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----'))];
    for (const piece of pieces) expect(haystack.includes(piece), `a secret shows up: ${piece.slice(0, 12)}...`).toBe(false);
  }
}

const failureOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe('SFTP host key pinning', () => {
  it('the uploader refuses a server with another host key: no login, nothing written', async () => {
    const s = await server();
    const { log, lines } = recordingLog();
    const error = await failureOf(createSftpUploader({ log }).upload({ partner: sftpPartner(s, { hostKey: WRONG_KEY }), bytes: Buffer.from('ISA~'), set: '997', control: 1, now: new Date() }));
    expect(error).toMatchObject({ code: 'SFTP_HOST_KEY_MISMATCH' });
    expect((error as Error).message).toContain(`host key ${s.fingerprint} of 127.0.0.1:${s.port} does not match the pinned ${WRONG_KEY}`);
    expect(s.logins).toBe(0);
    expect(await s.ls('/inbox')).toEqual([]);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn').length).toBeLessThanOrEqual(1);
  });

  it('the password is never sent to a server with another host key', async () => {
    // The right password: had the client sent it, the login would have completed (logins counts those).
    const s = await server({ password: 'pinned-only-S3cret' });
    const error = await failureOf(connectSftp(sftpPartner(s, { hostKey: WRONG_KEY, password: 'pinned-only-S3cret' })));
    expect(error).toMatchObject({ code: 'SFTP_HOST_KEY_MISMATCH', kind: 'host-key' });
    expect(s.logins).toBe(0);
    expectNoSecret(everything(error), ['pinned-only-S3cret']);
  });
});

describe('secrets in failures', () => {
  it('a wrong SFTP password: not in the error, the log lines or partner health', async () => {
    const s = await server();
    const password = 'Wr0ng-Pa55word-Zq9!';
    const partner = sftpPartner(s, { code: 'secretive', password });
    const { log, lines } = recordingLog();
    const r = await createSftpPoller({ db, log, intake: gateway.intake }).poll(partner);
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/^authentication as partner@127\.0\.0\.1:\d+ failed/);
    const health = await listPartnerHealth(db, { partner: 'secretive' });
    expect(health[0]?.consecutiveFailures).toBe(1);
    expectNoSecret([everything(r), everything(lines), everything(health)].join('\n'), [password]);
  });

  it('a wrong passphrase of the private key: neither the passphrase nor the key in the error or the log', async () => {
    const passphrase = 'open-sesame-4711';
    const locked = ed25519KeyPair({ passphrase, cipher: 'aes256-ctr', rounds: 4 });
    const s = await server({ authorizedKeys: [locked.public] });
    const wrong = 'not-the-passphrase-0815';
    const partner = sftpPartner(s, { code: 'locked', auth: 'key', privateKey: locked.private, passphrase: wrong });
    const error = await failureOf(connectSftp(partner));
    expect(error).toMatchObject({ code: 'SFTP_SECRET_UNUSABLE' });
    const { log, lines } = recordingLog();
    const r = await createSftpPoller({ db, log, intake: gateway.intake }).poll(partner);
    expect(r.outcome).toBe('failed');
    expectNoSecret([everything(error), everything(r), everything(lines)].join('\n'), [wrong, passphrase, locked.private]);
  });

  it.each([18, 19] as const)('Odoo %s refusing the API key: the key is in no error of the client', async (version) => {
    const double = await startOdooDouble({ version });
    try {
      const wrongKey = 'f00dfacefeedbeef0123456789abcdef01234567';
      const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: wrongKey, timeoutMs: 5000 });
      const error = await failureOf(client.search('res.partner', [['id', '=', 1]]));
      expect(error).toMatchObject({ code: 'ODOO_ACCESS_DENIED', policy: 'auth' });
      expectNoSecret(everything(error), [wrongKey, double.apiKey]);
    } finally {
      await double.close();
    }
  });
});
