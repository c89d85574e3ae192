// Reading and writing DER with asn1js: parse untrusted bytes with limits sized to the input, and the
// ContentInfo wrapper every CMS structure travels in.
import * as asn1js from 'asn1js';
import { CmsError } from './errors.js';
import { OID } from './algorithms.js';

/** Parses one DER/BER element that must span all of `bytes`. */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  // asn1js' defaults (16 MB content, 10000 nodes) are below a large AS2 payload; the input bounds both.
  const parsed = asn1js.fromBER(bytes, { maxContentLength: bytes.byteLength, maxNodes: Math.max(10_000, bytes.byteLength >> 4) });
  if (parsed.offset === -1 || parsed.result.error) {
    throw new CmsError('format', `${what} is not valid DER (${parsed.result.error || 'cannot be decoded'})`);
  }
  if (parsed.offset !== bytes.byteLength) {
    throw new CmsError('format', `${what} has ${bytes.byteLength - parsed.offset} bytes after its end`);
  }
  return parsed.result;
}

export function toBytes(block: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

/** The children of a constructed block (SEQUENCE, SET, [n] EXPLICIT), or a format error. */
export function childrenOf(block: asn1js.AsnType | undefined, what: string): asn1js.AsnType[] {
  if (!(block instanceof asn1js.Constructed) && !(block instanceof asn1js.Sequence) && !(block instanceof asn1js.Set)) {
    if (block && block.idBlock.isConstructed && 'value' in block.valueBlock && Array.isArray(block.valueBlock.value)) {
      return block.valueBlock.value as asn1js.AsnType[];
    }
    throw new CmsError('format', `${what} is not a constructed ASN.1 element`);
  }
  return block.valueBlock.value as asn1js.AsnType[];
}

export function oidOf(block: asn1js.AsnType | undefined, what: string): string {
  if (!(block instanceof asn1js.ObjectIdentifier)) throw new CmsError('format', `${what} is not an object identifier`);
  return block.valueBlock.toString();
}

/** The bytes of an OCTET STRING, primitive or constructed (BER), or of an implicitly tagged one. */
export function octetsOf(block: asn1js.AsnType | undefined, what: string): Uint8Array {
  if (block instanceof asn1js.OctetString) return new Uint8Array(block.getValue());
  if (block && !block.idBlock.isConstructed) return new Uint8Array((block.valueBlock as { valueHexView: Uint8Array }).valueHexView);
  if (block && block.idBlock.isConstructed) {
    const parts = childrenOf(block, what).map((part) => octetsOf(part, what));
    return new Uint8Array(Buffer.concat(parts));
  }
  throw new CmsError('format', `${what} is not an octet string`);
}

export function integerOf(block: asn1js.AsnType | undefined, what: string): number {
  if (!(block instanceof asn1js.Integer)) throw new CmsError('format', `${what} is not an integer`);
  return block.valueBlock.valueDec;
}

export function isContext(block: asn1js.AsnType | undefined, tag: number): boolean {
  return block !== undefined && block.idBlock.tagClass === 3 && block.idBlock.tagNumber === tag;
}

export interface ContentInfo {
  contentType: string;
  /** The [0] EXPLICIT content, absent for a bare OID. */
  content: asn1js.AsnType | undefined;
}

export function parseContentInfo(der: Uint8Array): ContentInfo {
  const root = parseDer(der, 'CMS ContentInfo');
  const [type, wrapped] = childrenOf(root, 'CMS ContentInfo');
  const contentType = oidOf(type, 'CMS content type');
  if (wrapped === undefined) return { contentType, content: undefined };
  if (!isContext(wrapped, 0)) throw new CmsError('format', 'CMS ContentInfo content is not tagged [0]');
  return { contentType, content: childrenOf(wrapped, 'CMS ContentInfo content')[0] };
}

export function buildContentInfo(contentType: string, content: asn1js.AsnType): Uint8Array {
  return toBytes(new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: contentType }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [content] }),
    ],
  }));
}

export type CmsContentType = 'signed' | 'enveloped' | 'auth-enveloped' | 'compressed' | 'data' | 'unknown';

const TYPE_OF_OID: Readonly<Record<string, CmsContentType>> = {
  [OID.signedData]: 'signed',
  [OID.envelopedData]: 'enveloped',
  [OID.authEnvelopedData]: 'auth-enveloped',
  [OID.compressedData]: 'compressed',
  [OID.data]: 'data',
};

/** What a CMS ContentInfo holds; 'unknown' for another type or bytes that are no ContentInfo. */
export function contentTypeOf(der: Uint8Array): CmsContentType {
  try {
    return TYPE_OF_OID[parseContentInfo(der).contentType] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** An AlgorithmIdentifier: the OID and its parameters, if any. */
export function parseAlgorithm(block: asn1js.AsnType | undefined, what: string): { oid: string; params: asn1js.AsnType | undefined } {
  const [oid, params] = childrenOf(block, what);
  return { oid: oidOf(oid, what), params: params instanceof asn1js.Null ? undefined : params };
}

export function algorithm(oid: string, params?: asn1js.AsnType | null): asn1js.Sequence {
  const value: asn1js.AsnType[] = [new asn1js.ObjectIdentifier({ value: oid })];
  if (params === null) value.push(new asn1js.Null());
  else if (params) value.push(params);
  return new asn1js.Sequence({ value });
}
