// A MIME header block (RFC 5322 section 2.2, RFC 2045): fields until the empty line, folded lines unfolded,
// names compared without case, order and the original spelling kept for serializing.
import { MimeError } from './errors.js';
import { ascii, latin1, lineEnd } from './bytes.js';

/** Bounds against hostile input: a real AS2 entity has a dozen fields of a few hundred bytes. */
export const HEADER_LIMITS = { maxFields: 200, maxBytes: 64 * 1024 } as const;

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export class MimeHeaders {
  readonly fields: readonly HeaderField[];
  constructor(fields: Iterable<HeaderField> | Record<string, string> = []) {
    this.fields = Symbol.iterator in fields
      ? [...(fields as Iterable<HeaderField>)]
      : Object.entries(fields).map(([name, value]) => ({ name, value }));
  }

  /** The first field's value, undefined when absent. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.fields.find((f) => f.name.toLowerCase() === lower)?.value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

export interface HeaderBlock {
  headers: MimeHeaders;
  /** Where the body starts (after the empty line), or the input's length when it has none. */
  bodyStart: number;
}

/**
 * Reads fields from `start` to the empty line (CRLF or bare LF). `endMayBeBlank`: the block may end
 * at the end of the input (a disposition-notification's fields); otherwise that is an error.
 */
export function parseHeaderBlock(bytes: Buffer, start = 0, endMayBeBlank = false): HeaderBlock {
  const fields: HeaderField[] = [];
  let current: HeaderField | undefined;
  const flush = () => {
    if (current) fields.push({ name: current.name, value: current.value.trim() });
    current = undefined;
  };
  const endOfInput = (offset: number): HeaderBlock => {
    if (!endMayBeBlank) throw new MimeError('the headers end without the empty line before the body', offset);
    flush();
    return { headers: new MimeHeaders(fields), bodyStart: bytes.length };
  };
  for (let at = start; ;) {
    if (at >= bytes.length) return endOfInput(at);
    const end = lineEnd(bytes, at);
    const contentEnd = end?.contentEnd ?? bytes.length;
    if (contentEnd - start > HEADER_LIMITS.maxBytes) throw new MimeError(`the header block is larger than ${HEADER_LIMITS.maxBytes} bytes`, start);
    if (end && contentEnd === at) {
      flush();
      return { headers: new MimeHeaders(fields), bodyStart: end.next };
    }
    const line = latin1(bytes.subarray(at, contentEnd));
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current) throw new MimeError('a folded header line with no field before it', at);
      current = { name: current.name, value: current.value + line };
    } else {
      flush();
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
      if (!isFieldName(name)) throw new MimeError(`a header line that is not "Name: value": "${printable(line)}"`, at);
      if (fields.length >= HEADER_LIMITS.maxFields) throw new MimeError(`more than ${HEADER_LIMITS.maxFields} header fields`, at);
      current = { name, value: line.slice(colon + 1) };
    }
    at = end ? end.next : bytes.length;
  }
}

/** RFC 5322 field name: printable ASCII but the colon. */
function isFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126 || c === 58) return false;
  }
  return true;
}

/** A bounded, printable excerpt of hostile input for an error message. */
export function printable(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  let out = '';
  for (const ch of cut) out += ch >= ' ' && ch <= '~' ? ch : '?';
  return out;
}

/** Fields as written on the wire; a value holding a line break would forge a field, so it is refused. */
export function serializeHeaders(headers: MimeHeaders): Buffer {
  let text = '';
  for (const { name, value } of headers.fields) {
    if (/[\r\n]/.test(value) || /[\r\n:]/.test(name)) throw new RangeError(`header ${name} holds a line break`);
    text += `${name}: ${value}\r\n`;
  }
  return ascii(text);
}
