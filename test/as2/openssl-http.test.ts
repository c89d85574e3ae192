// AS2 over HTTP against an independent implementation, the openssl CLI, both ways, through a whole
// gateway runtime on loopback:
// - a message openssl signs and encrypts (and one compressed by hand with asn1js, RFC 3274) is POSTed
//   to the gateway and taken in; openssl verifies the signed MDN that comes back, whose MIC is the
//   digest of exactly what openssl signed;
// - what the gateway sends, a partner server decrypts and verifies with openssl, computes the MIC with
//   openssl, and answers with an MDN openssl signs; the gateway accepts it and records that MIC.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as2Headers, mime } from '../../src/as2/index.js';
import { queueOutbound } from '../../src/store/outbound-repo.js';
import { useTestDatabase } from '../support/db.js';
import { handMade } from './cms/compressed-by-hand.js';
import { makeIdentity, openssl, tempDir, type TempDir, type TestIdentity } from './cms/openssl.js';
import { as2PartnerFile, freePort, order850, post, startAs2Gateway, until, type As2Gateway } from './harness.js';

const db = useTestDatabase();

let dir: TempDir;
let gateway: As2Gateway;
let us: TestIdentity;
let partner: TestIdentity;
let capture: Server;
let control = 500;
/** What the partner server decrypted and verified with openssl (and its print of the envelope), by Message-ID. */
const captured = new Map<string, { payload: Buffer; mic: string; cipher: string }>();

beforeAll(async () => {
  dir = tempDir('as2-openssl-http-');
  us = makeIdentity(dir, 'ourco');
  partner = makeIdentity(dir, 'acme');
  capture = createServer((req, res) => void answerWithOpenssl(req, res).catch((error: unknown) => {
    res.writeHead(500).end(String(error));
  }));
  await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  const captureUrl = `http://127.0.0.1:${(capture.address() as { port: number }).port}/as2`;
  const port = await freePort();
  const file = (code: string, outbound: Record<string, unknown>) => as2PartnerFile({
    isa: code.toUpperCase(), usIsa: 'OURCO', as2Id: code.toUpperCase(), url: captureUrl, certificate: partner,
    us: { id: 'OURCO', identity: us }, documents: { inbound: ['850'], outbound: ['850'] }, transport: { outbound: { timeoutSeconds: 20, ...outbound } },
  });
  gateway = await startAs2Gateway(db, join(dir.path, 'gw'), port, {
    _gateway: JSON.stringify({ us: { isa: { qualifier: 'ZZ', id: 'OURCO' }, gs: 'OURCO' } }),
    acme: file('acme', { encrypt: 'aes256-cbc', keyTransport: 'rsa-pkcs1' }),
    acmegcm: file('acmegcm', { encrypt: 'aes128-gcm', keyTransport: 'rsa-oaep', sign: 'sha384', mdnSigned: 'sha384' }),
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => capture?.close(resolve));
  dir?.remove();
});

const base64Digest = (digest: string, path: string) => openssl(['dgst', `-${digest}`, '-binary', path]).toString('base64');

/** openssl verifies a signed MDN (our certificate as the only trust anchor); the report it signed. */
function verifyMdnWithOpenssl(contentType: string, body: Buffer, name: string): { report: string; signerPem: string } {
  const mdnPath = dir.file(`${name}.mdn`, Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body]));
  const signerPath = dir.file(`${name}.signer.pem`);
  const report = openssl(['cms', '-verify', '-CAfile', us.certPath, '-in', mdnPath, '-signer', signerPath]).toString('latin1');
  return { report, signerPem: readFileSync(signerPath, 'utf8') };
}

const field = (report: string, name: string) => new RegExp(`^${name}: *(.*?)\\r?$`, 'mi').exec(report)?.[1];

async function postToGateway(body: Buffer, contentType: string, messageId: string, from = 'ACME') {
  const headers = {
    ...as2Headers({ from, to: 'OURCO', messageId, mdn: { mode: 'sync' }, mdnSigned: 'sha256' }),
    'Content-Type': contentType,
  };
  return post(`${gateway.base}/as2/OURCO`, headers, body);
}

async function takenIn(messageId: string): Promise<{ state: string; mic: string; source_name: string; bytes: Buffer }> {
  const { rows } = await db.query<{ state: string; mic: string; source_name: string; bytes: Buffer }>(
    `SELECT m.state, m.mic, f.source_name, f.bytes FROM ${db.schema}.as2_messages m JOIN ${db.schema}.files f ON f.id = m.file_id
     WHERE m.direction = 'in' AND m.message_id = $1`, [messageId]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('openssl sends to the gateway over HTTP', () => {
  it('signed then encrypted by openssl cms: taken in; openssl verifies the signed MDN, whose MIC is the digest of what openssl signed', async () => {
    const x12 = Buffer.from(order850('ACME', 'OURCO', ++control), 'latin1');
    const entityPath = dir.file('in.entity', Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="po-openssl.x12"\r\n\r\n'), x12]));
    const signedPath = dir.file('in.signed');
    openssl(['cms', '-sign', '-in', entityPath, '-signer', partner.certPath, '-inkey', partner.keyPath, '-md', 'sha256', '-binary', '-crlfeol', '-out', signedPath]);
    // Binary (DER) on the wire, as AS2 software sends it; the S/MIME headers become the HTTP Content-Type.
    const der = openssl(['cms', '-encrypt', '-in', signedPath, '-aes256', '-binary', '-outform', 'DER', '-recip', us.certPath]);
    const messageId = `<openssl-${randomBytes(6).toString('hex')}@acme.example>`;
    const answer = await postToGateway(der, 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m', messageId);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^multipart\/signed;/);

    const { report, signerPem } = verifyMdnWithOpenssl(answer.headers['content-type']!, answer.body, 'in');
    expect(signerPem.trim()).toBe(us.certPem.trim());
    expect(field(report, 'Original-Message-ID')).toBe(messageId);
    expect(field(report, 'Disposition')).toBe('automatic-action/MDN-sent-automatically; processed');
    expect(field(report, 'Received-Content-MIC')).toBe(`${base64Digest('sha256', entityPath)}, sha-256`);

    const row = await takenIn(messageId);
    expect(row).toMatchObject({ state: 'processed', source_name: 'po-openssl.x12', mic: base64Digest('sha256', entityPath) });
    expect(row.bytes.equals(x12)).toBe(true);
  });

  it('opaque signed data by openssl cms -nodetach (S/MIME base64, or binary DER), then encrypted: taken in, the MIC over the signed entity', async () => {
    for (const form of ['smime', 'der'] as const) {
      const x12 = Buffer.from(order850('ACME', 'OURCO', ++control), 'latin1');
      const entityPath = dir.file(`o-${form}.entity`, Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="po-opaque.x12"\r\n\r\n'), x12]));
      const sign = ['cms', '-sign', '-nodetach', '-in', entityPath, '-signer', partner.certPath, '-inkey', partner.keyPath, '-md', 'sha384', '-binary'];
      const signedPath = dir.file(`o-${form}.signed`);
      if (form === 'smime') {
        // openssl's S/MIME output: application/x-pkcs7-mime headers and a base64 body.
        openssl([...sign, '-out', signedPath]);
      } else {
        const der = openssl([...sign, '-outform', 'DER']);
        dir.file(`o-${form}.signed`, Buffer.concat([Buffer.from('Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\nContent-Transfer-Encoding: binary\r\n\r\n'), der]));
      }
      const body = openssl(['cms', '-encrypt', '-in', signedPath, '-aes256', '-binary', '-outform', 'DER', '-recip', us.certPath]);
      const contentType = 'application/pkcs7-mime; smime-type=enveloped-data';
      const messageId = `<opaque-${randomBytes(6).toString('hex')}@acme.example>`;
      const answer = await postToGateway(body, contentType, messageId);
      expect(answer.status).toBe(200);
      const { report } = verifyMdnWithOpenssl(answer.headers['content-type']!, answer.body, `o-${form}`);
      expect(field(report, 'Disposition')).toBe('automatic-action/MDN-sent-automatically; processed');
      expect(field(report, 'Received-Content-MIC')).toBe(`${base64Digest('sha256', entityPath)}, sha-256`);
      const row = await takenIn(messageId);
      expect(row).toMatchObject({ state: 'processed', source_name: 'po-opaque.x12', mic: base64Digest('sha256', entityPath) });
      expect(row.bytes.equals(x12)).toBe(true);
    }
  });

  it('compressed by hand (asn1js, RFC 3274), then signed and encrypted by openssl: taken in, the MIC over the compressed entity', async () => {
    const x12 = Buffer.from(order850('ACME', 'OURCO', ++control), 'latin1');
    const payloadEntity = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=po-zlib.x12\r\n\r\n'), x12]);
    const compressedEntity = Buffer.concat([
      Buffer.from('Content-Type: application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z\r\nContent-Transfer-Encoding: binary\r\n\r\n'),
      handMade(deflateSync(payloadEntity)),
    ]);
    const entityPath = dir.file('z.entity', compressedEntity);
    const signedPath = dir.file('z.signed');
    openssl(['cms', '-sign', '-in', entityPath, '-signer', partner.certPath, '-inkey', partner.keyPath, '-md', 'sha256', '-binary', '-out', signedPath]);
    const der = openssl(['cms', '-encrypt', '-in', signedPath, '-aes128', '-binary', '-outform', 'DER', '-recip', us.certPath]);
    const messageId = `<zlib-${randomBytes(6).toString('hex')}@acme.example>`;
    const answer = await postToGateway(der, 'application/pkcs7-mime; smime-type=enveloped-data', messageId);
    expect(answer.status).toBe(200);
    const { report } = verifyMdnWithOpenssl(answer.headers['content-type']!, answer.body, 'z');
    expect(field(report, 'Disposition')).toBe('automatic-action/MDN-sent-automatically; processed');
    expect(field(report, 'Received-Content-MIC')).toBe(`${base64Digest('sha256', entityPath)}, sha-256`);
    const row = await takenIn(messageId);
    expect(row.source_name).toBe('po-zlib.x12');
    expect(row.bytes.equals(x12)).toBe(true);
  });
});

/**
 * The partner's side, all openssl: decrypts, verifies our signature, takes the MIC of what it verified
 * (openssl dgst, with the digest the request names), and answers an MDN openssl signs.
 */
async function answerWithOpenssl(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const messageId = String(req.headers['message-id']);
  const tag = randomBytes(4).toString('hex');
  const bodyPath = dir.file(`out-${tag}.der`, Buffer.concat(chunks));
  // The algorithms as openssl reads them from the envelope.
  const cipher = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', bodyPath]).toString('latin1');
  const decrypted = openssl(['cms', '-decrypt', '-inform', 'DER', '-in', bodyPath, '-recip', partner.certPath, '-inkey', partner.keyPath, '-binary']);
  const signedPath = dir.file(`out-${tag}.signed`, decrypted);
  // No -binary when reading S/MIME: OpenSSL 3.0 then keeps the CR of the CRLF before the boundary.
  const verified = openssl(['cms', '-verify', '-CAfile', us.certPath, '-in', signedPath]);
  const verifiedPath = dir.file(`out-${tag}.content`, verified);
  const micalg = /signed-receipt-micalg=optional, ?([a-z0-9-]+)/i.exec(String(req.headers['disposition-notification-options']))?.[1] ?? 'sha-256';
  const digest = micalg.replace('-', '');
  const mic = base64Digest(digest, verifiedPath);
  const part = mime.parseEntity(verified);
  captured.set(messageId, { payload: part.body, mic, cipher });

  const boundary = `report-${tag}`;
  const report = [
    `Content-Type: multipart/report; report-type=disposition-notification; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain', '', 'Received by the openssl partner.', '',
    `--${boundary}`, 'Content-Type: message/disposition-notification', '',
    'Reporting-UA: openssl partner', `Original-Recipient: rfc822; ${String(req.headers['as2-to'])}`, `Final-Recipient: rfc822; ${String(req.headers['as2-to'])}`,
    `Original-Message-ID: ${messageId}`, 'Disposition: automatic-action/MDN-sent-automatically; processed', `Received-Content-MIC: ${mic}, ${micalg}`, '',
    `--${boundary}--`, '',
  ].join('\r\n');
  const reportPath = dir.file(`mdn-${tag}.report`, report);
  const signedMdn = mime.parseEntity(openssl(['cms', '-sign', '-in', reportPath, '-signer', partner.certPath, '-inkey', partner.keyPath, '-md', digest, '-crlfeol']));
  res.writeHead(200, {
    ...as2Headers({ from: String(req.headers['as2-to']), to: String(req.headers['as2-from']), messageId: `<mdn-${tag}@acme.example>` }),
    'Content-Type': signedMdn.headers.get('content-type')!,
  });
  res.end(signedMdn.body);
}

describe('the gateway sends to openssl over HTTP', { timeout: 60_000 }, () => {
  it.each([
    ['acme', 'sha256', /contentEncryptionAlgorithm: \s*algorithm: aes-256-cbc /],
    ['acmegcm', 'sha384', /contentEncryptionAlgorithm: \s*algorithm: aes-128-gcm /],
  ] as const)('%s: openssl decrypts and verifies it; the MIC openssl computes is the one recorded, and its openssl-signed MDN is accepted', async (code, digest, cipher) => {
    const x12 = order850('OURCO', code.toUpperCase(), ++control).replace(/\n/g, '\r\n');
    const queued = await queueOutbound(db, { partner: code, kind: '850', sourceKey: `test:openssl:${code}`, payload: x12 });
    const entry = await until('the entry to be delivered', async () =>
      (await db.query<{ state: string; reason: string | null }>(`SELECT state, reason FROM ${db.schema}.outbound WHERE id = $1`, [queued!.id])).rows[0]!,
    (e) => e.state !== 'ready' || (e.reason ?? '').includes('failed'), 30_000);
    expect(entry).toEqual({ state: 'sent', reason: null });
    const { rows } = await db.query<{ message_id: string; state: string; mic: string; mic_algorithm: string; mdn_disposition: string }>(
      `SELECT message_id, state, mic, mic_algorithm, mdn_disposition FROM ${db.schema}.as2_messages WHERE direction = 'out' AND outbound_id = $1`, [queued!.id]);
    expect(rows).toHaveLength(1);
    const sent = rows[0]!;
    const seen = captured.get(sent.message_id)!;
    expect(seen).toBeDefined();
    expect(seen.cipher).toMatch(cipher);
    expect(seen.payload.toString('latin1')).toBe(x12);
    expect(sent).toMatchObject({ state: 'delivered', mic: seen.mic, mic_algorithm: digest.replace('sha', 'sha-'), mdn_disposition: 'automatic-action/MDN-sent-automatically; processed' });
  });
});
