// A few runs against Debian's OpenSSH server (internal-sftp, chrooted user) started for this file:
// what the in-process server imitates, checked against the real thing. Skipped, loudly, where sshd
// is not installed (.ci/run installs it) or the tests do not run as root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { listFiles } from '../../../src/store/index.js';
import { connectSftp, SftpError } from '../../../src/transports/sftp/client.js';
import { createSftpPoller } from '../../../src/transports/sftp/poller.js';
import { createSftpUploader } from '../../../src/transports/sftp/uploader.js';
import { useTestDatabase } from '../../support/db.js';
import { opensshUnavailable, startOpenSsh, type OpenSshServer } from '../../support/openssh.js';
import { sftpPartner } from './support.js';

const unavailable = opensshUnavailable();
if (unavailable) {
  console.warn(`\n*** SKIPPED: the OpenSSH tests (test/transports/sftp/openssh.test.ts): ${unavailable} ***\n`);
}

const db = useTestDatabase();
let gateway: Gateway;
let sshd: OpenSshServer;

describe.skipIf(unavailable !== undefined)('against OpenSSH sshd (internal-sftp, chroot)', () => {
  beforeAll(async () => {
    sshd = await startOpenSsh();
    gateway = await startGateway({ db, workers: false });
  });
  afterAll(async () => {
    await gateway?.stop();
    await sshd?.stop();
  });

  it('logs in with a password and with a key, pins the host key, refuses a wrong one', async () => {
    for (const auth of ['password', 'key'] as const) {
      const session = await connectSftp(sftpPartner(sshd, { auth }));
      expect((await session.list('/')).map((e) => [e.name, e.type]).sort()).toEqual([
        ['inbox', 'dir'],
        ['outbox', 'dir'],
      ]);
      await session.close();
    }
    const wrongKey = await connectSftp(sftpPartner(sshd, { hostKey: 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc' })).catch((e: unknown) => e);
    expect(wrongKey).toBeInstanceOf(SftpError);
    expect((wrongKey as SftpError).message).toContain(`host key ${sshd.fingerprint} of 127.0.0.1:${sshd.port} does not match`);
    const wrongPassword = await connectSftp(sftpPartner(sshd, { password: 'not-it' })).catch((e: unknown) => e);
    expect((wrongPassword as SftpError).kind).toBe('auth');
  });

  it('polls the outbox into intake and archives under timestamped names', async () => {
    await sshd.put('/outbox/po-1.edi', 'ISA*openssh*1~');
    await sshd.put('/outbox/po-2.edi', 'ISA*openssh*2~');
    await sshd.put('/outbox/po-3.edi.part', 'partial');
    const poller = createSftpPoller({ db, intake: (input) => gateway.intake(input), now: () => new Date('2026-11-01T12:00:00.000Z') });
    const partner = sftpPartner(sshd, { code: 'openssh' });
    const r = await poller.poll(partner);
    expect(r.outcome).toBe('done');
    expect(r.taken.map((t) => [t.name, t.state]).sort()).toEqual([
      ['po-1.edi', 'archived'],
      ['po-2.edi', 'archived'],
    ]);
    expect(await sshd.ls('/outbox')).toEqual(['archive', 'po-3.edi.part']);
    expect(await sshd.ls('/outbox/archive')).toEqual(['20261101T120000.000Z-po-1.edi', '20261101T120000.000Z-po-2.edi']);
    expect((await listFiles(db, { partner: 'openssh' })).map((f) => f.sourceName).sort()).toEqual(['po-1.edi', 'po-2.edi']);
  });

  it('uploads under a temporary name and renames; a second file of the same name is refused', async () => {
    const partner = sftpPartner(sshd, { code: 'openssh', auth: 'key' });
    const bytes = Buffer.alloc(2_000_000, 'x');
    const uploader = createSftpUploader({ retryDelayMs: 10 });
    const now = new Date('2026-11-01T12:00:00Z');
    const result = await uploader.upload({ partner, bytes, set: '855', control: 7, now });
    expect(result).toMatchObject({ path: '/inbox/openssh_855_000000007_20261101120000.edi', attempts: 1 });
    expect((await sshd.get(result.path))?.equals(bytes)).toBe(true);
    const again = await uploader.upload({ partner, bytes: Buffer.from('other'), set: '855', control: 7, now }).catch((e: unknown) => e);
    expect((again as SftpError).message).toContain('already exists');
    expect(await sshd.ls('/inbox')).toEqual(['openssh_855_000000007_20261101120000.edi']);
  });
});
