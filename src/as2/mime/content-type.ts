// Content-Type and Content-Disposition values (RFC 2045 section 5.1, RFC 2183): a type and parameters,
// values a token or a quoted string. Read by one linear scan; type and parameter names in lower case.
import { MimeError } from './errors.js';
import { printable } from './headers.js';

export interface ParameterizedValue {
  /** "multipart/signed", "attachment": lower case. */
  value: string;
  /** Names in lower case, values as written (unquoted). */
  params: Record<string, string>;
}

const TSPECIALS = '()<>@,;:\\"/[]?=';

function isTokenChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 32 && code < 127 && !TSPECIALS.includes(c);
}

/**
 * Parses "type/subtype; a=b; c=\"d e\"". `withSubtype`: the value is type/subtype (Content-Type)
 * rather than one token (Content-Disposition). Lenient where senders are sloppy (a trailing ";",
 * spaces around "="), strict where the meaning would be unsure (an unterminated quoted string).
 */
export function parseParameterized(header: string, what: string, withSubtype: boolean): ParameterizedValue {
  let i = 0;
  const n = header.length;
  // Line breaks too: a value from an HTTP header or a test may still be folded.
  const skipSpace = () => { while (i < n && ' \t\r\n'.includes(header[i]!)) i++; };
  const token = (): string => {
    const from = i;
    while (i < n && isTokenChar(header[i]!)) i++;
    return header.slice(from, i);
  };
  const fail = (why: string): never => {
    throw new MimeError(`${what} "${printable(header)}": ${why}`, i);
  };

  skipSpace();
  let value = token();
  if (!value) fail('no type');
  if (withSubtype) {
    if (header[i] !== '/') fail('no "/" between type and subtype');
    i++;
    const sub = token();
    if (!sub) fail('no subtype');
    value += `/${sub}`;
  }
  const params: Record<string, string> = Object.create(null);
  while (true) {
    skipSpace();
    if (i >= n) break;
    if (header[i] !== ';') fail(`unexpected "${printable(header[i]!)}"`);
    i++;
    skipSpace();
    if (i >= n) break; // a trailing ";"
    const name = token().toLowerCase();
    if (!name) fail('a parameter without a name');
    skipSpace();
    if (header[i] !== '=') fail(`parameter ${name} without "="`);
    i++;
    skipSpace();
    let v: string;
    if (header[i] === '"') {
      i++;
      v = '';
      while (true) {
        if (i >= n) fail(`the quoted value of ${name} is not closed`);
        const c = header[i]!;
        if (c === '"') { i++; break; }
        if (c === '\\' && i + 1 < n) { v += header[i + 1]; i += 2; continue; }
        v += c;
        i++;
      }
    } else {
      // Up to the next ";": senders write unquoted values with specials (boundary=----=_Part_1).
      const from = i;
      while (i < n && header[i] !== ';') i++;
      v = header.slice(from, i).trim();
    }
    params[name] = v;
  }
  return { value: value.toLowerCase(), params };
}

export function parseContentType(header: string): ParameterizedValue {
  return parseParameterized(header, 'Content-Type', true);
}

export function parseContentDisposition(header: string): ParameterizedValue {
  return parseParameterized(header, 'Content-Disposition', false);
}

/** A parameter value as a token when it is one, else a quoted string. */
export function quoteParam(value: string): string {
  if (value.length > 0 && [...value].every(isTokenChar)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function formatParameterized(value: string, params: Record<string, string> = {}): string {
  return [value, ...Object.entries(params).map(([k, v]) => `${k}=${quoteParam(v)}`)].join('; ');
}
