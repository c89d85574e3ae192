// Content-Transfer-Encoding (RFC 2045 section 6): what a part's body bytes mean. Decoders are linear scans
// that name the first byte they cannot read.
import { MimeError } from './errors.js';
import { asBuffer } from './bytes.js';

export type TransferEncoding = 'binary' | '7bit' | '8bit' | 'base64' | 'quoted-printable';

const KNOWN: readonly string[] = ['binary', '7bit', '8bit', 'base64', 'quoted-printable'];

/** The encoding a header names (absent: 7bit, RFC 2045 section 6.1), refused when unknown. */
export function transferEncodingOf(header: string | undefined): TransferEncoding {
  const name = (header ?? '7bit').trim().toLowerCase();
  if (!KNOWN.includes(name)) throw new MimeError(`unknown Content-Transfer-Encoding "${name.slice(0, 40)}"`, 0);
  return name as TransferEncoding;
}

export function decodeTransferEncoding(body: Uint8Array, encoding: TransferEncoding): Buffer {
  switch (encoding) {
    case 'base64': return decodeBase64(body);
    case 'quoted-printable': return decodeQuotedPrintable(body);
    default: return asBuffer(body);
  }
}

function base64Value(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
}

/** Base64 with line breaks and spaces anywhere; other bytes, or data after the padding, are refused. */
export function decodeBase64(body: Uint8Array): Buffer {
  const input = asBuffer(body);
  const clean = Buffer.allocUnsafe(input.length);
  let n = 0;
  let padding = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 13 || c === 10 || c === 32 || c === 9) continue;
    if (c === 61) { padding++; clean[n++] = c; continue; }
    if (!base64Value(c) || padding > 0) throw new MimeError(`base64 body holds byte 0x${c.toString(16).padStart(2, '0')}`, i);
    clean[n++] = c;
  }
  if (padding > 2 || n % 4 !== 0) throw new MimeError('base64 body is truncated (its length is not a multiple of 4)', input.length);
  return Buffer.from(clean.subarray(0, n).toString('latin1'), 'base64');
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Quoted-printable: "=XX" escapes, "=" at a line's end joins lines, spaces before a line end dropped. */
export function decodeQuotedPrintable(body: Uint8Array): Buffer {
  const input = asBuffer(body);
  const out = Buffer.allocUnsafe(input.length);
  let o = 0;
  let pendingSpaces = 0; // spaces and tabs held back until we know they are not at a line's end
  const flushSpaces = (at: number) => {
    for (let k = at - pendingSpaces; k < at; k++) out[o++] = input[k]!;
    pendingSpaces = 0;
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 32 || c === 9) { pendingSpaces++; continue; }
    if (c === 13 || c === 10) { pendingSpaces = 0; out[o++] = c; continue; }
    flushSpaces(i);
    if (c !== 61) { out[o++] = c; continue; }
    const a = input[i + 1];
    if (a === 13 || a === 10) { // soft line break
      i += a === 13 && input[i + 2] === 10 ? 2 : 1;
      continue;
    }
    // "=" then spaces then a line end: also a soft break (trailing white space added in transport)
    let j = i + 1;
    while (input[j] === 32 || input[j] === 9) j++;
    if (j > i + 1 && (j === input.length || input[j] === 13 || input[j] === 10)) {
      i = input[j] === 13 && input[j + 1] === 10 ? j + 1 : j;
      continue;
    }
    if (i + 1 === input.length) continue; // "=" at the very end
    const hi = hexValue(a);
    const lo = hexValue(input[i + 2]);
    if (hi < 0 || lo < 0) throw new MimeError('quoted-printable body holds "=" not followed by two hex digits', i);
    out[o++] = hi * 16 + lo;
    i += 2;
  }
  flushSpaces(input.length);
  return Buffer.from(out.subarray(0, o));
}

/** Base64 in lines of 76 characters, CRLF after each (RFC 2045 section 6.8). */
export function encodeBase64Lines(bytes: Uint8Array): Buffer {
  const text = asBuffer(bytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}
