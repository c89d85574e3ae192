// Applies a partner's implementation guide (guide-types.ts) while the Validator walks a set: the
// guide's rules are compiled once per guide and dictionary into lists by segment tag, so a segment
// no rule names costs one map lookup. Findings carry the X12_GUIDE_* codes (their AK3/AK4 codes are
// in the catalog) and name the guide and the rule (docs/x12.md#implementation-guides).
import type { Segment } from './model.js';
import type { GuideRule, SetGuide } from './guide-types.js';
import { isComposite, isLoop, type SegmentDictionary, type StructureNode, type TransactionSetSpec } from './spec-types.js';
import type { FindingSink } from './validate-context.js';
import { label } from './validate-compile.js';

interface CompiledRule {
  rule: GuideRule;
  /** Its number in the guide: the index of its counters. */
  index: number;
  codes: ReadonlySet<string> | null;
  /** 'BSN05 hierarchical structure code' for messages; '' for a segment rule. */
  label: string;
  /** AK402: the element's reference number. */
  ref: string | undefined;
  /** 'REF*BM' or 'TD5', with ' at HL level S' / ' in loop N1' when scoped. */
  what: string;
  /** AK303 of a missing segment: the rule's loop, else the innermost loop around the segment's first place in the set. */
  loopId: string | null;
}

export interface CompiledGuide {
  guide: SetGuide;
  byTag: Map<string, CompiledRule[]>;
  /** Segment rules with usage or maxUse: counted, checked per level or at the end. */
  counted: CompiledRule[];
  /** Some rule is scoped to an HL level: the checker follows HL03. */
  leveled: boolean;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** The innermost loop around the first place of `tag` in the structure; null at the top level, undefined when absent. */
function loopAround(nodes: readonly StructureNode[], tag: string, loop: string | null = null): string | null | undefined {
  for (const n of nodes) {
    if (!isLoop(n)) {
      if (n.segment === tag) return loop;
      continue;
    }
    const found = loopAround(n.children, tag, n.loop);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function compileGuide(guide: SetGuide, dictionary: SegmentDictionary, set: TransactionSetSpec): CompiledGuide {
  const byTag = new Map<string, CompiledRule[]>();
  const counted: CompiledRule[] = [];
  guide.rules.forEach((rule, index) => {
    const spec = rule.element !== undefined ? dictionary.segments[rule.segment]?.elements[rule.element - 1] : undefined;
    const scope = rule.level !== undefined ? ` at HL level ${rule.level}` : rule.loop !== undefined ? ` in loop ${rule.loop}` : '';
    const c: CompiledRule = {
      rule, index,
      codes: rule.codes ? new Set(rule.codes) : null,
      label: rule.element !== undefined ? `${rule.segment}${pad2(rule.element)}${spec ? ` ${label(spec.name)}` : ''}` : '',
      ref: spec && !isComposite(spec) ? spec.ref : undefined,
      what: `${rule.segment}${rule.qualifier !== undefined ? `*${rule.qualifier}` : ''}${scope}`,
      loopId: rule.loop ?? loopAround(set.structure, rule.segment) ?? null,
    };
    const list = byTag.get(rule.segment);
    if (list) list.push(c);
    else byTag.set(rule.segment, [c]);
    if (rule.element === undefined && (rule.usage !== undefined || rule.maxUse !== undefined)) counted.push(c);
  });
  return { guide, byTag, counted, leveled: guide.rules.some((r) => r.level !== undefined) };
}

/** Checks one set's segments against a compiled guide; one instance per set. */
export class GuideChecker {
  /** Uses of each counted rule's segments in the current scope (the set, or the HL level for leveled rules). */
  private readonly counts: Int32Array;
  /** HL03 of the HL level the walk is in; undefined outside the HL loop. */
  private level: string | undefined;
  private levelAt = 0;
  private levelId = '';

  constructor(private readonly g: CompiledGuide, private readonly sink: FindingSink) {
    this.counts = new Int32Array(g.guide.rules.length);
  }

  /** The sink's current segment, placed (sink.loopId set). */
  segment(seg: Segment): void {
    const g = this.g;
    if (g.leveled) {
      if (seg.tag === 'HL') {
        this.closeLevel();
        this.level = seg.elements[3] ?? '';
        this.levelAt = this.sink.position;
        this.levelId = seg.elements[1] ?? '';
      } else if (this.level !== undefined && this.sink.loopId === undefined) {
        this.closeLevel();
        this.level = undefined;
      }
    }
    const rules = g.byTag.get(seg.tag);
    if (!rules) return;
    for (const c of rules) {
      const r = c.rule;
      if (r.qualifier !== undefined && (seg.elements[1] ?? '') !== r.qualifier) continue;
      if (r.level !== undefined && this.level !== r.level) continue;
      if (r.loop !== undefined && this.sink.loopId !== r.loop) continue;
      if (r.element === undefined) this.use(c);
      else this.element(c, seg.elements[r.element] ?? '');
    }
  }

  /** Ends the set: required segments never seen are missing. */
  finish(): void {
    if (this.level !== undefined) this.closeLevel();
    for (const c of this.g.counted) {
      if (c.rule.level === undefined && c.rule.usage === 'required' && this.counts[c.index] === 0) {
        this.sink.segmentFinding('X12_GUIDE_SEGMENT_MISSING', `${this.prefix(c)}: the set has no ${c.what} segment; the guide requires one`, c.rule.segment, c.loopId);
      }
    }
  }

  private prefix(c: CompiledRule): string {
    return `guide ${this.g.guide.name}, rule ${c.rule.id}`;
  }

  private use(c: CompiledRule): void {
    const r = c.rule;
    const s = this.sink;
    if (r.usage === 'forbidden') {
      s.segmentFinding('X12_GUIDE_SEGMENT_FORBIDDEN', `${this.prefix(c)}: segment ${c.what} at position ${s.position} is not used by the guide`);
      return;
    }
    const used = ++this.counts[c.index]!;
    if (r.maxUse !== undefined && used > r.maxUse) {
      s.segmentFinding('X12_GUIDE_SEGMENT_OVER_MAX', `${this.prefix(c)}: segment ${c.what} at position ${s.position} is used ${used} times; the guide allows at most ${r.maxUse}`);
    }
  }

  /** The HL level that started at levelAt ends: its required segments, then its counts start again. */
  private closeLevel(): void {
    const level = this.level;
    if (level === undefined) return;
    for (const c of this.g.counted) {
      if (c.rule.level !== level) continue;
      if (c.rule.usage === 'required' && this.counts[c.index] === 0) {
        this.sink.segmentFinding('X12_GUIDE_SEGMENT_MISSING',
          `${this.prefix(c)}: HL level ${level} at position ${this.levelAt} (HL01 ${this.levelId}) has no ${c.rule.segment}${c.rule.qualifier !== undefined ? `*${c.rule.qualifier}` : ''} segment; the guide requires one at every ${level} level`,
          c.rule.segment, c.loopId);
      }
      this.counts[c.index] = 0;
    }
  }

  private element(c: CompiledRule, value: string): void {
    const r = c.rule;
    const place = { elementPosition: r.element!, ...(c.ref !== undefined ? { elementReference: c.ref } : {}) };
    const s = this.sink;
    if (value === '') {
      if (r.required) s.elementFinding('X12_GUIDE_ELEMENT_MISSING', `${this.prefix(c)}: ${c.label} of ${c.what} is empty; the guide requires it`, place);
      return;
    }
    if (c.codes && !c.codes.has(value)) {
      const allowed = r.codes!.length === 1 ? `only ${r.codes![0]}` : `one of ${r.codes!.join(', ')}`;
      s.elementFinding('X12_GUIDE_CODE_NOT_ALLOWED', `${this.prefix(c)}: ${c.label} of ${c.what} is '${value}'; the guide allows ${allowed}`, place, value);
    } else if (r.minLength !== undefined && value.length < r.minLength) {
      s.elementFinding('X12_GUIDE_TOO_SHORT', `${this.prefix(c)}: ${c.label} of ${c.what} is ${value.length} characters long; the guide requires at least ${r.minLength}`, place, value);
    } else if (r.maxLength !== undefined && value.length > r.maxLength) {
      s.elementFinding('X12_GUIDE_TOO_LONG', `${this.prefix(c)}: ${c.label} of ${c.what} is ${value.length} characters long; the guide allows at most ${r.maxLength}`, place, value);
    }
  }
}
