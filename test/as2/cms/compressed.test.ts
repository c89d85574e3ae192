import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createDeflate, deflateSync, inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import { CmsError, DEFAULT_MAX_DECOMPRESSED_BYTES, compress, contentTypeOf, decompress } from '../../../src/as2/cms/index.js';
import { COMPRESSED_DATA, DATA, ZLIB, handMade } from './compressed-by-hand.js';
import { thrown } from '../thrown.js';

const caught = (run: () => unknown): CmsError => thrown(CmsError, run);

const text = Buffer.from('ISA*00*          *00*          *ZZ*A~'.repeat(500));

describe('compress and decompress', () => {
  it('round-trips, smaller than the input for text', () => {
    const der = compress(text);
    expect(contentTypeOf(der)).toBe('compressed');
    expect(der.length).toBeLessThan(text.length / 10);
    expect(Buffer.from(decompress(der)).equals(text)).toBe(true);
    const random = randomBytes(10_000);
    expect(Buffer.from(decompress(compress(random))).equals(random)).toBe(true);
  });

  it('writes RFC 3274 CompressedData that a plain ASN.1 reader and zlib inflate', () => {
    const root = asn1js.fromBER(compress(text)).result as asn1js.Sequence;
    const [type, wrapped] = root.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Constructed];
    expect(type.valueBlock.toString()).toBe(COMPRESSED_DATA);
    const [version, algorithm, encap] = (wrapped.valueBlock.value[0] as asn1js.Sequence).valueBlock.value as [asn1js.Integer, asn1js.Sequence, asn1js.Sequence];
    expect(version.valueBlock.valueDec).toBe(0);
    expect((algorithm.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(ZLIB);
    const [eType, eContent] = encap.valueBlock.value as [asn1js.ObjectIdentifier, asn1js.Constructed];
    expect(eType.valueBlock.toString()).toBe(DATA);
    const deflated = (eContent.valueBlock.value[0] as asn1js.OctetString).getValue();
    expect(inflateSync(new Uint8Array(deflated)).equals(text)).toBe(true);
  });

  it('reads a CompressedData made by hand, also with BER chunked content', () => {
    expect(Buffer.from(decompress(handMade(deflateSync(text)))).equals(text)).toBe(true);
    expect(Buffer.from(decompress(handMade(deflateSync(text), { chunk: 100 }))).equals(text)).toBe(true);
  });

  it('refuses a zip bomb beyond maxBytes (AS2_DECOMPRESS_FAILED)', () => {
    const bomb = handMade(deflateSync(Buffer.alloc(20 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const error = caught(() => decompress(bomb, { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('AS2_DECOMPRESS_FAILED');
    expect(error.message).toContain('beyond 1048576 bytes');
    expect(decompress(bomb, { maxBytes: 20 * 1024 * 1024 }).length).toBe(20 * 1024 * 1024);
  });

  it('refuses beyond 100 MB by default', async () => {
    const deflate = createDeflate();
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => deflate.on('end', resolve));
    const mb = Buffer.alloc(1024 * 1024);
    for (let i = 0; i <= DEFAULT_MAX_DECOMPRESSED_BYTES / mb.length; i++) deflate.write(mb);
    deflate.end();
    await done;
    const error = caught(() => decompress(handMade(Buffer.concat(chunks))));
    expect(error.code).toBe('AS2_DECOMPRESS_FAILED');
    expect(error.message).toContain(`beyond ${100 * 1024 * 1024} bytes`);
  });

  it('fails on damaged zlib data, another algorithm, truncated DER', () => {
    const deflated = deflateSync(text);
    const damaged = Buffer.from(deflated.subarray(0, deflated.length - 8));
    expect(caught(() => decompress(handMade(damaged))).code).toBe('AS2_DECOMPRESS_FAILED');
    const other = caught(() => decompress(handMade(deflated, { algorithm: '1.2.3.4' })));
    expect([other.code, other.message]).toEqual(['AS2_ALGORITHM_UNSUPPORTED', 'compression algorithm 1.2.3.4 is not supported (zlib is)']);
    const der = compress(text);
    expect(caught(() => decompress(der.subarray(0, der.length - 3))).code).toBe('AS2_CMS_MALFORMED');
  });

  it('tells the content type of CMS structures, unknown for anything else', () => {
    expect(contentTypeOf(new Uint8Array(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: DATA })] }).toBER()))).toBe('data');
    expect(contentTypeOf(new Uint8Array(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.3' })] }).toBER()))).toBe('unknown');
    expect(contentTypeOf(Buffer.from('Content-Type: text/plain'))).toBe('unknown');
    expect(contentTypeOf(new Uint8Array(0))).toBe('unknown');
  });
});
