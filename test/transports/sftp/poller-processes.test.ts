// Two gateway processes poll the same SFTP mailbox at the same time: the mailbox lock lets one poll
// at a time, and every file is taken exactly once (one file row, one receipt each).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../../src/jobs/gateway.js';
import { listFiles, listReceipts } from '../../../src/store/index.js';
import { useTestDatabase } from '../../support/db.js';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';

const db = useTestDatabase();
const FILES = 240;
const root = join(import.meta.dirname, '..', '..', '..');
let gateway: Gateway;
let server: TestSftpServer;

beforeAll(async () => {
  // Creates the pg-boss queues once, before the children start.
  gateway = await startGateway({ db, workers: false });
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
  await gateway?.stop();
});

function child(name: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'poller-process.ts')], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      EDI_SCHEMA: db.schema,
      SFTP_PORT: String(server.port),
      SFTP_USER: server.username,
      SFTP_PASSWORD: server.password,
      SFTP_FINGERPRINT: server.fingerprint,
      PARTNER: 'twins',
      NAME: name,
      MAX_RUNTIME_MS: '60000',
    },
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (t: string) => void (out += t));
  proc.stderr!.setEncoding('utf8').on('data', (t: string) => void (err += t));
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  const ready = (async () => {
    while (!out.includes('ready\n')) {
      if (proc.exitCode !== null) throw new Error(`${name} exited ${proc.exitCode}: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    ready,
    go: () => proc.stdin!.write('go\n'),
    async result(): Promise<{ taken: string[]; polls: number; locked: number }> {
      const code = await exited;
      if (code !== 0) throw new Error(`${name} exited ${code}: ${err}`);
      return JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!);
    },
    kill: () => proc.kill('SIGKILL'),
  };
}

describe('two gateway processes on one mailbox', () => {
  it(`take each of ${FILES} files exactly once`, { timeout: 90_000 }, async () => {
    for (let i = 0; i < FILES; i++) await server.put(`/outbox/po-${i}.edi`, `ISA*${i}*twins~`);
    const a = child('a');
    const b = child('b');
    try {
      await Promise.all([a.ready, b.ready]);
      a.go();
      b.go();
      const [ra, rb] = await Promise.all([a.result(), b.result()]);
      const all = [...ra.taken, ...rb.taken];
      expect(all).toHaveLength(FILES);
      expect(new Set(all).size).toBe(FILES);
      // Both did work, and at least once one found the other polling.
      expect(ra.polls).toBeGreaterThan(1);
      expect(rb.polls).toBeGreaterThan(1);
      expect(ra.locked + rb.locked).toBeGreaterThan(0);
      const files = await listFiles(db, { partner: 'twins', limit: 1000 });
      expect(files).toHaveLength(FILES);
      for (const f of files.slice(0, 20)) expect(await listReceipts(db, f.id)).toHaveLength(1);
      expect(await server.ls('/outbox')).toEqual(['archive']);
      expect(await server.ls('/outbox/archive')).toHaveLength(FILES);
    } finally {
      a.kill();
      b.kill();
    }
  });
});
