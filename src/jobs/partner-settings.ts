// What the stages take from a partner's file (partners/<code>.yaml, src/partners): the reader's
// ISA tolerance, the file size limit, the acknowledgment policy, our identity towards the partner,
// the sets it may send and the ids it must use. A partner without a file (the sample partner)
// gets the gateway-wide options (GatewayOptions.maxFileBytes and .ack), as before partner files.
import type { AckPolicy } from '../acks/policy.js';
import type { AckIdentity } from '../acks/respond.js';
import { finding, type Finding } from '../errors/finding.js';
import type { Partner } from '../partners/types.js';
import type { Delimiters, FunctionalGroup, Interchange, TransactionSet } from '../x12/model.js';
import { firstSegment } from '../x12/segment-list.js';
import type { PipelineContext } from './context.js';

type Settings = Pick<PipelineContext, 'partners' | 'maxFileBytes' | 'ack'>;

/** Sets every partner may send: acknowledgments of what we sent them. */
const ALWAYS_INBOUND = new Set(['997', '999']);

export function partnerOf(ctx: Pick<PipelineContext, 'partners'>, code: string): Partner | undefined {
  return ctx.partners?.get(code);
}

export function maxFileBytesFor(ctx: Settings, code: string): number {
  return partnerOf(ctx, code)?.maxFileBytes ?? ctx.maxFileBytes;
}

/** Options for readX12: split and validate must read a file alike. */
export function readOptionsFor(ctx: Settings, code: string, file: string): { file: string; allowVariableIsa?: boolean } {
  const partner = partnerOf(ctx, code);
  return partner ? { file, allowVariableIsa: partner.acknowledgments.allowVariableIsa } : { file };
}

export function ackFor(ctx: Settings, code: string): { policy: AckPolicy; identity: AckIdentity | ((ic: Interchange) => AckIdentity) } {
  const partner = partnerOf(ctx, code);
  if (!partner) return ctx.ack;
  const { kind, ta1, detail } = partner.acknowledgments;
  return {
    policy: { kind, ta1, detail },
    identity: { isaQualifier: partner.us.isa.qualifier, isaId: partner.us.isa.id, gsId: partner.us.gs },
  };
}

/**
 * How we write X12 to this partner (partner file `x12:`); undefined for partners without a file (our
 * defaults). `setId`: a set we send, whose documents.rules may name its own version.
 */
export function x12For(ctx: Pick<PipelineContext, 'partners'>, code: string, setId?: string): { version: '004010' | '005010'; delimiters: Delimiters; lineBreak: boolean } | undefined {
  const partner = partnerOf(ctx, code);
  if (!partner) return undefined;
  const { delimiters: d, lineBreak } = partner.x12;
  const version = (setId !== undefined ? partner.documents.rules?.[setId]?.version : undefined) ?? partner.x12.version;
  // ISA11 carries a repetition separator only from 00402 on; before, it is the standards id 'U'.
  return { version, lineBreak, delimiters: { element: d.element, component: d.component, segment: d.segment, repetition: version >= '004020' ? d.repetition : null } };
}

/** ISA12 of a version: '004010' -> '00401'. */
export function isaVersionOf(version: string): string {
  return version.slice(0, 5);
}

/**
 * Envelope findings a partner file adds to an interchange: the sender must be the partner
 * (ISA05/ISA06 = identity.isa) and the receiver us (ISA07/ISA08 = us.isa). Errors: the
 * interchange is rejected (TA1 006 invalid sender id / 009 unknown receiver id) and nothing in it is processed.
 */
export function envelopeFindings(partner: Partner | undefined, ic: Interchange, file: string): Finding[] {
  if (!partner) return [];
  const h = ic.header;
  const where = { file, interchange: h.controlNumber, offset: ic.segment.offset, line: ic.segment.line, segmentTag: 'ISA' };
  const out: Finding[] = [];
  const { identity, us } = partner;
  if (h.senderQualifier !== identity.isa.qualifier || h.senderId !== identity.isa.id) {
    out.push(finding(
      'PARTNER_SENDER_MISMATCH',
      `the interchange says it is from ${h.senderQualifier}/${h.senderId}, but files of partner ${partner.code} must come from ${identity.isa.qualifier}/${identity.isa.id} (identity.isa in ${partner.code}.yaml)`,
      { ...where, elementPosition: 6 },
      { value: h.senderId },
    ));
  }
  const refused = usageRefused(partner, ic);
  if (refused) {
    out.push(finding(
      'PARTNER_USAGE_REFUSED',
      refused === 'T'
        ? `test data (ISA15 = T) from partner ${partner.code}, which is in production mode and refuses it (acknowledgments.testData: reject in ${partner.code}.yaml)`
        : `production data (ISA15 = P) from partner ${partner.code}, which is in test mode and refuses it (acknowledgments.productionData: reject in ${partner.code}.yaml)`,
      { ...where, elementPosition: 15 },
      { value: refused },
    ));
  }
  if (h.receiverQualifier !== us.isa.qualifier || h.receiverId !== us.isa.id) {
    out.push(finding(
      'PARTNER_RECEIVER_MISMATCH',
      `the interchange is addressed to ${h.receiverQualifier}/${h.receiverId}, but partner ${partner.code} knows us as ${us.isa.qualifier}/${us.isa.id} (us.isa)`,
      { ...where, elementPosition: 8 },
      { value: h.receiverId },
    ));
  }
  return out;
}

/**
 * Group findings a partner file adds when it asks for them (acknowledgments.checkGroupIds): GS02
 * must be the partner's GS id, GS03 ours. Errors reject the group (AK9 R, AK905 1). Off by default:
 * many partners send GS ids of their own choosing.
 */
export function groupFindings(partner: Partner | undefined, group: FunctionalGroup, ic: Interchange, file: string): Finding[] {
  if (!partner?.acknowledgments.checkGroupIds) return [];
  const h = group.header;
  const where = { file, interchange: ic.header.controlNumber, group: h.controlNumber, offset: group.segment.offset, line: group.segment.line, segmentTag: 'GS' };
  const out: Finding[] = [];
  if (h.senderId !== partner.identity.gs) {
    out.push(finding(
      'PARTNER_GS_SENDER_MISMATCH',
      `functional group ${h.controlNumber} is from application sender (GS02) ${h.senderId}, but partner ${partner.code} sends as ${partner.identity.gs} (identity.gs in ${partner.code}.yaml)`,
      { ...where, elementPosition: 2 },
      { value: h.senderId },
    ));
  }
  if (h.receiverId !== partner.us.gs) {
    out.push(finding(
      'PARTNER_GS_RECEIVER_MISMATCH',
      `functional group ${h.controlNumber} is addressed to application receiver (GS03) ${h.receiverId}, but partner ${partner.code} knows us as ${partner.us.gs} (us.gs)`,
      { ...where, elementPosition: 3 },
      { value: h.receiverId },
    ));
  }
  return out;
}

/** A finding for a set the partner may not send (documents.inbound), or none. */
export function setFindings(partner: Partner | undefined, tx: TransactionSet, group: FunctionalGroup, ic: Interchange, file: string): Finding[] {
  if (!partner || ALWAYS_INBOUND.has(tx.id) || partner.documents.inbound.includes(tx.id)) return [];
  const allowed = partner.documents.inbound.length ? partner.documents.inbound.join(', ') : 'none';
  const st = firstSegment(tx);
  return [finding(
    'PARTNER_SET_NOT_ACCEPTED',
    `partner ${partner.code} may not send transaction set ${tx.id} (documents.inbound in ${partner.code}.yaml lists ${allowed})`,
    {
      file, interchange: ic.header.controlNumber, group: group.header.controlNumber, transaction: tx.controlNumber, transactionSetId: tx.id,
      segmentTag: 'ST', segmentPosition: 1, elementPosition: 1, offset: st?.offset, line: st?.line,
    },
    { value: tx.id },
  )];
}

/** The ISA15 the partner file refuses ('T' or 'P'), or undefined (docs: partners/README.md, "Test mode"). */
export function usageRefused(partner: Partner, ic: Interchange): 'T' | 'P' | undefined {
  const usage = ic.header.usage;
  if (partner.mode === 'production' && usage === 'T' && partner.acknowledgments.testData === 'reject') return 'T';
  if (partner.mode === 'test' && usage === 'P' && partner.acknowledgments.productionData === 'reject') return 'P';
  return undefined;
}

/** Test data (ISA15 T) from a partner in production mode is acknowledged but never posted (unless refused: usageRefused). */
export function isTestDataForProduction(partner: Partner | undefined, ic: Interchange): boolean {
  return partner?.mode === 'production' && ic.header.usage === 'T';
}
