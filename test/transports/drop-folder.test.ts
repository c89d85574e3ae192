import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  archiveStamp,
  isTemporaryName,
  safeFileName,
  startDropFolder,
  type DropFolder,
  type DropFolderOptions,
  type FolderIntakeInput,
} from '../../src/transports/drop-folder.js';
import { startGateway } from '../../src/jobs/gateway.js';
import { countDocumentsByState, listReceipts } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const samples = join(import.meta.dirname, '..', '..', 'samples', '004010', '850');

const SETTLE = 40;
const running: DropFolder[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((f) => f.stop()));
});

/** A stub of the gateway's intake: records calls, numbers files, can be told to fail or wait. */
function fakeIntake() {
  const calls: FolderIntakeInput[] = [];
  const seen = new Map<string, number>();
  let failNext = 0;
  let gate: Promise<void> | undefined;
  const intake = async (input: FolderIntakeInput) => {
    calls.push(input);
    if (gate) await gate;
    if (failNext > 0) {
      failNext--;
      throw new Error('database unavailable');
    }
    const key = Buffer.from(input.bytes).toString('base64');
    const duplicate = seen.has(key);
    if (!duplicate) seen.set(key, seen.size + 1);
    return { fileId: seen.get(key)!, duplicate, receiptId: calls.length };
  };
  return {
    intake,
    calls,
    failTimes: (n: number) => void (failNext = n),
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function memoryLog() {
  const lines: { level: string; message: string; details: object }[] = [];
  const at = (level: string) => (details: object, message = '') => void lines.push({ level, message, details });
  const log: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => log };
  return { log, lines };
}

function setup(overrides: Partial<DropFolderOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'drop-folder-'));
  const folder = join(dir, 'inbox', 'acme');
  const archive = join(dir, 'archive', 'acme');
  mkdirSync(folder, { recursive: true });
  const fake = fakeIntake();
  const { log, lines } = memoryLog();
  const start = (more: Partial<DropFolderOptions> = {}) => {
    const f = startDropFolder({ folder, archive, partner: 'acme', intake: fake.intake, settleMs: SETTLE, stableMs: SETTLE, schedule: false, log, ...overrides, ...more });
    running.push(f);
    return f;
  };
  return { dir, folder, archive, fake, lines, start, inbox: () => readdirSync(folder).sort(), archived: () => readdirSync(archive).sort() };
}

describe('names', () => {
  it('recognizes temporary names', () => {
    // The built-in ignore list of partner files (src/partners/defaults.ts), case-insensitively.
    for (const n of ['a.part', 'a.edi.PART', 'b.tmp', '.hidden', '.a.edi', 'x.partial']) expect(isTemporaryName(n)).toBe(true);
    for (const n of ['a.edi', 'part', 'tmp.edi', 'x.parts']) expect(isTemporaryName(n)).toBe(false);
  });

  it('makes names safe for an archive path', () => {
    for (const raw of ['../../etc/passwd', 'a\u0000b\u001f.edi', '..', '...', 'x\\..\\y', 'a/b', '\u0007', ' ..hidden']) {
      const safe = safeFileName(raw);
      expect(safe.length).toBeGreaterThan(0);
      expect(safe).not.toMatch(/[\/\\\u0000-\u001f\u007f]/);
      expect(safe).not.toContain('..');
      expect(safe.startsWith('.')).toBe(false);
    }
    expect(safeFileName('PO 1234.edi')).toBe('PO 1234.edi');
    expect(safeFileName('x'.repeat(400))).toHaveLength(200);
  });

  it('stamps archive names sortably without colons', () => {
    expect(archiveStamp(new Date('2026-11-01T12:03:04.005Z'))).toBe('20261101T120304.005Z');
  });
});

describe('the drop folder poller', () => {
  it('takes a stable file, hands its bytes to intake and only then archives it under a timestamped name', async () => {
    const s = setup({ now: () => new Date('2026-11-01T12:00:00.000Z') });
    writeFileSync(join(s.folder, 'po-1.edi'), 'ISA*first');
    const folder = s.start();
    const result = await folder.drain(5000);
    expect(result.failed).toEqual([]);
    expect(result.taken).toMatchObject([{ name: 'po-1.edi', fileId: 1, duplicate: false }]);
    expect(s.fake.calls).toHaveLength(1);
    const call = s.fake.calls[0]!;
    expect(call).toMatchObject({ partner: 'acme', channel: 'folder', sourceName: 'po-1.edi' });
    expect(Buffer.from(call.bytes).toString()).toBe('ISA*first');
    expect(call.metadata).toMatchObject({ originalName: 'po-1.edi', size: 9 });
    expect(s.inbox()).toEqual([]);
    expect(s.archived()).toEqual(['20261101T120000.000Z-po-1.edi']);
    expect(readFileSync(join(s.archive, s.archived()[0]!), 'utf8')).toBe('ISA*first');
    expect(s.lines.some((l) => l.level === 'info' && l.message === 'received')).toBe(true);
  });

  it('leaves temporary names, hidden files and sub-folders alone', async () => {
    const s = setup();
    for (const n of ['a.part', 'b.tmp', '.c.edi']) writeFileSync(join(s.folder, n), 'x');
    mkdirSync(join(s.folder, 'sub'));
    writeFileSync(join(s.folder, 'sub', 'd.edi'), 'x');
    const folder = s.start();
    const result = await folder.drain(5000);
    expect(result.taken).toEqual([]);
    expect(s.fake.calls).toEqual([]);
    expect(s.inbox()).toEqual(['.c.edi', 'a.part', 'b.tmp', 'sub']);
  });

  it('waits while a file still grows, then takes all of it', async () => {
    const s = setup();
    const path = join(s.folder, 'big.edi');
    writeFileSync(path, 'ISA*part one;');
    const folder = s.start();
    let r = await folder.scan();
    expect(r).toMatchObject({ taken: [], pending: 1 });
    await sleep(SETTLE + 20);
    appendFileSync(path, 'part two;');
    r = await folder.scan();
    expect(r.taken).toEqual([]);
    expect(r.pending).toBe(1);
    await sleep(SETTLE + 20);
    r = await folder.scan();
    expect(r.taken.map((t) => t.name)).toEqual(['big.edi']);
    expect(s.fake.calls.map((c) => Buffer.from(c.bytes).toString())).toEqual(['ISA*part one;part two;']);
  });

  it('does not move a file before intake resolved, and keeps it when intake fails', async () => {
    const s = setup();
    writeFileSync(join(s.folder, 'po.edi'), 'ISA*held');
    const release = s.fake.hold();
    s.fake.failTimes(1);
    const folder = s.start();
    await folder.scan();
    await sleep(SETTLE + 20);
    const scanning = folder.scan();
    while (s.fake.calls.length === 0) await sleep(5);
    // Intake has the bytes but has not committed: the file is still in the drop folder.
    await sleep(30);
    expect(s.inbox()).toEqual(['po.edi']);
    release();
    const failed = await scanning;
    expect(failed.failed).toEqual(['po.edi']);
    expect(s.inbox()).toEqual(['po.edi']);
    expect(s.lines.some((l) => l.level === 'error' && /intake failed/.test(l.message))).toBe(true);
    // The next scan tries again and succeeds.
    const ok = await folder.scan();
    expect(ok.taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(s.fake.calls).toHaveLength(2);
    expect(s.inbox()).toEqual([]);
    expect(s.archived()).toHaveLength(1);
  });

  it('when the archive move fails: logs loudly, keeps the file and never hands it to intake twice', async () => {
    const s = setup();
    const folder = s.start();
    await folder.scan();
    // Make the archive unusable: a plain file where the folder should be.
    mkdirSync(join(s.dir, 'archive'), { recursive: true });
    writeFileSync(s.archive, 'not a folder');
    writeFileSync(join(s.folder, 'inv.edi'), 'ISA*invoice');
    await folder.scan();
    await sleep(SETTLE + 20);
    const r1 = await folder.scan();
    expect(r1.failed).toEqual(['inv.edi']);
    expect(r1.taken).toMatchObject([{ name: 'inv.edi', archivedAs: null }]);
    expect(s.inbox()).toEqual(['inv.edi']);
    expect(s.lines.some((l) => l.level === 'error' && /COMMITTED BUT NOT ARCHIVED/.test(l.message))).toBe(true);
    const r2 = await folder.scan();
    expect(r2.failed).toEqual(['inv.edi']);
    expect(s.fake.calls).toHaveLength(1);
    // Fixed (the plain file removed; the poller makes the archive folder again): the next scan
    // moves it, still without a second intake.
    rmSync(s.archive);
    const r3 = await folder.scan();
    expect(r3.failed).toEqual([]);
    expect(r3.taken[0]?.archivedAs).toMatch(/inv\.edi$/);
    expect(s.fake.calls).toHaveLength(1);
    expect(s.inbox()).toEqual([]);
    expect(s.archived()).toHaveLength(1);
  });

  it('never overwrites an archived file and keeps odd names as metadata', async () => {
    const s = setup({ now: () => new Date('2026-11-01T12:00:00.000Z') });
    const folder = s.start();
    const odd = 'po\u0001..x.edi';
    writeFileSync(join(s.folder, 'same.edi'), 'ISA*one');
    writeFileSync(join(s.folder, odd), 'ISA*odd');
    await folder.drain(5000);
    writeFileSync(join(s.folder, 'same.edi'), 'ISA*two');
    await folder.drain(5000);
    expect(s.archived()).toEqual(['20261101T120000.000Z-po__x.edi', '20261101T120000.000Z-same.edi', '20261101T120000.000Z-same.edi.1']);
    const contents = s.archived().map((n) => readFileSync(join(s.archive, n), 'utf8')).sort();
    expect(contents).toEqual(['ISA*odd', 'ISA*one', 'ISA*two']);
    // The name people see is the safe one; the exact one is kept as metadata.
    expect(s.fake.calls.find((c) => c.metadata?.originalName === odd)?.sourceName).toBe('po__x.edi');
  });

  it('takes files by itself on its timer', async () => {
    const s = setup();
    // A long interval: the file must go through the quick second look, not the next interval.
    const folder = s.start({ schedule: true, intervalMs: 200 });
    await sleep(20);
    writeFileSync(join(s.folder, 'late.edi'), 'ISA*late');
    const deadline = Date.now() + 5000;
    while (s.inbox().length > 0 && Date.now() < deadline) await sleep(20);
    expect(s.inbox()).toEqual([]);
    expect(s.fake.calls.map((c) => c.sourceName)).toEqual(['late.edi']);
    await folder.stop();
  });

  it('a file already gone (another poller) is not an error', async () => {
    const s = setup();
    writeFileSync(join(s.folder, 'a.edi'), 'ISA*a');
    const folder = s.start();
    await folder.scan();
    rmSync(join(s.folder, 'a.edi'));
    await sleep(SETTLE + 20);
    const r = await folder.scan();
    expect(r).toEqual({ taken: [], pending: 0, failed: [] });
  });
});

describe('the drop folder with the real gateway', () => {
  it('files go from the folder to posted; the same bytes again are a duplicate receipt, archived too', { timeout: 60_000 }, async () => {
    const gateway = await startGateway({ db });
    try {
      const s = setup({ intake: (input) => gateway.intake(input) });
      const sample = readFileSync(join(samples, '850-grocery-gln-allowances.edi'));
      writeFileSync(join(s.folder, 'po.edi'), sample);
      writeFileSync(join(s.folder, 'po-again.edi'), sample);
      writeFileSync(join(s.folder, 'po.edi.part'), 'still being written');
      const folder = s.start();
      const result = await folder.drain(10_000);
      expect(result.failed).toEqual([]);
      expect(result.taken.map((t) => t.name).sort()).toEqual(['po-again.edi', 'po.edi']);
      const [a, b] = result.taken;
      expect(a!.fileId).toBe(b!.fileId);
      expect(result.taken.filter((t) => t.duplicate)).toHaveLength(1);
      expect(s.inbox()).toEqual(['po.edi.part']);
      expect(s.archived()).toHaveLength(2);
      await gateway.idle(30_000);
      const counts = await countDocumentsByState(db, { fileId: a!.fileId });
      expect(counts.posted).toBeGreaterThan(0);
      expect(Object.keys(counts)).toEqual(['posted']);
      const receipts = await listReceipts(db, a!.fileId);
      // Both were taken at once: whichever committed second is the duplicate receipt.
      expect(receipts.map((r) => [r.sourceName, r.channel, r.duplicate]).sort()).toEqual(
        result.taken.map((t) => [t.name, 'folder', t.duplicate]).sort(),
      );
      const original = receipts.find((r) => !r.duplicate)!;
      expect(original.metadata).toMatchObject({ originalName: original.sourceName, size: sample.length });
    } finally {
      await gateway.stop();
    }
  });
});
