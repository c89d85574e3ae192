import { describe, expect, it } from 'vitest';
import { assessGroup, buildFunctionalAck } from '../../src/acks/functional-ack.js';
import type { Finding } from '../../src/errors/finding.js';
import type { TransactionSet } from '../../src/x12/model.js';
import { defaultDelimiters, serializeSegment, type OutboundTransaction } from '../../src/x12/writer.js';
import { at, inbound, inboundText, readOne, setOf } from './support.js';

const d = defaultDelimiters('00401');
const text = (t: OutboundTransaction) => t.body.map((s) => serializeSegment(s, d));
const findings = (...pairs: [TransactionSet, Finding[]][]) => new Map(pairs);

describe('997 from findings', () => {
  it('acknowledges a clean group: AK1, one AK2/AK5 per set, AK9 A', () => {
    const ic = inbound({ groups: [{ control: 17, sets: 2 }] });
    const ack = buildFunctionalAck(ic.groups[0]!, new Map(), '997', '0001');
    expect(ack.id).toBe('997');
    expect(ack.controlNumber).toBe('0001');
    expect(ack.implementationReference).toBeUndefined();
    expect(text(ack)).toEqual(['AK1*PO*17~', 'AK2*850*0001~', 'AK5*A~', 'AK2*850*0002~', 'AK5*A~', 'AK9*A*2*2*2~']);
  });

  it('writes AK3/AK4 for an element error and rejects only that set (AK9 P)', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 2 }] });
    const tx = setOf(ic, '1', '0002');
    const bad = at('X12_ELEMENT_INVALID_CODE', tx, 5, 'PO1', { elementPosition: 2, elementReference: '330' }, 'XX');
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [bad]]), '997', '0001');
    expect(text(ack)).toEqual([
      'AK1*PO*1~',
      'AK2*850*0001~', 'AK5*A~',
      'AK2*850*0002~', 'AK3*PO1*5**8~', 'AK4*2*330*7*XX~', 'AK5*R*5~',
      'AK9*P*2*2*1~',
    ]);
  });

  it('groups element errors under one AK3 per segment, segment errors first, in segment order, with loop ids and component positions', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const list = [
      at('X12_ELEMENT_TOO_LONG', tx, 5, 'PO1', { loopId: 'PO1', elementPosition: 7, elementReference: '234' }, '0123456789012345678901234567890123456789012345678'),
      at('X12_SEGMENT_MISSING', tx, 3, 'N1', { loopId: 'N1' }),
      at('X12_ELEMENT_INVALID_DATE', tx, 2, 'BEG', { elementPosition: 5, elementReference: '373' }, '20261341'),
      at('X12_ELEMENT_MISSING', tx, 5, 'PO1', { loopId: 'PO1', elementPosition: 3, elementReference: '355' }),
      at('X12_ELEMENT_INVALID_CODE', tx, 3, 'REF', { elementPosition: 4, componentPosition: 2, elementReference: '127' }, 'Q'),
      at('X12_SEGMENT_UNEXPECTED', tx, 3, 'REF'),
    ];
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, list]), '997', '0001');
    expect(text(ack)).toEqual([
      'AK1*PO*1~',
      'AK2*850*0001~',
      'AK3*BEG*2**8~', 'AK4*5*373*8*20261341~',
      'AK3*N1*3*N1*3~',
      'AK3*REF*3**2~', 'AK3*REF*3**8~', 'AK4*4>2*127*7*Q~',
      'AK3*PO1*5*PO1*8~', 'AK4*7*234*5*0123456789012345678901234567890123456789012345678~', 'AK4*3*355*1~',
      'AK5*R*5~',
      'AK9*R*1*1*0~',
    ]);
  });

  it('takes AK5 codes from the envelope findings of the set, distinct, at most five', () => {
    // SE01 wrong and SE02 wrong, read from text: the reader puts AK5 4 and 3 on the set.
    const raw = inboundText({ groups: [{ control: 1, sets: 2 }] }).replace('SE*7*0002', 'SE*9*0003');
    const ic = readOne(raw);
    const tx = setOf(ic, '1', '0002');
    const more = [
      at('X12_SEGMENT_UNRECOGNIZED', tx, 4, 'ZZZ'),
      at('X12_ELEMENT_TOO_SHORT', tx, 2, 'BEG', { elementPosition: 3, elementReference: '324' }, 'P'),
      at('X12_SET_UNSUPPORTED', tx, 1, 'ST'),
      at('X12_ST_DUPLICATE', tx, 1, 'ST'),
      at('X12_SEGMENT_OVER_MAX', tx, 5, 'PO1'),
    ];
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, more]), '997', '0001');
    const lines = text(ack);
    expect(lines.filter((l) => l.startsWith('AK5'))).toEqual(['AK5*A~', 'AK5*R*3*4*5*1*23~']);
    expect(lines).toContain('AK3*ZZZ*4**1~');
    expect(lines.at(-1)).toBe('AK9*P*2*2*1~');
  });

  it('warnings never reject a set and never appear as AK3/AK4', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const warn = at('X12_ELEMENT_TOO_LONG', tx, 2, 'BEG', { elementPosition: 3 }, 'PO1000000000000000000000000', 'warning');
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [warn]]), '997', '0001');
    expect(text(ack)).toEqual(['AK1*PO*1~', 'AK2*850*0001~', 'AK5*A~', 'AK9*A*1*1*1~']);
  });

  it('errors-only detail lists only the rejected sets; AK9 still counts all of them', () => {
    const ic = inbound({ groups: [{ control: 3, sets: 3 }] });
    const tx = setOf(ic, '3', '0002');
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [at('X12_SEGMENT_MISSING', tx, 6, 'CTT')]]), '997', '0001', { detail: 'errors-only' });
    expect(text(ack)).toEqual(['AK1*PO*3~', 'AK2*850*0002~', 'AK3*CTT*6**3~', 'AK5*R*5~', 'AK9*P*3*3*2~']);
    const clean = buildFunctionalAck(inbound().groups[0]!, new Map(), '997', '0001', { detail: 'errors-only' });
    expect(text(clean)).toEqual(['AK1*PO*1~', 'AK9*A*1*1*1~']);
  });

  it('rejects the whole group on GS/GE errors, echoing GE01 as received (AK902) and the AK905 codes', () => {
    const raw = inboundText({ groups: [{ control: 5, sets: 2 }] }).replace('GE*2*5', 'GE*3*6');
    const ic = readOne(raw);
    const ack = buildFunctionalAck(ic.groups[0]!, new Map(), '997', '0001');
    expect(text(ack).at(-1)).toBe('AK9*R*3*2*2*4*5~');
  });

  it('reports a missing GE (AK905 3) and a missing SE (AK5 2); AK902 falls back to the sets received', () => {
    const raw = inboundText({ groups: [{ control: 5, sets: 2 }] }).replace('SE*7*0002~\nGE*2*5~\n', '');
    const ic = readOne(raw);
    const ack = buildFunctionalAck(ic.groups[0]!, new Map(), '997', '0001');
    expect(text(ack)).toEqual(['AK1*PO*5~', 'AK2*850*0001~', 'AK5*A~', 'AK2*850*0002~', 'AK5*R*2~', 'AK9*R*2*2*1*3~']);
  });

  it('rejects a group where no set is accepted (AK9 R without group codes)', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 1 }] });
    const tx = setOf(ic, '1', '0001');
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [at('X12_SEGMENT_MISSING', tx, 2, 'BEG')]]), '997', '0001');
    expect(text(ack).at(-1)).toBe('AK9*R*1*1*0~');
  });

  it('copies bad data without our delimiters or control characters, at most 99 characters', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const list = [
      at('X12_ELEMENT_INVALID_CHARACTER', tx, 2, 'BEG', { elementPosition: 3, elementReference: '324' }, 'PO*1~2>3^4\x07'),
      at('X12_ELEMENT_INVALID_CHARACTER', tx, 3, 'REF', { elementPosition: 2, elementReference: '127' }, '*~'),
      at('X12_ELEMENT_TOO_LONG', tx, 4, 'DTM', { elementPosition: 2, elementReference: '373' }, 'x'.repeat(150)),
    ];
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, list]), '997', '0001', { delimiters: d });
    const lines = text(ack);
    // 004010 has no repetition separator: ^ is data there, but not in a 005010 acknowledgment.
    expect(lines).toContain('AK4*3*324*6*PO123^4~');
    const in5010 = buildFunctionalAck(ic.groups[0]!, findings([tx, list]), '999', '0001', { delimiters: defaultDelimiters('00501') });
    expect(in5010.body.map((s) => serializeSegment(s, defaultDelimiters('00501')))).toContain('IK4*3*324*6*PO1234~');
    expect(lines).toContain('AK4*2*127*6~');
    expect(lines).toContain(`AK4*2*373*5*${'x'.repeat(99)}~`);
  });

  it('leaves out AK3 for a finding without segment position, but still rejects the set', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const f = at('X12_SEGMENT_UNEXPECTED', tx, 1, 'N9');
    delete f.location.segmentPosition;
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [f]]), '997', '0001');
    expect(text(ack)).toEqual(['AK1*PO*1~', 'AK2*850*0001~', 'AK5*R*5~', 'AK9*R*1*1*0~']);
  });

  it('assessGroup gives the same verdict the acknowledgment writes', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 3 }] });
    const tx = setOf(ic, '1', '0003');
    const a = assessGroup(ic.groups[0]!, findings([tx, [at('X12_SEGMENT_MISSING', tx, 2, 'BEG')]]));
    expect(a.status).toBe('P');
    expect(a.sets.map((s) => s.status)).toEqual(['A', 'A', 'R']);
    expect([a.received, a.accepted]).toEqual([3, 2]);
  });
});

describe('999: the same findings, written the 999 way', () => {
  it('uses ST03 005010X231A1, AK103, AK203, IK3/IK4/IK5 and the repetition position', () => {
    const ic = inbound({ version: '00501', groups: [{ control: 9, sets: 2, gs08: '005010X220A1', st03: '005010X220A1' }] });
    const tx = setOf(ic, '9', '0001');
    const list = [
      at('X12_ELEMENT_INVALID_CODE', tx, 5, 'PO1', { loopId: 'PO1', elementPosition: 6, repetitionPosition: 2, elementReference: '235' }, 'ZZ'),
      at('X12_ELEMENT_TOO_MANY_COMPONENTS', tx, 3, 'REF', { elementPosition: 4, componentPosition: 7, elementReference: 'C040' }),
      at('X12_SEGMENT_MISSING', tx, 6, 'CTT', { loopId: 'CTT' }),
    ];
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, list]), '999', '0042');
    expect(ack.id).toBe('999');
    expect(ack.implementationReference).toBe('005010X231A1');
    expect(text(ack)).toEqual([
      'AK1*PO*9*005010X220A1~',
      'AK2*850*0001*005010X220A1~',
      'IK3*REF*3**8~', 'IK4*4>7**13~',
      'IK3*PO1*5*PO1*8~', 'IK4*6>>2*235*7*ZZ~',
      'IK3*CTT*6*CTT*3~',
      'IK5*R*5~',
      'AK2*850*0002*005010X220A1~', 'IK5*A~',
      'AK9*P*2*2*1~',
    ]);
  });

  it('997 drops the repetition position and AK203 for the same input', () => {
    const ic = inbound({ version: '00501', groups: [{ control: 9, sets: 1, st03: '005010X220A1' }] });
    const tx = setOf(ic, '9', '0001');
    const f = at('X12_ELEMENT_INVALID_CODE', tx, 5, 'PO1', { elementPosition: 6, repetitionPosition: 2, elementReference: '235' }, 'ZZ');
    const ack = buildFunctionalAck(ic.groups[0]!, findings([tx, [f]]), '997', '0001');
    expect(text(ack)).toEqual(['AK1*PO*9~', 'AK2*850*0001~', 'AK3*PO1*5**8~', 'AK4*6*235*7*ZZ~', 'AK5*R*5~', 'AK9*R*1*1*0~']);
  });
});
