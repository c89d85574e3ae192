// PKCS#12 (RFC 7292) files as partners and OpenSSL make them: OpenSSL 3's default (PBES2 with
// PBKDF2 and AES-256-CBC, HMAC-SHA-256 MAC) and the legacy one (SHA-1 PKCS#12 PBE with 3DES for the
// key and RC2-40 for the certificates, HMAC-SHA-1 MAC). Node's crypto does all but RC2, which
// OpenSSL 3 keeps in its legacy provider (not loaded by Node); node-forge decrypts that.
import { X509Certificate, createDecipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, timingSafeEqual, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type * as asn1js from 'asn1js';
import { CmsError, asFormat } from './errors.js';
import { CIPHERS, OID, cipherOfOid, digestOfOid, type DigestAlgorithm } from './algorithms.js';
import { childrenOf, integerOf, isContext, octetsOf, oidOf, parseAlgorithm, parseDer } from './der.js';
import type { KeyPair } from './signed.js';

const P12 = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const;

/** PKCS#12 PBE schemes (RFC 7292 Appendix C): SHA-1 KDF, key and IV sizes, the cipher. */
const PKCS12_PBE: Readonly<Record<string, { keyBytes: number; cipher: '3des' | 'rc2'; rc2Bits?: number }>> = {
  '1.2.840.113549.1.12.1.3': { keyBytes: 24, cipher: '3des' },
  '1.2.840.113549.1.12.1.5': { keyBytes: 16, cipher: 'rc2', rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { keyBytes: 5, cipher: 'rc2', rc2Bits: 40 },
};

const HMAC_PRF: Readonly<Record<string, DigestAlgorithm>> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const BLOCK_BYTES: Readonly<Record<DigestAlgorithm, number>> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

/** The password as PKCS#12 KDFs take it: BMPString (UTF-16BE) with a terminating zero. */
function bmpPassword(password: string): Buffer {
  const le = Buffer.from(`${password}\0`, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

/** The PKCS#12 key derivation (RFC 7292 Appendix B.2); id 1 key, 2 IV, 3 MAC key. */
export function pkcs12Kdf(hash: DigestAlgorithm, password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const v = BLOCK_BYTES[hash];
  const repeatTo = (bytes: Uint8Array, size: number) => {
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = bytes[i % bytes.length]!;
    return out;
  };
  const pass = bmpPassword(password);
  const input = Buffer.concat([
    salt.length ? repeatTo(salt, v * Math.ceil(salt.length / v)) : Buffer.alloc(0),
    repeatTo(pass, v * Math.ceil(pass.length / v)),
  ]);
  const diversifier = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  for (let produced = 0; produced < length;) {
    let a = createHash(hash).update(diversifier).update(input).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    out.push(a);
    produced += a.length;
    // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block of I, B being A repeated to v bytes.
    const b = repeatTo(a, v);
    for (let j = 0; j < input.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = input[j + k]! + b[k]! + carry;
        input[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

const WRONG_PASSWORD = 'the PKCS#12 file cannot be decrypted: wrong password, or damaged';

function decipher(node: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  try {
    const d = createDecipheriv(node, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch (error) {
    throw new CmsError('key', WRONG_PASSWORD, {}, { cause: error });
  }
}

function rc2Decrypt(key: Buffer, iv: Buffer, bits: number, data: Uint8Array): Buffer {
  const cipher = forge.rc2.createDecryptionCipher(forge.util.createBuffer(key.toString('binary')), bits);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(Buffer.from(data).toString('binary')));
  if (!cipher.finish()) throw new CmsError('key', WRONG_PASSWORD);
  return Buffer.from(cipher.output.getBytes(), 'binary');
}

/** Decrypts data under a password-based encryption AlgorithmIdentifier (PBES2 or PKCS#12 PBE). */
function pbeDecrypt(alg: asn1js.AsnType | undefined, data: Uint8Array, password: string): Buffer {
  const { oid, params } = parseAlgorithm(alg, 'encryption algorithm');
  const legacy = PKCS12_PBE[oid];
  if (legacy) {
    const [salt, iterations] = childrenOf(params, 'PKCS#12 PBE parameters');
    const s = octetsOf(salt, 'PBE salt');
    const n = integerOf(iterations, 'PBE iterations');
    const key = pkcs12Kdf('sha1', password, s, 1, n, legacy.keyBytes);
    const iv = pkcs12Kdf('sha1', password, s, 2, n, 8);
    return legacy.cipher === '3des' ? decipher('des-ede3-cbc', key, iv, data) : rc2Decrypt(key, iv, legacy.rc2Bits!, data);
  }
  if (oid !== P12.pbes2) throw new CmsError('unsupported', `PKCS#12 encryption ${oid} is not supported (PBES2, SHA-1 3DES and RC2 are)`);
  const [kdf, scheme] = childrenOf(params, 'PBES2 parameters');
  const kdfAlg = parseAlgorithm(kdf, 'PBES2 key derivation');
  if (kdfAlg.oid !== P12.pbkdf2) throw new CmsError('unsupported', `PBES2 key derivation ${kdfAlg.oid} is not supported (PBKDF2 is)`);
  const [salt, iterations, ...rest] = childrenOf(kdfAlg.params, 'PBKDF2 parameters');
  const prfBlock = rest.find((r) => !(r.idBlock.tagClass === 1 && r.idBlock.tagNumber === 2)); // skip keyLength
  const prfOid = prfBlock ? parseAlgorithm(prfBlock, 'PBKDF2 PRF').oid : '1.2.840.113549.2.7';
  const prf = HMAC_PRF[prfOid];
  if (!prf) throw new CmsError('unsupported', `PBKDF2 PRF ${prfOid} is not supported`);
  const schemeAlg = parseAlgorithm(scheme, 'PBES2 encryption scheme');
  const spec = CIPHERS[cipherOfOid(schemeAlg.oid)];
  if (spec.aead) throw new CmsError('unsupported', 'PBES2 with GCM is not supported');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), octetsOf(salt, 'PBKDF2 salt'), integerOf(iterations, 'PBKDF2 iterations'), spec.keyBytes, prf);
  return decipher(spec.node, key, octetsOf(schemeAlg.params, 'PBES2 IV'), data);
}

/** Checks the MAC over the AuthenticatedSafe (RFC 7292 section 4): the password is right and nothing changed. */
function checkMac(macData: asn1js.AsnType | undefined, authSafe: Uint8Array, password: string): void {
  if (macData === undefined) return; // public-key integrity mode or none: nothing to check with a password
  const [digestInfo, salt, iterations] = childrenOf(macData, 'MacData');
  const [alg, expected] = childrenOf(digestInfo, 'MAC DigestInfo');
  const hash = digestOfOid(parseAlgorithm(alg, 'MAC digest').oid);
  const key = pkcs12Kdf(hash, password, octetsOf(salt, 'MAC salt'), 3, iterations ? integerOf(iterations, 'MAC iterations') : 1, createHash(hash).digest().length);
  const mac = createHmac(hash, key).update(authSafe).digest();
  const want = octetsOf(expected, 'MAC');
  if (mac.length !== want.length || !timingSafeEqual(mac, want)) throw new CmsError('key', 'the PKCS#12 password is wrong (its MAC does not verify), or the file is damaged');
}

interface Bags {
  keys: KeyObject[];
  certificates: X509Certificate[];
}

function readSafeContents(der: Uint8Array, password: string, into: Bags): void {
  for (const bag of childrenOf(parseDer(der, 'PKCS#12 SafeContents'), 'SafeContents')) {
    const [id, value] = childrenOf(bag, 'SafeBag');
    const bagId = oidOf(id, 'SafeBag type');
    if (!isContext(value, 0)) throw new CmsError('format', 'a PKCS#12 SafeBag has no value');
    const inner = childrenOf(value, 'SafeBag value')[0];
    if (bagId === P12.keyBag || bagId === P12.shroudedKeyBag) {
      let pkcs8: Buffer = Buffer.from(inner!.valueBeforeDecodeView);
      if (bagId === P12.shroudedKeyBag) {
        const [alg, encrypted] = childrenOf(inner, 'EncryptedPrivateKeyInfo');
        pkcs8 = pbeDecrypt(alg, octetsOf(encrypted, 'encrypted key'), password);
      }
      into.keys.push(toPrivateKey(pkcs8));
    } else if (bagId === P12.certBag) {
      const [certType, certValue] = childrenOf(inner, 'CertBag');
      if (oidOf(certType, 'certificate type') !== P12.x509Certificate) continue; // SDSI certificates: none in practice
      into.certificates.push(new X509Certificate(Buffer.from(octetsOf(childrenOf(certValue, 'certificate value')[0], 'certificate'))));
    }
    // CRL, secret and nested bags carry nothing AS2 needs.
  }
}

function toPrivateKey(pkcs8: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new CmsError('key', WRONG_PASSWORD, {}, { cause: error });
  }
}

function readPfx(bytes: Uint8Array, password: string): Bags {
  const [version, authSafe, macData] = childrenOf(parseDer(bytes, 'PKCS#12 file'), 'PFX');
  if (integerOf(version, 'PFX version') !== 3) throw new CmsError('unsupported', 'the PKCS#12 file is not version 3');
  const [type, content] = childrenOf(authSafe, 'PFX authSafe');
  if (oidOf(type, 'authSafe type') !== OID.data) throw new CmsError('unsupported', 'PKCS#12 files signed with a public key are not supported (password-protected ones are)');
  const safe = octetsOf(childrenOf(content, 'authSafe content')[0], 'authSafe content');
  checkMac(macData, safe, password);
  const bags: Bags = { keys: [], certificates: [] };
  for (const info of childrenOf(parseDer(safe, 'PKCS#12 AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [infoType, wrapped] = childrenOf(info, 'AuthenticatedSafe ContentInfo');
    const inner = childrenOf(wrapped, 'AuthenticatedSafe content')[0];
    const contentType = oidOf(infoType, 'AuthenticatedSafe content type');
    if (contentType === OID.data) readSafeContents(octetsOf(inner, 'SafeContents'), password, bags);
    else if (contentType === OID.encryptedData) {
      const [, encryptedContentInfo] = childrenOf(inner, 'EncryptedData');
      const [, alg, encrypted] = childrenOf(encryptedContentInfo, 'EncryptedContentInfo');
      readSafeContents(pbeDecrypt(alg, octetsOf(encrypted, 'encrypted SafeContents'), password), password, bags);
    } else throw new CmsError('unsupported', `PKCS#12 content ${contentType} is not supported`);
  }
  return bags;
}

/** The key pair (the certificate that belongs to the one private key) and the other certificates. */
export function loadPkcs12(bytes: Uint8Array, password: string): { keyPair: KeyPair; chain: X509Certificate[] } {
  const bags = asFormat('the PKCS#12 file', () => readPfx(bytes, password), 'key');
  if (bags.keys.length !== 1) throw new CmsError('key', `the PKCS#12 file holds ${bags.keys.length} private keys, not one`);
  const privateKey = bags.keys[0]!;
  const certificate = bags.certificates.find((c) => c.checkPrivateKey(privateKey));
  if (!certificate) throw new CmsError('key', 'the PKCS#12 file holds no certificate for its private key');
  return { keyPair: { certificate, privateKey }, chain: bags.certificates.filter((c) => c !== certificate) };
}
