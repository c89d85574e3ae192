// The folder transport end to end: real files in temp folders, chokidar on the real file system,
// and the real intake (startGateway without workers) on the test database.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Partner } from '../../../src/partners/types.js';
import { getFileBytes, listPartnerHealth, listRemoteFiles } from '../../../src/store/index.js';
import { tableIn } from '../../../src/store/identifiers.js';
import type { TransportIntake } from '../../../src/transports/common/intake.js';
import { startFolderTransport, type FolderGateway, type FolderTransportHandle, type FolderTransportOptions } from '../../../src/transports/folder/index.js';
import { useTestGateway } from '../../support/test-gateway.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders, memoryLog, waitFor, type FolderSetup } from './support.js';

const db = useTestDatabase();
const running: FolderTransportHandle[] = [];

const gateway = useTestGateway(db, { workers: false });
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
});

/** Short settle and rescan times so that every test stays bounded. */
const STABLE = 120;

async function start(partner: Partner, options: FolderTransportOptions = {}, via: FolderGateway = gateway) {
  const { log, lines } = memoryLog();
  const t = startFolderTransport(partner, via, { log, stableMs: STABLE, rescanMs: 60_000, ...options });
  running.push(t);
  await t.ready;
  return { t, lines };
}

interface ReceiptRow {
  id: number;
  file_id: number;
  source_name: string;
  channel: string;
  metadata: Record<string, unknown>;
  duplicate: boolean;
}

async function receipts(partner: string): Promise<ReceiptRow[]> {
  const { rows } = await db.query<ReceiptRow>(
    `SELECT r.id::int, r.file_id::int, r.source_name, r.channel, r.metadata, r.duplicate
       FROM ${tableIn(db.schema, 'receipts')} r JOIN ${tableIn(db.schema, 'files')} f ON f.id = r.file_id
      WHERE f.partner = $1 ORDER BY r.id`,
    [partner],
  );
  return rows;
}

const list = (dir: string) => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

let counter = 0;
/** A fresh partner (its own code, so receipts do not mix) in fresh temp folders. */
function fresh(o: Parameters<typeof folderPartner>[1] = {}): { where: FolderSetup; partner: ReturnType<typeof folderPartner> } {
  const where = folders();
  return { where, partner: folderPartner(where, { code: `p${++counter}`, ...o }) };
}

describe('the folder transport', () => {
  it('takes the files that arrived while the gateway was down, then archives them under timestamped names', async () => {
    const { where, partner } = fresh();
    mkdirSync(where.inbox, { recursive: true });
    writeFileSync(join(where.inbox, 'po-1.edi'), 'ISA*present one~');
    writeFileSync(join(where.inbox, 'po-2.x12'), 'ISA*present two~');
    await start(partner, { now: () => new Date('2026-11-01T12:00:00.000Z') });
    await waitFor('both files archived', () => list(where.archive).length === 2);
    expect(list(where.inbox)).toEqual([]);
    expect(list(where.archive)).toEqual(['20261101T120000.000Z-po-1.edi', '20261101T120000.000Z-po-2.x12']);
    const rows = await receipts(partner.code);
    expect(rows.map((r) => [r.source_name, r.channel, r.duplicate])).toEqual(
      expect.arrayContaining([['po-1.edi', 'folder', false], ['po-2.x12', 'folder', false]]),
    );
    const one = rows.find((r) => r.source_name === 'po-1.edi')!;
    expect(one.metadata).toMatchObject({ originalName: 'po-1.edi', path: join(where.inbox, 'po-1.edi'), size: 16 });
    expect(typeof one.metadata.mtime).toBe('string');
    expect((await getFileBytes(db, one.file_id))?.toString()).toBe('ISA*present one~');
  });

  it('takes a file that arrives while it runs (a chokidar event, not the rescan)', async () => {
    const { where, partner } = fresh();
    await start(partner);
    // The scans at start are over (an empty folder: no second look scheduled).
    await sleep(300);
    writeFileSync(join(where.inbox, 'late.edi'), 'ISA*late~');
    // The rescan is a minute away: only the watch can take it this fast.
    await waitFor('the file archived', () => list(where.archive).length === 1, 8000);
    expect(list(where.inbox)).toEqual([]);
    expect((await receipts(partner.code)).map((r) => r.source_name)).toEqual(['late.edi']);
  });

  it('a slow writer that uses a temporary name is not taken before it renamed the complete file', async () => {
    const { where, partner } = fresh();
    await start(partner);
    const part = join(where.inbox, 'big.edi.part');
    const fd = openSync(part, 'w');
    writeSync(fd, 'ISA*chunk one;');
    // Pauses far longer than the stability threshold: a temporary name is never taken.
    await sleep(STABLE * 4);
    writeSync(fd, 'chunk two;');
    await sleep(STABLE * 4);
    writeSync(fd, 'chunk three~');
    closeSync(fd);
    expect(await receipts(partner.code)).toEqual([]);
    expect(list(where.inbox)).toEqual(['big.edi.part']);
    renameSync(part, join(where.inbox, 'big.edi'));
    await waitFor('the renamed file archived', () => list(where.archive).length === 1, 8000);
    const rows = await receipts(partner.code);
    expect(rows).toHaveLength(1);
    expect((await getFileBytes(db, rows[0]!.file_id))?.toString()).toBe('ISA*chunk one;chunk two;chunk three~');
  });

  it('a writer without a temporary name is taken complete when its pauses are shorter than stableSeconds', async () => {
    const { where, partner } = fresh();
    await start(partner, { stableMs: 600 });
    const path = join(where.inbox, 'steady.edi');
    const fd = openSync(path, 'w');
    for (let i = 0; i < 5; i++) {
      writeSync(fd, `segment ${i};`);
      await sleep(40);
    }
    closeSync(fd);
    await waitFor('the file archived', () => list(where.archive).length === 1, 8000);
    const rows = await receipts(partner.code);
    expect(rows).toHaveLength(1);
    expect((await getFileBytes(db, rows[0]!.file_id))?.toString()).toBe('segment 0;segment 1;segment 2;segment 3;segment 4;');
  });

  it('caveat: a writer without a temporary name that pauses longer than stableSeconds is taken early', async () => {
    // awaitWriteFinish only sees that the size stopped changing (docs/architecture.md#watched-folders). This
    // documents why partners must write under a temporary name and rename (or use doneMarker); nothing here
    // can tell a pause from the end.
    const { where, partner } = fresh();
    await start(partner);
    const path = join(where.inbox, 'paused.edi');
    const fd = openSync(path, 'w');
    writeSync(fd, 'ISA*first half;');
    await waitFor('the first half taken', async () => (await receipts(partner.code)).length === 1, 8000);
    writeSync(fd, 'second half~');
    closeSync(fd);
    const rows = await receipts(partner.code);
    expect((await getFileBytes(db, rows[0]!.file_id))?.toString()).toBe('ISA*first half;');
  });

  it('a file renamed into the folder is taken once', async () => {
    const { where, partner } = fresh();
    await start(partner);
    const staging = join(where.root, 'staging');
    mkdirSync(staging);
    writeFileSync(join(staging, 'moved.edi'), 'ISA*moved in~');
    renameSync(join(staging, 'moved.edi'), join(where.inbox, 'moved.edi'));
    await waitFor('the file archived', () => list(where.archive).length === 1, 8000);
    // A rescan finds nothing more.
    await running.at(-1)!.scan();
    expect((await receipts(partner.code)).map((r) => r.source_name)).toEqual(['moved.edi']);
  });

  it('a name with ../ look-alikes and control characters is read where it is, archived under a safe name, the original kept', async () => {
    const { where, partner } = fresh();
    mkdirSync(where.inbox, { recursive: true });
    // '/' cannot be in a file name; backslashes, '..' and control characters can.
    const odd = 'po\u0007..\\..\\etc\u001bpasswd.edi';
    writeFileSync(join(where.inbox, odd), 'ISA*odd name~');
    await start(partner, { now: () => new Date('2026-11-01T12:00:00.000Z') });
    await waitFor('the file archived', () => list(where.archive).length === 1);
    const [archived] = list(where.archive);
    expect(archived).toBe('20261101T120000.000Z-po_____etc_passwd.edi');
    expect(archived).not.toMatch(/[\u0000-\u001f\\/]|\.\./);
    // Nothing landed outside the transport's folders.
    expect(list(where.root)).toEqual(['archive', 'in']);
    const [row] = await receipts(partner.code);
    expect(row!.source_name).toBe('po_____etc_passwd.edi');
    expect(row!.metadata.originalName).toBe(odd);
  });

  it('when the archive move fails: logged loudly, the file stays, never ingested twice (not even after a restart); fixed, it is moved', async () => {
    const { where, partner } = fresh();
    // A plain file where the archive folder should be: the move fails.
    writeFileSync(where.archive, 'not a folder');
    mkdirSync(where.inbox, { recursive: true });
    writeFileSync(join(where.inbox, 'inv.edi'), 'ISA*invoice~');
    const first = await start(partner, { rescanMs: 150 });
    await waitFor('the archive failure logged', () => first.lines.some((l) => l.level === 'error' && /COMMITTED BUT NOT ARCHIVED/.test(l.message)));
    // Several rescans later: still there, still one receipt; remembered in the database.
    await sleep(600);
    expect(list(where.inbox)).toEqual(['inv.edi']);
    expect(await receipts(partner.code)).toHaveLength(1);
    const remembered = await listRemoteFiles(db, { partner: partner.code });
    expect(remembered).toMatchObject([{ path: 'inv.edi', state: 'ingested', size: 12 }]);
    await first.t.stop();

    // A restart: the record says committed, so only the archive step is retried.
    const second = await start(partner, { rescanMs: 150 });
    await waitFor('the archive step retried', () => second.lines.some((l) => /retrying only its archive step/.test(l.message)));
    expect(await receipts(partner.code)).toHaveLength(1);

    // Fixed: the next scan moves it, still without a second intake, and the record goes.
    rmSync(where.archive);
    await waitFor('the file archived', () => list(where.archive).length === 1);
    expect(list(where.inbox)).toEqual([]);
    expect(await receipts(partner.code)).toHaveLength(1);
    await waitFor('the record removed', async () => (await listRemoteFiles(db, { partner: partner.code })).length === 0);
  });

  it('when intake fails the file stays, and a later scan takes it', async () => {
    const { where, partner } = fresh();
    let failures = 2;
    const flaky: TransportIntake = async (input) => {
      if (failures-- > 0) throw new Error('database unavailable');
      return gateway.intake(input);
    };
    const { lines } = await start(partner, { rescanMs: 200 }, { intake: flaky, db });
    writeFileSync(join(where.inbox, 'po.edi'), 'ISA*retry me~');
    await waitFor('an intake failure logged', () => lines.some((l) => l.level === 'error' && /intake failed/.test(l.message)));
    expect(list(where.inbox)).toEqual(['po.edi']);
    expect(list(where.archive)).toEqual([]);
    await waitFor('the file archived after the failures', () => list(where.archive).length === 1, 10_000);
    expect(failures).toBeLessThan(0);
    expect(await receipts(partner.code)).toHaveLength(1);
  });

  it('200 files in a burst: each taken once and archived', { timeout: 90_000 }, async () => {
    const { where, partner } = fresh();
    const { t } = await start(partner, { rescanMs: 2000, concurrency: 8 });
    for (let i = 0; i < 200; i++) writeFileSync(join(where.inbox, `burst-${String(i).padStart(3, '0')}.edi`), `ISA*burst ${i}~`);
    await waitFor('200 files archived', () => list(where.archive).length === 200, 60_000, 100);
    await t.scan();
    expect(list(where.inbox)).toEqual([]);
    const rows = await receipts(partner.code);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.source_name)).size).toBe(200);
    expect(rows.filter((r) => r.duplicate)).toEqual([]);
  });

  it('archive action leave: the file stays, is taken once (also across a restart), and again once it changes', async () => {
    const { where, partner } = fresh({ inbound: { archive: { action: 'leave' } } });
    mkdirSync(where.inbox, { recursive: true });
    const path = join(where.inbox, 'kept.edi');
    writeFileSync(path, 'ISA*kept~');
    const first = await start(partner, { rescanMs: 150 });
    await waitFor('the file taken', async () => (await receipts(partner.code)).length === 1);
    await sleep(500);
    expect(list(where.inbox)).toEqual(['kept.edi']);
    expect(await receipts(partner.code)).toHaveLength(1);
    expect(await listRemoteFiles(db, { partner: partner.code })).toMatchObject([{ path: 'kept.edi', state: 'remembered' }]);
    await first.t.stop();

    const second = await start(partner, { rescanMs: 150 });
    await second.t.drain(5000);
    expect(await receipts(partner.code)).toHaveLength(1);
    writeFileSync(path, 'ISA*kept, changed~');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await waitFor('the changed file taken', async () => (await receipts(partner.code)).length === 2);
    expect(list(where.inbox)).toEqual(['kept.edi']);
  });

  it('an archive folder inside the inbound folder (the default) is not scanned again', async () => {
    const { where, partner } = fresh();
    const inner = join(where.inbox, 'archive');
    const p = { ...partner, transport: { ...partner.transport, inbound: { ...partner.transport.inbound!, archive: { action: 'move' as const, folder: inner } } } };
    const { t } = await start(p, { rescanMs: 150 });
    writeFileSync(join(where.inbox, 'a.edi'), 'ISA*inner~');
    await waitFor('the file archived', () => list(inner).length === 1);
    await sleep(400);
    await t.drain(3000);
    expect(list(where.inbox)).toEqual(['archive']);
    expect(await receipts(p.code)).toHaveLength(1);
  });

  it('archive action delete: the file is removed after the commit', async () => {
    const { where, partner } = fresh({ inbound: { archive: { action: 'delete' } } });
    await start(partner);
    writeFileSync(join(where.inbox, 'gone.edi'), 'ISA*delete me~');
    await waitFor('the file deleted', async () => list(where.inbox).length === 0 && (await receipts(partner.code)).length === 1);
    expect(list(where.archive)).toEqual([]);
  });

  it('with doneMarker, a file is taken only once FILE.done exists; the marker is deleted after', async () => {
    const { where, partner } = fresh({ inbound: { doneMarker: true } });
    const { t } = await start(partner, { rescanMs: 150 });
    writeFileSync(join(where.inbox, 'po.edi'), 'ISA*marked~');
    await sleep(STABLE * 3 + 400);
    expect(await receipts(partner.code)).toEqual([]);
    expect((await t.scan()).taken).toEqual([]);
    writeFileSync(join(where.inbox, 'po.edi.done'), '');
    await waitFor('the file archived', () => list(where.archive).length === 1);
    await waitFor('the marker deleted', () => list(where.inbox).length === 0);
    expect(await receipts(partner.code)).toHaveLength(1);
  });

  it('leaves temporary names, names outside the patterns, sub-folders and symlinks alone', async () => {
    const { where, partner } = fresh({ inbound: { patterns: ['*.edi'], ignore: ['skip-*'] } });
    mkdirSync(join(where.inbox, 'sub'), { recursive: true });
    writeFileSync(join(where.inbox, 'sub', 'nested.edi'), 'ISA*nested~');
    writeFileSync(join(where.root, 'secret.edi'), 'ISA*outside~');
    symlinkSync(join(where.root, 'secret.edi'), join(where.inbox, 'link.edi'));
    const { t } = await start(partner, { rescanMs: 150 });
    for (const name of ['a.edi.part', '.hidden.edi', 'b.tmp', 'notes.txt', 'skip-me.edi', '~lock.edi']) writeFileSync(join(where.inbox, name), 'ISA*x~');
    writeFileSync(join(where.inbox, 'real.edi'), 'ISA*real~');
    await waitFor('the real file archived', () => list(where.archive).length === 1);
    await sleep(STABLE * 3);
    await t.drain(3000);
    expect((await receipts(partner.code)).map((r) => r.source_name)).toEqual(['real.edi']);
    expect(list(where.inbox)).toEqual(['.hidden.edi', '~lock.edi', 'a.edi.part', 'b.tmp', 'link.edi', 'notes.txt', 'skip-me.edi', 'sub'].sort());
  });

  it('without schedule (edi start --once) drain takes what is there', async () => {
    const { where, partner } = fresh();
    mkdirSync(where.inbox, { recursive: true });
    for (const n of ['x.edi', 'y.edi']) writeFileSync(join(where.inbox, n), `ISA*${n}~`);
    const { t } = await start(partner, { schedule: false });
    const result = await t.drain(10_000);
    expect(result.taken.map((f) => f.name).sort()).toEqual(['x.edi', 'y.edi']);
    expect(result).toMatchObject({ pending: 0, failed: [] });
    expect(list(where.archive)).toHaveLength(2);
  });

  it('works with chokidar polling (network shares) too', async () => {
    const { where, partner } = fresh();
    await start(partner, { pollingIntervalMs: 50 });
    await sleep(300);
    writeFileSync(join(where.inbox, 'polled.edi'), 'ISA*polled~');
    await waitFor('the file archived', () => list(where.archive).length === 1, 8000);
    expect((await receipts(partner.code)).map((r) => r.source_name)).toEqual(['polled.edi']);
  });

  it('a folder that cannot be made yet: health says so, scans retry, and once it works files flow again', async () => {
    const { where, partner } = fresh();
    // A plain file where the inbound folder should be (a mount not there yet).
    writeFileSync(where.inbox, 'not a folder');
    const { lines } = await start(partner, { rescanMs: 100 });
    await waitFor('a failure in partner health', async () => (await listPartnerHealth(db, { partner: partner.code }))[0]?.consecutiveFailures === 1);
    expect(lines.some((l) => l.level === 'error' && /folder scan failed/.test(l.message))).toBe(true);
    const [bad] = await listPartnerHealth(db, { partner: partner.code });
    expect(bad).toMatchObject({ transport: 'folder', lastSuccess: null });
    expect(bad!.lastError).toContain(where.inbox);
    // Health is written when it changes, not at every failing scan.
    await sleep(350);
    expect((await listPartnerHealth(db, { partner: partner.code }))[0]!.consecutiveFailures).toBe(1);

    rmSync(where.inbox);
    await waitFor('health back to good', async () => (await listPartnerHealth(db, { partner: partner.code }))[0]?.consecutiveFailures === 0);
    expect((await listPartnerHealth(db, { partner: partner.code }))[0]!.lastSuccess).toBeInstanceOf(Date);
    writeFileSync(join(where.inbox, 'after.edi'), 'ISA*after~');
    await waitFor('the file archived', () => list(where.archive).length === 1, 8000);
    expect((await receipts(partner.code)).map((r) => r.source_name)).toEqual(['after.edi']);
  });

  it('a partner without an inbound folder starts nothing and stops at once', async () => {
    const { partner } = fresh({ inbound: null });
    const t = startFolderTransport(partner, gateway);
    await t.ready;
    expect(await t.drain(100)).toEqual({ taken: [], pending: 0, failed: [] });
    await t.stop();
  });
});

describe('file bytes survive as they were read', () => {
  it('the bytes intake stored are the file', async () => {
    const { where, partner } = fresh();
    mkdirSync(where.inbox, { recursive: true });
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
    writeFileSync(join(where.inbox, 'binary.edi'), bytes);
    await start(partner);
    await waitFor('taken', async () => (await receipts(partner.code)).length === 1);
    const [row] = await receipts(partner.code);
    expect(Buffer.compare((await getFileBytes(db, row!.file_id))!, bytes)).toBe(0);
    expect(readFileSync(join(where.archive, list(where.archive)[0]!)).length).toBe(4096);
  });
});
