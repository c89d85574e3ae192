// The pure decision of what a partner's 997/999 does to the documents we sent, on the sample acks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAcknowledgments, type GroupAck } from '../../src/acks/parse-acks.js';
import { reconcileGroupAck, unmatchedAckFinding, type OutboundDocumentState, type SentDocument } from '../../src/acks/reconcile.js';
import { readX12 } from '../../src/x12/reader.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
const groupAck = (path: string): GroupAck => readAcknowledgments(readX12(readFileSync(join(samples, path))).interchanges[0]!).find((a) => a.kind !== 'TA1') as GroupAck;
const doc = (id: number, setId: string, controlNumber: string, state: OutboundDocumentState = 'sent'): SentDocument => ({ id, setId, controlNumber, state });
const movesOf = (r: ReturnType<typeof reconcileGroupAck>) => r.moves.map((m) => [m.id, m.from, m.to]);

describe('reconcileGroupAck', () => {
  it('a partial 997: the accepted sets acknowledged, the rejected one ack-rejected with its AK3/AK4 reasons', () => {
    const r = reconcileGroupAck(groupAck('004010/997/partial.edi'), [doc(1, '856', '0001'), doc(2, '856', '0002'), doc(3, '856', '0003')], 77);
    expect(movesOf(r)).toEqual([[1, 'sent', 'acknowledged'], [2, 'sent', 'ack-rejected'], [3, 'sent', 'acknowledged']]);
    expect(r.unmatched).toEqual([]);
    const rejected = r.moves[1]!;
    expect(rejected.message).toMatch(/^ack-rejected by 997 0001 \(inbound document #77\): /);
    expect(rejected.message).toContain('set 856 0002: rejected: one or more segments are in error (AK5 R 5)');
    expect(rejected.message).toContain('segment HL at position 12 in loop HL: segment has data element errors (AK3 8)');
    expect(rejected.message).toContain('element 03 (data element 735): invalid code value, bad data "X" (AK4 7)');
    expect(rejected.message).toContain('segment MAN at position 15 in loop HL: mandatory segment missing (AK3 3)');
    // The accepted set's text says nothing of another set's errors.
    expect(r.moves[0]!.message).not.toContain('0002');
  });

  it('a 999 with IK3/IK4: the IK codes and the repetition position in the text', () => {
    const r = reconcileGroupAck(groupAck('005010/999/partial.edi'), [doc(5, '856', '0001'), doc(6, '856', '0002')], 8);
    expect(movesOf(r)).toEqual([[5, 'sent', 'ack-rejected'], [6, 'sent', 'acknowledged']]);
    expect(r.moves[0]!.message).toContain('segment REF at position 8 in loop HL: segment has data element errors (IK3 8)');
    expect(r.moves[0]!.message).toContain('element 02 (repetition 2) (data element 127): data element too long');
    expect(r.moves[0]!.message).toContain('(IK4 5)');
  });

  it('sets the ack does not list take the group verdict; a rejected group rejects every set, listed as accepted or not', () => {
    const partial = reconcileGroupAck(groupAck('004010/997/errors-only.edi'), [doc(1, '810', '0006'), doc(2, '810', '0007'), doc(3, '810', '0008')], 1);
    expect(movesOf(partial)).toEqual([[1, 'sent', 'acknowledged'], [2, 'sent', 'ack-rejected'], [3, 'sent', 'acknowledged']]);
    expect(partial.moves[0]!.message).toContain("set 810 0006: not listed, so it takes the group's verdict");

    const rejected = reconcileGroupAck(groupAck('004010/997/rejected.edi'), [doc(1, '855', '0001'), doc(2, '855', '0002'), doc(3, '855', '0003')], 1);
    expect(movesOf(rejected)).toEqual([[1, 'sent', 'ack-rejected'], [2, 'sent', 'ack-rejected'], [3, 'sent', 'ack-rejected']]);
    expect(rejected.moves[1]!.message).toContain('the number of included transaction sets (GE01) does not match the actual count');
  });

  it('accepted with errors (AK5 E) -> accepted-with-errors', () => {
    const r = reconcileGroupAck(groupAck('004010/997/accepted-with-errors.edi'), [doc(4, '810', '0001')], 1);
    expect(movesOf(r)).toEqual([[4, 'sent', 'accepted-with-errors']]);
  });

  it('moves only documents waiting for an ack: a late ack (ack-overdue) counts, answered and unsent ones stay', () => {
    const ack = groupAck('004010/997/partial.edi');
    const r = reconcileGroupAck(ack, [doc(1, '856', '0001', 'ack-overdue'), doc(2, '856', '0002', 'acknowledged'), doc(3, '856', '0003', 'built')], 1);
    expect(movesOf(r)).toEqual([[1, 'ack-overdue', 'acknowledged']]);
    expect(r.unchanged).toEqual([2, 3]);
    expect(r.unmatched).toEqual([]);
  });

  it('names what matches nothing we sent: the whole group, or listed sets we have no document for', () => {
    const ack = groupAck('004010/997/partial.edi');
    expect(reconcileGroupAck(ack, [], 1)).toEqual({ moves: [], unchanged: [], unmatched: ['group 1202 (SH)'] });
    const some = reconcileGroupAck(ack, [doc(1, '856', '0001')], 1);
    expect(movesOf(some)).toEqual([[1, 'sent', 'acknowledged']]);
    expect(some.unmatched).toEqual(['set 856 0002 of group 1202 (SH)', 'set 856 0003 of group 1202 (SH)']);
    const f = unmatchedAckFinding(ack, some.unmatched, { partner: 'acme', file: 'in.edi' });
    expect(f).toMatchObject({ code: 'ACK_UNMATCHED', severity: 'warning', location: { file: 'in.edi', interchange: '000000504', group: '504', transaction: '0001', transactionSetId: '997' } });
    expect(f.message).toBe('997 0001 acknowledges what we never sent to partner acme: set 856 0002 of group 1202 (SH), set 856 0003 of group 1202 (SH)');
  });

  it('a verdict the ack does not give (no AK9) moves nothing', () => {
    const text = readFileSync(join(samples, '004010/997/accepted.edi'), 'latin1').replace('AK9*A*1*1*1~\n', '').replace('SE*6*0001', 'SE*5*0001');
    const ack = readAcknowledgments(readX12(text).interchanges[0]!)[0] as GroupAck;
    expect(ack.outcome).toBe('unknown');
    // The listed set's AK5 A still stands; an unlisted one has no verdict.
    const r = reconcileGroupAck(ack, [doc(1, '856', '0001'), doc(2, '856', '0002')], 1);
    expect(movesOf(r)).toEqual([[1, 'sent', 'acknowledged']]);
    expect(r.unchanged).toEqual([2]);
  });
});
