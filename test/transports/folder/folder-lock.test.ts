// Two gateway processes configured with the same watched folder: an advisory lock per folder lets
// one of them watch it; the other retries and takes over when the first stops. Each file is taken once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { listFiles, listReceipts } from '../../../src/store/index.js';
import { startFolderTransport } from '../../../src/transports/folder/index.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders, waitFor } from './support.js';

const db = useTestDatabase();
let one: Gateway;
let two: Gateway;

beforeAll(async () => {
  one = await startGateway({ db, workers: false });
  // Another process: its own pool on the same schema.
  two = await startGateway({ db: db.another(), workers: false });
});
afterAll(async () => {
  await one?.stop();
  await two?.stop();
});

const edi = (n: number) => `ISA*00*          *00*          *ZZ*GLOBEX*ZZ*US*261101*1200*U*00401*${String(n).padStart(9, '0')}*0*P*>~\n`;

describe('one watcher per folder across processes', () => {
  it('only the lock holder takes files; the other takes over after it stops; every file once', { timeout: 30_000 }, async () => {
    const where = folders('folder-lock-');
    mkdirSync(where.inbox, { recursive: true });
    const partner = folderPartner(where, { code: 'locked' });
    const options = { stableMs: 50, rescanMs: 100, lockRetryMs: 100 };
    const a = startFolderTransport(partner, { intake: (i) => one.intake(i), db }, options);
    await a.ready;
    const b = startFolderTransport(partner, { intake: (i) => two.intake(i), db: two.options.db }, options);
    await b.ready;
    for (let i = 1; i <= 20; i++) writeFileSync(join(where.inbox, `po-${i}.edi`), edi(i));
    await waitFor('20 files taken', async () => (await listFiles(db, { partner: 'locked', limit: 100 })).length === 20);
    // b holds no lock: its scans take nothing.
    expect(await b.scan()).toEqual({ taken: [], pending: 0, failed: [] });
    const files = await listFiles(db, { partner: 'locked', limit: 100 });
    for (const f of files) expect(await listReceipts(db, f.id)).toHaveLength(1);
    expect(files.every((f) => f.channel === 'folder')).toBe(true);

    await a.stop();
    for (let i = 21; i <= 25; i++) writeFileSync(join(where.inbox, `po-${i}.edi`), edi(i));
    await waitFor('b takes over', async () => (await listFiles(db, { partner: 'locked', limit: 100 })).length === 25, 15_000);
    await b.stop();
  });
});
