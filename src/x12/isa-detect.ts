// Reads the delimiters of one interchange from its ISA segment.
// The element separator is the 4th byte; ISA16 follows the 16th element separator and
// the segment terminator follows ISA16. Walking separators (instead of trusting fixed
// offsets) reads unpadded, variable-width ISAs too; their width is reported.
import type { Delimiters } from './model.js';
import type { X12Code } from '../errors/codes/x12.js';

export interface IsaProblem {
  code: X12Code;
  message: string;
  /** Overrides the catalog severity. */
  severity?: 'error' | 'warning';
}

export interface IsaDetection {
  delimiters: Delimiters;
  /** The ISA's elements: [ 'ISA', ISA01 .. ISA16 ]. */
  elements: string[];
  /** Index just after the segment terminator (and its CR when CRLF ends the ISA). */
  end: number;
  /** ISA length including its terminator, line breaks of a wrapped file not counted. */
  width: number;
  /** 106, or 105 when ISA16 is missing (reported on its own). */
  expectedWidth: number;
  problems: IsaProblem[];
}

/** Delimiters could not be read at all: nothing of this interchange can be tokenized. */
export interface IsaFailure {
  fatal: IsaProblem;
}

/** How far past the ISA start we look before giving up on finding 16 separators. */
const MAX_ISA_SCAN = 512;

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';
const show = (c: string): string =>
  c === '\n' ? 'LF' : c === '\r' ? 'CR' : c === ' ' ? 'space' : c.charCodeAt(0) < 32 ? `0x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `"${c}"`;

/**
 * Detects the ISA at `start` of `text`. Returns 'more' when the text may not yet hold the whole
 * ISA (streaming) and `final` is false.
 */
export function detectIsa(text: string, start: number, final: boolean): IsaDetection | IsaFailure | 'more' {
  const wrapped = wrappedIsa(text, start, final);
  return wrapped ?? detectPlainIsa(text, start, final);
}

/**
 * A file hard-wrapped at a fixed width has line breaks inside the ISA itself. Detect on the
 * text without them and map the end back; a file whose terminator is a line break never has
 * one before ISA16, so the two cases cannot be confused.
 */
function wrappedIsa(text: string, start: number, final: boolean): IsaDetection | IsaFailure | 'more' | undefined {
  const head = text.substring(start, start + MAX_ISA_SCAN);
  const element = head[3];
  if (element === undefined || isLineBreak(element)) return undefined;
  let seps = 0;
  let firstBreak = -1;
  for (let i = 3; i < head.length && seps < 16; i++) {
    const c = head[i];
    if (c === element) seps++;
    else if (firstBreak < 0 && isLineBreak(c)) firstBreak = i;
  }
  if (firstBreak < 0 || seps < 16) return undefined;
  const map: number[] = [];
  let clean = '';
  for (let i = 0; i < head.length; i++) {
    const c = head[i] as string;
    if (!isLineBreak(c)) {
      map.push(start + i);
      clean += c;
    }
  }
  const det = detectPlainIsa(clean, 0, final || text.length - start > MAX_ISA_SCAN);
  if (det === 'more' || 'fatal' in det) return det;
  det.end = (map[det.end - 1] as number) + 1;
  det.problems.push({ code: 'X12_HARD_WRAPPED', message: 'line breaks inside the ISA and other segments were removed (the file is wrapped)' });
  return det;
}

function detectPlainIsa(text: string, start: number, final: boolean): IsaDetection | IsaFailure | 'more' {
  const problems: IsaProblem[] = [];
  const element = text[start + 3];
  if (element === undefined) return final ? { fatal: { code: 'X12_TRUNCATED', message: 'the file ends inside the ISA segment' } } : 'more';
  if (isAlnum(element) || element === ' ' || isLineBreak(element)) {
    return {
      fatal: {
        code: 'X12_ELEMENT_SEPARATOR_INVALID',
        message: `the element separator (4th character of the ISA) is ${show(element)}; it must be a special character such as *`,
      },
    };
  }
  // Find the 16th element separator.
  let p = start + 3;
  for (let n = 1; n < 16; n++) {
    const next = text.indexOf(element, p + 1);
    if (next < 0 || next - start > MAX_ISA_SCAN) {
      if (!final && (next < 0 && text.length - start <= MAX_ISA_SCAN)) return 'more';
      if (next < 0 && text.length - start <= MAX_ISA_SCAN) {
        return { fatal: { code: 'X12_TRUNCATED', message: `the file ends inside the ISA segment, after ${n} of its 16 elements` } };
      }
      return {
        fatal: {
          code: 'X12_ISA_ELEMENT_COUNT',
          message: `the ISA segment has only ${n} element separators (${show(element)}) where 16 are needed`,
        },
      };
    }
    p = next;
  }
  // A need for a few more bytes to see ISA16, the terminator and what follows.
  if (!final && text.length < p + 260) {
    // Keep streaming until enough text follows to disambiguate, unless the text is all there.
    return 'more';
  }
  const isa16 = text[p + 1];
  let term = text[p + 2];
  const elements = text.substring(start, p + 1).split(element);
  if (isa16 === undefined) return { fatal: { code: 'X12_TRUNCATED', message: 'the file ends inside the ISA segment' } };

  let component = isa16;
  let termIndex = p + 2;
  if (isa16 !== undefined && (term === undefined || isAlnum(term)) && !isAlnum(isa16) && isa16 !== element && !isLineBreak(isa16)) {
    // "...*P*~GS*...": ISA16 left out, the character after the 16th separator is the terminator.
    component = '';
    term = isa16;
    termIndex = p + 1;
    problems.push({
      code: 'X12_COMPONENT_SEPARATOR_MISSING',
      message: `ISA16 (component separator) is missing: ${show(isa16)} right after the 16th element separator is read as the segment terminator`,
    });
  } else if (isLineBreak(term) && !isAlnum(isa16) && isa16 !== element && nextLineEndsWith(text, p + 2, isa16)) {
    // "...*P*~\nGS*...~\n": ISA16 missing and the terminator followed by a line break.
    component = '';
    term = isa16;
    termIndex = p + 1;
    problems.push({
      code: 'X12_COMPONENT_SEPARATOR_MISSING',
      message: `ISA16 (component separator) is missing: ${show(isa16)} ends the segments of this file and is read as the segment terminator`,
    });
  }
  if (term === undefined) return { fatal: { code: 'X12_TRUNCATED', message: 'the file ends inside the ISA segment' } };

  let segment = term;
  let end = termIndex + 1;
  if (term === '\r' && text[termIndex + 1] === '\n') {
    segment = '\n'; // CRLF: the LF ends segments, the CR is stripped from each segment.
    end = termIndex + 2;
  } else if (term === ' ' || term === '\t') {
    // Trailing blanks before a line break: the line break is the terminator.
    let q = termIndex;
    while (text[q] === ' ' || text[q] === '\t') q++;
    if (isLineBreak(text[q])) {
      segment = text[q] === '\r' && text[q + 1] === '\n' ? '\n' : (text[q] as string);
      end = segment === '\n' && text[q] === '\r' ? q + 2 : q + 1;
      problems.push({ code: 'X12_TRAILING_SPACES', message: 'blanks between ISA16 and the line break were ignored; the line break ends segments' });
    } else {
      return {
        fatal: {
          code: 'X12_SEGMENT_TERMINATOR_INVALID',
          message: `the character after ISA16 is a ${show(term)}; a segment terminator such as ~ or a line break is expected there`,
        },
      };
    }
  } else if (isAlnum(term) || term === element || (component !== '' && term === component)) {
    return {
      fatal: {
        code: 'X12_SEGMENT_TERMINATOR_INVALID',
        message: `the segment terminator (the character after ISA16) is ${show(term)}, which cannot end segments`,
      },
    };
  }
  const width = termIndex - start + 1;

  if (component !== '' && (isAlnum(component) || component === element || component === segment || component === ' ')) {
    problems.push({
      code: 'X12_COMPONENT_SEPARATOR_INVALID',
      message: `the component separator ISA16 is ${show(component)}; it must differ from letters, digits and the other delimiters`,
    });
    component = '';
  }

  // The split leaves an empty last element after the 16th separator: ISA16 goes there.
  elements[16] = component;

  // ISA11: a repetition separator only from 00402 on, and only when it is a special character
  // distinct from the other delimiters (docs/x12.md#isa11-repetition-separator-or-standards-id).
  const isa11 = elements[11] ?? '';
  const isa12 = elements[12] ?? '';
  let repetition: string | null = null;
  if (isa12 >= '00402') {
    if (isa11.length === 1 && !isAlnum(isa11) && isa11 !== ' ' && isa11 !== element && isa11 !== component && isa11 !== segment) {
      repetition = isa11;
    } else {
      problems.push({
        code: 'X12_ISA_STANDARDS_ID',
        message: `ISA11 is "${isa11}" but version ${isa12} expects a repetition separator; repeated elements are not split`,
      });
    }
  } else if (isa11 !== 'U') {
    problems.push({ code: 'X12_ISA_STANDARDS_ID', message: `ISA11 is "${isa11}"; version ${isa12 || '?'} expects U` });
  }

  const expectedWidth = termIndex === p + 1 ? 105 : 106;
  return { delimiters: { element, component, repetition, segment }, elements, end, width, expectedWidth, problems };
}

/** True when the line that starts after the line break at `from` ends (before blanks) with `ch`. */
function nextLineEndsWith(text: string, from: number, ch: string): boolean {
  let q = from;
  while (isLineBreak(text[q]) || text[q] === ' ' || text[q] === '\t') q++;
  const stop = Math.min(text.length, q + 4096);
  let e = q;
  while (e < stop && !isLineBreak(text[e])) e++;
  let last = e - 1;
  while (last > q && (text[last] === ' ' || text[last] === '\t')) last--;
  return last >= q && text[last] === ch;
}
