// Which price of an 850 or 855 line is the document's price (docs/odoo.md#prices): PO104 when sent, else
// the CTP segment whose price identifier (CTP02) comes first in CTP_PRICE_ORDER.
import type { LinePrice, OrderLine } from '../../documents/purchase-order.js';

/**
 * CTP02 price identifiers we invoice at, most specific first: the net and contract prices are
 * what the buyer agreed to pay; promotional, cost and distributor prices next; the catalog (list)
 * price last. Retail prices (RES resale, MSR suggested retail, SLP) are the store's shelf price,
 * never ours, so they are not listed and never apply. A CTP without CTP02 comes after them all.
 */
export const CTP_PRICE_ORDER = ['NET', 'CON', 'PRP', 'UCP', 'DIS', 'CAT'] as const;

export interface DocumentPrice {
  price: number;
  /** 'PO104' or 'CTP NET' ...: where the price was read, for the timeline. */
  source: string;
}

/**
 * The line's price as the document gives it, undefined when it gives none we may use.
 * Among CTPs of the chosen identifier: only those in the line's unit (CTP05 absent or = PO103);
 * of price breaks (CTP04), the one of the largest quantity the line reaches.
 */
export function documentPrice(line: OrderLine): DocumentPrice | undefined {
  if (line.unitPrice !== undefined) return { price: line.unitPrice, source: 'PO104' };
  const usable = (line.prices ?? []).filter((c): c is LinePrice & { unitPrice: number } =>
    c.unitPrice !== undefined && (c.unit === undefined || c.unit === line.unit) && (c.quantity ?? 0) <= line.quantity);
  for (const qualifier of [...CTP_PRICE_ORDER, undefined]) {
    const candidates = usable.filter((c) => c.qualifier === qualifier);
    if (candidates.length === 0) continue;
    const best = candidates.reduce((a, b) => ((b.quantity ?? 0) > (a.quantity ?? 0) ? b : a));
    return { price: best.unitPrice, source: qualifier ? `CTP ${qualifier}` : 'CTP' };
  }
  return undefined;
}
