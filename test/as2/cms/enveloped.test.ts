import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import { CmsError, contentTypeOf, decrypt, encrypt, type ContentCipher, type KeyTransport } from '../../../src/as2/cms/index.js';
import { flipBit, makeIdentity, openssl, tempDir, type TempDir, type TestIdentity } from './openssl.js';
import { thrown } from '../thrown.js';

const CIPHERS: ContentCipher[] = ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes192-gcm', 'aes256-gcm', '3des'];
const TRANSPORTS: KeyTransport[] = ['rsa-pkcs1', 'rsa-oaep', 'rsa-oaep-sha256'];
const MATRIX = CIPHERS.flatMap((cipher) => TRANSPORTS.map((keyTransport) => ({ cipher, keyTransport })));

let dir: TempDir;
let us: TestIdentity;
let other: TestIdentity;
const content = Buffer.concat([Buffer.from('ISA*00*...~GS*PO~ST*850*0001~\r\n'), randomBytes(5000)]);

beforeAll(() => {
  dir = tempDir();
  us = makeIdentity(dir, 'us');
  other = makeIdentity(dir, 'other', { subject: '/CN=Someone Else' });
});
afterAll(() => dir.remove());

const caught = (run: () => unknown): CmsError => thrown(CmsError, run);

const OPENSSL_CIPHER: Record<string, string> = { 'aes256-cbc': '-aes256', 'aes128-gcm': '-aes-128-gcm', 'aes256-gcm': '-aes-256-gcm', '3des': '-des3', 'aes128-cbc': '-aes128' };
const OPENSSL_TRANSPORT: Record<KeyTransport, string[]> = {
  'rsa-pkcs1': [],
  'rsa-oaep': ['-keyopt', 'rsa_padding_mode:oaep'],
  'rsa-oaep-sha256': ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha256'],
};

/** openssl cms -encrypt for our certificate, as DER. */
function opensslEncrypt(cipher: string, transport: KeyTransport, bytes: Uint8Array = content): Buffer {
  const data = dir.file('plain.bin', bytes);
  const out = dir.file('openssl-enc.der');
  openssl(['cms', '-encrypt', '-binary', OPENSSL_CIPHER[cipher]!, '-in', data, '-outform', 'DER', '-out', out, '-recip', us.certPath, ...OPENSSL_TRANSPORT[transport]]);
  return readFileSync(out);
}

describe('encrypt and decrypt', () => {
  it.each(MATRIX)('round-trips $cipher with $keyTransport', ({ cipher, keyTransport }) => {
    const der = encrypt(content, us.pair.certificate, { cipher, keyTransport });
    expect(contentTypeOf(der)).toBe(cipher.endsWith('gcm') ? 'auth-enveloped' : 'enveloped');
    expect(Buffer.from(der).includes(content.subarray(40, 80))).toBe(false);
    const result = decrypt(der, us.pair);
    expect(Buffer.from(result.content).equals(content)).toBe(true);
    expect(result).toMatchObject({ cipher, keyTransport });
  });

  it('round-trips empty content and content of exactly one block', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.alloc(16, 7)]) {
      expect(Buffer.from(decrypt(encrypt(bytes, us.pair.certificate, { cipher: 'aes128-cbc', keyTransport: 'rsa-pkcs1' }), us.pair).content).equals(bytes)).toBe(true);
    }
  });

  it.each(MATRIX)('makes $cipher with $keyTransport that openssl cms decrypts', ({ cipher, keyTransport }) => {
    const der = dir.file('ours-enc.der', encrypt(content, us.pair.certificate, { cipher, keyTransport }));
    const out = openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', der, '-recip', us.certPath, '-inkey', us.keyPath]);
    expect(out.equals(content)).toBe(true);
  });

  it.each(Object.keys(OPENSSL_CIPHER).flatMap((cipher) => TRANSPORTS.map((keyTransport) => ({ cipher, keyTransport }))))(
    'decrypts openssl cms -encrypt with $cipher and $keyTransport', ({ cipher, keyTransport }) => {
      const result = decrypt(opensslEncrypt(cipher, keyTransport), us.pair);
      expect(Buffer.from(result.content).equals(content)).toBe(true);
      expect(result).toEqual({ content: result.content, cipher, keyTransport });
    },
  );

  it('finds our recipient among several, and by subject key identifier (openssl -keyid)', () => {
    const data = dir.file('plain-multi.bin', content);
    const out = dir.file('openssl-multi.der');
    openssl(['cms', '-encrypt', '-binary', '-aes256', '-in', data, '-outform', 'DER', '-out', out, '-recip', other.certPath, '-recip', us.certPath]);
    expect(Buffer.from(decrypt(readFileSync(out), us.pair).content).equals(content)).toBe(true);
    openssl(['cms', '-encrypt', '-binary', '-aes-128-gcm', '-keyid', '-in', data, '-outform', 'DER', '-out', out, '-recip', us.certPath]);
    expect(Buffer.from(decrypt(readFileSync(out), us.pair).content).equals(content)).toBe(true);
  });

  it('fails for a message encrypted to another certificate, naming it and ours', () => {
    const der = encrypt(content, other.pair.certificate, { cipher: 'aes256-cbc', keyTransport: 'rsa-pkcs1' });
    const error = caught(() => decrypt(der, us.pair));
    expect(error.code).toBe('AS2_DECRYPT_FAILED');
    expect(error.message).toContain('Someone Else');
    expect(error.message).toContain(`not for our certificate "CN=us, O=AS2 test" serial ${us.pair.certificate.serialNumber}`);
  });

  describe('one uniform failure when the key cannot be unwrapped (RFC 3218 section 2.3.2)', () => {
    // Our certificate with another private key: the recipient matches, the RSA decryption is wrong.
    const wrongKey = () => ({ certificate: us.pair.certificate, privateKey: other.pair.privateKey });

    function corrupted(der: Uint8Array): Buffer {
      // Flip a bit in the encryptedKey: the first OCTET STRING of 256 bytes (the RSA block).
      const at = Buffer.from(der).indexOf(Buffer.from([0x04, 0x82, 0x01, 0x00]));
      expect(at).toBeGreaterThan(0);
      return flipBit(der, at + 4 + 17);
    }

    it.each(CIPHERS)('%s: a wrong key, a corrupted v1.5 block and a corrupted OAEP block fail alike', (cipher) => {
      const v15 = encrypt(content, us.pair.certificate, { cipher, keyTransport: 'rsa-pkcs1' });
      const oaep = encrypt(content, us.pair.certificate, { cipher, keyTransport: 'rsa-oaep' });
      const failures = [
        caught(() => decrypt(v15, wrongKey())),
        caught(() => decrypt(corrupted(v15), us.pair)),
        caught(() => decrypt(corrupted(oaep), us.pair)),
        caught(() => decrypt(oaep, wrongKey())),
      ];
      for (const error of failures) {
        expect(error.code).toBe('AS2_DECRYPT_FAILED');
        expect(error.message).toBe(failures[0]!.message);
        expect(error.details).toEqual({ cipher });
      }
      expect(failures[0]!.message).toMatch(/cannot be decrypted with our private key/);
    });

    it('a v1.5 block that unwraps to a key of the wrong length fails the same way', () => {
      // openssl encrypts a 16-byte AES-128 key; relabel the content cipher as AES-256-CBC (same IV size).
      const der = Buffer.from(opensslEncrypt('aes128-cbc', 'rsa-pkcs1'));
      const aes128 = Buffer.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02]);
      const at = der.indexOf(aes128);
      expect(at).toBeGreaterThan(0);
      der[at + aes128.length - 1] = 0x2a; // aes256-CBC
      const wrongLength = caught(() => decrypt(der, us.pair));
      const wrongKeyError = caught(() => decrypt(encrypt(content, us.pair.certificate, { cipher: 'aes256-cbc', keyTransport: 'rsa-pkcs1' }), wrongKey()));
      expect([wrongLength.code, wrongLength.message]).toEqual([wrongKeyError.code, wrongKeyError.message]);
      expect(wrongLength.details).toEqual(wrongKeyError.details);
    });
  });

  it('fails on a changed GCM ciphertext or tag', () => {
    const der = encrypt(content, us.pair.certificate, { cipher: 'aes256-gcm', keyTransport: 'rsa-oaep' });
    const lastByteOfContent = der.length - 16 - 2 - 1; // before the MAC OCTET STRING (tag 04, length 16, 16 bytes)
    expect(caught(() => decrypt(flipBit(der, lastByteOfContent), us.pair)).code).toBe('AS2_DECRYPT_FAILED');
    expect(caught(() => decrypt(flipBit(der, der.length - 1), us.pair)).code).toBe('AS2_DECRYPT_FAILED');
    expect(Buffer.from(decrypt(der, us.pair).content).equals(content)).toBe(true);
  });

  it('fails on truncated DER with AS2_CMS_MALFORMED', () => {
    const der = encrypt(content, us.pair.certificate, { cipher: 'aes128-cbc', keyTransport: 'rsa-pkcs1' });
    for (const cut of [10, 300, der.length - 1]) {
      const error = caught(() => decrypt(der.subarray(0, cut), us.pair));
      expect(error.code).toBe('AS2_CMS_MALFORMED');
    }
  });

  it('refuses an algorithm it does not support, naming it (AS2_ALGORITHM_UNSUPPORTED)', () => {
    // AES-128-CBC relabelled as AES-128-CFB (2.16.840.1.101.3.4.1.4), an OID of the same length.
    const der = Buffer.from(encrypt(content, us.pair.certificate, { cipher: 'aes128-cbc', keyTransport: 'rsa-pkcs1' }));
    const aes = new asn1js.ObjectIdentifier({ value: '2.16.840.1.101.3.4.1.2' }).toBER();
    const cfb = new asn1js.ObjectIdentifier({ value: '2.16.840.1.101.3.4.1.4' }).toBER();
    expect(aes.byteLength).toBe(cfb.byteLength);
    Buffer.from(cfb).copy(der, der.indexOf(Buffer.from(aes)));
    const error = caught(() => decrypt(der, us.pair));
    expect(error.code).toBe('AS2_ALGORITHM_UNSUPPORTED');
    expect(error.message).toContain('2.16.840.1.101.3.4.1.4');
  });

  it('refuses to decrypt a SignedData or garbage as an envelope', () => {
    expect(caught(() => decrypt(Buffer.from('hello'), us.pair)).code).toBe('AS2_CMS_MALFORMED');
  });
});
