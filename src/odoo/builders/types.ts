// Outbound builders: an Odoo record (and the inbound documents it answers) -> a canonical document.
// One builder per document kind; the outbound stage (src/jobs/outbound.ts) re-reads nothing itself:
// it asks the builder, which reads the record afresh (a webhook's body is only a hint), says whether
// the record is in the state that triggers the document, and either builds it or holds it with the
// reason a person needs (the record and the field to fill). Writing X12 is the maps' job (write850 ...).
import type { Invoice } from '../../documents/invoice.js';
import type { PurchaseOrder } from '../../documents/purchase-order.js';
import type { PurchaseOrderAck } from '../../documents/purchase-order-ack.js';
import type { ShipNotice } from '../../documents/ship-notice.js';
import type { OdooClient } from '../client/client.js';
import type { OdooSchema } from '../field-names.js';
import type { OdooSettings } from '../settings.js';
import type { OutboundSetRules } from '../../partners/types.js';

/** The documents we send, by transaction set. */
export interface OutboundDocuments {
  '850': PurchaseOrder;
  '855': PurchaseOrderAck;
  '856': ShipNotice;
  '810': Invoice;
}
export type OutboundKind = keyof OutboundDocuments;

/** An inbound document stored by the gateway (its canonical form), found for the record it led to. */
export interface StoredInbound<T> {
  documentId: number;
  document: T;
}

/** What the gateway's store knows that Odoo does not (the partner's own numbers and ids). */
export interface InboundLookup {
  /** The posted 850 of this partner with this PO number (BEG03), the newest when several. */
  purchaseOrder(partner: string, poNumber: string): Promise<StoredInbound<PurchaseOrder> | undefined>;
}

export interface BuildContext {
  readonly client: OdooClient;
  readonly schema: OdooSchema;
  /** The partner the record belongs to (its code, name, Odoo settings, file for messages). */
  readonly partnerCode: string;
  readonly partnerName: string;
  readonly partnerFile: string;
  readonly settings: OdooSettings;
  readonly inbound: InboundLookup;
  /** The partner's settings of this set (documents.rules.<set>), when it has any: the 856's hierarchy. */
  readonly rules?: OutboundSetRules;
}

/** The record a document is built from, as read when it was built. */
export interface SourceRecord {
  model: string;
  id: number;
  /** Its display name (S00042, P00017, WH/OUT/00005, INV/2026/00003). */
  name: string;
  /** write_date as Odoo gave it: the version built. */
  writeDate: string;
}

export type BuildOutcome<K extends OutboundKind> =
  /** Built: the document and what it was built from. */
  | { built: OutboundDocuments[K]; source: SourceRecord; details?: Record<string, unknown> }
  /** Held: Odoo lacks data the partner needs; `reason` names the record and the field to fill. */
  | { held: string; source: SourceRecord }
  /** Not (or no longer) in the state that triggers the document: nothing to do. */
  | { skipped: string };

export interface Builder<K extends OutboundKind> {
  readonly kind: K;
  /** The Odoo model whose records trigger it. */
  readonly model: string;
  /**
   * The domain of the records in the triggering state (the poller's filter and the automation
   * rule's condition), for this server's field names.
   */
  triggerDomain(schema: OdooSchema): unknown[];
  /** The commercial partner (res.partner id) of a record: who the document goes to. */
  partnerField: string;
  build(ctx: BuildContext, recordId: number): Promise<BuildOutcome<K>>;
}
