// Failing cases the fuzz properties found (test/fuzz/x12-mutations.test.ts), kept as plain tests.
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../src/errors/finding.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import { runCore } from './pipeline-core.js';

/** An 850 from a partner whose element separator is |: its ids may hold * > ^ ~, our delimiters. */
const pipeFile = (senderIsa: string, senderGs: string, receiverGs = 'OURCOMPANY') => Buffer.from([
  `ISA|00|          |00|          |ZZ|${senderIsa.padEnd(15)}|ZZ|OURCOMPANY     |261101|1230|U|00401|000000905|1|P|:~`,
  `GS|PO|${senderGs}|${receiverGs}|20261101|1230|1|X|004010~`,
  'ST|850|0001~', 'BEG|00|SA|PO1010||20261101~', 'PO1|1|12|EA|4.25|PE|UP|012345678905~', 'CTT|1|12~', 'SE|5|0001~',
  'GE|1|1~', 'IEA|1|000000905~',
].join('\n'));

const ackErrors = (ack: string) => allFindings(readX12(ack)).filter((f) => f.severity === 'error').map(formatFinding);

describe('acknowledging ids that hold our delimiters', () => {
  // Found by the mutation property: GS02 "ACMES>PPLY" made serializeInterchange throw
  // X12_WRITE_DELIMITER_IN_DATA, so the validate stage failed on every retry and no set went on.
  it('writes the 997 and TA1 without the delimiter characters instead of throwing', () => {
    const run = runCore(pipeFile('ACME*EAST', 'ACME>EAST^1', 'OUR^CO'));
    expect(run.mapped.map((m) => m.document !== undefined)).toEqual([true]);
    expect(run.acks).toHaveLength(1);
    const ack = run.acks[0]!;
    expect(ackErrors(ack)).toEqual([]);
    const [ic] = readX12(ack).interchanges;
    expect([ic!.header.receiverId, ic!.groups[0]!.header.receiverId, ic!.groups[0]!.header.senderId]).toEqual(['ACMEEAST', 'ACMEEAST1', 'OURCO']);
    expect(ic!.ta1).toHaveLength(1);
  });
});
