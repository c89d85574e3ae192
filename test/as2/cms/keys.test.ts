import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CmsError, checkKeyPair, decrypt, encrypt, loadCertificates, loadPkcs12, loadPrivateKey, sign, verify } from '../../../src/as2/cms/index.js';
import { pkcs12Kdf } from '../../../src/as2/cms/pkcs12.js';
import { makeIdentity, openssl, opensslReport, tempDir, type TempDir, type TestIdentity } from './openssl.js';
import { thrown } from '../thrown.js';

let dir: TempDir;
let us: TestIdentity;
let ca: TestIdentity;
const PASSWORD = 'p12 pässword';

beforeAll(() => {
  dir = tempDir();
  us = makeIdentity(dir, 'us');
  ca = makeIdentity(dir, 'ca', { subject: '/CN=Test CA' });
});
afterAll(() => dir.remove());

const caught = (run: () => unknown): CmsError => thrown(CmsError, run);

/** openssl pkcs12 -export of our key and certificate (and the CA certificate as chain). */
function p12(name: string, extra: string[]): Buffer {
  const out = dir.file(`${name}.p12`);
  openssl(['pkcs12', '-export', '-in', us.certPath, '-inkey', us.keyPath, '-certfile', ca.certPath, '-out', out, '-passout', `pass:${PASSWORD}`, ...extra]);
  return readFileSync(out);
}

/** The p12 cannot be exported with -legacy when OpenSSL lacks its legacy provider: 3DES everywhere then. */
function legacyP12(): Buffer {
  try {
    return p12('legacy', ['-legacy']);
  } catch {
    return p12('legacy', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
  }
}

describe('loadCertificates', () => {
  it('reads one or several PEM certificates in order, and DER', () => {
    const both = loadCertificates(Buffer.from(`${us.certPem}\n${ca.certPem}`));
    expect(both.map((c) => c.fingerprint256)).toEqual([us.pair.certificate.fingerprint256, ca.pair.certificate.fingerprint256]);
    const der = openssl(['x509', '-in', us.certPath, '-outform', 'DER']);
    expect(loadCertificates(der)[0]!.fingerprint256).toBe(us.pair.certificate.fingerprint256);
  });

  it('says what is wrong with a file that holds no certificate', () => {
    expect(caught(() => loadCertificates(Buffer.from(us.keyPem))).message).toBe('the PEM file holds no CERTIFICATE block');
    expect(caught(() => loadCertificates(Buffer.from([1, 2, 3]))).message).toBe('the file is neither PEM nor a DER X.509 certificate');
    const broken = us.certPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n');
    const error = caught(() => loadCertificates(Buffer.from(`${ca.certPem}${broken}`)));
    expect([error.code, error.message]).toEqual(['AS2_KEY_UNUSABLE', 'certificate 2 of the PEM file cannot be read']);
  });
});

describe('loadPrivateKey', () => {
  it('reads PKCS#8 PEM, PKCS#1 PEM, encrypted PKCS#8 PEM and DER, all the same key', () => {
    const pkcs1 = openssl(['pkey', '-in', us.keyPath, '-traditional']);
    expect(pkcs1.toString()).toContain('BEGIN RSA PRIVATE KEY');
    const encrypted = openssl(['pkey', '-in', us.keyPath, '-aes256', '-passout', 'pass:secret']);
    const der = openssl(['pkey', '-in', us.keyPath, '-outform', 'DER']);
    const forms = [loadPrivateKey(Buffer.from(us.keyPem)), loadPrivateKey(pkcs1), loadPrivateKey(encrypted, 'secret'), loadPrivateKey(der)];
    for (const key of forms) expect(() => checkKeyPair({ certificate: us.pair.certificate, privateKey: key })).not.toThrow();
  });

  it('says why a key cannot be read, without the key', () => {
    const encrypted = openssl(['pkey', '-in', us.keyPath, '-aes256', '-passout', 'pass:secret']);
    const missing = caught(() => loadPrivateKey(encrypted));
    expect([missing.code, missing.message]).toEqual(['AS2_KEY_UNUSABLE', 'the private key cannot be read: the key is encrypted and no passphrase was given']);
    const wrong = caught(() => loadPrivateKey(encrypted, 'guess'));
    expect(wrong.message).toBe('the private key cannot be read: the passphrase is wrong');
    const garbage = caught(() => loadPrivateKey(Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')));
    expect(garbage.message).toBe('the private key cannot be read: it is not a PKCS#1 or PKCS#8 private key');
    for (const error of [missing, wrong, garbage]) expect(JSON.stringify(error.details)).toBe('{}');
  });
});

describe('checkKeyPair', () => {
  it('throws, naming the certificate, when the key belongs to another one', () => {
    const error = caught(() => checkKeyPair({ certificate: us.pair.certificate, privateKey: ca.pair.privateKey }));
    expect(error.code).toBe('AS2_KEY_UNUSABLE');
    expect(error.message).toBe(`the private key does not belong to the certificate "CN=us, O=AS2 test" serial ${us.pair.certificate.serialNumber}`);
    expect(() => checkKeyPair(us.pair)).not.toThrow();
  });
});

describe('loadPkcs12', () => {
  it('reads an OpenSSL 3 default file (PBES2 AES-256-CBC, SHA-256 MAC) into a working key pair and chain', () => {
    const file = p12('default', []);
    const info = opensslReport(['pkcs12', '-in', dir.file('default.p12'), '-info', '-noout', '-passin', `pass:${PASSWORD}`]);
    expect(info).toContain('MAC: sha256');
    expect(info).toContain('PBES2, PBKDF2, AES-256-CBC');
    const { keyPair, chain } = loadPkcs12(file, PASSWORD);
    expect(keyPair.certificate.fingerprint256).toBe(us.pair.certificate.fingerprint256);
    expect(chain.map((c) => c.fingerprint256)).toEqual([ca.pair.certificate.fingerprint256]);
    // The key works: what it signs verifies, what is encrypted to its certificate it decrypts.
    expect(verify(Buffer.from('x'), sign(Buffer.from('x'), keyPair, 'sha256'), [us.pair.certificate]).digest).toBe('sha256');
    const der = encrypt(Buffer.from('secret'), us.pair.certificate, { cipher: 'aes128-gcm', keyTransport: 'rsa-pkcs1' });
    expect(Buffer.from(decrypt(der, keyPair).content).toString()).toBe('secret');
  });

  it('reads a legacy file (SHA-1 PBE with 3DES and RC2-40, SHA-1 MAC)', () => {
    const file = legacyP12();
    const info = opensslReport(['pkcs12', '-in', dir.file('legacy.p12'), '-info', '-noout', '-passin', `pass:${PASSWORD}`, '-legacy']);
    expect(info).toContain('MAC: sha1');
    expect(info).toMatch(/pbeWithSHA1And(40BitRC2-CBC|3-KeyTripleDES-CBC)/);
    const { keyPair, chain } = loadPkcs12(file, PASSWORD);
    expect(keyPair.certificate.fingerprint256).toBe(us.pair.certificate.fingerprint256);
    expect(() => checkKeyPair({ certificate: us.pair.certificate, privateKey: keyPair.privateKey })).not.toThrow();
    expect(chain).toHaveLength(1);
  });

  it('reads files without a MAC, with a SHA-512 MAC and an unencrypted certificate bag', () => {
    for (const extra of [['-nomac'], ['-macalg', 'sha512', '-certpbe', 'NONE']]) {
      expect(loadPkcs12(p12('variant', extra), PASSWORD).keyPair.certificate.fingerprint256).toBe(us.pair.certificate.fingerprint256);
    }
  });

  it('refuses a wrong password with AS2_KEY_UNUSABLE, for both kinds', () => {
    for (const file of [p12('default', []), legacyP12()]) {
      const error = caught(() => loadPkcs12(file, 'wrong'));
      expect(error.code).toBe('AS2_KEY_UNUSABLE');
      expect(error.message).toMatch(/password is wrong/);
      expect(error.message).not.toContain('wrong\'');
    }
    // Without a MAC the wrong password shows in the decryption instead.
    expect(caught(() => loadPkcs12(p12('nomac', ['-nomac']), 'wrong')).code).toBe('AS2_KEY_UNUSABLE');
  });

  it('refuses a damaged or foreign file with AS2_KEY_UNUSABLE or AS2_CMS_MALFORMED', () => {
    const file = p12('default', []);
    expect(caught(() => loadPkcs12(file.subarray(0, 500), PASSWORD)).code).toBe('AS2_CMS_MALFORMED');
    expect(caught(() => loadPkcs12(Buffer.from(us.certPem), PASSWORD)).code).toBe('AS2_CMS_MALFORMED');
  });

  it('derives keys with the PKCS#12 KDF as RFC 7292 Appendix B specifies (checked against the openssl kdf command)', () => {
    const salt = Buffer.from('0a58cf64530d823f', 'hex');
    for (const [id, length] of [[1, 24], [2, 8], [3, 20]] as const) {
      // openssl's PKCS12KDF takes the password already as BMPString with its terminating zero.
      const bmp = Buffer.from('\0s\0m\0e\0g\0\0', 'latin1').toString('hex');
      const theirs = openssl(['kdf', '-keylen', String(length), '-kdfopt', 'digest:SHA1', '-kdfopt', `hexpass:${bmp}`, '-kdfopt', `hexsalt:${salt.toString('hex')}`,
        '-kdfopt', 'iter:1', '-kdfopt', `id:${id}`, 'PKCS12KDF']).toString().trim().replace(/:/g, '').toLowerCase();
      expect(pkcs12Kdf('sha1', 'smeg', salt, id, 1, length).toString('hex')).toBe(theirs);
    }
  });
});
