// Fixing a master-data gap once for every document it holds up (docs/operations.md#fixing-a-master-data-gap):
// a partner's product code unknown to Odoo is mapped to one of our internal references (the product
// map the postings try first), then every document of that partner rejected for that same code is
// replayed, as one replay batch (migration 16; document-actions.ts bulkProgress says how many went through).
import type { Json } from '../store/types.js';
import { insertReplayBatch, mapProduct, recordAction, rejectedForGaps, setReplayBatchDocuments, withTransaction, type Actor, type Conn } from '../store/index.js';
import type { PipelineContext } from './context.js';
import { replayManyIn } from './replay.js';

/** The product ids a gap's lookedFor names (ProductIds: buyerPart, vendorPart, upc, gtin, ean, sku, other). */
function productCodesOf(ids: unknown): string[] {
  if (!ids || typeof ids !== 'object') return [];
  const o = ids as Record<string, unknown>;
  const plain = ['buyerPart', 'vendorPart', 'upc', 'gtin', 'ean', 'sku'].map((k) => o[k]).filter((v): v is string => typeof v === 'string');
  const other = Array.isArray(o['other']) ? o['other'].map((x) => (x as { value?: unknown })?.value).filter((v): v is string => typeof v === 'string') : [];
  return [...plain, ...other];
}

/**
 * The product codes a rejection's details say were not found: details.failure of a
 * ODOO_MASTER_DATA_GAP with gap 'product', or each product gap of a combined one (lookedFor.gaps).
 */
export function productGapCodes(details: Json | undefined): string[] {
  const failure = (details as { failure?: { code?: unknown; gap?: unknown; lookedFor?: unknown } } | null | undefined)?.failure;
  if (failure?.code !== 'ODOO_MASTER_DATA_GAP') return [];
  const lookedFor = failure.lookedFor as { gaps?: unknown } | undefined;
  if (Array.isArray(lookedFor?.gaps)) {
    return [...new Set(lookedFor.gaps.flatMap((g) => ((g as { gap?: unknown })?.gap === 'product' ? productCodesOf(g) : [])))];
  }
  return failure.gap === 'product' ? [...new Set(productCodesOf(lookedFor))] : [];
}

export interface ProductGapFix {
  partner: string;
  /** The partner's code Odoo did not know. */
  code: string;
  /** Our internal reference (default_code) it stands for. */
  internalReference: string;
  reason?: string | null;
}

export interface ProductGapResult {
  /** The replay batch (migration 16): its progress is documentActions(ctx).bulkProgress(batchId). */
  batchId: number;
  replayed: number[];
  skipped: Array<{ documentId?: number; reason: string }>;
}

/** The partner's documents rejected for an unknown product `code`. */
export async function documentsWaitingOnProduct(db: Conn, partner: string, code: string): Promise<number[]> {
  return (await rejectedForGaps(db, partner)).filter((d) => productGapCodes(d.details).includes(code)).map((d) => d.id);
}

/**
 * Maps `code` to `internalReference` for the partner and replays the documents waiting on it as one
 * replay batch, in one transaction with its audit row: the replayed postings find the mapping, and
 * each document's timeline says why it was replayed.
 */
export async function fixProductGap(ctx: Pick<PipelineContext, 'db' | 'queue'>, fix: ProductGapFix, actor: Actor): Promise<ProductGapResult> {
  const reason = fix.reason?.trim() || null;
  return withTransaction(ctx.db, async (tx) => {
    await mapProduct(tx, { partner: fix.partner, theirCode: fix.code, defaultCode: fix.internalReference, note: reason ?? `mapped by ${actor.name} to fix a master-data gap` });
    const waiting = await documentsWaitingOnProduct(tx, fix.partner, fix.code);
    const filter = { gap: 'product', partner: fix.partner, code: fix.code, internalReference: fix.internalReference };
    const batchId = await insertReplayBatch(tx, { filter, documentIds: [], skipped: [], actor: actor.name, actorUserId: actor.userId ?? null, via: actor.via, reason });
    const result = await replayManyIn(ctx, tx, waiting, actor.name, `${fix.partner}'s product code ${fix.code} mapped to internal reference ${fix.internalReference} (replay batch ${batchId})`);
    const replayed = result.replayed.map((r) => r.documentId);
    const skipped = result.skipped.map((k) => ({ ...(k.documentId !== undefined ? { documentId: k.documentId } : {}), reason: k.reason }));
    await setReplayBatchDocuments(tx, batchId, replayed, skipped);
    await recordAction(tx, actor, {
      action: 'gaps.map_product', targetKind: 'product_mapping', targetId: `${fix.partner}:${fix.code}`, reason,
      details: { ...filter, batchId, replayed, skipped: skipped.length },
    });
    return { batchId, replayed, skipped };
  });
}

/** The gap fixes a gateway offers (Gateway.gaps), bound to its database and queue. */
export interface GapFixes {
  fixProduct(fix: ProductGapFix, actor: Actor): Promise<ProductGapResult>;
}

export function gapFixes(ctx: Pick<PipelineContext, 'db' | 'queue'>): GapFixes {
  return { fixProduct: (fix, actor) => fixProductGap(ctx, fix, actor) };
}
