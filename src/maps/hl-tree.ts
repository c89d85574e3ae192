// Builds the 856 hierarchy from HL02 parent pointers, never from segment order
// or from the HL03 sequence (docs/x12.md#the-856-hierarchy). Pure: HL records in, tree and
// findings out. A level that breaks a rule is left out with everything under it,
// and the finding says where; the rest of the tree is still built.
import { finding, type Finding } from '../errors/finding.js';
import type { Location } from '../x12/model.js';
import type { SegmentData } from '../x12/writer.js';

export interface HlRecord {
  /** HL01. */
  id: string;
  /** HL02; empty at the top level. */
  parentId: string;
  /** HL03 level code (S, O, T, P, I, ...). */
  level: string;
  /** Where the HL segment sits (segment position in the set, line, ...). */
  location: Location;
}

export interface HlNode<R extends HlRecord = HlRecord> {
  record: R;
  children: HlNode<R>[];
}

/** HL03 levels allowed under each parent level; the key '' lists the levels allowed at the top. */
export type LevelRules = Readonly<Record<string, readonly string[]>>;

export interface HlTree<R extends HlRecord> {
  roots: HlNode<R>[];
  findings: Finding[];
}

/**
 * The key an HL01 is filed under: the number itself for a plain decimal id (no sign, no
 * leading zero, up to 9 digits), else the id as written. Ids are usually 1, 2, 3, ...,
 * and a number key spares hashing the string in every lookup; two ids get the same key
 * only when they are the same string ("01" stays a string, distinct from 1).
 */
function idKey(id: string): number | string {
  const len = id.length;
  if (len === 0 || len > 9 || (len > 1 && id.charCodeAt(0) === 48)) return id;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return id;
    n = n * 10 + c;
  }
  return n;
}

const at = (r: HlRecord, element: number): Location => ({ ...r.location, segmentTag: 'HL', elementPosition: element });

/** Describes why a parent that exists is not usable: itself, a cycle, or simply later. */
function forwardProblem(records: readonly HlRecord[], firstIndex: ReadonlyMap<number | string, number>, i: number): string {
  const r = records[i]!;
  if (r.parentId === r.id) return `HL02 "${r.parentId}" points at the HL itself`;
  const seen = new Set<number>([i]);
  let j = firstIndex.get(idKey(r.parentId));
  while (j !== undefined && !seen.has(j)) {
    seen.add(j);
    const parent = records[j]!.parentId;
    j = parent === '' ? undefined : firstIndex.get(idKey(parent));
  }
  const cycle = j === i;
  return cycle
    ? `HL02 "${r.parentId}" closes a cycle of parent pointers back to HL ${r.id}`
    : `HL02 "${r.parentId}" points at an HL that comes later in the ship notice; parents must come before their children`;
}

/**
 * Checks, in order: HL01 present and unique; HL03 present; HL02 empty (top) or naming an
 * earlier HL01; HL03 allowed under the parent's level by `rules` (no rules: any level).
 */
export function buildHlTree<R extends HlRecord>(records: readonly R[], rules?: LevelRules): HlTree<R> {
  const findings: Finding[] = [];
  const firstIndex = new Map<number | string, number>();
  const keys: (number | string)[] = [];
  for (let i = 0; i < records.length; i++) {
    const key = idKey(records[i]!.id);
    keys.push(key);
    if (key !== '' && !firstIndex.has(key)) firstIndex.set(key, i);
  }
  const accepted = new Map<number | string, HlNode<R>>();
  const roots: HlNode<R>[] = [];

  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const key = keys[i]!;
    if (r.id === '') {
      findings.push(finding('MAP_REQUIRED_VALUE', 'HL01 (hierarchical id) is missing; this level was left out', at(r, 1)));
      continue;
    }
    if (firstIndex.get(key) !== i) {
      const first = records[firstIndex.get(key)!]!;
      const where = first.location.segmentPosition !== undefined ? ` at segment ${first.location.segmentPosition}` : '';
      findings.push(finding('MAP_HL_DUPLICATE_ID', `HL01 "${r.id}" is already used by the HL${where}; this level was left out`, at(r, 1), { value: r.id }));
      continue;
    }
    if (r.level === '') {
      findings.push(finding('MAP_REQUIRED_VALUE', `HL03 (level code) of HL ${r.id} is missing; this level was left out`, at(r, 3)));
      continue;
    }
    let parent: HlNode<R> | undefined;
    if (r.parentId !== '') {
      const parentKey = idKey(r.parentId);
      const p = firstIndex.get(parentKey);
      if (p === undefined) {
        findings.push(finding('MAP_HL_UNKNOWN_PARENT', `HL02 "${r.parentId}" of HL ${r.id} names no HL01 in this ship notice; this level was left out`, at(r, 2), { value: r.parentId }));
        continue;
      }
      if (p >= i) {
        findings.push(finding('MAP_HL_PARENT_NOT_BEFORE', `${forwardProblem(records, firstIndex, i)}; HL ${r.id} was left out`, at(r, 2), { value: r.parentId }));
        continue;
      }
      parent = accepted.get(parentKey);
      // The parent was itself left out and already reported: its subtree goes with it.
      if (!parent) continue;
    }
    const parentLevel = parent ? parent.record.level : '';
    const allowed = rules?.[parentLevel];
    if (rules && !allowed?.includes(r.level)) {
      const under = parent ? `under a "${parentLevel}" level (HL ${parent.record.id})` : 'at the top of the hierarchy';
      const expected = allowed?.length ? `expected ${allowed.map((l) => `"${l}"`).join(' or ')}` : 'no level is allowed there';
      findings.push(finding('MAP_HL_LEVEL_NOT_ALLOWED', `HL ${r.id} level "${r.level}" is not allowed ${under}: ${expected}; this level was left out`, at(r, 3), { value: r.level }));
      continue;
    }
    const node: HlNode<R> = { record: r, children: [] };
    accepted.set(key, node);
    (parent ? parent.children : roots).push(node);
  }
  return { roots, findings };
}

/** One level to write: its HL03 code, the segments that follow its HL, and its child levels. */
export interface HlLevelOut {
  level: string;
  segments: readonly SegmentData[];
  children: readonly HlLevelOut[];
}

/**
 * Writes levels depth-first (pre-order), numbering HL01 1, 2, 3, ... in the order written,
 * HL02 = the parent's HL01 (empty at the top) and HL04 = 1 when the level has children, else 0.
 */
export function writeHlTree(roots: readonly HlLevelOut[]): SegmentData[] {
  const out: SegmentData[] = [];
  let next = 1;
  const visit = (level: HlLevelOut, parentId: string): void => {
    const id = String(next++);
    out.push(['HL', id, parentId, level.level, level.children.length > 0 ? '1' : '0']);
    out.push(...level.segments);
    for (const child of level.children) visit(child, id);
  };
  for (const root of roots) visit(root, '');
  return out;
}

/**
 * The first level to be written that `rules` does not allow under its parent, described
 * as `"P" under "O"`, or undefined when the whole tree fits (buildHlTree's check, for writing).
 */
export function levelOutsideRules(roots: readonly HlLevelOut[], rules: LevelRules): string | undefined {
  const visit = (level: HlLevelOut, parent: string): string | undefined => {
    if (!rules[parent]?.includes(level.level)) return `"${level.level}" ${parent ? `under "${parent}"` : 'at the top'}`;
    for (const child of level.children) {
      const bad = visit(child, level.level);
      if (bad) return bad;
    }
    return undefined;
  };
  for (const root of roots) {
    const bad = visit(root, '');
    if (bad) return bad;
  }
  return undefined;
}
