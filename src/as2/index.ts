// The AS2 layer (RFC 4130): CMS, MIME, messages, MDNs and HTTP headers. Pure protocol code; the
// HTTP route and the sending channel call it.
export * from './cms/index.js';
export { packMessage, unpackMessage, type PackOptions, type PackedMessage, type UnpackOptions, type UnpackedMessage } from './message.js';
export {
  buildMdn, parseMdn, parseDisposition, parseDispositionNotificationOptions, dispositionField,
  type BuildMdnOptions, type MdnDisposition, type ParsedMdn, type ParsedDisposition, type ParseMdnOptions, type DispositionNotificationOptions,
} from './mdn.js';
export { as2Headers, readAs2Id, formatAs2Id, newMessageId, type As2HeaderOptions, type MdnRequest } from './headers.js';
export { As2MessageError, isAs2MessageError, type DispositionModifier } from './disposition.js';
export { computeMic, micMatches, micalgName, digestOfMicalg, firstSupported, type Mic } from './mic.js';
export { buildSigned, verifySigned, type Signing, type VerifiedSigned } from './signed-part.js';
export * as mime from './mime/index.js';
export { judgeMdn, type MdnOutcome } from './mdn-outcome.js';
