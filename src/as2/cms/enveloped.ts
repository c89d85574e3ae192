// CMS EnvelopedData (RFC 5652 section 6) for AES-CBC and 3DES, AuthEnvelopedData (RFC 5083/5084) for
// AES-GCM, with RSA key transport (PKCS#1 v1.5 or OAEP, RFC 3560). Node's crypto does the work but
// PKCS#1 v1.5 unwrapping (./rsa-pkcs1.ts).
import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CmsError, asFormat } from './errors.js';
import { CIPHERS, OID, cipherOfOid, digestOfOid, digestOid, type ContentCipher, type KeyTransport } from './algorithms.js';
import { algorithm, buildContentInfo, childrenOf, integerOf, isContext, octetsOf, oidOf, parseAlgorithm, parseContentInfo } from './der.js';
import { describeCertificate, describeIdentifier, identifies, issuerAndSerial, parseIdentifier, type Identifier } from './identity.js';
import { decryptPkcs1v15 } from './rsa-pkcs1.js';
import type { KeyPair } from './signed.js';

const GCM_TAG_BYTES = 16;
const OAEP_HASH: Readonly<Record<Exclude<KeyTransport, 'rsa-pkcs1'>, 'sha1' | 'sha256'>> = { 'rsa-oaep': 'sha1', 'rsa-oaep-sha256': 'sha256' };

function keyTransportAlgorithm(transport: KeyTransport): asn1js.Sequence {
  if (transport === 'rsa-pkcs1') return algorithm(OID.rsaEncryption, null);
  if (transport === 'rsa-oaep') return algorithm(OID.rsaesOaep, new asn1js.Sequence({ value: [] })); // all defaults: SHA-1, MGF1-SHA-1
  const sha256 = () => algorithm(digestOid('sha256'), null);
  return algorithm(OID.rsaesOaep, new asn1js.Sequence({
    value: [
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [sha256()] }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: [algorithm(OID.mgf1, sha256())] }),
    ],
  }));
}

function wrapKey(key: Uint8Array, recipient: X509Certificate, transport: KeyTransport): Uint8Array {
  if (recipient.publicKey.asymmetricKeyType !== 'rsa') throw new CmsError('unsupported', `the recipient certificate ${describeCertificate(recipient)} has no RSA key`);
  if (transport === 'rsa-pkcs1') return publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
  if (!Object.hasOwn(OAEP_HASH, transport)) throw new CmsError('unsupported', `key transport ${String(transport)} is not supported`);
  return publicEncrypt({ key: recipient.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[transport] }, key);
}

export function encrypt(content: Uint8Array, recipient: X509Certificate, options: { cipher: ContentCipher; keyTransport: KeyTransport }): Uint8Array {
  if (!Object.hasOwn(CIPHERS, options.cipher)) throw new CmsError('unsupported', `content cipher ${String(options.cipher)} is not supported`);
  const spec = CIPHERS[options.cipher];
  const key = randomBytes(spec.keyBytes);
  const iv = randomBytes(spec.ivBytes);
  const recipientInfo = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      issuerAndSerial(recipient),
      keyTransportAlgorithm(options.keyTransport),
      new asn1js.OctetString({ valueHex: wrapKey(key, recipient, options.keyTransport) }),
    ],
  });
  const cipher = spec.aead
    ? createCipheriv(spec.node as 'aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES })
    : createCipheriv(spec.node, key, iv);
  const encrypted = Buffer.concat([cipher.update(content), cipher.final()]);
  const params = spec.aead
    ? new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: iv }), new asn1js.Integer({ value: GCM_TAG_BYTES })] })
    : new asn1js.OctetString({ valueHex: iv });
  const encryptedContentInfo = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: OID.data }),
      algorithm(spec.oid, params),
      new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: encrypted }),
    ],
  });
  const fields: asn1js.AsnType[] = [new asn1js.Integer({ value: 0 }), new asn1js.Set({ value: [recipientInfo] }), encryptedContentInfo];
  if (!spec.aead) return buildContentInfo(OID.envelopedData, new asn1js.Sequence({ value: fields }));
  const tag = (cipher as ReturnType<typeof createCipheriv> & { getAuthTag(): Buffer }).getAuthTag();
  fields.push(new asn1js.OctetString({ valueHex: tag }));
  return buildContentInfo(OID.authEnvelopedData, new asn1js.Sequence({ value: fields }));
}

interface KeyTransRecipient {
  rid: Identifier;
  transport: KeyTransport;
  oaepLabel: Uint8Array | undefined;
  encryptedKey: Uint8Array;
}

interface Envelope {
  recipients: KeyTransRecipient[];
  cipher: ContentCipher;
  iv: Uint8Array;
  encrypted: Uint8Array;
  /** AuthEnvelopedData: the tag and the authenticated attributes' DER (the AAD). */
  mac: Uint8Array | undefined;
  aad: Uint8Array | undefined;
  tagLength: number;
}

/** RSAES-OAEP-params (RFC 4055 section 4.1): the key transport it names, and a label if any. */
function oaepOf(params: asn1js.AsnType | undefined): { transport: KeyTransport; label: Uint8Array | undefined } {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let label: Uint8Array | undefined;
  for (const field of params ? childrenOf(params, 'RSAES-OAEP parameters') : []) {
    const inner = childrenOf(field, 'RSAES-OAEP parameter')[0];
    if (isContext(field, 0)) hash = digestOfOid(parseAlgorithm(inner, 'OAEP hash').oid);
    else if (isContext(field, 1)) {
      const mgf = parseAlgorithm(inner, 'OAEP mask generation');
      if (mgf.oid !== OID.mgf1) throw new CmsError('unsupported', `OAEP mask generation ${mgf.oid} is not supported (MGF1 is)`);
      mgfHash = digestOfOid(parseAlgorithm(mgf.params, 'MGF1 hash').oid);
    } else if (isContext(field, 2)) {
      const source = parseAlgorithm(inner, 'OAEP label source');
      if (source.oid !== OID.pSpecified) throw new CmsError('unsupported', `OAEP label source ${source.oid} is not supported`);
      label = source.params ? octetsOf(source.params, 'OAEP label') : undefined;
    }
  }
  // Node uses one hash for OAEP and its MGF1.
  if (hash !== mgfHash) throw new CmsError('unsupported', `RSA-OAEP with hash ${hash} and MGF1 ${mgfHash} is not supported`);
  if (hash === 'sha1') return { transport: 'rsa-oaep', label };
  if (hash === 'sha256') return { transport: 'rsa-oaep-sha256', label };
  throw new CmsError('unsupported', `RSA-OAEP with ${hash} is not supported (SHA-1 and SHA-256 are)`);
}

function parseRecipients(block: asn1js.AsnType | undefined): KeyTransRecipient[] {
  const found: KeyTransRecipient[] = [];
  for (const info of childrenOf(block, 'RecipientInfos')) {
    if (info.idBlock.tagClass !== 1) continue; // kari, kekri, pwri, ori: not for an RSA certificate
    const [version, rid, alg, encryptedKey] = childrenOf(info, 'KeyTransRecipientInfo');
    integerOf(version, 'KeyTransRecipientInfo version');
    const keyAlg = parseAlgorithm(alg, 'key encryption algorithm');
    let transport: KeyTransport;
    let oaepLabel: Uint8Array | undefined;
    if (keyAlg.oid === OID.rsaEncryption) transport = 'rsa-pkcs1';
    else if (keyAlg.oid === OID.rsaesOaep) ({ transport, label: oaepLabel } = oaepOf(keyAlg.params));
    else throw new CmsError('unsupported', `key encryption algorithm ${keyAlg.oid} is not supported (RSA PKCS#1 v1.5 and RSA-OAEP are)`);
    found.push({ rid: parseIdentifier(rid, 'recipient identifier'), transport, oaepLabel, encryptedKey: octetsOf(encryptedKey, 'encrypted key') });
  }
  return found;
}

function parseEnvelope(der: Uint8Array): Envelope {
  const info = parseContentInfo(der);
  const auth = info.contentType === OID.authEnvelopedData;
  if (!auth && info.contentType !== OID.envelopedData) throw new CmsError('format', `the content is CMS ${info.contentType}, not EnvelopedData or AuthEnvelopedData`);
  const fields = childrenOf(info.content, auth ? 'AuthEnvelopedData' : 'EnvelopedData');
  integerOf(fields[0], 'version');
  const at = isContext(fields[1], 0) ? 2 : 1; // [0] originatorInfo
  const recipients = parseRecipients(fields[at]);
  const [contentType, alg, encryptedContent] = childrenOf(fields[at + 1], 'EncryptedContentInfo');
  oidOf(contentType, 'encrypted content type');
  if (!isContext(encryptedContent, 0)) throw new CmsError('format', 'the encrypted content is missing (detached content is not supported)');
  const encrypted = octetsOf(encryptedContent, 'encrypted content');
  const cipherAlg = parseAlgorithm(alg, 'content encryption algorithm');
  const cipher = cipherOfOid(cipherAlg.oid);
  if (CIPHERS[cipher].aead !== auth) throw new CmsError('format', `${cipher} does not belong in ${auth ? 'AuthEnvelopedData' : 'EnvelopedData'}`);
  if (!auth) return { recipients, cipher, iv: octetsOf(cipherAlg.params, 'IV'), encrypted, mac: undefined, aad: undefined, tagLength: 0 };
  const [nonce, icvLen] = childrenOf(cipherAlg.params, 'GCM parameters');
  let next = at + 2;
  let aad: Uint8Array | undefined;
  if (isContext(fields[next], 1)) {
    aad = new Uint8Array(fields[next]!.valueBeforeDecodeView);
    aad[0] = 0x31; // the AAD is authAttrs encoded with the SET OF tag (RFC 5083 section 2.2)
    next++;
  }
  return {
    recipients, cipher, iv: octetsOf(nonce, 'GCM nonce'), encrypted, aad,
    mac: octetsOf(fields[next], 'MAC'),
    tagLength: icvLen === undefined ? 12 : integerOf(icvLen, 'GCM tag length'),
  };
}

const CANNOT_DECRYPT = 'the message cannot be decrypted with our private key (wrong key, or damaged)';

/**
 * The content-encryption key, or a random one of the right length when it cannot be unwrapped.
 * RFC 3218 section 2.3.2: a padding failure must not be told apart from a wrong key, so the content is
 * decrypted either way and both end in the same failure, after it.
 */
function unwrapKey(recipient: KeyTransRecipient, pair: KeyPair, keyBytes: number): { key: Uint8Array; unwrapped: boolean } {
  const fallback = randomBytes(keyBytes);
  let key: Uint8Array | undefined;
  if (recipient.transport === 'rsa-pkcs1') key = decryptPkcs1v15(pair.privateKey, recipient.encryptedKey);
  else {
    try {
      key = privateDecrypt({
        key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[recipient.transport],
        ...(recipient.oaepLabel ? { oaepLabel: recipient.oaepLabel } : {}),
      }, recipient.encryptedKey);
    } catch {
      key = undefined;
    }
  }
  const unwrapped = key !== undefined && key.byteLength === keyBytes;
  return { key: unwrapped ? key! : fallback, unwrapped };
}

/** The plaintext, or undefined when the cipher refuses (CBC padding, GCM tag). */
function decryptContent(envelope: Envelope, key: Uint8Array): Uint8Array | undefined {
  const spec = CIPHERS[envelope.cipher];
  try {
    if (!spec.aead) {
      const decipher = createDecipheriv(spec.node, key, envelope.iv);
      return new Uint8Array(Buffer.concat([decipher.update(envelope.encrypted), decipher.final()]));
    }
    const decipher = createDecipheriv(spec.node as 'aes-256-gcm', key, envelope.iv, { authTagLength: envelope.tagLength });
    decipher.setAuthTag(envelope.mac!);
    if (envelope.aad) decipher.setAAD(envelope.aad);
    return new Uint8Array(Buffer.concat([decipher.update(envelope.encrypted), decipher.final()]));
  } catch {
    return undefined;
  }
}

export function decrypt(der: Uint8Array, recipient: KeyPair): { content: Uint8Array; cipher: ContentCipher; keyTransport: KeyTransport } {
  const envelope = asFormat('CMS EnvelopedData', () => parseEnvelope(der));
  const spec = CIPHERS[envelope.cipher];
  if (envelope.iv.byteLength !== spec.ivBytes && !spec.aead) throw new CmsError('format', `the ${envelope.cipher} IV has ${envelope.iv.byteLength} bytes, not ${spec.ivBytes}`);
  if (spec.aead && (envelope.tagLength < 12 || envelope.tagLength > 16 || envelope.mac?.byteLength !== envelope.tagLength)) {
    throw new CmsError('format', `the GCM tag has ${envelope.mac?.byteLength ?? 0} bytes, its parameters say ${envelope.tagLength}`);
  }
  const mine = envelope.recipients.find((r) => identifies(r.rid, recipient.certificate));
  if (!mine) {
    const named = envelope.recipients.map((r) => describeIdentifier(r.rid)).join('; ') || 'no RSA recipient';
    throw new CmsError('decrypt', `the message is encrypted for ${named}, not for our certificate ${describeCertificate(recipient.certificate)}`);
  }
  if (recipient.privateKey.asymmetricKeyType !== 'rsa') throw new CmsError('key', 'our decryption key is not an RSA key');
  const { key, unwrapped } = unwrapKey(mine, recipient, spec.keyBytes);
  const content = decryptContent(envelope, key);
  // One failure, raised only after the content decryption, whatever went wrong.
  if (!unwrapped || content === undefined) throw new CmsError('decrypt', CANNOT_DECRYPT, { cipher: envelope.cipher });
  return { content, cipher: envelope.cipher, keyTransport: mine.transport };
}
