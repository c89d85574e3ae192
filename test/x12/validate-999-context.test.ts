// A received 999 whose CTX01 (C998 context identification) repeats, separated by ISA11:
// read by readX12 and validated with the real 005010 specs, the repetitions are checked
// one by one instead of as one long context name.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/errors/finding.js';
import { examineFile } from '../../src/inbound/examine.js';
import { readX12 } from '../../src/x12/reader.js';
import { getSegmentDictionary, getTransactionSetSpec } from '../../src/x12/specs.js';
import { validateTransaction } from '../../src/x12/validate.js';

/** A 999 answering our 850 with one IK3 and its CTX segments; `ctx` are the CTX segments' texts. */
function ack999(...ctx: string[]): string {
  const body = [
    'AK1*PO*1001*005010', 'AK2*850*0001', 'IK3*PO1*9*PO1*8', ...ctx, 'IK4*2*330*6', 'IK5*R*5', 'AK9*R*1*1*0',
  ];
  return [
    'ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*OURCOMPANY     *240115*1200*^*00501*000000905*0*P*:',
    'GS*FA*ACMEBUYER*OURCOMPANY*20240115*1200*17*X*005010X231A1',
    'ST*999*0001*005010X231A1', ...body, `SE*${body.length + 2}*0001`,
    'GE*1*17', 'IEA*1*000000905',
  ].join('~\n') + '~\n';
}

function validate999(text: string): Finding[] {
  const read = readX12(text, { file: '999.edi' });
  const ic = read.interchanges[0]!;
  const tx = ic.groups[0]!.transactions[0]!;
  // The envelope is sound: what follows is the validator's work alone.
  expect([...read.findings, ...ic.findings, ...ic.groups[0]!.findings, ...tx.findings]).toEqual([]);
  return validateTransaction(tx, getTransactionSetSpec('005010', '999')!, getSegmentDictionary('005010'), {});
}

const brief = (f: Finding) => [f.code, f.location.segmentTag, f.location.elementPosition, f.location.componentPosition, f.location.repetitionPosition, f.value];

describe('999 CTX01 repetitions', () => {
  it('accepts a situational trigger followed by a business unit context as two repetitions of CTX01', () => {
    // Each context name fits 9000 (at most 35 characters); read as one value, the first component
    // would be "SITUATIONAL TRIGGER^PURCHASE ORDER LINE", 39 characters.
    const ctx = 'CTX*SITUATIONAL TRIGGER^PURCHASE ORDER LINE:PO1-1*PO1*9**2';
    expect(validate999(ack999(ctx))).toEqual([]);
    // Through the whole inbound path as well: read, validate, no error for the 999.
    const examined = examineFile(ack999(ctx, 'CTX*CLM01:123456789^PO102:12'), { file: '999.edi' });
    expect(examined.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('checks each repetition on its own and names its position', () => {
    const long = 'X'.repeat(36);
    expect(validate999(ack999(`CTX*SITUATIONAL TRIGGER^${long}:REF*PO1*9`)).map(brief)).toEqual([
      ['X12_ELEMENT_TOO_LONG', 'CTX', 1, 1, 2, long],
    ]);
    expect(validate999(ack999('CTX*SITUATIONAL TRIGGER^:REF*PO1*9')).map(brief)).toEqual([
      ['X12_ELEMENT_MISSING', 'CTX', 1, 1, 2, undefined],
    ]);
  });

  it('reports a repetition past the tenth', () => {
    const ctx = `CTX*${Array.from({ length: 11 }, (_, i) => `CLM0${i % 9 + 1}:${i}`).join('^')}`;
    expect(validate999(ack999(ctx)).map(brief)).toEqual([['X12_ELEMENT_TOO_MANY_REPETITIONS', 'CTX', 1, undefined, 11, 'CLM02:10']]);
  });
});
