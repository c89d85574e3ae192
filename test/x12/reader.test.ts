import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFindings, readX12, readX12Stream } from '../../src/x12/reader.js';
import type { ReadResult, Segment } from '../../src/x12/model.js';
import { formatFinding } from '../../src/errors/finding.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'x12');
const passFiles = readdirSync(join(fixtures, 'pass')).filter((f) => f.endsWith('.edi'));
const failFiles = readdirSync(join(fixtures, 'fail')).filter((f) => f.endsWith('.edi'));

const errors = (r: ReadResult) => allFindings(r).filter((f) => f.severity === 'error');
const segmentsOf = (r: ReadResult): Segment[] =>
  r.interchanges.flatMap((ic) => [ic.segment, ...ic.groups.flatMap((g) => [g.segment, ...g.transactions.flatMap((t) => t.segments), ...(g.trailer ? [g.trailer] : [])]), ...(ic.trailer ? [ic.trailer] : [])]);
/** What a segment means, whatever its delimiters: tag plus element values (composites split). */
const meaning = (s: Segment) => s.elements.slice(s.tag === 'ISA' ? 17 : 1).map((e) => (s.delimiters.component ? e.split(s.delimiters.component) : [e]));

describe('reading the envelope fixture corpus', () => {
  const reference = readX12(readFileSync(join(fixtures, 'pass', 'standard-tilde-newline.edi')));
  const referencePo1 = segmentsOf(reference).filter((s) => s.tag === 'PO1').map(meaning);

  it.each(passFiles)('%s reads without errors and gives the same purchase order lines', (name) => {
    const r = readX12(readFileSync(join(fixtures, 'pass', name)), { file: name });
    expect(errors(r).map(formatFinding)).toEqual([]);
    expect(r.interchanges.length).toBeGreaterThan(0);
    for (const ic of r.interchanges) {
      expect(ic.header.senderId).toBe('ACMEBUYER');
      expect(ic.trailer?.tag).toBe('IEA');
      for (const g of ic.groups) for (const t of g.transactions) {
        expect(t.complete).toBe(true);
        expect(t.segments[0]?.tag).toBe('ST');
        expect(t.segments.at(-1)?.tag).toBe('SE');
        expect(t.segments.map((s) => s.tag)).toEqual(['ST', 'BEG', 'REF', 'DTM', 'N1', 'N3', 'N4', 'PO1', 'PID', 'PO1', 'CTT', 'SE']);
      }
    }
    const po1 = segmentsOf(r).filter((s) => s.tag === 'PO1').map(meaning);
    expect(po1.slice(0, 2)).toEqual(referencePo1);
  });

  it.each(failFiles)('%s is rejected with its specific finding', (name) => {
    const expected: string[] = JSON.parse(readFileSync(join(fixtures, 'fail', name.replace(/\.edi$/, '.expect.json')), 'utf8')).codes;
    const r = readX12(readFileSync(join(fixtures, 'fail', name)), { file: name });
    const errs = errors(r);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.map((f) => f.code)).toEqual(expect.arrayContaining(expected));
    for (const f of errs) {
      expect(f.location.file).toBe(name);
      expect(f.location.offset).toBeTypeOf('number');
      expect(f.location.line).toBeTypeOf('number');
      expect(f.message.length).toBeGreaterThan(15);
    }
  });
});

describe('delimiters and layout', () => {
  const read = (name: string) => readX12(readFileSync(join(fixtures, 'pass', name)));

  it('re-detects delimiters at every ISA of a file', () => {
    const r = read('multi-interchange-different-delimiters.edi');
    expect(r.interchanges.map((ic) => ic.header.controlNumber)).toEqual(['000000905', '000000906', '000000907']);
    expect(r.interchanges.map((ic) => [ic.delimiters.element, ic.delimiters.component, ic.delimiters.segment])).toEqual([
      ['*', '>', '~'],
      ['|', '^', '!'],
      ['*', ':', '\n'],
    ]);
  });

  it('reads ISA11 as a repetition separator only from 00402 on', () => {
    expect(read('repetition-caret-5010.edi').interchanges[0]?.delimiters.repetition).toBe('^');
    expect(read('repetition-pipe-5010.edi').interchanges[0]?.delimiters.repetition).toBe('|');
    expect(read('repetition-u-4010.edi').interchanges[0]?.delimiters.repetition).toBeNull();
  });

  it('keeps ISA13 zero padding and trims padded ids', () => {
    const ic = read('standard-tilde-newline.edi').interchanges[0]!;
    expect(ic.header.controlNumber).toBe('000000905');
    expect(ic.header.senderId).toBe('ACMEBUYER');
    expect(ic.segment.elements[6]).toBe('ACMEBUYER      ');
    expect(ic.isaWidth).toBe(106);
  });

  it('reports offsets and lines of segments', () => {
    const text = readFileSync(join(fixtures, 'pass', 'leading-whitespace.edi'), 'latin1');
    const r = readX12(text);
    const segs = segmentsOf(r);
    for (const s of segs) expect(text.startsWith(s.tag, s.offset)).toBe(true);
    expect(segs[0]?.line).toBe(3);
    expect(segs[1]?.line).toBe(4);
  });

  it('warns about a variable-width ISA when the partner allows it', () => {
    const bytes = readFileSync(join(fixtures, 'fail', 'isa-short-unpadded.edi'));
    const strict = readX12(bytes);
    expect(errors(strict).map((f) => f.code)).toEqual(['X12_ISA_WIDTH']);
    expect(errors(strict)[0]?.message).toContain('100 characters');
    const tolerant = readX12(bytes, { allowVariableIsa: true });
    expect(errors(tolerant)).toEqual([]);
    expect(allFindings(tolerant).map((f) => [f.code, f.severity])).toContainEqual(['X12_ISA_WIDTH', 'warning']);
    expect(tolerant.interchanges[0]?.header.senderId).toBe('ACMEBUYER');
  });

  it('reads a missing ISA16 with a warning', () => {
    const text = readFileSync(join(fixtures, 'pass', 'no-line-breaks.edi'), 'latin1').replace('*P*>~', '*P*~');
    const r = readX12(text);
    expect(errors(r)).toEqual([]);
    expect(r.interchanges[0]?.delimiters).toMatchObject({ component: '', segment: '~' });
    expect(allFindings(r).map((f) => f.code)).toContain('X12_COMPONENT_SEPARATOR_MISSING');
    const withLines = readFileSync(join(fixtures, 'pass', 'standard-tilde-newline.edi'), 'latin1').replace('*P*>~', '*P*~');
    const r2 = readX12(withLines);
    expect(errors(r2)).toEqual([]);
    expect(r2.interchanges[0]?.delimiters.segment).toBe('~');
  });

  it('decodes UTF-8 data and keeps other bytes as they are', () => {
    const std = readFileSync(join(fixtures, 'pass', 'standard-tilde-newline.edi'), 'utf8');
    const r = readX12(Buffer.from(std.replace('STORE 12', 'MAGASIN ÉTÉ'), 'utf8'));
    const n1 = segmentsOf(r).find((s) => s.tag === 'N1');
    expect(n1?.elements[2]).toBe('MAGASIN ÉTÉ');
    const latin = readX12(Buffer.from(std.replace('STORE 12', 'CAF\u00c9'), 'latin1'));
    expect(segmentsOf(latin).find((s) => s.tag === 'N1')?.elements[2]).toBe('CAF\u00c9');
  });

  it('treats an ISA inside data as data', () => {
    const std = readFileSync(join(fixtures, 'pass', 'standard-tilde-newline.edi'), 'latin1');
    const r = readX12(std.replace('STORE 12', 'ISAAC*ISA'));
    expect(errors(r)).toEqual([]);
    expect(r.interchanges).toHaveLength(1);
  });
});

describe('error locations', () => {
  it('names interchange, group, set, segment position and line', () => {
    const r = readX12(readFileSync(join(fixtures, 'fail', 'se-count-wrong.edi')), { file: 'se-count-wrong.edi' });
    const f = errors(r)[0]!;
    expect(f.code).toBe('X12_SE_COUNT');
    expect(f.location).toMatchObject({ file: 'se-count-wrong.edi', interchange: '000000905', group: '1', transaction: '0001', transactionSetId: '850', segmentTag: 'SE', segmentPosition: 12, elementPosition: 1, line: 14 });
    expect(f.ack).toEqual({ ak5: '4' });
    expect(formatFinding(f)).toBe('se-count-wrong.edi line 14 (byte ' + f.location.offset + '), interchange 000000905, group 1, set 850 0001, segment 12 SE, element 01: SE01 says 11 segments but the transaction set holds 12 (ST and SE included) [X12_SE_COUNT]');
  });

  it('does not keep a set cut short as complete', () => {
    const r = readX12(readFileSync(join(fixtures, 'fail', 'truncated-mid-segment.edi')));
    const tx = r.interchanges[0]?.groups[0]?.transactions[0];
    expect(tx?.complete).toBe(false);
    expect(tx?.segments.map((s) => s.tag)).not.toContain('SE');
    expect(r.interchanges[0]?.findings.map((f) => f.ack.ta1)).toContain('023');
  });
});

describe('streaming', () => {
  const bytes = readFileSync(join(fixtures, 'pass', 'multi-interchange-different-delimiters.edi'));
  const whole = readX12(bytes);
  const flat = (r: ReadResult) => segmentsOf(r).map((s) => [s.tag, s.offset, s.line, s.index, ...s.elements]);

  async function streamed(chunks: Uint8Array[]) {
    const sets: string[][] = [];
    const findings: string[] = [];
    await readX12Stream(
      (async function* () {
        yield* chunks;
      })(),
      {
        transaction: (tx) => sets.push(tx.segments.map((s) => [s.tag, s.offset, s.line, ...s.elements].join('|'))),
        interchange: (ic) => findings.push(...ic.findings.map((f) => f.code)),
        fileFinding: (f) => findings.push(f.code),
      },
    );
    return { sets, findings };
  }
  const expectedSets = whole.interchanges.flatMap((ic) => ic.groups.flatMap((g) => g.transactions.map((tx) => tx.segments.map((s) => [s.tag, s.offset, s.line, ...s.elements].join('|')))));

  it('gives the same segments whatever the chunk boundaries (every split of the first 400 bytes)', async () => {
    for (let cut = 1; cut < 400; cut++) {
      const { sets, findings } = await streamed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(findings, `cut at ${cut}`).toEqual([]);
      expect(sets, `cut at ${cut}`).toEqual(expectedSets);
    }
  });

  it('gives the same segments for 1-byte and random chunks', async () => {
    const ones = Array.from(bytes, (b) => Uint8Array.of(b));
    expect((await streamed(ones)).sets).toEqual(expectedSets);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + Math.floor(rand() * 90);
        chunks.push(bytes.subarray(i, i + n));
        i += n;
      }
      expect((await streamed(chunks)).sets).toEqual(expectedSets);
    }
    expect(flat(whole).length).toBeGreaterThan(30);
  });
});
