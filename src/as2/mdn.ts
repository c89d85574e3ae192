// Message Disposition Notifications, the receipts of AS2 (RFC 4130 section 7, RFC 3798/8098): building
// ours (multipart/report, signed when the sender asked) and reading the partner's.
import type { X509Certificate } from 'node:crypto';
import { GatewayError } from '../errors/failure.js';
import { formatAs2Id } from './headers.js';
import type { Mic } from './mic.js';
import { buildSigned, verifySigned, type Signing } from './signed-part.js';
import {
  ascii, canonicalizeLineEnds, contentTypeOf, decodedBody, formatParameterized, joinMultipart, latin1,
  makeEntity, newBoundary, parseContentType, parseHeaderBlock, splitMultipart, type MimeEntity,
} from './mime/index.js';

export type MdnDisposition =
  | { type: 'processed' }
  | { type: 'processed'; modifier: 'error' | 'warning'; text: string }
  | { type: 'failed'; text: string };

export interface BuildMdnOptions {
  originalMessageId: string;
  /** Names our software, e.g. "edi-gateway 0.1.0". */
  reportingUa: string;
  originalRecipient?: string;
  finalRecipient: string;
  disposition: MdnDisposition;
  receivedContentMic?: Mic;
  humanText: string;
  sign?: Signing;
}

const MODE = 'automatic-action/MDN-sent-automatically';

/** One line for a field value: text from error messages must not start a field of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

export function dispositionField(d: MdnDisposition): string {
  if (d.type === 'failed') return `${MODE}; failed/Failure: ${oneLine(d.text)}`;
  if ('modifier' in d) return `${MODE}; processed/${d.modifier}: ${oneLine(d.text)}`;
  return `${MODE}; processed`;
}

function textPart(text: string): Buffer {
  const isAscii = /^[\x00-\x7f]*$/.test(text);
  return makeEntity({
    'Content-Type': `text/plain; charset=${isAscii ? 'us-ascii' : 'utf-8'}`,
    'Content-Transfer-Encoding': isAscii ? '7bit' : '8bit',
  }, canonicalizeLineEnds(Buffer.from(text, 'utf8'))).raw;
}

export function buildMdn(o: BuildMdnOptions): { contentType: string; body: Uint8Array } {
  const fields: [string, string][] = [['Reporting-UA', oneLine(o.reportingUa)]];
  if (o.originalRecipient !== undefined) fields.push(['Original-Recipient', `rfc822; ${formatAs2Id(o.originalRecipient)}`]);
  fields.push(['Final-Recipient', `rfc822; ${formatAs2Id(o.finalRecipient)}`]);
  fields.push(['Original-Message-ID', oneLine(o.originalMessageId)]);
  fields.push(['Disposition', dispositionField(o.disposition)]);
  if (o.receivedContentMic) fields.push(['Received-Content-MIC', `${o.receivedContentMic.value}, ${o.receivedContentMic.algorithm}`]);
  const notification = makeEntity({
    'Content-Type': 'message/disposition-notification',
    'Content-Transfer-Encoding': '7bit',
  }, ascii(fields.map(([k, v]) => `${k}: ${v}\r\n`).join('')));
  const boundary = newBoundary();
  let entity: MimeEntity = makeEntity({
    'Content-Type': formatParameterized('multipart/report', { 'report-type': 'disposition-notification', boundary }),
  }, joinMultipart([textPart(o.humanText), notification.raw], boundary));
  if (o.sign) entity = buildSigned(entity, o.sign);
  return { contentType: entity.headers.get('content-type')!, body: entity.body };
}

export interface ParsedDisposition {
  /** The field as received. */
  text: string;
  mode: string;
  /** processed, failed ... in lower case. */
  type: string;
  /** error, warning, failure ... in lower case. */
  modifier?: string;
  /** What follows the ":" (authentication-failed, a partner's words). */
  description?: string;
}

export interface ParsedMdn {
  originalMessageId: string;
  disposition: ParsedDisposition;
  /** Processed without error: the partner took the message. */
  ok: boolean;
  mic?: Mic;
  signed: boolean;
  humanText: string;
  /** The other fields of the notification (Reporting-UA, Final-Recipient ...), names as sent. */
  fields: Record<string, string>;
}

function malformed(why: string): GatewayError {
  return new GatewayError('AS2_MDN_MALFORMED', `MDN: ${why}`, { why });
}

export function parseDisposition(text: string): ParsedDisposition {
  const semi = text.indexOf(';');
  if (semi < 0) throw malformed(`Disposition "${text.slice(0, 80)}" has no ";" between mode and type`);
  const mode = text.slice(0, semi).trim();
  const rest = text.slice(semi + 1).trim();
  const colon = rest.indexOf(':');
  const head = colon < 0 ? rest : rest.slice(0, colon);
  const description = colon < 0 ? undefined : rest.slice(colon + 1).trim();
  const slash = head.indexOf('/');
  const type = (slash < 0 ? head : head.slice(0, slash)).trim().toLowerCase();
  const modifier = slash < 0 ? undefined : head.slice(slash + 1).trim().toLowerCase();
  if (!type) throw malformed(`Disposition "${text.slice(0, 80)}" has no disposition type`);
  return { text, mode, type, ...(modifier ? { modifier } : {}), ...(description ? { description } : {}) };
}

/** "base64, sha-256" (RFC 4130 section 7.4.3) as a Mic. */
function parseMicField(value: string): Mic | undefined {
  const comma = value.lastIndexOf(',');
  if (comma < 0) return undefined;
  return { value: value.slice(0, comma).trim(), algorithm: value.slice(comma + 1).trim().toLowerCase() };
}

function textOf(part: MimeEntity): string {
  const charset = (contentTypeOf(part).params['charset'] ?? 'us-ascii').toLowerCase();
  const bytes = decodedBody(part);
  return charset === 'utf-8' || charset === 'utf8' ? bytes.toString('utf8') : latin1(bytes);
}

export interface ParseMdnOptions {
  /** The partner's certificates: a signed MDN must verify against one of them. */
  partnerCertificates: readonly X509Certificate[];
}

/** Reads an MDN; a signed one is verified (CmsError when it does not verify). */
export function parseMdn(contentType: string, body: Uint8Array, o: ParseMdnOptions): ParsedMdn {
  let type = parseContentType(contentType);
  let content = body;
  let signed = false;
  if (type.value === 'multipart/signed') {
    const verified = verifySigned(type, body, o.partnerCertificates);
    type = contentTypeOf(verified.content);
    content = verified.content.body;
    signed = true;
  }
  if (type.value !== 'multipart/report') throw malformed(`the content is ${type.value}, not multipart/report`);
  const parts = splitMultipart(content, type.params['boundary']);
  const notification = parts.find((p) => contentTypeOf(p).value === 'message/disposition-notification');
  if (!notification) throw malformed('no message/disposition-notification part');
  const human = parts.find((p) => p !== notification && contentTypeOf(p).value.startsWith('text/'));
  const { headers } = parseHeaderBlock(decodedBody(notification), 0, true);
  const originalMessageId = headers.get('original-message-id');
  const dispositionText = headers.get('disposition');
  if (!originalMessageId) throw malformed('no Original-Message-ID field');
  if (!dispositionText) throw malformed('no Disposition field');
  const disposition = parseDisposition(dispositionText);
  const micField = headers.get('received-content-mic');
  const mic = micField === undefined ? undefined : parseMicField(micField);
  return {
    originalMessageId,
    disposition,
    ok: disposition.type === 'processed' && (disposition.modifier === undefined || disposition.modifier === 'warning'),
    ...(mic ? { mic } : {}),
    signed,
    humanText: human ? textOf(human) : '',
    fields: Object.fromEntries(headers.fields.map((f) => [f.name, f.value])),
  };
}

export interface DispositionNotificationOptions {
  /** A signed MDN (pkcs7-signature) is asked for. */
  signedReceipt: boolean;
  /** signed-receipt-micalg values in the sender's order of preference. */
  micAlgorithms: string[];
}

/**
 * Disposition-Notification-Options (RFC 4130 section 7.3): "signed-receipt-protocol=optional,
 * pkcs7-signature; signed-receipt-micalg=optional, sha-256, sha1".
 */
export function parseDispositionNotificationOptions(header: string | undefined): DispositionNotificationOptions {
  const result: DispositionNotificationOptions = { signedReceipt: false, micAlgorithms: [] };
  for (const param of (header ?? '').split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    // The first value is the importance (required, optional); the rest are the values.
    const values = param.slice(eq + 1).split(',').map((v) => v.trim().toLowerCase()).filter(Boolean).slice(1);
    if (name === 'signed-receipt-protocol') result.signedReceipt = values.includes('pkcs7-signature');
    else if (name === 'signed-receipt-micalg') result.micAlgorithms = values;
  }
  return result;
}
