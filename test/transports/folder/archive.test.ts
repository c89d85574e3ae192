import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveLocalFile } from '../../../src/transports/folder/archive.js';
import { folders } from './support.js';

const at = new Date('2026-11-01T12:00:00.000Z');

describe('the archive step of a local folder', () => {
  it('moves under a timestamped safe name and never over an existing file', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    writeFileSync(join(w.inbox, 'po\u0001.edi'), 'first');
    expect(await archiveLocalFile(join(w.inbox, 'po\u0001.edi'), 'po\u0001.edi', { action: 'move', folder: w.archive }, at)).toEqual({
      movedTo: join(w.archive, '20261101T120000.000Z-po_.edi'),
    });
    writeFileSync(join(w.inbox, 'po\u0001.edi'), 'second');
    expect(await archiveLocalFile(join(w.inbox, 'po\u0001.edi'), 'po\u0001.edi', { action: 'move', folder: w.archive }, at)).toEqual({
      movedTo: join(w.archive, '20261101T120000.000Z-po_.edi.1'),
    });
    expect(readdirSync(w.inbox)).toEqual([]);
    expect(readFileSync(join(w.archive, '20261101T120000.000Z-po_.edi'), 'utf8')).toBe('first');
    expect(readFileSync(join(w.archive, '20261101T120000.000Z-po_.edi.1'), 'utf8')).toBe('second');
  });

  it('moves across file systems (copy, then remove) when the archive is elsewhere', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    writeFileSync(join(w.inbox, 'x.edi'), 'across');
    // /dev/shm is a tmpfs on Linux: another device than the temp folder, so rename() says EXDEV.
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const other = mkdtempSync(join(base, 'archive-'));
    try {
      // (Where both are one device this is a plain rename: the outcome is the same.)
      const outcome = await archiveLocalFile(join(w.inbox, 'x.edi'), 'x.edi', { action: 'move', folder: join(other, 'a') }, at);
      expect(outcome).toEqual({ movedTo: join(other, 'a', '20261101T120000.000Z-x.edi') });
      expect(readFileSync(join(other, 'a', '20261101T120000.000Z-x.edi'), 'utf8')).toBe('across');
      expect(readdirSync(w.inbox)).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('deletes, leaves, and reports a file another process took as gone', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    writeFileSync(join(w.inbox, 'd.edi'), 'x');
    writeFileSync(join(w.inbox, 'l.edi'), 'x');
    expect(await archiveLocalFile(join(w.inbox, 'd.edi'), 'd.edi', { action: 'delete' }, at)).toEqual({ deleted: true });
    expect(await archiveLocalFile(join(w.inbox, 'l.edi'), 'l.edi', { action: 'leave' }, at)).toEqual({ left: true });
    expect(await archiveLocalFile(join(w.inbox, 'd.edi'), 'd.edi', { action: 'delete' }, at)).toEqual({ gone: true });
    expect(await archiveLocalFile(join(w.inbox, 'd.edi'), 'd.edi', { action: 'move', folder: w.archive }, at)).toEqual({ gone: true });
    expect(readdirSync(w.inbox)).toEqual(['l.edi']);
  });

  it('throws when the archive cannot be used (the caller remembers the file)', async () => {
    const w = folders();
    mkdirSync(w.inbox);
    writeFileSync(join(w.inbox, 'x.edi'), 'x');
    writeFileSync(w.archive, 'a file, not a folder');
    await expect(archiveLocalFile(join(w.inbox, 'x.edi'), 'x.edi', { action: 'move', folder: w.archive }, at)).rejects.toThrow();
    expect(readdirSync(w.inbox)).toEqual(['x.edi']);
  });
});
