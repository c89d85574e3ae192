// The HTTP headers of an AS2 message (RFC 4130 section 6): identities, message id, what MDN we ask for.
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors/failure.js';
import type { DigestAlgorithm } from './cms/index.js';
import { micalgName } from './mic.js';

export type MdnRequest = { mode: 'sync' } | { mode: 'async'; url: string };

export interface As2HeaderOptions {
  from: string;
  to: string;
  /** With or without the angle brackets. */
  messageId: string;
  subject?: string;
  /** Ask for an MDN; none when absent. */
  mdn?: MdnRequest;
  /** Ask for a signed MDN whose MIC uses this digest (use the one the message is packed with). */
  mdnSigned?: DigestAlgorithm;
  now?: Date;
}

/** An AS2 identity as a header value: as it is when an atom, quoted when it holds spaces or specials. */
export function formatAs2Id(id: string): string {
  validateAs2Id(id);
  if (/^[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+$/.test(id)) return id;
  return `"${id.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function as2Headers(o: As2HeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'AS2-Version': '1.2',
    'AS2-From': formatAs2Id(o.from),
    'AS2-To': formatAs2Id(o.to),
    'Message-ID': bracketed(o.messageId),
    'MIME-Version': '1.0',
    Date: (o.now ?? new Date()).toUTCString(),
  };
  if (o.subject !== undefined) headers['Subject'] = o.subject.replace(/[\r\n]+/g, ' ');
  if (o.mdn) {
    // The value is not used for HTTP delivery; the convention is an address of the requester.
    headers['Disposition-Notification-To'] = o.mdn.mode === 'async' ? o.mdn.url : formatAs2Id(o.from);
    if (o.mdn.mode === 'async') headers['Receipt-Delivery-Option'] = o.mdn.url;
    if (o.mdnSigned) {
      headers['Disposition-Notification-Options'] =
        `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${micalgName(o.mdnSigned)}`;
    }
  }
  return headers;
}

function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  if (!bare || /[<>\s]/.test(bare)) throw new RangeError(`not a message id: ${JSON.stringify(id.slice(0, 80))}`);
  return `<${bare}>`;
}

/** A new, globally unique Message-ID "<...@domain>". */
export function newMessageId(domain: string): string {
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(domain)) throw new RangeError(`not a domain for a message id: ${JSON.stringify(domain.slice(0, 80))}`);
  return `<${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${domain}>`;
}

function validateAs2Id(id: string): void {
  let printable = id.length >= 1 && id.length <= 128;
  for (let i = 0; printable && i < id.length; i++) {
    const c = id.charCodeAt(i);
    printable = c >= 0x20 && c <= 0x7e;
  }
  if (!printable) {
    throw new GatewayError('AS2_ID_INVALID', `AS2 identifier ${JSON.stringify(id.slice(0, 40))} is not 1 to 128 printable ASCII characters`, { length: id.length });
  }
}

/** An AS2-From/AS2-To value as the identity it names: unquoted (RFC 4130 section 6.2) and validated. */
export function readAs2Id(value: string): string {
  const v = value.trim();
  let id = v;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    id = '';
    for (let i = 1; i < v.length - 1; i++) {
      const c = v[i]!;
      if (c === '\\' && i + 1 < v.length - 1) { id += v[++i]; continue; }
      id += c;
    }
  }
  validateAs2Id(id);
  return id;
}
