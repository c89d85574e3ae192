// The scheduler: every SFTP partner polled at its interval, a failing partner alone in backing off,
// reloads picked up at the next poll, a clean stop.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { partnerDirectory } from '../../../src/partners/directory.js';
import type { Partner } from '../../../src/partners/types.js';
import { listFiles, listPartnerHealth } from '../../../src/store/index.js';
import { createSftpPoller, type PollResult } from '../../../src/transports/sftp/poller.js';
import type { PartnerTransportStarter } from '../../../src/runtime/partner-transports.js';
import type { TransportContext } from '../../../src/runtime/transport-starters.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { polledPartners, startSftpScheduler, startSftpTransport } from '../../../src/transports/sftp/scheduler.js';
import { useTestDatabase } from '../../support/db.js';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';
import { sftpPartner } from './support.js';

const db = useTestDatabase();
let gateway: Gateway;
let server: TestSftpServer;

beforeAll(async () => {
  gateway = await startGateway({ db, workers: false });
  server = await startSftpServer({ folders: ['/good/outbox', '/bad/outbox', '/late/outbox', '/one/outbox'] });
});
afterAll(async () => {
  await server?.close();
  await gateway?.stop();
});

const box = (folder: string, pollSeconds = 0.2) => ({ folder, pollSeconds, archive: { action: 'move' as const, folder: `${folder}/archive` } });
const directoryOf = (...partners: Partner[]) => partnerDirectory({ partners: new Map(partners.map((p) => [p.code, p])) });

describe('startSftpScheduler', () => {
  it('keeps polling the healthy partner while the failing one backs off, and stops cleanly', async () => {
    const good = sftpPartner(server, { code: 'good', inbound: box('/good/outbox') });
    const bad = sftpPartner(server, { code: 'bad', password: 'wrong', inbound: box('/bad/outbox') });
    const folderPartner: Partner = { ...good, code: 'local', transport: { type: 'folder', inbound: { ...good.transport.inbound!, folder: '/tmp/x' } } };
    const directory = directoryOf(good, bad, folderPartner);
    expect(polledPartners(directory).map((p) => p.code)).toEqual(['bad', 'good']);

    const results: PollResult[] = [];
    const poller = createSftpPoller({ db, intake: (i) => gateway.intake(i), backoff: { baseSeconds: 30, maxSeconds: 60 } });
    const scheduler = startSftpScheduler({ partners: directory, poller, tickMs: 20, onPoll: (r) => results.push(r) });
    try {
      await server.put('/good/outbox/po-1.edi', 'ISA*1~');
      await server.put('/bad/outbox/po-1.edi', 'ISA*2~');
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && results.filter((r) => r.partner === 'good' && r.taken.length > 0).length === 0) await sleep(20);
      await server.put('/good/outbox/po-2.edi', 'ISA*3~');
      while (Date.now() < deadline && results.filter((r) => r.partner === 'good' && r.taken.length > 0).length < 2) await sleep(20);
    } finally {
      await scheduler.stop();
    }
    const pollsAtStop = results.length;
    const goodTaken = results.filter((r) => r.partner === 'good').flatMap((r) => r.taken.map((t) => t.name));
    expect(goodTaken).toEqual(['po-1.edi', 'po-2.edi']);
    // The bad partner failed once, then waited out its 30 s backoff: no further connection attempt.
    const badPolls = results.filter((r) => r.partner === 'bad');
    expect(badPolls.map((r) => r.outcome)).toEqual(['failed']);
    expect((await listPartnerHealth(db, { partner: 'bad' }))[0]).toMatchObject({ consecutiveFailures: 1 });
    expect(await server.ls('/bad/outbox')).toEqual(['po-1.edi']);
    expect(await listFiles(db, { partner: 'good' })).toHaveLength(2);
    expect(results.some((r) => r.partner === 'local')).toBe(false);
    await sleep(300);
    expect(results).toHaveLength(pollsAtStop);
  });

  it('picks up added and removed partners at the next tick, and pollNow polls on demand', async () => {
    const late = sftpPartner(server, { code: 'late', inbound: box('/late/outbox', 3600) });
    const directory = directoryOf();
    const results: PollResult[] = [];
    const poller = createSftpPoller({ db, intake: (i) => gateway.intake(i) });
    const scheduler = startSftpScheduler({ partners: directory, poller, tickMs: 20, onPoll: (r) => results.push(r) });
    try {
      await sleep(60);
      expect(results).toEqual([]);
      directory.replace({ partners: new Map([['late', late]]), gateway: {} });
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && results.length === 0) await sleep(20);
      expect(results.map((r) => [r.partner, r.outcome])).toEqual([['late', 'done']]);
      // An hour until the next regular poll: pollNow does not wait for it.
      await server.put('/late/outbox/po.edi', 'ISA*late~');
      const [now] = await scheduler.pollNow(['late']);
      expect(now?.taken.map((t) => t.name)).toEqual(['po.edi']);
      expect(scheduler.status()).toEqual([{ partner: 'late', dueAt: expect.any(Date), running: false }]);
      directory.replace({ partners: new Map(), gateway: {} });
      await sleep(60);
      expect(scheduler.status()).toEqual([]);
      expect(await scheduler.pollNow()).toEqual([]);
    } finally {
      await scheduler.stop();
    }
  });

  it('startSftpTransport runs one partner for edi start; drain waits for settling files', async () => {
    // The shape startPartnerTransports expects of a starter.
    const starter: PartnerTransportStarter<TransportContext> = startSftpTransport;
    const partner = sftpPartner(server, { code: 'one', inbound: { ...box('/one/outbox', 3600), stableSeconds: 0.2 } });
    await server.put('/one/outbox/po.edi', 'ISA*one~');
    const handle = await starter(partner, { db, intake: (i) => gateway.intake(i), log: silentLogger, directory: directoryOf(partner) });
    try {
      const results = (await handle.drain!(5000)) as PollResult[];
      expect(results.flatMap((r) => r.taken.map((t) => t.name))).toEqual(['po.edi']);
      expect(results.at(-1)).toMatchObject({ outcome: 'done', pending: 0 });
    } finally {
      await handle.stop();
    }
    expect(await server.ls('/one/outbox/archive')).toHaveLength(1);
  });
});
