// documents.rules of a partner file (partners/README.md#outbound-settings): the required elements
// parsed and checked against our spec of the set in the version it is sent in, so that a typo is a
// load error rather than a document held for ever. The outbound stage checks built documents against
// them (src/jobs/outbound-render.ts).
import { isComposite, isLoop, type StructureNode } from '../x12/spec-types.js';
import { getSegmentDictionary, getTransactionSetSpec } from '../x12/specs.js';
import type { SpecVersion } from '../x12/versions.js';
import { REQUIRED_ELEMENT } from './schema.js';
import type { RequiredElement } from './types.js';

/** 'REF*BM-02' -> { segment REF, qualifier BM, position 2 }; the text is schema-valid (REQUIRED_ELEMENT). */
export function parseRequired(text: string): RequiredElement {
  const m = REQUIRED_ELEMENT.exec(text);
  if (!m) throw new RangeError(`not a required element: ${text}`);
  return { text, segment: m[1]!, ...(m[2] ? { qualifier: m[2] } : {}), position: Number(m[3]) };
}

/** SEG01 as people write it ('TD503', 'REF02'). */
export const elementRef = (segment: string, position: number): string => `${segment}${String(position).padStart(2, '0')}`;

/** What the set's spec lacks for `required` (the "expected" half of a config error), or undefined when it is there. */
export function requiredProblem(required: RequiredElement, setId: string, version: SpecVersion): string | undefined {
  const set = getTransactionSetSpec(version, setId);
  if (!set) return `an element of a set we have a spec of (there is no ${setId} spec in ${version})`;
  if (!segmentsOf(set.structure).has(required.segment)) {
    return `an element of the ${setId} as we send it in ${version}: it has no ${required.segment} segment (specs/${version}/${setId}.json)`;
  }
  const segment = getSegmentDictionary(version).segments[required.segment]!;
  const count = segment.elements.length;
  if (required.position < 1 || required.position > count) {
    return `an element of ${required.segment}, which has elements 01 to ${String(count).padStart(2, '0')} in ${version}`;
  }
  if (required.qualifier !== undefined) {
    const first = segment.elements[0]!;
    if (isComposite(first)) return `SEG-NN without a qualifier: ${elementRef(required.segment, 1)} is a composite`;
    if (first.codes && !first.codes.includes(required.qualifier)) {
      return `a qualifier ${elementRef(required.segment, 1)} (${first.name}) can have in ${version}: one of ${first.codes.join(', ')}`;
    }
  }
  return undefined;
}

/** 'TD503 (Identification Code)', 'REF02 (Reference Identification) of REF*BM', for messages. */
export function requiredName(required: RequiredElement, version: SpecVersion): string {
  const element = getSegmentDictionary(version).segments[required.segment]?.elements[required.position - 1];
  const name = element ? ` (${element.name})` : '';
  const of = required.qualifier !== undefined ? ` of ${required.segment}*${required.qualifier}` : '';
  return `${elementRef(required.segment, required.position)}${name}${of}`;
}

function segmentsOf(nodes: readonly StructureNode[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (isLoop(n)) segmentsOf(n.children, into);
    else into.add(n.segment);
  }
  return into;
}
