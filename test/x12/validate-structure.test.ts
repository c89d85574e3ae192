// Structure matching (AK3/IK3 codes 1-7) against the small test 850 spec.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors/finding.js';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import type { TransactionSetSpec } from '../../src/x12/spec-types.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { buildTx, D4010, dictionary, spec850, validBody } from './validate-fixtures.js';

const context = { file: 'po.edi', interchange: '000000905', group: '17' };
const run = (body: readonly string[], options: Parameters<typeof buildTx>[1] = {}, spec: TransactionSetSpec = spec850) =>
  validateTransaction(buildTx(body, options), spec, dictionary, context);
/** The AK3 view of a finding: code, AK304, position, tag, loop. */
const ak3 = (f: Finding) => ({ code: f.code, ak3: f.ack.ak3, pos: f.location.segmentPosition, tag: f.location.segmentTag, loop: f.location.loopId });

const header = ['BEG*00*SA*PO-1**20240115'];

describe('structure: valid sets', () => {
  it('accepts the valid test purchase order', () => {
    expect(run(validBody)).toEqual([]);
  });

  it('accepts a set of only the mandatory segments', () => {
    expect(run([...header, 'PO1*1*1*EA*1'])).toEqual([]);
  });

  it('starts a new loop iteration when the trigger segment comes again, closing inner loops', () => {
    const body = [
      ...header,
      'N1*ST*Store', 'N3*1 Main St', 'REF*DP*1', 'PER*BD*Al',
      'N1*BT*Bill', 'REF*DP*2',
      'PO1*1*1*EA*1', 'PID*F****A', 'MEA**WT*1', 'PID*F****B', 'N1*Z7**92*S1', 'N3*x',
      'PO1*2*1*EA*1', 'LM*AG', 'LQ*0*A', 'LM*AG', 'LQ*0*B', 'LQ*0*C',
      'PO1*3*1*EA*1', 'DTM*002*20240201', 'N1*Z7**92*S2', 'N1*Z7**92*S3',
      'CTT*3',
    ];
    expect(run(body)).toEqual([]);
  });

  it('finds a segment in the innermost open loop first (REF after N1 is in loop N1)', () => {
    // REF02 too long: the element finding carries the loop the REF was placed in.
    const tooLong = 'X'.repeat(31);
    const f = run([...header, `REF*DP*${tooLong}`, 'N1*ST*Store', `REF*DP*${tooLong}`, 'PO1*1*1*EA*1', `REF*DP*${tooLong}`]);
    expect(f.map((x) => [x.code, x.location.segmentPosition, x.location.loopId])).toEqual([
      ['X12_ELEMENT_TOO_LONG', 3, undefined],
      ['X12_ELEMENT_TOO_LONG', 5, 'N1'],
      ['X12_ELEMENT_TOO_LONG', 7, 'PO1'],
    ]);
  });
});

describe('structure: AK304 codes', () => {
  it('3: mandatory segment missing, reported where it was expected', () => {
    const f = run(['REF*DP*1', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 2, tag: 'BEG', loop: undefined }]);
    expect(f[0]!.message).toBe('mandatory segment BEG is missing before REF at position 2');
  });

  it('3: mandatory loop missing', () => {
    const f = run([...header, 'CTT*0']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 3, tag: 'PO1', loop: 'PO1' }]);
    expect(f[0]!.message).toBe('mandatory loop PO1 is missing before CTT at position 3');
  });

  it('3: mandatory segment inside a loop missing when the loop closes', () => {
    // LM loop: LQ is mandatory after LM. Closed by the next PO1 and, in the second line, by CTT.
    const f = run([...header, 'PO1*1*1*EA*1', 'LM*AG', 'PO1*2*1*EA*1', 'LM*AG', 'CTT*2']);
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 5, tag: 'LQ', loop: 'LM' },
      { code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 7, tag: 'LQ', loop: 'LM' },
    ]);
    expect(f[1]!.message).toBe('mandatory segment LQ is missing before CTT at position 7');
  });

  it('3: a mandatory segment missing at the end of a set without SE (SE itself is left to the envelope check)', () => {
    const f = run(['REF*DP*1'], { withoutSe: true });
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 2, tag: 'BEG', loop: undefined },
      { code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 2, tag: 'PO1', loop: 'PO1' },
    ]);
    expect(f[1]!.message).toBe('mandatory loop PO1 is missing at the end of the transaction set (after segment 2)');
  });

  it('3: a set with SE reports nothing after SE', () => {
    const f = run([...header, 'PO1*1*1*EA*1', 'LM*AG']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 5, tag: 'LQ', loop: 'LM' }]);
    expect(f[0]!.message).toBe('mandatory segment LQ is missing before SE at position 5');
  });

  it('5: segment over its maximum use, once per extra segment', () => {
    const f = run([...header, 'PER*BD*A', 'PER*BD*B', 'PER*BD*C', 'PER*BD*D', 'PER*BD*E', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_OVER_MAX', ak3: '5', pos: 6, tag: 'PER', loop: undefined },
      { code: 'X12_SEGMENT_OVER_MAX', ak3: '5', pos: 7, tag: 'PER', loop: undefined },
    ]);
    expect(f[0]!.message).toBe('segment PER at position 6 exceeds its maximum use: used 4 times; at most 3 allowed');
  });

  it('5: max use inside a loop counts per loop iteration', () => {
    const f = run([...header, 'N1*ST*A', 'N3*a', 'N3*b', 'N1*BT*B', 'N3*c', 'N3*d', 'N3*e', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_OVER_MAX', ak3: '5', pos: 9, tag: 'N3', loop: 'N1' }]);
    expect(f[0]!.message).toBe('segment N3 at position 9 exceeds its maximum use in loop N1: used 3 times; at most 2 allowed');
  });

  it('4: loop over its maximum repeats, reported on the trigger of each extra iteration', () => {
    const f = run([...header, 'N1*ST*A', 'N1*BT*B', 'N1*BY*C', 'N1*VN*D', 'N3*x', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_LOOP_OVER_MAX', ak3: '4', pos: 6, tag: 'N1', loop: 'N1' }]);
    expect(f[0]!.message).toBe('loop N1 repeats 4 times at position 6; at most 3 allowed');
  });

  it('7: segment defined at this level but at an earlier node is out of sequence', () => {
    const f = run([...header, 'DTM*002*20240201', 'REF*DP*1', 'PO1*1*1*EA*1', 'PO4*1', 'PID*F****A', 'CTT*1', 'BEG*00*SA*X**20240115']);
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_OUT_OF_ORDER', ak3: '7', pos: 4, tag: 'REF', loop: undefined },
      { code: 'X12_SEGMENT_OUT_OF_ORDER', ak3: '7', pos: 7, tag: 'PID', loop: 'PO1' },
      { code: 'X12_SEGMENT_OUT_OF_ORDER', ak3: '7', pos: 9, tag: 'BEG', loop: 'CTT' },
    ]);
    expect(f[0]!.message).toBe('segment REF at position 4 is out of sequence: it must come before DTM');
  });

  it('2: segment of this set that cannot be reached from here is unexpected', () => {
    // MEA belongs only to the PID loop; LQ only to the LM loop; MSG only to the N9 loop.
    const f = run([...header, 'PO1*1*1*EA*1', 'MEA**WT*1', 'LQ*0*A', 'CTT*1', 'MSG*hello']);
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_UNEXPECTED', ak3: '2', pos: 4, tag: 'MEA', loop: 'PO1' },
      { code: 'X12_SEGMENT_UNEXPECTED', ak3: '2', pos: 5, tag: 'LQ', loop: 'PO1' },
      { code: 'X12_SEGMENT_UNEXPECTED', ak3: '2', pos: 7, tag: 'MSG', loop: 'CTT' },
    ]);
    expect(f[0]!.message).toBe('segment MEA at position 4 is not expected here: transaction set 850 uses MEA only in other loops');
  });

  it('6: a dictionary segment that the set does not use', () => {
    const f = run([...header, 'BSN*00*SHIP1', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_NOT_IN_SET', ak3: '6', pos: 3, tag: 'BSN', loop: undefined }]);
    expect(f[0]!.message).toBe('segment BSN at position 3 is an X12 segment, but transaction set 850 does not use it');
  });

  it('6: a segment not in the set still gets its element checks', () => {
    const f = run([...header, 'BSN*00', 'PO1*1*1*EA*1']);
    expect(f.map((x) => [x.code, x.location.segmentPosition, x.location.elementPosition])).toEqual([
      ['X12_SEGMENT_NOT_IN_SET', 3, undefined],
      ['X12_ELEMENT_MISSING', 3, 2],
    ]);
  });

  it('1: an unknown tag is unrecognized and gets no element checks', () => {
    const f = run([...header, 'ZZZ*1*2*3*4*5*6*7*8*9*10*11*12*13*14*15*16*17*18*19*20*21*22*23*24*25', 'PO1*1*1*EA*1']);
    expect(f.map(ak3)).toEqual([{ code: 'X12_SEGMENT_UNRECOGNIZED', ak3: '1', pos: 3, tag: 'ZZZ', loop: undefined }]);
    expect(f[0]!.message).toBe('segment ZZZ at position 3 is not an X12 segment of version 004010');
  });

  it('skips an unplaceable segment and reports every error of the set in one pass', () => {
    const f = run(['REF*DP*1', 'ZZZ*1', 'PER*BD*A', 'PER*BD*B', 'PER*BD*C', 'BSN*00*S1', 'PER*BD*D', 'PO1*1*1*EA*1', 'MEA**WT*1', 'CTT*1', 'AMT*TT*1', 'AMT*TT*2']);
    expect(f.map(ak3)).toEqual([
      { code: 'X12_SEGMENT_MISSING', ak3: '3', pos: 2, tag: 'BEG', loop: undefined },
      { code: 'X12_SEGMENT_UNRECOGNIZED', ak3: '1', pos: 3, tag: 'ZZZ', loop: undefined },
      { code: 'X12_SEGMENT_NOT_IN_SET', ak3: '6', pos: 7, tag: 'BSN', loop: undefined },
      { code: 'X12_SEGMENT_OVER_MAX', ak3: '5', pos: 8, tag: 'PER', loop: undefined },
      { code: 'X12_SEGMENT_UNEXPECTED', ak3: '2', pos: 10, tag: 'MEA', loop: 'PO1' },
      { code: 'X12_SEGMENT_OVER_MAX', ak3: '5', pos: 13, tag: 'AMT', loop: 'CTT' },
    ]);
  });

  it('locates a structure finding fully: file, byte offset, line, envelope, set, segment, loop', () => {
    const f = run([...header, 'PO1*1*1*EA*1', 'LQ*0*A'], { offset: 1000, line: 40 });
    expect(f).toEqual([{
      code: 'X12_SEGMENT_UNEXPECTED',
      severity: 'error',
      message: 'segment LQ at position 4 is not expected here: transaction set 850 uses LQ only in other loops',
      location: {
        file: 'po.edi', offset: 1000 + 'ST*850*0001~\n'.length + 'BEG*00*SA*PO-1**20240115~\n'.length + 'PO1*1*1*EA*1~\n'.length, line: 43,
        interchange: '000000905', group: '17', transaction: '0001', transactionSetId: '850',
        segmentPosition: 4, segmentTag: 'LQ', loopId: 'PO1',
      },
      ack: { ak3: '2', ak5: '5' },
    }]);
  });
});

describe('structure: size', () => {
  /** A set with n PO1 loops (PO1, PID, PO4), built without text to keep the test fast. */
  function bigSet(n: number): TransactionSet {
    const mk = (elements: string[], i: number): Segment => ({ tag: elements[0]!, elements, offset: i * 20, line: i + 1, index: i, delimiters: D4010 });
    const segments: Segment[] = [mk(['ST', '850', '0001'], 0), mk(['BEG', '00', 'SA', 'PO-1', '', '20240115'], 1)];
    for (let i = 0; i < n; i++) {
      const line = String(i + 1);
      segments.push(mk(['PO1', line, '12', 'EA', '4.25', '', 'VN', 'ABC-' + line], segments.length));
      segments.push(mk(['PID', 'F', '', '', '', 'Blue widget'], segments.length));
      segments.push(mk(['PO4', '12', '1', 'EA', 'CTN25'], segments.length));
    }
    segments.push(mk(['CTT', String(n)], segments.length));
    segments.push(mk(['SE', String(segments.length + 1), '0001'], segments.length));
    return { id: '850', controlNumber: '0001', segments, complete: true, findings: [] };
  }

  it('validates 100,000 PO1 loops in linear time with no findings', () => {
    const tx = bigSet(100_000);
    const started = performance.now();
    const f = validateTransaction(tx, spec850, dictionary, context);
    const ms = performance.now() - started;
    expect(f).toEqual([]);
    // 300,000 segments; a quadratic scan would take minutes. Generous bound for a shared 2-core machine.
    expect(ms).toBeLessThan(3000);
  });

  it('reports loop 100,001 of PO1 as over the maximum, at its exact position', () => {
    const f = validateTransaction(bigSet(100_001), spec850, dictionary, context);
    expect(f.map(ak3)).toEqual([{ code: 'X12_LOOP_OVER_MAX', ak3: '4', pos: 2 + 100_000 * 3 + 1, tag: 'PO1', loop: 'PO1' }]);
  });
});
