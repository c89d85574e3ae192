// A person's actions on outbound documents (edi outbound preview | build | resend | regenerate). The
// outbound stage never sends a document twice on its own; resend and regenerate are the ways a person
// asks for it, each on the document's timeline with who and why:
// - preview: what a record would produce now, rendered with placeholder numbers; changes nothing;
// - build: builds a record's documents now (a record the poller will not see, e.g. confirmed before
//   the gateway first looked), exactly as the stage's job does;
// - resend: the same bytes again (same control numbers): a new delivery entry with the payload of
//   the one the document was built with, its source key suffixed `:resend:<n>` (how the delivery finds
//   the document: markOutboundDocumentSent); once delivered, a document still waiting for its
//   acknowledgment (sent, ack-overdue) is sent again with its clock counted from the resend, an answered
//   one keeps its state (an acknowledgment of either copy names the same numbers); the event says resend: true;
// - regenerate: the record built again as the next generation, with new control numbers (the
//   partner sees a new interchange), and the old generation cancelled, in one transaction (not while
//   the old one's delivery is pending: its bytes would still go out).
import { recordAction, type Actor } from '../store/access-repo.js';
import { run, withTransaction } from '../store/conn.js';
import { deliveriesOfOutboundDocument, getOutboundDocument, lockOutboundDocumentById } from '../store/outbound-documents-repo.js';
import { queueOutbound } from '../store/outbound-repo.js';
import { notify } from '../store/sql/notify.js';
import type { Json, OutboundDocumentRecord, OutboundDocumentState } from '../store/types.js';
import type { OutboundKind, SourceRecord } from '../odoo/builders/types.js';
import { DELIVERY_WAKE } from './deliver.js';
import { buildOutbound, REGENERABLE, type OutboundContext, type OutboundResult } from './outbound.js';
import { writeChecked } from './outbound-render.js';

/** Who acts (a person through the CLI, the console or a script) and why: audited (src/store/access-repo.ts). */
export interface ActionBy {
  actor: string;
  reason?: string;
  /** How they act; the CLI when absent. */
  via?: Actor['via'];
  /** Their console user, when they have one. */
  userId?: number | null;
}

const actorOf = (by: ActionBy): Actor => ({ name: by.actor, userId: by.userId ?? null, via: by.via ?? 'cli' });

/** A document whose bytes went out at least once (a resend sends them again). */
export const RESENDABLE: readonly OutboundDocumentState[] = ['sent', 'acknowledged', 'accepted-with-errors', 'ack-rejected', 'ack-overdue'];

export type ResendResult =
  | { notFound: true }
  /** The document's state does not allow it; why, and what to do instead. */
  | { refused: string }
  | { resent: { document: OutboundDocumentRecord; outboundId: number; sourceKey: string } };

export type RegenerateResult =
  | { notFound: true }
  | { refused: string }
  /** `next` is the new generation: built with new numbers, or held with the reason (then fix and build). */
  | { regenerated: { previous: OutboundDocumentRecord; next: OutboundDocumentRecord } };

/** What a record would produce now, per kind: the X12 (placeholder control numbers), or why none. */
export type PreviewResult = { kind: OutboundKind } & (
  | { skipped: string }
  | { partner: string; source: SourceRecord; held: string }
  | { partner: string; source: SourceRecord; x12: string }
);

/**
 * Reads the record and renders each document it may need as `outbound-render.ts` checks it before
 * numbering: nothing is numbered, stored or queued.
 */
export async function previewRecord(ctx: Pick<OutboundContext, 'source' | 'partners' | 'now'>, model: string, recordId: number): Promise<PreviewResult[]> {
  const out: PreviewResult[] = [];
  for (const kind of ctx.source.kindsOf(model)) {
    const built = await ctx.source.build(kind, recordId);
    if ('skipped' in built) {
      out.push({ kind, skipped: built.skipped });
      continue;
    }
    const { partner, outcome } = built;
    const about = { kind, partner: partner.code, source: outcome.source };
    if ('held' in outcome) {
      out.push({ ...about, held: outcome.held });
      continue;
    }
    const written = writeChecked(ctx, partner, kind, outcome.built as Json, ctx.now());
    out.push('invalid' in written ? { ...about, held: written.invalid } : { ...about, x12: written.payload });
  }
  return out;
}

/** Builds the documents a record of `model` may need, now; one result per kind some partner receives. */
export async function buildRecordNow(ctx: OutboundContext, model: string, recordId: number, via: string): Promise<Array<{ kind: OutboundKind; result: OutboundResult }>> {
  const out: Array<{ kind: OutboundKind; result: OutboundResult }> = [];
  for (const kind of ctx.source.kindsOf(model)) out.push({ kind, result: await buildOutbound(ctx, { model, recordId, kind, via }) });
  return out;
}

/** Queues the document's bytes for delivery again, with an event; the delivery loops wake at commit. */
export async function resendOutbound(ctx: Pick<OutboundContext, 'db' | 'queue'>, id: number, by: ActionBy): Promise<ResendResult> {
  return withTransaction(ctx.db, async (tx): Promise<ResendResult> => {
    const document = await lockOutboundDocumentById(tx, id);
    if (!document) return { notFound: true };
    const deliveries = await deliveriesOfOutboundDocument(tx, id);
    const original = deliveries.find((d) => d.id === document.outboundId);
    if (!RESENDABLE.includes(document.state) || !original) return { refused: notResendable(document, original?.state) };
    const sourceKey = `${original.sourceKey}:resend:${deliveries.filter((d) => d.resend).length + 1}`;
    const entry = await queueOutbound(tx, { partner: document.partner, kind: document.setId, fileId: null, sourceKey, payload: original.payload });
    // The document's row lock serializes resends: an existing key is a bug, not a race.
    if (!entry) throw new Error(`an outbound entry ${sourceKey} exists already`);
    // Audited, and on the document's timeline: the event's details name the entry (deliveriesOfOutboundDocument reads them).
    await recordAction(tx, actorOf(by), {
      action: 'outbound.resend', targetKind: 'outbound_document', targetId: String(id), reason: by.reason ?? null,
      details: { resend: true, outboundId: entry.id, of: original.id },
      timeline: {
        outboundDocumentId: id, stage: 'resend',
        message: `resent by ${by.actor}: the same ${document.setId} (ISA13 ${document.interchangeControl}) queued for delivery again as outbound entry ${entry.id}${by.reason ? `: ${by.reason}` : ''}`,
      },
    });
    await run(tx, notify(ctx.queue.channel, [DELIVERY_WAKE]));
    return { resent: { document, outboundId: entry.id, sourceKey } };
  });
}

function notResendable(document: OutboundDocumentRecord, delivery: string | undefined): string {
  switch (document.state) {
    case 'held': return `document ${document.id} is held (${document.reason ?? 'no reason'}): it was never built; fix that in Odoo, then edi outbound build ${document.sourceModel} ${document.sourceId}`;
    case 'cancelled': return `document ${document.id} was cancelled (superseded by a later generation): resend that one`;
    default: return delivery === 'failed'
      ? `document ${document.id} was never delivered (its delivery failed): edi replay ${document.outboundId} --outbound`
      : `document ${document.id} is ${document.state}: not sent yet, its delivery is pending`;
  }
}

/**
 * Builds the document's record again as the next generation (new control numbers) and cancels this
 * one. Refused for a held document (build it instead), a cancelled one, and when the record no
 * longer triggers the document (e.g. the order was cancelled in Odoo): then nothing changes.
 */
export async function regenerateOutbound(ctx: OutboundContext, id: number, by: ActionBy): Promise<RegenerateResult> {
  const previous = await getOutboundDocument(ctx.db, id);
  if (!previous) return { notFound: true };
  if (!REGENERABLE.includes(previous.state)) return { refused: notRegenerable(previous) };
  // Built but not sent: its entry may go out any moment, and a cancelled document's bytes would still
  // be delivered. Only a delivery that failed for good is superseded.
  if (previous.state === 'built') {
    const delivery = (await deliveriesOfOutboundDocument(ctx.db, id)).find((d) => d.id === previous.outboundId);
    if (delivery?.state !== 'failed') return { refused: `document ${id} is built and its delivery is pending: regenerate it once it is sent` };
  }
  const result = await buildOutbound(
    ctx,
    { model: previous.sourceModel, recordId: previous.sourceId, kind: previous.setId, via: 'regenerate' },
    { regenerate: { documentId: id, actor: actorOf(by), ...(by.reason ? { reason: by.reason } : {}) } },
  );
  if ('skipped' in result) return { refused: `not regenerated: ${result.skipped}` };
  if ('unchanged' in result) return { refused: `not regenerated: document ${id} changed meanwhile (the newest is document ${result.unchanged.id}, ${result.unchanged.state})` };
  // The timeline and the audit trail have the regenerate, written with it (outbound.ts).
  return { regenerated: { previous, next: 'built' in result ? result.built : result.held } };
}

function notRegenerable(document: OutboundDocumentRecord): string {
  return document.state === 'held'
    ? `document ${document.id} is held (${document.reason ?? 'no reason'}): nothing was sent; fix that in Odoo, then edi outbound build ${document.sourceModel} ${document.sourceId}`
    : `document ${document.id} was cancelled (superseded by a later generation): regenerate that one`;
}
