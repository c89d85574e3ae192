// A partner implementation guide narrowed to one transaction set: rules that tighten our spec of
// the set (specs/<version>/<set>.json) the way a retailer's guide does. Data, not code, after
// stupidedi's implementations/ (docs/x12.md#implementation-guides). The partner loader reads them
// from partners/guides/<name>.yaml and checks every rule against the specs (src/partners/guides.ts);
// the Validator applies them (validate-guide.ts).
import type { SpecVersion } from './versions.js';

/** HL03 hierarchical level codes (856): shipment, order, tare, pack, item, component. */
export type HlLevel = 'S' | 'O' | 'T' | 'P' | 'I' | 'F';

/**
 * One rule of a guide. It concerns the segments `segment` (whose element 01 is `qualifier`, when
 * given), in the loop `loop` or the HL level `level` when given, anywhere in the set otherwise.
 * Without `element` it is about the segment (usage, maxUse); with it, about that element.
 */
export interface GuideRule {
  /** The guide's own name for the rule: every finding names it. */
  readonly id: string;
  readonly segment: string;
  readonly qualifier?: string;
  readonly loop?: string;
  readonly level?: HlLevel;
  /** required: at least one such segment (per HL level of that kind with `level`); forbidden: none. */
  readonly usage?: 'required' | 'forbidden';
  /** At most this many such segments (per HL level of that kind with `level`, else per set). */
  readonly maxUse?: number;
  /** 1-based element position: the element rules below apply to it. */
  readonly element?: number;
  readonly required?: boolean;
  /** The only codes allowed (a fixed value is a list of one). */
  readonly codes?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The guide's words for the rule, for people. */
  readonly note?: string;
}

/** A guide's rules for one set, as a partner uses them. */
export interface SetGuide {
  /** The guide's name (partners/guides/<name>.yaml). */
  readonly name: string;
  readonly setId: string;
  /** The versions its rules were checked against: it applies to sets in these versions only. */
  readonly versions: readonly SpecVersion[];
  readonly rules: readonly GuideRule[];
}
