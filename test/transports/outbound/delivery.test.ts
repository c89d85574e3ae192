// Delivery of the outbound table (src/jobs/deliver.ts) through real channels: folders on disk and
// the in-process SFTP server; acks built by the pipeline in the partner's X12 settings; a crash
// between the upload and the 'sent' commit; partners with nowhere to deliver; retries that end
// 'failed' and a replay; two processes sharing the work; no transaction open during an upload, and
// the lease that keeps others away meanwhile (or lets them take over from a process that died).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDue } from '../../../src/jobs/deliver.js';
import type { OutboundChannel, OutboundChannels } from '../../../src/transports/outbound-channel.js';
import { startGateway } from '../../../src/jobs/gateway.js';
import { partnerDirectory } from '../../../src/partners/directory.js';
import type { Partner } from '../../../src/partners/types.js';
import { getDelivery } from '../../../src/store/delivery-repo.js';
import { fileTimeline, listOutbound, queueOutbound } from '../../../src/store/index.js';
import { partnerOutboundChannels } from '../../../src/transports/outbound.js';
import { replayCommand } from '../../../src/cli/commands/replay.js';
import { useTestDatabase } from '../../support/db.js';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';
import { folderPartner, folders } from '../folder/support.js';
import { sftpPartner } from '../sftp/support.js';

const db = useTestDatabase();
const NOW = new Date('2026-11-01T12:00:00Z');
let server: TestSftpServer;
let control = 100;

beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.faults = {};
  await db.query(`UPDATE ${db.schema}.outbound SET state = 'sent' WHERE state <> 'sent'`);
});

/** A small X12 interchange with a fresh ISA13 (what the file-name pattern's {control} reads). */
function interchange(): { payload: string; control: string } {
  const n = String(++control).padStart(9, '0');
  const payload = `ISA*00*          *00*          *ZZ*OURCOMPANY     *ZZ*ACME           *261101*1200*U*00401*${n}*0*P*>~\nTA1*000000001*261101*1200*A*000~\nIEA*0*${n}~\n`;
  return { payload, control: n };
}

function directoryOf(...partners: Partner[]) {
  return partnerDirectory({ partners: new Map(partners.map((p) => [p.code, p])) });
}

const fast = { baseDelaySeconds: 0, maxDelaySeconds: 0, now: () => NOW };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The partners' channels, each upload preceded by `before` (which may hold it back). */
function around(real: OutboundChannels, before: () => Promise<void>): OutboundChannels {
  return (code) => {
    const c = real(code) as OutboundChannel;
    return { ...c, deliver: async (f) => { await before(); return c.deliver(f); } };
  };
}

describe('delivery through a folder', () => {
  it('writes each entry under the partner pattern, records sent with the path, and an event on the file timeline', async () => {
    const where = folders('delivery-');
    const partner = folderPartner(where, { code: 'globex' });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    const a = interchange();
    const b = interchange();
    const e1 = (await queueOutbound(db, { partner: 'globex', kind: '997', payload: a.payload }))!;
    const e2 = (await queueOutbound(db, { partner: 'globex', kind: 'TA1', payload: b.payload }))!;
    const r = await deliverDue(db, { channels, ...fast });
    expect(r.sent.sort()).toEqual([e1.id, e2.id].sort());
    const names = readdirSync(where.outbox).sort();
    expect(names).toEqual([`globex_997_${a.control}_20261101120000.edi`, `globex_TA1_${b.control}_20261101120000.edi`]);
    expect(readFileSync(join(where.outbox, names[0]!), 'utf8')).toBe(a.payload);
    const sent = (await getDelivery(db, e1.id))!;
    expect(sent).toMatchObject({ state: 'sent', fileName: names[0], remotePath: join(where.outbox, names[0]!), attempts: 1, reason: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    // A second sweep finds nothing to do.
    expect(await deliverDue(db, { channels, ...fast })).toEqual({ sent: [], failed: [], waiting: [] });
  });

  it('a crash after the write but before the sent commit does not leave a second file on the retry', async () => {
    const where = folders('delivery-crash-');
    const partner = folderPartner(where, { code: 'crashy' });
    const real = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    // The file is written, then "the process dies": the transaction of the sent record never commits.
    const crashing: OutboundChannels = (code) => {
      const c = real(code) as OutboundChannel;
      return { ...c, deliver: async (f) => { await c.deliver(f); throw new Error('simulated crash before commit'); } };
    };
    const a = interchange();
    const entry = (await queueOutbound(db, { partner: 'crashy', kind: '997', payload: a.payload }))!;
    expect((await deliverDue(db, { channels: crashing, ...fast })).failed).toEqual([entry.id]);
    const name = `crashy_997_${a.control}_20261101120000.edi`;
    expect(readdirSync(where.outbox)).toEqual([name]);
    expect((await getDelivery(db, entry.id))!).toMatchObject({ state: 'ready', fileName: name, attempts: 1 });
    // The retry, an hour later: the stored name is re-used and the file found complete.
    const r = await deliverDue(db, { channels: real, ...fast, now: () => new Date(NOW.getTime() + 3600_000) });
    expect(r.sent).toEqual([entry.id]);
    expect(readdirSync(where.outbox)).toEqual([name]);
    expect((await getDelivery(db, entry.id))!).toMatchObject({ state: 'sent', fileName: name, attempts: 2 });
  });

  it('never overwrites another file of the same name: the first try takes the next free name', async () => {
    const where = folders('delivery-clash-');
    const partner = folderPartner(where, { code: 'static', outbound: { fileName: 'ack.edi' } });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    await queueOutbound(db, { partner: 'static', kind: '997', payload: interchange().payload });
    await queueOutbound(db, { partner: 'static', kind: '997', payload: interchange().payload });
    expect((await deliverDue(db, { channels, ...fast })).sent).toHaveLength(2);
    expect(readdirSync(where.outbox).sort()).toEqual(['ack-1.edi', 'ack.edi']);
  });

  it('a partner without an outbound mailbox keeps its entries ready with the reason, said once, not retried in a loop', async () => {
    const where = folders('delivery-none-');
    const partner = folderPartner(where, { code: 'inonly', outbound: null });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    const file = await startGateway({ db, workers: false }).then(async (g) => {
      const r = await g.intake({ partner: 'inonly', channel: 'test', sourceName: 'x.edi', bytes: Buffer.from('hello') });
      await g.stop();
      return r.fileId;
    });
    const entry = (await queueOutbound(db, { partner: 'inonly', kind: '997', fileId: file, payload: interchange().payload }))!;
    const stranger = (await queueOutbound(db, { partner: 'nofile', kind: '997', payload: interchange().payload }))!;
    const r = await deliverDue(db, { channels, ...fast, missingRecheckSeconds: 0 });
    expect(r.waiting.sort()).toEqual([entry.id, stranger.id].sort());
    await deliverDue(db, { channels, ...fast, missingRecheckSeconds: 0 });
    const waiting = (await getDelivery(db, entry.id))!;
    expect(waiting).toMatchObject({ state: 'ready', attempts: 0, fileName: null });
    expect(waiting.reason).toBe('waiting: partner inonly has no outbound mailbox (transport.outbound in inonly.yaml)');
    expect((await getDelivery(db, stranger.id))!.reason).toMatch(/partner nofile has no partner file \(partners\/nofile\.yaml\)/);
    const notes = (await fileTimeline(db, file)).filter((e) => e.stage === 'deliver');
    expect(notes.map((e) => e.message)).toEqual(['997 not delivered yet: partner inonly has no outbound mailbox (transport.outbound in inonly.yaml)']);
    // Not looked at again before the recheck interval.
    await deliverDue(db, { channels, ...fast, missingRecheckSeconds: 3600 });
    expect((await deliverDue(db, { channels, ...fast })).waiting).toEqual([]);
  });

  it('a partner whose file has problems waits with what is wrong, not as a partner without a file', async () => {
    const where = folders('delivery-broken-');
    const directory = Object.assign(directoryOf(), {
      broken: () => [{ code: 'badfile', file: join(where.root, 'badfile.yaml'), display: 'partners/badfile.yaml', errors: [{ file: 'partners/badfile.yaml', path: 'mode', message: 'partners/badfile.yaml: mode: missing, expected production or test' }] }],
    });
    const channels = partnerOutboundChannels({ directory, dataDir: where.root });
    const entry = (await queueOutbound(db, { partner: 'badfile', kind: '997', payload: interchange().payload }))!;
    expect((await deliverDue(db, { channels, ...fast, missingRecheckSeconds: 0 })).waiting).toEqual([entry.id]);
    expect((await getDelivery(db, entry.id))!.reason).toBe(
      'waiting: the partner file partners/badfile.yaml has problems (edi partners check), so partner badfile is out of service: partners/badfile.yaml: mode: missing, expected production or test',
    );
  });

  it('failures retry with backoff and end failed with the last error; a replay delivers it', async () => {
    const where = folders('delivery-fail-');
    const partner = folderPartner(where, { code: 'blocked' });
    // The outbound folder's place is taken by a file: every write fails.
    rmSync(where.outbox, { recursive: true, force: true });
    writeFileSync(where.outbox, 'not a folder');
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    const entry = (await queueOutbound(db, { partner: 'blocked', kind: '999', payload: interchange().payload }))!;
    const options = { channels, ...fast, maxAttempts: 3 };
    for (let i = 0; i < 3; i++) expect((await deliverDue(db, options)).failed).toEqual([entry.id]);
    const failed = (await getDelivery(db, entry.id))!;
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/^delivery of 999 blocked_999_\d{9}_20261101120000\.edi to folder .+ failed 3 times; last error: .*(EEXIST|ENOTDIR)/);
    expect((await deliverDue(db, options)).failed).toEqual([]);

    rmSync(where.outbox);
    // A try that wrote the file but did not live to record it: the replayed entry must find it, not write a second copy.
    mkdirSync(where.outbox);
    writeFileSync(join(where.outbox, failed.fileName!), entry.payload);
    // edi replay --outbound, as a person would; then the gateway's own call finds nothing left to replay.
    const said: string[] = [];
    const io = { out: (t: string) => void said.push(t), err: (t: string) => void said.push(t) };
    expect(await replayCommand(db, String(entry.id), { outbound: true, actor: 'alice' }, io)).toBe(0);
    expect(said).toEqual([`outbound ${entry.id}: failed -> queued for delivery again (as alice); a running gateway sends it`]);
    expect(await replayCommand(db, String(entry.id), { outbound: true, actor: 'alice' }, io)).toBe(3);
    const gateway = await startGateway({ db, workers: false });
    expect(await gateway.replayOutbound(entry.id, 'alice')).toBe(false);
    await gateway.stop();
    expect((await deliverDue(db, options)).sent).toEqual([entry.id]);
    expect(readdirSync(where.outbox)).toEqual([failed.fileName]);
    expect((await getDelivery(db, entry.id))!.state).toBe('sent');
  });

  it('two processes sweeping at once deliver each entry exactly once', async () => {
    const where = folders('delivery-two-');
    const partner = folderPartner(where, { code: 'shared', outbound: { fileName: '{partner}_{set}_{control}.edi' } });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await queueOutbound(db, { partner: 'shared', kind: '997', payload: interchange().payload }))!.id);
    const other = db.another();
    const results = await Promise.all([
      deliverDue(db, { channels, ...fast, batchSize: 5 }), deliverDue(other, { channels, ...fast, batchSize: 5 }),
      deliverDue(db, { channels, ...fast, batchSize: 5 }), deliverDue(other, { channels, ...fast, batchSize: 5 }),
    ]);
    let more = await deliverDue(db, { channels, ...fast, batchSize: 100 });
    const sent = [...results.flatMap((r) => r.sent), ...more.sent];
    expect(sent.sort((x, y) => x - y)).toEqual(ids);
    expect(readdirSync(where.outbox)).toHaveLength(30);
    more = await deliverDue(other, { channels, ...fast });
    expect(more.sent).toEqual([]);
  });
});

describe('claim, upload, record: no transaction open while uploading', () => {
  it('the upload runs with every connection back in the pool and the claim committed: a sweep works on a pool of one', async () => {
    const where = folders('delivery-pool-');
    const partner = folderPartner(where, { code: 'pooled' });
    const real = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    const small = db.another(1);
    const seen: Array<{ inUse: number; leased: number }> = [];
    const channels = around(real, async () => {
      const inUse = small.pool.totalCount - small.pool.idleCount;
      // Needs the pool's only connection: a transaction held across the upload would make it wait (and fail after 10 s).
      const { rows } = await small.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${db.schema}.outbound WHERE state = 'ready' AND lease_holder IS NOT NULL AND lease_expires_at > now() AND file_name IS NOT NULL AND attempts = 1`,
      );
      seen.push({ inUse, leased: rows[0]!.n });
    });
    const a = (await queueOutbound(db, { partner: 'pooled', kind: '997', payload: interchange().payload }))!;
    const b = (await queueOutbound(db, { partner: 'pooled', kind: '997', payload: interchange().payload }))!;
    const r = await deliverDue(small, { channels, ...fast });
    expect(r.sent).toEqual([a.id, b.id]);
    // Both were claimed (leased, named, counted) before the first upload; the first was recorded before the second upload.
    expect(seen).toEqual([{ inUse: 0, leased: 2 }, { inUse: 0, leased: 1 }]);
    expect(readdirSync(where.outbox)).toHaveLength(2);
    expect((await getDelivery(db, a.id))!).toMatchObject({ state: 'sent', leaseHolder: null, leaseExpiresAt: null, attempts: 1 });
  });

  it('a slow upload keeps its entry past the lease time (renewed): another process sweeping meanwhile neither uploads it nor counts a try', async () => {
    const where = folders('delivery-slow-');
    const partner = folderPartner(where, { code: 'slow', outbound: { fileName: '{partner}_{set}_{control}.edi' } });
    const real = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: where.root });
    let uploads = 0;
    let started!: () => void;
    const uploading = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = around(real, async () => {
      uploads++;
      started();
      await gate;
    });
    const counted = around(real, async () => void uploads++);
    const a = interchange();
    const entry = (await queueOutbound(db, { partner: 'slow', kind: '997', payload: a.payload }))!;
    const options = { ...fast, leaseSeconds: 0.5 };
    const first = deliverDue(db, { channels: slow, ...options });
    await uploading;
    const other = db.another();
    for (let i = 0; i < 3; i++) {
      // Twice past the lease time by the end: only its renewal keeps the entry.
      await sleep(400);
      expect(await deliverDue(other, { channels: counted, ...options })).toEqual({ sent: [], failed: [], waiting: [] });
    }
    const held = (await getDelivery(db, entry.id))!;
    expect(held).toMatchObject({ state: 'ready', attempts: 1 });
    expect(held.leaseHolder).toContain(`/${process.pid}/`);
    release();
    expect((await first).sent).toEqual([entry.id]);
    expect(uploads).toBe(1);
    expect(readdirSync(where.outbox)).toEqual([`slow_997_${a.control}.edi`]);
    const sent = await db.query(`SELECT 1 FROM ${db.schema}.events WHERE details->>'outboundId' = $1 AND to_state = 'sent'`, [String(entry.id)]);
    expect(sent.rowCount).toBe(1);
  });
});

describe('delivery through SFTP', () => {
  beforeEach(async () => {
    for (const name of await server.ls('/inbox')) rmSync(server.local(`/inbox/${name}`));
  });

  it('uploads under the pattern name (temporary name, size check, rename) and records the remote path', async () => {
    const partner = sftpPartner(server, { code: 'acme' });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: '.' });
    const a = interchange();
    const entry = (await queueOutbound(db, { partner: 'acme', kind: '997', payload: a.payload }))!;
    expect((await deliverDue(db, { channels, ...fast })).sent).toEqual([entry.id]);
    const name = `acme_997_${a.control}_20261101120000.edi`;
    expect(await server.ls('/inbox')).toEqual([name]);
    expect((await server.get(`/inbox/${name}`))!.toString()).toBe(a.payload);
    expect((await getDelivery(db, entry.id))!).toMatchObject({ state: 'sent', remotePath: `/inbox/${name}` });
  });

  it('delivers a sweep\'s files to one mailbox over one login', async () => {
    const partner = sftpPartner(server, { code: 'acme' });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: '.' });
    const entries = [];
    for (let i = 0; i < 5; i++) entries.push((await queueOutbound(db, { partner: 'acme', kind: '997', payload: interchange().payload }))!);
    const loginsBefore = server.logins;
    const r = await deliverDue(db, { channels, ...fast });
    expect(r.sent.sort((x, y) => x - y)).toEqual(entries.map((e) => e.id));
    expect(server.logins - loginsBefore).toBe(1);
  });

  it('after a crash between upload and commit, the retry finds the file (same name, same size) and records it sent', async () => {
    const partner = sftpPartner(server, { code: 'acme' });
    const real = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: '.' });
    const crashing: OutboundChannels = (code) => {
      const c = real(code) as OutboundChannel;
      return { ...c, deliver: async (f) => { await c.deliver(f); throw new Error('simulated crash before commit'); } };
    };
    const a = interchange();
    const entry = (await queueOutbound(db, { partner: 'acme', kind: '997', payload: a.payload }))!;
    await deliverDue(db, { channels: crashing, ...fast });
    const loginsBefore = server.logins;
    const r = await deliverDue(db, { channels: real, ...fast, now: () => new Date(NOW.getTime() + 60_000) });
    expect(r.sent).toEqual([entry.id]);
    // At most one login: the crashed sweep's connection may still be parked for reuse.
    expect(server.logins - loginsBefore).toBeLessThanOrEqual(1);
    expect(await server.ls('/inbox')).toEqual([`acme_997_${a.control}_20261101120000.edi`]);
    const events = (await db.query<{ message: string }>(`SELECT message FROM ${db.schema}.events WHERE details->>'outboundId' = $1 ORDER BY id`, [String(entry.id)])).rows;
    expect(events.at(-1)!.message).toMatch(/found delivered by an earlier try/);
  });

  it('a process that dies between upload and record: once its lease ran out a sweep finds the file and records it sent, one copy', async () => {
    const partner = sftpPartner(server, { code: 'acme' });
    const real = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: '.' });
    const dying = db.another(2);
    // The upload completes, then the process loses its database for good: neither 'sent' nor a failure is recorded.
    const channels: OutboundChannels = (code) => {
      const c = real(code) as OutboundChannel;
      return { ...c, deliver: async (f) => { const done = await c.deliver(f); await dying.close(); return done; } };
    };
    const a = interchange();
    const name = `acme_997_${a.control}_20261101120000.edi`;
    const entry = (await queueOutbound(db, { partner: 'acme', kind: '997', payload: a.payload }))!;
    expect(await deliverDue(dying, { channels, ...fast, leaseSeconds: 1 })).toEqual({ sent: [], failed: [], waiting: [] });
    expect(await server.ls('/inbox')).toEqual([name]);
    const left = (await getDelivery(db, entry.id))!;
    expect(left).toMatchObject({ state: 'ready', fileName: name, attempts: 1, remotePath: null });
    expect(left.leaseHolder).not.toBeNull();
    // While the lease runs, no one takes the entry.
    expect(await deliverDue(db, { channels: real, ...fast })).toEqual({ sent: [], failed: [], waiting: [] });
    await sleep(1200);
    const r = await deliverDue(db, { channels: real, ...fast, now: () => new Date(NOW.getTime() + 60_000) });
    expect(r.sent).toEqual([entry.id]);
    expect(await server.ls('/inbox')).toEqual([name]);
    expect((await server.get(`/inbox/${name}`))!.toString()).toBe(a.payload);
    expect((await getDelivery(db, entry.id))!).toMatchObject({ state: 'sent', remotePath: `/inbox/${name}`, attempts: 2, leaseHolder: null });
    const events = (await db.query<{ message: string }>(`SELECT message FROM ${db.schema}.events WHERE details->>'outboundId' = $1 ORDER BY id`, [String(entry.id)])).rows;
    expect(events.map((e) => e.message)).toEqual([`997 found delivered by an earlier try as /inbox/${name} (${(real('acme') as OutboundChannel).describe}): sent`]);
  });

  it('a server that refuses logins: the entry retries and then ends failed, visible with the reason', async () => {
    server.faults = { refuseLogins: true };
    const partner = sftpPartner(server, { code: 'acme' });
    const channels = partnerOutboundChannels({ directory: directoryOf(partner), dataDir: '.' });
    const entry = (await queueOutbound(db, { partner: 'acme', kind: '997', payload: interchange().payload }))!;
    await deliverDue(db, { channels, ...fast, maxAttempts: 2 });
    expect((await getDelivery(db, entry.id))!.state).toBe('ready');
    await deliverDue(db, { channels, ...fast, maxAttempts: 2 });
    const failed = (await getDelivery(db, entry.id))!;
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/failed 2 times; last error: /);
    expect(failed.reason).not.toContain(server.password);
    expect(await server.ls('/inbox')).toEqual([]);
  });
});

describe('acknowledgments from the pipeline', () => {
  it('are written in the partner X12 settings (delimiters, no line break, version) and delivered by the running gateway', { timeout: 30_000 }, async () => {
    const where = folders('delivery-acks-');
    const base = folderPartner(where, { code: 'freshmart' });
    const partner: Partner = {
      ...base,
      identity: { isa: { qualifier: 'ZZ', id: 'FRESHMART' }, gs: 'FRESHMART' },
      us: { isa: { qualifier: 'ZZ', id: 'ACMEDIST' }, gs: 'ACMEDIST' },
      x12: { version: '005010', delimiters: { element: '|', component: ':', repetition: '{', segment: '\\' }, lineBreak: false },
    };
    const directory = directoryOf(partner);
    const channels = partnerOutboundChannels({ directory, dataDir: where.root });
    const gateway = await startGateway({ db, partners: directory, delivery: { channels, intervalMs: 200 }, retry: { limit: 1, delaySeconds: 0, backoff: false } });
    try {
      const bytes = readFileSync(join(import.meta.dirname, '..', '..', '..', 'samples', '004010', '850', '850-cancellation.edi'));
      const { fileId } = await gateway.intake({ partner: 'freshmart', channel: 'test', sourceName: '850.edi', bytes });
      await gateway.idle(20_000);
      const deadline = Date.now() + 10_000;
      while (!existsSync(where.outbox) || readdirSync(where.outbox).length === 0) {
        if (Date.now() > deadline) throw new Error('nothing delivered');
        await new Promise((r) => setTimeout(r, 50));
      }
      const [entry] = await listOutbound(db, { fileId });
      expect(entry).toMatchObject({ partner: 'freshmart', kind: '997', state: 'sent' });
      const [name] = readdirSync(where.outbox);
      const text = readFileSync(join(where.outbox, name!), 'utf8');
      expect(text).toBe(entry!.payload);
      expect(text).not.toContain('\n');
      // ISA: '|' elements, ISA11 the repetition separator of 00501, ISA12 00501, ISA16 ':', '\' ends segments.
      expect(text.slice(0, 106)).toMatch(/^ISA\|00\|.{10}\|00\|.{10}\|ZZ\|ACMEDIST {7}\|ZZ\|FRESHMART {6}\|\d{6}\|\d{4}\|\{\|00501\|\d{9}\|0\|P\|:\\$/);
      expect(text).toMatch(/\\GS\|FA\|ACMEDIST\|FRESHMART\|\d{8}\|\d{4}\|\d+\|X\|005010\\ST\|997\|/);
      expect(name).toMatch(new RegExp(`^freshmart_997_${text.slice(90, 99)}_\\d{14}\\.edi$`));
    } finally {
      await gateway.stop();
    }
  });
});
