// The SFTP poller against the in-process server and the real database (intake commits files, the
// advisory lock, remote_files, partner_health): every fault case of issue 4 except the two-process
// one (poller-processes.test.ts) and the OpenSSH runs (openssh.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { burstFile } from '../../../bench/pipeline-files.js';
import type { IntakeInput } from '../../../src/jobs/intake.js';
import { mailboxKey } from '../../../src/partners/cross-check.js';
import type { Partner } from '../../../src/partners/types.js';
import { listFiles, listPartnerHealth, listReceipts, listRemoteFiles } from '../../../src/store/index.js';
import { tryMailboxLock } from '../../../src/transports/common/mailbox-lock.js';
import { createSftpPoller, type SftpPollerOptions } from '../../../src/transports/sftp/poller.js';
import { useTestGateway } from '../../support/test-gateway.js';
import { useTestDatabase } from '../../support/db.js';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';
import { recordingLog, sftpPartner, type PartnerOverrides } from './support.js';
import { ed25519KeyPair } from '../../support/ssh-keys.js';

const db = useTestDatabase();
const servers: TestSftpServer[] = [];
let partnerNo = 0;

const gateway = useTestGateway(db, { workers: false });
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const NOW = new Date('2026-11-01T12:00:00.123Z');
const edi = (n: number | string) => `ISA*00*          *00*          *ZZ*ACME*ZZ*US*261101*1200*U*00401*${String(n).padStart(9, '0')}*0*P*>~\n`;

/** A fresh server and partner (own code: remote_files and health do not mix between tests), a poller with a counting intake. */
async function setup(overrides: PartnerOverrides = {}, pollerOptions: Partial<SftpPollerOptions> = {}) {
  const server = await startSftpServer();
  servers.push(server);
  const partner = sftpPartner(server, { code: `p${++partnerNo}`, ...overrides });
  const calls: IntakeInput[] = [];
  const { log, lines } = recordingLog();
  const poller = createSftpPoller({
    db,
    intake: (input) => {
      calls.push(input);
      return gateway.intake(input);
    },
    log,
    now: () => NOW,
    backoff: { baseSeconds: 60, maxSeconds: 600 },
    ...pollerOptions,
  });
  const files = () => listFiles(db, { partner: partner.code, limit: 5000 });
  const health = async () => (await listPartnerHealth(db, { partner: partner.code }))[0];
  const remembered = () => listRemoteFiles(db, { partner: partner.code });
  return { server, partner, poller, calls, lines, files, health, remembered };
}

describe('a poll', () => {
  it('takes matching files, hands them to intake, then moves them into the archive under timestamped names', async () => {
    const { server, partner, poller, files, health, remembered } = await setup();
    await server.put('/outbox/po-1.edi', edi(1));
    await server.put('/outbox/po-2.x12', edi(2));
    await server.put('/outbox/readme.pdf', 'not ours');
    await server.put('/outbox/po-3.edi.part', 'being uploaded');
    await server.put('/outbox/.po-4.edi', 'hidden');
    await server.put('/outbox/po-5.tmp', 'temporary');

    const result = await poller.poll(partner);
    expect(result.outcome).toBe('done');
    expect(result.taken.map((t) => t.name).sort()).toEqual(['po-1.edi', 'po-2.x12']);
    expect(result.taken.every((t) => t.state === 'archived' && !t.earlier)).toBe(true);
    expect(await server.ls('/outbox')).toEqual(['.po-4.edi', 'archive', 'po-3.edi.part', 'po-5.tmp', 'readme.pdf']);
    expect(await server.ls('/outbox/archive')).toEqual(['20261101T120000.123Z-po-1.edi', '20261101T120000.123Z-po-2.x12']);
    expect(result.taken.find((t) => t.name === 'po-1.edi')?.archivedAs).toBe('/outbox/archive/20261101T120000.123Z-po-1.edi');

    const stored = await files();
    expect(stored.map((f) => [f.channel, f.sourceName, f.state]).sort()).toEqual([
      ['sftp', 'po-1.edi', 'received'],
      ['sftp', 'po-2.x12', 'received'],
    ]);
    expect(stored.find((f) => f.sourceName === 'po-1.edi')?.metadata).toMatchObject({ originalName: 'po-1.edi', remotePath: '/outbox/po-1.edi' });
    expect(await remembered()).toEqual([]); // archived and gone: nothing left to protect
    expect(await health()).toMatchObject({ transport: 'sftp', consecutiveFailures: 0, lastError: null });
    expect((await health())?.lastSuccess).toBeInstanceOf(Date);

    const again = await poller.poll(partner);
    expect(again).toMatchObject({ outcome: 'done', taken: [], pending: 0 });
    expect(await files()).toHaveLength(2);
  });

  it('takes a file only after two looks stableSeconds apart agree on its size and mtime', async () => {
    const { server, partner, poller, calls } = await setup({ inbound: { stableSeconds: 0.3 } });
    await server.put('/outbox/po.edi', edi(1));
    const first = await poller.poll(partner);
    expect(first).toMatchObject({ outcome: 'done', taken: [], pending: 1 });
    expect(first.recheckMs).toBeGreaterThan(0);
    expect(first.recheckMs).toBeLessThanOrEqual(400);
    await sleep(first.recheckMs!);
    const second = await poller.poll(partner);
    expect(second.taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(calls).toHaveLength(1);
  });

  it('does not take a file that is still being written, then takes all of it', async () => {
    const { server, partner, poller, calls } = await setup({ inbound: { stableSeconds: 0.5 } });
    await server.put('/outbox/big.edi', edi('start'));
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 8; i++) {
        await sleep(150);
        await appendFile(server.local('/outbox/big.edi'), `REF*ZZ*${i}~\n`);
      }
      writing = false;
    })();
    while (writing) {
      const r = await poller.poll(partner);
      expect(r.taken).toEqual([]);
      await sleep(100);
    }
    await writer;
    const complete = await server.get('/outbox/big.edi');
    const deadline = Date.now() + 5000;
    while (calls.length === 0 && Date.now() < deadline) {
      await poller.poll(partner);
      await sleep(100);
    }
    expect(calls).toHaveLength(1);
    expect(Buffer.from(calls[0]!.bytes).equals(complete!)).toBe(true);
    expect(Buffer.from(calls[0]!.bytes).toString()).toContain('REF*ZZ*7~');
  });

  it('takes a complete X12 file after about a second, not the whole stability window (stableSeconds 5)', async () => {
    const { server, partner, poller, calls } = await setup({ inbound: { stableSeconds: 5 } });
    const file = burstFile(1, 2, { sender: 'QUICKSFTP' });
    await server.put('/outbox/po.edi', file.bytes);
    expect((await poller.poll(partner)).pending).toBe(1);
    await sleep(1100);
    const second = await poller.poll(partner);
    expect(second.taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(calls).toHaveLength(1);
    // Committed; archived once it stood still for the window (checked unchanged first).
    expect(second.pending).toBe(1);
    expect(await server.get('/outbox/po.edi')).toBeDefined();
    await sleep(second.recheckMs!);
    const third = await poller.poll(partner);
    expect(third.taken).toMatchObject([{ name: 'po.edi', earlier: true, state: 'archived' }]);
    expect(calls).toHaveLength(1);
  });

  it('a writer without a temporary name, 3 chunks 1.5 s apart (issue 10, finding 1): stored whole, archived whole', { timeout: 30_000 }, async () => {
    const { server, partner, poller, calls, files } = await setup({ inbound: { stableSeconds: 5 } });
    const file = burstFile(1, 10, { sender: 'CHUNKSFTP' });
    const cuts = [0, 1000, 2100, file.bytes.length];
    const writer = (async () => {
      for (let i = 0; i < 3; i++) {
        await appendFile(server.local('/outbox/po.edi'), file.bytes.subarray(cuts[i], cuts[i + 1]));
        if (i < 2) await sleep(1500);
      }
    })();
    let archived = false;
    const deadline = Date.now() + 20_000;
    while (!archived && Date.now() < deadline) {
      const r = await poller.poll(partner);
      archived = r.taken.some((t) => t.state === 'archived');
      await sleep(Math.min(r.recheckMs ?? 300, 300));
    }
    await writer;
    expect(archived).toBe(true);
    expect(calls.map((c) => Buffer.from(c.bytes).equals(file.bytes))).toEqual([true]);
    expect((await files()).map((f) => f.size)).toEqual([file.bytes.length]);
    const archive = readdirSync(server.local('/outbox/archive'));
    expect(archive).toHaveLength(1);
    expect(readFileSync(join(server.local('/outbox/archive'), archive[0]!)).equals(file.bytes)).toBe(true);
  });

  it('with doneMarker takes FILE only once FILE.done exists, and deletes the marker after', async () => {
    const { server, partner, poller } = await setup({ inbound: { doneMarker: true, stableSeconds: 60, patterns: ['*'] } });
    await server.put('/outbox/po.edi', edi(1));
    expect(await poller.poll(partner)).toMatchObject({ taken: [], pending: 1 });
    await server.put('/outbox/po.edi.done', '');
    const r = await poller.poll(partner);
    expect(r.taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(await server.ls('/outbox')).toEqual(['archive']);
  });

  it('deletes taken files with archive: delete, and remembers them with archive: leave', async () => {
    const del = await setup({ inbound: { archive: { action: 'delete' } } });
    await del.server.put('/outbox/po.edi', edi(1));
    expect((await del.poller.poll(del.partner)).taken.map((t) => t.state)).toEqual(['archived']);
    expect(await del.server.ls('/outbox')).toEqual([]);

    const leave = await setup({ inbound: { archive: { action: 'leave' } } });
    await leave.server.put('/outbox/po.edi', edi(2));
    expect((await leave.poller.poll(leave.partner)).taken.map((t) => t.state)).toEqual(['remembered']);
    expect((await leave.poller.poll(leave.partner)).taken).toEqual([]);
    expect(await leave.server.ls('/outbox')).toEqual(['po.edi']);
    expect(leave.calls).toHaveLength(1);
    const [entry] = await leave.remembered();
    expect(entry).toMatchObject({ path: 'po.edi', state: 'remembered', size: edi(2).length });
    expect(entry?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The partner puts a new version under the same name: a new file.
    await leave.server.put('/outbox/po.edi', edi(3) + 'more');
    expect((await leave.poller.poll(leave.partner)).taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(leave.calls).toHaveLength(2);
  });

  it('leaves a file in place when intake fails, and takes it at the next poll', async () => {
    const { server, partner, poller, files } = await setup();
    await server.put('/outbox/po.edi', edi(1));
    let fail = true;
    const flaky = createSftpPoller({
      db,
      intake: async (input) => {
        if (fail) throw new Error('intake of po.edi from p failed, nothing was stored: database unavailable');
        return gateway.intake(input);
      },
    });
    const r = await flaky.poll(partner);
    expect(r.outcome).toBe('done');
    expect(r.failed).toEqual([{ name: 'po.edi', error: expect.stringContaining('database unavailable') }]);
    expect(await server.ls('/outbox')).toEqual(['po.edi']);
    fail = false;
    expect((await flaky.poll(partner)).taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(await files()).toHaveLength(1);
    void poller;
  });

  it('does not download a file larger than maxFileBytes: records it rejected (too large), archives it, and never sees it again', async () => {
    const { server, partner, poller, lines, calls, files } = await setup();
    const small = { ...partner, maxFileBytes: 100 } satisfies Partner;
    await server.put('/outbox/huge.edi', 'x'.repeat(101));
    const r = await poller.poll(small);
    expect(r.taken.map((t) => [t.name, t.state, t.earlier])).toEqual([['huge.edi', 'archived', false]]);
    expect(server.reads).toEqual([]);
    expect(calls.map((c) => [c.sourceName, c.bytes.length, c.notDownloaded?.size])).toEqual([['huge.edi', 0, 101]]);
    const [file] = await files();
    expect(file).toMatchObject({ state: 'rejected', size: 101, sourceName: 'huge.edi' });
    expect(file!.reason).toBe('the file is 101 bytes, more than the maximum of 100 bytes [PIPELINE_FILE_TOO_LARGE]');
    expect(await server.ls('/outbox')).toEqual(['archive']);
    expect((await server.ls('/outbox/archive')).map((n) => n.replace(/^\d{8}T\d{6}\.\d{3}Z-/, ''))).toEqual(['huge.edi']);
    // The next poll has nothing to do; the log said it once.
    expect((await poller.poll(small)).taken).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(lines.filter((l) => l.message.includes('larger than maxFileBytes'))).toHaveLength(1);
  });

  it('remembers a taken file in intake\'s own transaction: a crash right after the commit cannot ingest it twice', async () => {
    const { server, partner } = await setup();
    await server.put('/outbox/po-crash.edi', edi(7001));
    const { log } = recordingLog();
    // Intake commits, then the process "dies" before the poller could write anything itself.
    const crashing = createSftpPoller({ db, log, intake: async (input) => { await gateway.intake(input); throw new Error('crash after commit'); } });
    const first = await crashing.poll(partner);
    expect(first.failed.map((f) => f.name)).toEqual(['po-crash.edi']);
    expect(await server.ls('/outbox')).toContain('po-crash.edi');
    const calls: IntakeInput[] = [];
    const poller = createSftpPoller({ db, log, intake: (input) => (calls.push(input), gateway.intake(input)) });
    const second = await poller.poll(partner);
    expect(second.taken.map((t) => [t.name, t.earlier, t.state])).toEqual([['po-crash.edi', true, 'archived']]);
    expect(calls).toEqual([]);
    const [file] = await listFiles(db, { partner: partner.code });
    expect(await listReceipts(db, file!.id)).toHaveLength(1);
  });
});

describe('faults', () => {
  it('refuses a server with the wrong host key: nothing read, the failure in partner health', async () => {
    const { server, partner, poller, health, lines, calls, files } = await setup({ hostKey: 'SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc' });
    await server.put('/outbox/po.edi', edi(1));
    const r = await poller.poll(partner);
    expect(r.outcome).toBe('failed');
    expect(lines.filter((l) => l.level === 'error').map((l) => (l.details as { code?: string }).code)).toEqual(['SFTP_HOST_KEY_MISMATCH']);
    expect(r.error).toContain(`host key ${server.fingerprint} of 127.0.0.1:${server.port} does not match the pinned SHA256:RoE7Po0qycUCZ/5pAFYVQ+92ISwMFA8dYQl4W8cKsyc in /etc/edi/partners/${partner.code}.yaml`);
    expect(server.logins).toBe(0);
    // Nothing taken: nothing read, handed to intake, stored or moved.
    expect(server.reads).toEqual([]);
    expect(calls).toEqual([]);
    expect(await files()).toEqual([]);
    expect(await server.ls('/outbox')).toEqual(['po.edi']);
    expect(await health()).toMatchObject({ consecutiveFailures: 1, lastError: r.error });
  });

  it('counts a wrong password or key against the partner and backs off exponentially', async () => {
    const { server, partner, poller, health } = await setup({ password: 'wrong' });
    const r1 = await poller.poll(partner);
    expect(r1.outcome).toBe('failed');
    expect(r1.error).toMatch(/^authentication as partner@127\.0\.0\.1:\d+ failed/);
    const h1 = await health();
    expect(h1?.consecutiveFailures).toBe(1);
    // base 60 s: the next attempt about a minute out; polls before it do not connect.
    expect(h1!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(await poller.poll(partner)).toMatchObject({ outcome: 'backoff', nextAttemptAt: h1!.nextAttemptAt });
    const r2 = await poller.poll(partner, { force: true });
    expect(r2.outcome).toBe('failed');
    const h2 = await health();
    expect(h2?.consecutiveFailures).toBe(2);
    expect(h2!.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(110_000);

    const keyed = sftpPartner(server, { code: partner.code, auth: 'key', privateKey: ed25519KeyPair().private });
    expect((await poller.poll(keyed, { force: true })).error).toMatch(/^authentication as/);
    expect((await health())?.consecutiveFailures).toBe(3);
  });

  it('server gone mid-download (transient): the poll stops and backs off; nothing ingested, nothing archived, taken by a later poll', async () => {
    const { server, partner, poller, files, health, calls, lines } = await setup({}, { backoff: { baseSeconds: 0.2, maxSeconds: 1 } });
    const big = Buffer.alloc(400_000, 'A');
    big.write('ISA', 0);
    await server.put('/outbox/big.edi', big);
    server.faults = { dropAfterReadBytes: 100_000 };
    const r1 = await poller.poll(partner);
    expect(r1.outcome).toBe('failed');
    expect(r1.error).toMatch(/download of big\.edi failed/);
    // The poll's failure carries the code of the SftpError the abort wraps.
    expect(lines.filter((l) => l.level === 'error').map((l) => (l.details as { code?: string }).code)).toEqual(['SFTP_CONNECTION_LOST']);
    expect(calls).toEqual([]);
    expect(await files()).toEqual([]);
    expect(await server.ls('/outbox')).toEqual(['big.edi']);
    expect(await server.ls('/outbox/archive')).toEqual([]);
    expect((await health())?.consecutiveFailures).toBe(1);

    // Backing off: the next poll does not even connect.
    const logins = server.logins;
    expect((await poller.poll(partner)).outcome).toBe('backoff');
    expect(server.logins).toBe(logins);
    await sleep(250);
    const r2 = await poller.poll(partner);
    expect(r2.outcome).toBe('done');
    expect(r2.taken.map((t) => [t.name, t.size, t.state])).toEqual([['big.edi', 400_000, 'archived']]);
    const [file] = await files();
    expect(file?.size).toBe(400_000);
    expect((await health())?.consecutiveFailures).toBe(0);
  });

  it('permission denied on the archive rename (auth, not transient): the poll goes on; ingested once, the archive step retried until it works', async () => {
    const { server, partner, poller, files, calls, remembered, lines } = await setup();
    await server.put('/outbox/po.edi', edi(1));
    server.faults = { denyRename: (from) => from === '/outbox/po.edi' };
    const r1 = await poller.poll(partner);
    expect(r1.taken).toMatchObject([{ name: 'po.edi', state: 'ingested', earlier: false }]);
    expect(r1.failed).toEqual([{ name: 'po.edi', error: expect.stringContaining('Permission denied') }]);
    const notArchived = lines.filter((l) => l.level === 'error' && l.message.startsWith('FILE COMMITTED BUT NOT ARCHIVED'));
    expect(notArchived.map((l) => (l.details as { code?: string }).code)).toEqual(['SFTP_PERMISSION_DENIED']);
    expect(r1.outcome).toBe('done');
    expect(await remembered()).toMatchObject([{ path: 'po.edi', state: 'ingested' }]);

    // Next poll, still denied: no second intake, only the archive step again.
    const r2 = await poller.poll(partner);
    expect(r2.taken).toMatchObject([{ name: 'po.edi', state: 'ingested', earlier: true }]);
    expect(calls).toHaveLength(1);

    // A fresh poller (another process, or after a restart) knows it from the database.
    const other = createSftpPoller({ db, intake: (input) => (calls.push(input), gateway.intake(input)) });
    server.faults = {};
    const r3 = await other.poll(partner);
    expect(r3.taken).toMatchObject([{ name: 'po.edi', state: 'archived', earlier: true }]);
    expect(calls).toHaveLength(1);
    const [file] = await files();
    expect(await listReceipts(db, file!.id)).toHaveLength(1);
    expect(await server.ls('/outbox')).toEqual(['archive']);
    expect((await poller.poll(partner)).taken).toEqual([]);
  });

  it('never takes a listed name that points outside the folder, and records odd names safely', async () => {
    const { server, partner, poller, calls, files, lines } = await setup({ inbound: { patterns: ['*'] } });
    await server.put('/evil.edi', 'outside the mailbox');
    await server.put('/outbox/a..b\u0001.edi', edi(1));
    server.faults = { extraEntries: (folder) => (folder === '/outbox' ? ['../evil.edi', '..', 'x/../../evil.edi'] : []) };
    const r = await poller.poll(partner);
    expect(r.skipped).toEqual([
      { name: '../evil.edi', reason: 'it holds a path separator' },
      { name: 'x/../../evil.edi', reason: 'it holds a path separator' },
    ]);
    expect(server.reads.filter((p) => p.includes('evil'))).toEqual([]);
    expect(await server.get('/evil.edi')).toBeDefined();
    expect(calls.map((c) => c.sourceName)).toEqual(['a_b_.edi']);
    const [file] = await files();
    expect(file?.metadata).toMatchObject({ originalName: 'a..b\u0001.edi' });
    expect(await server.ls('/outbox/archive')).toEqual(['20261101T120000.123Z-a_b_.edi']);
    expect(lines.filter((l) => l.message.includes('path separator'))).toHaveLength(2);
  });

  it('skips a poll while another process holds the mailbox lock', async () => {
    const { server, partner, poller, calls } = await setup();
    await server.put('/outbox/po.edi', edi(1));
    const t = partner.transport;
    const lock = await tryMailboxLock(db.another(2), mailboxKey(partner, t.inbound!.folder));
    expect(lock).toBeDefined();
    try {
      expect((await poller.poll(partner)).outcome).toBe('locked');
      expect(server.logins).toBe(0);
    } finally {
      await lock!.release();
    }
    expect((await poller.poll(partner)).taken).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('takes 1,000 files from one mailbox in one poll, each once', { timeout: 120_000 }, async () => {
    const { server, partner, poller, files } = await setup({}, { concurrency: 8 });
    for (let i = 0; i < 1000; i++) await server.put(`/outbox/po-${String(i).padStart(4, '0')}.edi`, edi(i));
    const started = Date.now();
    const r = await poller.poll(partner);
    const seconds = (Date.now() - started) / 1000;
    expect(r.outcome).toBe('done');
    expect(r.taken).toHaveLength(1000);
    expect(new Set(r.taken.map((t) => t.fileId)).size).toBe(1000);
    expect(await server.ls('/outbox')).toEqual(['archive']);
    expect(await server.ls('/outbox/archive')).toHaveLength(1000);
    expect(await files()).toHaveLength(1000);
    expect(seconds).toBeLessThan(90);
  });
});
