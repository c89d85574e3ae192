// Serializes interchanges: fixed-width ISA, zero-padded control numbers, counted
// SE/GE/IEA, no trailing separators, and no delimiter characters inside values.
import { GatewayError } from '../errors/failure.js';
import type { Delimiters } from './model.js';

/** One element value: a plain value, or the components of a composite. Empty or undefined = not used. */
export type ElementValue = string | readonly (string | undefined)[] | undefined;

/** A segment to write: index 0 is the tag, index n is element n. */
export type SegmentData = readonly ElementValue[];

export interface OutboundTransaction {
  /** ST01, e.g. "850". */
  id: string;
  /** ST02 (4-9 characters). */
  controlNumber: string;
  /** ST03, written when given (005010 implementation convention reference). */
  implementationReference?: string;
  /** The segments between ST and SE. */
  body: readonly SegmentData[];
}

export interface OutboundGroup {
  functionalId: string; // GS01
  senderId: string; // GS02
  receiverId: string; // GS03
  date: string; // GS04 CCYYMMDD
  time: string; // GS05 HHMM
  controlNumber: string; // GS06 (1-9 digits)
  version: string; // GS08, e.g. 004010
  transactions: readonly OutboundTransaction[];
}

export interface OutboundInterchangeHeader {
  authorizationQualifier?: string; // ISA01, default 00
  authorization?: string; // ISA02
  securityQualifier?: string; // ISA03, default 00
  security?: string; // ISA04
  senderQualifier: string; // ISA05
  senderId: string; // ISA06
  receiverQualifier: string; // ISA07
  receiverId: string; // ISA08
  date: string; // ISA09 YYMMDD
  time: string; // ISA10 HHMM
  version: string; // ISA12, e.g. 00401 or 00501
  controlNumber: string | number; // ISA13, zero-padded to 9 digits
  ackRequested?: '0' | '1'; // ISA14, default 0
  usage: 'P' | 'T' | 'I'; // ISA15
}

export interface OutboundInterchange {
  header: OutboundInterchangeHeader;
  /** Segments between ISA and the first GS (TA1 acknowledgments). */
  ta1?: readonly SegmentData[];
  groups: readonly OutboundGroup[];
}

export interface WriteOptions {
  delimiters: Delimiters;
  /** Written after each segment terminator (e.g. "\n" for readable files); default none. */
  lineBreak?: string;
}

/** X12_WRITE_DELIMITER_IN_DATA: a value that would split its element; names segment and element. */
export class X12WriteError extends GatewayError {
  override name = 'X12WriteError';
  constructor(message: string, readonly segment: string, readonly element: number) {
    super('X12_WRITE_DELIMITER_IN_DATA', message, { segment, element });
  }
}

/** Default delimiters for what we send: * > ~ and ^ as repetition separator from 00402 on. */
export function defaultDelimiters(isaVersion: string): Delimiters {
  return { element: '*', component: '>', repetition: isaVersion >= '00402' ? '^' : null, segment: '~' };
}

/** Our clock in UTC as envelopes write it: ISA09 YYMMDD, GS04 CCYYMMDD, ISA10/GS05 HHMM. */
export function envelopeTimestamps(now: Date): { date6: string; date8: string; time: string } {
  const iso = now.toISOString(); // 2026-11-01T12:30:00.000Z
  const date8 = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
  return { date8, date6: date8.slice(2), time: iso.slice(11, 13) + iso.slice(14, 16) };
}

/** Zero-pads a control number to 9 digits (ISA13, IEA02, TA101). */
export function padControlNumber(n: string | number): string {
  const s = String(n);
  if (!/^\d{1,9}$/.test(s)) throw new RangeError(`interchange control number must be 1 to 9 digits, got "${s}"`);
  return s.padStart(9, '0');
}

function checkValue(value: string, tag: string, position: number, d: Delimiters, componentsAllowed: boolean): void {
  const forbidden = [d.element, d.segment, d.repetition ?? ''];
  if (!componentsAllowed) forbidden.push(d.component);
  for (const ch of forbidden) {
    if (ch && value.includes(ch)) {
      throw new X12WriteError(
        `${tag}${String(position).padStart(2, '0')} value "${value}" contains the delimiter "${ch === '\n' ? '\\n' : ch}"; change the value or the partner's delimiters`,
        tag, position,
      );
    }
  }
  if (d.segment !== '\n' && d.segment !== '\r' && /[\r\n]/.test(value)) {
    throw new X12WriteError(`${tag}${String(position).padStart(2, '0')} value contains a line break`, tag, position);
  }
}

/** One segment with its terminator (no line break). Trailing empty elements and components are left out. */
export function serializeSegment(seg: SegmentData, d: Delimiters): string {
  const tag = String(seg[0] ?? '');
  const parts: string[] = [tag];
  for (let i = 1; i < seg.length; i++) {
    const v = seg[i];
    let text: string;
    if (v === undefined) text = '';
    else if (typeof v === 'string') {
      checkValue(v, tag, i, d, false);
      text = v;
    } else {
      const comps = v.map((c) => c ?? '');
      comps.forEach((c) => checkValue(c, tag, i, d, false));
      while (comps.length > 0 && comps[comps.length - 1] === '') comps.pop();
      text = comps.join(d.component);
    }
    parts.push(text);
  }
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.join(d.element) + d.segment;
}

const pad = (v: string | undefined, width: number): string => (v ?? '').padEnd(width, ' ').slice(0, width);

/** The ISA segment: always 106 characters including the terminator. */
export function serializeIsa(h: OutboundInterchangeHeader, d: Delimiters): string {
  const fields = [
    'ISA',
    pad(h.authorizationQualifier ?? '00', 2),
    pad(h.authorization, 10),
    pad(h.securityQualifier ?? '00', 2),
    pad(h.security, 10),
    pad(h.senderQualifier, 2),
    pad(h.senderId, 15),
    pad(h.receiverQualifier, 2),
    pad(h.receiverId, 15),
    pad(h.date, 6),
    pad(h.time, 4),
    h.version >= '00402' ? (d.repetition ?? '^') : 'U',
    pad(h.version, 5),
    padControlNumber(h.controlNumber),
    h.ackRequested ?? '0',
    h.usage,
    d.component,
  ];
  return fields.join(d.element) + d.segment;
}

/** Serializes a whole interchange with counted trailers. */
export function serializeInterchange(ic: OutboundInterchange, options: WriteOptions): string {
  const d = options.delimiters;
  const nl = options.lineBreak ?? '';
  const out: string[] = [serializeIsa(ic.header, d) + nl];
  const put = (seg: SegmentData) => out.push(serializeSegment(seg, d) + nl);
  for (const ta1 of ic.ta1 ?? []) put(ta1);
  for (const g of ic.groups) {
    put(['GS', g.functionalId, g.senderId, g.receiverId, g.date, g.time, g.controlNumber, 'X', g.version]);
    for (const t of g.transactions) {
      put(t.implementationReference ? ['ST', t.id, t.controlNumber, t.implementationReference] : ['ST', t.id, t.controlNumber]);
      for (const s of t.body) put(s);
      put(['SE', String(t.body.length + 2), t.controlNumber]);
    }
    put(['GE', String(g.transactions.length), g.controlNumber]);
  }
  put(['IEA', String(ic.groups.length), padControlNumber(ic.header.controlNumber)]);
  return out.join('');
}
