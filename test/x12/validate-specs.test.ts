// The validator with the real specs (specs/<version>/*.json through the registry), on
// interchanges written by writer.ts and read back by readX12: valid samples give no
// findings, broken variants give exact codes and positions.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors/finding.js';
import { readX12 } from '../../src/x12/reader.js';
import { getSegmentDictionary, getTransactionSetSpec, listSpecs, type SpecVersion } from '../../src/x12/specs.js';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import { isLoop, type StructureNode } from '../../src/x12/spec-types.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { defaultDelimiters, serializeInterchange } from '../../src/x12/writer.js';

const po850 = [
  'BEG*00*SA*PO-1001**20240115',
  'REF*DP*038',
  'PER*BD*Jane Buyer*TE*5551234567',
  'ITD*01*3*2**10',
  'DTM*002*20240201',
  'N1*ST*Main Warehouse*92*0001',
  'N3*12 Harbor Road',
  'N4*Springfield*IL*62701*US',
  'PO1*1*12*EA*4.25*PE*VN*ABC-1*UP*012345678905',
  'PID*F****Blue widget',
  'PO4*12*1*EA',
  'SAC*C*D240***1250',
  'PO1*2*3*CA*10.5**VN*XYZ-2',
  'CTT*2*15',
  'AMT*TT*82.5',
];

const asn856 = [
  'BSN*00*SHIP-1*20240120*1530*0001',
  'DTM*011*20240120',
  'HL*1**S',
  'TD1*CTN25*2****G*25.5*LB',
  'TD5**2*ABCD*M',
  'REF*BM*BOL123',
  'N1*ST*Main Warehouse*92*0001',
  'N1*SF*Supplier Inc*92*S1',
  'HL*2*1*O',
  'PRF*PO-1001***20240115',
  'HL*3*2*P',
  'MAN*GM*00012345678901234560',
  'HL*4*3*I',
  'LIN**VN*ABC-1*UP*012345678905',
  'SN1**12*EA',
  'PID*F****Blue widget',
  'HL*5*2*P',
  'MAN*GM*00012345678901234577',
  'HL*6*5*I',
  'LIN**VN*XYZ-2',
  'SN1**3*CA',
  'CTT*6',
];

const GROUPS: Record<string, string> = { '850': 'PO', '856': 'SH' };

/** An interchange with one set of `setId`, written by the writer and read back by the reader. */
function read(setId: string, body: readonly string[], version: SpecVersion = '004010') {
  const isa = version === '004010' ? '00401' : '00501';
  const text = serializeInterchange({
    header: { senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'DISTRIB', date: '240115', time: '1200', version: isa, controlNumber: 905, usage: 'P' },
    groups: [{
      functionalId: GROUPS[setId]!, senderId: 'ACMEBUYER', receiverId: 'DISTRIB', date: '20240115', time: '1200', controlNumber: '17', version,
      // Composites are written from their components (the writer refuses a '>' inside a plain value).
      transactions: [{ id: setId, controlNumber: '0001', body: body.map((s) => s.split('*').map((e) => (e.includes('>') ? e.split('>') : e))) }],
    }],
  }, { delimiters: defaultDelimiters(isa), lineBreak: '\n' });
  const result = readX12(text, { file: `${setId}.edi` });
  const ic = result.interchanges[0]!;
  const group = ic.groups[0]!;
  const tx = group.transactions[0]!;
  // The envelope is sound: what follows is the validator's work alone.
  expect([...result.findings, ...ic.findings, ...group.findings, ...tx.findings]).toEqual([]);
  return { text, tx, context: { file: `${setId}.edi`, interchange: ic.header.controlNumber, group: group.header.controlNumber } };
}

function validate(setId: string, body: readonly string[], version: SpecVersion = '004010'): Finding[] {
  const { tx, context } = read(setId, body, version);
  return validateTransaction(tx, getTransactionSetSpec(version, setId)!, getSegmentDictionary(version), context);
}

/** body with the segment starting with `prefix` replaced (or removed when `by` is null). */
function edit(body: readonly string[], prefix: string, by: string | null): string[] {
  const i = body.findIndex((s) => s.startsWith(prefix));
  if (i < 0) throw new Error(`no ${prefix} in the sample`);
  const out = [...body];
  if (by === null) out.splice(i, 1);
  else out[i] = by;
  return out;
}

/** body with `segments` inserted before the segment starting with `prefix`. */
function insertBefore(body: readonly string[], prefix: string, ...segments: string[]): string[] {
  const i = body.findIndex((s) => s.startsWith(prefix));
  if (i < 0) throw new Error(`no ${prefix} in the sample`);
  return [...body.slice(0, i), ...segments, ...body.slice(i)];
}

/** code, AK3 or AK4 code, "position tag loop", element[-component] */
const brief = (f: Finding) => [
  f.code,
  f.ack.ak4 ?? f.ack.ak3,
  `${f.location.segmentPosition} ${f.location.segmentTag}${f.location.loopId ? ' ' + f.location.loopId : ''}`,
  f.location.elementPosition === undefined ? '' : `${f.location.elementPosition}${f.location.componentPosition ? '-' + f.location.componentPosition : ''}`,
];

describe('real specs: valid samples', () => {
  it.each(['004010', '005010'] as const)('the sample 850 validates without findings (%s)', (version) => {
    expect(validate('850', po850, version)).toEqual([]);
  });

  it.each(['004010', '005010'] as const)('the sample 856 (S/O/P/I) validates without findings (%s)', (version) => {
    expect(validate('856', asn856, version)).toEqual([]);
  });
});

describe('real specs: a broken 850', () => {
  // Positions in the sample: ST 1, BEG 2, REF 3, PER 4, ITD 5, DTM 6, N1 7, N3 8, N4 9,
  // PO1 10, PID 11, PO4 12, SAC 13, PO1 14, CTT 15, AMT 16, SE 17.
  it('3: BEG missing', () => {
    expect(validate('850', edit(po850, 'BEG', null)).map(brief)).toEqual([['X12_SEGMENT_MISSING', '3', '2 BEG', '']]);
  });

  it('3: the mandatory PO1 loop missing', () => {
    const body = po850.filter((s) => !/^(PO1|PID|PO4|SAC)\*/.test(s));
    expect(validate('850', body).map(brief)).toEqual([['X12_SEGMENT_MISSING', '3', '10 PO1 PO1', '']]);
  });

  it('1, 6: an unknown tag and segments of other sets', () => {
    const body = insertBefore(po850, 'N1', 'ZZZ*1', 'BSN*00*SHIP-1*20240120*1530', 'HL*1**S');
    expect(validate('850', body).map(brief)).toEqual([
      ['X12_SEGMENT_UNRECOGNIZED', '1', '7 ZZZ', ''],
      ['X12_SEGMENT_NOT_IN_SET', '6', '8 BSN', ''],
      ['X12_SEGMENT_NOT_IN_SET', '6', '9 HL', ''],
    ]);
  });

  it('7: a line MEA after PO4 is out of sequence; 2: LQ outside an LM loop is unexpected', () => {
    const body = insertBefore(po850, 'SAC', 'MEA**WT*1.5', 'LQ*0*ABC');
    expect(validate('850', body).map(brief)).toEqual([
      ['X12_SEGMENT_OUT_OF_ORDER', '7', '13 MEA PO1', ''],
      ['X12_SEGMENT_UNEXPECTED', '2', '14 LQ PO1', ''],
    ]);
  });

  it('5: PER over its maximum use of 3; 4: the CTT loop over its maximum of 1', () => {
    const body = [...insertBefore(po850, 'ITD', 'PER*IC*A', 'PER*IC*B', 'PER*IC*C'), 'CTT*2'];
    expect(validate('850', body).map(brief)).toEqual([
      ['X12_SEGMENT_OVER_MAX', '5', '7 PER', ''],
      ['X12_LOOP_OVER_MAX', '4', '20 CTT CTT', ''],
    ]);
  });

  it('AK4 1, 4, 5, 6, 7, 8, 9 and 3 on header and line segments', () => {
    let body = edit(po850, 'BEG', 'BEG*99*SA*PO-1001-THIS-IS-TOO-LONG**20240230');
    body = edit(body, 'DTM', 'DTM*002*20240201*2575');
    body = edit(body, 'N4', 'N4*S*IL*62701*US');
    body = edit(body, 'PO1*1', 'PO1*1*12A*EA*4.25*PE*VN*ABC-1*UP*012345678905');
    body = edit(body, 'PID', 'PID*F****Blue\u0007widget');
    body = edit(body, 'CTT', 'CTT*2*15******extra');
    body = edit(body, 'REF', 'REF**038');
    expect(validate('850', body).map(brief)).toEqual([
      ['X12_ELEMENT_INVALID_CODE', '7', '2 BEG', '1'],
      ['X12_ELEMENT_TOO_LONG', '5', '2 BEG', '3'],
      ['X12_ELEMENT_INVALID_DATE', '8', '2 BEG', '5'],
      ['X12_ELEMENT_MISSING', '1', '3 REF', '1'],
      ['X12_ELEMENT_INVALID_TIME', '9', '6 DTM', '3'],
      ['X12_ELEMENT_TOO_SHORT', '4', '9 N4 N1', '1'],
      ['X12_ELEMENT_INVALID_CHARACTER', '6', '10 PO1 PO1', '2'],
      ['X12_ELEMENT_INVALID_CHARACTER', '6', '11 PID PID', '5'],
      ['X12_ELEMENT_TOO_MANY', '3', '15 CTT CTT', '8'],
    ]);
  });

  it('the syntax notes of the real segments: P, R, C, L (AK4 2) and E (AK4 10)', () => {
    let body = edit(po850, 'PER', 'PER*BD*Jane Buyer*TE'); // P0304
    body = edit(body, 'REF', 'REF*DP'); // R0203
    body = edit(body, 'ITD', 'ITD*01*3*2'); // L03040513
    body = edit(body, 'DTM', 'DTM*002*20240201**ET'); // C0403
    body = insertBefore(body, 'N1', 'TD3*TL*AB*1234*******ABCD'); // E0110
    const f = validate('850', body);
    expect(f.map(brief)).toEqual([
      ['X12_ELEMENT_CONDITIONAL_MISSING', '2', '3 REF', '2'],
      ['X12_ELEMENT_CONDITIONAL_MISSING', '2', '4 PER', '4'],
      ['X12_ELEMENT_CONDITIONAL_MISSING', '2', '5 ITD', '4'],
      ['X12_ELEMENT_CONDITIONAL_MISSING', '2', '6 DTM', '3'],
      ['X12_ELEMENT_EXCLUSION', '10', '7 TD3', '10'],
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'at least one of REF02, REF03 is required',
      'PER04 is required because PER03 is present (PER03, PER04 are used together or not at all)',
      'at least one of ITD04, ITD05, ITD13 is required because ITD03 is present',
      'DTM03 is required because DTM04 is present',
      'TD310 must not be used together with TD301 (only one of TD301, TD310 may be used)',
    ]);
  });

  it('13: too many components in REF04 (C040 has 6)', () => {
    const body = edit(po850, 'REF', 'REF*ZZ*1**VN>A>IA>B>SK>C>EXTRA');
    const f = validate('850', body);
    expect(f.map(brief)).toEqual([['X12_ELEMENT_TOO_MANY_COMPONENTS', '13', '3 REF', '4-7']]);
    expect(f[0]!.value).toBe('EXTRA');
  });

  it('a finding carries file, line and byte offset of its segment as read', () => {
    const body = edit(po850, 'PO1*1', 'PO1*1*12A*EA*4.25*PE*VN*ABC-1*UP*012345678905');
    const { text, tx, context } = read('850', body);
    const [f] = validateTransaction(tx, getTransactionSetSpec('004010', '850')!, getSegmentDictionary('004010'), context);
    expect(f).toEqual({
      code: 'X12_ELEMENT_INVALID_CHARACTER',
      severity: 'error',
      message: "PO102 quantity ordered '12A' is not a number (type R)",
      location: {
        file: '850.edi', offset: text.indexOf('PO1*1*12A'), line: text.slice(0, text.indexOf('PO1*1*12A')).split('\n').length,
        interchange: '000000905', group: '17', transaction: '0001', transactionSetId: '850',
        segmentPosition: 10, segmentTag: 'PO1', loopId: 'PO1', elementPosition: 2, elementReference: '330',
      },
      ack: { ak4: '6', ak3: '8', ak5: '5' },
      value: '12A',
    });
  });
});

describe('real specs: a broken 856', () => {
  // Positions: ST 1, BSN 2, DTM 3, HL 4 (S), TD1 5, TD5 6, REF 7, N1 8, N1 9, HL 10 (O), PRF 11,
  // HL 12 (P), MAN 13, HL 14 (I), LIN 15, SN1 16, PID 17, HL 18, MAN 19, HL 20, LIN 21, SN1 22, CTT 23.
  it('3: the mandatory HL loop missing', () => {
    const body = asn856.filter((s, i) => i < 2 || s.startsWith('CTT'));
    expect(validate('856', body).map(brief)).toEqual([['X12_SEGMENT_MISSING', '3', '4 HL HL', '']]);
  });

  it('5: LIN twice in one HL; 7: LIN after SN1; 6: BIG in a ship notice', () => {
    let body = insertBefore(asn856, 'SN1**12', 'LIN**VN*ABC-1');
    body = insertBefore(body, 'CTT', 'BIG*20240120*INV-1');
    body = edit(body, 'SN1**3', 'SN1**3*CA');
    body = insertBefore(body, 'SN1**3*CA', 'SN1**3*CA');
    body = body.filter((s) => s !== 'LIN**VN*XYZ-2');
    body = insertBefore(body, 'BIG', 'LIN**VN*XYZ-2');
    expect(validate('856', body).map(brief)).toEqual([
      ['X12_SEGMENT_OVER_MAX', '5', '16 LIN HL', ''],
      ['X12_SEGMENT_OVER_MAX', '5', '23 SN1 HL', ''],
      ['X12_SEGMENT_OUT_OF_ORDER', '7', '24 LIN HL', ''],
      ['X12_SEGMENT_NOT_IN_SET', '6', '25 BIG HL', ''],
    ]);
  });

  it('AK4 on the hierarchy: mandatory SN103 and LIN03 missing, an HL03 level code not in the list', () => {
    let body = edit(asn856, 'SN1**12', 'SN1**12');
    body = edit(body, 'LIN**VN*XYZ-2', 'LIN**VN');
    body = edit(body, 'HL*3*2*P', 'HL*3*2*XX');
    expect(validate('856', body).map(brief)).toEqual([
      ['X12_ELEMENT_INVALID_CODE', '7', '12 HL HL', '3'],
      ['X12_ELEMENT_MISSING', '1', '16 SN1 HL', '3'],
      ['X12_ELEMENT_MISSING', '1', '21 LIN HL', '3'],
    ]);
  });
});

describe('real specs: every set walks its own structure', () => {
  /** Segment tags of a structure in spec order: every node once (all), or only the mandatory ones. */
  function tags(nodes: readonly StructureNode[], all: boolean, inLoop = false): string[] {
    const out: string[] = [];
    nodes.forEach((n, i) => {
      // A loop's trigger is always written: it is what starts the loop.
      if (!all && n.req !== 'M' && !(inLoop && i === 0)) return;
      if (isLoop(n)) out.push(...tags(n.children, all, true));
      else out.push(n.segment);
    });
    return out;
  }

  function bare(setId: string, list: readonly string[]): TransactionSet {
    const d = { element: '*', component: '>', repetition: null, segment: '~' };
    const segments: Segment[] = list.map((tag, i) => ({ tag, elements: [tag], offset: i * 10, line: i + 1, index: i, delimiters: d }));
    return { id: setId, controlNumber: '0001', segments, complete: true, findings: [] };
  }

  const specs = listSpecs();
  it('lists the sets we validate', () => {
    expect(specs.map((s) => `${s.version}/${s.id}`)).toEqual(expect.arrayContaining(['004010/850', '004010/856', '005010/850', '005010/856']));
  });

  it.each(specs.flatMap((s) => [{ ...s, all: false }, { ...s, all: true }]))('$version/$id with $all segments: no structure finding', ({ version, id, all }) => {
    const spec = getTransactionSetSpec(version, id)!;
    const f = validateTransaction(bare(id, tags(spec.structure, all)), spec, getSegmentDictionary(version), {});
    // Element findings (AK3 code 8) are expected: the segments carry no data.
    expect(f.filter((x) => x.ack.ak3 !== '8').map((x) => x.message)).toEqual([]);
  });
});
