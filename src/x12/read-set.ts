// Reads one transaction set (ST..SE) back from its own bytes, with the delimiters of the
// interchange it came in: the map stage needs one set, not the whole file again. Pure.
import { finding } from '../errors/finding.js';
import type { Delimiters, TransactionSet } from './model.js';
import { Tokenizer } from './tokenizer.js';
import { firstSegment, segmentsOf, SetSegments } from './segment-list.js';

export interface ReadSetOptions {
  /** Where the set's first byte sits in its file, so segment offsets and lines match the file. */
  offset?: number;
  line?: number;
  file?: string;
}

/**
 * The set in `bytes` (ST first, SE last; blanks and line breaks around it are fine). Envelope checks
 * (SE count, control numbers) are the split stage's job and are not repeated here; tokenizer problems
 * (e.g. an ignored empty segment) come back as findings. Throws when the bytes do not start with ST:
 * that is a wrong stored offset, not partner data.
 */
export function readTransactionSet(bytes: Uint8Array | string, delimiters: Delimiters, options: ReadSetOptions = {}): TransactionSet {
  const tx: TransactionSet = { id: '', controlNumber: '', segments: [], complete: false, findings: [] };
  // A large set is held compactly, as the envelope reader holds it (see segment-list.ts).
  const added = new SetSegments(tx);
  const tokenizer = new Tokenizer(
    {
      segment: (seg) => added.add(seg),
      noted: (tag, src, k) => added.note(tag, src, k),
      problem: (p) => {
        const location = { offset: p.offset, line: p.line, ...(p.segmentTag ? { segmentTag: p.segmentTag } : {}), ...(options.file !== undefined ? { file: options.file } : {}) };
        tx.findings.push(finding(p.code, p.message, location, p.severity ? { severity: p.severity } : {}));
      },
    },
    { start: { delimiters, offset: options.offset ?? 0, line: options.line ?? 1 } },
  );
  tokenizer.push(bytes);
  tokenizer.end();
  const st = firstSegment(tx);
  if (!st || st.tag !== 'ST') {
    throw new Error(`readTransactionSet: the bytes start with ${st ? `a ${st.tag} segment` : 'no segment'}, not ST (offset ${options.offset ?? 0})`);
  }
  tx.id = st.elements[1] ?? '';
  tx.controlNumber = st.elements[2] ?? '';
  const ref = st.elements[3];
  if (ref) tx.implementationReference = ref;
  const segments = segmentsOf(tx);
  tx.complete = segments.length > 1 && segments.tagAt(segments.length - 1) === 'SE';
  return tx;
}
