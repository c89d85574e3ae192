// x12Completeness: a finished file is complete; any file cut short, a tail without its head, or an
// IEA that closes another interchange is not (src/x12/completeness.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { x12Completeness } from '../../src/x12/completeness.js';

const dir = join(import.meta.dirname, '../fixtures/x12/pass');
const fixtures = readdirSync(dir).filter((n) => n.endsWith('.edi')).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));

/** Where the last interchange's IEA segment ends (its terminator included), by text search. */
function endOfLastIea(text: string): number {
  const at = text.lastIndexOf('IEA');
  const terminator = text.slice(at).search(/[~\n!']/);
  return at + terminator + 1;
}

describe('x12Completeness', () => {
  it('says every well-formed fixture is complete', () => {
    expect(fixtures.length).toBeGreaterThan(10);
    for (const f of fixtures) expect(x12Completeness(f.bytes), f.name).toEqual({ complete: true });
  });

  it('says every prefix of a fixture cut before its last IEA ends is not complete', () => {
    for (const f of fixtures) {
      const text = f.bytes.toString('latin1');
      const last = endOfLastIea(text);
      // Every cut in the last 40 bytes before the IEA's end, and every 97th byte elsewhere.
      for (let cut = 0; cut < last; cut += cut < last - 40 ? 97 : 1) {
        const verdict = x12Completeness(f.bytes.subarray(0, cut));
        expect(verdict.complete, `${f.name} cut at ${cut} of ${f.bytes.length}`).toBe(false);
      }
    }
  });

  it('says a tail without its head is not complete, and names why', () => {
    const f = fixtures.find((x) => x.name === 'crlf-after-tilde.edi') ?? fixtures[0]!;
    const text = f.bytes.toString('latin1');
    const tail = Buffer.from(text.slice(text.indexOf('ST*')), 'latin1');
    expect(x12Completeness(tail)).toEqual({ complete: false, why: 'the file does not start with an ISA segment' });
    expect(x12Completeness(Buffer.alloc(0))).toEqual({ complete: false, why: 'the file is empty' });
  });

  it('accepts trailing line breaks, NULs and Ctrl-Z, and leading zeros in IEA02', () => {
    const f = readFileSync(join(dir, 'bom.edi'));
    expect(x12Completeness(Buffer.concat([f, Buffer.from('\r\n\r\n\u0000\u001a')]))).toEqual({ complete: true });
    const unpadded = Buffer.from(f.toString('latin1').replace(/IEA\*(\d+)\*0+(\d+)/, 'IEA*$1*$2'), 'latin1');
    expect(x12Completeness(unpadded)).toEqual({ complete: true });
  });

  it('says an IEA that closes another interchange is not complete', () => {
    const f = readFileSync(join(dir, 'bom.edi')).toString('latin1');
    const wrong = Buffer.from(f.replace(/IEA\*(\d+)\*(\d+)/, 'IEA*$1*999999999'), 'latin1');
    expect(x12Completeness(wrong)).toMatchObject({ complete: false, why: expect.stringContaining('closes interchange 999999999') });
  });

  it('looks at the last interchange of a file of many', () => {
    const f = readFileSync(join(dir, 'bom.edi')).toString('latin1').replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, '');
    const second = f.replace(/000000905/g, '000000906');
    expect(x12Completeness(Buffer.from(f + second, 'latin1'))).toEqual({ complete: true });
    // The second interchange cut: its ISA is there, its IEA is not (the first one's IEA is not enough).
    const cut = f + second.slice(0, second.lastIndexOf('IEA'));
    expect(x12Completeness(Buffer.from(cut, 'latin1'))).toMatchObject({ complete: false });
  });
});
