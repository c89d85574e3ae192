// multipart/* bodies (RFC 2046 section 5.1): split at the boundary into parts whose exact bytes are kept
// (the first part of a multipart/signed is what the signature covers), and the reverse.
import { randomBytes } from 'node:crypto';
import { ascii, asBuffer } from './bytes.js';
import { MimeError } from './errors.js';
import { parseEntity, type MimeEntity } from './entity.js';

export const MULTIPART_LIMITS = { maxParts: 100 } as const;

export interface MimePart extends MimeEntity {
  /** Where the part starts in the multipart body. */
  offset: number;
}

/** A boundary line at `at`: "--boundary" at a line start, then "--" (close) or white space to the line end. */
function delimiterAt(body: Buffer, at: number, dash: Buffer): { close: boolean; next: number } | undefined {
  if (at > 0 && body[at - 1] !== 0x0a) return undefined;
  let i = at + dash.length;
  let close = false;
  if (body[i] === 0x2d && body[i + 1] === 0x2d) { close = true; i += 2; }
  while (body[i] === 0x20 || body[i] === 0x09) i++; // transport padding
  if (i >= body.length) return close ? { close, next: i } : undefined;
  if (body[i] === 0x0d && body[i + 1] === 0x0a) return { close, next: i + 2 };
  if (body[i] === 0x0a) return { close, next: i + 1 };
  return close ? { close, next: i } : undefined;
}

function findDelimiter(body: Buffer, from: number, dash: Buffer): { at: number; close: boolean; next: number } | undefined {
  for (let at = body.indexOf(dash, from); at >= 0; at = body.indexOf(dash, at + 1)) {
    const d = delimiterAt(body, at, dash);
    if (d) return { at, ...d };
  }
  return undefined;
}

/** The parts of a multipart body; the line break before each boundary belongs to the boundary. */
export function splitMultipart(bodyBytes: Uint8Array, boundary: string | undefined): MimePart[] {
  const body = asBuffer(bodyBytes);
  if (!boundary) throw new MimeError('multipart without a boundary parameter', 0);
  if (boundary.length > 70) throw new MimeError('multipart boundary longer than 70 characters', 0);
  const dash = ascii(`--${boundary}`);
  let d = findDelimiter(body, 0, dash);
  if (!d) throw new MimeError(`multipart body without its boundary "${boundary}"`, 0);
  if (d.close) throw new MimeError('multipart body with no part', d.at);
  const parts: MimePart[] = [];
  while (!d.close) {
    const start = d.next;
    const next = findDelimiter(body, start, dash);
    if (!next) throw new MimeError('multipart body is truncated: no closing boundary', body.length);
    if (parts.length >= MULTIPART_LIMITS.maxParts) throw new MimeError(`multipart with more than ${MULTIPART_LIMITS.maxParts} parts`, start);
    let end = next.at;
    if (end > start && body[end - 1] === 0x0a) end--;
    if (end > start && body[end - 1] === 0x0d) end--;
    const raw = body.subarray(start, Math.max(start, end));
    try {
      parts.push({ ...parseEntity(raw), offset: start });
    } catch (e) {
      if (e instanceof MimeError) throw new MimeError(`part ${parts.length + 1}: ${e.what}`, start + e.offset);
      throw e;
    }
    d = next;
  }
  return parts;
}

export function newBoundary(): string {
  return `----=_Part_${randomBytes(12).toString('hex')}`;
}

/** A multipart body from the raw bytes of its parts (each headers, empty line, body). */
export function joinMultipart(parts: readonly Uint8Array[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(ascii(`--${boundary}\r\n`), asBuffer(part), ascii('\r\n'));
  chunks.push(ascii(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
