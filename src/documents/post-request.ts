// One canonical document handed to a posting target (the pipeline's PostingTarget port and the
// targets that fit it, such as Odoo's, share this shape): what it is, whose it is, and its identity.

export interface PostRequest {
  documentId: number;
  /** purchase_order, purchase_order_ack, ship_notice, invoice, functional_ack. */
  documentType: string;
  /**
   * The same transaction always has the same key: partner|set|sender|ISA13|GS06|ST02 (the post stage's
   * naturalKeyOf). A resend in a new envelope has a new one; what it repeats is its business key
   * (business-key.ts), by which the post stage stops it before any target sees it.
   */
  naturalKey: string;
  partner: string;
  /** The canonical document (this folder's types). */
  document: unknown;
  /** The X12 envelope it came in (common.ts Envelope). */
  envelope: unknown;
}
