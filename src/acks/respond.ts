// Puts together everything we answer to one received interchange
// (docs/x12.md#acknowledgments): a TA1 for the envelope when the policy and ISA14 call for one, and
// one 997/999 per received functional group, all in ONE outbound interchange with
// our ids as sender. A rejected envelope gets a TA1 R and no 997/999. 997, 999 and
// TA1 are never acknowledged functionally.
import type { Finding } from '../errors/finding.js';
import type { Delimiters, FunctionalGroup, Interchange, TransactionSet } from '../x12/model.js';
import {
  defaultDelimiters, envelopeTimestamps, serializeInterchange,
  type OutboundGroup, type OutboundInterchange, type OutboundInterchangeHeader, type OutboundTransaction, type SegmentData,
} from '../x12/writer.js';
import { echoCleaner } from './clean.js';
import { buildFunctionalAck } from './functional-ack.js';
import type { AckPolicy } from './policy.js';
import { assessInterchange, buildTa1, type Ta1Assessment } from './ta1.js';

/** Who we are towards this partner (from its partner profile). */
export interface AckIdentity {
  /** ISA05 and ISA06 of what we send. */
  isaQualifier: string;
  isaId: string;
  /**
   * GS02 application sender code of what we send; a function when it depends on the group
   * answered (e.g. the GS03 it addressed, when one interchange addresses several of our ids).
   */
  gsId: string | ((group: FunctionalGroup) => string);
}

/**
 * Control numbers of the acknowledgment, from our outbound counters. Functions are
 * called only when a number is used, so nothing is taken when no acknowledgment is due.
 */
export interface AckControlNumbers {
  interchange: string | number | (() => string | number);
  /** GS06 of a GS*FA group; a function when there may be several groups (received groups with distinct GS02s, or answered from distinct GS02s of ours). */
  group: string | (() => string);
  nextSet(): string;
}

export interface AcknowledgeOptions {
  /** The delimiters the acknowledgment will be written with (default * > ~ ^). */
  delimiters?: Delimiters;
  /** ISA15 when the received one is unusable; otherwise the received ISA15 is echoed (test data gets test acks). */
  usage?: 'P' | 'T' | 'I';
}

/** 999 groups and sets carry the implementation guide's version. */
const VERSION_999 = '005010X231A1';
const ACK_SET_IDS = new Set(['997', '999']);

/** A group holding acknowledgments (GS01 FA, or only 997/999 sets): never acknowledged functionally. */
export function isAcknowledgmentGroup(group: FunctionalGroup): boolean {
  if (group.header.functionalId === 'FA') return true;
  return group.transactions.length > 0 && group.transactions.every((t) => ACK_SET_IDS.has(t.id));
}

/** Whether a TA1 goes back, by policy, ISA14 and the envelope verdict. */
export function wantsTa1(ic: Interchange, policy: AckPolicy['ta1'], assessment: Ta1Assessment): boolean {
  const rejected = assessment.status === 'R';
  // A TA1-only interchange is itself an acknowledgment: only a rejection is answered.
  if (!rejected && ic.groups.length === 0 && ic.ta1.length > 0) return false;
  switch (policy) {
    case 'never': return false;
    case 'always': return true;
    case 'on-error': return rejected;
    case 'requested': return rejected || ic.header.ackRequested === '1';
  }
}

/**
 * The acknowledgment interchange for one received interchange, or null when nothing
 * is due. `setFindings` holds the validation findings of each set; envelope findings
 * are read from the interchange, its groups and sets.
 */
export function acknowledgeInterchange(
  ic: Interchange,
  setFindings: ReadonlyMap<TransactionSet, readonly Finding[]>,
  policy: AckPolicy,
  identity: AckIdentity,
  controlNumbers: AckControlNumbers,
  now: Date,
  options: AcknowledgeOptions = {},
): OutboundInterchange | null {
  const envelope = assessInterchange(ic);
  const ta1: SegmentData[] = wantsTa1(ic, policy.ta1, envelope) ? [buildTa1(ic, envelope, options.delimiters)] : [];
  const acked = envelope.status === 'R' || policy.kind === 'none' ? [] : ic.groups.filter((g) => !isAcknowledgmentGroup(g));
  if (ta1.length === 0 && acked.length === 0) return null;

  const kind = policy.kind === '999' ? '999' : '997';
  const stamp = envelopeTimestamps(now);
  const nextGroup = sequence(controlNumbers.group);
  const baseOptions = { detail: policy.detail, ...(options.delimiters ? { delimiters: options.delimiters } : {}) };
  // Ids come from the received envelope (the addressee, and ours as it addressed us): a partner with
  // other delimiters may have ours in them, which would make writing the acknowledgment throw.
  const id = echoCleaner(options.delimiters, 15);
  // One GS*FA per application receiver (received GS02), our application sender and version; almost always one.
  const groups = new Map<string, OutboundGroup & { transactions: OutboundTransaction[] }>();
  for (const g of acked) {
    const version = kind === '999' ? VERSION_999 : ackVersion(g.header.version, ic.header.version);
    const ourGs = id(typeof identity.gsId === 'function' ? identity.gsId(g) : identity.gsId);
    const theirGs = id(g.header.senderId);
    const key = `${theirGs}\u0000${ourGs}\u0000${version}`;
    let out = groups.get(key);
    if (!out) {
      out = {
        functionalId: 'FA', senderId: ourGs, receiverId: theirGs,
        date: stamp.date8, time: stamp.time, controlNumber: nextGroup(), version, transactions: [],
      };
      groups.set(key, out);
    }
    out.transactions.push(buildFunctionalAck(g, setFindings, kind, controlNumbers.nextSet(), { ...baseOptions, version }));
  }

  const h = ic.header;
  const header: OutboundInterchangeHeader = {
    senderQualifier: id(identity.isaQualifier),
    senderId: id(identity.isaId),
    receiverQualifier: id(h.senderQualifier),
    receiverId: id(h.senderId),
    date: stamp.date6,
    time: stamp.time,
    version: /^\d{5}$/.test(h.version) ? h.version : '00401',
    controlNumber: typeof controlNumbers.interchange === 'function' ? controlNumbers.interchange() : controlNumbers.interchange,
    ackRequested: '0',
    usage: h.usage === 'P' || h.usage === 'T' || h.usage === 'I' ? h.usage : (options.usage ?? 'P'),
  };
  return ta1.length ? { header, ta1, groups: [...groups.values()] } : { header, groups: [...groups.values()] };
}

/** The acknowledgment as X12 text, with our default delimiters unless told otherwise. */
export function serializeAcknowledgment(ack: OutboundInterchange, delimiters?: Delimiters, lineBreak?: string): string {
  return serializeInterchange(ack, { delimiters: delimiters ?? defaultDelimiters(ack.header.version), ...(lineBreak ? { lineBreak } : {}) });
}

/** GS08 of a 997: the acknowledged group's version (004010 for 004010VICS), else ISA12's. */
function ackVersion(gs08: string, isa12: string): string {
  const m = /^(\d{6})/.exec(gs08);
  if (m) return m[1]!;
  return /^\d{5}$/.test(isa12) ? `${isa12}0` : '004010';
}

function sequence(source: string | (() => string)): () => string {
  let used = false;
  return () => {
    if (typeof source === 'function') return source();
    if (used) throw new Error('acknowledgments go to several application receivers (GS02) or from several of our application ids: pass controlNumbers.group as a function');
    used = true;
    return source;
  };
}

