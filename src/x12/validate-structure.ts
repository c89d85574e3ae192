// Matches the segments of a transaction set against its structure (segments and
// loops, with requirement and max use) and reports AK3/IK3 segment errors.
//
// The walk keeps one frame per open loop: the node last matched at that level and
// how often it was used. A segment is searched in the innermost open loop from
// the current node onwards, then in the enclosing levels (which closes the inner
// loops). A loop's trigger seen again inside its own loop closes the iteration and
// starts the next one at the parent level. Each step costs O(depth + matches), so
// a set with 100,000 PO1 loops validates in linear time.
import type { LoopNode, StructureNode, TransactionSetSpec } from './spec-types.js';
import { isLoop } from './spec-types.js';
import type { FindingSink } from './validate-context.js';

export interface CompiledNode {
  /** The segment tag, or the trigger (first) segment tag of a loop. */
  tag: string;
  mandatory: boolean;
  /** Max use or max repeats; Infinity when unbounded. */
  max: number;
  /** The loop's content when the node is a loop. */
  loop: CompiledLevel | null;
}

export interface CompiledLevel {
  /** AK303 loop id; undefined for the set's top level. */
  loopId: string | undefined;
  nodes: CompiledNode[];
  /** Tag index (CompiledStructure.tagIndex) -> indices of the nodes it enters, ascending. A loop level leaves out its own trigger (index 0). */
  byTag: (number[] | undefined)[];
  /** nextMandatory[i] = the first index >= i of a mandatory node (nodes.length when none), to report gaps without scanning optional nodes. */
  nextMandatory: Int32Array;
}

export interface CompiledStructure {
  setId: string;
  root: CompiledLevel;
  /** Every segment tag used anywhere in the set, numbered: levels index their lookups by this number, so placing a segment needs no map lookup. */
  tagIndex: Map<string, number>;
}

function compileLevel(children: readonly StructureNode[], loopId: string | undefined, tags: Map<string, number>, where: string): CompiledLevel {
  const nodes: CompiledNode[] = children.map((child) => {
    if (isLoop(child)) {
      const loop = compileLoop(child, tags, where);
      return { tag: loop.nodes[0]!.tag, mandatory: child.req === 'M', max: child.max ?? Infinity, loop };
    }
    if (!tags.has(child.segment)) tags.set(child.segment, tags.size);
    return { tag: child.segment, mandatory: child.req === 'M', max: child.max ?? Infinity, loop: null };
  });
  const byTag: (number[] | undefined)[] = [];
  nodes.forEach((n, i) => {
    if (loopId !== undefined && i === 0) return;
    const t = tags.get(n.tag)!;
    const list = byTag[t];
    if (list) list.push(i);
    else byTag[t] = [i];
  });
  const nextMandatory = new Int32Array(nodes.length + 1);
  nextMandatory[nodes.length] = nodes.length;
  for (let i = nodes.length - 1; i >= 0; i--) nextMandatory[i] = nodes[i]!.mandatory ? i : nextMandatory[i + 1]!;
  return { loopId, nodes, byTag, nextMandatory };
}

function compileLoop(node: LoopNode, tags: Map<string, number>, where: string): CompiledLevel {
  const first = node.children[0];
  // A spec error, not partner data: fail loudly when the spec is compiled.
  if (!first || isLoop(first)) throw new Error(`${where}: loop ${node.loop} must start with a trigger segment`);
  return compileLevel(node.children, node.loop, tags, where);
}

export function compileStructure(spec: TransactionSetSpec): CompiledStructure {
  const tagIndex = new Map<string, number>();
  const root = compileLevel(spec.structure, undefined, tagIndex, `spec ${spec.version}/${spec.id}`);
  return { setId: spec.id, root, tagIndex };
}

function describeNode(node: CompiledNode): string {
  if (!node.loop) return `segment ${node.tag}`;
  const id = node.loop.loopId!;
  return id === node.tag ? `loop ${id}` : `loop ${id} (starting with ${node.tag})`;
}

/** Walks one transaction set's segments through the structure; reports to the sink. */
export class StructureWalker {
  // Frames of the open loops, innermost last, as parallel arrays: no allocation per segment.
  private readonly levels: CompiledLevel[] = [];
  private readonly pos: number[] = [];
  private readonly count: number[] = [];
  private depth = 1;

  constructor(
    private readonly structure: CompiledStructure,
    private readonly sink: FindingSink,
    /** Whether a tag is in the version's segment dictionary (codes 6 versus 1). */
    private readonly isKnownSegment: (tag: string) => boolean,
    private readonly version: string,
  ) {
    this.levels.push(structure.root);
    this.pos.push(-1);
    this.count.push(0);
  }

  /**
   * Places the current segment of the sink; sets sink.loopId to the loop it is in.
   * `tagIndex` is the tag's number in structure.tagIndex, -1 when the set does not use the tag.
   */
  place(tag: string, tagIndex: number): void {
    const { levels, pos, count, sink } = this;
    for (let d = tagIndex < 0 ? -1 : this.depth - 1; d >= 0; d--) {
      const level = levels[d]!;
      const candidates = level.byTag[tagIndex];
      if (!candidates) continue;
      const p = pos[d]!;
      let c = -1;
      for (const i of candidates) {
        if (i >= p) {
          c = i;
          break;
        }
      }
      if (c < 0) continue;
      // Close the loops inside this level: what they still lacked is missing.
      for (let k = this.depth - 1; k > d; k--) this.reportMissing(levels[k]!, pos[k]! + 1, levels[k]!.nodes.length, tag);
      this.depth = d + 1;
      const node = level.nodes[c]!;
      if (c === p) {
        const used = ++count[d]!;
        if (used > node.max) this.reportOverMax(node, level, used);
      } else {
        this.reportMissing(level, p + 1, c, tag);
        pos[d] = c;
        count[d] = 1;
      }
      if (node.loop) {
        levels[this.depth] = node.loop;
        pos[this.depth] = 0;
        count[this.depth] = 1;
        this.depth++;
        sink.loopId = node.loop.loopId;
      } else {
        sink.loopId = level.loopId;
      }
      return;
    }
    this.reportUnplaceable(tag, tagIndex);
  }

  /** Ends the set: mandatory nodes not seen in the open loops are missing. Without SE, SE itself is not reported again. */
  finish(complete: boolean): void {
    for (let k = this.depth - 1; k >= 0; k--) {
      const level = this.levels[k]!;
      let end = level.nodes.length;
      if (k === 0 && !complete && level.nodes[end - 1]?.tag === 'SE') end--;
      this.reportMissing(level, this.pos[k]! + 1, end, undefined);
    }
    this.depth = 1;
  }

  private reportMissing(level: CompiledLevel, from: number, to: number, before: string | undefined): void {
    for (let i = level.nextMandatory[from]!; i < to; i = level.nextMandatory[i + 1]!) {
      const node = level.nodes[i]!;
      const where = before === undefined
        ? `at the end of the transaction set (after segment ${this.sink.position})`
        : `before ${before} at position ${this.sink.position}`;
      const loopId = node.loop ? node.loop.loopId : level.loopId;
      this.sink.segmentFinding('X12_SEGMENT_MISSING', `mandatory ${describeNode(node)} is missing ${where}`, node.tag, loopId ?? null);
    }
  }

  private reportOverMax(node: CompiledNode, level: CompiledLevel, used: number): void {
    const s = this.sink;
    if (node.loop) {
      s.segmentFinding('X12_LOOP_OVER_MAX', `${describeNode(node)} repeats ${used} times at position ${s.position}; at most ${node.max} allowed`, node.tag, node.loop.loopId);
    } else {
      const inLoop = level.loopId === undefined ? '' : ` in loop ${level.loopId}`;
      s.segmentFinding('X12_SEGMENT_OVER_MAX', `segment ${node.tag} at position ${s.position} exceeds its maximum use${inLoop}: used ${used} times; at most ${node.max} allowed`, node.tag, level.loopId ?? null);
    }
  }

  private reportUnplaceable(tag: string, tagIndex: number): void {
    const s = this.sink;
    s.loopId = this.levels[this.depth - 1]!.loopId;
    const at = `segment ${tag} at position ${s.position}`;
    // 7: defined in an open level, but at a node before the current one.
    for (let d = tagIndex < 0 ? -1 : this.depth - 1; d >= 0; d--) {
      if (this.levels[d]!.byTag[tagIndex] !== undefined) {
        const current = this.levels[d]!.nodes[this.pos[d]!]!;
        s.segmentFinding('X12_SEGMENT_OUT_OF_ORDER', `${at} is out of sequence: it must come before ${current.tag}`);
        return;
      }
    }
    const set = this.structure.setId;
    if (tagIndex >= 0) {
      s.segmentFinding('X12_SEGMENT_UNEXPECTED', `${at} is not expected here: transaction set ${set} uses ${tag} only in other loops`);
    } else if (this.isKnownSegment(tag)) {
      s.segmentFinding('X12_SEGMENT_NOT_IN_SET', `${at} is an X12 segment, but transaction set ${set} does not use it`);
    } else {
      s.segmentFinding('X12_SEGMENT_UNRECOGNIZED', `${at} is not an X12 segment of version ${this.version}`);
    }
  }
}
