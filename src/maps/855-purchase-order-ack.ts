// 855 Purchase Order Acknowledgment <-> PurchaseOrderAck, both directions (004010 and 005010).
// Heading: BAK, then the shared order heading; detail: PO1 loops with their ACK
// segments; summary: CTT/AMT.
import { LINE_STATUS_NAMES, type LineAck, type PurchaseOrderAck } from '../documents/purchase-order-ack.js';
import { purposeCodeOf, purposeOf } from '../documents/purchase-order.js';
import type { Segment, TransactionSet } from '../x12/model.js';
import type { SetBounds } from '../x12/validate-bounds.js';
import type { SegmentData } from '../x12/writer.js';
import { SegmentCursor } from './shared/cursor.js';
import type { MapContext, MapResult, X12Version } from './shared/map-types.js';
import { readOrderHeading, writeOrderHeading } from './shared/order-heading.js';
import { readOrderLine, writeOrderLine } from './shared/order-line.js';
import { readOrderTotals, writeOrderTotals } from './shared/order-totals.js';
import { readProductIds, writeProductIds } from './shared/products.js';
import { MapReport } from './shared/report.js';
import { assignDefined, formatDate, formatDecimal } from './shared/values.js';

const SUMMARY = ['CTT'] as const;
/** ACK07..ACK28: eleven qualifier/id pairs. */
const ACK_ID_PAIRS = 11;

function readLineAck(seg: Segment, report: MapReport): LineAck | undefined {
  const status = report.text(seg, 1, { required: 'line item status code' });
  if (status === undefined) return undefined;
  const statusName = LINE_STATUS_NAMES[status];
  if (statusName === undefined) report.unknownCode(seg, 1, status, 'line item status code');
  return assignDefined<LineAck>({ status, statusName: statusName ?? 'unknown', productIds: readProductIds(seg, 7, ACK_ID_PAIRS, report) }, {
    quantity: report.decimal(seg, 2),
    unit: report.text(seg, 3),
    dateQualifier: report.text(seg, 4),
    date: report.date(seg, 5),
  });
}

function writeLineAck(a: LineAck): SegmentData {
  const ids = writeProductIds(a.productIds, ACK_ID_PAIRS).elements;
  return [
    'ACK', a.status, a.quantity === undefined ? undefined : formatDecimal(a.quantity), a.unit, a.dateQualifier,
    a.date === undefined ? undefined : formatDate(a.date), undefined, ...ids,
  ];
}

/** Reads an 855. The document is absent when an error finding makes it unusable. */
export function read855(tx: TransactionSet, ctx: MapContext = {}, bounds?: SetBounds): MapResult<PurchaseOrderAck> {
  const report = new MapReport(tx, ctx, bounds);
  if (tx.id !== '855') {
    report.add('MAP_WRONG_TRANSACTION_SET', `the 855 map was given a ${tx.id || 'transaction set without ST01'}`, report.at(tx.segments[0], 1), tx.id);
    return { findings: report.findings };
  }
  const cur = SegmentCursor.body(tx);
  const bak = cur.take('BAK');
  if (!bak) {
    report.missingSegment('BAK', 'beginning segment for purchase order acknowledgment', cur.peek());
    return { findings: report.findings };
  }
  const purposeCode = report.requiredText(bak, 1, 'transaction set purpose code');
  const ack: PurchaseOrderAck = {
    purpose: purposeOf(purposeCode),
    purposeCode,
    ackType: report.requiredText(bak, 2, 'acknowledgment type'),
    poNumber: report.requiredText(bak, 3, 'purchase order number'),
    poDate: report.date(bak, 4, { required: 'purchase order date' }) ?? '',
    ...readOrderHeading(cur, report, ['PO1', ...SUMMARY]),
    lines: [],
    totals: {},
  };
  assignDefined(ack, {
    releaseNumber: report.text(bak, 5),
    requestReference: report.text(bak, 6),
    contractNumber: report.text(bak, 7),
    sellerOrderNumber: report.text(bak, 8),
    ackDate: report.date(bak, 9),
  });
  if (ack.purpose === 'other' && purposeCode) report.unknownCode(bak, 1, purposeCode, 'transaction set purpose code');

  while (cur.at('PO1')) {
    const acks: LineAck[] = [];
    const line = readOrderLine(cur, report, {
      stopAt: SUMMARY,
      onOther: (seg) => {
        if (seg.tag !== 'ACK') return false;
        const a = readLineAck(seg, report);
        if (a) acks.push(a);
        return true;
      },
    });
    ack.lines.push({ ...line, acks });
  }
  ack.totals = readOrderTotals(cur, report, ack.lines);
  return report.hasErrors ? { findings: report.findings } : { document: ack, findings: report.findings };
}

/** The segments between ST and SE of an 855 for `version` (for serializeInterchange). */
export function write855(doc: PurchaseOrderAck, version: X12Version): SegmentData[] {
  const out: SegmentData[] = [[
    'BAK', purposeCodeOf(doc), doc.ackType, doc.poNumber, formatDate(doc.poDate), doc.releaseNumber,
    doc.requestReference, doc.contractNumber, doc.sellerOrderNumber, doc.ackDate === undefined ? undefined : formatDate(doc.ackDate),
  ]];
  out.push(...writeOrderHeading(doc, version, 'SE'));
  // The 855 PO1 loop has no MSG/MTX of its own: free-text line notes are written as N9 loops.
  for (const line of doc.lines) out.push(...writeOrderLine(line, version, { extra: line.acks.map(writeLineAck), bareMessages: false }));
  out.push(...writeOrderTotals(doc.totals, doc.lines.length));
  return out;
}

