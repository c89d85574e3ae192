// Compiles a version's segment dictionary (specs/<version>/segments.json) into the
// tables the element checker runs on: type families as integers, code lists as sets
// (with integer keys for short codes), syntax notes as bit masks. Done once per
// dictionary object; validating a segment never reads spec JSON.
import type { CompositeSpec, DataType, ElementSpec, SegmentDictionary, SegmentSpec, SyntaxRule } from './spec-types.js';
import { isComposite } from './spec-types.js';
import { shortCodeKey } from './datatypes.js';

// Data type families, as small integers for a cheap switch.
export const NUMERIC = 0; // N, N0..N9
export const DECIMAL = 1; // R
export const IDENTIFIER = 2; // ID
export const STRING = 3; // AN
export const DATE = 4; // DT
export const TIME = 5; // TM
export const BINARY = 6; // B

function typeFamily(t: DataType): number {
  switch (t) {
    case 'R': return DECIMAL;
    case 'ID': return IDENTIFIER;
    case 'AN': return STRING;
    case 'DT': return DATE;
    case 'TM': return TIME;
    case 'B': return BINARY;
    default: return NUMERIC;
  }
}

export interface CompiledElement {
  /** Data element (or composite) reference, AK402. */
  ref: string;
  /** The name as used in messages ("purchase order number"). */
  label: string;
  type: DataType;
  family: number;
  mandatory: boolean;
  min: number;
  max: number;
  codes: ReadonlySet<string> | null;
  /** shortCodeKey of each code that has one: most lookups need no substring. */
  codeKeys: ReadonlySet<number> | null;
  /** Max repetitions; 1 = not repeatable (never split on the repetition separator). */
  repeat: number;
  /** The components when the element is a composite. */
  components: CompiledElement[] | null;
  /** Neither a composite nor repeatable: the value is checked as it stands. */
  simple: boolean;
  /** An AN value, or an ID value without a code list: only its length (and control characters) to check. */
  lengthOnly: boolean;
}

/**
 * A syntax note as bit masks over element positions 1-31 (bit p-1), so checking a
 * note that holds is a few integer operations on the segment's presence mask.
 */
export interface CompiledRule {
  rule: SyntaxRule;
  /** The note type as a small integer (P R E C L = 0..4) for a cheap switch. */
  kind: number;
  /** All the note's elements. */
  all: number;
  /** Its first element (the condition of C and L). */
  head: number;
  /** The others. */
  rest: number;
  /** The note names a position above 31: checked element by element instead. */
  wide: boolean;
}

export interface CompiledSegment {
  tag: string;
  elements: CompiledElement[];
  rules: readonly CompiledRule[];
  /** The position of the last mandatory element (0 when none): missing trailing elements are looked at up to here. */
  lastMandatory: number;
}

function compileRule(rule: SyntaxRule): CompiledRule {
  const bit = (p: number) => (p >= 1 && p <= 31 ? 1 << (p - 1) : 0);
  const [head = 0, ...rest] = rule.elements;
  return {
    rule,
    kind: 'PRECL'.indexOf(rule.type),
    all: rule.elements.reduce((m, p) => m | bit(p), 0),
    head: bit(head),
    rest: rest.reduce((m, p) => m | bit(p), 0),
    wide: rule.elements.some((p) => p < 1 || p > 31),
  };
}

/** Whether a note holds, given the presence mask of the segment's elements. */
export function holds(r: CompiledRule, present: number): boolean {
  const used = present & r.all;
  switch (r.kind) {
    case 0: return used === 0 || used === r.all; // P
    case 1: return used !== 0; // R
    case 2: return (used & (used - 1)) === 0; // E
    case 3: return (used & r.head) === 0 || (used & r.rest) === r.rest; // C
    default: return (used & r.head) === 0 || (used & r.rest) !== 0; // L
  }
}

/** "Purchase Order Number" -> "purchase order number"; acronyms such as SCAC or ID stay as written. */
export function label(name: string): string {
  return name.replace(/\b([A-Z])([a-z]+)\b/g, (_m, first: string, rest: string) => first.toLowerCase() + rest);
}

function compileSimple(e: ElementSpec): CompiledElement {
  const family = typeFamily(e.type);
  const codes = e.codes && e.codes.length > 0 ? new Set(e.codes) : null;
  let codeKeys: Set<number> | null = null;
  if (codes) {
    codeKeys = new Set();
    for (const code of codes) {
      const key = shortCodeKey(code, 0, code.length);
      if (key >= 0) codeKeys.add(key);
    }
  }
  const repeat = e.repeat ?? 1;
  return {
    ref: e.ref, label: label(e.name), type: e.type, family,
    mandatory: e.req === 'M', min: e.min, max: e.max, codes, codeKeys,
    repeat, components: null, simple: repeat <= 1,
    lengthOnly: family === STRING || (family === IDENTIFIER && !codes),
  };
}

function compileComposite(c: CompositeSpec): CompiledElement {
  return {
    ref: c.composite, label: label(c.name), type: 'AN', family: STRING,
    mandatory: c.req === 'M', min: 0, max: 0, codes: null, codeKeys: null,
    repeat: c.repeat ?? 1, components: c.components.map(compileSimple), simple: false, lengthOnly: false,
  };
}

export function compileSegment(tag: string, spec: SegmentSpec): CompiledSegment {
  const elements = spec.elements.map((e) => (isComposite(e) ? compileComposite(e) : compileSimple(e)));
  let lastMandatory = 0;
  elements.forEach((e, i) => {
    if (e.mandatory) lastMandatory = i + 1;
  });
  return { tag, elements, rules: (spec.rules ?? []).map(compileRule), lastMandatory };
}

export function compileDictionary(dictionary: SegmentDictionary): Map<string, CompiledSegment> {
  const out = new Map<string, CompiledSegment>();
  for (const [tag, spec] of Object.entries(dictionary.segments)) out.set(tag, compileSegment(tag, spec));
  return out;
}

/** Whether s[start, end) is in the element's code list, without a substring for codes of up to 4 ASCII characters. */
export function isListed(def: CompiledElement, s: string, start: number, end: number): boolean {
  const key = shortCodeKey(s, start, end);
  // A value with a key can only equal a code with a key (same length and characters).
  if (key >= 0) return def.codeKeys!.has(key);
  return def.codes!.has(start === 0 && end === s.length ? s : s.slice(start, end));
}
