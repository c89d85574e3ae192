// The X12 data model shared by the reader, the validator, the maps, the
// acknowledgments and the writer. Pure data: no I/O, no classes with behaviour
// beyond lazy element splitting.
import type { Finding } from '../errors/finding.js';

/** The four separators of one interchange, as read from its ISA (or chosen for output). */
export interface Delimiters {
  /** Element separator: the 4th byte of the ISA. */
  element: string;
  /** Component (sub-element) separator: ISA16. Empty when the partner left ISA16 out. */
  component: string;
  /** Repetition separator: ISA11 from 00402 on, when it is a real separator; otherwise null. */
  repetition: string | null;
  /** Segment terminator: the byte after ISA16 ('\n' also stands for CRLF). */
  segment: string;
}

/** One segment as read from a file. `elements[0]` is the tag as written; `elements[n]` is element n. */
export interface Segment {
  /** Upper-cased tag (ISA, GS, ST, BEG, ...). */
  readonly tag: string;
  /** Element values: index 0 is the tag as written, index n is the nth element (ISA06 = elements[6]). */
  readonly elements: readonly string[];
  /** The segment's text without its terminator, when the reader has it: `elements` is this text split on
   * the element separator, so hot paths (validation) can scan it without splitting. */
  readonly text?: string;
  /**
   * The string `text` was cut from, with `start` its first index there (text is
   * source.slice(start, start + text.length)), when the reader has it: the read chunk, a flat
   * string, which per-character passes (validation, maps) read faster than the substring.
   */
  readonly source?: string;
  readonly start?: number;
  /** Where `text` ends in `source` (start + text.length), given with `source`: hot paths need not cut the text. */
  readonly end?: number;
  /**
   * The bytes `source` was decoded from, when the reader has them (latin1: byte i is character i):
   * the validator scans them for element boundaries, a tighter loop than over the string.
   */
  readonly sourceBytes?: Uint8Array | null;
  /** Byte offset of the segment's first byte in the file. */
  readonly offset: number;
  /** 1-based line number of the segment's first byte. */
  readonly line: number;
  /** 0-based index of the segment among all segments of the file. */
  readonly index: number;
  /** The delimiters of the interchange this segment belongs to. */
  readonly delimiters: Delimiters;
}

export type { Location } from '../errors/location.js';

/** ISA fields, trimmed where the standard pads them, with the raw values kept where they are keys. */
export interface InterchangeHeader {
  authorizationQualifier: string; // ISA01
  authorization: string; // ISA02
  securityQualifier: string; // ISA03
  security: string; // ISA04
  senderQualifier: string; // ISA05
  senderId: string; // ISA06, trimmed
  receiverQualifier: string; // ISA07
  receiverId: string; // ISA08, trimmed
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  standardsId: string; // ISA11 as written (U in 004010, the repetition separator later)
  version: string; // ISA12, e.g. 00401, 00501
  controlNumber: string; // ISA13 as written, e.g. 000000905
  ackRequested: string; // ISA14 (0 or 1)
  usage: string; // ISA15 (P production, T test, I information)
}

export interface GroupHeader {
  functionalId: string; // GS01
  senderId: string; // GS02
  receiverId: string; // GS03
  date: string; // GS04 CCYYMMDD
  time: string; // GS05
  controlNumber: string; // GS06
  agency: string; // GS07
  version: string; // GS08, e.g. 004010, 005010, 004010VICS
}

/** One transaction set (ST..SE) with its segments, ST and SE included. */
export interface TransactionSet {
  /** ST01, e.g. 850. */
  id: string;
  /** ST02. */
  controlNumber: string;
  /** ST03 (5010 implementation convention reference), when present. */
  implementationReference?: string;
  /** All segments from ST to SE inclusive (SE missing when the set was truncated). */
  segments: Segment[];
  /** True when the set ended with its SE. */
  complete: boolean;
  /** Envelope findings of this set (SE count, control numbers, ...): AK5/IK5 codes. */
  findings: Finding[];
}

export interface FunctionalGroup {
  header: GroupHeader;
  segment: Segment;
  transactions: TransactionSet[];
  /** GE01 as received (the count the partner claims), when a GE was read. */
  declaredCount?: number;
  trailer?: Segment;
  /** Envelope findings of this group (GE count, control numbers, ...): AK9 codes. */
  findings: Finding[];
}

export interface Interchange {
  header: InterchangeHeader;
  delimiters: Delimiters;
  segment: Segment;
  /** TA1 segments that sit between ISA and the first GS (an inbound interchange acknowledgment). */
  ta1: Segment[];
  groups: FunctionalGroup[];
  trailer?: Segment;
  /** Byte length of the ISA segment including its terminator (106 when well-formed). */
  isaWidth: number;
  /** Envelope findings of this interchange (ISA fields, IEA, ...): TA1 codes. */
  findings: Finding[];
}

/** What reading a file gives: its interchanges and the findings that belong to no interchange. */
export interface ReadResult {
  file?: string;
  interchanges: Interchange[];
  /** File-level findings (empty file, not X12, trailing data). */
  findings: Finding[];
}
