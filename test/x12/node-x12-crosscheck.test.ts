// node-x12 as an independent cross-check: on the files it reads correctly (standard
// layout, no BOM, one delimiter set per file) our reader must give the same element values.
// Its known differences (docs/x12.md#why-not-node-x12) are the reasons it is not our engine.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X12Parser } from 'node-x12';
import { readX12 } from '../../src/x12/reader.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'x12', 'pass');
const comparable = ['standard-tilde-newline.edi', 'no-line-breaks.edi', 'element-pipe.edi', 'crlf-after-tilde.edi', 'multi-group.edi', 'terminator-newline-only.edi', 'component-caret.edi'];

interface NxElement { value: string | null }
interface NxSegment { tag: string; elements: NxElement[] }
interface NxTransaction { header: NxSegment; segments: NxSegment[]; trailer: NxSegment }
interface NxGroup { header: NxSegment; transactions: NxTransaction[]; trailer: NxSegment }
interface NxInterchange { header: NxSegment; functionalGroups: NxGroup[]; trailer: NxSegment }

const values = (s: NxSegment) => [s.tag, ...s.elements.map((e) => e.value ?? '')];

describe('cross-check against node-x12', () => {
  it.each(comparable)('%s: same segments and element values', (name) => {
    const text = readFileSync(join(dir, name), 'latin1');
    const theirs = new X12Parser(true).parse(text) as unknown as NxInterchange;
    const ours = readX12(text).interchanges[0]!;
    const theirSegs = theirs.functionalGroups.flatMap((g) => [values(g.header), ...g.transactions.flatMap((t) => [values(t.header), ...t.segments.map(values), values(t.trailer)]), values(g.trailer)]);
    const ourSegs = ours.groups.flatMap((g) => [[...g.segment.elements], ...g.transactions.flatMap((t) => t.segments.map((s) => [...s.elements])), [...(g.trailer?.elements ?? [])]]);
    expect(ourSegs).toEqual(theirSegs);
    // node-x12 drops ISA13's zero padding; we keep it (it is a key).
    expect(theirs.header.elements[12]?.value).toBe('905');
    expect(ours.header.controlNumber).toBe('000000905');
  });
});
