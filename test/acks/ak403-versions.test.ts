import { describe, expect, it } from 'vitest';
import { examineFile } from '../../src/inbound/examine.js';
import { buildFunctionalAck } from '../../src/acks/functional-ack.js';
import { defaultAckPolicy } from '../../src/acks/policy.js';
import { serializeAcknowledgment } from '../../src/acks/respond.js';
import { defaultDelimiters, serializeSegment, type SegmentData } from '../../src/x12/writer.js';
import { at, counters, inbound, inboundText, now, po850, segmentsOf, setOf, us } from './support.js';

// AK403 code 13 (too many components) and 12 (too many repetitions) exist from 005010 on:
// a 004010 997 must carry a code its own version defines, or the partner's translator rejects it.

/** The sample 850 with a REF04 (composite C040, six components) holding a seventh component. */
const withExtraComponent = (n: number): SegmentData[] =>
  po850(n).map((s) => (s[0] === 'REF' ? ['REF', 'ZZ', '1', undefined, ['VN', 'A', 'IA', 'B', 'SK', 'C', 'EXTRA']] : s));

/**
 * Findings about AK4 when our own 997 is read back and validated like any inbound set. (AK402 is
 * left empty for a composite: its id C040 is no value of the numeric element 725.)
 */
const ak403Findings = (ackText: string) =>
  examineFile(ackText).findings.filter((f) => f.location.segmentTag === 'AK4');

function acknowledge(version: '00401' | '00501') {
  const text = inboundText({ version, groups: [{ control: 1, sets: 1, body: withExtraComponent }] });
  const examined = examineFile(text, { ack: { policy: defaultAckPolicy, identity: us, controlNumbers: counters(), now } });
  expect(examined.findings.map((f) => f.code)).toEqual(['X12_ELEMENT_TOO_MANY_COMPONENTS']);
  expect(examined.acks).toHaveLength(1);
  return serializeAcknowledgment(examined.acks[0]!);
}

describe('AK403 codes follow the version of the 997', () => {
  it('a 004010 997 reports too many components as code 3, which 004010 defines, and validates against the 004010 997 spec', () => {
    const ack = acknowledge('00401');
    const lines = segmentsOf(ack);
    expect(lines).toContain('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010');
    expect(lines).toContain('AK3*REF*3**8');
    expect(lines).toContain('AK4*4>7**3*EXTRA');
    // AK403 is in the code list of the 004010 997 spec.
    expect(ak403Findings(ack)).toEqual([]);
  });

  it('a 005010 997 keeps code 13 and validates against the 005010 997 spec', () => {
    const ack = acknowledge('00501');
    const lines = segmentsOf(ack);
    expect(lines).toContain('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*005010');
    expect(lines).toContain('AK4*4>7**13*EXTRA');
    expect(ak403Findings(ack)).toEqual([]);
  });

  it('code 13 written in a 004010 997 would be rejected by the 004010 997 spec (the reason for the fallback)', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const f = at('X12_ELEMENT_TOO_MANY_COMPONENTS', tx, 3, 'REF', { elementPosition: 4, componentPosition: 7, elementReference: 'C040' }, 'EXTRA');
    // Told the 997 goes in a 005010 group, the builder keeps 13; in a 004010 group that code is invalid.
    const as5010 = buildFunctionalAck(ic.groups[0]!, new Map([[tx, [f]]]), '997', '0001', { version: '005010' });
    const d = defaultDelimiters('00401');
    const body = as5010.body.map((s) => serializeSegment(s, d));
    expect(body).toContain('AK4*4>7**13*EXTRA~');
    const text = [
      'ISA*00*          *00*          *01*123456789      *ZZ*ACMEBUYER      *261102*0805*U*00401*000007001*0*P*>~',
      'GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010~',
      'ST*997*0001~', ...body, `SE*${body.length + 2}*0001~`, 'GE*1*801~', 'IEA*1*000007001~',
    ].join('\n');
    expect(ak403Findings(text).map((x) => [x.code, x.severity, x.value])).toEqual([['X12_ELEMENT_INVALID_CODE', 'error', '13']]);
    // Without the version option, the acknowledged group's GS08 (004010) decides: code 3.
    const byGroup = buildFunctionalAck(ic.groups[0]!, new Map([[tx, [f]]]), '997', '0001');
    expect(byGroup.body.map((s) => serializeSegment(s, d))).toContain('AK4*4>7**3*EXTRA~');
  });

  it('a 999 keeps code 13 whatever the acknowledged version', () => {
    const ic = inbound();
    const tx = setOf(ic, '1', '0001');
    const f = at('X12_ELEMENT_TOO_MANY_COMPONENTS', tx, 3, 'REF', { elementPosition: 4, componentPosition: 7, elementReference: 'C040' });
    const ack = buildFunctionalAck(ic.groups[0]!, new Map([[tx, [f]]]), '999', '0001');
    expect(ack.body.map((s) => serializeSegment(s, defaultDelimiters('00501')))).toContain('IK4*4>7**13~');
  });
});
