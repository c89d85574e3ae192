// MIME for AS2: entities, Content-Type, multipart, transfer encodings, canonical line ends.
export { MimeError } from './errors.js';
export { canonicalizeLineEnds, ascii, latin1, asBuffer } from './bytes.js';
export { MimeHeaders, parseHeaderBlock, serializeHeaders, HEADER_LIMITS, type HeaderField, type HeaderBlock } from './headers.js';
export { parseContentType, parseContentDisposition, parseParameterized, formatParameterized, quoteParam, type ParameterizedValue } from './content-type.js';
export { transferEncodingOf, decodeTransferEncoding, decodeBase64, decodeQuotedPrintable, encodeBase64Lines, type TransferEncoding } from './transfer-encoding.js';
export { parseEntity, makeEntity, contentTypeOf, decodedBody, type MimeEntity } from './entity.js';
export { splitMultipart, joinMultipart, newBoundary, MULTIPART_LIMITS, type MimePart } from './multipart.js';
