// Interop with the openssl CLI, an independent S/MIME implementation: what it signs and encrypts
// we unpack, what we pack it decrypts and verifies, and both sides agree on the MIC.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContentCipher, KeyTransport } from '../../src/as2/cms/index.js';
import { packMessage, unpackMessage } from '../../src/as2/message.js';
import { decodedBody, parseContentType, parseEntity, splitMultipart } from '../../src/as2/mime/index.js';
import { makeIdentity, openssl, tempDir } from './cms/openssl.js';

const dir = tempDir('as2-interop-');
afterAll(() => dir.remove());
const us = makeIdentity(dir, 'us');
const partner = makeIdentity(dir, 'partner');

// CRLF line ends: openssl's S/MIME reader turns a bare LF of a multipart/signed part into CRLF
// (OpenSSL 3.0), so binary content with LFs is checked below with a detached signature instead.
const X12 = Buffer.from('ISA*00*          *00*          *ZZ*PARTNER        *ZZ*US             *261207*2216*U*00401*000000001*0*P*>~\r\nGS*PO*P*U*20261207*2216*1*X*004010~\r\nSE*2*0001~\r\n', 'latin1');
const X12_LF = Buffer.from(X12.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

describe('openssl signs and encrypts, we unpack', () => {
  const cases: [string, string[], ContentCipher, KeyTransport, Buffer][] = [
    ['-aes256', [], 'aes256-cbc', 'rsa-pkcs1', X12],
    ['-aes128', ['-keyopt', 'rsa_padding_mode:oaep'], 'aes128-cbc', 'rsa-oaep', X12],
    ['-aes-256-gcm', [], 'aes256-gcm', 'rsa-pkcs1', X12],
    ['-des3', [], '3des', 'rsa-pkcs1', X12],
    ['-aes192', [], 'aes192-cbc', 'rsa-pkcs1', X12_LF], // -binary signing keeps bare LFs as they are
  ];
  it.each(cases)('openssl cms -sign -md sha256, then -encrypt %s', (cipherFlag, keyopt, cipher, keyTransport, payload) => {
    const entity = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename="po 1.x12"\r\n\r\n'), payload]);
    const entityPath = dir.file(`in-${cipher}.txt`, entity);
    const signedPath = dir.file(`signed-${cipher}.msg`);
    openssl(['cms', '-sign', '-in', entityPath, '-signer', partner.certPath, '-inkey', partner.keyPath, '-md', 'sha256', '-binary', '-crlfeol', '-out', signedPath]);
    const encrypted = openssl(['cms', '-encrypt', '-in', signedPath, cipherFlag, '-binary', '-crlfeol', '-recip', us.certPath, ...keyopt]);
    // What arrives over HTTP: the S/MIME headers become HTTP headers, the rest is the body.
    const wire = parseEntity(encrypted);
    const got = unpackMessage(wire.headers.get('content-type')!, wire.body, {
      ourKeys: [us.pair], partnerCertificates: [partner.pair.certificate],
      contentTransferEncoding: wire.headers.get('content-transfer-encoding')!, requireSigned: true, requireEncrypted: true,
    });
    expect(got.payload.equals(payload)).toBe(true);
    expect(got.fileName).toBe('po 1.x12');
    expect(got.signed?.digest).toBe('sha256');
    expect(got.encrypted).toEqual({ cipher, keyTransport });
    expect(got.mic).toEqual({ algorithm: 'sha-256', value: sha256(entity) });
  });
});

describe('we pack, openssl decrypts and verifies', () => {
  const cases: [ContentCipher, KeyTransport][] = [
    ['aes128-cbc', 'rsa-pkcs1'], ['aes192-cbc', 'rsa-oaep'], ['aes256-cbc', 'rsa-oaep-sha256'],
    ['aes128-gcm', 'rsa-oaep'], ['aes256-gcm', 'rsa-pkcs1'], ['3des', 'rsa-oaep'],
  ];
  it.each(cases)('signed sha256, encrypted %s with %s', (cipher, keyTransport) => {
    const packed = packMessage(X12, { fileName: 'po.x12', sign: { keyPair: us.pair, digest: 'sha256' }, encrypt: { certificate: partner.pair.certificate, cipher, keyTransport } });
    const derPath = dir.file(`out-${cipher}.der`, packed.body);
    const decrypted = openssl(['cms', '-decrypt', '-inform', 'DER', '-in', derPath, '-recip', partner.certPath, '-inkey', partner.keyPath, '-binary']);
    expect(decrypted.toString('latin1')).toMatch(/^Content-Type: multipart\/signed; /);
    const signedPath = dir.file(`dec-${cipher}.msg`, decrypted);
    const signerPath = dir.file(`signer-${cipher}.pem`);
    // No -binary when reading S/MIME: OpenSSL 3.0 then keeps the CR of the CRLF before the boundary.
    const verified = openssl(['cms', '-verify', '-noverify', '-certfile', us.certPath, '-in', signedPath, '-signer', signerPath]);
    expect(readFileSync(signerPath, 'utf8').trim()).toBe(us.certPem.trim());
    const part = parseEntity(verified);
    expect(part.body.equals(X12)).toBe(true);
    expect(part.headers.get('content-disposition')).toBe('attachment; filename=po.x12');
    // The MIC we expect back is the digest of exactly what openssl verified.
    expect(packed.mic).toEqual({ algorithm: 'sha-256', value: sha256(verified) });
  });

  it('binary content with bare LFs: openssl verifies the detached signature over the first part as we sent it', () => {
    const packed = packMessage(X12_LF, { sign: { keyPair: us.pair, digest: 'sha384' } });
    const [first, second] = splitMultipart(packed.body, parseContentType(packed.contentType).params['boundary']);
    const content = openssl(['cms', '-verify', '-noverify', '-certfile', us.certPath, '-inform', 'DER', '-in', dir.file('lf.p7s', decodedBody(second!)), '-content', dir.file('lf.part', first!.raw), '-binary']);
    expect(content.equals(first!.raw)).toBe(true);
    expect(first!.body.equals(X12_LF)).toBe(true);
    expect(packed.mic).toEqual({ algorithm: 'sha-384', value: createHash('sha384').update(content).digest('base64') });
  });

  it('a signature openssl rejects when the content is changed (it really checks our signature)', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha512' } });
    const text = `Content-Type: ${packed.contentType}\r\n\r\n${Buffer.from(packed.body).toString('latin1')}`;
    expect(openssl(['cms', '-verify', '-noverify', '-certfile', us.certPath, '-in', dir.file('ok.msg', Buffer.from(text, 'latin1'))]).equals(Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: binary\r\n\r\n'), X12]))).toBe(true);
    const tampered = Buffer.from(text.replace('GS*PO', 'GS*IN'), 'latin1');
    expect(() => openssl(['cms', '-verify', '-noverify', '-certfile', us.certPath, '-in', dir.file('bad.msg', tampered)])).toThrow();
  });
});
