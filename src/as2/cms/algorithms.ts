// Object identifiers and the algorithm tables of the CMS layer: which names of our API stand for
// which OIDs, key and IV sizes, and Node's cipher names. One place, so encrypt and decrypt agree.
import { createHash } from 'node:crypto';
import { CmsError } from './errors.js';

export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type ContentCipher = 'aes128-cbc' | 'aes192-cbc' | 'aes256-cbc' | 'aes128-gcm' | 'aes192-gcm' | 'aes256-gcm' | '3des';
export type KeyTransport = 'rsa-pkcs1' | 'rsa-oaep' | 'rsa-oaep-sha256';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  compressedData: '1.2.840.113549.1.9.16.1.9',
  zlib: '1.2.840.113549.1.9.16.3.8',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  pSpecified: '1.2.840.113549.1.1.9',
  rsassaPss: '1.2.840.113549.1.1.10',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

export const DIGEST_OIDS: Readonly<Record<DigestAlgorithm, string>> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

/** sha*WithRSAEncryption: some senders name the hash in the signature algorithm rather than rsaEncryption. */
const RSA_WITH_DIGEST_OIDS: Readonly<Record<string, DigestAlgorithm>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

export interface CipherSpec {
  oid: string;
  /** Node's cipher name. */
  node: string;
  keyBytes: number;
  /** IV (CBC) or nonce (GCM) length. */
  ivBytes: number;
  aead: boolean;
}

export const CIPHERS: Readonly<Record<ContentCipher, CipherSpec>> = {
  'aes128-cbc': { oid: '2.16.840.1.101.3.4.1.2', node: 'aes-128-cbc', keyBytes: 16, ivBytes: 16, aead: false },
  'aes192-cbc': { oid: '2.16.840.1.101.3.4.1.22', node: 'aes-192-cbc', keyBytes: 24, ivBytes: 16, aead: false },
  'aes256-cbc': { oid: '2.16.840.1.101.3.4.1.42', node: 'aes-256-cbc', keyBytes: 32, ivBytes: 16, aead: false },
  // RFC 5084 recommends a 12-byte nonce for GCM.
  'aes128-gcm': { oid: '2.16.840.1.101.3.4.1.6', node: 'aes-128-gcm', keyBytes: 16, ivBytes: 12, aead: true },
  'aes192-gcm': { oid: '2.16.840.1.101.3.4.1.26', node: 'aes-192-gcm', keyBytes: 24, ivBytes: 12, aead: true },
  'aes256-gcm': { oid: '2.16.840.1.101.3.4.1.46', node: 'aes-256-gcm', keyBytes: 32, ivBytes: 12, aead: true },
  '3des': { oid: '1.2.840.113549.3.7', node: 'des-ede3-cbc', keyBytes: 24, ivBytes: 8, aead: false },
};

export function digestOfOid(oid: string): DigestAlgorithm {
  for (const [name, known] of Object.entries(DIGEST_OIDS)) if (known === oid) return name as DigestAlgorithm;
  throw new CmsError('unsupported', `digest algorithm ${oid} is not supported (sha1, sha256, sha384, sha512 are)`);
}

/** The digest a sha*WithRSAEncryption OID names, undefined for any other OID. */
export function digestOfRsaSignatureOid(oid: string): DigestAlgorithm | undefined {
  return RSA_WITH_DIGEST_OIDS[oid];
}

export function cipherOfOid(oid: string): ContentCipher {
  for (const [name, spec] of Object.entries(CIPHERS)) if (spec.oid === oid) return name as ContentCipher;
  throw new CmsError('unsupported', `content encryption algorithm ${oid} is not supported (AES-CBC, AES-GCM and 3DES are)`);
}

export function digestOid(algorithm: DigestAlgorithm): string {
  if (!Object.hasOwn(DIGEST_OIDS, algorithm)) throw new CmsError('unsupported', `digest algorithm ${String(algorithm)} is not supported`);
  return DIGEST_OIDS[algorithm];
}

export function digest(algorithm: DigestAlgorithm, bytes: Uint8Array): Uint8Array {
  digestOid(algorithm);
  return new Uint8Array(createHash(algorithm).update(bytes).digest());
}
