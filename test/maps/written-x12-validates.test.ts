// What the maps write must pass our own validation, in both versions, and read back
// to the same canonical document: for every sample under samples/ (X12 -> canonical ->
// X12 -> canonical), and for the other version too (004010 <-> 005010).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvoiceSchema } from '../../src/documents/invoice.js';
import { PurchaseOrderAckSchema, type PurchaseOrderAck } from '../../src/documents/purchase-order-ack.js';
import { PurchaseOrderSchema } from '../../src/documents/purchase-order.js';
import { ShipNoticeSchema, type ShipNotice } from '../../src/documents/ship-notice.js';
import type { Finding } from '../../src/errors/finding.js';
import { examineFile } from '../../src/inbound/examine.js';
import { mapFor, type CanonicalDocument } from '../../src/maps/registry.js';
import type { X12Version } from '../../src/maps/shared/map-types.js';
import { allFindings, readX12 } from '../../src/x12/reader.js';
import { functionalGroupFor, getSegmentDictionary, getTransactionSetSpec, specVersion } from '../../src/x12/specs.js';
import { validateTransaction } from '../../src/x12/validate.js';
import { defaultDelimiters, serializeInterchange, type SegmentData } from '../../src/x12/writer.js';

const SAMPLES = join(import.meta.dirname, '../../samples');

function ediFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ediFiles(path);
    return name.endsWith('.edi') ? [relative(SAMPLES, path)] : [];
  });
}

const files = ediFiles(SAMPLES);

/** The error findings, as readable lines (a failing assertion then says what broke). */
const errors = (findings: readonly Finding[]): string[] =>
  findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.location.segmentTag ?? ''}${f.location.elementPosition ?? ''} @${f.location.segmentPosition ?? '?'}: ${f.message}`);

const otherVersion = (v: X12Version): X12Version => (v === '004010' ? '005010' : '004010');

/** One transaction set of a sample that has a map: its set id, version and what reading it gave. */
interface MappedSample {
  setId: string;
  version: X12Version;
  /** Mapped here even when the sample breaks the spec, so the writers are tested on their own. */
  document?: CanonicalDocument;
  findings: Finding[];
}

function mappedSets(file: string): MappedSample[] {
  const read = readX12(readFileSync(join(SAMPLES, file)), { file });
  return read.interchanges.flatMap((ic) => ic.groups.flatMap((g) => g.transactions.flatMap((tx): MappedSample[] => {
    const map = mapFor(tx.id);
    const version = specVersion(g.header.version);
    if (!map || !version) return [];
    const { document, findings } = map.read(tx, { file });
    return [document ? { setId: tx.id, version, document, findings } : { setId: tx.id, version, findings }];
  })));
}

/** Writes `body` as the one set of an interchange in `version`, as the gateway would send it. */
function interchangeText(setId: string, body: readonly SegmentData[], version: X12Version): string {
  const isaVersion = version === '005010' ? '00501' : '00401';
  return serializeInterchange({
    header: {
      senderQualifier: 'ZZ', senderId: 'ACMEDIST', receiverQualifier: 'ZZ', receiverId: 'PARTNER',
      date: '261201', time: '0800', version: isaVersion, controlNumber: 4242, usage: 'T',
    },
    groups: [{
      functionalId: functionalGroupFor(setId) ?? 'ZZ', senderId: 'ACMEDIST', receiverId: 'PARTNER', date: '20261201', time: '0800',
      controlNumber: '4242', version, transactions: [{ id: setId, controlNumber: '0001', body }],
    }],
  }, { delimiters: defaultDelimiters(isaVersion), lineBreak: '\n' });
}

/** 004010 has no N407: the subdivision of an address does not survive a trip through it. */
function withoutSubdivisions<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSubdivisions) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'subdivision').map(([k, v]) => [k, withoutSubdivisions(v)])) as T;
}

interface Written {
  text: string;
  /** Envelope, validation and mapping findings of the written set, in that order. */
  findings: Finding[];
  document?: CanonicalDocument;
}

/** Writes a document in `version`, reads it back, validates it against the specs and maps it again. */
function writeAndCheck(setId: string, document: CanonicalDocument, version: X12Version): Written {
  const map = mapFor(setId)!;
  const text = interchangeText(setId, map.write(document, version), version);
  const read = readX12(text, { file: 'written.edi' });
  const tx = read.interchanges[0]?.groups[0]?.transactions[0];
  if (!tx) throw new Error(`the written ${setId} holds no transaction set`);
  const spec = getTransactionSetSpec(version, setId);
  if (!spec) throw new Error(`no ${version} spec for ${setId}`);
  const validation = validateTransaction(tx, spec, getSegmentDictionary(version), { file: 'written.edi' });
  const mapped = map.read(tx, { file: 'written.edi' });
  const result: Written = { text, findings: [...allFindings(read), ...validation, ...mapped.findings] };
  if (mapped.document) result.document = mapped.document;
  return result;
}

describe('samples', () => {
  it('are found in both versions, for every mapped set', () => {
    const sets = files.flatMap(mappedSets);
    for (const version of ['004010', '005010'] as const) {
      expect(new Set(sets.filter((s) => s.version === version).map((s) => s.setId))).toEqual(new Set(['850', '855', '856', '810']));
    }
  });

  it.each(files)('%s validates without errors', (file) => {
    const exam = examineFile(readFileSync(join(SAMPLES, file)), { file });
    expect(errors(exam.findings)).toEqual([]);
  });
});

describe.each(files.filter((f) => mappedSets(f).length > 0))('%s', (file) => {
  const sets = mappedSets(file);

  it('maps without errors', () => {
    for (const s of sets) {
      expect(errors(s.findings)).toEqual([]);
      expect(s.document).toBeDefined();
    }
  });

  it('written back in its own version: valid X12, the same document, the same X12', () => {
    for (const s of sets) {
      if (!s.document) throw new Error(`${file}: no document to write`);
      const first = writeAndCheck(s.setId, s.document, s.version);
      expect(errors(first.findings)).toEqual([]);
      expect(first.document).toEqual(s.document);
      // Writing is deterministic: the document read back writes the same text.
      expect(writeAndCheck(s.setId, first.document!, s.version).text).toBe(first.text);
    }
  });

  it('written in the other version: valid X12, the same document (less N407 in 004010), and back again', () => {
    for (const s of sets) {
      if (!s.document) throw new Error(`${file}: no document to write`);
      const other = otherVersion(s.version);
      const there = writeAndCheck(s.setId, s.document, other);
      expect(errors(there.findings)).toEqual([]);
      expect(there.document).toEqual(other === '004010' ? withoutSubdivisions(s.document) : s.document);
      const back = writeAndCheck(s.setId, there.document!, s.version);
      expect(errors(back.findings)).toEqual([]);
      expect(back.document).toEqual(there.document);
    }
  });
});

// ---- documents built as the ERP would: every field the maps write, in both versions ----

const date = (qualifier: string, day: number, time?: string) => ({ qualifier, date: `2026-12-${String(day).padStart(2, '0')}`, ...(time ? { time } : {}) });

const usParty = {
  role: 'ship_to', entityCode: 'ST', name: 'NORTHWIND DC 2', names: ['RECEIVING', 'DOOR 4'], ids: { gln: '0614141000036' },
  address: { lines: ['1200 INDUSTRIAL PKWY', 'BLDG C'], city: 'COLUMBUS', state: 'OH', postalCode: '43219', country: 'US' },
  references: [{ qualifier: 'DK', value: 'DOCK 4' }],
  contacts: [{ function: 'IC', name: 'DOCK OFFICE', phone: '6145550100', email: 'DOCK@NORTHWIND.EXAMPLE', fax: '6145550101' }],
};
/** A Canadian address with its province as the 005010 subdivision (N407), which 004010 cannot carry. */
const caParty = {
  role: 'ship_from', entityCode: 'SF', name: 'ACME SUPPLY WINDSOR', ids: { duns: '123456789' },
  address: { lines: ['55 MAKER ST'], city: 'WINDSOR', postalCode: 'N9A 1A1', country: 'CA', subdivision: 'ON' },
};
const productIds = { buyerPart: 'NW-1', vendorPart: 'AC-1', upc: '012345678905', gtin: '10012345678902', ean: '4006381333931', sku: 'SKU-1', other: [{ qualifier: 'MG', value: 'MFR-1' }] };
const allowance = { indicator: 'allowance', code: 'C310', amount: 12.5, percentQualifier: '3', percent: 2, handling: '02', description: 'PROMOTION' };
const charge = { indicator: 'charge', code: 'D240', amount: 45, rate: 1.5, unit: 'EA', quantity: 30, handling: '06', reference: 'FRT-1', description: 'FREIGHT' };

const orderFields = {
  purpose: 'original', releaseNumber: 'R-1', poDate: '2026-12-01', contractNumber: 'CTR-9', currency: 'USD',
  references: [{ qualifier: 'DP', value: '042', description: 'DRY GROCERY' }, { qualifier: 'IA', value: 'VEND4471' }],
  contacts: [{ function: 'BD', name: 'DANA WHITFIELD', phone: '5135550142', email: 'DW@FRESHMART.EXAMPLE' }],
  dates: [date('002', 10), date('010', 8, '08:00')],
  parties: [usParty, caParty],
  terms: [{ typeCode: '01', basisDateCode: '3', discountPercent: 2, discountDays: 10, netDays: 30, description: '2% 10 NET 30' }],
  carriers: [{ routingSequence: 'O', idQualifier: '2', scac: 'FMLX', transportMethod: 'M', routing: 'FRESHMART LOGISTICS', serviceLevel: 'SG' }],
  allowancesCharges: [allowance, charge],
  notes: [{ qualifier: 'L1', reference: 'SPECIAL INSTRUCTIONS', dates: [date('002', 10)], messages: ['DELIVER TO DOCK 4', 'PALLETS MAX 60 INCHES'] }],
};
const orderLine = {
  lineNumber: '1', quantity: 12, unit: 'CA', unitPrice: 18.75, priceBasis: 'PE', productIds,
  description: 'ORGANIC ROLLED OATS 42OZ', descriptions: [{ type: 'F', characteristic: '73', text: 'BLUE' }],
  pack: { pack: 12, size: 42, unit: 'OZ', packaging: 'CTN25' },
  references: [{ qualifier: 'PD', value: 'PROMO-7' }], dates: [date('002', 10)], allowancesCharges: [allowance],
  notes: [{ qualifier: 'ZZ', reference: 'LINE NOTE', dates: [], messages: ['KEEP DRY'] }],
  parties: [{ ...usParty, role: 'mark_for', entityCode: 'Z7', name: 'STORE 118' }],
};

const purchaseOrder = PurchaseOrderSchema.parse({
  ...orderFields, purposeCode: '00', orderType: 'SA', poNumber: 'PO-4500012345',
  lines: [
    // 850 lines carry free text as bare MSG (004010) / MTX (005010).
    { ...orderLine, notes: [{ dates: [], messages: ['HANDLE WITH CARE'] }, ...orderLine.notes] },
    { lineNumber: '2', quantity: 2.5, unit: 'LB', productIds: { upc: '012345678912' } },
  ],
  totals: { lineCount: 2, hashTotal: 14.5, amount: 270.31 },
});

const purchaseOrderAck = PurchaseOrderAckSchema.parse({
  ...orderFields, purposeCode: '00', ackType: 'AC', poNumber: 'PO-4500012345', requestReference: 'REQ-1', sellerOrderNumber: 'SO-88123', ackDate: '2026-12-02',
  lines: [{
    ...orderLine,
    // The 855 PO1 loop has no bare MSG/MTX: free text goes out as an N9 loop.
    notes: [{ dates: [], messages: ['HANDLE WITH CARE'] }, ...orderLine.notes],
    acks: [
      { status: 'IQ', statusName: 'item accepted, quantity changed', quantity: 10, unit: 'CA', dateQualifier: '068', date: '2026-12-09', productIds: { vendorPart: 'AC-1' } },
      { status: 'IB', statusName: 'item backordered', quantity: 2, unit: 'CA', dateQualifier: '068', date: '2026-12-20', productIds: {} },
    ],
  }],
  totals: { lineCount: 1, hashTotal: 12, amount: 225 },
});

/** An 855 rejecting the whole order: no lines, but a total amount (AMT needs its CTT). */
const rejectionWithAmount = PurchaseOrderAckSchema.parse({
  purpose: 'original', purposeCode: '00', ackType: 'RJ', poNumber: 'PO-4500012399', poDate: '2026-12-01', totals: { amount: 0 },
  notes: [{ qualifier: 'L1', reference: 'REJECT REASON', messages: ['ACCOUNT ON CREDIT HOLD'] }],
});

const shippedItem = (line: string, quantity: number) => ({
  lineNumber: line, productIds: { buyerPart: `NW-${line}`, vendorPart: `AC-${line}`, other: [{ qualifier: 'MG', value: `MFR-${line}` }] },
  quantityShipped: quantity, unit: 'EA', quantityShippedToDate: quantity, quantityOrdered: quantity + 2, orderedUnit: 'EA', status: 'IB',
  lots: [{ number: `L-${line}`, source: 'LIN' }, { number: `B-${line}`, source: 'REF' }], description: `ITEM ${line}`,
  references: [{ qualifier: 'PD', value: `PROMO-${line}` }], dates: [date('036', 31)],
});
const container = (sscc: string) => ({
  sscc, marks: [{ qualifier: 'CP', value: `1Z${sscc.slice(-8)}` }], lading: { packagingCode: 'CTN25', quantity: 1, weightQualifier: 'G', weight: 12.5, weightUnit: 'LB' },
  references: [{ qualifier: 'LS', value: `LBL-${sscc.slice(-4)}` }], dates: [date('011', 4)],
});

const shipNotice = ShipNoticeSchema.parse({
  purposeCode: '00', shipmentId: 'SHP-1', shipDate: '2026-12-04', shipTime: '14:30:15',
  // More dates than the S level holds: the first ones travel in the heading.
  dates: Array.from({ length: 12 }, (_, i) => date('011', i + 1)),
  billOfLading: 'BOL-1', proNumber: 'PRO-1', references: [{ qualifier: 'IA', value: 'VEND4471' }],
  carrier: { routingSequence: 'B', idQualifier: '2', scac: 'ODFL', transportMethod: 'M', routing: 'OLD DOMINION', serviceLevel: '3D' },
  equipment: { typeCode: 'TL', initial: 'ODFL', number: '482211', sealNumber: 'SEAL99123' },
  lading: { packagingCode: 'PLT94', quantity: 1, weightQualifier: 'G', weight: 612, weightUnit: 'LB', volume: 2.5, volumeUnit: 'CR' },
  parties: [usParty, caParty],
  orders: [
    {
      poNumber: 'PO-1', releaseNumber: 'R-1', changeOrderSequence: '2', poDate: '2026-12-01',
      references: [{ qualifier: 'DP', value: '042' }], dates: [date('004', 1)], parties: [{ ...usParty, role: 'buyer', entityCode: 'BY' }],
      lading: { packagingCode: 'CTN25', quantity: 3 },
      tares: [{ ...container('006141410050000017'), packs: [{ ...container('006141410050000024'), items: [shippedItem('1', 48)] }], items: [shippedItem('2', 6)] }],
      packs: [{ ...container('006141410050000031'), items: [shippedItem('3', 24.5)] }],
    },
    // A second order in another shape (items with their cartons): no single BSN05 fits, so none is written.
    { poNumber: 'PO-2', items: [{ ...shippedItem('1', 10), packs: [container('006141410050000048')] }] },
  ],
});

const invoice = InvoiceSchema.parse({
  invoiceNumber: 'INV-1', invoiceDate: '2026-12-05', poDate: '2026-12-01', poNumber: 'PO-4500012345', releaseNumber: 'R-1', changeOrderSequence: '2',
  transactionType: 'DI', purposeCode: '00', currency: 'USD',
  references: [{ qualifier: 'IA', value: 'VEND4471' }, { qualifier: 'BM', value: 'BOL-1' }],
  parties: [{ ...usParty, role: 'bill_to', entityCode: 'BT' }, { ...caParty, role: 'remit_to', entityCode: 'RI' }],
  terms: [{ typeCode: '08', basisDateCode: '3', discountPercent: 2, discountDueDate: '2026-12-15', discountDays: 10, netDueDate: '2027-01-04', netDays: 30, discountAmount: 8.52, description: '2% 10 NET 30' }],
  dates: [date('011', 4, '16:15')],
  lines: [
    {
      lineNumber: '1', quantity: 24, unit: 'EA', unitPrice: 12.5, priceBasis: 'PE', productIds, description: 'WIDGET, STAINLESS',
      references: [{ qualifier: 'PK', value: 'PL-1' }], dates: [date('050', 6)], allowancesCharges: [allowance],
      taxes: [{ typeCode: 'ST', amount: 24.75, percent: 8.25, jurisdictionQualifier: 'SP', jurisdictionCode: 'OH', relationshipCode: 'A', basisAmount: 300, taxId: 'OH-123' }],
    },
    { lineNumber: '2', quantity: -1, unit: 'BX', unitPrice: 31.2, productIds: { buyerPart: 'NW-2' } },
  ],
  totals: { amount: 317.05, amountSubjectToDiscount: 300, discountedAmountDue: 310.75, termsDiscountAmount: 6.3, lineCount: 2, hashTotal: 23 },
  taxes: [{ typeCode: 'GS', amount: 15, percent: 5 }, { typeCode: 'LT', exemptCode: '2' }],
  carrierDetails: { transportMethod: 'M', equipmentInitial: 'ODFL', equipmentNumber: '482211', scac: 'ODFL', routing: 'OLD DOMINION', statusCode: 'CC', referenceQualifier: 'BM', referenceId: 'BOL-1', serviceLevel: '3D' },
  allowancesCharges: [charge],
  shipmentSummary: [{ units: 26, unit: 'EA', weight: 42.5, weightUnit: 'LB' }],
});

const built: [string, string, CanonicalDocument][] = [
  ['850', 'purchase order with every field', purchaseOrder],
  ['855', 'acknowledgment with every field', purchaseOrderAck],
  ['855', 'rejection without lines but with a total amount', rejectionWithAmount],
  ['856', 'ship notice with every field, pallets, cartons, a mixed shape and 12 dates', shipNotice],
  ['810', 'invoice with every field', invoice],
];

describe.each(built)('%s %s', (setId, _name, document) => {
  it.each(['004010', '005010'] as const)('writes valid %s X12 that reads back to the same document', (version) => {
    const written = writeAndCheck(setId, document, version);
    expect(errors(written.findings)).toEqual([]);
    expect(written.findings.filter((f) => f.code === 'MAP_SEGMENT_IGNORED')).toEqual([]);
    expect(written.document).toEqual(read(setId, document, version));
  });
});

/** What a document reads back as after being written in `version`: the normalizations the maps make, spelled out. */
function read(setId: string, document: CanonicalDocument, version: X12Version): CanonicalDocument {
  let expected: CanonicalDocument = version === '004010' ? withoutSubdivisions(document) : structuredClone(document);
  if (setId === '856') {
    const sn = expected as ShipNotice;
    // The document has no CTT: CTT01 counts the 11 HL segments, CTT02 adds up SN102 (48 + 6 + 24.5 + 10).
    expected = { ...sn, totals: { lineCount: 11, hashTotal: 88.5 } };
  }
  if (setId === '855') {
    // Free-text line notes come back as the N9*L1*NOTES loop they were written as.
    const ack = expected as PurchaseOrderAck;
    expected = { ...ack, lines: ack.lines.map((l) => ({ ...l, notes: l.notes.map((n) => (n.qualifier === undefined ? { qualifier: 'L1', reference: 'NOTES', ...n } : n)) })) };
  }
  if (setId === '855' && (document as PurchaseOrderAck).lines.length === 0) {
    // CTT01 written for the AMT reads back as a count of zero lines.
    expected = { ...(expected as PurchaseOrderAck), totals: { ...(expected as PurchaseOrderAck).totals, lineCount: 0 } };
  }
  return expected;
}
