// The registry of the machine-readable X12 specs in specs/<version>/ (see spec-types.ts).
// Files are read once, checked, deep-frozen and cached: every call hands out the same
// objects, which the validator relies on (it compiles and caches per object identity).
// The specs are our own configuration, so a malformed file is our bug: loading throws,
// naming the file and the JSON path of every problem found.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataType, SegmentDictionary, TransactionSetSpec } from './spec-types.js';
import { specVersion, type SpecVersion } from './versions.js';

// One way to read GS08/ISA12 into a spec version, shared with the reader side.
export { specVersion, type SpecVersion } from './versions.js';

export interface SpecSummary {
  version: SpecVersion;
  /** ST01, e.g. "850". */
  id: string;
  name: string;
  /** GS01 of the groups that carry the set. */
  functionalGroup: string;
}

interface VersionSpecs {
  dictionary: SegmentDictionary;
  sets: Map<string, TransactionSetSpec>;
}

export interface SpecRegistry {
  /** The specs folder the registry was read from. */
  dir: string;
  versions: ReadonlyMap<SpecVersion, VersionSpecs>;
  /** ST01 -> GS01, derived from the set specs (one answer for every version). */
  functionalGroups: ReadonlyMap<string, string>;
}

// ---- finding the specs folder -----------------------------------------------

/** The repository's specs/ folder: searched upward so it works from src/x12 and from dist/src/x12. */
export function findSpecsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'specs');
    if (existsSync(join(candidate, '004010'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`X12 specs not found: no specs/004010 folder in ${from} or above it`);
  }
}

// ---- shape checks -------------------------------------------------------------

const DATA_TYPES = ['AN', 'ID', 'R', 'DT', 'TM', 'N', 'N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B'] as const satisfies readonly DataType[];
// Fails to compile when spec-types.ts gains a data type this list lacks.
const allTypesListed: Exclude<DataType, (typeof DATA_TYPES)[number]> extends never ? true : never = true;
void allTypesListed;

const dataTypes: ReadonlySet<string> = new Set(DATA_TYPES);
const RULE_MIN_ELEMENTS = { P: 2, R: 2, E: 2, C: 2, L: 3 } as const;

/** Collects problems with their JSON paths; the loader throws them all at once. */
class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }
}

type Json = Record<string, unknown>;

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** An object with exactly the allowed keys (required ones present); false when it is not an object. */
function isShaped(v: unknown, path: string, required: readonly string[], optional: readonly string[], p: Problems): v is Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    p.add(path, `expected an object, got ${show(v)}`);
    return false;
  }
  for (const k of required) if (!(k in v)) p.add(path, `missing "${k}"`);
  for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) p.add(`${path}.${k}`, 'unknown key');
  return true;
}

function checkString(v: unknown, path: string, pattern: RegExp, what: string, p: Problems): v is string {
  if (typeof v === 'string' && pattern.test(v)) return true;
  p.add(path, `expected ${what}, got ${show(v)}`);
  return false;
}

function checkInt(v: unknown, path: string, min: number, p: Problems): v is number {
  if (Number.isInteger(v) && (v as number) >= min) return true;
  p.add(path, `expected an integer >= ${min}, got ${show(v)}`);
  return false;
}

function checkOneOf(v: unknown, path: string, allowed: readonly string[], p: Problems): void {
  if (typeof v !== 'string' || !allowed.includes(v)) p.add(path, `expected one of ${allowed.join(', ')}, got ${show(v)}`);
}

const NAME = /\S/;

function checkElement(v: unknown, path: string, p: Problems): void {
  if (!isShaped(v, path, ['ref', 'name', 'req', 'type', 'min', 'max'], ['codes', 'repeat'], p)) return;
  checkString(v.ref, `${path}.ref`, /^(\d{1,4}|I\d{2})$/, 'a data element reference number', p);
  checkString(v.name, `${path}.name`, NAME, 'a name', p);
  checkOneOf(v.req, `${path}.req`, ['M', 'O', 'X'], p);
  if (typeof v.type !== 'string' || !dataTypes.has(v.type)) p.add(`${path}.type`, `expected one of ${DATA_TYPES.join(', ')}, got ${show(v.type)}`);
  const lengthsOk = checkInt(v.min, `${path}.min`, 1, p) && checkInt(v.max, `${path}.max`, 1, p);
  const min = v.min as number;
  const max = v.max as number;
  if (lengthsOk && min > max) p.add(`${path}.min`, `min length ${min} is greater than max length ${max}`);
  if (v.repeat !== undefined) checkInt(v.repeat, `${path}.repeat`, 2, p);
  if (v.codes === undefined) return;
  if (v.type !== 'ID') p.add(`${path}.codes`, `code lists belong to ID elements, this one is ${show(v.type)}`);
  if (!Array.isArray(v.codes) || v.codes.length === 0) {
    p.add(`${path}.codes`, `expected a non-empty array of codes, got ${show(v.codes)}`);
    return;
  }
  const seen = new Set<unknown>();
  v.codes.forEach((c: unknown, i: number) => {
    if (typeof c !== 'string' || (lengthsOk && (c.length < min || c.length > max))) p.add(`${path}.codes[${i}]`, `expected a code of ${min}-${max} characters, got ${show(c)}`);
    if (seen.has(c)) p.add(`${path}.codes[${i}]`, `duplicate code ${show(c)}`);
    seen.add(c);
  });
}

function checkComposite(v: Json, path: string, p: Problems): void {
  if (!isShaped(v, path, ['composite', 'name', 'req', 'components'], ['repeat'], p)) return;
  checkString(v.composite, `${path}.composite`, /^C\d{3}$/, 'a composite reference like C040', p);
  checkString(v.name, `${path}.name`, NAME, 'a name', p);
  checkOneOf(v.req, `${path}.req`, ['M', 'O', 'X'], p);
  if (v.repeat !== undefined) checkInt(v.repeat, `${path}.repeat`, 2, p);
  if (!Array.isArray(v.components) || v.components.length === 0) p.add(`${path}.components`, `expected a non-empty array, got ${show(v.components)}`);
  else v.components.forEach((c: unknown, i: number) => checkElement(c, `${path}.components[${i}]`, p));
}

function checkSegment(v: unknown, path: string, p: Problems): void {
  if (!isShaped(v, path, ['name', 'elements'], ['rules'], p)) return;
  checkString(v.name, `${path}.name`, NAME, 'a name', p);
  const elements = v.elements;
  if (!Array.isArray(elements) || elements.length === 0) {
    p.add(`${path}.elements`, `expected a non-empty array, got ${show(elements)}`);
    return;
  }
  elements.forEach((e: unknown, i: number) => {
    const at = `${path}.elements[${i}]`;
    if (typeof e === 'object' && e !== null && 'composite' in e) checkComposite(e as Json, at, p);
    else checkElement(e, at, p);
  });
  if (v.rules === undefined) return;
  if (!Array.isArray(v.rules)) {
    p.add(`${path}.rules`, `expected an array, got ${show(v.rules)}`);
    return;
  }
  v.rules.forEach((r: unknown, i: number) => {
    const at = `${path}.rules[${i}]`;
    if (!isShaped(r, at, ['type', 'elements'], [], p)) return;
    checkOneOf(r.type, `${at}.type`, Object.keys(RULE_MIN_ELEMENTS), p);
    const need = RULE_MIN_ELEMENTS[r.type as keyof typeof RULE_MIN_ELEMENTS] ?? 2;
    if (!Array.isArray(r.elements) || r.elements.length < need) {
      p.add(`${at}.elements`, `expected at least ${need} element positions, got ${show(r.elements)}`);
      return;
    }
    r.elements.forEach((pos: unknown, j: number) => {
      if (!Number.isInteger(pos) || (pos as number) < 1 || (pos as number) > elements.length) {
        p.add(`${at}.elements[${j}]`, `expected a position between 1 and ${elements.length}, got ${show(pos)}`);
      }
    });
  });
}

function checkDictionary(v: unknown, version: string, p: Problems): v is SegmentDictionary {
  if (!isShaped(v, '$', ['version', 'segments'], [], p)) return false;
  if (v.version !== version) p.add('$.version', `expected "${version}" (the folder name), got ${show(v.version)}`);
  const segments = v.segments;
  if (typeof segments !== 'object' || segments === null || Array.isArray(segments)) {
    p.add('$.segments', `expected an object keyed by segment tag, got ${show(segments)}`);
    return false;
  }
  for (const [tag, s] of Object.entries(segments)) {
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(tag)) p.add(`$.segments.${tag}`, 'expected a segment tag of 2-3 upper-case letters and digits');
    checkSegment(s, `$.segments.${tag}`, p);
  }
  return p.list.length === 0;
}

function checkNode(v: unknown, path: string, dictionary: SegmentDictionary | undefined, dictFile: string, p: Problems): void {
  const isLoop = typeof v === 'object' && v !== null && 'loop' in v;
  if (!isShaped(v, path, isLoop ? ['loop', 'req', 'max', 'children'] : ['segment', 'req', 'max'], [], p)) return;
  checkOneOf(v.req, `${path}.req`, ['M', 'O'], p);
  if (v.max !== null) checkInt(v.max, `${path}.max`, 1, p);
  if (!isLoop) {
    if (checkString(v.segment, `${path}.segment`, /^[A-Z][A-Z0-9]{1,2}$/, 'a segment tag', p) && dictionary && !dictionary.segments[v.segment]) {
      p.add(`${path}.segment`, `${show(v.segment)} is not defined in ${dictFile}`);
    }
    return;
  }
  checkString(v.loop, `${path}.loop`, /^[A-Z0-9]{1,6}$/, 'a loop identifier (AK303, at most 6 characters)', p);
  if (!Array.isArray(v.children) || v.children.length === 0) {
    p.add(`${path}.children`, `expected a non-empty array, got ${show(v.children)}`);
    return;
  }
  v.children.forEach((c: unknown, i: number) => checkNode(c, `${path}.children[${i}]`, dictionary, dictFile, p));
}

function checkSet(v: unknown, version: string, id: string, dictionary: SegmentDictionary | undefined, dictFile: string, p: Problems): v is TransactionSetSpec {
  if (!isShaped(v, '$', ['id', 'name', 'version', 'functionalGroup', 'structure'], [], p)) return false;
  if (v.id !== id) p.add('$.id', `expected "${id}" (the file name), got ${show(v.id)}`);
  checkString(v.name, '$.name', NAME, 'a name', p);
  if (v.version !== version) p.add('$.version', `expected "${version}" (the folder name), got ${show(v.version)}`);
  checkString(v.functionalGroup, '$.functionalGroup', /^[A-Z]{2}$/, 'a GS01 functional identifier like PO', p);
  if (!Array.isArray(v.structure) || v.structure.length === 0) p.add('$.structure', `expected a non-empty array, got ${show(v.structure)}`);
  else v.structure.forEach((n: unknown, i: number) => checkNode(n, `$.structure[${i}]`, dictionary, dictFile, p));
  return p.list.length === 0;
}

// ---- loading ------------------------------------------------------------------

function readJson(file: string, label: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Malformed X12 spec file ${label}: ${(e as Error).message}`);
  }
}

function fail(label: string, p: Problems): never {
  const shown = p.list.slice(0, 20);
  const more = p.list.length > shown.length ? `\n  ... and ${p.list.length - shown.length} more` : '';
  throw new Error(`Malformed X12 spec file ${label}:\n  ${shown.join('\n  ')}${more}`);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Reads and checks every spec under `dir` (default: the repository's specs/). Throws on the first malformed file. */
export function loadSpecs(dir: string = findSpecsDir()): SpecRegistry {
  const label = (file: string) => relative(dirname(dir), file) || file;
  const versions = new Map<SpecVersion, VersionSpecs>();
  const functionalGroups = new Map<string, string>();
  const groupSource = new Map<string, string>();
  for (const folder of readdirSync(dir).sort()) {
    const version = specVersion(folder);
    if (version !== folder) continue; // not a version folder we read
    const dictFile = join(dir, folder, 'segments.json');
    if (!existsSync(dictFile)) throw new Error(`X12 specs for ${version}: ${label(dictFile)} is missing`);
    const dictJson = readJson(dictFile, label(dictFile));
    const dp = new Problems();
    if (!checkDictionary(dictJson, version, dp)) fail(label(dictFile), dp);
    const dictionary = deepFreeze(dictJson);
    const sets = new Map<string, TransactionSetSpec>();
    for (const name of readdirSync(join(dir, folder)).sort()) {
      if (!name.endsWith('.json') || name === 'segments.json') continue;
      const file = join(dir, folder, name);
      const json = readJson(file, label(file));
      const p = new Problems();
      if (!checkSet(json, version, name.slice(0, -'.json'.length), dictionary, label(dictFile), p)) fail(label(file), p);
      const spec = deepFreeze(json);
      const known = functionalGroups.get(spec.id);
      if (known !== undefined && known !== spec.functionalGroup) {
        throw new Error(`Malformed X12 spec file ${label(file)}: $.functionalGroup: "${spec.functionalGroup}" differs from "${known}" in ${groupSource.get(spec.id)}`);
      }
      functionalGroups.set(spec.id, spec.functionalGroup);
      groupSource.set(spec.id, label(file));
      sets.set(spec.id, spec);
    }
    versions.set(version, { dictionary, sets });
  }
  if (versions.size === 0) throw new Error(`X12 specs: no version folder (004010, 005010) in ${dir}`);
  return { dir, versions, functionalGroups };
}

// ---- the shared registry ----------------------------------------------------

let registry: SpecRegistry | undefined;

function specs(): SpecRegistry {
  registry ??= loadSpecs();
  return registry;
}

function versionSpecs(version: SpecVersion): VersionSpecs {
  const v = specs().versions.get(version);
  if (!v) throw new Error(`X12 specs: no specs/${version} folder in ${specs().dir}`);
  return v;
}

/** The spec of transaction set `setId` (ST01) in `version`, or undefined when we have none. */
export function getTransactionSetSpec(version: SpecVersion, setId: string): TransactionSetSpec | undefined {
  return versionSpecs(version).sets.get(setId);
}

/** The segment dictionary of `version` (every segment its set specs use). */
export function getSegmentDictionary(version: SpecVersion): SegmentDictionary {
  return versionSpecs(version).dictionary;
}

/** GS01 of the groups that carry set `setId` (850 -> PO), from the set specs; undefined for sets we have no spec for. */
export function functionalGroupFor(setId: string): string | undefined {
  return specs().functionalGroups.get(setId);
}

/** Every transaction set spec we have, by version then set id. */
export function listSpecs(): SpecSummary[] {
  const out: SpecSummary[] = [];
  for (const [version, v] of specs().versions) {
    for (const s of v.sets.values()) out.push({ version, id: s.id, name: s.name, functionalGroup: s.functionalGroup });
  }
  return out.sort((a, b) => a.version.localeCompare(b.version) || a.id.localeCompare(b.id));
}
