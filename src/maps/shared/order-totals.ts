// The summary the 850 and 855 share: CTT (line count, hash total) and AMT*TT, with a
// warning when the totals the partner sent do not match the lines read.
import type { OrderLine, OrderTotals } from '../../documents/purchase-order.js';
import type { SegmentData } from '../../x12/writer.js';
import type { SegmentCursor } from './cursor.js';
import type { MapReport } from './report.js';
import { formatDecimal, roundDecimal } from './values.js';

/** Sum of the line quantities: what CTT02 usually holds. */
export function quantityHashTotal(lines: readonly Pick<OrderLine, 'quantity'>[]): number {
  return roundDecimal(lines.reduce((sum, l) => sum + l.quantity, 0), 6);
}

/** Reads CTT and AMT (and reports whatever else follows as ignored) to the end of the set. */
export function readOrderTotals(cur: SegmentCursor, report: MapReport, lines: readonly Pick<OrderLine, 'quantity'>[]): OrderTotals {
  const totals: OrderTotals = {};
  while (!cur.done) {
    const seg = cur.next()!;
    if (seg.tag === 'CTT' && totals.lineCount === undefined) {
      const count = report.decimal(seg, 1, { required: 'number of line items' });
      const hash = report.decimal(seg, 2);
      if (count !== undefined) {
        totals.lineCount = count;
        if (count !== lines.length) {
          report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT01 says ${count} line items, the order has ${lines.length} PO1 lines`, report.at(seg, 1), String(count));
        }
      }
      if (hash !== undefined) {
        totals.hashTotal = hash;
        const sum = quantityHashTotal(lines);
        // Some partners hash other values; a warning lets a person judge.
        if (roundDecimal(hash, 6) !== sum) {
          report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT02 hash total ${hash} is not the sum of the line quantities (${sum})`, report.at(seg, 2), String(hash));
        }
      }
    } else if (seg.tag === 'AMT' && report.text(seg, 1) === 'TT' && totals.amount === undefined) {
      const amount = report.decimal(seg, 2, { required: 'total amount' });
      if (amount !== undefined) totals.amount = amount;
    } else {
      report.ignored(seg, 'the summary');
    }
  }
  return totals;
}

/**
 * CTT (with CTT01 = the number of lines when the document does not say) and AMT*TT.
 * CTT is left out only for a document without lines and without totals: AMT sits in the
 * CTT loop, so it cannot be sent without a CTT.
 */
export function writeOrderTotals(totals: OrderTotals, lineCount: number): SegmentData[] {
  const out: SegmentData[] = [];
  const needed = lineCount > 0 || totals.hashTotal !== undefined || totals.amount !== undefined;
  const count = totals.lineCount ?? (needed ? lineCount : undefined);
  if (count !== undefined) {
    out.push(['CTT', formatDecimal(count), totals.hashTotal === undefined ? undefined : formatDecimal(totals.hashTotal)]);
  }
  if (totals.amount !== undefined) out.push(['AMT', 'TT', formatDecimal(totals.amount)]);
  return out;
}
