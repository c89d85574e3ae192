// Fixing a master-data gap once for every document it holds up (docs/operations.md#fixing-a-master-data-gap):
// a partner's product code unknown to Odoo is mapped to one of our internal references (the product
// map the postings try first), an X12 unit code to an Odoo unit, a ship-to GLN to an Odoo address
// (migration 18, consulted before the partner file), then every document of that partner rejected for that same code is
// replayed, as one replay batch (migration 16; document-actions.ts bulkProgress says how many went through).
import type { Json } from '../store/types.js';
import { mapMasterData, mapProduct, recordAction, rejectedForGaps, withTransaction, type Actor, type Conn } from '../store/index.js';
import type { PipelineContext } from './context.js';
import { replayAsBatch, type BatchReplay } from './replay.js';

/** The product ids a gap's lookedFor names (ProductIds: buyerPart, vendorPart, upc, gtin, ean, sku, other). */
function productCodesOf(ids: unknown): string[] {
  if (!ids || typeof ids !== 'object') return [];
  const o = ids as Record<string, unknown>;
  const plain = ['buyerPart', 'vendorPart', 'upc', 'gtin', 'ean', 'sku'].map((k) => o[k]).filter((v): v is string => typeof v === 'string');
  const other = Array.isArray(o['other']) ? o['other'].map((x) => (x as { value?: unknown })?.value).filter((v): v is string => typeof v === 'string') : [];
  return [...plain, ...other];
}

/** The gap kinds the console fixes by a mapping (docs/operations.md#fixing-a-master-data-gap). */
export const GAP_FIX_KINDS = ['product', 'unit', 'address'] as const;
export type GapFixKind = (typeof GAP_FIX_KINDS)[number];

/**
 * What one gap of a kind names, from its lookedFor: a product's ids; a unit's X12 code (not a pack
 * gap: the unit is then picked by its size, whatever it maps to); an address's GLN.
 */
function codesOfGap(kind: GapFixKind, lookedFor: unknown): string[] {
  const o = (lookedFor ?? {}) as Record<string, unknown>;
  if (kind === 'product') return productCodesOf(o);
  if (kind === 'unit') return typeof o['unit'] === 'string' && o['pack'] === undefined ? [o['unit']] : [];
  return typeof o['gln'] === 'string' && o['field'] === undefined ? [o['gln']] : [];
}

/**
 * The codes of a kind a rejection's details say were not found: details.failure of a
 * ODOO_MASTER_DATA_GAP of that gap, or each such gap of a combined one (lookedFor.gaps).
 */
export function gapCodes(kind: GapFixKind, details: Json | undefined): string[] {
  const failure = (details as { failure?: { code?: unknown; gap?: unknown; lookedFor?: unknown } } | null | undefined)?.failure;
  if (failure?.code !== 'ODOO_MASTER_DATA_GAP') return [];
  const lookedFor = failure.lookedFor as { gaps?: unknown } | undefined;
  if (Array.isArray(lookedFor?.gaps)) {
    return [...new Set(lookedFor.gaps.flatMap((g) => ((g as { gap?: unknown })?.gap === kind ? codesOfGap(kind, g) : [])))];
  }
  return failure.gap === kind ? [...new Set(codesOfGap(kind, lookedFor))] : [];
}

export interface GapFix {
  kind: GapFixKind;
  partner: string;
  /** What Odoo did not know: the partner's product code, an X12 unit code, a GLN. */
  code: string;
  /** What it stands for: an internal reference (default_code), an Odoo unit's name, an Odoo address id. */
  target: string;
  reason?: string | null;
}

/** The replay batch of a fix (replay.ts): its progress is documentActions(ctx).bulkProgress(batchId). */
export type GapFixResult = BatchReplay;

/** The partner's documents rejected for a gap of `kind` naming `code`. */
export async function documentsWaitingOn(db: Conn, kind: GapFixKind, partner: string, code: string): Promise<number[]> {
  return (await rejectedForGaps(db, partner)).filter((d) => gapCodes(kind, d.details).includes(code)).map((d) => d.id);
}

/** Per kind: the audit action and target kind, and the timeline's words for the mapping. */
const KINDS: Record<GapFixKind, { action: string; targetKind: string; said(fix: GapFix): string }> = {
  product: { action: 'gaps.map_product', targetKind: 'product_mapping', said: (f) => `${f.partner}'s product code ${f.code} mapped to internal reference ${f.target}` },
  unit: { action: 'gaps.map_unit', targetKind: 'unit_mapping', said: (f) => `${f.partner}'s X12 unit ${f.code} mapped to Odoo unit '${f.target}'` },
  address: { action: 'gaps.map_address', targetKind: 'address_mapping', said: (f) => `${f.partner}'s GLN ${f.code} mapped to Odoo address id ${f.target}` },
};

/**
 * Maps `code` to `target` for the partner (the product map, or the unit / address map of
 * migration 18) and replays the documents waiting on it as one replay batch, in one transaction
 * with its audit row: the replayed postings find the mapping, and each document's timeline says
 * why it was replayed.
 */
export async function fixGap(ctx: Pick<PipelineContext, 'db' | 'queue'>, fix: GapFix, actor: Actor): Promise<GapFixResult> {
  const reason = fix.reason?.trim() || null;
  const kind = KINDS[fix.kind];
  const note = reason ?? `mapped by ${actor.name} to fix a master-data gap`;
  return withTransaction(ctx.db, async (tx) => {
    if (fix.kind === 'product') await mapProduct(tx, { partner: fix.partner, theirCode: fix.code, defaultCode: fix.target, note });
    else await mapMasterData(tx, { partner: fix.partner, kind: fix.kind, theirCode: fix.code, target: fix.target, note });
    const waiting = await documentsWaitingOn(tx, fix.kind, fix.partner, fix.code);
    // A product fix's filter keeps its field name (internalReference): batches made before units and addresses read it.
    const filter = { gap: fix.kind, partner: fix.partner, code: fix.code, target: fix.target, ...(fix.kind === 'product' ? { internalReference: fix.target } : {}) };
    const { batchId, replayed, skipped } = await replayAsBatch(ctx, tx, waiting, actor, { filter, reason, note: (id) => `${kind.said(fix)} (replay batch ${id})` });
    await recordAction(tx, actor, {
      action: kind.action, targetKind: kind.targetKind, targetId: `${fix.partner}:${fix.code}`, reason,
      details: { ...filter, batchId, replayed, skipped: skipped.length },
    });
    return { batchId, replayed, skipped };
  });
}

/** The gap fixes a gateway offers (Gateway.gaps), bound to its database and queue. */
export interface GapFixes {
  fix(fix: GapFix, actor: Actor): Promise<GapFixResult>;
}

export function gapFixes(ctx: Pick<PipelineContext, 'db' | 'queue'>): GapFixes {
  return { fix: (fix, actor) => fixGap(ctx, fix, actor) };
}
