// The Odoo posting target (it fits the pipeline's PostingTarget port, src/jobs/ports.ts, which it does
// not import: the port sits in a higher layer; the composition root wires the two): picks the posting
// for the document type, builds its context from the partner's settings, names the business key two
// postings must not race on (the post stage keeps postings of one key apart, across processes),
// and turns what went wrong into the pipeline's TargetError kinds (master-data gaps and Odoo's
// business errors reject; the rest retries).
import { partnerFileLabel } from '../partners/file-label.js';
import { businessKeyOf } from '../documents/business-key.js';
import type { Envelope } from '../documents/common.js';
import type { PostRequest } from '../documents/post-request.js';
import type { ShipNotice } from '../documents/ship-notice.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { TargetError } from '../errors/target-error.js';
import { retryPolicyOf } from '../errors/failure.js';
import { DEFAULT_CACHE_SECONDS, masterDataCache } from './lookup/cache.js';
import type { Partner } from '../partners/types.js';
import type { OdooClient } from './client/client.js';
import { odooSchemaOnce } from './field-names.js';
import type { PostingContext, PostingResult } from './postings/context.js';
import { postPurchaseAck } from './postings/purchase-ack-855.js';
import { postReceipt } from './postings/receipt-856.js';
import { postSaleOrder } from './postings/sale-order-850.js';
import { postVendorBill } from './postings/vendor-bill-810.js';
import { odooSettingsOf } from './settings.js';

export interface OdooTarget {
  readonly name: 'odoo';
  /** Partner + document type + what Odoo finds the record by (see POSTINGS); the natural key for what is not posted. */
  businessKey(req: PostRequest): string;
  post(req: PostRequest): Promise<PostingResult>;
}

export interface OdooTargetOptions {
  client: OdooClient;
  /** The partner's configuration by code (the partner directory). */
  partner(code: string): Partner | undefined;
  /**
   * Our internal reference by a partner's product code, for those of `theirCodes` that are mapped
   * (the gateway's mapping table): asked once per document with every code of its lines.
   */
  productMappings(partner: string, theirCodes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Unit and address mappings made to fix gaps (PostingContext.masterDataMappings); absent: none. */
  masterDataMappings?(partner: string, kind: 'unit' | 'address', theirCodes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  log?: Logger;
  /** The partners folder the gateway loaded, for messages (default `partners`). */
  partnersDir?: string;
  /** How long master data found by one posting serves the next ones (default 60 s; 0: never; lookup/cache.ts). */
  cacheSeconds?: number;
}

type Posting = (ctx: PostingContext, document: never) => Promise<PostingResult>;

/**
 * Document type -> posting, and what two postings must not race on: Odoo has no unique key on
 * client_order_ref or a bill's ref, so two postings of one PO at once would both find nothing and
 * both create. By default the document's own number, as in its business key (documents/business-key.ts:
 * BEG03, BAK03, BIG02), whatever the purpose (a cancellation and an order of one PO touch one sale
 * order); an 856 races on the POs whose receipts it changes, not on its BSN02.
 */
const POSTINGS: Record<string, { post: Posting; key?: (doc: never) => string }> = {
  purchase_order: { post: postSaleOrder as Posting },
  purchase_order_ack: { post: postPurchaseAck as Posting },
  ship_notice: { post: postReceipt as Posting, key: (d: ShipNotice) => d.orders.map((o) => o.poNumber).sort().join(',') },
  invoice: { post: postVendorBill as Posting },
};

export function odooTarget(options: OdooTargetOptions): OdooTarget {
  const log = options.log ?? silentLogger;
  const cache = masterDataCache({ seconds: options.cacheSeconds ?? DEFAULT_CACHE_SECONDS });
  const schemaOnce = odooSchemaOnce(options.client);

  return {
    name: 'odoo',
    businessKey(req: PostRequest): string {
      const posting = POSTINGS[req.documentType];
      const ref = posting && (posting.key ? posting.key(req.document as never) : businessKeyOf(req)?.number);
      return ref === undefined ? req.naturalKey : `${req.partner}:${req.documentType}:${ref}`;
    },
    async post(req: PostRequest): Promise<PostingResult> {
      if (req.documentType === 'functional_ack') {
        // Inbound 997/999: nothing for Odoo. They stay on the timeline; matching them to what we sent comes with outbound documents.
        return { ref: 'not-posted:functional-ack', summary: 'functional acknowledgment recorded (nothing to post in Odoo)' };
      }
      const posting = POSTINGS[req.documentType];
      if (!posting) throw new TargetError('business', `documents of type ${req.documentType || '(none)'} are not posted to Odoo`, { documentType: req.documentType });
      const partner = options.partner(req.partner);
      if (!partner) {
        const dir = options.partnersDir ?? 'partners';
        throw new TargetError(
          'business',
          `partner ${req.partner} has no partner file in ${dir} (the drop folder's sample partner never has one), so nothing says which Odoo contact it is: add ${dir}/${req.partner}.yaml with an odoo: section (partners/README.md), or drop the file into a configured partner's folder, then replay`,
          { partner: req.partner, partnersDir: dir },
        );
      }
      if (!partner.odoo) {
        throw new TargetError('business', `${partnerFileLabel(partner)} has no odoo: section: add odoo.partner (ref, id, name or vat) to say which Odoo contact ${partner.name} is`, { partner: req.partner, file: partner.file });
      }
      try {
        const ctx: PostingContext = {
          client: options.client,
          schema: await schemaOnce(),
          settings: odooSettingsOf(partner.odoo),
          partnerCode: partner.code,
          partnerName: partner.name,
          partnerFile: partnerFileLabel(partner),
          envelope: req.envelope as Envelope,
          naturalKey: req.naturalKey,
          productMappings: (codes) => options.productMappings(partner.code, codes),
          ...(options.masterDataMappings ? { masterDataMappings: (kind: 'unit' | 'address', codes: readonly string[]) => options.masterDataMappings!(partner.code, kind, codes) } : {}),
        };
        const result = await postFreshOnRefusal(ctx, (c) => posting.post(c, req.document as never), req.documentId);
        log.info({ documentId: req.documentId, ref: result.ref }, result.summary);
        return result;
      } catch (error) {
        throw asTargetError(error);
      }
    },
  };

  /**
   * A refusal is never decided on remembered data: a posting refused (a gap, a price, Odoo's own
   * refusal) while it used cached master data runs once more reading everything afresh, so what a
   * person fixed a moment ago (a product, an address, a unit) counts at once, on a replay as on the
   * next document. Postings look up before they create, so the second run finds what the first made.
   */
  async function postFreshOnRefusal(ctx: PostingContext, run: (ctx: PostingContext) => Promise<PostingResult>, documentId: number): Promise<PostingResult> {
    const view = cache.forPosting(false);
    try {
      return await run({ ...ctx, cache: view });
    } catch (error) {
      if (!view.used || retryPolicyOf(error) !== 'business') throw error;
      log.debug({ documentId, error: error instanceof Error ? error.message : String(error) }, 'refused with cached master data: posting again with fresh reads');
      return run({ ...ctx, cache: cache.forPosting(true) });
    }
  }
}

export function asTargetError(error: unknown): unknown {
  // Odoo's faults, gaps and refusals are coded: the catalog's policy of the code picks the kind, and
  // the code with Odoo's name and message stays in details.failure.
  return TargetError.from(error);
}
