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
 * The HL levels of a set read by position, 0 to length - 1, in segment order: what the tree
 * needs of each level, without an object per level (a large ship notice has a hundred
 * thousand). A level's location is asked for only when a finding needs it.
 */
export interface HlColumns {
  readonly length: number;
  id(i: number): string;
  parentId(i: number): string;
  level(i: number): string;
  location(i: number): Location;
  /**
   * HL01 as a number when it is a plain decimal (digits, no leading zero), else -1 (id(i) has it).
   * Optional: columns that keep numbers spare the tree a string per level.
   */
  idNumber?(i: number): number;
  /** HL02 the same way. */
  parentNumber?(i: number): number;
}

/**
 * The tree over HlColumns as links between level positions: the levels left in the tree, each
 * with its children in segment order. Typed arrays, not a node object and a child array per level.
 */
export interface HlLinks {
  /** Positions of the top levels kept, in segment order. */
  roots: number[];
  /** firstChild[i]: the first child kept of level i; -1 when none (or i was left out). */
  firstChild: Int32Array;
  /** nextSibling[i]: the child after i under the same parent; -1 after the last. */
  nextSibling: Int32Array;
  findings: Finding[];
}

/**
 * Finds HL levels by HL01: the position of the first level with an id. Ids are usually 1, 2, 3, ...:
 * a plain decimal (no sign, no leading zero) up to twice the number of levels is looked up in an
 * array indexed by the number, any other id in a Map by its text. The two never hold the same id
 * ("01" is text, distinct from 1), so this finds exactly what a Map by HL01 would. A large ship
 * notice has a hundred thousand levels and as many HL02 lookups: a Map lookup each, with the
 * Maps grown as they fill, was most of the cost of building its tree.
 */
class HlIndex {
  /** byNumber[n]: 1 + the position of the first level whose HL01 is the number n; 0 when none. */
  private readonly byNumber: Int32Array;
  private readonly byText = new Map<string, number>();
  /** first[i]: the position of the first level with the HL01 of level i; -1 when its HL01 is empty. */
  readonly first: Int32Array;

  constructor(levels: HlColumns) {
    const n = levels.length;
    this.byNumber = new Int32Array(2 * n + 2);
    this.first = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // A plain decimal id given as a number is the slot itself (slot() of its text gives the same).
      const number = levels.idNumber ? levels.idNumber(i) : -1;
      const id = number >= 0 ? '' : levels.id(i);
      if (number < 0 && id === '') {
        this.first[i] = -1;
        continue;
      }
      const k = number >= 0 ? (number < this.byNumber.length ? number : -1) : this.slot(id);
      if (k >= 0) {
        if (this.byNumber[k] === 0) this.byNumber[k] = i + 1;
        this.first[i] = this.byNumber[k]! - 1;
      } else {
        const text = number >= 0 ? String(number) : id;
        const seen = this.byText.get(text);
        if (seen === undefined) this.byText.set(text, i);
        this.first[i] = seen ?? i;
      }
    }
  }

  /** find() of a plain decimal id given as a number. */
  findNumber(id: number): number {
    return id < this.byNumber.length ? this.byNumber[id]! - 1 : this.byText.get(String(id)) ?? -1;
  }

  /** The position of the first level with HL01 `id`, or -1 when no level has it. */
  find(id: string): number {
    const k = this.slot(id);
    return k >= 0 ? this.byNumber[k]! - 1 : this.byText.get(id) ?? -1;
  }

  /** The array slot of a plain decimal id within range, else -1 (the id goes by its text). */
  private slot(id: string): number {
    const len = id.length;
    if (len === 0 || len > 9 || (len > 1 && id.charCodeAt(0) === 48)) return -1;
    let n = 0;
    for (let i = 0; i < len; i++) {
      const c = id.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return -1;
      n = n * 10 + c;
    }
    return n < this.byNumber.length ? n : -1;
  }
}

const at = (levels: HlColumns, i: number, element: number): Location => ({ ...levels.location(i), segmentTag: 'HL', elementPosition: element });

/** Describes why a parent that exists is not usable: itself, a cycle, or simply later. */
function forwardProblem(levels: HlColumns, index: HlIndex, i: number): string {
  const id = levels.id(i);
  const parentId = levels.parentId(i);
  if (parentId === id) return `HL02 "${parentId}" points at the HL itself`;
  const seen = new Set<number>([i]);
  let j = index.find(parentId);
  while (j >= 0 && !seen.has(j)) {
    seen.add(j);
    const parent = levels.parentId(j);
    j = parent === '' ? -1 : index.find(parent);
  }
  const cycle = j === i;
  return cycle
    ? `HL02 "${parentId}" closes a cycle of parent pointers back to HL ${id}`
    : `HL02 "${parentId}" points at an HL that comes later in the ship notice; parents must come before their children`;
}

/**
 * Checks, in order: HL01 present and unique; HL03 present; HL02 empty (top) or naming an
 * earlier HL01; HL03 allowed under the parent's level by `rules` (no rules: any level).
 * Linear in the number of levels: one array (or Map) lookup per HL02, no object per level.
 */
export function linkHlTree(levels: HlColumns, rules?: LevelRules): HlLinks {
  const findings: Finding[] = [];
  const n = levels.length;
  const index = new HlIndex(levels);
  const firstChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  // lastChild[i]: where the next child of i is linked; kept[i] = 1 when level i is in the tree.
  const lastChild = new Int32Array(n).fill(-1);
  const kept = new Uint8Array(n);
  const roots: number[] = [];

  // Ids given as numbers (HlColumns.idNumber) are made into strings only for findings.
  const numbered = levels.idNumber !== undefined && levels.parentNumber !== undefined;
  for (let i = 0; i < n; i++) {
    if (index.first[i] === -1) {
      findings.push(finding('MAP_REQUIRED_VALUE', 'HL01 (hierarchical id) is missing; this level was left out', at(levels, i, 1)));
      continue;
    }
    const firstOfId = index.first[i]!;
    if (firstOfId !== i) {
      const id = levels.id(i);
      const first = levels.location(firstOfId);
      const where = first.segmentPosition !== undefined ? ` at segment ${first.segmentPosition}` : '';
      findings.push(finding('MAP_HL_DUPLICATE_ID', `HL01 "${id}" is already used by the HL${where}; this level was left out`, at(levels, i, 1), { value: id }));
      continue;
    }
    const level = levels.level(i);
    if (level === '') {
      findings.push(finding('MAP_REQUIRED_VALUE', `HL03 (level code) of HL ${levels.id(i)} is missing; this level was left out`, at(levels, i, 3)));
      continue;
    }
    const parentNumber = numbered ? levels.parentNumber!(i) : -1;
    const parentText = parentNumber >= 0 ? '' : levels.parentId(i);
    let parent = -1;
    if (parentNumber >= 0 || parentText !== '') {
      parent = parentNumber >= 0 ? index.findNumber(parentNumber) : index.find(parentText);
      if (parent < 0) {
        const parentId = levels.parentId(i);
        findings.push(finding('MAP_HL_UNKNOWN_PARENT', `HL02 "${parentId}" of HL ${levels.id(i)} names no HL01 in this ship notice; this level was left out`, at(levels, i, 2), { value: parentId }));
        continue;
      }
      if (parent >= i) {
        findings.push(finding('MAP_HL_PARENT_NOT_BEFORE', `${forwardProblem(levels, index, i)}; HL ${levels.id(i)} was left out`, at(levels, i, 2), { value: levels.parentId(i) }));
        continue;
      }
      // The parent was itself left out and already reported: its subtree goes with it.
      if (kept[parent] === 0) continue;
    }
    const parentLevel = parent >= 0 ? levels.level(parent) : '';
    const allowed = rules?.[parentLevel];
    if (rules && !allowed?.includes(level)) {
      const under = parent >= 0 ? `under a "${parentLevel}" level (HL ${levels.id(parent)})` : 'at the top of the hierarchy';
      const expected = allowed?.length ? `expected ${allowed.map((l) => `"${l}"`).join(' or ')}` : 'no level is allowed there';
      findings.push(finding('MAP_HL_LEVEL_NOT_ALLOWED', `HL ${levels.id(i)} level "${level}" is not allowed ${under}: ${expected}; this level was left out`, at(levels, i, 3), { value: level }));
      continue;
    }
    kept[i] = 1;
    if (parent < 0) {
      roots.push(i);
    } else {
      const last = lastChild[parent]!;
      if (last < 0) firstChild[parent] = i;
      else nextSibling[last] = i;
      lastChild[parent] = i;
    }
  }
  return { roots, firstChild, nextSibling, findings };
}

/** linkHlTree over HL records, with the tree as nodes. */
export function buildHlTree<R extends HlRecord>(records: readonly R[], rules?: LevelRules): HlTree<R> {
  const links = linkHlTree({
    length: records.length,
    id: (i) => records[i]!.id,
    parentId: (i) => records[i]!.parentId,
    level: (i) => records[i]!.level,
    location: (i) => records[i]!.location,
  }, rules);
  // Children come after their parent: one pass in segment order makes every node before its
  // children are linked to it (no recursion, however deep the tree).
  const nodes: (HlNode<R> | undefined)[] = new Array<HlNode<R> | undefined>(records.length).fill(undefined);
  const roots = links.roots.map((i) => (nodes[i] = { record: records[i]!, children: [] }));
  for (let i = 0; i < records.length; i++) {
    const parent = nodes[i];
    if (!parent) continue;
    for (let c = links.firstChild[i]!; c >= 0; c = links.nextSibling[c]!) parent.children.push(nodes[c] = { record: records[c]!, children: [] });
  }
  return { roots, findings: links.findings };
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
