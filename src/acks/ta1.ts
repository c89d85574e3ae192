// The TA1 interchange acknowledgment (docs/x12.md#ta1-and-isa14): it answers the
// ISA/IEA envelope only. Its note code comes straight from the interchange findings.
import type { Finding } from '../errors/finding.js';
import type { Delimiters, Interchange } from '../x12/model.js';
import type { SegmentData } from '../x12/writer.js';
import { codeMeaning, ta1NoteCodes } from './code-tables.js';
import { echoCleaner } from './clean.js';

export type Ta1Status = 'A' | 'E' | 'R';

export interface Ta1Assessment {
  /** TA104: R when the envelope has errors, E when only tolerated problems (warnings with a TA1 code), else A. */
  status: Ta1Status;
  /** TA105 note code (000 when nothing is wrong). */
  note: string;
  /** The finding that decided the note code, if any. */
  finding?: Finding;
  /** One line for people: what the TA1 says and why. */
  message: string;
}

/** Used for an interchange error that carries no TA1 code of its own. */
const FALLBACK_NOTE = '022';

/**
 * What a TA1 for this interchange says. Any error at interchange level rejects it.
 * TA105 holds one code: a duplicate interchange (025) comes first, because the
 * partner already has our answer to the original; otherwise the first error found.
 */
export function assessInterchange(ic: Interchange): Ta1Assessment {
  const errors = ic.findings.filter((f) => f.severity === 'error');
  const control = ic.header.controlNumber;
  if (errors.length) {
    const decisive = errors.find((f) => f.code === 'X12_INTERCHANGE_DUPLICATE') ?? errors.find((f) => f.ack.ta1) ?? errors[0]!;
    const note = decisive.ack.ta1 ?? FALLBACK_NOTE;
    return { status: 'R', note, finding: decisive, message: `interchange ${control} rejected: ${codeMeaning(ta1NoteCodes, note)} (TA1 R ${note}): ${decisive.message}` };
  }
  const noted = ic.findings.find((f) => f.ack.ta1);
  if (noted) {
    const note = noted.ack.ta1!;
    return { status: 'E', note, finding: noted, message: `interchange ${control} accepted with errors noted: ${codeMeaning(ta1NoteCodes, note)} (TA1 E ${note}): ${noted.message}` };
  }
  return { status: 'A', note: '000', message: `interchange ${control} accepted (TA1 A 000)` };
}

/** TA1*ISA13*ISA09*ISA10*status*note, echoing the received envelope values. */
export function buildTa1(ic: Interchange, assessment: Ta1Assessment = assessInterchange(ic), delimiters?: Delimiters): SegmentData {
  const h = ic.header;
  const clean = echoCleaner(delimiters, 9);
  // TA101 is N0 9: a numeric ISA13 sent without its padding is echoed padded.
  const control = /^\d{1,9}$/.test(h.controlNumber) ? h.controlNumber.padStart(9, '0') : clean(h.controlNumber);
  return ['TA1', control, clean(h.date).slice(0, 6), clean(h.time).slice(0, 4), assessment.status, assessment.note];
}
