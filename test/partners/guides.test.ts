// Issue 14, partner implementation guides (partners/README.md#implementation-guides): the two
// example guides shipped in partners/guides/ loaded through the example partner file as `edi start`
// loads it, applied to inbound 850s and 856s (each kind of rule, its finding, and the AK3/AK4 the
// 997 carries) and to an 856 we build (held with the rule named); bad guides are load errors.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultAckPolicy } from '../../src/acks/policy.js';
import { serializeAcknowledgment } from '../../src/acks/respond.js';
import { examineFile } from '../../src/inbound/examine.js';
import { writeChecked } from '../../src/jobs/outbound-render.js';
import { partnerDirectory } from '../../src/partners/directory.js';
import { loadPartners } from '../../src/partners/load.js';
import type { Partner } from '../../src/partners/types.js';
import type { Json } from '../../src/store/types.js';
import type { SegmentData } from '../../src/x12/writer.js';
import { counters, inboundText, now, segmentsOf, us } from '../acks/support.js';

let partner: Partner;

beforeAll(async () => {
  const loaded = await loadPartners(join(process.cwd(), 'partners'), {});
  expect(loaded.errors.map((e) => e.message)).toEqual([]);
  partner = loaded.partners.get('bigbox-retail')!;
  expect(Object.keys(partner.guides ?? {}).sort()).toEqual(['850', '856']);
});

const GLN = '0614141000074';
const good850 = (): SegmentData[] => [
  ['BEG', '00', 'SA', '4500123456', '', '20261101'],
  ['REF', 'DP', '038'],
  ['DTM', '002', '20261115'],
  ['N1', 'ST', 'BIGBOX DC 7', 'UL', GLN],
  ['PO1', '1', '12', 'EA', '4.25', 'PE', 'UP', '012345678905'],
  ['CTT', '1'],
];

const good856 = (): SegmentData[] => [
  ['BSN', '00', 'SHP1001', '20261125', '1015', '0001'],
  ['HL', '1', '', 'S', '1'],
  ['TD1', 'CTN25', '1', '', '', '', 'G', '31', 'LB'],
  ['TD5', 'B', '2', 'UPSN', 'U'],
  ['REF', 'BM', '12345678901234567'],
  ['N1', 'ST', 'BIGBOX DC 7', 'UL', GLN],
  ['HL', '2', '1', 'O', '1'],
  ['PRF', '4500123456', '', '', '20261119'],
  ['HL', '3', '2', 'P', '1'],
  ['MAN', 'GM', '006141410090000015'],
  ['HL', '4', '3', 'I', '0'],
  ['LIN', '', 'UP', '012345678905'],
  ['SN1', '', '12', 'EA'],
  ['CTT', '4'],
];

type Edit = (segs: SegmentData[]) => SegmentData[];
const replace = (tag: string, qualifier: string | undefined, seg: SegmentData | null): Edit => (segs) => {
  const i = segs.findIndex((s) => s[0] === tag && (qualifier === undefined || s[1] === qualifier));
  return i < 0 ? segs : [...segs.slice(0, i), ...(seg ? [seg] : []), ...segs.slice(i + 1)];
};
const insertAfter = (tag: string, seg: SegmentData): Edit => (segs) => {
  const i = segs.findIndex((s) => s[0] === tag);
  return [...segs.slice(0, i + 1), seg, ...segs.slice(i + 1)];
};

/** The set as the partner would send it, examined with the partner's guides and acknowledged in a 997. */
function examine(set: '850' | '856', body: SegmentData[]) {
  const text = inboundText({ groups: [{ control: 1, sets: 1, set, gs01: set === '850' ? 'PO' : 'SH', body: () => body }] });
  const examined = examineFile(text, { guides: partner.guides!, ack: { policy: defaultAckPolicy, identity: us, controlNumbers: counters(), now } });
  const ack = examined.acks.length ? segmentsOf(serializeAcknowledgment(examined.acks[0]!)) : [];
  return { findings: examined.findings, ack };
}

describe('inbound 850 against partners/guides/bigbox-850.yaml', () => {
  it('a conforming 850 passes and is accepted', () => {
    const { findings, ack } = examine('850', good850());
    expect(findings).toEqual([]);
    expect(ack).toContain('AK5*A');
  });

  it('without the guide the same violations pass our spec: the guide makes the difference', () => {
    const text = inboundText({ groups: [{ control: 1, sets: 1, body: () => replace('BEG', undefined, ['BEG', '00', 'NE', '45001234567890', '', '20261101'])(good850()) }] });
    expect(examineFile(text).findings).toEqual([]);
  });

  const cases: Array<[string, Edit, string, string, string[]]> = [
    ['a code the guide does not allow (BEG02 NE)', replace('BEG', undefined, ['BEG', '00', 'NE', '4500123456', '', '20261101']), 'X12_GUIDE_CODE_NOT_ALLOWED', 'BEG02-stand-alone', ['AK3*BEG*2**8', 'AK4*2*92*7*NE']],
    ['a fixed value broken (N103 92 instead of UL)', replace('N1', 'ST', ['N1', 'ST', 'DC 7', '92', '0614141000074']), 'X12_GUIDE_CODE_NOT_ALLOWED', 'N1-ST-03-GLN', ['AK4*3*66*7*92']],
    ['too long for the guide (BEG03 of 14 characters)', replace('BEG', undefined, ['BEG', '00', 'SA', '45001234567890', '', '20261101']), 'X12_GUIDE_TOO_LONG', 'BEG03-po-number', ['AK4*3*324*5*45001234567890']],
    ['too short for the guide (N104 of 9 digits)', replace('N1', 'ST', ['N1', 'ST', 'DC 7', 'UL', '061414100']), 'X12_GUIDE_TOO_SHORT', 'N1-ST-04-GLN', ['AK4*4*67*4*061414100']],
    ['an element the guide requires left out (REF02 of REF*DP, the standard content with REF03)', replace('REF', 'DP', ['REF', 'DP', '', 'GROCERY']), 'X12_GUIDE_ELEMENT_MISSING', 'REF-DP-02', ['AK3*REF*3**8', 'AK4*2*127*1']],
    ['a segment the guide requires missing (N1*ST)', replace('N1', 'ST', null), 'X12_GUIDE_SEGMENT_MISSING', 'N1-ST', ['AK3*N1*7*N1*3']],
    ['a segment the guide forbids (CUR)', insertAfter('BEG', ['CUR', 'BY', 'USD']), 'X12_GUIDE_SEGMENT_FORBIDDEN', 'CUR-not-used', ['AK3*CUR*3**2']],
    ['a segment over the guide\'s maximum use (two REF*DP)', insertAfter('REF', ['REF', 'DP', '039']), 'X12_GUIDE_SEGMENT_OVER_MAX', 'REF-DP-once', ['AK3*REF*4**5']],
  ];
  it.each(cases)('%s: the finding names the guide and rule, the 997 rejects the set with its AK3/AK4', (_what, edit, code, rule, ackLines) => {
    const { findings, ack } = examine('850', edit(good850()));
    expect(findings.map((f) => f.code)).toEqual([code]);
    expect(findings[0]!.message).toContain(`guide bigbox-850, rule ${rule}: `);
    for (const line of ackLines) expect(ack).toContain(line);
    expect(ack).toContain('AK5*R*5');
  });
});

describe('inbound 856 against partners/guides/bigbox-856.yaml (rules by HL level)', () => {
  it('a conforming pick-and-pack 856 passes', () => {
    expect(examine('856', good856()).findings).toEqual([]);
  });

  const cases: Array<[string, Edit, string | string[], string, string[]]> = [
    ['standard pack instead of pick and pack (BSN05 0002)', replace('BSN', undefined, ['BSN', '00', 'SHP1001', '20261125', '1015', '0002']), 'X12_GUIDE_CODE_NOT_ALLOWED', 'BSN05-pick-pack', ['AK4*5*1005*7*0002']],
    ['a carton without its MAN*GM', replace('MAN', undefined, null), 'X12_GUIDE_SEGMENT_MISSING', 'MAN-carton', ['AK3*MAN*11*HL*3']],
    ['a shipment without REF*BM', replace('REF', 'BM', null), 'X12_GUIDE_SEGMENT_MISSING', 'REF-BM', ['AK3*REF*7*HL*3']],
    ['TD5 without its SCAC (and so without TD502, as the standard wants)', replace('TD5', undefined, ['TD5', 'B', '', '', 'U']), ['X12_GUIDE_ELEMENT_MISSING', 'X12_GUIDE_ELEMENT_MISSING'], 'TD502-SCAC', ['AK4*2*66*1', 'AK4*3*67*1']],
    ['an SSCC too short', replace('MAN', undefined, ['MAN', 'GM', '0061414100900']), 'X12_GUIDE_TOO_SHORT', 'MAN02-SSCC', ['AK4*2*87*4*0061414100900']],
  ];
  it.each(cases)('%s', (_what, edit, code, rule, ackLines) => {
    const { findings, ack } = examine('856', edit(good856()));
    expect(findings.map((f) => f.code)).toEqual(typeof code === 'string' ? [code] : code);
    expect(findings[0]!.message).toContain(`guide bigbox-856, rule ${rule}: `);
    for (const line of ackLines) expect(ack).toContain(line);
    expect(ack).toContain('AK5*R*5');
  });

  it('a level rule applies at that level only: MAN at the item level is not a carton', () => {
    const body = insertAfter('SN1', ['MAN', 'CP', 'X1'])(good856());
    expect(examine('856', body).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('outbound: an 856 built for the guided partner', () => {
  /** The canonical ship notice of an inbound 856 (what our 856 map writes back). */
  const document = (body: SegmentData[]): Json => {
    const text = inboundText({ groups: [{ control: 1, sets: 1, set: '856', gs01: 'SH', body: () => body }] });
    return examineFile(text).sets[0]!.document as unknown as Json;
  };
  const ctx = () => ({ partners: partnerDirectory({ partners: new Map([[partner.code, partner]]) }) });

  it('conforming, it is written; without the bill of lading it is held, naming the guide and the rule', () => {
    const ok = writeChecked(ctx(), partner, '856', document(good856()), now);
    expect(ok).not.toHaveProperty('invalid');
    const held = writeChecked(ctx(), partner, '856', document(replace('REF', 'BM', null)(good856())), now);
    expect(held).toHaveProperty('invalid');
    const reason = (held as { invalid: string }).invalid;
    expect(reason).toMatch(/^the built 856 breaks the implementation guide bigbox-856 that .*bigbox-retail\.yaml names: /);
    expect(reason).toContain('rule REF-BM: ');
    // Where the Odoo data comes from, when it is plain (as for documents.rules.require).
    const noScac = writeChecked(ctx(), partner, '856', document(replace('TD5', undefined, ['TD5', 'B', '', '', 'U'])(good856())), now);
    expect((noScac as { invalid: string }).invalid).toContain("rule TD503-SCAC: TD503 identification code of TD5 at HL level S is empty; the guide requires it (it comes from the SCAC of the delivery's carrier");
    expect(reason).toContain('X12_GUIDE_SEGMENT_MISSING');
  });
});

describe('load errors for bad guides', () => {
  const withGuide = async (guide: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'edi-guides-'));
    mkdirSync(join(dir, 'guides'));
    writeFileSync(join(dir, 'guides', 'g.yaml'), guide);
    writeFileSync(join(dir, 'shop.yaml'), [
      'mode: test', 'identity: { isa: { qualifier: ZZ, id: SHOP }, gs: SHOP }', 'us: { isa: { qualifier: ZZ, id: US }, gs: US }',
      "documents: { inbound: ['850'] }", 'guide: g', 'transport: { type: folder, inbound: { folder: in } }', '',
    ].join('\n'));
    const loaded = await loadPartners(dir, {}, { dataDir: dir });
    expect(loaded.partners.has('shop')).toBe(false);
    expect(loaded.broken.map((b) => b.code)).toEqual(['shop']);
    return loaded.errors.map((e) => e.message);
  };

  it('an element the spec lacks: file, key path and rule named', async () => {
    expect(await withGuide("sets:\n  '850':\n    rules:\n      - { id: X, segment: TD5, element: 99, required: true }\n")).toEqual([
      expect.stringMatching(/^\S+\/shop\.yaml: guide: \S+\/guides\/g\.yaml: sets\.850\.rules\.0\.element: found 99 \(a number\), expected an element of TD5, which has elements 01 to \d\d in 004010 \(rule X\) \[line 4\]/),
    ]);
  });

  it('a segment not in the set, a code outside the standard list, a length beyond the spec, an unknown key', async () => {
    const messages = await withGuide([
      "sets:", "  '850':", '    rules:',
      '      - { id: A, segment: BSN, usage: required }',
      "      - { id: B, segment: BEG, element: 1, value: 'Q9' }",
      '      - { id: C, segment: BEG, element: 3, maxLength: 40 }',
      '', ].join('\n'));
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/rules\.0\.segment: found "BSN", expected a segment of the 850 .*\(rule A\)/);
    expect(messages[1]).toMatch(/rules\.1\.value: found "Q9", expected codes of BEG01 .*\(rule B\)/);
    expect(messages[2]).toMatch(/rules\.2\.maxLength: found 40 .*expected a length within 1 to 22.*\(rule C\)/);
    expect((await withGuide("sets:\n  '850':\n    rules:\n      - { id: A, segment: BEG, usage: required, colour: red }\n"))[0]).toMatch(/colour/);
  });

  it('a guide file that is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edi-guides-'));
    writeFileSync(join(dir, 'shop.yaml'), [
      'mode: test', 'identity: { isa: { qualifier: ZZ, id: SHOP }, gs: SHOP }', 'us: { isa: { qualifier: ZZ, id: US }, gs: US }',
      "documents: { inbound: ['850'] }", 'guide: nowhere', 'transport: { type: folder, inbound: { folder: in } }', '',
    ].join('\n'));
    const loaded = await loadPartners(dir, {}, { dataDir: dir });
    expect(loaded.errors.map((e) => e.message)).toEqual([expect.stringContaining('guides/nowhere.yaml: cannot be read (ENOENT)')]);
  });
});
