// The specs checked as data: every file loads and has the right shape, structures only use
// segments their dictionary defines, loops are unambiguous, the 004010 -> 005010 differences
// below (longer elements, new elements, changed requirements) are present, and the registry
// hands out the same frozen objects every time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isComposite, isLoop, type ElementSpec, type SegmentDictionary, type StructureNode, type TransactionSetSpec } from '../../src/x12/spec-types.js';
import {
  findSpecsDir,
  functionalGroupFor,
  getSegmentDictionary,
  getTransactionSetSpec,
  listSpecs,
  loadSpecs,
  specVersion,
  type SpecVersion,
} from '../../src/x12/specs.js';

const VERSIONS: SpecVersion[] = ['004010', '005010'];
const SETS: Record<SpecVersion, string[]> = { '004010': ['810', '850', '855', '856', '997'], '005010': ['810', '850', '855', '856', '997', '999'] };
const DATA_TYPES = ['AN', 'ID', 'R', 'DT', 'TM', 'N', 'N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B'];

const specOf = (v: SpecVersion, id: string): TransactionSetSpec => {
  const s = getTransactionSetSpec(v, id);
  if (!s) throw new Error(`no spec ${v}/${id}`);
  return s;
};
const allSets = (): TransactionSetSpec[] => VERSIONS.flatMap((v) => SETS[v].map((id) => specOf(v, id)));

/** The element at a designator like "REF02" or "AK401-3" (composite component). */
function element(v: SpecVersion, designator: string): ElementSpec | undefined {
  const m = /^([A-Z][A-Z0-9]{1,2}?)(\d\d)(?:-(\d+))?$/.exec(designator);
  if (!m) throw new Error(`bad designator ${designator}`);
  const e = getSegmentDictionary(v).segments[m[1] as string]?.elements[Number(m[2]) - 1];
  if (!e) return undefined;
  if (isComposite(e)) return m[3] ? e.components[Number(m[3]) - 1] : undefined;
  return m[3] ? undefined : e;
}

function walk(nodes: readonly StructureNode[], visit: (n: StructureNode, siblings: readonly StructureNode[], path: string) => void, path = ''): void {
  nodes.forEach((n, i) => {
    const here = `${path}/${isLoop(n) ? `loop ${n.loop}` : n.segment}[${i}]`;
    visit(n, nodes, here);
    if (isLoop(n)) walk(n.children, visit, here);
  });
}

describe('spec files', () => {
  it('all load through the registry loader without a shape problem', () => {
    const r = loadSpecs();
    expect([...r.versions.keys()]).toEqual(VERSIONS);
    for (const v of VERSIONS) expect([...(r.versions.get(v)?.sets.keys() ?? [])].sort()).toEqual(SETS[v]);
  });

  it('segment dictionaries: element kinds, requirements, types, lengths, code lists and rule positions are sound', () => {
    const problems: string[] = [];
    for (const v of VERSIONS) {
      const dict = getSegmentDictionary(v);
      expect(dict.version).toBe(v);
      for (const [tag, seg] of Object.entries(dict.segments)) {
        const checkElement = (e: ElementSpec, at: string) => {
          if (!['M', 'O', 'X'].includes(e.req)) problems.push(`${at} req ${e.req}`);
          if (!DATA_TYPES.includes(e.type)) problems.push(`${at} type ${e.type}`);
          if (!(e.min >= 1 && e.min <= e.max)) problems.push(`${at} lengths ${e.min}-${e.max}`);
          if (!/^(\d{1,4}|I\d{2})$/.test(e.ref) || !e.name) problems.push(`${at} ref/name`);
          if (e.codes && (e.type !== 'ID' || e.codes.some((c) => c.length < e.min || c.length > e.max))) problems.push(`${at} codes`);
        };
        seg.elements.forEach((e, i) => {
          const at = `${v} ${tag}${String(i + 1).padStart(2, '0')}`;
          if (isComposite(e)) {
            if (!/^C\d{3}$/.test(e.composite) || e.components.length === 0) problems.push(`${at} composite`);
            e.components.forEach((c, j) => checkElement(c, `${at}-${j + 1}`));
          } else checkElement(e, at);
        });
        for (const r of seg.rules ?? []) {
          const name = `${r.type}${r.elements.map((p) => String(p).padStart(2, '0')).join('')}`;
          if (r.elements.length < (r.type === 'L' ? 3 : 2)) problems.push(`${v} ${tag} ${name} too short`);
          // X marks an element a syntax rule governs; M elements never take part in one.
          for (const p of r.elements) {
            const e = seg.elements[p - 1];
            if (!e) problems.push(`${v} ${tag} ${name}: no element ${p}`);
            else if (e.req === 'M') problems.push(`${v} ${tag} ${name}: element ${p} is mandatory`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('structures use only segments their version defines, and every defined segment is used (TA1 aside)', () => {
    for (const v of VERSIONS) {
      const dict: SegmentDictionary = getSegmentDictionary(v);
      const used = new Set<string>();
      const missing: string[] = [];
      for (const id of SETS[v]) {
        walk(specOf(v, id).structure, (n, _s, path) => {
          if (isLoop(n)) return;
          used.add(n.segment);
          if (!dict.segments[n.segment]) missing.push(`${id}${path}`);
        });
      }
      expect(missing).toEqual([]);
      expect(Object.keys(dict.segments).filter((t) => !used.has(t))).toEqual(['TA1']);
    }
  });

  it('each set starts with ST and ends with SE, both mandatory and used once', () => {
    for (const s of allSets()) {
      const first = s.structure[0];
      const last = s.structure[s.structure.length - 1];
      expect(first, `${s.version}/${s.id}`).toEqual({ segment: 'ST', req: 'M', max: 1 });
      expect(last, `${s.version}/${s.id}`).toEqual({ segment: 'SE', req: 'M', max: 1 });
    }
  });

  it('every loop starts with its own required trigger segment, and no trigger is ambiguous with a sibling', () => {
    const problems: string[] = [];
    for (const s of allSets()) {
      walk(s.structure, (n, siblings, path) => {
        if (!isLoop(n)) return;
        const first = n.children[0];
        if (!first || isLoop(first) || first.req !== 'M' || first.segment !== n.loop) problems.push(`${s.version}/${s.id}${path}: trigger`);
        for (const sib of siblings) {
          if (sib === n) continue;
          const tag = isLoop(sib) ? sib.loop : sib.segment;
          if (tag === n.loop) problems.push(`${s.version}/${s.id}${path}: ${isLoop(sib) ? 'loop' : 'segment'} sibling ${tag}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('has the loop shapes and limits the standard gives (spot checks)', () => {
    const loop = (s: TransactionSetSpec, id: string) => s.structure.find((n) => isLoop(n) && n.loop === id);
    expect(loop(specOf('004010', '850'), 'PO1')).toMatchObject({ req: 'M', max: 100000 });
    expect(loop(specOf('004010', '855'), 'PO1')).toMatchObject({ req: 'O', max: 100000 });
    expect(loop(specOf('004010', '856'), 'HL')).toMatchObject({ req: 'M', max: 200000 });
    expect(loop(specOf('004010', '810'), 'IT1')).toMatchObject({ req: 'O', max: 200000 });
    expect(specOf('004010', '810').structure).toContainEqual({ segment: 'TDS', req: 'M', max: 1 });
    expect(loop(specOf('004010', '850'), 'N1')).toMatchObject({ max: 200 });
    expect(loop(specOf('004010', '850'), 'SAC')).toMatchObject({ max: 25 });
    // 997: AK2 loop (AK2, AK3 loop (AK3, AK4 x99), AK5); 999: IK3 loop with CTX and an IK4 loop
    expect(specOf('004010', '997').structure.map((n) => (isLoop(n) ? `loop ${n.loop}` : n.segment))).toEqual(['ST', 'AK1', 'loop AK2', 'AK9', 'SE']);
    const ak2 = loop(specOf('005010', '997'), 'AK2');
    expect(ak2 && isLoop(ak2) && ak2.children.map((n) => (isLoop(n) ? `loop ${n.loop}` : n.segment))).toEqual(['AK2', 'loop AK3', 'AK5']);
    const ik3 = (loop(specOf('005010', '999'), 'AK2') as { children: StructureNode[] }).children[1];
    expect(ik3).toMatchObject({ loop: 'IK3', children: [{ segment: 'IK3' }, { segment: 'CTX', max: 10 }, { loop: 'IK4', children: [{ segment: 'IK4' }, { segment: 'CTX', max: 10 }] }] });
  });
});

describe('version differences 004010 -> 005010', () => {
  it.each([
    ['REF02', 30, 50],
    ['PER04', 80, 256],
    ['SAC13', 30, 50],
    ['BAK08', 30, 50],
    ['IT102', 10, 15],
    ['TD303', 10, 15],
    ['CAD08', 30, 50],
    ['AK302', 6, 10],
  ])('%s max length %i in 004010, %i in 005010', (designator, old, now) => {
    expect(element('004010', designator)?.max).toBe(old);
    expect(element('005010', designator)?.max).toBe(now);
  });

  it('CAD01 is optional in 004010 and mandatory in 005010', () => {
    expect(element('004010', 'CAD01')?.req).toBe('O');
    expect(element('005010', 'CAD01')?.req).toBe('M');
  });

  it.each(['ST03', 'N407', 'BIG11', 'AK103', 'AK203', 'AK401-3'])('%s exists only in 005010', (designator) => {
    expect(element('004010', designator)).toBeUndefined();
    expect(element('005010', designator)).toBeDefined();
  });

  it('5010 N4 carries the N402/N407 exclusion and the N407 -> N404 condition', () => {
    expect(getSegmentDictionary('005010').segments.N4?.rules).toEqual(expect.arrayContaining([{ type: 'E', elements: [2, 7] }, { type: 'C', elements: [7, 4] }]));
  });
});

describe('element facts that maps depend on', () => {
  it.each([
    ['PO102', 'R'], ['PO104', 'R'], ['IT104', 'R'], ['SN102', 'R'], ['CTT01', 'N0'],
    ['TDS01', 'N2'], ['SAC05', 'N2'], ['ITD08', 'N2'], ['BEG05', 'DT'], ['BSN04', 'TM'],
  ])('%s is %s in both versions', (designator, type) => {
    for (const v of VERSIONS) expect(element(v, designator)?.type).toBe(type);
  });

  it.each([['BEG03', 22], ['PRF01', 22], ['BIG02', 22], ['BAK03', 22], ['MAN02', 48], ['HL01', 12]])('%s is at most %i long', (designator, max) => {
    for (const v of VERSIONS) expect(element(v, designator)?.max).toBe(max);
  });

  it('ST02 is 4-9 characters and SE01 counts segments', () => {
    for (const v of VERSIONS) {
      expect(element(v, 'ST02')).toMatchObject({ min: 4, max: 9 });
      expect(element(v, 'SE01')).toMatchObject({ ref: '96', type: 'N0' });
    }
  });

  it('carries the syntax rules the maps rely on', () => {
    const rules = (v: SpecVersion, tag: string) => (getSegmentDictionary(v).segments[tag]?.rules ?? []).map((r) => r.type + r.elements.map((p) => String(p).padStart(2, '0')).join(''));
    for (const v of VERSIONS) {
      expect(rules(v, 'PO1')).toEqual(expect.arrayContaining(['P0607', 'P0809']));
      expect(rules(v, 'REF')).toEqual(['R0203']);
      expect(rules(v, 'N1')).toEqual(['R0203', 'P0304']);
      expect(rules(v, 'PER')).toEqual(['P0304', 'P0506', 'P0708']);
      expect(rules(v, 'DTM')).toContain('R020305');
      expect(rules(v, 'SAC')).toEqual(expect.arrayContaining(['R0203', 'P0304', 'P0607', 'P0910', 'C1110']));
      expect(rules(v, 'TD5')).toEqual(expect.arrayContaining(['R0204050612', 'C0203']));
      expect(rules(v, 'CTT')).toEqual(['P0304', 'P0506']);
      expect(rules(v, 'MAN')).toEqual(['P0405', 'C0605']);
      expect(rules(v, 'IT1')).toContain('P020304');
    }
  });

  it.each([
    ['BEG01', ['00', '01', '04', '05', '06', '07']],
    ['BAK01', ['00', '04', '06']],
    ['BSN01', ['00', '01', '05', '07']],
    ['BAK02', ['AC', 'AD', 'AE', 'AH', 'AK', 'AT', 'RD', 'RF', 'RJ', 'RO']],
    ['ACK01', ['IA', 'IB', 'IC', 'ID', 'IE', 'IH', 'IP', 'IQ', 'IR', 'IS', 'AC', 'AR', 'BP', 'DR', 'R1', 'R4']],
    ['HL03', ['S', 'O', 'T', 'P', 'I', 'F']],
    ['BSN05', ['0001', '0002', '0004']],
    ['SAC01', ['A', 'C', 'N']],
    ['AK304', ['1', '2', '3', '4', '5', '6', '7', '8']],
    ['AK403', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']],
    ['AK501', ['A', 'E', 'M', 'R', 'W', 'X']],
    ['AK502', ['1', '2', '3', '4', '5', '23']],
    ['AK901', ['A', 'E', 'P', 'R']],
    ['AK905', ['1', '2', '3', '4', '5', '6']],
    ['TA104', ['A', 'E', 'R']],
    ['TA105', ['000', '001', '004', '021', '022', '023', '025', '026', '027', '031']],
  ])('%s lists the codes we act on', (designator, codes) => {
    for (const v of VERSIONS) expect(element(v, designator)?.codes).toEqual(expect.arrayContaining(codes));
  });

  it('5010 adds the implementation codes of the 999 and the newer 997 codes', () => {
    expect(element('005010', 'IK304')?.codes).toEqual(expect.arrayContaining(['8', 'I4', 'I6', 'I7', 'I8', 'I9']));
    expect(element('005010', 'IK403')?.codes).toEqual(expect.arrayContaining(['10', '12', '13', 'I6', 'I9', 'I10', 'I13']));
    expect(element('005010', 'IK502')?.codes).toEqual(expect.arrayContaining(['18', '19', 'I5', 'I6']));
    expect(element('005010', 'AK905')?.codes).toContain('19');
    expect(element('004010', 'AK905')?.codes).not.toContain('19');
    expect(element('005010', 'AK403')?.codes).toEqual(expect.arrayContaining(['12', '13']));
    expect(element('004010', 'AK403')?.codes).not.toContain('12');
  });
});

describe('registry', () => {
  it.each([
    ['004010', '004010'], ['004010VICS', '004010'], ['004010UCS', '004010'], ['00401', '004010'],
    ['005010', '005010'], ['005010X231A1', '005010'], ['00501', '005010'], [' 004010 ', '004010'],
    ['004020', undefined], ['003040', undefined], ['', undefined], ['X12', undefined],
  ])('specVersion(%j) is %j', (gs08, expected) => {
    expect(specVersion(gs08)).toBe(expected);
  });

  it('hands out the same frozen objects on every call', () => {
    const spec = specOf('004010', '850');
    expect(getTransactionSetSpec('004010', '850')).toBe(spec);
    expect(getSegmentDictionary('005010')).toBe(getSegmentDictionary('005010'));
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.structure[1])).toBe(true);
    expect(Object.isFrozen(getSegmentDictionary('004010').segments.BEG?.elements[0])).toBe(true);
    expect(() => {
      (spec.structure as StructureNode[]).push({ segment: 'XX', req: 'O', max: 1 });
    }).toThrow(TypeError);
  });

  it('answers undefined for sets we have no spec for', () => {
    expect(getTransactionSetSpec('004010', '860')).toBeUndefined();
    expect(getTransactionSetSpec('004010', '999')).toBeUndefined();
    expect(functionalGroupFor('860')).toBeUndefined();
  });

  it('derives the functional group from the specs', () => {
    expect(Object.fromEntries(['850', '855', '856', '810', '997', '999'].map((id) => [id, functionalGroupFor(id)]))).toEqual({
      850: 'PO', 855: 'PR', 856: 'SH', 810: 'IN', 997: 'FA', 999: 'FA',
    });
  });

  it('lists every spec, by version then set', () => {
    expect(listSpecs().map((s) => `${s.version}/${s.id}/${s.functionalGroup}`)).toEqual([
      '004010/810/IN', '004010/850/PO', '004010/855/PR', '004010/856/SH', '004010/997/FA',
      '005010/810/IN', '005010/850/PO', '005010/855/PR', '005010/856/SH', '005010/997/FA', '005010/999/FA',
    ]);
    expect(listSpecs()[0]).toEqual({ version: '004010', id: '810', name: 'Invoice', functionalGroup: 'IN' });
  });

  it('finds the specs folder from the source tree and from the compiled tree', () => {
    const specsDir = fileURLToPath(new URL('../../specs', import.meta.url));
    expect(findSpecsDir(fileURLToPath(new URL('../../src/x12', import.meta.url)))).toBe(specsDir);
    expect(findSpecsDir(fileURLToPath(new URL('../../dist/src/x12', import.meta.url)))).toBe(specsDir);
    expect(() => findSpecsDir(tmpdir())).toThrow(/no specs\/004010 folder/);
  });
});

describe('malformed spec files', () => {
  const root = mkdtempSync(join(tmpdir(), 'edi-specs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const realDir = findSpecsDir();
  const dictionary = readFileSync(join(realDir, '004010', 'segments.json'), 'utf8');
  const po = JSON.parse(readFileSync(join(realDir, '004010', '850.json'), 'utf8')) as Record<string, unknown> & { structure: Record<string, unknown>[] };
  let n = 0;

  /** A specs folder holding the real 004010 dictionary plus the given files. */
  function specsWith(files: Record<string, string>): string {
    const dir = join(root, String(n++), 'specs');
    mkdirSync(join(dir, '004010'), { recursive: true });
    writeFileSync(join(dir, '004010', 'segments.json'), dictionary);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '004010', name), text);
    return dir;
  }

  it('names the file and the JSON path of a bad value', () => {
    const bad = { ...po, structure: po.structure.map((node, i) => (i === 1 ? { ...node, req: 'Q' } : node)) };
    expect(() => loadSpecs(specsWith({ '850.json': JSON.stringify(bad) }))).toThrow(/specs\/004010\/850\.json:\n {2}\$\.structure\[1\]\.req: expected one of M, O, got "Q"/);
  });

  it('names a segment the dictionary lacks', () => {
    const bad = { ...po, structure: [...po.structure.slice(0, 2), { segment: 'ZZZ', req: 'O', max: 1 }, ...po.structure.slice(2)] };
    expect(() => loadSpecs(specsWith({ '850.json': JSON.stringify(bad) }))).toThrow(/\$\.structure\[2\]\.segment: "ZZZ" is not defined in specs\/004010\/segments\.json/);
  });

  it('reports a set whose id does not match its file name', () => {
    expect(() => loadSpecs(specsWith({ '855.json': JSON.stringify(po) }))).toThrow(/855\.json:\n {2}\$\.id: expected "855" \(the file name\), got "850"/);
  });

  it('reports broken JSON with the file name', () => {
    expect(() => loadSpecs(specsWith({ '850.json': '{"id": "850",' }))).toThrow(/Malformed X12 spec file specs\/004010\/850\.json: /);
  });

  it('reports dictionary problems with their paths', () => {
    const dict = JSON.parse(dictionary) as { segments: Record<string, { elements: Record<string, unknown>[]; rules?: unknown[] }> };
    const ref = dict.segments.REF;
    if (!ref) throw new Error('REF missing');
    ref.elements[1] = { ...ref.elements[1], min: 40, type: 'XX' };
    ref.rules = [{ type: 'R', elements: [2, 9] }];
    const dir = specsWith({});
    writeFileSync(join(dir, '004010', 'segments.json'), JSON.stringify(dict));
    let message = '';
    try {
      loadSpecs(dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('specs/004010/segments.json');
    expect(message).toContain('$.segments.REF.elements[1].type: expected one of AN, ID');
    expect(message).toContain('$.segments.REF.elements[1].min: min length 40 is greater than max length 30');
    expect(message).toContain('$.segments.REF.rules[0].elements[1]: expected a position between 1 and 4, got 9');
  });
});
