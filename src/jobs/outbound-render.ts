// One outbound document rendered as the X12 its partner receives (pure): the set the map writes in the
// partner's version, in its own interchange (src/maps/outbound-interchange.ts) with the partner's
// delimiters, identities and usage. The outbound stage (outbound.ts) checks a document with
// placeholder numbers before it numbers it, then renders it with the numbers it took;
// `edi outbound preview` prints the placeholder rendering and numbers nothing.
import { formatFinding, isError, type Finding } from '../errors/finding.js';
import { examineFile } from '../inbound/examine.js';
import { transactionMaps } from '../maps/registry.js';
import { elementSource } from '../odoo/builders/element-sources.js';
import { outboundInterchange, type OutboundEnvelope } from '../maps/outbound-interchange.js';
import type { OutboundKind } from '../odoo/builders/types.js';
import { partnerFileLabel } from '../partners/file-label.js';
import { requiredName } from '../partners/outbound-rules.js';
import type { Partner, RequiredElement } from '../partners/types.js';
import type { GuideRule } from '../x12/guide-types.js';
import type { Json } from '../store/types.js';
import { serializeInterchange, type ElementValue, type OutboundInterchange, type SegmentData } from '../x12/writer.js';
import type { PipelineContext } from './context.js';
import { x12For } from './partner-settings.js';

/** Where the partner's X12 settings come from. */
export type RenderSettings = Pick<PipelineContext, 'partners'>;

/** The numbers of a rendering that takes none from the partner's counters: ISA13 000000001, GS06 1, ST02 0001. */
export const PLACEHOLDER_CONTROLS: OutboundEnvelope['controls'] = { interchange: 1, group: 1, set: 1 };

/** The partner's settings for what we send: version (the set's own, documents.rules), delimiters, identities, usage. */
export function envelopeFor(ctx: RenderSettings, partner: Partner, kind: OutboundKind, controls: OutboundEnvelope['controls'], now: Date): { envelope: OutboundEnvelope; delimiters: NonNullable<ReturnType<typeof x12For>>['delimiters']; lineBreak: boolean } {
  const x12 = x12For(ctx, partner.code, kind)!;
  return {
    envelope: {
      setId: kind, version: x12.version, from: partner.us, to: partner.identity, usage: partner.mode === 'test' ? 'T' : 'P',
      ackRequested: partner.acknowledgments.ta1 === 'requested' || partner.acknowledgments.ta1 === 'always', controls, now,
    },
    delimiters: x12.delimiters,
    lineBreak: x12.lineBreak,
  };
}

/** The interchange around a set's segments, and its text exactly as the partner receives it. */
export function renderInterchange(ctx: RenderSettings, partner: Partner, kind: OutboundKind, segments: readonly SegmentData[], controls: OutboundEnvelope['controls'], now: Date): { interchange: OutboundInterchange; payload: string } {
  const { envelope, delimiters, lineBreak } = envelopeFor(ctx, partner, kind, controls, now);
  const interchange = outboundInterchange(envelope, segments);
  return { interchange, payload: serializeInterchange(interchange, { delimiters, ...(lineBreak ? { lineBreak: '\n' } : {}) }) };
}

/**
 * The set written for the partner and checked against our specs with placeholder numbers: the
 * segments and that rendering, or why it cannot be sent (a value our writer refuses, an element the
 * spec requires, an element the partner requires: documents.rules.<set>.require).
 */
export function writeChecked(ctx: RenderSettings, partner: Partner, kind: OutboundKind, document: Json, now: Date): { segments: readonly SegmentData[]; payload: string } | { invalid: string } {
  const map = transactionMaps[kind];
  try {
    const version = x12For(ctx, partner.code, kind)!.version;
    const segments = map.write(document as never, version);
    const { payload } = renderInterchange(ctx, partner, kind, segments, PLACEHOLDER_CONTROLS, now);
    // The partner's guide of the set is checked in the same pass as our spec (docs/x12.md#implementation-guides).
    const checked = examineFile(payload, { file: `${kind} for ${partner.code}`, ...(partner.guides ? { guides: partner.guides } : {}) });
    const errors = checked.findings.filter(isError);
    const [guided, spec] = [errors.filter(isGuideFinding), errors.filter((f) => !isGuideFinding(f))];
    if (spec.length) return { invalid: `the built ${kind} fails our ${kind} spec: ${listed(spec)}` };
    if (guided.length) {
      const guide = partner.guides![kind]!;
      const hinted = guided.map((f) => {
        const source = guideRuleSource(kind, guide.rules.find((r) => f.message.includes(`, rule ${r.id}: `)));
        return source ? { ...f, message: `${f.message} (it comes from ${source})` } : f;
      });
      return { invalid: `the built ${kind} breaks the implementation guide ${guide.name} that ${partnerFileLabel(partner)} names: ${listed(hinted)}; fill in Odoo what the rules need, then build again` };
    }
    const lacking = missingRequired(segments, partner.documents.rules?.[kind]?.require ?? []);
    if (lacking.length) {
      const what = lacking.map(({ required, why }) => {
        const source = elementSource(kind, required);
        return `'${required.text}' = ${requiredName(required, version)}: ${why}${source ? ` (it comes from ${source})` : ''}`;
      });
      return { invalid: `the built ${kind} lacks what ${partnerFileLabel(partner)} requires (documents.rules.${kind}.require): ${what.join('; ')}; fill it in Odoo, then build again` };
    }
    return { segments, payload };
  } catch (error) {
    return { invalid: `the ${kind} cannot be written: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The partner's required elements a set's segments lack, each with why: no segment of its kind, or
 * some without a value there. A required element must be in every segment of its kind, and there must be one.
 */
export function missingRequired(segments: readonly SegmentData[], required: readonly RequiredElement[]): Array<{ required: RequiredElement; why: string }> {
  const out: Array<{ required: RequiredElement; why: string }> = [];
  for (const r of required) {
    const kind = r.qualifier !== undefined ? `${r.segment}*${r.qualifier}` : r.segment;
    const candidates = segments.filter((s) => s[0] === r.segment && (r.qualifier === undefined || s[1] === r.qualifier));
    if (!candidates.length) {
      out.push({ required: r, why: `no ${kind} segment was written` });
      continue;
    }
    const without = candidates.filter((s) => !hasValue(s[r.position]));
    if (without.length) out.push({ required: r, why: `${without.length} of ${candidates.length} ${kind} segment(s) have no value there` });
  }
  return out;
}

/** Where the Odoo data behind a guide rule's segment or element comes from, as for documents.rules.require. */
function guideRuleSource(kind: OutboundKind, rule: GuideRule | undefined): string | undefined {
  if (!rule) return undefined;
  const position = rule.element ?? 0;
  const text = `${rule.segment}${rule.qualifier !== undefined ? `*${rule.qualifier}` : ''}-${String(position).padStart(2, '0')}`;
  return elementSource(kind, { text, segment: rule.segment, position, ...(rule.qualifier !== undefined ? { qualifier: rule.qualifier } : {}) });
}

const isGuideFinding = (f: Finding): boolean => f.code.startsWith('X12_GUIDE_');
const listed = (fs: readonly Finding[]): string => `${fs.slice(0, 3).map(formatFinding).join('; ')}${fs.length > 3 ? ` (and ${fs.length - 3} more)` : ''}`;

const hasValue = (v: ElementValue): boolean => (typeof v === 'string' ? v.trim() !== '' : Array.isArray(v) ? v.some((c) => c !== undefined && c.trim() !== '') : false);
