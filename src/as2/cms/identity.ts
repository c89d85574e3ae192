// How CMS names a certificate: IssuerAndSerialNumber (issuer Name DER + serial) or a
// SubjectKeyIdentifier, and how a person reads it in an error (subject, serial).
import type { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CmsError } from './errors.js';
import { childrenOf, isContext, octetsOf, oidOf, parseDer } from './der.js';
import { OID } from './algorithms.js';

export interface CertificateId {
  /** DER of the issuer Name, exactly as in the certificate. */
  issuer: Uint8Array;
  /** The serial's INTEGER content bytes. */
  serial: Uint8Array;
  subjectKeyId: Uint8Array | undefined;
}

function rawOf(block: asn1js.AsnType): Uint8Array {
  return new Uint8Array(block.valueBeforeDecodeView);
}

/** The fields of a certificate that recipient and signer identifiers refer to. */
export function certificateId(cert: X509Certificate): CertificateId {
  const [tbs] = childrenOf(parseDer(cert.raw, 'certificate'), 'certificate');
  const fields = childrenOf(tbs, 'tbsCertificate');
  const at = isContext(fields[0], 0) ? 1 : 0; // [0] version is absent in a v1 certificate
  const serial = fields[at];
  const issuer = fields[at + 2];
  if (!(serial instanceof asn1js.Integer) || issuer === undefined) throw new CmsError('key', 'the certificate has no serial number or issuer');
  return { issuer: rawOf(issuer), serial: new Uint8Array(serial.valueBlock.valueHexView), subjectKeyId: subjectKeyIdOf(fields.slice(at + 6)) };
}

function subjectKeyIdOf(rest: asn1js.AsnType[]): Uint8Array | undefined {
  const extensions = rest.find((f) => isContext(f, 3));
  if (!extensions) return undefined;
  for (const ext of childrenOf(childrenOf(extensions, 'extensions')[0], 'extensions')) {
    const parts = childrenOf(ext, 'extension');
    if (oidOf(parts[0], 'extension id') !== OID.subjectKeyIdentifier) continue;
    return octetsOf(parseDer(octetsOf(parts[parts.length - 1], 'extension value'), 'subject key identifier'), 'subject key identifier');
  }
  return undefined;
}

export function issuerAndSerial(cert: X509Certificate): asn1js.Sequence {
  const id = certificateId(cert);
  const issuer = parseDer(id.issuer, 'issuer');
  return new asn1js.Sequence({ value: [issuer, new asn1js.Integer({ valueHex: id.serial })] });
}

/** A SignerIdentifier / RecipientIdentifier as read from a message. */
export type Identifier =
  | { kind: 'issuer-serial'; issuer: Uint8Array; serial: Uint8Array }
  | { kind: 'subject-key-id'; keyId: Uint8Array };

export function parseIdentifier(block: asn1js.AsnType | undefined, what: string): Identifier {
  if (isContext(block, 0)) return { kind: 'subject-key-id', keyId: octetsOf(block, what) };
  const [issuer, serial] = childrenOf(block, what);
  if (!(serial instanceof asn1js.Integer) || issuer === undefined) throw new CmsError('format', `${what} is not an issuer and serial number`);
  return { kind: 'issuer-serial', issuer: rawOf(issuer), serial: new Uint8Array(serial.valueBlock.valueHexView) };
}

export function identifies(id: Identifier, cert: X509Certificate): boolean {
  const mine = certificateId(cert);
  if (id.kind === 'subject-key-id') return mine.subjectKeyId !== undefined && Buffer.from(mine.subjectKeyId).equals(id.keyId);
  return Buffer.from(mine.issuer).equals(id.issuer) && sameSerial(mine.serial, id.serial);
}

/** Serials compare as numbers: a leading zero byte (sign padding) does not make them differ. */
function sameSerial(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (x: Uint8Array) => {
    let at = 0;
    while (at < x.length - 1 && x[at] === 0) at++;
    return Buffer.from(x.subarray(at));
  };
  return strip(a).equals(strip(b));
}

/** A certificate for people: subject and serial (what an operator compares with the partner). */
export function describeCertificate(cert: X509Certificate): string {
  return `"${cert.subject.replace(/\n/g, ', ')}" serial ${cert.serialNumber}`;
}

/** An identifier for people when no certificate of ours matches it. */
export function describeIdentifier(id: Identifier): string {
  if (id.kind === 'subject-key-id') return `subject key identifier ${Buffer.from(id.keyId).toString('hex')}`;
  return `serial ${Buffer.from(id.serial).toString('hex').toUpperCase()} of issuer ${describeName(id.issuer)}`;
}

/** A Name's attribute values, joined (CN=..., O=... without the attribute type lookups). */
function describeName(der: Uint8Array): string {
  try {
    const values: string[] = [];
    for (const rdn of childrenOf(parseDer(der, 'name'), 'name')) {
      for (const atv of childrenOf(rdn, 'name')) {
        const value = childrenOf(atv, 'name')[1] as { valueBlock: { value?: unknown } } | undefined;
        if (typeof value?.valueBlock.value === 'string') values.push(value.valueBlock.value);
      }
    }
    return `"${values.join(', ')}"`;
  } catch {
    return '(unreadable)';
  }
}
