import { describe, expect, it } from 'vitest';
import { examineFile } from '../../src/inbound/examine.js';
import { defaultAckPolicy } from '../../src/acks/policy.js';
import { serializeAcknowledgment } from '../../src/acks/respond.js';
import { counters, inboundText, now, segmentsOf, us } from './support.js';

// AK905 code 19 (GS06 not unique in the interchange) exists from 005010 on: a 004010 997 must
// carry a code its own version defines, or the partner's translator rejects the acknowledgment.

/** Two groups with the same GS06 in one interchange: the second one is the duplicate. */
function acknowledge(version: '00401' | '00501') {
  const text = inboundText({ version, groups: [{ control: 1, sets: 1 }, { control: 1, sets: 1 }] });
  const examined = examineFile(text, { ack: { policy: defaultAckPolicy, identity: us, controlNumbers: counters(), now } });
  expect(examined.findings.map((f) => f.code)).toEqual(['X12_GS_DUPLICATE']);
  expect(examined.acks).toHaveLength(1);
  return serializeAcknowledgment(examined.acks[0]!);
}

/** Every finding when our own acknowledgment is read back and validated like any inbound file. */
const findingsOf = (ackText: string) => examineFile(ackText).findings.map((f) => [f.code, f.location.segmentTag, f.value]);

describe('AK905 codes follow the version of the 997', () => {
  it('a 004010 997 reports a duplicate GS06 as code 6, which 004010 defines, and validates against the 004010 997 spec', () => {
    const ack = acknowledge('00401');
    expect(findingsOf(ack)).toEqual([]);
    const lines = segmentsOf(ack);
    expect(lines).toContain('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*004010');
    // The first group is accepted; the duplicate is rejected as a whole with code 6 (GS06 syntax).
    expect(lines.filter((l) => l.startsWith('AK9'))).toEqual(['AK9*A*1*1*1', 'AK9*R*1*1*1*6']);
  });

  it('a 005010 997 keeps code 19 and validates against the 005010 997 spec', () => {
    const ack = acknowledge('00501');
    const lines = segmentsOf(ack);
    expect(lines).toContain('GS*FA*OURGS*ACMEBUYER*20261102*0805*801*X*005010');
    expect(lines.filter((l) => l.startsWith('AK9'))).toEqual(['AK9*A*1*1*1', 'AK9*R*1*1*1*19']);
    expect(findingsOf(ack)).toEqual([]);
  });
});
