// What one order of a ship notice puts on the dock: (item, quantity, lot, SSCC) rows, whatever the
// hierarchy (S/O/I, S/O/P/I, S/O/T/P/I, S/O/I/P). Pure.
import type { ShipNoticeItem, ShipNoticeOrder } from '../../documents/ship-notice.js';

export interface ShippedRow {
  item: ShipNoticeItem;
  quantity: number;
  lot?: string;
  /** The SSCC-18 of the carton (or pallet) it travels in. */
  sscc?: string;
}

export function shippedRows(order: ShipNoticeOrder): ShippedRow[] {
  const rows: ShippedRow[] = [];
  const add = (item: ShipNoticeItem, sscc: string | undefined) => {
    if (sscc === undefined && item.packs.length > 0) {
      // S/O/I/P: the item's cartons follow it; the shipped quantity is spread over them evenly
      // (an SN1 per carton is not sent in this structure), the remainder in the last.
      const cartons = item.packs;
      const each = Math.floor(item.quantityShipped / cartons.length);
      cartons.forEach((p, i) => {
        const quantity = i === cartons.length - 1 ? item.quantityShipped - each * (cartons.length - 1) : each;
        if (quantity > 0) rows.push(row(item, quantity, p.sscc));
      });
      return;
    }
    rows.push(row(item, item.quantityShipped, sscc));
  };
  for (const item of order.items) add(item, undefined);
  for (const pack of order.packs) for (const item of pack.items) add(item, pack.sscc);
  for (const tare of order.tares) {
    for (const item of tare.items) add(item, tare.sscc);
    for (const pack of tare.packs) for (const item of pack.items) add(item, pack.sscc ?? tare.sscc);
  }
  return rows;
}

function row(item: ShipNoticeItem, quantity: number, sscc: string | undefined): ShippedRow {
  const lot = item.lots[0]?.number;
  return { item, quantity, ...(lot ? { lot } : {}), ...(sscc ? { sscc } : {}) };
}
