// Validates one transaction set against its spec and the version's segment
// dictionary, in one pass: structure (AK3/IK3) and elements (AK4/IK4).
// Specs are data; they are compiled once into lookup tables and cached by object
// identity, so validating a segment never interprets spec JSON.
import type { Finding } from '../errors/finding.js';
import type { TransactionSet } from './model.js';
import type { SegmentDictionary, TransactionSetSpec } from './spec-types.js';
import { FindingSink, type ValidationContext } from './validate-context.js';
import { compileDictionary, type CompiledSegment } from './validate-compile.js';
import { ElementChecker } from './validate-elements.js';
import { lastValidated } from './validate-bounds.js';
import { compileStructure, StructureWalker, type CompiledStructure } from './validate-structure.js';

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
  /** By tag: the tokenizer gives every segment the one (internalized) string of its tag, whose hash V8 keeps. */
  tags: Map<string, TagEntry>;
}

// One checker for every call: validation is synchronous, and its buffers are scratch space.
const checker = new ElementChecker();

const dictionaries = new WeakMap<SegmentDictionary, Map<string, CompiledSegment>>();
const plans = new WeakMap<TransactionSetSpec, WeakMap<SegmentDictionary, Plan>>();

function compiledDictionary(dictionary: SegmentDictionary): Map<string, CompiledSegment> {
  let c = dictionaries.get(dictionary);
  if (!c) {
    c = compileDictionary(dictionary);
    dictionaries.set(dictionary, c);
  }
  return c;
}

/** Compiles (once per spec and dictionary object) the lookup tables validation runs on. */
function plan(spec: TransactionSetSpec, dictionary: SegmentDictionary): Plan {
  let byDictionary = plans.get(spec);
  if (!byDictionary) {
    byDictionary = new WeakMap();
    plans.set(spec, byDictionary);
  }
  let p = byDictionary.get(dictionary);
  if (!p) {
    const structure = compileStructure(spec);
    const segments = compiledDictionary(dictionary);
    const tags = new Map<string, TagEntry>();
    for (const [tag, segment] of segments) tags.set(tag, { index: structure.tagIndex.get(tag) ?? -1, segment });
    for (const [tag, index] of structure.tagIndex) if (!tags.has(tag)) tags.set(tag, { index, segment: null });
    p = { structure, tags };
    byDictionary.set(dictionary, p);
  }
  return p;
}

/**
 * All structure and element findings of one transaction set (ST..SE).
 * Envelope checks (SE count, control numbers) belong to the reader; segments
 * that are not in the dictionary get only the structure check.
 */
export function validateTransaction(
  tx: TransactionSet,
  spec: TransactionSetSpec,
  dictionary: SegmentDictionary,
  context: ValidationContext,
): Finding[] {
  const { structure, tags } = plan(spec, dictionary);
  const sink = new FindingSink(context, tx);
  const walker = new StructureWalker(structure, sink, (tag) => tags.get(tag)?.segment != null, dictionary.version);
  const elements = checker.begin(sink);
  const list = tx.segments;
  lastValidated.begin(tx);
  for (let i = 0; i < list.length; i++) {
    const seg = list[i]!;
    sink.at(seg, i + 1);
    const entry = tags.get(seg.tag);
    walker.place(seg.tag, entry ? entry.index : -1);
    if (entry?.segment) {
      elements.check(seg, entry.segment);
      elements.noteBounds(lastValidated, i);
    }
  }
  walker.finish(tx.complete);
  elements.end();
  return sink.findings;
}
