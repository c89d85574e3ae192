// A file larger than the partner's maxFileBytes is refused without being read into memory. SFTP:
// test/transports/sftp/poller.test.ts ("does not download a file larger than maxFileBytes"). Here the
// local folder transport: a sparse 64 MiB file (no disk used) over a limit of 1000 bytes reaches intake
// as its size alone (no bytes), is recorded rejected (too large) and archived.
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../src/store/index.js';
import type { TransportIntakeInput } from '../../src/transports/common/intake.js';
import { startFolderTransport } from '../../src/transports/folder/index.js';
import { useTestGateway } from '../support/test-gateway.js';
import { useTestDatabase } from '../support/db.js';
import { folderPartner, folders, memoryLog } from '../transports/folder/support.js';

const db = useTestDatabase();

const gateway = useTestGateway(db, { workers: false });

const SIZE = 64 * 1024 * 1024;

describe('the local folder and maxFileBytes', () => {
  it('records a file over the limit as rejected (too large) without reading it, archives it, and takes the others', { timeout: 60_000 }, async () => {
    const where = folders();
    mkdirSync(where.inbox, { recursive: true });
    const partner = { ...folderPartner(where, { code: 'sized' }), maxFileBytes: 1000 };
    const fd = openSync(join(where.inbox, 'huge.edi'), 'w');
    ftruncateSync(fd, SIZE);
    closeSync(fd);
    writeFileSync(join(where.inbox, 'small.edi'), 'ISA*00*small~');
    const { log, lines } = memoryLog();
    const calls: TransportIntakeInput[] = [];
    const intake = (input: TransportIntakeInput) => (calls.push(input), gateway.intake(input));
    const t = startFolderTransport(partner, { intake, db }, { log, stableMs: 50, rescanMs: 60_000, schedule: false });
    try {
      await t.ready;
      const result = await t.drain(30_000);
      expect(result.failed).toEqual([]);
      expect(result.taken.map((f) => f.name).sort()).toEqual(['huge.edi', 'small.edi']);
    } finally {
      await t.stop();
    }
    // What intake was handed: no bytes for the large file, only its size.
    expect(calls.map((c) => [c.sourceName, c.bytes.length, c.notDownloaded?.size]).sort()).toEqual([['huge.edi', 0, SIZE], ['small.edi', 13, undefined]]);
    const files = await listFiles(db, { partner: 'sized' });
    const huge = files.find((f) => f.sourceName === 'huge.edi');
    expect(huge).toMatchObject({ state: 'rejected', size: SIZE });
    expect(huge!.reason).toBe(`the file is ${SIZE} bytes, more than the maximum of 1000 bytes [PIPELINE_FILE_TOO_LARGE]`);
    expect(files.find((f) => f.sourceName === 'small.edi')).toMatchObject({ state: 'received' });
    expect(readdirSync(where.inbox)).toEqual([]);
    expect(readdirSync(where.archive).map((n) => n.replace(/^\d{8}T\d{6}\.\d{3}Z-/, '')).sort()).toEqual(['huge.edi', 'small.edi']);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['file larger than maxFileBytes: not read; recorded as rejected and archived']);
  });
});
