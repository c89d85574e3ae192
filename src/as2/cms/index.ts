// The CMS/S-MIME crypto core of built-in AS2: sign/verify, encrypt/decrypt, compress/decompress,
// and reading keys and certificates. Protocol only: no I/O, no configuration.
export type { DigestAlgorithm, ContentCipher, KeyTransport } from './algorithms.js';
export { digest } from './algorithms.js';
export { CmsError, type CmsErrorKind } from './errors.js';
export { contentTypeOf, type CmsContentType } from './der.js';
export { sign, verify, verifyEncapsulated, type KeyPair } from './signed.js';
export { encrypt, decrypt } from './enveloped.js';
export { compress, decompress, DEFAULT_MAX_DECOMPRESSED_BYTES } from './compressed.js';
export { loadCertificates, loadPrivateKey, checkKeyPair } from './keys.js';
export { loadPkcs12 } from './pkcs12.js';
export { describeCertificate } from './identity.js';
