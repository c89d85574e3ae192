import { describe, expect, it } from 'vitest';
import { acknowledgeInterchange, serializeAcknowledgment } from '../../src/acks/respond.js';
import { ackPolicy, defaultAckPolicy } from '../../src/acks/policy.js';
import { assessInterchange, buildTa1 } from '../../src/acks/ta1.js';
import { finding } from '../../src/errors/finding.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import type { Interchange } from '../../src/x12/model.js';
import { at, counters, inbound, inboundText, now, readOne, segmentsOf, setOf, us } from './support.js';

const respond = (ic: Interchange, policy = defaultAckPolicy, findings = new Map(), numbers = counters()) => {
  const out = acknowledgeInterchange(ic, findings, policy, us, numbers, now);
  return out && serializeAcknowledgment(out);
};
const duplicate = (ic: Interchange) =>
  ic.findings.push(finding('X12_INTERCHANGE_DUPLICATE', `interchange ${ic.header.controlNumber} from ACMEBUYER was already received`, { interchange: ic.header.controlNumber }));

describe('the acknowledgment interchange', () => {
  it('answers a clean interchange with one 997 in a GS*FA group, our ids as sender, the partner as receiver', () => {
    expect(segmentsOf(respond(inbound())!)).toEqual([
      'ISA*00*          *00*          *01*123456789      *ZZ*ACMEBUYER      *261102*0805*U*00401*000007001*0*P*>',
      'GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010',
      'ST*997*0001', 'AK1*PO*1', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001',
      'GE*1*801',
      'IEA*1*000007001',
    ]);
  });

  it('puts the 997s of all received groups into one GS*FA group, one set per group', () => {
    const numbers = counters();
    const ic = inbound({ groups: [{ control: 1, sets: 2 }, { control: 2, sets: 1, gs01: 'IN', set: '810' }] });
    const tx = setOf(ic, '1', '0002');
    const text = respond(ic, defaultAckPolicy, new Map([[tx, [at('X12_SEGMENT_MISSING', tx, 6, 'CTT')]]]), numbers)!;
    expect(segmentsOf(text).slice(1)).toEqual([
      'GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010',
      'ST*997*0001', 'AK1*PO*1', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK3*CTT*6**3', 'AK5*R*5', 'AK9*P*2*2*1', 'SE*9*0001',
      'ST*997*0002', 'AK1*IN*2', 'AK2*810*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0002',
      'GE*2*801',
      'IEA*1*000007001',
    ]);
    expect(numbers.used).toEqual(['GS 801', 'ST 1', 'ST 2', 'ISA 7001']);
    // What we send must read back cleanly with our own reader.
    expect(allFindings(readX12(text)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('writes a 999 interchange when the policy says so', () => {
    const ic = inbound({ version: '00501', usage: 'T', groups: [{ control: 4, sets: 1, gs08: '005010' }] });
    expect(segmentsOf(respond(ic, ackPolicy({ kind: '999' }))!)).toEqual([
      'ISA*00*          *00*          *01*123456789      *ZZ*ACMEBUYER      *261102*0805*^*00501*000007001*0*T*>',
      'GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*005010X231A1',
      'ST*999*0001*005010X231A1', 'AK1*PO*4*005010', 'AK2*850*0001', 'IK5*A', 'AK9*A*1*1*1', 'SE*6*0001',
      'GE*1*801',
      'IEA*1*000007001',
    ]);
  });

  it('answers a 004010 variant group with a 004010 997, and a 005010 group with a 005010 997', () => {
    const vics = segmentsOf(respond(inbound({ groups: [{ control: 1, sets: 1, gs08: '004010VICS' }] }))!);
    expect(vics[1]).toBe('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010');
    const v5 = segmentsOf(respond(inbound({ version: '00501' }))!);
    expect(v5[1]).toBe('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*005010');
    expect(v5[2]).toBe('ST*997*0001');
  });

  it('opens one GS*FA per application sender (GS02) and asks for a group number each time', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 1, gs02: 'STORES' }, { control: 2, sets: 1, gs02: 'WAREHOUSE' }, { control: 3, sets: 1, gs02: 'STORES' }] });
    const gs = segmentsOf(respond(ic)!).filter((s) => s.startsWith('GS') || s.startsWith('GE') || s.startsWith('AK1'));
    expect(gs).toEqual([
      'GS*FA*OURGS*STORES*20261102*0805*801*X*004010', 'AK1*PO*1', 'AK1*PO*3', 'GE*2*801',
      'GS*FA*OURGS*WAREHOUSE*20261102*0805*802*X*004010', 'AK1*PO*2', 'GE*1*802',
    ]);
    const fixed = { interchange: 7001, group: '801', nextSet: () => '0001' };
    expect(() => acknowledgeInterchange(ic, new Map(), defaultAckPolicy, us, fixed, now)).toThrow(/several application receivers/);
  });

  it('answers each group from the GS02 the identity gives for it, one GS*FA per pair of application ids', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 1, gs02: 'STORES' }, { control: 2, sets: 1, gs02: 'STORES' }, { control: 3, sets: 1, gs02: 'STORES' }] });
    // Our id towards group 2 differs from the one towards groups 1 and 3 (as if group 2 had addressed another GS03).
    const identity = { ...us, gsId: (g: Interchange['groups'][number]) => (g.header.controlNumber === '2' ? 'OURDC' : 'OURGS') };
    const out = acknowledgeInterchange(ic, new Map(), defaultAckPolicy, identity, counters(), now)!;
    const gs = segmentsOf(serializeAcknowledgment(out)).filter((s) => s.startsWith('GS') || s.startsWith('GE') || s.startsWith('AK1'));
    expect(gs).toEqual([
      'GS*FA*OURGS*STORES*20261102*0805*801*X*004010', 'AK1*PO*1', 'AK1*PO*3', 'GE*2*801',
      'GS*FA*OURDC*STORES*20261102*0805*802*X*004010', 'AK1*PO*2', 'GE*1*802',
    ]);
  });

  it('never acknowledges a 997/999 group functionally', () => {
    const fa = { control: 2, sets: 1, gs01: 'FA', set: '997', body: () => [['AK1', 'PO', '77'], ['AK9', 'A', '1', '1', '1']] };
    const mixed = segmentsOf(respond(inbound({ groups: [{ control: 1, sets: 1 }, fa] }))!);
    expect(mixed.filter((s) => s.startsWith('AK1'))).toEqual(['AK1*PO*1']);
    const numbers = counters();
    expect(respond(inbound({ groups: [fa] }), defaultAckPolicy, new Map(), numbers)).toBeNull();
    expect(numbers.used).toEqual([]);
    // A 999 in a group with a wrong GS01 is still an acknowledgment.
    expect(respond(inbound({ groups: [{ ...fa, gs01: 'PO', set: '999' }] }))).toBeNull();
  });
});

describe('TA1', () => {
  it('goes between ISA and GS with A 000 when ISA14 asks for it', () => {
    const lines = segmentsOf(respond(inbound({ ackRequested: '1' }))!);
    expect(lines.slice(0, 3).map((l) => l.slice(0, 36))).toEqual([
      'ISA*00*          *00*          *01*1',
      'TA1*000000905*261101*1230*A*000',
      'GS*FA*OURGS*ACMEBUYER*20261102*0805*',
    ]);
    expect(lines.at(-1)).toBe('IEA*1*000007001');
  });

  it('rejects a duplicate interchange with TA1 R 025 and sends no 997', () => {
    const ic = inbound({ groups: [{ control: 1, sets: 3 }] });
    duplicate(ic);
    expect(segmentsOf(respond(ic)!)).toEqual([
      'ISA*00*          *00*          *01*123456789      *ZZ*ACMEBUYER      *261102*0805*U*00401*000007001*0*P*>',
      'TA1*000000905*261101*1230*R*025',
      'IEA*0*000007001',
    ]);
  });

  it('puts the duplicate first even when the envelope has other errors', () => {
    const ic = readOne(inboundText().replace('IEA*1*000000905', 'IEA*2*000000905'));
    duplicate(ic);
    expect(assessInterchange(ic)).toMatchObject({ status: 'R', note: '025' });
  });

  it.each([
    ['IEA02 differs from ISA13', '001', (t: string) => t.replace('IEA*1*000000905', 'IEA*1*000000906')],
    ['IEA01 counts wrong', '021', (t: string) => t.replace('IEA*1*000000905', 'IEA*3*000000905')],
    ['no IEA', '023', (t: string) => t.replace('IEA*1*000000905~\n', '')],
    ['bad ISA09 date', '014', (t: string) => t.replace('*261101*1230*', '*261341*1230*')],
    ['bad ISA15', '020', (t: string) => t.replace('*0*P*>', '*0*Q*>')],
  ])('rejects the envelope when %s (TA1 R %s) and sends no 997', (_name, code, breakIt) => {
    const ic = readOne(breakIt(inboundText()));
    const lines = segmentsOf(respond(ic)!);
    expect(lines[1]).toBe(`TA1*000000905*${ic.header.date}*1230*R*${code}`);
    expect(lines.filter((l) => l.startsWith('GS') || l.startsWith('ST'))).toEqual([]);
    expect(lines.at(-1)).toBe('IEA*0*000007001');
  });

  it('notes a tolerated envelope problem with TA1 E when a TA1 is requested', () => {
    const text = inboundText({ ackRequested: '1' }).replace('ACMEBUYER      *', 'ACMEBUYER*');
    const ic = readX12(text, { allowVariableIsa: true }).interchanges[0]!;
    const lines = segmentsOf(respond(ic)!);
    expect(lines[1]).toBe('TA1*000000905*261101*1230*E*022');
    expect(lines[2]).toMatch(/^GS\*FA\*/);
    // Not requested: a tolerated problem is no reason to send a TA1.
    const quiet = readX12(text.replace('*1*P*>', '*0*P*>'), { allowVariableIsa: true }).interchanges[0]!;
    expect(segmentsOf(respond(quiet)!)[1]).toMatch(/^GS\*FA\*/);
  });

  it('notes ISA11 "U" in a 00501 interchange as a warning, TA1 E 016, and still acknowledges the group', () => {
    const text = inboundText({ version: '00501', ackRequested: '1' }).replace('*^*00501*', '*U*00501*');
    const r = readX12(text);
    expect(allFindings(r).map((f) => [f.code, f.severity])).toEqual([['X12_ISA_STANDARDS_ID', 'warning']]);
    const lines = segmentsOf(respond(r.interchanges[0]!)!);
    expect(lines[1]).toBe('TA1*000000905*261101*1230*E*016');
    expect(lines).toContain('AK9*A*1*1*1');
  });

  it('leaves data after the last IEA to the file: the interchange before it gets TA1 A 000 and its 997', () => {
    const r = readX12(inboundText({ ackRequested: '1' }) + 'THIS IS NOT EDI\n');
    expect(r.findings.map((f) => [f.code, f.severity, f.ack.ta1])).toEqual([['X12_TRAILING_DATA', 'error', undefined]]);
    expect(r.interchanges[0]!.findings).toEqual([]);
    const lines = segmentsOf(respond(r.interchanges[0]!)!);
    expect(lines[1]).toBe('TA1*000000905*261101*1230*A*000');
    expect(lines).toContain('AK9*A*1*1*1');
  });

  it('follows the TA1 policy: on-error, always, never, and kind none', () => {
    const requested = inbound({ ackRequested: '1' });
    expect(respond(requested, ackPolicy({ ta1: 'on-error' }))).not.toContain('TA1*');
    expect(respond(inbound(), ackPolicy({ ta1: 'always' }))).toContain('TA1*000000905*261101*1230*A*000~');
    expect(respond(requested, ackPolicy({ ta1: 'never' }))).not.toContain('TA1*');

    const rejected = inbound();
    duplicate(rejected);
    expect(respond(rejected, ackPolicy({ ta1: 'on-error' }))).toContain('TA1*000000905*261101*1230*R*025~');
    const numbers = counters();
    expect(respond(rejected, ackPolicy({ ta1: 'never' }), new Map(), numbers)).toBeNull();
    expect(numbers.used).toEqual([]);

    expect(segmentsOf(respond(requested, ackPolicy({ kind: 'none' }))!).map((s) => s.slice(0, 3))).toEqual(['ISA', 'TA1', 'IEA']);
    expect(respond(inbound(), ackPolicy({ kind: 'none' }))).toBeNull();
  });

  it('does not answer a TA1-only interchange with a TA1 A, even when asked', () => {
    const ta1Only = inbound({ ackRequested: '1', groups: [], ta1: [['TA1', '000004711', '261101', '1200', 'A', '000']] });
    expect(ta1Only.ta1).toHaveLength(1);
    expect(respond(ta1Only, ackPolicy({ ta1: 'always' }))).toBeNull();
    duplicate(ta1Only);
    expect(respond(ta1Only)).toContain('TA1*000000905*261101*1230*R*025~');
  });

  it('echoes ISA13, ISA09 and ISA10 as received; pads a short numeric ISA13, cleans a garbled one', () => {
    const ic = inbound();
    expect(buildTa1(ic)).toEqual(['TA1', '000000905', '261101', '1230', 'A', '000']);
    ic.header.controlNumber = '905';
    expect(buildTa1(ic)[1]).toBe('000000905');
    ic.header.controlNumber = '0000*090A';
    expect(buildTa1(ic)[1]).toBe('0000090A');
  });

  it('says in plain words why', () => {
    const ic = inbound();
    duplicate(ic);
    expect(assessInterchange(ic).message).toBe(
      'interchange 000000905 rejected: the interchange control number was already received (duplicate interchange) (TA1 R 025): interchange 000000905 from ACMEBUYER was already received',
    );
    expect(assessInterchange(inbound()).message).toBe('interchange 000000905 accepted (TA1 A 000)');
  });
});
