import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAcknowledgments, setOutcome, type AckResult, type GroupAck, type InterchangeAck } from '../../src/acks/parse-acks.js';
import { describeAck } from '../../src/acks/describe.js';
import { acknowledgeInterchange, serializeAcknowledgment } from '../../src/acks/respond.js';
import { ackPolicy } from '../../src/acks/policy.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import { at, counters, inbound, now, readOne, setOf, us } from './support.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
const readSample = (path: string): AckResult[] => {
  const r = readX12(readFileSync(join(samples, path)), { file: path });
  expect(allFindings(r).filter((f) => f.severity === 'error')).toEqual([]);
  expect(r.interchanges).toHaveLength(1);
  return readAcknowledgments(r.interchanges[0]!);
};
const onlyGroup = (results: AckResult[]): GroupAck => {
  expect(results).toHaveLength(1);
  expect(results[0]!.kind).not.toBe('TA1');
  return results[0] as GroupAck;
};

describe('inbound 997 samples', () => {
  it.each([
    ['004010/997/accepted.edi', 'SH', '1201', 'accepted', [['0001', 'accepted']]],
    ['004010/997/accepted-with-errors.edi', 'IN', '1301', 'accepted-with-errors', [['0001', 'accepted-with-errors']]],
    ['004010/997/rejected.edi', 'PR', '1401', 'rejected', [['0001', 'rejected'], ['0002', 'rejected'], ['0003', 'rejected']]],
    ['004010/997/partial.edi', 'SH', '1202', 'partially-accepted', [['0001', 'accepted'], ['0002', 'rejected'], ['0003', 'accepted']]],
    ['004010/997/errors-only.edi', 'IN', '1302', 'partially-accepted', [['0007', 'rejected'], ['0001', 'accepted'], ['0002', 'accepted']]],
    ['005010/999/accepted.edi', 'IN', '2201', 'accepted', [['0001', 'accepted']]],
    ['005010/999/partial.edi', 'SH', '2301', 'partially-accepted', [['0001', 'rejected'], ['0002', 'accepted']]],
  ] as const)('%s acknowledges our group %s %s: %s', (path, gs01, gs06, outcome, sets) => {
    const ack = onlyGroup(readSample(path));
    expect(ack.problems).toEqual([]);
    expect(ack.group.functionalId).toBe(gs01);
    expect(ack.group.controlNumber).toBe(gs06);
    expect(ack.outcome).toBe(outcome);
    for (const [st02, expected] of sets) expect([st02, setOutcome(ack, st02)]).toEqual([st02, expected]);
  });

  it('reads the reasons of a partial acceptance: AK3/AK4 with their meanings', () => {
    const ack = onlyGroup(readSample('004010/997/partial.edi'));
    expect(ack.kind).toBe('997');
    expect([ack.declaredCount, ack.received, ack.accepted]).toEqual([3, 3, 2]);
    const set = ack.sets.find((s) => s.controlNumber === '0002')!;
    expect(set.status).toEqual({ code: 'R', meaning: 'the transaction set was rejected' });
    expect(set.errors).toEqual([{ code: '5', meaning: 'one or more segments are in error' }]);
    expect(set.segments.map((s) => [s.tag, s.position, s.loopId, s.error?.code, s.elements.length])).toEqual([
      ['HL', 12, 'HL', '8', 1],
      ['MAN', 15, 'HL', '3', 0],
      ['LIN', 17, 'HL', '8', 2],
    ]);
    expect(set.segments[2]!.elements).toEqual([
      { position: 3, reference: '235', error: { code: '7', meaning: 'invalid code value' }, value: 'ZZ' },
      { position: 5, reference: '234', error: { code: '1', meaning: 'mandatory data element missing' } },
    ]);
    expect(describeAck(ack)).toEqual([
      'group 1202 (SH) by 997: partially accepted: 2 of 3 transaction sets accepted (AK9 P)',
      '  set 856 0001: accepted (AK5 A)',
      '  set 856 0002: rejected: one or more segments are in error (AK5 R 5)',
      '    segment HL at position 12 in loop HL: segment has data element errors (AK3 8)',
      '      element 03 (data element 735): invalid code value, bad data "X" (AK4 7)',
      '    segment MAN at position 15 in loop HL: mandatory segment missing (AK3 3)',
      '    segment LIN at position 17 in loop HL: segment has data element errors (AK3 8)',
      '      element 03 (data element 235): invalid code value, bad data "ZZ" (AK4 7)',
      '      element 05 (data element 234): mandatory data element missing (AK4 1)',
      '  set 856 0003: accepted (AK5 A)',
    ]);
  });

  it('a rejected group rejects even the sets it lists as accepted, and says why', () => {
    const ack = onlyGroup(readSample('004010/997/rejected.edi'));
    expect(ack.errors).toEqual([{ code: '5', meaning: 'the number of included transaction sets (GE01) does not match the actual count' }]);
    expect(ack.sets.map((s) => s.outcome)).toEqual(['rejected', 'accepted']);
    expect(setOutcome(ack, '0002')).toBe('rejected');
    expect(describeAck(ack)[0]).toBe(
      'group 1401 (PR) by 997: rejected: 1 of 2 transaction sets accepted: the number of included transaction sets (GE01) does not match the actual count (AK9 R 5)',
    );
  });

  it('reads a 999: AK103, ST03 of our set, IK4 repetition position, CTX context', () => {
    const ack = onlyGroup(readSample('005010/999/partial.edi'));
    expect(ack.kind).toBe('999');
    expect(ack.group).toEqual({ functionalId: 'SH', controlNumber: '2301', version: '005010' });
    const seg = ack.sets[0]!.segments[0]!;
    expect(seg).toMatchObject({ tag: 'REF', position: 8, loopId: 'HL', context: ['SITUATIONAL TRIGGER*HL*7**1'] });
    expect(seg.elements).toEqual([{
      position: 2, repetitionPosition: 2, reference: '127',
      error: { code: '5', meaning: 'data element too long' }, value: 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ',
    }]);
    expect(describeAck(ack)[3]).toBe('      element 02 (repetition 2) (data element 127): data element too long, bad data "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ" (IK4 5)');
    expect(ack.source).toMatchObject({ interchange: '000000602', senderId: 'ACMEBUYER', receiverId: 'OURCOMPANY', group: '602', transaction: '0001' });
  });
});

describe('inbound TA1', () => {
  it('reads a TA1-only interchange', () => {
    const [ack, ...rest] = readSample('004010/ta1/rejected-duplicate.edi') as InterchangeAck[];
    expect(rest).toEqual([]);
    expect(ack).toMatchObject({
      kind: 'TA1', interchange: '000004711', date: '261102', time: '1650', outcome: 'rejected',
      status: { code: 'R' }, note: { code: '025', meaning: 'the interchange control number was already received (duplicate interchange)' },
      problems: [],
    });
    expect(describeAck(ack!)).toEqual(['interchange 000004711: rejected: the interchange control number was already received (duplicate interchange) (TA1 R 025)']);
    expect(readSample('004010/ta1/accepted.edi')).toMatchObject([{ kind: 'TA1', interchange: '000004713', outcome: 'accepted', note: { code: '000', meaning: 'no error' } }]);
  });

  it('reads several TA1s, each for one of our interchanges', () => {
    const acks = readSample('004010/ta1/noted.edi') as InterchangeAck[];
    expect(acks.map((a) => [a.interchange, a.outcome, a.note.code])).toEqual([
      ['000004714', 'accepted-with-errors', '022'],
      ['000004715', 'rejected', '021'],
    ]);
  });

  it('reads a TA1 and a 997 in one interchange, TA1 first', () => {
    const acks = readSample('004010/997/with-ta1.edi');
    expect(acks.map((a) => a.kind)).toEqual(['TA1', '997']);
    expect((acks[0] as InterchangeAck).interchange).toBe('000004712');
    expect((acks[1] as GroupAck).group.controlNumber).toBe('1402');
  });
});

describe('malformed acknowledgments', () => {
  const ackInterchange = (body: (string | string[] | undefined)[][], set = '997') =>
    inbound({ groups: [{ control: 1, sets: 1, gs01: 'FA', set, body: () => body }] });

  it('reports structure problems and unknown codes, and keeps what it could read', () => {
    const ic = ackInterchange([
      ['AK2', '850', '0001'], ['AK4', ['1'], '', '1'], ['AK5', 'R', '5', '99'],
      ['AK3', 'PO1', '3', '', '8'], ['AK9', 'Q', '1', '1', '0'], ['N1', 'ST'],
    ]);
    const ack = readAcknowledgments(ic)[0] as GroupAck;
    expect(ack.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ['ACK_STRUCTURE', 'error', 'AK4 appears without the AK3/IK3 of its segment; it is ignored'],
      ['ACK_UNKNOWN_CODE', 'warning', 'AK502/IK502 code "99" is not defined'],
      ['ACK_STRUCTURE', 'error', 'AK3 appears outside an AK2 set response; it is ignored'],
      ['ACK_UNKNOWN_CODE', 'warning', 'AK901 code "Q" is not defined'],
      ['ACK_STRUCTURE', 'error', 'segment N1 does not belong in a 997/999; it is ignored'],
      ['ACK_STRUCTURE', 'error', '997 0001 has no AK1: it does not say which group it acknowledges'],
    ]);
    expect(ack.problems[1]!.location).toMatchObject({ interchange: '000000905', group: '1', transaction: '0001', segmentTag: 'AK5', segmentPosition: 4 });
    expect(ack.sets[0]!.errors).toEqual([
      { code: '5', meaning: 'one or more segments are in error' },
      { code: '99', meaning: 'unknown AK502/IK502 code "99"' },
    ]);
    expect(ack.outcome).toBe('unknown');
    expect(setOutcome(ack, '0001')).toBe('rejected');
    expect(setOutcome(ack, '0002')).toBe('unknown');
  });

  it('reports a set response without AK5 and an ack without AK9', () => {
    const ack = readAcknowledgments(ackInterchange([['AK1', 'PO', '5'], ['AK2', '850', '0001']]))[0] as GroupAck;
    expect(ack.problems.map((p) => p.message)).toEqual([
      'the response for set 850 0001 has no AK5/IK5: its verdict is unknown',
      "997 0001 has no AK9: the group's verdict is unknown",
    ]);
    expect(setOutcome(ack, '0001')).toBe('unknown');
  });

  it('flags an ack that contradicts itself', () => {
    const ack = readAcknowledgments(ackInterchange([['AK1', 'PO', '5'], ['AK2', '850', '0001'], ['AK5', 'R', '5'], ['AK9', 'A', '1', '1', '2']]))[0] as GroupAck;
    expect(ack.problems.map((p) => [p.code, p.message])).toEqual([
      ['ACK_INCONSISTENT', 'AK9 says A but set 850 0001 is rejected'],
      ['ACK_INCONSISTENT', 'AK904 says 2 sets accepted but AK903 only 1 received'],
    ]);
    expect(setOutcome(ack, '0001')).toBe('rejected');
  });

  it('reports a TA1 without its acknowledgment code', () => {
    const ic = inbound({ groups: [], ta1: [['TA1', '000004711', '261101', '1200']] });
    const [ack] = readAcknowledgments(ic) as InterchangeAck[];
    expect(ack!.outcome).toBe('unknown');
    expect(ack!.problems.map((p) => p.code)).toEqual(['ACK_STRUCTURE', 'ACK_UNKNOWN_CODE', 'ACK_UNKNOWN_CODE']);
  });

  it('ignores transaction sets that are not acknowledgments', () => {
    expect(readAcknowledgments(inbound({ groups: [{ control: 1, sets: 2 }] }))).toEqual([]);
  });
});

describe('round trip: what we send reads back as what we meant', () => {
  it.each(['997', '999'] as const)('%s', (kind) => {
    const ic = inbound({ version: '00501', ackRequested: '1', groups: [{ control: 1, sets: 3, gs08: '005010' }, { control: 2, sets: 1, gs08: '005010' }] });
    const tx = setOf(ic, '1', '0002');
    const findings = new Map([[tx, [at('X12_ELEMENT_INVALID_CODE', tx, 5, 'PO1', { loopId: 'PO1', elementPosition: 3, elementReference: '355' }, 'XX')]]]);
    const out = acknowledgeInterchange(ic, findings, ackPolicy({ kind }), us, counters(), now)!;
    const back = readOne(serializeAcknowledgment(out));
    const acks = readAcknowledgments(back);
    expect(acks.map((a) => a.kind)).toEqual(['TA1', kind, kind]);
    expect(acks.flatMap((a) => a.problems)).toEqual([]);
    const g1 = acks[1] as GroupAck;
    expect(g1.outcome).toBe('partially-accepted');
    expect(['0001', '0002', '0003'].map((st) => setOutcome(g1, st))).toEqual(['accepted', 'rejected', 'accepted']);
    expect(describeAck(g1).slice(2, 5)).toEqual([
      `  set 850 0002: rejected: one or more segments are in error (${kind === '999' ? 'IK5' : 'AK5'} R 5)`,
      `    segment PO1 at position 5 in loop PO1: segment has data element errors (${kind === '999' ? 'IK3' : 'AK3'} 8)`,
      `      element 03 (data element 355): invalid code value, bad data "XX" (${kind === '999' ? 'IK4' : 'AK4'} 7)`,
    ]);
    expect((acks[2] as GroupAck).outcome).toBe('accepted');
  });
});
