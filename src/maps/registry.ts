// The maps by transaction set id: what the pipeline, the CLI and the benchmark use to
// turn any supported set into its canonical document and back.
import type { z } from 'zod';
import type { TransactionSet } from '../x12/model.js';
import type { SetBounds } from '../x12/validate-bounds.js';
import type { SegmentData } from '../x12/writer.js';
import type { MapContext, MapResult, X12Version } from './shared/map-types.js';
import { read850, write850 } from './850-purchase-order.js';
import { read855, write855 } from './855-purchase-order-ack.js';
import { read856, write856 } from './856-ship-notice.js';
import { read810, write810 } from './810-invoice.js';
import { PurchaseOrderSchema, type PurchaseOrder } from '../documents/purchase-order.js';
import { PurchaseOrderAckSchema, type PurchaseOrderAck } from '../documents/purchase-order-ack.js';
import { ShipNoticeSchema, type ShipNotice } from '../documents/ship-notice.js';
import { InvoiceSchema, type Invoice } from '../documents/invoice.js';

export type DocumentType = 'purchase_order' | 'purchase_order_ack' | 'ship_notice' | 'invoice';

export interface TransactionMap<T> {
  setId: string;
  documentType: DocumentType;
  /**
   * `bounds`: the element boundaries a Validator noted while checking `tx` just before (its
   * `bounds`), so reading need not scan the segments again; without them the map scans.
   */
  read(tx: TransactionSet, ctx?: MapContext, bounds?: SetBounds): MapResult<T>;
  write(doc: T, version: X12Version): SegmentData[];
  schema: z.ZodType<T>;
}

const define = <T>(m: TransactionMap<T>): TransactionMap<T> => m;

export const transactionMaps = {
  '850': define<PurchaseOrder>({ setId: '850', documentType: 'purchase_order', read: read850, write: write850, schema: PurchaseOrderSchema as z.ZodType<PurchaseOrder> }),
  '855': define<PurchaseOrderAck>({ setId: '855', documentType: 'purchase_order_ack', read: read855, write: write855, schema: PurchaseOrderAckSchema as z.ZodType<PurchaseOrderAck> }),
  '856': define<ShipNotice>({ setId: '856', documentType: 'ship_notice', read: read856, write: write856, schema: ShipNoticeSchema as z.ZodType<ShipNotice> }),
  '810': define<Invoice>({ setId: '810', documentType: 'invoice', read: read810, write: write810, schema: InvoiceSchema as z.ZodType<Invoice> }),
} as const;

export type CanonicalDocument = PurchaseOrder | PurchaseOrderAck | ShipNotice | Invoice;

/** The map of a transaction set id, or undefined for sets we do not map (997, 999, ...). */
export function mapFor(setId: string): TransactionMap<CanonicalDocument> | undefined {
  return (transactionMaps as Record<string, TransactionMap<CanonicalDocument>>)[setId];
}
