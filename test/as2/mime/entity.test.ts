import { describe, expect, it } from 'vitest';
import {
  HEADER_LIMITS, MimeError, canonicalizeLineEnds, decodeBase64, decodeQuotedPrintable, decodedBody, encodeBase64Lines,
  formatParameterized, makeEntity, parseContentDisposition, parseContentType, parseEntity, transferEncodingOf,
} from '../../../src/as2/mime/index.js';
import { thrown } from '../thrown.js';

const b = (s: string) => Buffer.from(s, 'latin1');

function mimeError(fn: () => unknown): MimeError {
  const error = thrown(MimeError, fn);
  expect(error.code).toBe('AS2_MIME_MALFORMED');
  return error;
}

describe('MIME entity', () => {
  it('reads headers to the empty line, names without case, folded lines unfolded, body exact', () => {
    const raw = b('Content-Type: application/edi-x12;\r\n\tname="a b.edi"\r\nX-Two:  v  \r\ncontent-transfer-encoding: binary\r\n\r\nISA*00\r\n\r\n\x00\xff');
    const e = parseEntity(raw);
    expect(e.headers.get('CONTENT-TYPE')).toBe('application/edi-x12;\tname="a b.edi"');
    expect(e.headers.get('x-two')).toBe('v');
    expect(e.headers.get('Content-Transfer-Encoding')).toBe('binary');
    expect(e.headers.get('missing')).toBeUndefined();
    expect([...e.body]).toEqual([...b('ISA*00\r\n\r\n\x00\xff')]);
    expect(e.raw).toBe(raw);
  });

  it('accepts bare LF line ends and an entity with no headers', () => {
    expect(parseEntity(b('A: 1\nB: 2\n\nbody')).headers.get('b')).toBe('2');
    const e = parseEntity(b('\r\nonly body'));
    expect(e.headers.fields).toEqual([]);
    expect(e.body.toString()).toBe('only body');
  });

  it('refuses headers without the empty line, naming where they end', () => {
    const err = mimeError(() => parseEntity(b('Content-Type: text/plain\r\nX: y')));
    expect(err.message).toContain('without the empty line');
    expect(err.offset).toBe(30);
    expect(mimeError(() => parseEntity(b('Content-Type: text/plain\r\n'))).offset).toBe(26);
  });

  it('refuses a line that is no field, and a fold with nothing before it, with the offset', () => {
    const err = mimeError(() => parseEntity(b('A: 1\r\nnot a header\r\n\r\n')));
    expect(err.offset).toBe(6);
    expect(err.message).toContain('not "Name: value"');
    expect(mimeError(() => parseEntity(b(' folded: x\r\n\r\n'))).offset).toBe(0);
  });

  it('bounds the header block: too many fields, too many bytes, a huge line without line end', () => {
    const many = Array.from({ length: HEADER_LIMITS.maxFields + 1 }, (_, i) => `X-${i}: v\r\n`).join('');
    expect(mimeError(() => parseEntity(b(`${many}\r\n`))).message).toContain(`more than ${HEADER_LIMITS.maxFields}`);
    const big = `X: ${'a'.repeat(HEADER_LIMITS.maxBytes + 10)}\r\n\r\n`;
    expect(mimeError(() => parseEntity(b(big))).message).toContain('larger than');
    const folded = `X: a\r\n${' b\r\n'.repeat(HEADER_LIMITS.maxBytes / 4 + 10)}\r\n`;
    expect(mimeError(() => parseEntity(b(folded))).message).toContain('larger than');
    const started = Date.now();
    mimeError(() => parseEntity(Buffer.alloc(20 * 1024 * 1024, 0x61)));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('serializes an entity that parses back to the same fields and body', () => {
    const e = makeEntity({ 'Content-Type': 'application/edi-x12', 'Content-Disposition': 'attachment; filename=a.edi' }, b('x\r\ny'));
    expect(e.raw.toString('latin1')).toBe('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=a.edi\r\n\r\nx\r\ny');
    const back = parseEntity(e.raw);
    expect(back.headers.fields).toEqual(e.headers.fields);
    expect(back.body.equals(e.body)).toBe(true);
    expect(() => makeEntity({ X: 'a\r\nInjected: yes' }, b(''))).toThrow(RangeError);
  });
});

describe('Content-Type and Content-Disposition', () => {
  it('reads type, subtype and parameters: tokens, quoted strings with escapes, names without case', () => {
    const t = parseContentType('Multipart/Signed; protocol="application/pkcs7-signature"; MicAlg=sha-256;\r\n boundary="--a \\"b\\" c"; ');
    expect(t.value).toBe('multipart/signed');
    expect(t.params).toEqual({ protocol: 'application/pkcs7-signature', micalg: 'sha-256', boundary: '--a "b" c' });
  });

  it('takes an unquoted value with specials up to the next ";"', () => {
    expect(parseContentType('multipart/signed; boundary=----=_Part_1_2.3; micalg=sha1').params)
      .toEqual({ boundary: '----=_Part_1_2.3', micalg: 'sha1' });
  });

  it('refuses a value with no subtype, an unclosed quote, a parameter without "="', () => {
    expect(mimeError(() => parseContentType('application')).message).toContain('no "/"');
    expect(mimeError(() => parseContentType('a/b; name="open')).message).toContain('not closed');
    expect(mimeError(() => parseContentType('a/b; name')).message).toContain('without "="');
    expect(mimeError(() => parseContentType('')).message).toContain('no type');
  });

  it('reads a disposition and quotes what needs quoting when writing', () => {
    expect(parseContentDisposition('attachment; filename="my file.edi"')).toEqual({ value: 'attachment', params: { filename: 'my file.edi' } });
    expect(formatParameterized('attachment', { filename: 'my "file".edi', size: '10' })).toBe('attachment; filename="my \\"file\\".edi"; size=10');
    const back = parseContentDisposition(formatParameterized('attachment', { filename: 'a\\b "c"' }));
    expect(back.params['filename']).toBe('a\\b "c"');
  });

  it('is linear on hostile input', () => {
    const started = Date.now();
    expect(() => parseContentType(`a/b; x="${'\\"'.repeat(100_000)}`)).toThrow(MimeError);
    expect(() => parseContentType(`a/b; x=${'\\'.repeat(200_000)}`)).not.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('transfer encodings', () => {
  it('decodes base64 across lines, refuses other bytes and a truncated body', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const lines = encodeBase64Lines(data);
    expect(lines.toString('latin1').split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(decodeBase64(lines).equals(data)).toBe(true);
    expect(mimeError(() => decodeBase64(b('QUJD\r\nR*=='))).offset).toBe(7);
    expect(mimeError(() => decodeBase64(b('QUJDR'))).message).toContain('truncated');
    expect(mimeError(() => decodeBase64(b('QQ==QUJD'))).offset).toBe(4);
  });

  it('decodes quoted-printable: escapes, soft line breaks, spaces before line ends', () => {
    expect(decodeQuotedPrintable(b('caf=C3=A9 =\r\nau lait  \r\nnext=\nline=20\r\n')).toString('utf8')).toBe('café au lait\r\nnextline \r\n');
    expect(decodeQuotedPrintable(b('a= \r\nb')).toString()).toBe('ab');
    expect(mimeError(() => decodeQuotedPrintable(b('ab=ZZ'))).offset).toBe(2);
  });

  it('names the encoding of an entity, 7bit when absent, refusing unknown ones', () => {
    expect(transferEncodingOf(undefined)).toBe('7bit');
    expect(transferEncodingOf(' Base64 ')).toBe('base64');
    expect(mimeError(() => transferEncodingOf('x-uuencode')).message).toContain('x-uuencode');
  });

  it('decodes an entity body and places an error at its offset in the entity', () => {
    const e = parseEntity(b('Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\n'));
    expect(decodedBody(e).toString()).toBe('ABC');
    const bad = parseEntity(b('Content-Transfer-Encoding: base64\r\n\r\nQU!D'));
    expect(mimeError(() => decodedBody(bad)).offset).toBe(39);
  });
});

describe('canonical line ends', () => {
  it('gives bare LFs their CR and leaves CRLF and a lone CR alone', () => {
    expect(canonicalizeLineEnds(b('a\nb\r\nc\rd\n\n')).toString('latin1')).toBe('a\r\nb\r\nc\rd\r\n\r\n');
    const canonical = b('x\r\ny');
    expect(canonicalizeLineEnds(canonical)).toBe(canonical);
  });
});
