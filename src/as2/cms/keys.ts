// Reading certificates and private keys from the files a partner configuration names: PEM (one or
// several) or DER. Errors say what was wrong with the file, never its content.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { CmsError } from './errors.js';
import { describeCertificate } from './identity.js';
import type { KeyPair } from './signed.js';

const PEM_CERTIFICATE = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 4096)).toString('latin1').includes('-----BEGIN ');
}

/** Every certificate of a PEM file (in order), or the one of a DER file. */
export function loadCertificates(bytes: Uint8Array): X509Certificate[] {
  if (!looksLikePem(bytes)) {
    try {
      return [new X509Certificate(Buffer.from(bytes))];
    } catch (error) {
      throw new CmsError('key', 'the file is neither PEM nor a DER X.509 certificate', {}, { cause: error });
    }
  }
  const blocks = Buffer.from(bytes).toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new CmsError('key', 'the PEM file holds no CERTIFICATE block');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new CmsError('key', `certificate ${i + 1} of the PEM file cannot be read`, {}, { cause: error });
    }
  });
}

/** Node's error codes for the two key problems a person can fix (not catalog codes). */
const NODE_ERROR = { missingPassphrase: 'ERR_MISSING_PASSPHRASE', badDecrypt: 'ERR_OSSL_BAD_DECRYPT' } as const;
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/;

/** Why Node refused a key, in words that carry nothing of the key. */
function keyProblem(error: unknown, bytes: Uint8Array, passphrase: string | undefined): string {
  const code = (error as { code?: unknown }).code;
  const encrypted = code === NODE_ERROR.missingPassphrase || ENCRYPTED_PEM.test(Buffer.from(bytes.subarray(0, 4096)).toString('latin1'));
  if (encrypted && passphrase === undefined) return 'the key is encrypted and no passphrase was given';
  if (passphrase !== undefined && code === NODE_ERROR.badDecrypt) return 'the passphrase is wrong';
  return 'it is not a PKCS#1 or PKCS#8 private key';
}

/** A private key from PEM (PKCS#1, PKCS#8, encrypted PKCS#8) or DER (PKCS#8, PKCS#1). */
export function loadPrivateKey(bytes: Uint8Array, passphrase?: string): KeyObject {
  const key = Buffer.from(bytes);
  const attempts = looksLikePem(bytes)
    ? [{ key, format: 'pem' as const }]
    : [{ key, format: 'der' as const, type: 'pkcs8' as const }, { key, format: 'der' as const, type: 'pkcs1' as const }];
  let last: unknown;
  for (const attempt of attempts) {
    try {
      return createPrivateKey(passphrase === undefined ? attempt : { ...attempt, passphrase });
    } catch (error) {
      last = error;
    }
  }
  // The cause is Node's error: its message names the failing step, never key bytes.
  throw new CmsError('key', `the private key cannot be read: ${keyProblem(last, bytes, passphrase)}`, {}, { cause: last });
}

/** Throws when the private key does not belong to the certificate. */
export function checkKeyPair(pair: KeyPair): void {
  if (pair.privateKey.type !== 'private') throw new CmsError('key', 'the key given as private key is a public key');
  if (!pair.certificate.checkPrivateKey(pair.privateKey)) {
    throw new CmsError('key', `the private key does not belong to the certificate ${describeCertificate(pair.certificate)}`);
  }
}
