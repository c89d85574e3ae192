// The partners' tables (migration 003) through their repositories: partner health with backoff, and the files a
// transport took from a mailbox (so a failed archive step never leads to a second intake).
import { describe, expect, it } from 'vitest';
import {
  findRemoteFile, forgetRemoteFile, listPartnerHealth, listRemoteFiles, pruneRemoteFiles, recordHealthFailure,
  recordHealthSuccess, rememberRemoteFile, remoteFileKey, setRemoteFileState,
} from '../../src/store/partners-repo.js';
import { storeFile } from '../../src/store/files-repo.js';
import { withTransaction } from '../../src/store/conn.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

describe('partner_health', () => {
  it('counts failures in a row with exponential backoff, and a success resets them', async () => {
    const key = { partner: 'acme', transport: 'sftp' };
    const t0 = Date.now();
    const first = await recordHealthFailure(db, { ...key, error: 'connect ECONNREFUSED 127.0.0.1:22', backoff: { baseSeconds: 10, maxSeconds: 35 } });
    expect(first).toMatchObject({ consecutiveFailures: 1, lastError: 'connect ECONNREFUSED 127.0.0.1:22', lastSuccess: null });
    const delay = (h: { nextAttemptAt: Date | null }) => (h.nextAttemptAt!.getTime() - t0) / 1000;
    expect(delay(first)).toBeGreaterThanOrEqual(9);
    expect(delay(first)).toBeLessThan(12);
    const second = await recordHealthFailure(db, { ...key, error: 'timeout', backoff: { baseSeconds: 10, maxSeconds: 35 } });
    expect(second.consecutiveFailures).toBe(2);
    expect(delay(second)).toBeGreaterThanOrEqual(19);
    const third = await recordHealthFailure(db, { ...key, error: 'timeout', backoff: { baseSeconds: 10, maxSeconds: 35 } });
    expect(delay(third)).toBeLessThan(37); // capped at 35 s (not 40)
    expect(third.lastErrorAt).toBeInstanceOf(Date);

    const ok = await recordHealthSuccess(db, key);
    expect(ok).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: null, lastError: 'timeout' });
    expect(ok.lastSuccess).toBeInstanceOf(Date);

    await recordHealthSuccess(db, { partner: 'globex', transport: 'folder' });
    expect((await listPartnerHealth(db)).map((h) => [h.partner, h.transport])).toEqual([['acme', 'sftp'], ['globex', 'folder']]);
    expect(await listPartnerHealth(db, { partner: 'globex' })).toHaveLength(1);
  });

  it('a failure without backoff leaves no next attempt time', async () => {
    const h = await recordHealthFailure(db, { partner: 'nob', transport: 'sftp', error: 'x' });
    expect(h.nextAttemptAt).toBeNull();
  });
});

describe('remote_files', () => {
  const key = { partner: 'acme', mailbox: 'sftp://u@h:22/outbox', path: 'po-1.edi', size: 812, mtime: 1_700_000_000_000 };

  it('remembers a taken file with its intake in the same transaction, then its archive step', async () => {
    const entry = await withTransaction(db, async (tx) => {
      const { file } = await storeFile(tx, { partner: 'acme', channel: 'sftp', sourceName: 'po-1.edi', sha256: 'ab'.repeat(32), bytes: Buffer.from('x'), size: 1 });
      return rememberRemoteFile(tx, { ...key, sha256: 'ab'.repeat(32), state: 'ingested', fileId: file.id });
    });
    expect(entry).toMatchObject({ ...key, state: 'ingested', fileId: expect.any(Number) });
    expect(await findRemoteFile(db, key)).toMatchObject({ state: 'ingested' });
    // Another size or mtime is another file (the partner rewrote it).
    expect(await findRemoteFile(db, { ...key, size: 813 })).toBeUndefined();

    expect(await setRemoteFileState(db, { ...key, from: ['remembered'], to: 'archived' })).toBeUndefined();
    expect(await setRemoteFileState(db, { ...key, from: ['ingested'], to: 'archived' })).toMatchObject({ state: 'archived' });

    const listed = await listRemoteFiles(db, { partner: 'acme', mailbox: key.mailbox });
    expect(new Set(listed.map(remoteFileKey))).toEqual(new Set([remoteFileKey(key)]));
    // Upsert keeps the file id when a later write has none.
    expect(await rememberRemoteFile(db, { ...key, sha256: 'ab'.repeat(32), state: 'remembered' })).toMatchObject({ state: 'remembered', fileId: entry.fileId });
  });

  it('prunes archived entries whose file is gone from the mailbox, keeps the others', async () => {
    const a = { ...key, mailbox: 'm2', path: 'a.edi' };
    const b = { ...key, mailbox: 'm2', path: 'b.edi' };
    const c = { ...key, mailbox: 'm2', path: 'c.edi' };
    await rememberRemoteFile(db, { ...a, sha256: '1', state: 'archived' });
    await rememberRemoteFile(db, { ...b, sha256: '2', state: 'archived' });
    await rememberRemoteFile(db, { ...c, sha256: '3', state: 'ingested' });
    expect(await pruneRemoteFiles(db, { partner: 'acme', mailbox: 'm2', present: ['b.edi'] })).toBe(1);
    expect((await listRemoteFiles(db, { partner: 'acme', mailbox: 'm2' })).map((r) => r.path)).toEqual(['b.edi', 'c.edi']);
    expect(await forgetRemoteFile(db, c)).toMatchObject({ path: 'c.edi' });
    expect((await listRemoteFiles(db, { partner: 'acme', mailbox: 'm2', state: 'ingested' }))).toEqual([]);
  });
});
