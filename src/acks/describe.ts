// Plain-language lines for an acknowledgment we received (or one we wrote, read back):
// what the ops view shows next to an outbound document.
import type { AckOutcome, AckResult, ElementAck, GroupAck, SegmentAck, SetAck } from './parse-acks.js';

const outcomeWords: Record<AckOutcome, string> = {
  accepted: 'accepted',
  'accepted-with-errors': 'accepted with errors noted',
  'partially-accepted': 'partially accepted',
  rejected: 'rejected',
  unknown: 'verdict unknown',
};

/** One line per verdict, indented by level: interchange or group, then set, segment, element. */
export function describeAck(ack: AckResult): string[] {
  if (ack.kind === 'TA1') {
    return [`interchange ${ack.interchange}: ${outcomeWords[ack.outcome]}: ${ack.note.meaning} (TA1 ${ack.status.code} ${ack.note.code})`];
  }
  return describeGroup(ack);
}

function describeGroup(ack: GroupAck): string[] {
  const g = ack.group;
  const counts = ack.received !== undefined && ack.accepted !== undefined ? `: ${ack.accepted} of ${ack.received} transaction sets accepted` : '';
  const why = ack.errors.length ? `: ${ack.errors.map((c) => c.meaning).join('; ')}` : '';
  const code = ack.status ? ` (AK9 ${[ack.status.code, ...ack.errors.map((c) => c.code)].join(' ')})` : '';
  const lines = [`group ${g.controlNumber || '?'} (${g.functionalId || '?'}) by ${ack.kind}: ${outcomeWords[ack.outcome]}${counts}${why}${code}`];
  for (const set of ack.sets) lines.push(...describeSet(set, ack.kind));
  return lines;
}

function describeSet(set: SetAck, kind: '997' | '999'): string[] {
  const trailer = kind === '999' ? 'IK5' : 'AK5';
  const why = set.errors.length ? `: ${set.errors.map((c) => c.meaning).join('; ')}` : '';
  const code = set.status ? ` (${trailer} ${[set.status.code, ...set.errors.map((c) => c.code)].join(' ')})` : '';
  const lines = [`  set ${set.setId} ${set.controlNumber}: ${outcomeWords[set.outcome]}${why}${code}`];
  for (const s of set.segments) lines.push(...describeSegment(s, kind));
  return lines;
}

function describeSegment(s: SegmentAck, kind: '997' | '999'): string[] {
  const tag = kind === '999' ? 'IK3' : 'AK3';
  const at = `segment ${s.tag}${s.position !== undefined ? ` at position ${s.position}` : ''}${s.loopId ? ` in loop ${s.loopId}` : ''}`;
  const lines = [`    ${at}: ${s.error ? `${s.error.meaning} (${tag} ${s.error.code})` : 'in error'}`];
  for (const e of s.elements) lines.push(`      ${describeElement(e, kind)}`);
  return lines;
}

function describeElement(e: ElementAck, kind: '997' | '999'): string {
  const tag = kind === '999' ? 'IK4' : 'AK4';
  let at = `element ${e.position !== undefined ? String(e.position).padStart(2, '0') : '?'}`;
  if (e.componentPosition !== undefined) at += `-${e.componentPosition}`;
  if (e.repetitionPosition !== undefined) at += ` (repetition ${e.repetitionPosition})`;
  if (e.reference) at += ` (data element ${e.reference})`;
  const bad = e.value !== undefined ? `, bad data "${e.value}"` : '';
  return `${at}: ${e.error ? e.error.meaning : 'in error'}${bad}${e.error ? ` (${tag} ${e.error.code})` : ''}`;
}
