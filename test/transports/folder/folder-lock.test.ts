// Two gateway processes configured with the same watched folder: an advisory lock per folder lets
// one of them watch it; the other retries and takes over when the first stops. Each file is taken once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { listFiles, listReceipts } from '../../../src/store/index.js';
import { startFolderTransport } from '../../../src/transports/folder/index.js';
import { mailboxLockId } from '../../../src/transports/common/mailbox-lock.js';
import { useTestDatabase } from '../../support/db.js';
import { folderPartner, folders, memoryLog, waitFor } from './support.js';

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

  it('a holder whose lock connection dies stops watching, and the other process takes over', { timeout: 30_000 }, async () => {
    const where = folders('folder-lock-lost-');
    mkdirSync(where.inbox, { recursive: true });
    const partner = folderPartner(where, { code: 'lost' });
    const options = { stableMs: 50, rescanMs: 100, lockRetryMs: 100 };
    const aLog = memoryLog();
    const a = startFolderTransport(partner, { intake: (i) => one.intake(i), db }, { ...options, log: aLog.log });
    await a.ready;
    const b = startFolderTransport(partner, { intake: (i) => two.intake(i), db: two.options.db }, options);
    await b.ready;
    writeFileSync(join(where.inbox, 'po-1.edi'), edi(101));
    await waitFor('a takes the first file', async () => (await listFiles(db, { partner: 'lost', limit: 10 })).length === 1);
    expect((await listFiles(db, { partner: 'lost', limit: 10 }))[0]!.channel).toBe('folder');

    // The session holding a's lock ends (a network cut, a restarted PgBouncer, an admin).
    const id = BigInt(mailboxLockId(db.schema, `folder\u0000${where.inbox}`));
    const unsigned = BigInt.asUintN(64, id);
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid AND granted`,
      [String(unsigned >> 32n), String(unsigned & 0xffffffffn)],
    );
    expect(rows).toHaveLength(1);
    await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);

    // a finds its lock gone and stops watching; b gets the lock.
    await waitFor('a notices', () => aLog.lines.some((l) => l.level === 'warn' && l.message.startsWith('lost the folder lock')), 10_000);
    await waitFor('b holds the lock', async () => (await b.scan()).pending === 0 && (await db.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid AND granted AND pid <> $3`,
      [String(unsigned >> 32n), String(unsigned & 0xffffffffn), rows[0]!.pid],
    )).rows.length === 1, 10_000);
    for (let i = 2; i <= 6; i++) writeFileSync(join(where.inbox, `po-${i}.edi`), edi(100 + i));
    await waitFor('5 more files taken', async () => (await listFiles(db, { partner: 'lost', limit: 10 })).length === 6, 10_000);
    expect(await a.scan()).toEqual({ taken: [], pending: 0, failed: [] });
    for (const f of await listFiles(db, { partner: 'lost', limit: 10 })) expect(await listReceipts(db, f.id)).toHaveLength(1);
    await a.stop();
    await b.stop();
  });
});
