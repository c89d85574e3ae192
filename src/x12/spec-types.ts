// The shape of the machine-readable specs in specs/<version>/ (JSON).
// specs/<version>/segments.json: the segment dictionary of that version.
// specs/<version>/<set>.json:    one transaction set's structure (segments, loops).
// Specs describe the standard; partner guides may later narrow them (overlays).

/** X12 data element types. N0..N9 are numeric with that many implied decimals. */
export type DataType = 'AN' | 'ID' | 'R' | 'DT' | 'TM' | 'N' | 'N0' | 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'N6' | 'B';

/** M mandatory, O optional, X conditional (a syntax rule of the segment decides). */
export type Requirement = 'M' | 'O' | 'X';

export interface ElementSpec {
  /** Data element reference number, e.g. "353" (AK402). */
  ref: string;
  name: string;
  req: Requirement;
  type: DataType;
  min: number;
  max: number;
  /** For ID elements we act on: the allowed codes. Absent = any value of the right length. */
  codes?: string[];
  /** Maximum repetitions (5010 repeating elements); absent = 1. */
  repeat?: number;
}

export interface CompositeSpec {
  /** Composite reference, e.g. "C040". */
  composite: string;
  name: string;
  req: Requirement;
  components: ElementSpec[];
  repeat?: number;
}

export type ElementOrComposite = ElementSpec | CompositeSpec;

/**
 * Segment syntax notes (relational conditions), with 1-based element positions:
 * P paired (all or none), R required (at least one), E exclusion (at most one),
 * C conditional (if the first, then all the others), L list conditional (if the first, then at least one other).
 */
export interface SyntaxRule {
  type: 'P' | 'R' | 'E' | 'C' | 'L';
  elements: number[];
}

export interface SegmentSpec {
  name: string;
  /** elements[0] is element 01. */
  elements: ElementOrComposite[];
  rules?: SyntaxRule[];
}

/** A place in a transaction set's structure: a segment or a loop. */
export type StructureNode = SegmentNode | LoopNode;

export interface SegmentNode {
  segment: string;
  req: 'M' | 'O';
  /** Maximum use; null = unbounded (">1" in the standard). */
  max: number | null;
}

export interface LoopNode {
  /** Loop identifier as used in AK303 (e.g. "N1", "PO1", "HL", or the standard's numeric id like "0100"). */
  loop: string;
  req: 'M' | 'O';
  /** Maximum repeats; null = unbounded. */
  max: number | null;
  /** The loop's content; the first child is its trigger segment. */
  children: StructureNode[];
}

export interface TransactionSetSpec {
  /** ST01, e.g. "850". */
  id: string;
  name: string;
  /** "004010" or "005010". */
  version: string;
  /** GS01 of groups that carry this set, e.g. "PO". */
  functionalGroup: string;
  /** Heading, detail and summary in order, ST first and SE last. */
  structure: StructureNode[];
}

export interface SegmentDictionary {
  version: string;
  segments: Record<string, SegmentSpec>;
}

export function isComposite(e: ElementOrComposite): e is CompositeSpec {
  return (e as CompositeSpec).composite !== undefined;
}

export function isLoop(n: StructureNode): n is LoopNode {
  return (n as LoopNode).loop !== undefined;
}
