// The tokenizer hands each segment its text and, for the validator and the maps, the flat
// string it was cut from (Segment.source, Segment.start) and the bytes of that string. Whatever the chunking, the file's
// quirks (wrapping, CRLF, UTF-8) or the caller's reuse of its buffer, the text must be exactly
// that range of the source, and the segments the same as from one push.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer, type TokenSegment } from '../../src/x12/tokenizer.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'x12', 'pass');
const files = readdirSync(fixtures).filter((f) => f.endsWith('.edi'));

/** Tokenizes `chunks` (pushed one by one); `reuse` copies each chunk into one buffer the caller overwrites. */
function tokenize(chunks: (Uint8Array | string)[], reuse = false): { segments: TokenSegment[]; problems: string[] } {
  const segments: TokenSegment[] = [];
  const problems: string[] = [];
  const t = new Tokenizer({ segment: (s) => segments.push(s), problem: (p) => problems.push(p.code) });
  const scratch = Buffer.alloc(4096);
  for (const c of chunks) {
    if (reuse && typeof c !== 'string') {
      scratch.set(c);
      t.push(scratch.subarray(0, c.length));
      scratch.fill(0x58); // the caller reuses its buffer: the tokenizer must not rely on the old bytes
    } else {
      t.push(c);
    }
  }
  t.end();
  return { segments, problems };
}

const summary = (segs: TokenSegment[]) => segs.map((s) => [s.tag, s.text, s.offset, s.line, s.index]);

function expectTextInSource(segs: TokenSegment[]): void {
  for (const s of segs) {
    expect(s.source.slice(s.start, s.start + s.text.length), s.text).toBe(s.text);
    // The bytes, when given, are the source's: byte i is character i.
    if (s.sourceBytes) expect(Buffer.from(s.sourceBytes).toString('latin1', s.start, s.start + s.text.length), s.text).toBe(s.text);
  }
}

function chunksOf(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('segment text and its source', () => {
  it.each(files)('%s: text is source[start, start + length) for any chunking, with the same segments', (name) => {
    const bytes = readFileSync(join(fixtures, name));
    const whole = tokenize([bytes]);
    expect(whole.segments.length).toBeGreaterThan(5);
    expectTextInSource(whole.segments);
    for (const sizes of [[1], [7, 3], [64], [333, 17], [4000]]) {
      for (const reuse of [false, true]) {
        const r = tokenize(chunksOf(bytes, sizes), reuse);
        expect(r.problems, `${sizes} ${reuse}`).toEqual(whole.problems);
        expect(summary(r.segments), `${sizes} ${reuse}`).toEqual(summary(whole.segments));
        expectTextInSource(r.segments);
      }
    }
    // Strings pushed (no bytes at hand) and strings mixed with bytes give the same.
    const text = bytes.toString('latin1');
    const asStrings = tokenize([text.slice(0, 100), text.slice(100)]);
    expect(summary(asStrings.segments)).toEqual(summary(whole.segments));
    expectTextInSource(asStrings.segments);
    const mixed = tokenize([bytes.subarray(0, 150), text.slice(150, 300), bytes.subarray(300)]);
    expect(summary(mixed.segments)).toEqual(summary(whole.segments));
    expectTextInSource(mixed.segments);
  });

  it('tags are the same strings as the text before the first separator, upper case or not', () => {
    const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
    const r = tokenize([Buffer.from(`${isa}GS*PO*S*R*20240101*1200*1*X*004010~ST*850*0001~beg*00~N1*ST~PO1~A1*1~SE*6*0001~`, 'latin1')]);
    expect(r.segments.map((s) => s.tag)).toEqual(['ISA', 'GS', 'ST', 'BEG', 'N1', 'PO1', 'A1', 'SE']);
    expect(r.problems).toEqual(['X12_LOWERCASE_TAG']);
    expectTextInSource(r.segments);
  });

  it('a line break inside a segment of a wrapped file is found whichever segment it falls in', () => {
    const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
    const body = 'GS*PO*S*R*20240101*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO1**20240101~REF*DP*038~SE*4*0001~GE*1*1~IEA*1*000000001~';
    // Wrapped at 30 characters: the breaks fall inside some segments only.
    const wrapped = (isa + body).replace(/(.{30})/g, '$1\r\n');
    const r = tokenize([Buffer.from(wrapped, 'latin1')]);
    expect(r.problems).toEqual(['X12_HARD_WRAPPED']);
    expect(r.segments.map((s) => s.text)).toEqual(tokenize([Buffer.from(isa + body, 'latin1')]).segments.map((s) => s.text));
    expectTextInSource(r.segments);
    // Unwrapped, with a line break after each terminator only: nothing to report.
    expect(tokenize([Buffer.from((isa + body).replace(/~/g, '~\r\n'), 'latin1')]).problems).toEqual([]);
  });

  it('segments of a set share their chunk; envelope segments, which outlive their sets, hold no chunk', () => {
    const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
    const text = `${isa}GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO1**20240101~SE*3*0001~GE*1*1~IEA*1*000000001~`;
    for (const chunks of [[Buffer.from(text, 'latin1')], [text]]) {
      const r = tokenize(chunks);
      expect(r.segments.map((s) => s.tag)).toEqual(['ISA', 'GS', 'ST', 'BEG', 'SE', 'GE', 'IEA']);
      for (const s of r.segments) {
        const own = ['ISA', 'GS', 'GE', 'IEA'].includes(s.tag);
        // Its own text is its whole source (and no bytes); a set's segment is a range of the chunk.
        expect(s.source === s.text && s.start === 0 && s.sourceBytes === null, s.tag).toBe(own);
        if (!own) expect(s.source.length, s.tag).toBe(text.length);
      }
      // Offsets and lines are the file's either way.
      expect(r.segments.map((s) => s.offset)).toEqual(r.segments.map((s) => text.indexOf(s.text)));
    }
  });

  it('UTF-8 segments carry their decoded text as their own source', () => {
    const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~';
    const r = tokenize([Buffer.from(`${isa}GS*PO*S*R*20240101*1200*1*X*004010~ST*850*0001~N1*ST*MAGASIN ÉTÉ~SE*3*0001~`, 'utf8')]);
    const n1 = r.segments.find((s) => s.tag === 'N1')!;
    expect(n1.text).toBe('N1*ST*MAGASIN ÉTÉ');
    expect(n1.start).toBe(0);
    expectTextInSource(r.segments);
  });
});

describe('segments a sink notes as they are (TokenizerSink.noted)', () => {
  it('makes no object for them, and gives the same tag, text and place as the object would', () => {
    const bytes = readFileSync(join(fixtures, files[0]!));
    const plain = tokenize([bytes]).segments;
    const made: TokenSegment[] = [];
    const noted: [string, string, number, number][] = [];
    const t = new Tokenizer({
      segment: (s) => made.push(s),
      problem: () => {},
      noted: (tag, src, k) => {
        if (tag === 'ST' || tag === 'SE') return false;
        noted.push([tag, src.textOf(k), src.base + src.start(k), src.index(k)]);
        return true;
      },
    });
    t.push(bytes);
    t.end();
    const body = plain.filter((s) => !['ISA', 'GS', 'GE', 'IEA', 'TA1', 'ST', 'SE'].includes(s.tag));
    expect(body.length).toBeGreaterThan(0);
    expect(noted).toEqual(body.map((s) => [s.tag, s.text, s.offset, s.index]));
    expect(summary(made)).toEqual(summary(plain.filter((s) => !body.includes(s))));
  });
});
