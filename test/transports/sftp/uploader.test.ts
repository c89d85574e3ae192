// The uploader: temporary name, size check, rename; failures retried at once only when their code's
// policy is transient; never a partial file (or an overwritten one) under a final name.
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SftpError } from '../../../src/transports/sftp/client.js';
import { createSftpUploader } from '../../../src/transports/sftp/uploader.js';
import { startSftpServer, type TestSftpServer } from '../../support/sftp-server.js';
import { recordingLog, sftpPartner } from './support.js';

let server: TestSftpServer;
const NOW = new Date('2026-11-01T12:00:00Z');
const FINAL = 'acme_855_000000042_20261101120000.edi';

beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.faults = {};
  for (const name of await server.ls('/inbox')) await rm(server.local(`/inbox/${name}`));
});

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
const request = (size: number) => ({ partner: sftpPartner(server), bytes: bytes(size), set: '855', control: 42, now: NOW });

describe('createSftpUploader', () => {
  it('writes under a hidden temporary name, then renames to the name from the partner pattern', async () => {
    const result = await createSftpUploader().upload(request(300_000));
    expect(result).toEqual({ path: `/inbox/${FINAL}`, name: FINAL, bytes: 300_000, attempts: 1 });
    expect(await server.ls('/inbox')).toEqual([FINAL]);
    expect((await server.get(`/inbox/${FINAL}`))!.equals(bytes(300_000))).toBe(true);
  });

  it('never shows a partial file under the final name while a slow upload runs', async () => {
    server.faults = { writeDelayMs: 15 };
    const seen: string[][] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) {
        seen.push(await server.ls('/inbox'));
        await sleep(5);
      }
    })();
    const upload = createSftpUploader({ connect: { parallel: 2 } }).upload(request(400_000));
    await upload.finally(() => (done = true));
    await watcher;
    const during = seen.filter((names) => names.some((n) => n.endsWith('.part')));
    expect(during.length).toBeGreaterThan(3);
    expect(during.every((names) => !names.includes(FINAL))).toBe(true);
    expect(during[0]![0]).toMatch(/^\.acme_855_000000042_20261101120000\.edi\.[0-9a-f]{8}\.part$/);
    expect(await server.ls('/inbox')).toEqual([FINAL]);
  });

  it('retries after the connection drops mid-upload (SFTP_CONNECTION_LOST, transient) and leaves no temporary file behind', async () => {
    server.faults = { dropAfterWriteBytes: 100_000 };
    const { log, lines } = recordingLog();
    const logins = server.logins;
    const result = await createSftpUploader({ retryDelayMs: 10, log }).upload(request(300_000));
    expect(result.attempts).toBe(2);
    expect(server.logins - logins).toBe(2);
    const retried = lines.filter((l) => l.level === 'warn' && l.message === 'upload failed; retrying');
    expect(retried.map((l) => (l.details as { code?: string }).code)).toEqual(['SFTP_CONNECTION_LOST']);
    expect(await server.ls('/inbox')).toEqual([FINAL]);
    expect((await server.get(`/inbox/${FINAL}`))!.equals(bytes(300_000))).toBe(true);
  });

  it('knows a rename went through when its answer was lost', async () => {
    server.faults = { dropAfterRename: (_from, to) => to.endsWith(FINAL) };
    const result = await createSftpUploader({ retryDelayMs: 10 }).upload(request(50_000));
    expect(result.attempts).toBe(2);
    expect(await server.ls('/inbox')).toEqual([FINAL]);
    expect((await server.get(`/inbox/${FINAL}`))!.equals(bytes(50_000))).toBe(true);
  });

  it('does not overwrite a file that already has the final name, nor try again (SFTP_NAME_TAKEN, business)', async () => {
    await server.put(`/inbox/${FINAL}`, 'theirs');
    const logins = server.logins;
    const error = await createSftpUploader({ retryDelayMs: 10 }).upload(request(1000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SftpError);
    expect((error as SftpError).message).toContain('already exists');
    expect([(error as SftpError).code, (error as SftpError).policy]).toEqual(['SFTP_NAME_TAKEN', 'business']);
    expect(server.logins - logins).toBe(1);
    expect((await server.get(`/inbox/${FINAL}`))!.toString()).toBe('theirs');
    expect(await server.ls('/inbox')).toEqual([FINAL]);
  });

  it('does not retry a permission problem (SFTP_PERMISSION_DENIED, auth), and removes its temporary file', async () => {
    server.faults = { denyRename: () => true };
    const { log, lines } = recordingLog();
    const logins = server.logins;
    const error = (await createSftpUploader({ retryDelayMs: 10, log }).upload(request(1000)).catch((e: unknown) => e)) as SftpError;
    expect([error.kind, error.code, error.policy]).toEqual(['permission', 'SFTP_PERMISSION_DENIED', 'auth']);
    expect(server.logins - logins).toBe(1);
    expect(lines.filter((l) => l.message === 'upload failed; retrying')).toEqual([]);
    expect((lines.find((l) => l.message === 'upload failed')?.details as { code?: string } | undefined)?.code).toBe('SFTP_PERMISSION_DENIED');
    expect(await server.ls('/inbox')).toEqual([]);
  });

  it('gives up after its retries when the server stays unreachable', async () => {
    const gone = await startSftpServer();
    const partner = sftpPartner(gone);
    await gone.close();
    const started = Date.now();
    const error = (await createSftpUploader({ retries: 2, retryDelayMs: 20 }).upload({ ...request(10), partner }).catch((e: unknown) => e)) as SftpError;
    expect([error.kind, error.code, error.policy]).toEqual(['connect', 'SFTP_CONNECT_FAILED', 'transient']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60); // 20 + 40 ms between three tries
  });

  it('makes names from partners safe: a pattern cannot climb out of the folder', async () => {
    const partner = sftpPartner(server, { outbound: { fileName: '../../{partner}_{control}.edi' } });
    const result = await createSftpUploader().upload({ ...request(10), partner });
    expect(result.path).toBe('/inbox/____acme_000000042.edi');
    expect(await server.ls('/inbox')).toEqual([result.name]);
    expect(await server.ls('/')).toEqual(['inbox', 'outbox']);
  });
});
