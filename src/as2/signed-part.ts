// multipart/signed with a detached CMS signature (RFC 1847, RFC 5751 section 3.5): the one form AS2 signs
// messages and MDNs in. Building keeps the signed bytes exact; reading verifies the first part's
// bytes as received, then their canonical CRLF form (partners whose software sends bare LFs).
import type { X509Certificate } from 'node:crypto';
import { sign, verify, type DigestAlgorithm, type KeyPair } from './cms/index.js';
import { micalgName } from './mic.js';
import {
  MimeError, canonicalizeLineEnds, contentTypeOf, decodedBody, encodeBase64Lines, formatParameterized,
  joinMultipart, makeEntity, newBoundary, parseEntity, splitMultipart, type MimeEntity, type ParameterizedValue,
} from './mime/index.js';

export interface Signing {
  keyPair: KeyPair;
  digest: DigestAlgorithm;
}

const SIGNATURE_TYPES = ['application/pkcs7-signature', 'application/x-pkcs7-signature'];

/** `content` (a whole MIME entity, headers and body) signed: the multipart/signed entity. */
export function buildSigned(content: MimeEntity, signing: Signing): MimeEntity {
  const signature = sign(content.raw, signing.keyPair, signing.digest);
  const signaturePart = makeEntity({
    'Content-Type': 'application/pkcs7-signature; name=smime.p7s',
    'Content-Transfer-Encoding': 'base64',
    'Content-Disposition': 'attachment; filename=smime.p7s',
  }, encodeBase64Lines(signature));
  const boundary = newBoundary();
  const contentType = formatParameterized('multipart/signed', {
    protocol: 'application/pkcs7-signature', micalg: micalgName(signing.digest), boundary,
  });
  return makeEntity({ 'Content-Type': contentType }, joinMultipart([content.raw, signaturePart.raw], boundary));
}

export interface VerifiedSigned {
  /** The signed first part, parsed from `signedBytes`. */
  content: MimeEntity;
  /** The bytes the signature verified over (the MIC of a signed message is over these). */
  signedBytes: Buffer;
  digest: DigestAlgorithm;
  signer: X509Certificate;
}

/** Verifies a multipart/signed body against the trusted certificates. Throws CmsError or MimeError. */
export function verifySigned(type: ParameterizedValue, body: Uint8Array, trusted: readonly X509Certificate[]): VerifiedSigned {
  const parts = splitMultipart(body, type.params['boundary']);
  if (parts.length !== 2) throw new MimeError(`multipart/signed has ${parts.length} parts, not 2`, 0);
  const [first, second] = parts as [MimeEntity & { offset: number }, MimeEntity & { offset: number }];
  const signatureType = contentTypeOf(second).value;
  if (!SIGNATURE_TYPES.includes(signatureType)) throw new MimeError(`the second part of multipart/signed is ${signatureType}, not a pkcs7-signature`, second.offset);
  const signature = decodedBody(second);
  let signedBytes = first.raw;
  let result;
  try {
    result = verify(signedBytes, signature, trusted);
  } catch (asSent) {
    const canonical = canonicalizeLineEnds(first.raw);
    if (canonical.equals(first.raw)) throw asSent;
    try {
      result = verify(canonical, signature, trusted);
    } catch {
      throw asSent;
    }
    signedBytes = canonical;
  }
  return { content: signedBytes === first.raw ? first : parseEntity(signedBytes), signedBytes, ...result };
}
