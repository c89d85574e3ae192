// 850 Purchase Order <-> PurchaseOrder, both directions (004010 and 005010).
// Heading: BEG, then the shared order heading; detail: PO1 loops; summary: CTT/AMT.
import { purposeCodeOf, purposeOf, type PurchaseOrder } from '../documents/purchase-order.js';
import type { TransactionSet } from '../x12/model.js';
import type { SetBounds } from '../x12/validate-bounds.js';
import type { SegmentData } from '../x12/writer.js';
import { SegmentCursor } from './shared/cursor.js';
import type { MapContext, MapResult, X12Version } from './shared/map-types.js';
import { readOrderHeading, writeOrderHeading } from './shared/order-heading.js';
import { readOrderLine, writeOrderLine } from './shared/order-line.js';
import { readOrderTotals, writeOrderTotals } from './shared/order-totals.js';
import { MapReport } from './shared/report.js';
import { assignDefined, formatDate } from './shared/values.js';

const SUMMARY = ['CTT'] as const;
const HEADING_ENDS = ['PO1', ...SUMMARY];
const LINE_OPTIONS = { stopAt: SUMMARY };

/** Reads an 850. The document is absent when an error finding makes it unusable. */
export function read850(tx: TransactionSet, ctx: MapContext = {}, bounds?: SetBounds): MapResult<PurchaseOrder> {
  const report = new MapReport(tx, ctx, bounds);
  if (tx.id !== '850') {
    report.add('MAP_WRONG_TRANSACTION_SET', `the 850 map was given a ${tx.id || 'transaction set without ST01'}`, report.at(tx.segments[0], 1), tx.id);
    return { findings: report.findings };
  }
  const cur = SegmentCursor.body(tx);
  const beg = cur.take('BEG');
  if (!beg) {
    report.missingSegment('BEG', 'beginning segment for purchase order', cur.peek());
    return { findings: report.findings };
  }
  const purposeCode = report.requiredText(beg, 1, 'transaction set purpose code');
  const po = {
    purpose: purposeOf(purposeCode),
    purposeCode,
    orderType: report.requiredText(beg, 2, 'purchase order type code'),
    poNumber: report.requiredText(beg, 3, 'purchase order number'),
    poDate: report.date(beg, 5, { required: 'purchase order date' }) ?? '',
  } as PurchaseOrder;
  // The heading's fields one by one (no object spread), in the order a spread would give.
  const h = readOrderHeading(cur, report, HEADING_ENDS);
  po.references = h.references;
  po.contacts = h.contacts;
  po.dates = h.dates;
  po.parties = h.parties;
  po.terms = h.terms;
  po.carriers = h.carriers;
  po.allowancesCharges = h.allowancesCharges;
  po.notes = h.notes;
  if (h.currency !== undefined) po.currency = h.currency;
  po.lines = [];
  po.totals = {};
  assignDefined(po, { releaseNumber: report.text(beg, 4), contractNumber: report.text(beg, 6) });
  if (po.purpose === 'other' && purposeCode) report.unknownCode(beg, 1, purposeCode, 'transaction set purpose code');

  while (cur.peekTag() === 'PO1') po.lines.push(readOrderLine(cur, report, LINE_OPTIONS));
  // An 850 needs at least one PO1; a cancellation may come without lines.
  if (po.lines.length === 0 && po.purpose !== 'cancellation') {
    report.missingSegment('PO1', 'baseline item data: the order has no lines', cur.peek());
  }
  po.totals = readOrderTotals(cur, report, po.lines);
  return report.hasErrors ? { findings: report.findings } : { document: po, findings: report.findings };
}

/** The segments between ST and SE of an 850 for `version` (for serializeInterchange). */
export function write850(doc: PurchaseOrder, version: X12Version): SegmentData[] {
  const out: SegmentData[] = [[
    'BEG', purposeCodeOf(doc), doc.orderType, doc.poNumber, doc.releaseNumber, formatDate(doc.poDate), doc.contractNumber,
  ]];
  out.push(...writeOrderHeading(doc, version, 'BY'));
  for (const line of doc.lines) out.push(...writeOrderLine(line, version));
  out.push(...writeOrderTotals(doc.totals, doc.lines.length));
  return out;
}
