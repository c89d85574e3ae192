// Writes the inbound acknowledgment samples (what partners send us) under samples/:
// 004010/997, 005010/999 and 004010/ta1. Run: npx tsx test/acks/generate-samples.ts
// The files are committed; parse-acks.test.ts reads them.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serializeInterchange, defaultDelimiters, type OutboundInterchange, type SegmentData } from '../../src/x12/writer.js';

const root = join(import.meta.dirname, '..', '..', 'samples');
function ic(version: '00401' | '00501', control: number, gs: { version: string; control: string; sets: { id: string; control: string; ref?: string; body: SegmentData[] }[] }[], ta1: SegmentData[] = [], ack: '0' | '1' = '0'): OutboundInterchange {
  return {
    header: { senderQualifier: 'ZZ', senderId: 'ACMEBUYER', receiverQualifier: 'ZZ', receiverId: 'OURCOMPANY', date: '261103', time: '0915', version, controlNumber: control, usage: 'P', ackRequested: ack },
    ...(ta1.length ? { ta1 } : {}),
    groups: gs.map((g) => ({ functionalId: 'FA', senderId: 'ACMEBUYER', receiverId: 'OURCOMPANY', date: '20261103', time: '0915', controlNumber: g.control, version: g.version,
      transactions: g.sets.map((s) => ({ id: s.id, controlNumber: s.control, ...(s.ref ? { implementationReference: s.ref } : {}), body: s.body })) })),
  };
}
function write(path: string, x: OutboundInterchange) {
  const text = serializeInterchange(x, { delimiters: defaultDelimiters(x.header.version), lineBreak: '\n' });
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
const g997 = (control: string, body: SegmentData[]) => ({ version: '004010', control, sets: [{ id: '997', control: '0001', body }] });

write('004010/997/accepted.edi', ic('00401', 501, [g997('501', [
  ['AK1', 'SH', '1201'], ['AK2', '856', '0001'], ['AK5', 'A'], ['AK9', 'A', '1', '1', '1']])]));
write('004010/997/accepted-with-errors.edi', ic('00401', 502, [g997('502', [
  ['AK1', 'IN', '1301'], ['AK2', '810', '0001'], ['AK3', 'IT1', '6', 'IT1', '8'], ['AK4', ['3'], '355', '7', 'ZZ'], ['AK5', 'E', '5'], ['AK9', 'E', '1', '1', '1']])]));
write('004010/997/rejected.edi', ic('00401', 503, [g997('503', [
  ['AK1', 'PR', '1401'], ['AK2', '855', '0001'], ['AK5', 'R', '4'], ['AK2', '855', '0002'], ['AK5', 'A'], ['AK9', 'R', '3', '2', '1', '5']])]));
write('004010/997/partial.edi', ic('00401', 504, [g997('504', [
  ['AK1', 'SH', '1202'],
  ['AK2', '856', '0001'], ['AK5', 'A'],
  ['AK2', '856', '0002'], ['AK3', 'HL', '12', 'HL', '8'], ['AK4', ['3'], '735', '7', 'X'], ['AK3', 'MAN', '15', 'HL', '3'], ['AK3', 'LIN', '17', 'HL', '8'], ['AK4', ['3'], '235', '7', 'ZZ'], ['AK4', ['5'], '234', '1'], ['AK5', 'R', '5'],
  ['AK2', '856', '0003'], ['AK5', 'A'],
  ['AK9', 'P', '3', '3', '2']])]));
write('004010/997/errors-only.edi', ic('00401', 505, [g997('505', [
  ['AK1', 'IN', '1302'],
  ['AK2', '810', '0007'], ['AK3', 'BIG', '2', undefined, '8'], ['AK4', ['1'], '373', '8', '20261341'], ['AK5', 'R', '5'],
  ['AK9', 'P', '4', '4', '3']])]));
write('004010/997/with-ta1.edi', ic('00401', 506, [g997('506', [
  ['AK1', 'PR', '1402'], ['AK2', '855', '0001'], ['AK5', 'A'], ['AK9', 'A', '1', '1', '1']])],
  [['TA1', '000004712', '261102', '1700', 'A', '000']]));
write('004010/ta1/accepted.edi', ic('00401', 507, [], [['TA1', '000004713', '261102', '1710', 'A', '000']]));
write('004010/ta1/rejected-duplicate.edi', ic('00401', 508, [], [['TA1', '000004711', '261102', '1650', 'R', '025']]));
write('004010/ta1/noted.edi', ic('00401', 509, [], [['TA1', '000004714', '261102', '1720', 'E', '022'], ['TA1', '000004715', '261102', '1721', 'R', '021']]));
write('005010/999/accepted.edi', ic('00501', 601, [{ version: '005010X231A1', control: '601', sets: [{ id: '999', control: '0001', ref: '005010X231A1', body: [
  ['AK1', 'IN', '2201', '005010'], ['AK2', '810', '0001'], ['IK5', 'A'], ['AK9', 'A', '1', '1', '1']] }] }]));
write('005010/999/partial.edi', ic('00501', 602, [{ version: '005010X231A1', control: '602', sets: [{ id: '999', control: '0001', ref: '005010X231A1', body: [
  ['AK1', 'SH', '2301', '005010'],
  ['AK2', '856', '0001'], ['IK3', 'REF', '8', 'HL', '8'], ['CTX', ['SITUATIONAL TRIGGER'], 'HL', '7', undefined, ['1']], ['IK4', ['2', undefined, '2'], '127', '5', 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ'], ['IK5', 'R', '5'],
  ['AK2', '856', '0002'], ['IK5', 'A'],
  ['AK9', 'P', '2', '2', '1']] }] }]));
