// CMS CompressedData (RFC 3274) with zlib, as AS2 compresses before signing or encrypting. Inflating
// is bounded, so a small message cannot expand into memory without limit (a zip bomb).
import { deflateSync, inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import { CmsError, asFormat } from './errors.js';
import { OID } from './algorithms.js';
import { algorithm, buildContentInfo, childrenOf, integerOf, isContext, octetsOf, oidOf, parseAlgorithm, parseContentInfo } from './der.js';

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024;

export function compress(content: Uint8Array): Uint8Array {
  return buildContentInfo(OID.compressedData, new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      algorithm(OID.zlib),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID.data }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: deflateSync(content) })] }),
        ],
      }),
    ],
  }));
}

function compressedBytes(der: Uint8Array): Uint8Array {
  const info = parseContentInfo(der);
  if (info.contentType !== OID.compressedData) throw new CmsError('format', `the content is CMS ${info.contentType}, not CompressedData`);
  const [version, alg, encap] = childrenOf(info.content, 'CompressedData');
  integerOf(version, 'CompressedData version');
  const { oid } = parseAlgorithm(alg, 'compression algorithm');
  if (oid !== OID.zlib) throw new CmsError('unsupported', `compression algorithm ${oid} is not supported (zlib is)`);
  const [type, content] = childrenOf(encap, 'EncapsulatedContentInfo');
  oidOf(type, 'compressed content type');
  if (!isContext(content, 0)) throw new CmsError('format', 'the CompressedData has no content');
  return octetsOf(childrenOf(content, 'compressed content')[0], 'compressed content');
}

/** The inflated content; refuses to inflate beyond `maxBytes` (default 100 MB). */
export function decompress(der: Uint8Array, options: { maxBytes?: number } = {}): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const deflated = asFormat('CMS CompressedData', () => compressedBytes(der));
  try {
    return new Uint8Array(inflateSync(deflated, { maxOutputLength: maxBytes }));
  } catch (error) {
    // zlib throws a RangeError (ERR_BUFFER_TOO_LARGE) when the output would pass maxOutputLength.
    const tooLarge = error instanceof RangeError;
    throw new CmsError('decompress', tooLarge
      ? `the compressed content inflates beyond ${maxBytes} bytes; refused`
      : 'the compressed content is not valid zlib data', { maxBytes }, { cause: error });
  }
}
