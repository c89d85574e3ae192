// Whether a file's bytes look like a finished X12 file: its last interchange closed by an IEA whose
// control number (IEA02) matches its ISA13, nothing but white space after it. The folder and SFTP
// intakes use it to take a complete file at once and let a file that looks unfinished (a writer
// still at work, without a temporary name) wait out the stability window (docs/reliability.md#half-written-files).
//
//   x12Completeness(bytes)   // { complete: true } | { complete: false, why: 'no IEA closes the last interchange (ISA13 000000905)' }
//
// Only the tail (the last interchange) is read, so the check costs little on a file of any size. It says nothing about the rest of the file: the
// split stage reads and judges every interchange.
import { detectIsa } from './isa-detect.js';
import type { Delimiters } from './model.js';

export type Completeness = { complete: true } | { complete: false; why: string };

/** How much of the head holds the first ISA whatever its padding (detectIsa scans up to 512). */
const HEAD = 1024;

export function x12Completeness(bytes: Uint8Array): Completeness {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (start < buf.length && isFiller(buf[start]!)) start++;
  if (start >= buf.length) return { complete: false, why: 'the file is empty' };
  if (buf.toString('latin1', start, Math.min(buf.length, start + 3)) !== 'ISA') return { complete: false, why: 'the file does not start with an ISA segment' };

  // The last interchange's own delimiters: a file may join interchanges written with different ones.
  const isa = lastIsa(buf, start);
  if (!isa) return { complete: false, why: 'the ISA segment is not complete' };
  const { element, segment } = isa.delimiters;
  const terminator = segment.charCodeAt(0);

  // The end: trailing white space, NUL and Ctrl-Z do not count (the terminator itself may be a line break).
  let end = buf.length;
  while (end > isa.end && buf[end - 1] !== terminator && isFiller(buf[end - 1]!)) end--;
  if (end <= isa.end || buf[end - 1] !== terminator) return { complete: false, why: 'the file does not end with a segment terminator' };

  // The last segment: after the terminator before it (and the line breaks that may follow that one).
  let lastStart = Math.max(isa.end, buf.lastIndexOf(terminator, end - 2) + 1);
  while (lastStart < end && isFiller(buf[lastStart]!) && buf[lastStart] !== terminator) lastStart++;
  const last = buf.toString('latin1', lastStart, end - 1).split(element);
  if (last[0] !== 'IEA') return { complete: false, why: `the last segment is ${JSON.stringify(last[0]?.slice(0, 3) ?? '')}, not the IEA that closes an interchange` };
  const closing = (last[2] ?? '').trim();
  if (!sameControl(isa.control, closing)) return { complete: false, why: `the last IEA closes interchange ${closing || '(none)'}, not ${isa.control} (its ISA13)` };
  return { complete: true };
}

/** The last ISA segment of the file that reads as one: its delimiters, ISA13 and where it ends. */
function lastIsa(buf: Buffer, start: number): { delimiters: Delimiters; control: string; end: number } | undefined {
  for (let at = buf.lastIndexOf('ISA', buf.length, 'latin1'); at >= start; at = at > start ? buf.lastIndexOf('ISA', at - 1, 'latin1') : -1) {
    const head = buf.toString('latin1', at, Math.min(buf.length, at + HEAD));
    const isa = detectIsa(head, 0, buf.length - at <= HEAD);
    // "ISA" inside some element's data does not read as an ISA segment: look further back.
    if (isa === 'more') return undefined;
    if ('fatal' in isa || isa.elements.length !== 17) continue;
    return { delimiters: isa.delimiters, control: (isa.elements[13] ?? '').trim(), end: at + isa.end };
  }
  return undefined;
}

/** Control numbers are numeric: 000000905 and 905 are the same one. */
function sameControl(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) === BigInt(b);
  return a === b;
}

/** White space, NUL and Ctrl-Z: what writers leave around segments and at the end of a file. */
function isFiller(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0x00 || b === 0x1a;
}
