// Small hand-written specs and a transaction builder for the validator tests.
// The specs follow the shape of the 850 (ST, BEG, REF, PER, DTM, N9/N1 loops,
// PO1 loop with nested PID, N1 and LM loops, CTT loop, SE) but stay small, so a
// test reads as "this segment at this position gives this code".
import type { Delimiters, Segment, TransactionSet } from '../../src/x12/model.js';
import type { ElementSpec, SegmentDictionary, TransactionSetSpec } from '../../src/x12/spec-types.js';

export const D4010: Delimiters = { element: '*', component: '>', repetition: null, segment: '~' };
export const D5010: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

const el = (ref: string, name: string, req: 'M' | 'O' | 'X', type: ElementSpec['type'], min: number, max: number, extra: Partial<ElementSpec> = {}): ElementSpec => ({
  ref, name, req, type, min, max, ...extra,
});

export const dictionary: SegmentDictionary = {
  version: '004010',
  segments: {
    ST: { name: 'Transaction Set Header', elements: [el('143', 'Transaction Set Identifier Code', 'M', 'ID', 3, 3), el('329', 'Transaction Set Control Number', 'M', 'AN', 4, 9)] },
    SE: { name: 'Transaction Set Trailer', elements: [el('96', 'Number of Included Segments', 'M', 'N0', 1, 10), el('329', 'Transaction Set Control Number', 'M', 'AN', 4, 9)] },
    BEG: {
      name: 'Beginning Segment for Purchase Order',
      elements: [
        el('353', 'Transaction Set Purpose Code', 'M', 'ID', 2, 2, { codes: ['00', '01', '04', '05', '06', '07'] }),
        el('92', 'Purchase Order Type Code', 'M', 'ID', 2, 2),
        el('324', 'Purchase Order Number', 'M', 'AN', 1, 22),
        el('328', 'Release Number', 'O', 'AN', 1, 30),
        el('373', 'Date', 'M', 'DT', 8, 8),
      ],
    },
    CUR: { name: 'Currency', elements: [el('98', 'Entity Identifier Code', 'M', 'ID', 2, 3), el('100', 'Currency Code', 'M', 'ID', 3, 3)] },
    REF: {
      name: 'Reference Identification',
      elements: [
        el('128', 'Reference Identification Qualifier', 'M', 'ID', 2, 3),
        el('127', 'Reference Identification', 'X', 'AN', 1, 30),
        el('352', 'Description', 'X', 'AN', 1, 80),
        {
          composite: 'C040', name: 'Reference Identifier', req: 'O',
          components: [
            el('128', 'Reference Identification Qualifier', 'M', 'ID', 2, 3),
            el('127', 'Reference Identification', 'M', 'AN', 1, 30),
            el('128', 'Reference Identification Qualifier', 'X', 'ID', 2, 3),
            el('127', 'Reference Identification', 'X', 'AN', 1, 30),
          ],
        },
      ],
      rules: [{ type: 'R', elements: [2, 3] }],
    },
    PER: {
      name: 'Administrative Communications Contact',
      elements: [
        el('366', 'Contact Function Code', 'M', 'ID', 2, 2),
        el('93', 'Name', 'O', 'AN', 1, 60),
        el('365', 'Communication Number Qualifier', 'X', 'ID', 2, 2),
        el('364', 'Communication Number', 'X', 'AN', 1, 80),
      ],
      rules: [{ type: 'P', elements: [3, 4] }],
    },
    DTM: {
      name: 'Date/Time Reference',
      elements: [
        el('374', 'Date/Time Qualifier', 'M', 'ID', 3, 3),
        el('373', 'Date', 'X', 'DT', 8, 8),
        el('337', 'Time', 'X', 'TM', 4, 8),
        el('623', 'Time Code', 'O', 'ID', 2, 2),
      ],
      rules: [{ type: 'R', elements: [2, 3] }, { type: 'C', elements: [4, 3] }],
    },
    N9: { name: 'Reference Identification', elements: [el('128', 'Reference Identification Qualifier', 'M', 'ID', 2, 3), el('127', 'Reference Identification', 'X', 'AN', 1, 30)] },
    MSG: { name: 'Message Text', elements: [el('933', 'Free-Form Message Text', 'M', 'AN', 1, 264)] },
    N1: {
      name: 'Name',
      elements: [
        el('98', 'Entity Identifier Code', 'M', 'ID', 2, 3),
        el('93', 'Name', 'X', 'AN', 1, 60),
        el('66', 'Identification Code Qualifier', 'X', 'ID', 1, 2),
        el('67', 'Identification Code', 'X', 'AN', 2, 80),
      ],
      rules: [{ type: 'R', elements: [2, 3] }, { type: 'P', elements: [3, 4] }],
    },
    N3: { name: 'Address Information', elements: [el('166', 'Address Information', 'M', 'AN', 1, 55), el('166', 'Address Information', 'O', 'AN', 1, 55)] },
    PO1: {
      name: 'Baseline Item Data',
      elements: [
        el('350', 'Assigned Identification', 'O', 'AN', 1, 20),
        el('330', 'Quantity Ordered', 'X', 'R', 1, 15),
        el('355', 'Unit or Basis for Measurement Code', 'X', 'ID', 2, 2),
        el('212', 'Unit Price', 'X', 'R', 1, 17),
        el('639', 'Basis of Unit Price Code', 'O', 'ID', 2, 2),
        el('235', 'Product/Service ID Qualifier', 'X', 'ID', 2, 2),
        el('234', 'Product/Service ID', 'X', 'AN', 1, 48),
      ],
      rules: [{ type: 'C', elements: [3, 2] }, { type: 'P', elements: [6, 7] }],
    },
    PID: {
      name: 'Product/Item Description',
      elements: [
        el('349', 'Item Description Type', 'M', 'ID', 1, 1, { codes: ['F', 'S', 'X'] }),
        el('750', 'Product/Process Characteristic Code', 'O', 'ID', 2, 3),
        el('559', 'Agency Qualifier Code', 'X', 'ID', 2, 2),
        el('751', 'Product Description Code', 'X', 'AN', 1, 12),
        el('352', 'Description', 'X', 'AN', 1, 80),
      ],
      // "Exactly one of PID04, PID05": a required rule plus an exclusion.
      rules: [{ type: 'C', elements: [4, 3] }, { type: 'R', elements: [4, 5] }, { type: 'E', elements: [4, 5] }],
    },
    MEA: { name: 'Measurements', elements: [el('737', 'Measurement Reference ID Code', 'O', 'ID', 2, 2), el('738', 'Measurement Qualifier', 'O', 'ID', 1, 3), el('739', 'Measurement Value', 'X', 'R', 1, 20)] },
    PO4: {
      name: 'Item Physical Details',
      elements: [
        el('356', 'Pack', 'O', 'N0', 1, 6),
        el('357', 'Size', 'X', 'R', 1, 8),
        el('355', 'Unit or Basis for Measurement Code', 'X', 'ID', 2, 2),
        el('103', 'Packaging Code', 'X', 'AN', 3, 5),
        el('187', 'Weight Qualifier', 'O', 'ID', 1, 2),
        el('384', 'Gross Weight per Pack', 'X', 'R', 1, 9),
        el('355', 'Unit or Basis for Measurement Code', 'X', 'ID', 2, 2),
      ],
      // Test-only list conditional: a weight qualifier needs a weight or a unit.
      rules: [{ type: 'L', elements: [5, 6, 7] }],
    },
    LM: { name: 'Code Source Information', elements: [el('559', 'Agency Qualifier Code', 'M', 'ID', 2, 2)] },
    LQ: { name: 'Industry Code', elements: [el('1270', 'Code List Qualifier Code', 'O', 'ID', 1, 3), el('1271', 'Industry Code', 'X', 'AN', 1, 30)] },
    CTT: { name: 'Transaction Totals', elements: [el('354', 'Number of Line Items', 'M', 'N0', 1, 6), el('347', 'Hash Total', 'O', 'R', 1, 10)] },
    AMT: { name: 'Monetary Amount', elements: [el('522', 'Amount Qualifier Code', 'M', 'ID', 1, 3), el('782', 'Monetary Amount', 'M', 'R', 1, 18)] },
    SAC: { name: 'Service, Promotion, Allowance, or Charge Information', elements: [el('248', 'Allowance or Charge Indicator', 'M', 'ID', 1, 1), el('1300', 'Service, Promotion, Allowance, or Charge Code', 'X', 'ID', 4, 4), el('559', 'Agency Qualifier Code', 'X', 'ID', 2, 2), el('1301', 'Agency Service, Promotion, Allowance, or Charge Code', 'X', 'AN', 1, 10), el('610', 'Amount', 'O', 'N2', 1, 15)] },
    // In the dictionary but not used by the test 850: gives "segment not in set" (AK304 6).
    BSN: { name: 'Beginning Segment for Ship Notice', elements: [el('353', 'Transaction Set Purpose Code', 'M', 'ID', 2, 2), el('396', 'Shipment Identification', 'M', 'AN', 2, 30)] },
  },
};

export const spec850: TransactionSetSpec = {
  id: '850',
  name: 'Purchase Order',
  version: '004010',
  functionalGroup: 'PO',
  structure: [
    { segment: 'ST', req: 'M', max: 1 },
    { segment: 'BEG', req: 'M', max: 1 },
    { segment: 'CUR', req: 'O', max: 1 },
    { segment: 'REF', req: 'O', max: null },
    { segment: 'PER', req: 'O', max: 3 },
    { segment: 'DTM', req: 'O', max: 10 },
    { loop: 'N9', req: 'O', max: 1000, children: [{ segment: 'N9', req: 'M', max: 1 }, { segment: 'MSG', req: 'O', max: 1000 }] },
    {
      loop: 'N1', req: 'O', max: 3,
      children: [{ segment: 'N1', req: 'M', max: 1 }, { segment: 'N3', req: 'O', max: 2 }, { segment: 'REF', req: 'O', max: 12 }, { segment: 'PER', req: 'O', max: null }],
    },
    {
      loop: 'PO1', req: 'M', max: 100000,
      children: [
        { segment: 'PO1', req: 'M', max: 1 },
        { loop: 'PID', req: 'O', max: 1000, children: [{ segment: 'PID', req: 'M', max: 1 }, { segment: 'MEA', req: 'O', max: 10 }] },
        { segment: 'PO4', req: 'O', max: null },
        { segment: 'REF', req: 'O', max: null },
        { loop: 'SAC', req: 'O', max: 25, children: [{ segment: 'SAC', req: 'M', max: 1 }, { segment: 'CUR', req: 'O', max: 1 }] },
        { segment: 'DTM', req: 'O', max: 10 },
        { loop: 'N1', req: 'O', max: 200, children: [{ segment: 'N1', req: 'M', max: 1 }, { segment: 'N3', req: 'O', max: 2 }] },
        { loop: 'LM', req: 'O', max: 1000, children: [{ segment: 'LM', req: 'M', max: 1 }, { segment: 'LQ', req: 'M', max: 100 }] },
      ],
    },
    { loop: 'CTT', req: 'O', max: 1, children: [{ segment: 'CTT', req: 'M', max: 1 }, { segment: 'AMT', req: 'O', max: 1 }] },
    { segment: 'SE', req: 'M', max: 1 },
  ],
};

export interface BuildOptions {
  id?: string;
  controlNumber?: string;
  delimiters?: Delimiters;
  /** Leave the SE out and mark the set incomplete. */
  withoutSe?: boolean;
  /** Byte offset and line of the ST (as if ISA and GS came before it). */
  offset?: number;
  line?: number;
}

/**
 * A transaction set from segment texts written with the given delimiters
 * (without terminators), ST and SE added around them. Offsets and lines are
 * those of a file with one segment per line ("~\n").
 */
export function buildTx(body: readonly string[], options: BuildOptions = {}): TransactionSet {
  const d = options.delimiters ?? D4010;
  const id = options.id ?? '850';
  const control = options.controlNumber ?? '0001';
  const texts = [`ST${d.element}${id}${d.element}${control}`, ...body];
  if (!options.withoutSe) texts.push(`SE${d.element}${texts.length + 1}${d.element}${control}`);
  let offset = options.offset ?? 150;
  const line = options.line ?? 3;
  const segments: Segment[] = texts.map((text, i) => {
    const elements = text.split(d.element);
    const seg: Segment = { tag: elements[0]!.toUpperCase(), elements, offset, line: line + i, index: line - 1 + i, delimiters: d };
    offset += text.length + 2;
    return seg;
  });
  return { id, controlNumber: control, segments, complete: !options.withoutSe, findings: [] };
}

/** A valid body for the test 850: header, one party, two lines with details, totals. */
export const validBody: readonly string[] = [
  'BEG*00*SA*PO-1001**20240115',
  'REF*DP*038',
  'PER*BD*Jane Buyer*TE*5551234567',
  'DTM*002*20240201',
  'N9*ZZ*NOTE',
  'MSG*Leave at dock 4',
  'N1*ST*Main Warehouse*92*0001',
  'N3*12 Harbor Road',
  'PO1*1*12*EA*4.25**VN*ABC-1',
  'PID*F****Blue widget',
  'MEA**WT*1.5',
  'PO4*12*1*EA*CTN25',
  'PO1*2*-3.5*CA*.99**UP*012345678905',
  'SAC*C*D240***1250',
  'N1*Z7**92*STORE-12',
  'LM*AG',
  'LQ*0*ABC',
  'CTT*2*8.5',
  'AMT*TT*49.03',
];
