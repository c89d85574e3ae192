import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MULTIPART_LIMITS, MimeError, joinMultipart, makeEntity, newBoundary, splitMultipart } from '../../../src/as2/mime/index.js';
import { thrown } from '../thrown.js';

const b = (s: string) => Buffer.from(s, 'latin1');

const mimeError = (fn: () => unknown): MimeError => thrown(MimeError, fn);

describe('multipart', () => {
  it('keeps each part\'s exact bytes; the line break before a boundary belongs to the boundary', () => {
    const body = b('preamble\r\n--XX\r\nA: 1\r\n\r\none\r\n\r\n--XX  \r\nB: 2\r\n\r\ntwo--XX not a boundary\r\n--XX--\r\nepilogue');
    const parts = splitMultipart(body, 'XX');
    expect(parts.map((p) => p.raw.toString('latin1'))).toEqual(['A: 1\r\n\r\none\r\n', 'B: 2\r\n\r\ntwo--XX not a boundary']);
    expect(parts[0]!.headers.get('a')).toBe('1');
    expect(parts[0]!.offset).toBe(16);
    expect(body.subarray(parts[1]!.offset, parts[1]!.offset + 4).toString()).toBe('B: 2');
  });

  it('reads LF-only multiparts and a closing boundary without a line end', () => {
    const parts = splitMultipart(b('--b\nA: 1\n\nx\n--b\nB: 2\n\ny\n--b--'), 'b');
    expect(parts.map((p) => p.body.toString())).toEqual(['x', 'y']);
  });

  it('does not take a longer boundary sharing the prefix for ours', () => {
    const parts = splitMultipart(b('--b\r\n\r\nx\r\n--bc\r\n--b--\r\n'), 'b');
    expect(parts).toHaveLength(1);
    expect(parts[0]!.body.toString()).toBe('x\r\n--bc');
  });

  it('round-trips what joinMultipart writes', () => {
    const one = makeEntity({ 'Content-Type': 'text/plain' }, b('hello\r\n')).raw;
    const two = makeEntity({ 'Content-Type': 'application/octet-stream' }, Buffer.from([0, 13, 10, 45, 45, 255])).raw;
    const boundary = newBoundary();
    const parts = splitMultipart(joinMultipart([one, two], boundary), boundary);
    expect(parts.map((p) => p.raw.equals(p === parts[0] ? one : two))).toEqual([true, true]);
  });

  it('refuses a missing boundary parameter, a body without the boundary, a truncated body, no parts', () => {
    expect(mimeError(() => splitMultipart(b('--x\r\n\r\n--x--'), undefined)).message).toContain('without a boundary parameter');
    expect(mimeError(() => splitMultipart(b('just text'), 'x')).message).toContain('without its boundary');
    const truncated = b('--x\r\nA: 1\r\n\r\nsome data');
    const err = mimeError(() => splitMultipart(truncated, 'x'));
    expect(err.message).toContain('no closing boundary');
    expect(err.offset).toBe(truncated.length);
    expect(mimeError(() => splitMultipart(b('--x--\r\n'), 'x')).message).toContain('no part');
  });

  it('names the part and its offset when a part\'s headers are broken', () => {
    const err = mimeError(() => splitMultipart(b('--x\r\nA: 1\r\n\r\nok\r\n--x\r\nbroken line\r\n\r\n\r\n--x--'), 'x'));
    expect(err.message).toContain('part 2');
    expect(err.offset).toBe(22);
  });

  it('bounds the number of parts and stays linear on many false boundaries', () => {
    const many = `${'--x\r\n\r\n\r\n'.repeat(MULTIPART_LIMITS.maxParts + 1)}--x--`;
    expect(mimeError(() => splitMultipart(b(many), 'x')).message).toContain(`more than ${MULTIPART_LIMITS.maxParts}`);
    const started = Date.now();
    mimeError(() => splitMultipart(b(`--x\r\n\r\n${'--x'.repeat(500_000)}`), 'x'));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('multipart and entities under random input', () => {
  const bytes = fc.uint8Array({ maxLength: 300 });

  it('splitting what joinMultipart wrote gives back every part exactly', () => {
    fc.assert(fc.property(fc.array(bytes, { minLength: 1, maxLength: 5 }), (bodies) => {
      const boundary = newBoundary();
      const raws = bodies.map((body) => makeEntity({ 'Content-Type': 'application/octet-stream' }, body).raw);
      const parts = splitMultipart(joinMultipart(raws, boundary), boundary);
      expect(parts.map((p) => Buffer.from(p.body))).toEqual(bodies.map((body) => Buffer.from(body)));
    }), { numRuns: 200 });
  });

  it('hostile bytes give parts or a MimeError, nothing else', () => {
    const piece = fc.constantFrom('--x', '--x--', '\r\n', '\n', 'A: 1', ' ', ':', '\r', 'data');
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 40 }), (pieces) => {
      try {
        splitMultipart(Buffer.from(pieces.join(''), 'latin1'), 'x');
      } catch (e) {
        expect(e).toBeInstanceOf(MimeError);
      }
    }), { numRuns: 500 });
  });
});
