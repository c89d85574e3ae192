// AS2 messages (RFC 4130 section 5, RFC 5402): packing a payload into its MIME entity, then compressed,
// signed and encrypted as asked, with the MIC the partner's MDN must return; and unpacking a
// received one, peeling the layers in whatever order the partner nested them.
import type { X509Certificate } from 'node:crypto';
import {
  compress, contentTypeOf as cmsContentTypeOf, decompress, decrypt, encrypt, verifyEncapsulated,
  type ContentCipher, type DigestAlgorithm, type KeyPair, type KeyTransport,
} from './cms/index.js';
import { As2MessageError, type DispositionModifier } from './disposition.js';
import { computeMic, firstSupported, type Mic } from './mic.js';
import { buildSigned, verifySigned, type Signing } from './signed-part.js';
import {
  MimeError, contentTypeOf, decodeBase64, decodedBody, formatParameterized, makeEntity, parseContentDisposition,
  parseEntity, type MimeEntity,
} from './mime/index.js';

export interface PackOptions {
  fileName?: string;
  /** Content-Type of the payload; default application/edi-x12. */
  payloadType?: string;
  compress?: boolean;
  sign?: Signing;
  encrypt?: { certificate: X509Certificate; cipher: ContentCipher; keyTransport: KeyTransport };
  /**
   * Digest of the MIC: the one the request names in signed-receipt-micalg (as2Headers mdnSigned),
   * since the receiver computes the MIC with that one. Default the signature's digest, else sha256.
   */
  micAlgorithm?: DigestAlgorithm;
}

export interface PackedMessage {
  /** The HTTP Content-Type. */
  contentType: string;
  /** The HTTP body. */
  body: Uint8Array;
  /** What the partner's MDN must return in Received-Content-MIC. */
  mic: Mic;
}

const PKCS7_MIME = ['application/pkcs7-mime', 'application/x-pkcs7-mime'];

function pkcs7Entity(smimeType: 'compressed-data' | 'enveloped-data', fileName: string, der: Uint8Array): MimeEntity {
  return makeEntity({
    'Content-Type': formatParameterized('application/pkcs7-mime', { 'smime-type': smimeType, name: fileName }),
    'Content-Transfer-Encoding': 'binary',
    'Content-Disposition': `attachment; filename=${fileName}`,
  }, der);
}

/** The payload entity with its Content-Type, binary transfer, and the file name when given. */
function payloadEntity(payload: Uint8Array, o: PackOptions): MimeEntity {
  const fields: Record<string, string> = {
    'Content-Type': o.payloadType ?? 'application/edi-x12',
    'Content-Transfer-Encoding': 'binary',
  };
  if (o.fileName !== undefined) fields['Content-Disposition'] = formatParameterized('attachment', { filename: o.fileName });
  return makeEntity(fields, payload);
}

export function packMessage(payload: Uint8Array, o: PackOptions = {}): PackedMessage {
  let entity = payloadEntity(payload, o);
  const micDigest = o.micAlgorithm ?? o.sign?.digest ?? 'sha256';
  // RFC 4130 section 7.3.1 / RFC 5402 section 4.1: unsigned, the MIC covers the (uncompressed) payload entity, or
  // only the content when nothing is applied; signed, it covers exactly what the signature covers.
  let mic = computeMic(micDigest, o.compress || o.encrypt ? entity.raw : payload);
  if (o.compress) entity = pkcs7Entity('compressed-data', 'smime.p7z', compress(entity.raw));
  if (o.sign) {
    mic = computeMic(micDigest, entity.raw);
    entity = buildSigned(entity, o.sign);
  }
  if (o.encrypt) {
    entity = pkcs7Entity('enveloped-data', 'smime.p7m', encrypt(entity.raw, o.encrypt.certificate, o.encrypt));
  }
  return { contentType: entity.headers.get('content-type')!, body: entity.body, mic };
}

export interface UnpackOptions {
  /** Our key pairs (the current one and, during a renewal, the old one): a message may be encrypted to either. */
  ourKeys: readonly KeyPair[];
  /** The partner's certificates a signature must verify against. */
  partnerCertificates: readonly X509Certificate[];
  /** signed-receipt-micalg of the request (parseDispositionNotificationOptions): the MIC's digest. */
  micAlgorithms?: readonly string[];
  requireSigned?: boolean;
  requireEncrypted?: boolean;
  /** An HTTP Content-Transfer-Encoding header, when the sender set one (base64 bodies). */
  contentTransferEncoding?: string;
  /** Bound on inflating compressed content (cms default 100 MB). */
  maxDecompressedBytes?: number;
}

export interface UnpackedMessage {
  payload: Buffer;
  fileName?: string;
  payloadType: string;
  signed?: { digest: DigestAlgorithm; signer: X509Certificate };
  encrypted?: { cipher: ContentCipher; keyTransport: KeyTransport };
  compressed: boolean;
  mic: Mic;
}

/** More layers than any sender nests (encrypt, sign, compress, each once). */
const MAX_LAYERS = 4;

/** Runs one layer's step, turning its failure into the disposition modifier the MDN reports. */
function layer<T>(modifier: DispositionModifier | ((e: unknown) => DispositionModifier), step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof MimeError) throw As2MessageError.wrap('unexpected-processing-error', e, 'AS2_MIME_MALFORMED');
    throw As2MessageError.wrap(typeof modifier === 'function' ? modifier(e) : modifier, e, 'AS2_MESSAGE_UNEXPECTED');
  }
}

/** A signature failure: a content digest that does not match is integrity, anything else authentication. */
function signatureModifier(e: unknown): DispositionModifier {
  const kind = (e as { kind?: unknown }).kind;
  return kind === 'signature' && /\bdigest\b/.test((e as Error).message) ? 'integrity-check-failed' : 'authentication-failed';
}

/** The DER of an application/pkcs7-mime body; tolerates base64 sent without saying so. */
function pkcs7Der(entity: MimeEntity): Buffer {
  const bytes = decodedBody(entity);
  return bytes[0] === 0x30 ? bytes : decodeBase64(bytes);
}

function fileNameOf(entity: MimeEntity): string | undefined {
  const header = entity.headers.get('content-disposition');
  if (!header) return undefined;
  let name: string | undefined;
  try {
    name = parseContentDisposition(header).params['filename'];
  } catch {
    return undefined; // a file name is a hint; an unreadable disposition does not fail the message
  }
  // Only the last path segment, without control characters: the name must not lead anywhere (nor
  // rewrite a terminal) when the receiver stores or shows the file; "." and ".." name no file.
  const base = name?.split(/[\\/]/).pop()?.replace(/[\x00-\x1f\x7f]/g, '').trim();
  return base && base !== '.' && base !== '..' ? base : undefined;
}

export function unpackMessage(contentType: string, body: Uint8Array, o: UnpackOptions): UnpackedMessage {
  const outer: Record<string, string> = { 'Content-Type': contentType };
  if (o.contentTransferEncoding) outer['Content-Transfer-Encoding'] = o.contentTransferEncoding;
  let entity = layer('unexpected-processing-error', () => makeEntity(outer, body));
  let signed: UnpackedMessage['signed'];
  let encrypted: UnpackedMessage['encrypted'];
  let compressed = false;
  let signedBytes: Buffer | undefined;
  const requested = firstSupported(o.micAlgorithms);

  for (let depth = 0; ; depth++) {
    const current = entity;
    const type = layer('unexpected-processing-error', () => contentTypeOf(current));
    const isPkcs7 = PKCS7_MIME.includes(type.value);
    if (!isPkcs7 && type.value !== 'multipart/signed') break;
    if (depth >= MAX_LAYERS) {
      throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error', `more than ${MAX_LAYERS} nested security layers`);
    }
    if (type.value === 'multipart/signed') {
      if (signed) throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error', 'a signature inside a signature');
      const verified = layer(signatureModifier, () => verifySigned(type, current.body, o.partnerCertificates));
      signed = { digest: verified.digest, signer: verified.signer };
      signedBytes = verified.signedBytes;
      entity = verified.content;
      continue;
    }
    const der = layer('unexpected-processing-error', () => pkcs7Der(current));
    const kind = cmsContentTypeOf(der);
    if (kind === 'enveloped' || kind === 'auth-enveloped') {
      if (encrypted) throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error', 'encrypted content inside encrypted content');
      const opened = layer('decryption-failed', () => decryptWithAny(der, o.ourKeys));
      encrypted = { cipher: opened.cipher, keyTransport: opened.keyTransport };
      entity = layer('unexpected-processing-error', () => parseEntity(opened.content));
    } else if (kind === 'compressed') {
      if (compressed) throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error', 'compressed content inside compressed content');
      const inflated = layer('decompression-failed', () => decompress(der, o.maxDecompressedBytes === undefined ? {} : { maxBytes: o.maxDecompressedBytes }));
      compressed = true;
      entity = layer('unexpected-processing-error', () => parseEntity(inflated));
    } else if (kind === 'signed') {
      // Opaque signing (smime-type=signed-data): the signed MIME entity travels inside the SignedData.
      if (signed) throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error', 'a signature inside a signature');
      const verified = layer(signatureModifier, () => verifyEncapsulated(der, o.partnerCertificates));
      signed = { digest: verified.digest, signer: verified.signer };
      signedBytes = Buffer.from(verified.content);
      entity = layer('unexpected-processing-error', () => parseEntity(verified.content));
    } else {
      throw new As2MessageError('AS2_MESSAGE_UNEXPECTED', 'unexpected-processing-error',
        `application/pkcs7-mime holding CMS ${kind} content is not processed (only enveloped, compressed and signed data)`, { cms: kind });
    }
  }

  if (o.requireEncrypted && !encrypted) {
    throw new As2MessageError('AS2_SECURITY_INSUFFICIENT', 'insufficient-message-security', 'the message is not encrypted, and the partner file requires encryption', { missing: 'encryption' });
  }
  if (o.requireSigned && !signed) {
    throw new As2MessageError('AS2_SECURITY_INSUFFICIENT', 'authentication-failed', 'the message is not signed, and the partner file requires a signature', { missing: 'signature' });
  }
  const final = entity;
  const payload = layer('unexpected-processing-error', () => decodedBody(final));
  const micDigest = requested ?? signed?.digest ?? 'sha256';
  // RFC 4130 section 7.3.1, RFC 5402 section 4.1 (see packMessage).
  const micOver = signedBytes ?? (encrypted || compressed ? final.raw : payload);
  const fileName = fileNameOf(final);
  return {
    payload,
    ...(fileName ? { fileName } : {}),
    payloadType: layer('unexpected-processing-error', () => contentTypeOf(final)).value,
    ...(signed ? { signed } : {}),
    ...(encrypted ? { encrypted } : {}),
    compressed,
    mic: computeMic(micDigest, micOver),
  };
}

/** Decrypts with the first of our keys the message was encrypted for; the last failure when none. */
function decryptWithAny(der: Uint8Array, keys: readonly KeyPair[]): ReturnType<typeof decrypt> {
  if (keys.length === 0) throw new As2MessageError('AS2_DECRYPT_FAILED', 'decryption-failed', 'the message is encrypted, and no key of ours is configured');
  let last: unknown;
  for (const key of keys) {
    try {
      return decrypt(der, key);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}
