// Receiving AS2 when things go wrong, against a whole gateway runtime over loopback HTTP: what the
// partner gets back (an MDN with the RFC 4130 modifier, or an HTTP status when nothing can be read)
// and what is stored (the as2_messages row, an event, and never a file taken in from a bad message).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt, parseMdn, type ParsedMdn } from '../../src/as2/index.js';
import { useTestDatabase } from '../support/db.js';
import { flipBit, makeIdentity, tempDir, type TempDir, type TestIdentity } from './cms/openssl.js';
import { as2Message, as2PartnerFile, freePort, order850, post, startAs2Gateway, until, type As2Gateway, type HttpAnswer } from './harness.js';

const db = useTestDatabase();
// Above fastify's default body limit (1 MiB), which must not apply to AS2 bodies.
const MAX_BYTES = 2 * 1024 * 1024;

let dir: TempDir;
let gateway: As2Gateway;
let us: TestIdentity;
let partner: TestIdentity;
let stranger: TestIdentity;
let url: string;
let control = 100;

beforeAll(async () => {
  dir = tempDir('as2-receive-faults-');
  us = makeIdentity(dir, 'ourco');
  partner = makeIdentity(dir, 'acme');
  stranger = makeIdentity(dir, 'stranger');
  const port = await freePort();
  gateway = await startAs2Gateway(db, join(dir.path, 'gw'), port, {
    _gateway: JSON.stringify({
      us: { isa: { qualifier: 'ZZ', id: 'OURCO' }, gs: 'OURCO' },
      as2: { id: 'OURCO', certificate: { file: us.certPath }, privateKey: { file: us.keyPath }, maxMessageBytes: MAX_BYTES },
    }),
    acme: as2PartnerFile({ isa: 'ACME', usIsa: 'OURCO', as2Id: 'ACME', certificate: partner, us: { id: 'OURCO', identity: us } }),
  });
  url = `${gateway.base}/as2/OURCO`;
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  dir?.remove();
});

const newId = (tag: string) => `<${tag}.${randomBytes(6).toString('hex')}@acme.example>`;
/** A new 850 each time: files are unique per partner and content. */
const next850 = () => order850('ACME', 'OURCO', ++control);
/** Signed by the partner, encrypted to us: what a well-behaved partner sends. */
const good = () => ({ sign: { keyPair: partner.pair, digest: 'sha256' as const }, encrypt: { certificate: us.pair.certificate, cipher: 'aes256-cbc' as const, keyTransport: 'rsa-pkcs1' as const } });

function mdnOf(answer: HttpAnswer): ParsedMdn {
  expect(answer.status).toBe(200);
  return parseMdn(answer.headers['content-type']!, answer.body, { partnerCertificates: [us.pair.certificate] });
}

interface Row {
  id: string;
  partner: string | null;
  state: string;
  reason: string | null;
  file_id: string | null;
  mdn_disposition: string | null;
  as2_from: string;
  message_id: string;
}

async function rowsOf(messageId: string): Promise<Row[]> {
  return (await db.query<Row>(`SELECT id, partner, state, reason, file_id, mdn_disposition, as2_from, message_id FROM ${db.schema}.as2_messages WHERE message_id = $1`, [messageId])).rows;
}

async function eventsOf(messageId: string): Promise<{ message: string; to_state: string | null; details: Record<string, unknown> }[]> {
  return (await db.query<{ message: string; to_state: string | null; details: Record<string, unknown> }>(
    `SELECT message, to_state, details FROM ${db.schema}.events WHERE stage = 'as2' AND details->>'messageId' = $1 ORDER BY id`, [messageId])).rows;
}

async function fileCount(): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.files`)).rows[0]!.n);
}

/** A message refused: the MDN's modifier, one rejected row with an event, no file taken in. */
async function expectRejected(answer: HttpAnswer, messageId: string, modifier: string, filesBefore: number): Promise<Row> {
  const mdn = mdnOf(answer);
  expect(mdn.originalMessageId).toBe(messageId);
  expect(mdn.signed).toBe(true);
  expect(mdn.ok).toBe(false);
  expect(mdn.disposition).toMatchObject({ type: 'processed', modifier: 'error', description: modifier });
  expect(mdn.mic).toBeUndefined();
  const [row, ...more] = await rowsOf(messageId);
  expect(more).toEqual([]);
  expect(row).toMatchObject({ state: 'rejected', file_id: null, mdn_disposition: `processed/error: ${modifier}` });
  const events = await eventsOf(messageId);
  expect(events).toHaveLength(1);
  expect(events[0]!.to_state).toBe('rejected');
  expect(events[0]!.details).toMatchObject({ modifier, as2MessageId: Number(row!.id) });
  expect(events[0]!.message).toContain(modifier);
  expect(await fileCount()).toBe(filesBefore);
  return row!;
}

/** Writes `head` and `body` on a raw connection; resolves with what came back and how long it took. */
function rawExchange(head: string, body: Buffer, options: { end?: boolean; waitMs?: number } = {}): Promise<{ text: string; ms: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(gateway.port, '127.0.0.1');
    let text = '';
    let closed = false;
    const timer = setTimeout(() => finish(), options.waitMs ?? 5_000);
    function finish() {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, ms: Date.now() - started, closed });
    }
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(head);
    if (body.length) socket.write(body);
    if (options.end) socket.end();
  });
}

const requestHead = (headers: Record<string, string>) =>
  `POST /as2/OURCO HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

describe('AS2 messages that cannot be taken in', () => {
  it('a good message first: taken in, processed MDN with the MIC (the baseline the faults differ from)', async () => {
    const messageId = newId('good');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: { fileName: 'po-good.x12', ...good() } });
    const mdn = mdnOf(await post(url, m.headers, m.body));
    expect(mdn.ok).toBe(true);
    expect(mdn.mic).toEqual(m.mic);
    const [row] = await rowsOf(messageId);
    expect(row).toMatchObject({ partner: 'acme', state: 'processed', mdn_disposition: 'processed' });
    expect(row!.file_id).not.toBeNull();
  });

  it('a message larger than 1 MiB, under as2.maxMessageBytes: taken in whole', async () => {
    const messageId = newId('large');
    const x12 = next850() + `MSG*${'A'.repeat(70)}~\n`.repeat(20_000);
    const m = as2Message(x12, { from: 'ACME', to: 'OURCO', messageId, pack: good() });
    expect(m.body.length).toBeGreaterThan(1024 * 1024);
    expect(m.body.length).toBeLessThan(MAX_BYTES);
    expect(mdnOf(await post(url, m.headers, m.body)).ok).toBe(true);
    const [row] = await rowsOf(messageId);
    const file = await db.query<{ size: number }>(`SELECT size FROM ${db.schema}.files WHERE id = $1`, [row!.file_id]);
    expect(file.rows[0]!.size).toBe(x12.length);
  });

  it('content changed after signing: integrity-check-failed, rejected, an event, nothing taken in', async () => {
    const files = await fileCount();
    const messageId = newId('tampered');
    const signed = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: { sign: { keyPair: partner.pair, digest: 'sha256' } } });
    // One byte of the signed X12 changed, then encrypted to us as the partner would.
    const text = Buffer.from(signed.body).toString('latin1');
    const at = text.indexOf('BEG*');
    expect(at).toBeGreaterThan(0);
    const tampered = flipBit(signed.body, at + 5);
    const inner = Buffer.concat([Buffer.from(`Content-Type: ${signed.headers['Content-Type']}\r\n\r\n`), tampered]);
    const der = encrypt(inner, us.pair.certificate, { cipher: 'aes256-cbc', keyTransport: 'rsa-pkcs1' });
    const headers = { ...signed.headers, 'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m' };
    const row = await expectRejected(await post(url, headers, der), messageId, 'integrity-check-failed', files);
    expect(row.partner).toBe('acme');
    expect(row.reason).toMatch(/digest does not match/);
  });

  it('signed by a certificate the partner file does not name: authentication-failed, the reason names the signer', async () => {
    const files = await fileCount();
    const messageId = newId('stranger');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: { ...good(), sign: { keyPair: stranger.pair, digest: 'sha256' } } });
    const row = await expectRejected(await post(url, m.headers, m.body), messageId, 'authentication-failed', files);
    expect(row.reason).toContain('CN=stranger');
    expect((await eventsOf(messageId))[0]!.details).toMatchObject({ code: 'AS2_SIGNER_UNEXPECTED' });
  });

  it('encrypted to another certificate: decryption-failed', async () => {
    const files = await fileCount();
    const messageId = newId('other-cert');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: { ...good(), encrypt: { certificate: stranger.pair.certificate, cipher: 'aes128-cbc', keyTransport: 'rsa-oaep' } } });
    await expectRejected(await post(url, m.headers, m.body), messageId, 'decryption-failed', files);
    expect((await eventsOf(messageId))[0]!.details).toMatchObject({ code: 'AS2_DECRYPT_FAILED' });
  });

  it('a body cut short: an error MDN, nothing taken in', async () => {
    const files = await fileCount();
    const messageId = newId('truncated');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good() });
    const cut = Buffer.from(m.body).subarray(0, Math.floor(m.body.length / 2));
    const answer = await post(url, m.headers, cut);
    const mdn = mdnOf(answer);
    expect(mdn.ok).toBe(false);
    expect(mdn.disposition.modifier).toBe('error');
    expect(['decryption-failed', 'unexpected-processing-error']).toContain(mdn.disposition.description);
    const [row] = await rowsOf(messageId);
    expect(row).toMatchObject({ state: 'rejected', file_id: null });
    expect(await fileCount()).toBe(files);
  });

  it('a connection that ends before its Content-Length: nothing stored, no MDN', async () => {
    const files = await fileCount();
    const messageId = newId('short-read');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good() });
    const head = requestHead({ ...m.headers, 'Content-Length': String(m.body.length) });
    const got = await rawExchange(head, Buffer.from(m.body).subarray(0, 100), { end: true, waitMs: 3_000 });
    expect(got.text).not.toMatch(/multipart\/report|disposition-notification/);
    expect(got.text === '' || /^HTTP\/1\.1 4\d\d /.test(got.text)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await rowsOf(messageId)).toEqual([]);
    expect(await fileCount()).toBe(files);
  });

  it('the same Message-ID again: the same MDN bytes, one file, one intake, an event "received again"', async () => {
    const messageId = newId('twice');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good() });
    const first = await post(url, m.headers, m.body);
    expect(mdnOf(first).ok).toBe(true);
    const files = await fileCount();
    const again = await post(url, m.headers, m.body);
    expect(again.status).toBe(200);
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    // Another body under the same Message-ID is not processed either: the id is what counts.
    const other = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good() });
    const third = await post(url, other.headers, other.body);
    expect(third.body.equals(first.body)).toBe(true);
    expect(await fileCount()).toBe(files);
    const rows = await rowsOf(messageId);
    expect(rows).toHaveLength(1);
    const receipts = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${db.schema}.receipts WHERE file_id = $1`, [rows[0]!.file_id]);
    expect(receipts.rows[0]!.n).toBe('1');
    const events = await eventsOf(messageId);
    expect(events.map((e) => e.message)).toEqual([expect.stringContaining('received again'), expect.stringContaining('received again')]);
    expect(events[0]!.details).toMatchObject({ duplicate: true, as2MessageId: Number(rows[0]!.id) });
  });

  it('the same Message-ID again with an asynchronous MDN: the same MDN is sent again, nothing taken in again', async () => {
    const mdns: Buffer[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        mdns.push(Buffer.concat(chunks));
        res.end('ok\n');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const mdnUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/mdn`;
      const messageId = newId('twice-async');
      const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good(), mdn: { mode: 'async', url: mdnUrl } });
      expect((await post(url, m.headers, m.body)).status).toBe(200);
      await until('the asynchronous MDN', async () => mdns.length, (n) => n === 1);
      const files = await fileCount();
      expect((await post(url, m.headers, m.body)).status).toBe(200);
      await until('the asynchronous MDN again', async () => mdns.length, (n) => n === 2);
      expect(mdns[1]!.equals(mdns[0]!)).toBe(true);
      expect(await fileCount()).toBe(files);
      expect(await rowsOf(messageId)).toHaveLength(1);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('an unknown AS2-From / AS2-To pair: authentication-failed, kept with no partner, an event', async () => {
    const files = await fileCount();
    const messageId = newId('unknown');
    const m = as2Message(next850(), { from: 'NOBODY', to: 'OURCO', messageId, pack: { sign: { keyPair: stranger.pair, digest: 'sha256' }, encrypt: { certificate: us.pair.certificate, cipher: 'aes256-cbc', keyTransport: 'rsa-pkcs1' } } });
    const row = await expectRejected(await post(url, m.headers, m.body), messageId, 'authentication-failed', files);
    expect(row).toMatchObject({ partner: null, as2_from: 'NOBODY' });
    expect((await eventsOf(messageId))[0]!.details).toMatchObject({ code: 'AS2_PARTNER_UNKNOWN', from: 'NOBODY' });
  });

  it('Content-Length over as2.maxMessageBytes: 413 at once, without reading (or waiting for) the body', async () => {
    const messageId = newId('huge');
    const head = requestHead({ 'AS2-From': 'ACME', 'AS2-To': 'OURCO', 'Message-ID': messageId, 'Content-Type': 'application/pkcs7-mime', 'Content-Length': String(10 * 1024 ** 3) });
    // Ten bytes of ten GiB: a server that read the body first would never answer.
    const got = await rawExchange(head, Buffer.alloc(10, 0x30), { waitMs: 5_000 });
    expect(got.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(got.text).toContain('AS2_MESSAGE_TOO_LARGE');
    expect(got.ms).toBeLessThan(3_000);
    expect(got.closed).toBe(true);
    expect(await rowsOf(messageId)).toEqual([]);
  });

  it('a chunked body growing over as2.maxMessageBytes: 413, nothing stored', async () => {
    const messageId = newId('chunked');
    const head = requestHead({ 'AS2-From': 'ACME', 'AS2-To': 'OURCO', 'Message-ID': messageId, 'Content-Type': 'application/pkcs7-mime', 'Transfer-Encoding': 'chunked' });
    const chunk = Buffer.alloc(16 * 1024, 0x30);
    const chunks = Buffer.concat(Array.from({ length: Math.ceil((MAX_BYTES * 2) / chunk.length) }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])));
    const got = await rawExchange(head, chunks, { waitMs: 5_000 });
    expect(got.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(got.text).toContain('AS2_MESSAGE_TOO_LARGE');
    expect(got.ms).toBeLessThan(3_000);
    expect(await rowsOf(messageId)).toEqual([]);
  });

  it('a header value with CR is refused by the HTTP parser, before any of our code', async () => {
    const messageId = newId('crlf');
    const head = `POST /as2/OURCO HTTP/1.1\r\nHost: 127.0.0.1\r\nAS2-From: ACME\rX-Injected: 1\r\nAS2-To: OURCO\r\nMessage-ID: ${messageId}\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n`;
    const got = await rawExchange(head, Buffer.from('hi'), { waitMs: 3_000 });
    expect(got.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rowsOf(messageId)).toEqual([]);
  });

  it('path traversal and shell characters in AS2-From, Message-ID and the file name never reach a file path', async () => {
    const tag = randomBytes(4).toString('hex');
    const target = join(dir.path, `as2-evil-${tag}.x12`);
    const cases: { fileName: string; sourceName: string | RegExp }[] = [
      { fileName: `../../../../..${target}`, sourceName: `as2-evil-${tag}.x12` },
      { fileName: `..\\..\\windows\\as2-evil-${tag}.x12`, sourceName: `as2-evil-${tag}.x12` },
      // Shell characters are only text: kept, never run, never a path.
      { fileName: `$(touch x);\`id\`|as2-evil-${tag}.x12`, sourceName: `$(touch x);\`id\`|as2-evil-${tag}.x12` },
      { fileName: '..', sourceName: /^AS2 </ },
      { fileName: 'a\x1b[31mred\x07.x12', sourceName: 'a[31mred.x12' },
    ];
    for (const c of cases) {
      const messageId = `<$(touch${'${IFS}'}${target.replace(/\//g, '_')});x/../../${tag}.${randomBytes(4).toString('hex')}@evil>`;
      const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: { fileName: c.fileName, ...good() } });
      const mdn = mdnOf(await post(url, m.headers, m.body));
      expect(mdn.ok).toBe(true);
      const [row] = await rowsOf(messageId);
      const file = (await db.query<{ source_name: string }>(`SELECT source_name FROM ${db.schema}.files WHERE id = $1`, [row!.file_id])).rows[0]!;
      if (typeof c.sourceName === 'string') expect(file.source_name).toBe(c.sourceName);
      else expect(file.source_name).toMatch(c.sourceName);
      expect(file.source_name).not.toMatch(/[\\/\x00-\x1f\x7f]/);
      expect(file.source_name).not.toMatch(/^\.\.?$/);
    }
    // A sender id of the same kind: a partner we do not know, kept as text.
    const fromId = `../../$(reboot);${tag}`;
    const messageId = newId('evil-from');
    const m = as2Message(next850(), { from: fromId, to: 'OURCO', messageId, pack: good() });
    expect(mdnOf(await post(url, m.headers, m.body)).disposition.description).toBe('authentication-failed');
    expect((await rowsOf(messageId))[0]).toMatchObject({ as2_from: fromId, partner: null, state: 'rejected' });
    // Nothing was written anywhere under those names.
    expect(existsSync(target)).toBe(false);
    const written = readdirSync(gateway.dir, { recursive: true }).map(String);
    expect(written.filter((name) => name.includes(tag) || name.includes('evil'))).toEqual([]);
  });

  it('an asynchronous MDN URL that is not http(s) (file:, shell) is never followed: stored, no MDN sent', async () => {
    const messageId = newId('file-url');
    const m = as2Message(next850(), { from: 'ACME', to: 'OURCO', messageId, pack: good(), mdn: { mode: 'async', url: 'file:///etc/passwd;$(id)' } });
    const answer = await post(url, m.headers, m.body);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    const rows = (await db.query<{ state: string; mdn_state: string | null; mdn_body: Buffer | null }>(
      `SELECT state, mdn_state, mdn_body FROM ${db.schema}.as2_messages WHERE message_id = $1`, [messageId])).rows;
    expect(rows).toEqual([{ state: 'processed', mdn_state: null, mdn_body: null }]);
  });
});
