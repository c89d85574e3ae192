// Detached CMS SignedData (RFC 5652 section 5) as AS2 uses it in multipart/signed: one signer, signed
// attributes (contentType, signingTime, messageDigest), the signer's certificate included. Trust is
// the partner's pinned certificate(s), not a CA chain.
import { X509Certificate, constants, sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CmsError, asFormat } from './errors.js';
import { OID, digest, digestOfOid, digestOid, digestOfRsaSignatureOid, type DigestAlgorithm } from './algorithms.js';
import { algorithm, buildContentInfo, childrenOf, integerOf, isContext, octetsOf, oidOf, parseAlgorithm, parseContentInfo, parseDer, toBytes } from './der.js';
import { describeCertificate, describeIdentifier, identifies, issuerAndSerial, parseIdentifier, type Identifier } from './identity.js';

export interface KeyPair {
  certificate: X509Certificate;
  privateKey: KeyObject;
}

function attribute(type: string, value: asn1js.AsnType): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), new asn1js.Set({ value: [value] })] });
}

/** A DER SET OF: the elements sorted by their encodings (X.690 section 11.6), as the signature covers them. */
function derSetOf(elements: asn1js.AsnType[]): asn1js.AsnType[] {
  return elements.map((e) => ({ e, der: Buffer.from(toBytes(e)) })).sort((a, b) => Buffer.compare(a.der, b.der)).map((x) => x.e);
}

function requireRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') throw new CmsError('unsupported', `${what} is a ${key.asymmetricKeyType ?? 'non-RSA'} key; AS2 signatures here are RSA`);
}

export function sign(content: Uint8Array, signer: KeyPair, digestAlgorithm: DigestAlgorithm): Uint8Array {
  requireRsa(signer.privateKey, 'the signing key');
  const digestAlg = () => algorithm(digestOid(digestAlgorithm));
  const attributes = derSetOf([
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: new Date() })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest(digestAlgorithm, content) })),
  ]);
  // The signature covers the attributes encoded as a SET; they travel as [0] IMPLICIT.
  const signedBytes = toBytes(new asn1js.Set({ value: attributes }));
  const signature = rsaSign(digestAlgorithm, signedBytes, { key: signer.privateKey, padding: constants.RSA_PKCS1_PADDING });
  const signerInfo = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      issuerAndSerial(signer.certificate),
      digestAlg(),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: attributes }),
      algorithm(OID.rsaEncryption, null),
      new asn1js.OctetString({ valueHex: signature }),
    ],
  });
  const signedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [digestAlg()] }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] }), // detached: no eContent
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [parseDer(signer.certificate.raw, 'signer certificate')] }),
      new asn1js.Set({ value: [signerInfo] }),
    ],
  });
  return buildContentInfo(OID.signedData, signedData);
}

interface SignerInfo {
  sid: Identifier;
  digest: DigestAlgorithm;
  /** The signed attributes' bytes re-tagged as a SET (what the signature covers), if present. */
  signedAttributes: { der: Uint8Array; values: Map<string, asn1js.AsnType> } | undefined;
  signatureAlgorithm: { oid: string; params: asn1js.AsnType | undefined };
  signature: Uint8Array;
}

function parseSignerInfo(block: asn1js.AsnType): SignerInfo {
  const fields = childrenOf(block, 'SignerInfo');
  integerOf(fields[0], 'SignerInfo version');
  const sid = parseIdentifier(fields[1], 'signer identifier');
  const digestAlg = digestOfOid(parseAlgorithm(fields[2], 'digest algorithm').oid);
  let at = 3;
  let signedAttributes: SignerInfo['signedAttributes'];
  if (isContext(fields[at], 0)) {
    const raw = new Uint8Array(fields[at]!.valueBeforeDecodeView);
    const der = new Uint8Array(raw);
    der[0] = 0x31; // [0] IMPLICIT SET OF -> SET OF (RFC 5652 section 5.4)
    const values = new Map<string, asn1js.AsnType>();
    for (const attr of childrenOf(fields[at], 'signed attribute')) {
      const [type, set] = childrenOf(attr, 'signed attribute');
      const oid = oidOf(type, 'signed attribute type');
      const first = childrenOf(set, 'signed attribute values')[0];
      if (values.has(oid) || first === undefined) throw new CmsError('format', `signed attribute ${oid} is repeated or empty`);
      values.set(oid, first);
    }
    signedAttributes = { der, values };
    at++;
  }
  const signatureAlgorithm = parseAlgorithm(fields[at], 'signature algorithm');
  const signature = octetsOf(fields[at + 1], 'signature');
  return { sid, digest: digestAlg, signedAttributes, signatureAlgorithm, signature };
}

/** Certificates carried in the SignedData, used only to name an unexpected signer. */
function embeddedCertificates(block: asn1js.AsnType | undefined): X509Certificate[] {
  if (!isContext(block, 0)) return [];
  const found: X509Certificate[] = [];
  for (const c of childrenOf(block, 'certificates')) {
    try {
      found.push(new X509Certificate(Buffer.from(c.valueBeforeDecodeView)));
    } catch {
      // An attribute certificate or another choice: not a signer candidate.
    }
  }
  return found;
}

function checkSignature(info: SignerInfo, data: Uint8Array, cert: X509Certificate): boolean {
  const { oid, params } = info.signatureAlgorithm;
  requireRsa(cert.publicKey, `the key of ${describeCertificate(cert)}`);
  if (oid === OID.rsaEncryption || digestOfRsaSignatureOid(oid) !== undefined) {
    const hash = digestOfRsaSignatureOid(oid) ?? info.digest;
    return rsaVerify(hash, data, { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }, info.signature);
  }
  if (oid === OID.rsassaPss) {
    const pss = pssParams(params);
    return rsaVerify(pss.hash, data, { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, info.signature);
  }
  throw new CmsError('unsupported', `signature algorithm ${oid} is not supported (RSA PKCS#1 v1.5 and RSASSA-PSS are)`);
}

/** RSASSA-PSS-params (RFC 4055): hash [0], mgf [1] (MGF1 with the same hash), salt length [2]. */
function pssParams(params: asn1js.AsnType | undefined): { hash: DigestAlgorithm; saltLength: number } {
  let hash: DigestAlgorithm = 'sha1';
  let mgfHash: DigestAlgorithm = 'sha1';
  let saltLength = 20;
  for (const field of params ? childrenOf(params, 'RSASSA-PSS parameters') : []) {
    const inner = childrenOf(field, 'RSASSA-PSS parameter')[0];
    if (isContext(field, 0)) hash = digestOfOid(parseAlgorithm(inner, 'PSS hash').oid);
    else if (isContext(field, 1)) mgfHash = digestOfOid(parseAlgorithm(parseAlgorithm(inner, 'PSS mask generation').params, 'MGF1 hash').oid);
    else if (isContext(field, 2)) saltLength = integerOf(inner, 'PSS salt length');
  }
  if (mgfHash !== hash) throw new CmsError('unsupported', `RSASSA-PSS with MGF1 ${mgfHash} and hash ${hash} is not supported`);
  return { hash, saltLength };
}

/** Verifies a detached signature over `content` by one of the `trusted` certificates. Throws CmsError. */
export function verify(content: Uint8Array, signature: Uint8Array, trusted: readonly X509Certificate[]): { digest: DigestAlgorithm; signer: X509Certificate } {
  const signed = readSignedData(signature, 'the signature');
  return verifySigners(content, signed, trusted);
}

/**
 * Verifies a SignedData that carries its content (opaque signing: application/pkcs7-mime;
 * smime-type=signed-data) and gives that content, the bytes the signature covers. Throws CmsError.
 */
export function verifyEncapsulated(der: Uint8Array, trusted: readonly X509Certificate[]): { content: Uint8Array; digest: DigestAlgorithm; signer: X509Certificate } {
  const signed = readSignedData(der, 'the signed data');
  if (!signed.content) throw new CmsError('format', 'the SignedData carries no content (a detached signature, not opaque signed data)');
  return { content: signed.content, ...verifySigners(signed.content, signed, trusted) };
}

interface SignedDataParts {
  signerInfos: SignerInfo[];
  certificates: X509Certificate[];
  /** encapContentInfo's eContent; absent for a detached signature. */
  content?: Uint8Array;
}

function readSignedData(der: Uint8Array, what: string): SignedDataParts {
  return asFormat('CMS SignedData', () => {
    const info = parseContentInfo(der);
    if (info.contentType !== OID.signedData) throw new CmsError('format', `${what} is CMS content ${info.contentType}, not SignedData`);
    const fields = childrenOf(info.content, 'SignedData');
    const last = fields[fields.length - 1];
    // SignedData: version, digestAlgorithms, encapContentInfo (eContentType, [0] eContent OPTIONAL), ...
    const [, eContent] = childrenOf(fields[2], 'EncapsulatedContentInfo');
    return {
      signerInfos: childrenOf(last, 'SignerInfos').map(parseSignerInfo),
      certificates: embeddedCertificates(fields.find((f) => isContext(f, 0))),
      ...(isContext(eContent, 0) ? { content: octetsOf(childrenOf(eContent, 'eContent')[0], 'eContent') } : {}),
    };
  });
}

/** The first signer we trust, checked over `content`; a CmsError naming the signer when none is trusted. */
function verifySigners(content: Uint8Array, { signerInfos, certificates }: SignedDataParts, trusted: readonly X509Certificate[]): { digest: DigestAlgorithm; signer: X509Certificate } {
  if (signerInfos.length === 0) throw new CmsError('format', 'the SignedData has no signer');
  for (const info of signerInfos) {
    const cert = trusted.find((t) => identifies(info.sid, t));
    if (!cert) continue;
    let data = content;
    if (info.signedAttributes) {
      const values = info.signedAttributes.values;
      const messageDigest = values.get(OID.messageDigest);
      if (!values.has(OID.contentType) || !messageDigest) throw new CmsError('format', 'the signed attributes lack contentType or messageDigest');
      if (!Buffer.from(octetsOf(messageDigest, 'messageDigest')).equals(digest(info.digest, content))) {
        throw new CmsError('signature', `the content's ${info.digest} digest does not match the signed one: the content changed after signing`);
      }
      data = info.signedAttributes.der;
    }
    if (!checkSignature(info, data, cert)) throw new CmsError('signature', `the signature by ${describeCertificate(cert)} does not verify`);
    return { digest: info.digest, signer: cert };
  }
  const sid = signerInfos[0]!.sid;
  const named = certificates.find((c) => identifies(sid, c));
  const expected = trusted.length ? trusted.map(describeCertificate).join(' or ') : 'no certificate (none configured)';
  throw new CmsError('signer', `signed by ${named ? describeCertificate(named) : describeIdentifier(sid)}, expected ${expected}`);
}
