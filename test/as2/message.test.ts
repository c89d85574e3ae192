import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { compress, sign, type ContentCipher, type DigestAlgorithm, type KeyTransport } from '../../src/as2/cms/index.js';
import { As2MessageError, isAs2MessageError, type DispositionModifier } from '../../src/as2/disposition.js';
import { packMessage, unpackMessage, type UnpackOptions } from '../../src/as2/message.js';
import { buildSigned } from '../../src/as2/signed-part.js';
import { canonicalizeLineEnds, encodeBase64Lines, formatParameterized, joinMultipart, makeEntity, parseEntity } from '../../src/as2/mime/index.js';
import { makeIdentity, openssl, tempDir } from './cms/openssl.js';

const dir = tempDir('as2-message-');
afterAll(() => dir.remove());
const us = makeIdentity(dir, 'us');
const partner = makeIdentity(dir, 'partner');
const stranger = makeIdentity(dir, 'stranger');

const X12 = Buffer.from('ISA*00*          *00*          *ZZ*PARTNER        *ZZ*US             *261207*2216*U*00401*000000001*0*P*>~\nGS*PO*P*U*20261207*2216*1*X*004010~\n', 'latin1');
const DIGESTS: DigestAlgorithm[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const CIPHERS: ContentCipher[] = ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes192-gcm', 'aes256-gcm', '3des'];
const TRANSPORTS: KeyTransport[] = ['rsa-pkcs1', 'rsa-oaep', 'rsa-oaep-sha256'];

/** What the partner receiving from us is configured with. */
const atPartner: UnpackOptions = { ourKeys: [partner.pair], partnerCertificates: [us.pair.certificate] };

const sha = (alg: string, bytes: Uint8Array) => createHash(alg).update(bytes).digest('base64');

function failure(fn: () => unknown): As2MessageError {
  try {
    fn();
  } catch (e) {
    expect(isAs2MessageError(e), String(e)).toBe(true);
    return e as As2MessageError;
  }
  throw new Error('expected an As2MessageError');
}

function expectFailure(fn: () => unknown, modifier: DispositionModifier, code: string): As2MessageError {
  const e = failure(fn);
  expect({ modifier: e.modifier, code: e.code }).toEqual({ modifier, code });
  expect(e.details['modifier']).toBe(modifier);
  return e;
}

describe('pack and unpack round trips', () => {
  it.each(CIPHERS)('signed (each digest), encrypted with %s (each key transport), compressed or not', (cipher) => {
    for (const keyTransport of TRANSPORTS) {
      for (const [i, digest] of DIGESTS.entries()) {
        for (const compress of [false, true]) {
          const packed = packMessage(X12, {
            fileName: `po-${i}.x12`, compress, sign: { keyPair: us.pair, digest },
            encrypt: { certificate: partner.pair.certificate, cipher, keyTransport },
          });
          expect(packed.contentType).toBe('application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m');
          const got = unpackMessage(packed.contentType, packed.body, { ...atPartner, requireSigned: true, requireEncrypted: true });
          const label = `${cipher} ${keyTransport} ${digest} ${compress}`;
          expect(got.payload.equals(X12), label).toBe(true);
          expect({ fileName: got.fileName, type: got.payloadType, compressed: got.compressed, digest: got.signed?.digest, encrypted: got.encrypted }, label)
            .toEqual({ fileName: `po-${i}.x12`, type: 'application/edi-x12', compressed: compress, digest, encrypted: { cipher, keyTransport } });
          expect(got.signed?.signer.fingerprint256).toBe(us.pair.certificate.fingerprint256);
          expect(got.mic, label).toEqual(packed.mic);
        }
      }
    }
  });

  it('plain: the MIC covers the content only, without MIME headers', () => {
    const packed = packMessage(X12, { fileName: 'a.x12' });
    expect(packed.contentType).toBe('application/edi-x12');
    expect(Buffer.from(packed.body).equals(X12)).toBe(true);
    expect(packed.mic).toEqual({ algorithm: 'sha-256', value: sha('sha256', X12) });
    const got = unpackMessage(packed.contentType, packed.body, atPartner);
    expect(got.payload.equals(X12)).toBe(true);
    expect(got.mic).toEqual(packed.mic);
    expect(got).not.toHaveProperty('signed');
    expect(got).not.toHaveProperty('encrypted');
  });

  it('encrypted, unsigned: the MIC covers the decrypted entity, headers included', () => {
    const packed = packMessage(X12, { payloadType: 'application/EDI-X12', micAlgorithm: 'sha1', encrypt: { certificate: partner.pair.certificate, cipher: 'aes128-cbc', keyTransport: 'rsa-oaep' } });
    const entity = Buffer.concat([Buffer.from('Content-Type: application/EDI-X12\r\nContent-Transfer-Encoding: binary\r\n\r\n'), X12]);
    expect(packed.mic).toEqual({ algorithm: 'sha1', value: sha('sha1', entity) });
    const got = unpackMessage(packed.contentType, packed.body, { ...atPartner, micAlgorithms: ['sha1'] });
    expect(got.payloadType).toBe('application/edi-x12');
    expect(got.mic).toEqual(packed.mic);
  });

  it('signed: the MIC covers the signed part, headers included; signed-receipt-micalg picks its digest', () => {
    const packed = packMessage(X12, { fileName: 'b.x12', sign: { keyPair: us.pair, digest: 'sha256' } });
    expect(packed.contentType).toMatch(/^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256; boundary="----=_Part_[0-9a-f]{24}"$/);
    const entity = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename=b.x12\r\n\r\n'), X12]);
    expect(packed.mic).toEqual({ algorithm: 'sha-256', value: sha('sha256', entity) });
    const got = unpackMessage(packed.contentType, packed.body, { ...atPartner, micAlgorithms: ['md5', 'SHA-512', 'sha1'] });
    expect(got.mic).toEqual({ algorithm: 'sha-512', value: sha('sha512', entity) });
  });

  it('signed with one digest, the MIC asked for with another: both sides use the one asked for', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha512' }, micAlgorithm: 'sha1' });
    expect(packed.mic.algorithm).toBe('sha1');
    const got = unpackMessage(packed.contentType, packed.body, { ...atPartner, micAlgorithms: ['sha1'] });
    expect(got.signed?.digest).toBe('sha512');
    expect(got.mic).toEqual(packed.mic);
  });

  it('compression after signing: the MIC covers the signed (uncompressed) part', () => {
    const payload = makeEntity({ 'Content-Type': 'application/edi-x12' }, X12);
    const signed = buildSigned(payload, { keyPair: us.pair, digest: 'sha384' });
    const der = compress(signed.raw);
    const got = unpackMessage('application/pkcs7-mime; smime-type=compressed-data', der, { ...atPartner, requireSigned: true });
    expect(got.payload.equals(X12)).toBe(true);
    expect(got.compressed).toBe(true);
    expect(got.mic).toEqual({ algorithm: 'sha-384', value: sha('sha384', payload.raw) });
  });

  it('compression before signing: the MIC covers the compressed entity the signature covers', () => {
    const packed = packMessage(X12, { compress: true, sign: { keyPair: us.pair, digest: 'sha256' } });
    const got = unpackMessage(packed.contentType, packed.body, atPartner);
    expect(got.compressed).toBe(true);
    expect(got.mic).toEqual(packed.mic);
    // Not the MIC of the payload entity: the compressed one was signed.
    expect(got.mic.value).not.toBe(sha('sha256', makeEntity({ 'Content-Type': 'application/edi-x12', 'Content-Transfer-Encoding': 'binary' }, X12).raw));
  });

  it('verifies a partner that signed the canonical form but sent bare LFs; the MIC is over the canonical bytes', () => {
    const lfEntity = Buffer.from('Content-Type: application/edi-x12\n\nline one\nline two\n');
    const canonical = canonicalizeLineEnds(lfEntity);
    const signature = sign(canonical, us.pair, 'sha256');
    const sigPart = makeEntity({ 'Content-Type': 'application/pkcs7-signature', 'Content-Transfer-Encoding': 'base64' }, encodeBase64Lines(signature));
    const body = joinMultipart([lfEntity, sigPart.raw], 'BOUND');
    const got = unpackMessage(formatParameterized('multipart/signed', { protocol: 'application/pkcs7-signature', micalg: 'sha-256', boundary: 'BOUND' }), body, atPartner);
    expect(got.payload.toString()).toBe('line one\r\nline two\r\n');
    expect(got.mic).toEqual({ algorithm: 'sha-256', value: sha('sha256', canonical) });
  });

  it('reads a base64 body the sender declared in an HTTP Content-Transfer-Encoding, and one it did not', () => {
    const packed = packMessage(X12, { encrypt: { certificate: partner.pair.certificate, cipher: 'aes256-gcm', keyTransport: 'rsa-oaep-sha256' } });
    const b64 = encodeBase64Lines(packed.body);
    expect(unpackMessage(packed.contentType, b64, { ...atPartner, contentTransferEncoding: 'base64' }).payload.equals(X12)).toBe(true);
    expect(unpackMessage(packed.contentType, b64, atPartner).payload.equals(X12)).toBe(true);
  });

  it('keeps only the last segment of a file name with a path', () => {
    const packed = packMessage(X12, { fileName: '../../etc/passwd', encrypt: { certificate: partner.pair.certificate, cipher: 'aes128-cbc', keyTransport: 'rsa-oaep' } });
    expect(unpackMessage(packed.contentType, packed.body, atPartner).fileName).toBe('passwd');
  });
});

describe('unpack failures carry the MDN disposition modifier', () => {
  const encryptedForStranger = () => packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha256' }, encrypt: { certificate: stranger.pair.certificate, cipher: 'aes256-cbc', keyTransport: 'rsa-pkcs1' } });

  it('encrypted for another certificate: decryption-failed; our second key (a renewal) opens it', () => {
    const packed = encryptedForStranger();
    expectFailure(() => unpackMessage(packed.contentType, packed.body, atPartner), 'decryption-failed', 'AS2_DECRYPT_FAILED');
    expectFailure(() => unpackMessage(packed.contentType, packed.body, { ...atPartner, ourKeys: [] }), 'decryption-failed', 'AS2_DECRYPT_FAILED');
    const got = unpackMessage(packed.contentType, packed.body, { ...atPartner, ourKeys: [partner.pair, stranger.pair] });
    expect(got.payload.equals(X12)).toBe(true);
  });

  it('signed by a certificate we do not know: authentication-failed', () => {
    const packed = packMessage(X12, { sign: { keyPair: stranger.pair, digest: 'sha256' } });
    expectFailure(() => unpackMessage(packed.contentType, packed.body, atPartner), 'authentication-failed', 'AS2_SIGNER_UNEXPECTED');
  });

  it('content changed after signing: integrity-check-failed', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha256' } });
    const tampered = Buffer.from(packed.body);
    const at = tampered.indexOf('PARTNER');
    tampered[at] = 'Q'.charCodeAt(0);
    expectFailure(() => unpackMessage(packed.contentType, tampered, atPartner), 'integrity-check-failed', 'AS2_SIGNATURE_INVALID');
  });

  it('a damaged signature: authentication-failed', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha256' } });
    const text = Buffer.from(packed.body).toString('latin1');
    const broken = text.replace(/(smime\.p7s\r\n\r\n)([A-Za-z0-9+/]{8})/, '$1AAAAAAAA');
    expect(broken).not.toBe(text);
    const e = failure(() => unpackMessage(packed.contentType, Buffer.from(broken, 'latin1'), atPartner));
    expect(e.modifier).toBe('authentication-failed');
  });

  it('compressed content that does not inflate, or inflates too far: decompression-failed', () => {
    const der = Buffer.from(compress(Buffer.alloc(100_000, 0x41)));
    expectFailure(() => unpackMessage('application/pkcs7-mime; smime-type=compressed-data', der, { ...atPartner, maxDecompressedBytes: 1000 }), 'decompression-failed', 'AS2_DECOMPRESS_FAILED');
    const damaged = Buffer.from(der);
    damaged.fill(0xee, damaged.length - 20);
    expect(failure(() => unpackMessage('application/pkcs7-mime; smime-type=compressed-data', damaged, atPartner)).modifier).toBe('decompression-failed');
  });

  it('unsigned or unencrypted where the partner file requires it', () => {
    const plain = packMessage(X12);
    expectFailure(() => unpackMessage(plain.contentType, plain.body, { ...atPartner, requireEncrypted: true }), 'insufficient-message-security', 'AS2_SECURITY_INSUFFICIENT');
    const e = expectFailure(() => unpackMessage(plain.contentType, plain.body, { ...atPartner, requireSigned: true }), 'authentication-failed', 'AS2_SECURITY_INSUFFICIENT');
    expect(e.details['missing']).toBe('signature');
  });

  it('broken MIME inside a layer: unexpected-processing-error naming the offset', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha256' } });
    const cut = Buffer.from(packed.body).subarray(0, 200);
    const e = expectFailure(() => unpackMessage(packed.contentType, cut, atPartner), 'unexpected-processing-error', 'AS2_MIME_MALFORMED');
    expect(e.message).toContain('no closing boundary');
    expect(e.details['offset']).toBe(200);
    expectFailure(() => unpackMessage('multipart/signed; protocol="application/pkcs7-signature"', packed.body, atPartner), 'unexpected-processing-error', 'AS2_MIME_MALFORMED');
  });

  it('opaque signed data (openssl cms -nodetach): the content, its signer and the MIC over the signed entity; tampered, a stranger\'s or without content refused', () => {
    const entity = makeEntity({ 'Content-Type': 'application/edi-x12', 'Content-Disposition': 'attachment; filename=opaque.x12' }, X12).raw;
    const entityPath = dir.file('opaque.entity', entity);
    const opaque = (who: typeof us) => openssl(['cms', '-sign', '-nodetach', '-binary', '-in', entityPath, '-signer', who.certPath, '-inkey', who.keyPath, '-md', 'sha512', '-outform', 'DER']);
    const der = opaque(us);
    const got = unpackMessage('application/pkcs7-mime; smime-type=signed-data', der, { ...atPartner, requireSigned: true, micAlgorithms: ['sha-256'] });
    expect(got.payload.equals(X12)).toBe(true);
    expect({ fileName: got.fileName, digest: got.signed?.digest, signer: got.signed?.signer.fingerprint256 }).toEqual({ fileName: 'opaque.x12', digest: 'sha512', signer: us.pair.certificate.fingerprint256 });
    expect(got.mic).toEqual({ algorithm: 'sha-256', value: sha('sha256', entity) });
    // One byte of the carried content changed: its digest no longer matches the signed one.
    const tampered = Buffer.from(der);
    const at = tampered.indexOf(Buffer.from('GS*PO'));
    tampered[at + 3] = 'X'.charCodeAt(0);
    expectFailure(() => unpackMessage('application/pkcs7-mime; smime-type=signed-data', tampered, atPartner), 'integrity-check-failed', 'AS2_SIGNATURE_INVALID');
    const e = expectFailure(() => unpackMessage('application/pkcs7-mime; smime-type=signed-data', opaque(stranger), atPartner), 'authentication-failed', 'AS2_SIGNER_UNEXPECTED');
    expect(e.message).toContain('CN=stranger');
    // A detached signature sent as if it carried its content: a signature that authenticates nothing, as a damaged one.
    const detached = failure(() => unpackMessage('application/pkcs7-mime; smime-type=signed-data', sign(X12, us.pair, 'sha256'), atPartner));
    expect(detached.message).toContain('carries no content');
    expect({ modifier: detached.modifier, code: detached.code }).toEqual({ modifier: 'authentication-failed', code: 'AS2_CMS_MALFORMED' });
  });

  it('endless nesting is not processed', () => {
    let der: Uint8Array = X12;
    for (let i = 0; i < 6; i++) der = compress(makeEntity({ 'Content-Type': 'application/pkcs7-mime; smime-type=compressed-data' }, der).raw);
    expectFailure(() => unpackMessage('application/pkcs7-mime; smime-type=compressed-data', der, atPartner), 'unexpected-processing-error', 'AS2_MESSAGE_UNEXPECTED');
  });
});

describe('helpers the round trips rely on', () => {
  it('parses what it packs: the signed entity is a multipart/signed with two parts', () => {
    const packed = packMessage(X12, { sign: { keyPair: us.pair, digest: 'sha1' } });
    const entity = parseEntity(Buffer.concat([Buffer.from(`Content-Type: ${packed.contentType}\r\n\r\n`), packed.body]));
    expect(entity.headers.get('content-type')).toContain('micalg=sha1');
  });
});
