// 810 invoice <-> Invoice, both directions. TDS01..04, SAC05 and ITD08 carry two
// implied decimals (N2); IT102, IT104 and TXI02 are explicit decimals (R).
import type { CarrierDetails, Invoice, InvoiceLine, ShipmentSummary, Tax } from '../documents/invoice.js';
import type { Segment, TransactionSet } from '../x12/model.js';
import type { SetBounds } from '../x12/validate-bounds.js';
import type { SegmentData } from '../x12/writer.js';
import { readAllowanceCharge, readPaymentTerms, writeAllowanceCharge, writePaymentTerms } from './shared/allowances.js';
import { SegmentCursor } from './shared/cursor.js';
import type { MapContext, MapResult, X12Version } from './shared/map-types.js';
import { writeParty } from './shared/parties.js';
import { readProductIds, writeProductIds } from './shared/products.js';
import { readDateTime, readReference, writeDateTime, writeReference } from './shared/references.js';
import { quantityHashTotal } from './shared/order-totals.js';
import { MapReport } from './shared/report.js';
import { descriptionHandler, dispatchSegments, firstOnly } from './shared/segment-dispatch.js';
import { assignDefined, formatDate, formatDecimal, formatImplied, roundDecimal } from './shared/values.js';

/** IT106..IT125: ten product id pairs. */
const IT1_ID_PAIRS = 10;

const dec = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatDecimal(n));
const n2 = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatImplied(n, 2));

// ---- segments only the 810 maps -------------------------------------------------------------

export function readTax(seg: Segment, report: MapReport): Tax | undefined {
  const typeCode = report.text(seg, 1, { required: 'tax type code' });
  if (typeCode === undefined) return undefined;
  return assignDefined<Tax>({ typeCode }, {
    amount: report.decimal(seg, 2),
    percent: report.decimal(seg, 3),
    jurisdictionQualifier: report.text(seg, 4),
    jurisdictionCode: report.text(seg, 5),
    exemptCode: report.text(seg, 6),
    relationshipCode: report.text(seg, 7),
    basisAmount: report.decimal(seg, 8),
    taxId: report.text(seg, 9),
  });
}

export function writeTax(t: Tax): SegmentData {
  return ['TXI', t.typeCode, dec(t.amount), dec(t.percent), t.jurisdictionQualifier, t.jurisdictionCode, t.exemptCode, t.relationshipCode, dec(t.basisAmount), t.taxId];
}

function readCarrierDetails(seg: Segment, report: MapReport): CarrierDetails {
  return assignDefined<CarrierDetails>({}, {
    transportMethod: report.text(seg, 1),
    equipmentInitial: report.text(seg, 2),
    equipmentNumber: report.text(seg, 3),
    scac: report.text(seg, 4),
    routing: report.text(seg, 5),
    statusCode: report.text(seg, 6),
    referenceQualifier: report.text(seg, 7),
    referenceId: report.text(seg, 8),
    serviceLevel: report.text(seg, 9),
  });
}

/** CAD01 (transport method) is mandatory from 005010 on: without it the CAD cannot be written there. */
function writeCarrierDetails(c: CarrierDetails, version: X12Version): SegmentData {
  if (version === '005010' && !c.transportMethod) {
    throw new RangeError('CAD01 (carrier details transport method) is mandatory in 005010; the invoice carries none');
  }
  return ['CAD', c.transportMethod, c.equipmentInitial, c.equipmentNumber, c.scac, c.routing, c.statusCode, c.referenceQualifier, c.referenceId, c.serviceLevel];
}

function readShipmentSummary(seg: Segment, report: MapReport): ShipmentSummary {
  return assignDefined<ShipmentSummary>({}, {
    units: report.decimal(seg, 1), unit: report.text(seg, 2), weight: report.decimal(seg, 3), weightUnit: report.text(seg, 4),
  });
}

// ---- reading ------------------------------------------------------------------------------

function readLine(it1: Segment, cur: SegmentCursor, report: MapReport): InvoiceLine {
  const line: InvoiceLine = {
    quantity: report.decimal(it1, 2, { required: 'quantity invoiced' }) ?? 0,
    unit: report.requiredText(it1, 3, 'unit of measure'),
    unitPrice: report.decimal(it1, 4, { required: 'unit price' }) ?? 0,
    productIds: readProductIds(it1, 6, IT1_ID_PAIRS, report),
    references: [], dates: [], allowancesCharges: [], taxes: [],
  };
  assignDefined(line, { lineNumber: report.text(it1, 1), priceBasis: report.text(it1, 5) });
  const where = `the IT1 loop of line ${line.lineNumber ?? '?'}`;
  dispatchSegments(cur, report, where, {
    PID: descriptionHandler(report, where, () => line.description, (text) => { line.description = text; }),
    REF: (s) => { const r = readReference(s, report); if (r) line.references.push(r); },
    DTM: (s) => { const d = readDateTime(s, report); if (d) line.dates.push(d); },
    SAC: (s) => { const a = readAllowanceCharge(s, report); if (a) line.allowancesCharges.push(a); },
    // A TXI after a SAC belongs to that SAC's loop; the document keeps one tax list per line.
    TXI: (s) => { const t = readTax(s, report); if (t) line.taxes.push(t); },
  }, { stopAt: ['IT1', 'TDS', 'CTT'] });
  return line;
}

function checkTotals(doc: Invoice, ctt: Segment, report: MapReport): void {
  const { lineCount, hashTotal } = doc.totals;
  if (lineCount !== undefined && lineCount !== doc.lines.length) {
    report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT01 is ${lineCount}, but the invoice has ${doc.lines.length} IT1 lines`, report.at(ctt, 1), String(lineCount));
  }
  const quantity = quantityHashTotal(doc.lines);
  if (hashTotal !== undefined && roundDecimal(hashTotal, 6) !== quantity) {
    report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT02 is ${hashTotal}, but the quantities invoiced (IT102) add up to ${quantity}`, report.at(ctt, 2), String(hashTotal));
  }
}

/** Reads an 810 transaction set into an Invoice; the document is absent when an error finding makes it unusable. */
export function read810(tx: TransactionSet, ctx: MapContext = {}, bounds?: SetBounds): MapResult<Invoice> {
  const report = new MapReport(tx, ctx, bounds);
  if (tx.id !== '810') {
    report.add('MAP_WRONG_TRANSACTION_SET', `the 810 map was given a ${tx.id} transaction set`, report.at(tx.segments[0]));
    return { findings: report.findings };
  }
  const cur = SegmentCursor.body(tx);
  const big = cur.take('BIG');
  if (!big) {
    report.missingSegment('BIG', 'beginning segment for invoice', cur.peek());
    return { findings: report.findings };
  }
  const doc: Invoice = {
    invoiceDate: report.date(big, 1, { required: 'invoice date' }) ?? '',
    invoiceNumber: report.requiredText(big, 2, 'invoice number'),
    references: [], parties: [], terms: [], dates: [], lines: [], totals: { amount: 0 }, taxes: [], allowancesCharges: [], shipmentSummary: [],
  };
  assignDefined(doc, {
    poDate: report.date(big, 3),
    poNumber: report.text(big, 4),
    releaseNumber: report.text(big, 5),
    changeOrderSequence: report.text(big, 6),
    transactionType: report.text(big, 7),
    purposeCode: report.text(big, 8),
  });

  // Heading
  dispatchSegments(cur, report, 'the heading', {
    CUR: firstOnly(report, 'the heading', (s) => { doc.currency = report.text(s, 2, { required: 'currency code' }); }),
    REF: (s) => { const r = readReference(s, report); if (r) doc.references.push(r); },
    ITD: (s) => doc.terms.push(readPaymentTerms(s, report)),
    DTM: (s) => { const d = readDateTime(s, report); if (d) doc.dates.push(d); },
  }, { stopAt: ['IT1', 'TDS', 'CTT'], parties: doc.parties });

  // Detail
  while (cur.at('IT1')) doc.lines.push(readLine(cur.next()!, cur, report));

  // Summary
  const tds = cur.take('TDS');
  if (!tds) report.missingSegment('TDS', 'total monetary value summary', cur.peek());
  else {
    doc.totals.amount = report.implied(tds, 1, 2, { required: 'total invoice amount' }) ?? 0;
    assignDefined(doc.totals, {
      amountSubjectToDiscount: report.implied(tds, 2, 2),
      discountedAmountDue: report.implied(tds, 3, 2),
      termsDiscountAmount: report.implied(tds, 4, 2),
    });
  }
  let ctt: Segment | undefined;
  dispatchSegments(cur, report, 'the summary', {
    // Summary TXI and the TXI of a SAC loop are kept in one list.
    TXI: (s) => { const t = readTax(s, report); if (t) doc.taxes.push(t); },
    CAD: firstOnly(report, 'the summary', (s) => { doc.carrierDetails = readCarrierDetails(s, report); }),
    SAC: (s) => { const a = readAllowanceCharge(s, report); if (a) doc.allowancesCharges.push(a); },
    ISS: (s) => doc.shipmentSummary.push(readShipmentSummary(s, report)),
    CTT: firstOnly(report, 'the summary', (s) => {
      ctt = s;
      assignDefined(doc.totals, { lineCount: report.decimal(s, 1), hashTotal: report.decimal(s, 2) });
    }),
  });
  if (ctt) checkTotals(doc, ctt, report);
  return report.hasErrors ? { findings: report.findings } : { document: doc, findings: report.findings };
}

// ---- writing ------------------------------------------------------------------------------

function writeLine(line: InvoiceLine): SegmentData[] {
  const { elements, dropped } = writeProductIds(line.productIds, IT1_ID_PAIRS);
  if (dropped.length > 0) {
    throw new RangeError(`IT1 of line ${line.lineNumber ?? '?'}: ${dropped.length} product id(s) do not fit in ${IT1_ID_PAIRS} qualifier/id pairs`);
  }
  // IT1 loop order: IT1, TXI, PID, REF, DTM, SAC.
  const out: SegmentData[] = [['IT1', line.lineNumber, formatDecimal(line.quantity), line.unit, formatDecimal(line.unitPrice), line.priceBasis, ...elements]];
  for (const t of line.taxes) out.push(writeTax(t));
  if (line.description !== undefined) out.push(['PID', 'F', undefined, undefined, undefined, line.description]);
  for (const r of line.references) out.push(writeReference(r));
  for (const d of line.dates) out.push(writeDateTime(d));
  for (const a of line.allowancesCharges) out.push(writeAllowanceCharge(a));
  return out;
}

/** The segments between ST and SE of an 810 for `doc`. */
export function write810(doc: Invoice, version: X12Version): SegmentData[] {
  const out: SegmentData[] = [[
    'BIG', formatDate(doc.invoiceDate), doc.invoiceNumber, doc.poDate === undefined ? undefined : formatDate(doc.poDate),
    doc.poNumber, doc.releaseNumber, doc.changeOrderSequence, doc.transactionType, doc.purposeCode,
  ]];
  if (doc.currency !== undefined) out.push(['CUR', 'SE', doc.currency]);
  for (const r of doc.references) out.push(writeReference(r));
  for (const p of doc.parties) out.push(...writeParty(p, version));
  for (const t of doc.terms) out.push(writePaymentTerms(t));
  for (const d of doc.dates) out.push(writeDateTime(d));
  for (const line of doc.lines) out.push(...writeLine(line));
  const t = doc.totals;
  out.push(['TDS', formatImplied(t.amount, 2), n2(t.amountSubjectToDiscount), n2(t.discountedAmountDue), n2(t.termsDiscountAmount)]);
  for (const tax of doc.taxes) out.push(writeTax(tax));
  if (doc.carrierDetails) out.push(writeCarrierDetails(doc.carrierDetails, version));
  for (const a of doc.allowancesCharges) out.push(writeAllowanceCharge(a));
  for (const s of doc.shipmentSummary) out.push(['ISS', dec(s.units), s.unit, dec(s.weight), s.weightUnit]);
  const hash = t.hashTotal ?? (doc.lines.length > 0 ? doc.lines.reduce((sum, l) => sum + l.quantity, 0) : undefined);
  out.push(['CTT', String(t.lineCount ?? doc.lines.length), dec(hash)]);
  return out;
}
