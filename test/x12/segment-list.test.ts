// Large sets held compactly (src/x12/segment-list.ts): the reader notes where each segment sits
// instead of keeping an object per segment. Whatever reads the set must see exactly what the
// plain array gives: the same segments, findings, documents and acknowledgments.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acknowledgeInterchange, serializeAcknowledgment } from '../../src/acks/respond.js';
import { readFunctionalAckSet } from '../../src/acks/parse-acks.js';
import { ackPolicy } from '../../src/acks/policy.js';
import { examineFile } from '../../src/inbound/examine.js';
import { addressedIdentity } from '../../src/jobs/acks.js';
import type { Segment, TransactionSet } from '../../src/x12/model.js';
import { readTransactionSet } from '../../src/x12/read-set.js';
import { readX12 } from '../../src/x12/reader.js';
import { firstSegment, LARGE_SET, lastSegment, segmentCount, segmentsOf, SegmentTable, SetSegments } from '../../src/x12/segment-list.js';
import { SegmentSource, TokenSegment } from '../../src/x12/tokenizer.js';

const ROOT = join(import.meta.dirname, '../..');

function ediFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ediFiles(path);
    return name.endsWith('.edi') ? [path] : [];
  });
}

const files = [...ediFiles(join(ROOT, 'samples')), ...ediFiles(join(ROOT, 'test/fixtures/x12'))].map((path) => ({
  name: relative(ROOT, path),
  bytes: readFileSync(path),
}));

/** What a reader can see of a segment. */
const view = (s: Segment) => [s.tag, s.text, [...s.elements], s.offset, s.line, s.index, s.source !== undefined, s.start, s.end, s.delimiters];

/** The sets of a read, with compactFrom: every set of two segments or more is held compactly. */
function sets(bytes: Buffer, compactFrom?: number): TransactionSet[] {
  const read = readX12(bytes, { file: 'x.edi', ...(compactFrom !== undefined ? { compactFrom } : {}) });
  return read.interchanges.flatMap((ic) => ic.groups.flatMap((g) => g.transactions));
}

/** Everything examining a file gives: findings, documents, accepted sets and acknowledgments' text. */
function examined(bytes: Buffer, compactFrom?: number) {
  let n = 0;
  const numbers = { interchange: () => ++n, group: () => String(++n), nextSet: () => String(++n).padStart(4, '0') };
  const e = examineFile(bytes, {
    file: 'x.edi',
    ...(compactFrom !== undefined ? { compactFrom } : {}),
    ack: { policy: ackPolicy({ ta1: 'always' }), identity: addressedIdentity, controlNumbers: numbers, now: new Date('2026-12-07T12:00:00Z') },
  });
  return {
    findings: e.findings,
    documents: e.sets.map((s) => s.document),
    accepted: e.accepted.length,
    acks: e.acks.map((a) => serializeAcknowledgment(a, undefined, '\n')),
  };
}

describe('a set held compactly', () => {
  const ship = files.find((f) => f.name.endsWith('856-sopi-pick-and-pack.edi'))!;

  it('gives the segments the array gives, one by one and as an array', () => {
    const [plain] = sets(ship.bytes);
    const [compact] = sets(ship.bytes, 2);
    const list = segmentsOf(compact!);
    expect(list.length).toBe(plain!.segments.length);
    expect(segmentCount(compact!)).toBe(plain!.segments.length);
    for (let i = 0; i < list.length; i++) {
      expect(list.tagAt(i)).toBe(plain!.segments[i]!.tag);
      expect(view(list.at(i))).toEqual(view(plain!.segments[i]!));
    }
    expect(compact!.segments.map(view)).toEqual(plain!.segments.map(view));
  });

  it('moves one object from segment to segment for a reader that keeps none (view)', () => {
    const [plain] = sets(ship.bytes);
    const [tx] = sets(ship.bytes, 2);
    const list = segmentsOf(tx!);
    const first = list.view(0);
    for (let i = 0; i < list.length; i++) {
      const seg = list.view(i);
      expect(seg).toBe(first);
      expect(view(seg)).toEqual(view(plain!.segments[i]!));
      // Never taken for a segment of the set, whichever it points at.
      expect(list.holds(i, seg)).toBe(false);
    }
    // An array's view is its own segment.
    expect(segmentsOf(plain!).view(3)).toBe(plain!.segments[3]);
  });

  it('knows its own segments, not equal ones of another set or another place', () => {
    const [a] = sets(ship.bytes, 2);
    const [b] = sets(ship.bytes, 2);
    const list = segmentsOf(a!);
    const other = segmentsOf(b!);
    expect(list.holds(3, list.at(3))).toBe(true);
    expect(list.holds(4, list.at(3))).toBe(false);
    expect(list.holds(3, other.at(3))).toBe(false);
    expect(list.holds(list.length, list.at(3))).toBe(false);
    expect(list.holds(3, { ...list.at(3) })).toBe(false);
  });

  /** Whether `tx` is still held compactly (a table makes a new segment at each call). */
  const compact = (tx: TransactionSet) => segmentsOf(tx).at(1) !== segmentsOf(tx).at(1);

  it('gives its first and last segment, as the array would, and stays compact', () => {
    const [plain] = sets(ship.bytes);
    const [tx] = sets(ship.bytes, 2);
    expect(view(firstSegment(tx!)!)).toEqual(view(plain!.segments[0]!));
    expect(view(lastSegment(tx!)!)).toEqual(view(plain!.segments.at(-1)!));
    expect(lastSegment(tx!)!.tag).toBe('SE');
    expect(compact(tx!)).toBe(true);
    const none: TransactionSet = { id: '856', controlNumber: '1', segments: [], complete: false, findings: [] };
    expect(firstSegment(none)).toBeUndefined();
    expect(lastSegment(none)).toBeUndefined();
  });

  it.each(files.filter((f) => f.name.includes('/997/')).map((f) => [f.name, f.bytes] as const))(
    '%s: a 997 held compactly reads as the array does, and stays compact',
    (_name, bytes) => {
      const read = (compactFrom?: number) => readX12(bytes, { file: 'x.edi', ...(compactFrom !== undefined ? { compactFrom } : {}) }).interchanges.flatMap((ic) =>
        ic.groups.flatMap((g) => g.transactions.map((tx) => ({ tx, ack: readFunctionalAckSet(tx, { header: ic.header, group: g.header.controlNumber }) }))));
      const plain = read();
      const held = read(2);
      expect(held.length).toBeGreaterThan(0);
      expect(held.map((r) => r.ack)).toEqual(plain.map((r) => r.ack));
      for (const r of held) expect(compact(r.tx)).toBe(true);
    },
  );

  it('turns into a plain array once its segments are asked for, and takes a new array', () => {
    const [tx] = sets(ship.bytes, 2);
    const segments = tx!.segments;
    expect(Array.isArray(segments)).toBe(true);
    expect(tx!.segments).toBe(segments);
    expect(segmentsOf(tx!).holds(0, segments[0]!)).toBe(true);
    tx!.segments.push(segments[1]!);
    expect(segmentCount(tx!)).toBe(segments.length);
    const [other] = sets(ship.bytes, 2);
    const replaced = segments.slice(0, 2);
    other!.segments = replaced;
    expect(other!.segments).toBe(replaced);
    expect(segmentCount(other!)).toBe(2);
    expect(Object.keys(other!)).toContain('segments');
  });

  it('is the default for a set of LARGE_SET segments, not for a smaller one', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `REF*ZZ*${i}~`).join('');
    const file = (n: number) => Buffer.from(
      'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261101*1200*U*00401*000000001*0*P*>~'
      + `GS*PO*SENDER*RECEIVER*20261101*1200*1*X*004010~ST*850*0001~${body(n - 2)}SE*${n}*0001~GE*1*1~IEA*1*000000001~`,
    );
    const [small] = sets(file(LARGE_SET - 1));
    const [large] = sets(file(LARGE_SET));
    // A table's segments are made when asked: the array's are the very objects the reader kept.
    expect(segmentsOf(small!).at(5)).toBe(segmentsOf(small!).at(5));
    expect(segmentsOf(large!).at(5)).not.toBe(segmentsOf(large!).at(5));
    expect(segmentsOf(large!).at(5)).toBeInstanceOf(TokenSegment);
    expect(large!.findings).toEqual([]);
    expect(segmentCount(large!)).toBe(LARGE_SET);
  });
});

describe('the table and what it cannot hold', () => {
  const d = { element: '*', component: '>', repetition: null, segment: '~' };
  const source = (n: number) => {
    const src = new SegmentSource('X'.repeat(n), null, 0, d, n);
    for (let k = 0; k < n; k++) src.add(k, k + 1, 1, k);
    return src;
  };

  it('refuses a 65,537th distinct tag, and the set goes back to its array with every segment in order', () => {
    const table = new SegmentTable();
    const src = source(1);
    for (let i = 0; i <= 0xffff; i++) expect(table.add(new TokenSegment(`T${i}`, src, 0))).toBe(true);
    expect(table.add(new TokenSegment('ONE MORE', src, 0))).toBe(false);
    expect(table.length).toBe(0x10000);
    expect(table.tagAt(0xffff)).toBe('T65535');
  });

  it('turns back into an array at a segment the tokenizer did not cut', () => {
    const src = source(5);
    const tx: TransactionSet = { id: '856', controlNumber: '0001', segments: [], complete: false, findings: [] };
    const added = new SetSegments(tx, 2);
    const cut = [0, 1, 2].map((k) => new TokenSegment('REF', src, k));
    for (const seg of cut) added.add(seg);
    expect(segmentsOf(tx).at(2)).not.toBe(segmentsOf(tx).at(2)); // held compactly by now
    const odd: Segment = { tag: 'ZZ', elements: ['ZZ'], offset: 0, line: 1, index: 0, delimiters: d };
    added.add(odd);
    added.add(new TokenSegment('SE', src, 3));
    expect(tx.segments.map((s) => [s.tag, s.index])).toEqual([['REF', 0], ['REF', 1], ['REF', 2], ['ZZ', 0], ['SE', 3]]);
    expect(tx.segments[3]).toBe(odd);
  });

  it('holds a large set read back from its bytes (the map stage) compactly too', () => {
    const n = LARGE_SET + 10;
    const body = `ST*856*0001~BSN*00*1*20261101*1200~${Array.from({ length: n - 3 }, (_, i) => `REF*ZZ*${i}~`).join('')}SE*${n}*0001~`;
    const tx = readTransactionSet(Buffer.from(body), d, { offset: 100, line: 3 });
    expect(segmentCount(tx)).toBe(n);
    expect(tx.complete).toBe(true);
    expect(segmentsOf(tx).at(7)).not.toBe(segmentsOf(tx).at(7));
    expect(view(segmentsOf(tx).at(n - 2))).toEqual(view(tx.segments[n - 2]!));
    expect(tx.segments[n - 2]!.text).toBe(`REF*ZZ*${n - 4}`);
  });
});

describe('reading held compactly or as arrays', () => {
  it.each(files.map((f) => [f.name, f.bytes] as const))('%s: the same findings, documents and acknowledgments', (_name, bytes) => {
    expect(examined(bytes, 2)).toEqual(examined(bytes));
  });

  it('agree on mutated files (bytes replaced, deleted, inserted; files cut short)', () => {
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      kind: fc.constantFrom('replace', 'delete', 'insert', 'truncate'),
      byte: fc.constantFrom(...[...'*~>^:\n\r ISAGSTE0U'].map((c) => c.charCodeAt(0)), 0x00, 0xc3, 0xa9, 0xff),
    });
    fc.assert(fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 3 }), (file, edits) => {
      let bytes = file.bytes;
      for (const e of edits) {
        const i = Math.floor(e.at * bytes.length);
        if (e.kind === 'replace') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i + 1)]);
        else if (e.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
        else if (e.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i)]);
        else bytes = bytes.subarray(0, i);
      }
      expect(examined(bytes, 2)).toEqual(examined(bytes));
    }), { seed: 20261207, numRuns: 300 });
  });
});
