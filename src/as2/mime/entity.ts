// One MIME entity: its header block and its body bytes, exactly as received, so that a signature
// or MIC over them can be checked; and the reverse, an entity as bytes on the wire.
import { asBuffer } from './bytes.js';
import { MimeHeaders, parseHeaderBlock, serializeHeaders, type HeaderField } from './headers.js';
import { parseContentType, type ParameterizedValue } from './content-type.js';
import { decodeTransferEncoding, transferEncodingOf } from './transfer-encoding.js';
import { MimeError } from './errors.js';

export interface MimeEntity {
  headers: MimeHeaders;
  /** The body bytes as received (still transfer-encoded). */
  body: Buffer;
  /** The whole entity as received: headers, empty line and body. */
  raw: Buffer;
}

export function parseEntity(bytes: Uint8Array): MimeEntity {
  const raw = asBuffer(bytes);
  const { headers, bodyStart } = parseHeaderBlock(raw);
  return { headers, body: raw.subarray(bodyStart), raw };
}

/** An entity from header fields and a body, with `raw` as it will be sent. */
export function makeEntity(fields: readonly HeaderField[] | Record<string, string>, body: Uint8Array): MimeEntity {
  const headers = new MimeHeaders(fields);
  const b = asBuffer(body);
  return { headers, body: b, raw: Buffer.concat([serializeHeaders(headers), Buffer.from('\r\n'), b]) };
}

/** Content-Type of an entity; absent means text/plain (RFC 2045 section 5.2). */
export function contentTypeOf(entity: { headers: MimeHeaders }): ParameterizedValue {
  const header = entity.headers.get('content-type');
  return header === undefined ? { value: 'text/plain', params: { charset: 'us-ascii' } } : parseContentType(header);
}

/** The body with its Content-Transfer-Encoding undone; error offsets are made relative to the entity. */
export function decodedBody(entity: MimeEntity): Buffer {
  try {
    return decodeTransferEncoding(entity.body, transferEncodingOf(entity.headers.get('content-transfer-encoding')));
  } catch (e) {
    if (e instanceof MimeError) throw new MimeError(e.what, e.offset + (entity.raw.length - entity.body.length));
    throw e;
  }
}
