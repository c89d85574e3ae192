import { describe, expect, it } from 'vitest';
import { buildHlTree, levelOutsideRules, writeHlTree, type HlLevelOut, type HlNode, type HlRecord, type LevelRules } from '../../src/maps/hl-tree.js';

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
