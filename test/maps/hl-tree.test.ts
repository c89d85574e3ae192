import { describe, expect, it } from 'vitest';
import { buildHlTree, levelOutsideRules, linkHlTree, writeHlTree, type HlColumns, type HlLevelOut, type HlNode, type HlRecord, type LevelRules } from '../../src/maps/hl-tree.js';

// HL records as [HL01, HL02, HL03]; segment positions start at 3 (ST=1, BSN=2).
const hl = (rows: [string, string, string][]): HlRecord[] =>
  rows.map(([id, parentId, level], i) => ({ id, parentId, level, location: { segmentPosition: 3 + i * 2, transaction: '0001' } }));

const shape = (nodes: HlNode[]): unknown[] =>
  nodes.map((n) => (n.children.length ? { [`${n.record.level}${n.record.id}`]: shape(n.children) } : `${n.record.level}${n.record.id}`));

const sopi: LevelRules = { '': ['S'], S: ['O'], O: ['T', 'P'], T: ['P'], P: ['I'] };

describe('buildHlTree', () => {
  it('builds a pick-and-pack tree from HL02', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['2', '1', 'O'], ['3', '2', 'P'], ['4', '3', 'I'], ['5', '3', 'I'], ['6', '2', 'P'], ['7', '6', 'I']]), sopi);
    expect(t.findings).toEqual([]);
    expect(shape(t.roots)).toEqual([{ S1: [{ O2: [{ P3: ['I4', 'I5'] }, { P6: ['I7'] }] }] }]);
  });

  it('follows HL02 back across orders instead of the segment order', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['2', '1', 'O'], ['3', '1', 'O'], ['4', '3', 'P'], ['5', '2', 'P'], ['6', '4', 'I'], ['7', '5', 'I']]), sopi);
    expect(t.findings).toEqual([]);
    expect(shape(t.roots)).toEqual([{ S1: [{ O2: [{ P5: ['I7'] }] }, { O3: [{ P4: ['I6'] }] }] }]);
  });

  it('accepts any level without rules, and several roots', () => {
    const t = buildHlTree(hl([['A', '', 'X'], ['B', 'A', 'Y'], ['C', '', 'Z']]));
    expect(t.findings).toEqual([]);
    expect(shape(t.roots)).toEqual([{ XA: ['YB'] }, 'ZC']);
  });

  it('reports a duplicate HL01 and leaves the second one out', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['2', '1', 'O'], ['2', '1', 'O'], ['3', '2', 'P']]), sopi);
    expect(t.findings).toHaveLength(1);
    const f = t.findings[0]!;
    expect(f.code).toBe('MAP_HL_DUPLICATE_ID');
    expect(f.severity).toBe('error');
    expect(f.location).toMatchObject({ segmentPosition: 7, segmentTag: 'HL', elementPosition: 1, transaction: '0001' });
    expect(f.message).toContain('already used by the HL at segment 5');
    expect(f.value).toBe('2');
    expect(shape(t.roots)).toEqual([{ S1: [{ O2: ['P3'] }] }]);
  });

  it('reports an unknown parent and leaves out the level with its subtree', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['2', '1', 'O'], ['3', '9', 'P'], ['4', '3', 'I'], ['5', '2', 'P']]), sopi);
    expect(t.findings.map((f) => [f.code, f.location.segmentPosition, f.location.elementPosition])).toEqual([['MAP_HL_UNKNOWN_PARENT', 7, 2]]);
    expect(t.findings[0]!.message).toContain('HL02 "9" of HL 3 names no HL01');
    expect(shape(t.roots)).toEqual([{ S1: [{ O2: ['P5'] }] }]);
  });

  it('reports a forward reference (parent sent after the child)', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['3', '2', 'P'], ['2', '1', 'O']]), sopi);
    expect(t.findings.map((f) => f.code)).toEqual(['MAP_HL_PARENT_NOT_BEFORE']);
    expect(t.findings[0]!.message).toContain('comes later');
    expect(t.findings[0]!.location.segmentPosition).toBe(5);
    expect(shape(t.roots)).toEqual([{ S1: ['O2'] }]);
  });

  it('reports a cycle and a self-reference', () => {
    const cycle = buildHlTree(hl([['1', '', 'S'], ['2', '3', 'O'], ['3', '2', 'O']]));
    expect(cycle.findings.map((f) => f.code)).toEqual(['MAP_HL_PARENT_NOT_BEFORE']);
    expect(cycle.findings[0]!.message).toContain('cycle');
    expect(shape(cycle.roots)).toEqual(['S1']);
    const self = buildHlTree(hl([['1', '1', 'S']]));
    expect(self.findings[0]!.message).toContain('points at the HL itself');
    expect(self.roots).toEqual([]);
  });

  it('reports a level not allowed under its parent, and at the top', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['2', '1', 'I'], ['3', '1', 'O'], ['4', '3', 'I'], ['5', '', 'O']]), sopi);
    expect(t.findings.map((f) => [f.code, f.location.segmentPosition, f.location.elementPosition, f.value])).toEqual([
      ['MAP_HL_LEVEL_NOT_ALLOWED', 5, 3, 'I'],
      ['MAP_HL_LEVEL_NOT_ALLOWED', 9, 3, 'I'],
      ['MAP_HL_LEVEL_NOT_ALLOWED', 11, 3, 'O'],
    ]);
    expect(t.findings[0]!.message).toBe('HL 2 level "I" is not allowed under a "S" level (HL 1): expected "O"; this level was left out');
    expect(t.findings[2]!.message).toContain('at the top of the hierarchy');
    expect(shape(t.roots)).toEqual([{ S1: ['O3'] }]);
  });

  it('reports missing HL01 and HL03 as required values', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['', '1', 'O'], ['3', '1', '']]), sopi);
    expect(t.findings.map((f) => [f.code, f.location.elementPosition])).toEqual([['MAP_REQUIRED_VALUE', 1], ['MAP_REQUIRED_VALUE', 3]]);
  });
});

describe('linkHlTree', () => {
  // HL records as columns that count how often the tree reads a level: a lookup of a parent by
  // scanning the levels before it (quadratic) reads each level thousands of times here.
  const counted = (rows: [string, string, string][]) => {
    let reads = 0;
    const columns: HlColumns = {
      length: rows.length,
      id: (i) => (reads++, rows[i]![0]),
      parentId: (i) => (reads++, rows[i]![1]),
      level: (i) => (reads++, rows[i]![2]),
      location: (i) => (reads++, { segmentPosition: 3 + i * 2 }),
    };
    return { columns, reads: () => reads };
  };
  const children = (t: ReturnType<typeof linkHlTree>, i: number): number[] => {
    const out: number[] = [];
    for (let c = t.firstChild[i]!; c >= 0; c = t.nextSibling[c]!) out.push(c);
    return out;
  };

  it('links a large pick-and-pack tree reading each level a few times', () => {
    const rows: [string, string, string][] = [['1', '', 'S']];
    for (let o = 0; o < 200; o++) {
      const order = String(rows.length + 1);
      rows.push([order, '1', 'O']);
      for (let c = 0; c < 25; c++) {
        const pack = String(rows.length + 1);
        rows.push([pack, order, 'P'], [String(rows.length + 2), pack, 'I']);
      }
    }
    const { columns, reads } = counted(rows);
    const t = linkHlTree(columns, sopi);
    expect(t.findings).toEqual([]);
    expect(t.roots).toEqual([0]);
    expect(children(t, 0)).toHaveLength(200);
    expect(children(t, 1)).toEqual(Array.from({ length: 25 }, (_, c) => 2 + 2 * c));
    expect(children(t, 2)).toEqual([3]);
    expect(reads()).toBeLessThanOrEqual(6 * rows.length);
  });

  it('reads each level a few times in a deep chain and with ids that are not numbers', () => {
    const n = 5000;
    const rows = Array.from({ length: n }, (_, i): [string, string, string] => [`L${i}`, i === 0 ? '' : `L${i - 1}`, 'X']);
    const { columns, reads } = counted(rows);
    const t = linkHlTree(columns);
    expect(t.roots).toEqual([0]);
    expect(children(t, n - 2)).toEqual([n - 1]);
    expect(reads()).toBeLessThanOrEqual(6 * n);
    // buildHlTree gives the same tree as nodes, however deep.
    const nodes = buildHlTree(rows.map(([id, parentId, level]) => ({ id, parentId, level, location: {} })));
    let depth = 0;
    for (let node: HlNode | undefined = nodes.roots[0]; node; node = node.children[0]) depth++;
    expect(depth).toBe(n);
  });

  it('keeps ids with a leading zero or beyond the number range apart from plain numbers', () => {
    const t = buildHlTree(hl([['1', '', 'S'], ['01', '1', 'O'], ['2', '01', 'P'], ['4000000000', '1', 'O'], ['3', '4000000000', 'P'], ['9', '1', 'O']]));
    expect(t.findings).toEqual([]);
    expect(shape(t.roots)).toEqual([{ S1: [{ O01: ['P2'] }, { O4000000000: ['P3'] }, 'O9'] }]);
  });
});

describe('writeHlTree', () => {
  it('numbers depth-first and sets HL02 and HL04', () => {
    const seg = (t: string) => [['REF', t]] as const;
    const out = writeHlTree([
      { level: 'S', segments: seg('s'), children: [
        { level: 'O', segments: seg('o'), children: [
          { level: 'P', segments: seg('p1'), children: [{ level: 'I', segments: seg('i1'), children: [] }] },
          { level: 'P', segments: seg('p2'), children: [{ level: 'I', segments: seg('i2'), children: [] }] },
        ] },
      ] },
    ]);
    expect(out).toEqual([
      ['HL', '1', '', 'S', '1'], ['REF', 's'],
      ['HL', '2', '1', 'O', '1'], ['REF', 'o'],
      ['HL', '3', '2', 'P', '1'], ['REF', 'p1'],
      ['HL', '4', '3', 'I', '0'], ['REF', 'i1'],
      ['HL', '5', '2', 'P', '1'], ['REF', 'p2'],
      ['HL', '6', '5', 'I', '0'], ['REF', 'i2'],
    ]);
  });
});

describe('levelOutsideRules', () => {
  const level = (code: string, ...children: HlLevelOut[]): HlLevelOut => ({ level: code, segments: [], children });
  it('accepts a tree that fits and names the first level that does not', () => {
    expect(levelOutsideRules([level('S', level('O', level('T', level('P', level('I')))))], sopi)).toBeUndefined();
    expect(levelOutsideRules([level('S', level('O', level('P', level('I'))), level('O', level('I')))], sopi)).toBe('"I" under "O"');
    expect(levelOutsideRules([level('O')], sopi)).toBe('"O" at the top');
  });
});
