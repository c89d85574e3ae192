// The interchange one outbound business document travels in (pure): ISA/GS/ST around the set's
// segments, with our ids as sender, the partner's as receiver, and control numbers the caller took
// from the partner's counters. One document per interchange: an inbound 997/999 then names it by its
// group (AK102 = GS06) and set (AK202 = ST02), and a TA1 by its ISA13.
import { envelopeTimestamps, type OutboundInterchange, type SegmentData } from '../x12/writer.js';
import type { X12Version } from './shared/map-types.js';

/** GS01 of each set we send (X12 479 functional identifier code). */
export const FUNCTIONAL_IDS: Readonly<Record<string, string>> = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN' };

export interface EnvelopeParty {
  isa: { qualifier: string; id: string };
  gs: string;
}

export interface OutboundEnvelope {
  setId: string;
  version: X12Version;
  /** Who sends (us) and who receives (the partner). */
  from: EnvelopeParty;
  to: EnvelopeParty;
  /** ISA15: P in production, T while the partner tests. */
  usage: 'P' | 'T';
  /** ISA14: ask for a TA1. */
  ackRequested: boolean;
  controls: { interchange: number; group: number; set: number };
  now: Date;
}

/** ST02 as written: at least 4 digits. */
export function setControlNumber(n: number): string {
  return String(n).padStart(4, '0');
}

export function outboundInterchange(envelope: OutboundEnvelope, body: readonly SegmentData[]): OutboundInterchange {
  const functionalId = FUNCTIONAL_IDS[envelope.setId];
  if (!functionalId) throw new RangeError(`no functional group id for set ${envelope.setId}`);
  const stamp = envelopeTimestamps(envelope.now);
  return {
    header: {
      senderQualifier: envelope.from.isa.qualifier,
      senderId: envelope.from.isa.id,
      receiverQualifier: envelope.to.isa.qualifier,
      receiverId: envelope.to.isa.id,
      date: stamp.date6,
      time: stamp.time,
      version: envelope.version.slice(0, 5),
      controlNumber: envelope.controls.interchange,
      ackRequested: envelope.ackRequested ? '1' : '0',
      usage: envelope.usage,
    },
    groups: [{
      functionalId,
      senderId: envelope.from.gs,
      receiverId: envelope.to.gs,
      date: stamp.date8,
      time: stamp.time,
      controlNumber: String(envelope.controls.group),
      version: envelope.version,
      transactions: [{ id: envelope.setId, controlNumber: setControlNumber(envelope.controls.set), body }],
    }],
  };
}
