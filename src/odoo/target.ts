// The Odoo posting target (the pipeline's PostingTarget port, src/jobs/ports.ts): picks the posting
// for the document type, builds its context from the partner's settings, serializes postings of
// one business key across gateway processes, and turns what went wrong into the pipeline's
// TargetError kinds (master-data gaps and Odoo's business errors reject; the rest retries).
import type { Envelope } from '../documents/common.js';
import type { Invoice } from '../documents/invoice.js';
import type { PurchaseOrderAck } from '../documents/purchase-order-ack.js';
import type { PurchaseOrder } from '../documents/purchase-order.js';
import type { ShipNotice } from '../documents/ship-notice.js';
import { TargetError, silentLogger, type Logger, type PostingTarget, type PostRequest, type PostResult } from '../jobs/ports.js';
import type { Partner } from '../partners/types.js';
import { run } from '../store/conn.js';
import type { OdooClient } from './client/client.js';
import { isOdooError } from './client/errors.js';
import { loadOdooSchema, type OdooSchema } from './field-names.js';
import type { PostingContext, PostingResult } from './postings/context.js';
import { isMasterDataGap } from './postings/gap.js';
import { postPurchaseAck } from './postings/purchase-ack-855.js';
import { postReceipt } from './postings/receipt-856.js';
import { postSaleOrder } from './postings/sale-order-850.js';
import { postVendorBill } from './postings/vendor-bill-810.js';
import { odooSettingsOf } from './settings.js';

export interface OdooTargetOptions {
  client: OdooClient;
  /** The partner's configuration by code (the partner directory). */
  partner(code: string): Partner | undefined;
  /** Our internal reference for a partner's product code (the gateway's mapping table). */
  productMapping(partner: string, theirCode: string): Promise<string | undefined>;
  log?: Logger;
}

type Posting = (ctx: PostingContext, document: never) => Promise<PostingResult>;

/** Document type -> posting, and the business key two postings must not race on. */
const POSTINGS: Record<string, { post: Posting; key: (doc: never) => string }> = {
  purchase_order: { post: postSaleOrder as Posting, key: (d: PurchaseOrder) => d.poNumber },
  purchase_order_ack: { post: postPurchaseAck as Posting, key: (d: PurchaseOrderAck) => d.poNumber },
  ship_notice: { post: postReceipt as Posting, key: (d: ShipNotice) => d.orders.map((o) => o.poNumber).sort().join(',') },
  invoice: { post: postVendorBill as Posting, key: (d: Invoice) => d.invoiceNumber },
};

export function odooTarget(options: OdooTargetOptions): PostingTarget {
  const log = options.log ?? silentLogger;
  let schema: Promise<OdooSchema> | undefined;
  const schemaOnce = () => {
    schema ??= loadOdooSchema(options.client).catch((error: unknown) => {
      schema = undefined;
      throw error;
    });
    return schema;
  };

  return {
    name: 'odoo',
    async post(req: PostRequest): Promise<PostResult> {
      if (req.documentType === 'functional_ack') {
        // Inbound 997/999: matched against what we sent by the outbound side, nothing for Odoo.
        return { ref: 'not-posted:functional-ack', summary: 'functional acknowledgment recorded (nothing to post in Odoo)' };
      }
      const posting = POSTINGS[req.documentType];
      if (!posting) throw new TargetError('business', `documents of type ${req.documentType || '(none)'} are not posted to Odoo`, { documentType: req.documentType });
      const partner = options.partner(req.partner);
      if (!partner) throw new TargetError('business', `partner ${req.partner} is not configured (partners/${req.partner}.yaml)`, { partner: req.partner });
      if (!partner.odoo) {
        throw new TargetError('business', `partners/${req.partner}.yaml has no odoo: section: add odoo.partner (ref, id, name or vat) to say which Odoo contact ${partner.name} is`, { partner: req.partner });
      }
      try {
        const ctx: PostingContext = {
          client: options.client,
          schema: await schemaOnce(),
          settings: odooSettingsOf(partner.odoo),
          partnerCode: partner.code,
          partnerName: partner.name,
          envelope: req.envelope as Envelope,
          naturalKey: req.naturalKey,
          productMapping: (code) => options.productMapping(partner.code, code),
        };
        // Odoo has no unique key on client_order_ref or a bill's ref: postings of one business key
        // take turns, across processes, for as long as the post stage's transaction lasts.
        if (req.tx) await run(req.tx, { text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [`odoo:${partner.code}:${req.documentType}:${posting.key(req.document as never)}`] });
        const result = await posting.post(ctx, req.document as never);
        log.info({ documentId: req.documentId, ref: result.ref }, result.summary);
        return result;
      } catch (error) {
        throw asTargetError(error);
      }
    },
  };
}

export function asTargetError(error: unknown): unknown {
  if (isMasterDataGap(error)) return new TargetError('business', error.message, { gap: error.gap, lookedFor: error.lookedFor }, { cause: error });
  if (isOdooError(error)) {
    const kind = error.kind === 'business' ? 'business' : error.kind === 'auth' ? 'auth' : 'transient';
    const { debug: _debug, ...details } = error.details;
    return new TargetError(kind, error.message, { odoo: details, odooKind: error.kind }, { cause: error });
  }
  return error;
}
