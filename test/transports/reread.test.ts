// Issue 10, finding 8: duplicate-receipt events when the partner sent once (a kill between commit and
// archive; two watchers on one folder: 70 of 400 files). A re-read of our own file that is not
// archived yet (same path, size and mtime) is not a receipt; the partner's resend of the same bytes is.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burstFile } from '../../bench/pipeline-files.js';
import type { Gateway } from '../../src/jobs/gateway.js';
import { tableIn } from '../../src/store/identifiers.js';
import { startDropFolder } from '../../src/transports/drop-folder.js';
import { useTestGateway } from '../support/test-gateway.js';
import { useTestDatabase } from '../support/db.js';
import { waitFor } from './folder/support.js';

const db = useTestDatabase();
const gateway = useTestGateway(db, { workers: false });

async function receiptsOf(partner: string): Promise<{ receipts: number; duplicates: number; duplicateEvents: number }> {
  const t = (name: string) => tableIn(db.schema, name);
  const r = await db.query<{ receipts: number; duplicates: number }>(
    `SELECT count(*)::int AS receipts, count(*) FILTER (WHERE r.duplicate)::int AS duplicates FROM ${t('receipts')} r JOIN ${t('files')} f ON f.id = r.file_id WHERE f.partner = $1`,
    [partner],
  );
  const e = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${t('events')} e JOIN ${t('files')} f ON f.id = e.file_id WHERE f.partner = $1 AND e.message LIKE '%duplicate receipt%'`,
    [partner],
  );
  return { ...r.rows[0]!, duplicateEvents: e.rows[0]!.n };
}

describe('a re-read is not a receipt (issue 10, finding 8)', () => {
  it('intake: the same bytes from the same source identity again add nothing; from another identity they are a duplicate receipt', async () => {
    const bytes = burstFile(1, 1, { sender: 'REREAD1' }).bytes;
    const input = { partner: 'reread1', channel: 'folder', sourceName: 'po.edi', bytes };
    const first = await gateway.intake({ ...input, sourceIdentity: 'file:/in/po.edi?size=1&mtime=1' });
    const again = await gateway.intake({ ...input, sourceIdentity: 'file:/in/po.edi?size=1&mtime=1' });
    expect(again).toMatchObject({ fileId: first.fileId, duplicate: true, reread: true, receiptId: first.receiptId });
    expect(await receiptsOf('reread1')).toEqual({ receipts: 1, duplicates: 0, duplicateEvents: 0 });
    // The partner wrote the same bytes again: a new mtime.
    const resend = await gateway.intake({ ...input, sourceIdentity: 'file:/in/po.edi?size=1&mtime=2' });
    expect(resend).toMatchObject({ fileId: first.fileId, duplicate: true });
    expect(resend.reread).toBeUndefined();
    expect(await receiptsOf('reread1')).toEqual({ receipts: 2, duplicates: 1, duplicateEvents: 1 });
  });

  it('a restart between commit and archive: the file is read again, archived, and no duplicate receipt is recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reread-'));
    const inbox = join(root, 'in');
    const archive = join(root, 'archive');
    mkdirSync(inbox, { recursive: true });
    const files = Array.from({ length: 5 }, (_, i) => burstFile(i + 1, 1, { sender: 'REREAD2' }));
    files.forEach((f, i) => writeFileSync(join(inbox, `po-${i}.edi`), f.bytes));
    const intake = (input: Parameters<Gateway['intake']>[0]) => gateway.intake(input);
    // The first process commits every file, but its archive step waits (the window) and it stops:
    // in memory only, its record of the committed files is gone with it.
    const first = startDropFolder({ folder: inbox, archive, partner: 'reread2', intake, schedule: false, settleMs: 10, stableMs: 1500 });
    await first.scan();
    await sleep(30);
    await first.scan();
    await first.stop();
    expect(readdirSync(inbox)).toHaveLength(5);
    expect(await receiptsOf('reread2')).toEqual({ receipts: 5, duplicates: 0, duplicateEvents: 0 });
    // Once the files stood still for the window, the next process reads them again and archives them.
    await sleep(1600);
    const second = startDropFolder({ folder: inbox, archive, partner: 'reread2', intake, schedule: false, settleMs: 10, stableMs: 1500 });
    await second.drain(10_000);
    await second.stop();
    expect(readdirSync(inbox)).toEqual([]);
    expect(readdirSync(archive)).toHaveLength(5);
    expect(await receiptsOf('reread2')).toEqual({ receipts: 5, duplicates: 0, duplicateEvents: 0 });
  });

  it('two drop folders on one folder (no lock between them): every file received once, no duplicate receipt', { timeout: 60_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), 'reread-two-'));
    const inbox = join(root, 'in');
    const archive = join(root, 'archive');
    mkdirSync(inbox, { recursive: true });
    const intake = (input: Parameters<Gateway['intake']>[0]) => gateway.intake(input);
    const options = { folder: inbox, archive, partner: 'reread3', intake, intervalMs: 100, settleMs: 50, stableMs: 300 };
    const a = startDropFolder(options);
    const b = startDropFolder(options);
    try {
      await Promise.all([a.ready, b.ready]);
      const files = Array.from({ length: 40 }, (_, i) => burstFile(i + 1, 1, { sender: 'REREAD3' }));
      files.forEach((f, i) => writeFileSync(join(inbox, `po-${i}.edi`), f.bytes));
      await waitFor('every file archived', () => readdirSync(inbox).length === 0 && readdirSync(archive).length === 40, 30_000, 50);
      expect(await receiptsOf('reread3')).toEqual({ receipts: 40, duplicates: 0, duplicateEvents: 0 });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
