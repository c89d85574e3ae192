// partners/guides/<name>.yaml: a retailer's implementation guide as data (partners/README.md#implementation-guides).
// Read once per load, checked against specs/ (a rule naming a segment, element or code our spec of
// the set lacks is a load error naming the guide file, the rule's key path and its id), and handed
// to the partners that name it as SetGuides by set id (src/x12/guide-types.ts).
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { GuideRule, SetGuide } from '../x12/guide-types.js';
import { isComposite, isLoop, type StructureNode } from '../x12/spec-types.js';
import { getSegmentDictionary, getTransactionSetSpec } from '../x12/specs.js';
import type { SpecVersion } from '../x12/versions.js';
import { configError, fileError, valueAt, type KeyPath } from './config-error.js';
import { issuesToErrors } from './issues.js';
import type { ConfigError } from './types.js';

const VERSIONS = ['004010', '005010'] as const;
const TAG = /^[A-Z][A-Z0-9]{1,2}$/;

const ruleSchema = z.strictObject({
  id: z.string({ error: 'a rule id (the guide\'s name for the rule)' }).regex(/^\S{1,40}$/, { error: 'a rule id of 1 to 40 characters without spaces' }),
  segment: z.string({ error: 'a segment tag such as TD5' }).regex(TAG, { error: 'a segment tag such as TD5' }),
  qualifier: z.string({ error: 'the value of element 01 the rule is about, such as BM' }).regex(/^[A-Z0-9]{1,3}$/, { error: 'a qualifier of 1 to 3 capitals or digits, such as BM' }).optional(),
  loop: z.string({ error: 'a loop id as in AK303, such as N1' }).regex(/^[A-Z0-9]{1,6}$/, { error: 'a loop id as in AK303, such as N1' }).optional(),
  level: z.enum(['S', 'O', 'T', 'P', 'I', 'F'], { error: 'an HL03 level: S, O, T, P, I or F' }).optional(),
  usage: z.enum(['required', 'forbidden'], { error: 'required or forbidden' }).optional(),
  maxUse: z.number({ error: 'a whole number from 1' }).int({ error: 'a whole number from 1' }).min(1, { error: 'a whole number from 1' }).optional(),
  element: z.number({ error: 'an element position from 1, such as 3 for TD503' }).int({ error: 'a whole number' }).min(1, { error: 'an element position from 1' }).optional(),
  required: z.literal(true, { error: 'true (leave it out otherwise)' }).optional(),
  codes: z.array(z.string({ error: 'a code' }).min(1, { error: 'a code' }), { error: 'a list of codes' }).min(1, { error: 'at least one code' }).optional(),
  value: z.string({ error: 'the one value allowed' }).min(1, { error: 'the one value allowed' }).optional(),
  minLength: z.number({ error: 'a length from 1' }).int({ error: 'a whole number' }).min(1, { error: 'a length from 1' }).optional(),
  maxLength: z.number({ error: 'a length from 1' }).int({ error: 'a whole number' }).min(1, { error: 'a length from 1' }).optional(),
  note: z.string({ error: 'text' }).optional(),
}, { error: 'a rule: id, segment and what it requires (usage, maxUse, or element with required, codes, value, minLength, maxLength)' });

const setSchema = z.strictObject({
  versions: z.array(z.enum(VERSIONS, { error: "'004010' or '005010'" }), { error: "a list of versions such as ['004010']" }).min(1).optional(),
  rules: z.array(ruleSchema, { error: 'a list of rules' }).min(1, { error: 'at least one rule' }),
}, { error: 'the rules of one set: versions (optional) and rules' });

export const guideFileSchema = z.strictObject({
  name: z.string({ error: 'a display name' }).min(1).optional(),
  source: z.string({ error: 'where the rules come from (text)' }).optional(),
  sets: z.record(z.string().regex(/^\d{3}$/, { error: "set ids in quotes, such as '856'" }), setSchema, { error: "the guide's sets: '850': { rules: [...] }" }),
}, { error: 'a guide: name, source and sets' });

type RuleFile = z.output<typeof ruleSchema>;

export interface LoadedGuide {
  /** By set id. */
  sets: Record<string, SetGuide>;
  errors: ConfigError[];
}

/** Reads and checks partners/guides/<name>.yaml under the partners folder `root`; `display` is how the folder is shown. */
export async function loadGuide(root: string, shownRoot: string, name: string): Promise<LoadedGuide> {
  const display = `${shownRoot}/guides/${name}.yaml`;
  let text: string;
  try {
    text = await readFile(join(root, 'guides', `${name}.yaml`), 'utf8');
  } catch (error) {
    return { sets: {}, errors: [fileError(display, `cannot be read (${(error as { code?: string }).code ?? String(error)}): a partner file names guide ${name}`)] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) return { sets: {}, errors: doc.errors.map((e) => fileError(display, `is not valid YAML: ${e.message.split('\n')[0]}`, lines.linePos(e.pos[0]).line)) };
  const lineOf = (path: KeyPath): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range && (n > 0 || isMap(node))) return lines.linePos(range[0]).line;
    }
    return undefined;
  };
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = guideFileSchema.safeParse(raw);
  if (!parsed.success) return { sets: {}, errors: issuesToErrors(parsed.error.issues, { file: display, raw, lineOf }) };
  return checkGuide(name, parsed.data, (path, expected) => {
    const line = lineOf(path);
    return configError({ file: display, path, found: valueAt(raw, path), expected, ...(line ? { line } : {}) });
  });
}

type Problem = (path: KeyPath, expected: string) => ConfigError;

/** The guide's rules checked against specs/ for each version they are for. */
export function checkGuide(name: string, file: z.output<typeof guideFileSchema>, problem: Problem): LoadedGuide {
  const errors: ConfigError[] = [];
  const sets: Record<string, SetGuide> = {};
  for (const [setId, set] of Object.entries(file.sets)) {
    const versions: SpecVersion[] = set.versions ? [...new Set(set.versions)] : VERSIONS.filter((v) => getTransactionSetSpec(v, setId));
    if (!versions.length) errors.push(problem(['sets', setId], `a set we have a spec of (there is no ${setId} in specs/)`));
    const ids = new Set<string>();
    const rules: GuideRule[] = [];
    set.rules.forEach((r, i) => {
      const at = ['sets', setId, 'rules', i];
      const say = (key: string | undefined, expected: string) => errors.push(problem(key ? [...at, key] : at, `${expected} (rule ${r.id})`));
      if (ids.has(r.id)) say('id', `a rule id not used before in this set`);
      ids.add(r.id);
      // The first version a rule does not fit is enough to say (the others mostly say the same).
      for (const version of versions) {
        const why = ruleProblem(r, setId, version);
        if (why) {
          say(why.key, why.expected);
          break;
        }
      }
      const codes = r.codes ?? (r.value !== undefined ? [r.value] : undefined);
      rules.push({
        id: r.id, segment: r.segment,
        ...(r.qualifier !== undefined ? { qualifier: r.qualifier } : {}), ...(r.loop !== undefined ? { loop: r.loop } : {}),
        ...(r.level !== undefined ? { level: r.level } : {}), ...(r.usage !== undefined ? { usage: r.usage } : {}),
        ...(r.maxUse !== undefined ? { maxUse: r.maxUse } : {}), ...(r.element !== undefined ? { element: r.element } : {}),
        ...(r.required ? { required: true } : {}), ...(codes ? { codes } : {}),
        ...(r.minLength !== undefined ? { minLength: r.minLength } : {}), ...(r.maxLength !== undefined ? { maxLength: r.maxLength } : {}),
        ...(r.note !== undefined ? { note: r.note } : {}),
      });
    });
    sets[setId] = deepFreeze({ name, setId, versions, rules });
  }
  return { sets, errors };
}

/** What is wrong with a rule against our spec of the set in `version`: the key to blame and what is expected. */
function ruleProblem(r: RuleFile, setId: string, version: SpecVersion): { key: string | undefined; expected: string } | undefined {
  const set = getTransactionSetSpec(version, setId);
  if (!set) return { key: undefined, expected: `a rule of a set we have a spec of (no ${setId} in specs/${version})` };
  const elementRule = r.required !== undefined || r.codes !== undefined || r.value !== undefined || r.minLength !== undefined || r.maxLength !== undefined;
  const segmentRule = r.usage !== undefined || r.maxUse !== undefined;
  if (!elementRule && !segmentRule) return { key: undefined, expected: 'a rule that requires something: usage, maxUse, or element with required, codes, value, minLength or maxLength' };
  if (elementRule && r.element === undefined) return { key: 'element', expected: 'the element position the element rules are about (element: 3 for TD503)' };
  if (segmentRule && r.element !== undefined) return { key: 'element', expected: 'no element with usage or maxUse (they are about the segment): make them two rules' };
  if (r.codes !== undefined && r.value !== undefined) return { key: 'value', expected: 'either codes or value, not both' };
  const paths = placesOf(set.structure, r.segment);
  if (!paths.length) return { key: 'segment', expected: `a segment of the ${setId} (specs/${version}/${setId}.json has no ${r.segment})` };
  // The loop a finding names (AK303) is the innermost one; a level is that of any HL loop around.
  const innermost = paths.map((p) => p[p.length - 1] ?? '');
  if (r.loop !== undefined && !innermost.includes(r.loop)) return { key: 'loop', expected: `a loop of the ${setId} that holds ${r.segment}: ${innermost.filter((l) => l !== '').join(', ') || 'none, it sits outside loops'}` };
  if (r.level !== undefined && !paths.some((p) => p.includes('HL'))) return { key: 'level', expected: `no level: ${r.segment} is not in an HL loop of the ${setId}` };
  const segment = getSegmentDictionary(version).segments[r.segment]!;
  if (r.qualifier !== undefined) {
    const first = segment.elements[0]!;
    if (isComposite(first)) return { key: 'qualifier', expected: `no qualifier: ${r.segment}01 is a composite` };
    if (first.codes && !first.codes.includes(r.qualifier)) return { key: 'qualifier', expected: `a code ${r.segment}01 can have in ${version}: one of ${first.codes.join(', ')}` };
  }
  if (r.element === undefined) return undefined;
  const count = segment.elements.length;
  if (r.element > count) return { key: 'element', expected: `an element of ${r.segment}, which has elements 01 to ${String(count).padStart(2, '0')} in ${version}` };
  const spec = segment.elements[r.element - 1]!;
  if (isComposite(spec)) return { key: 'element', expected: `a simple element: ${r.segment}${String(r.element).padStart(2, '0')} is the composite ${spec.composite}, which guides do not reach into yet` };
  const codes = r.codes ?? (r.value !== undefined ? [r.value] : []);
  for (const code of codes) {
    if (spec.codes && !spec.codes.includes(code)) return { key: r.codes ? 'codes' : 'value', expected: `codes of ${r.segment}${String(r.element).padStart(2, '0')} (${spec.name}) in ${version}, which a guide narrows: one of ${spec.codes.join(', ')}; '${code}' is not` };
    if (code.length < spec.min || code.length > spec.max) return { key: r.codes ? 'codes' : 'value', expected: `values of ${spec.min} to ${spec.max} characters, as ${r.segment}${String(r.element).padStart(2, '0')} has in ${version}; '${code}' is not` };
  }
  for (const key of ['minLength', 'maxLength'] as const) {
    const n = r[key];
    if (n !== undefined && (n < spec.min || n > spec.max)) return { key, expected: `a length within ${spec.min} to ${spec.max}, the lengths of ${r.segment}${String(r.element).padStart(2, '0')} in ${version}` };
  }
  if (r.minLength !== undefined && r.maxLength !== undefined && r.minLength > r.maxLength) return { key: 'minLength', expected: `at most maxLength (${r.maxLength})` };
  return undefined;
}

/** The loops around each place of `tag` in the structure, outermost first ([] at the top level). */
function placesOf(nodes: readonly StructureNode[], tag: string, around: readonly string[] = [], into: string[][] = []): string[][] {
  for (const n of nodes) {
    if (isLoop(n)) placesOf(n.children, tag, [...around, n.loop], into);
    else if (n.segment === tag) into.push([...around]);
  }
  return into;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * The guides a partner file names (`guide:`), read through `cache` (one read per guide and load),
 * merged by set id; two guides for one set are a problem. Errors keep the guide file they are about.
 */
export async function guidesFor(names: string | readonly string[], root: string, cache: Map<string, Promise<LoadedGuide>>): Promise<LoadedGuide & { from: Record<string, string> }> {
  const sets: Record<string, SetGuide> = {};
  const from: Record<string, string> = {};
  const errors: ConfigError[] = [];
  for (const name of typeof names === 'string' ? [names] : names) {
    let loading = cache.get(name);
    if (!loading) {
      loading = loadGuide(root, basename(root), name);
      cache.set(name, loading);
    }
    const loaded = await loading;
    errors.push(...loaded.errors);
    for (const [setId, guide] of Object.entries(loaded.sets)) {
      if (from[setId] !== undefined) {
        errors.push(fileError(`${basename(root)}/guides/${name}.yaml`, `has rules for the ${setId}, and so has guide ${from[setId]}: a partner takes one guide per set`));
        continue;
      }
      from[setId] = name;
      sets[setId] = guide;
    }
  }
  return { sets, errors, from };
}
