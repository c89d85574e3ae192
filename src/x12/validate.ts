// Validates one transaction set against its spec and the version's segment
// dictionary, in one pass: structure (AK3/IK3) and elements (AK4/IK4).
// Specs are data; a Validator compiles them once into lookup tables, cached by object
// identity, so validating a segment never interprets spec JSON.
import type { Finding } from '../errors/finding.js';
import type { TransactionSet } from './model.js';
import type { SegmentDictionary, TransactionSetSpec } from './spec-types.js';
import { FindingSink, type ValidationContext } from './validate-context.js';
import { compileDictionary, type CompiledSegment } from './validate-compile.js';
import { ElementChecker } from './validate-elements.js';
import { SetBounds } from './validate-bounds.js';
import { segmentsOf } from './segment-list.js';
import { compileStructure, StructureWalker, type CompiledStructure } from './validate-structure.js';
import type { SetGuide } from './guide-types.js';
import { compileGuide, GuideChecker, type CompiledGuide } from './validate-guide.js';

export type { ValidationContext } from './validate-context.js';

/** What a segment tag means for one (set spec, dictionary) pair: one map lookup per segment. */
interface TagEntry {
  /** The tag's number in the structure, -1 when the set does not use it. */
  index: number;
  /** Its element definitions, null when the dictionary lacks it (structure check only). */
  segment: CompiledSegment | null;
}

interface Plan {
  structure: CompiledStructure;
  tags: TagIndex;
}

/**
 * The entries by tag, open-addressed and hashed on the tag's first characters: a lookup is a
 * few character reads and one or two comparisons (the tokenizer gives every segment the one
 * internalized string of its tag, so a match is the same string), cheaper than a Map lookup,
 * which ran for every segment.
 */
class TagIndex {
  private readonly keys: (string | undefined)[];
  private readonly entries: (TagEntry | undefined)[];
  private readonly shift: number;
  private readonly mask: number;

  constructor(entries: Map<string, TagEntry>) {
    let bits = 4;
    while (1 << bits < 4 * entries.size) bits++;
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.keys = new Array<string | undefined>(1 << bits).fill(undefined);
    this.entries = new Array<TagEntry | undefined>(1 << bits).fill(undefined);
    for (const [tag, entry] of entries) {
      let slot = this.slot(tag);
      while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[slot] = tag;
      this.entries[slot] = entry;
    }
  }

  get(tag: string): TagEntry | undefined {
    const keys = this.keys;
    for (let slot = this.slot(tag); ; slot = (slot + 1) & this.mask) {
      const key = keys[slot];
      if (key === tag) return this.entries[slot];
      if (key === undefined) return undefined;
    }
  }

  private slot(tag: string): number {
    const n = tag.length;
    const h = (n === 0 ? 0 : tag.charCodeAt(0)) | (n > 1 ? tag.charCodeAt(1) << 8 : 0) | (n > 2 ? tag.charCodeAt(2) << 16 : 0);
    return Math.imul(h ^ n, 0x9e3779b1) >>> this.shift;
  }
}

/**
 * Validates transaction sets. An instance keeps what serves every set it checks: the compiled
 * lookup tables (per spec and dictionary object), the element checker's buffers, and the element
 * boundaries of the set checked last (`bounds`), which a map reading that set next can take
 * instead of scanning its segments again. Validation is synchronous, so one instance serves any
 * number of sets one after the other; callers that validate many sets keep one.
 */
export class Validator {
  /** The element boundaries of the set validated last (see validate-bounds.ts): hand them to the map of that set. */
  readonly bounds = new SetBounds();
  private readonly checker = new ElementChecker();
  private readonly dictionaries = new WeakMap<SegmentDictionary, Map<string, CompiledSegment>>();
  private readonly plans = new WeakMap<TransactionSetSpec, WeakMap<SegmentDictionary, Plan>>();
  private readonly guides = new WeakMap<SetGuide, WeakMap<SegmentDictionary, CompiledGuide>>();

  /**
   * All structure and element findings of one transaction set (ST..SE).
   * Envelope checks (SE count, control numbers) belong to the reader; segments
   * that are not in the dictionary get only the structure check. With `guide` (the partner's
   * implementation guide of the set), its rules are checked in the same pass.
   */
  validate(tx: TransactionSet, spec: TransactionSetSpec, dictionary: SegmentDictionary, context: ValidationContext, guide?: SetGuide): Finding[] {
    const { structure, tags } = this.plan(spec, dictionary);
    const sink = new FindingSink(context, tx);
    const guided = guide ? new GuideChecker(this.compiledGuide(guide, dictionary, spec), sink) : undefined;
    const walker = new StructureWalker(structure, sink, (tag) => tags.get(tag)?.segment != null, dictionary.version);
    const elements = this.checker.begin(sink);
    const bounds = this.bounds;
    const list = segmentsOf(tx);
    bounds.begin(list);
    for (let i = 0, n = list.length; i < n; i++) {
      // Nothing below keeps the segment past this turn (findings take its offset and line at once).
      const seg = list.view(i);
      sink.at(seg, i + 1);
      const entry = tags.get(seg.tag);
      walker.place(seg.tag, entry ? entry.index : -1);
      guided?.segment(seg);
      if (entry?.segment) {
        elements.check(seg, entry.segment);
        elements.noteBounds(bounds, i);
      }
    }
    walker.finish(tx.complete);
    guided?.finish();
    elements.end();
    return sink.findings;
  }

  private compiledDictionary(dictionary: SegmentDictionary): Map<string, CompiledSegment> {
    let c = this.dictionaries.get(dictionary);
    if (!c) {
      c = compileDictionary(dictionary);
      this.dictionaries.set(dictionary, c);
    }
    return c;
  }

  /** Per guide and dictionary: a guide is for one set, so the dictionary's version also fixes the spec. */
  private compiledGuide(guide: SetGuide, dictionary: SegmentDictionary, spec: TransactionSetSpec): CompiledGuide {
    let byDictionary = this.guides.get(guide);
    if (!byDictionary) {
      byDictionary = new WeakMap();
      this.guides.set(guide, byDictionary);
    }
    let c = byDictionary.get(dictionary);
    if (!c) {
      c = compileGuide(guide, dictionary, spec);
      byDictionary.set(dictionary, c);
    }
    return c;
  }

  /** Compiles (once per spec and dictionary object) the lookup tables validation runs on. */
  private plan(spec: TransactionSetSpec, dictionary: SegmentDictionary): Plan {
    let byDictionary = this.plans.get(spec);
    if (!byDictionary) {
      byDictionary = new WeakMap();
      this.plans.set(spec, byDictionary);
    }
    let p = byDictionary.get(dictionary);
    if (!p) {
      const structure = compileStructure(spec);
      const segments = this.compiledDictionary(dictionary);
      const tags = new Map<string, TagEntry>();
      for (const [tag, segment] of segments) tags.set(tag, { index: structure.tagIndex.get(tag) ?? -1, segment });
      for (const [tag, index] of structure.tagIndex) if (!tags.has(tag)) tags.set(tag, { index, segment: null });
      p = { structure, tags: new TagIndex(tags) };
      byDictionary.set(dictionary, p);
    }
    return p;
  }
}

/**
 * The findings of one set with a Validator of its own: for a one-off check. It compiles the
 * spec on every call; validating many sets, keep one Validator.
 */
export function validateTransaction(
  tx: TransactionSet,
  spec: TransactionSetSpec,
  dictionary: SegmentDictionary,
  context: ValidationContext,
  guide?: SetGuide,
): Finding[] {
  return new Validator().validate(tx, spec, dictionary, context, guide);
}
