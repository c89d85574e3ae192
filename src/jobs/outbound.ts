// Outbound stage: one job per (Odoo record, document kind) that a webhook or the poller says may need
// its document. Like the post stage, no transaction is held across Odoo calls:
// 1. build (no transaction): the source re-reads the record, checks it is in the triggering state,
//    finds the partner it goes to and builds the canonical document, or holds it with the reason a
//    person needs (src/odoo/builders);
// 2. write and check (pure): the partner's version of the set, checked against our specs exactly
//    as an inbound set is; a document that fails is held, never sent;
// 3. record (one transaction, serialized per record by an advisory lock): a record already sent is
//    left alone (a person resends or regenerates it: outbound-actions.ts); one built whose delivery
//    has not taken it yet is replaced by a build that differs (only the latest version is sent,
//    supersedeUndelivered); otherwise the control numbers are taken from the partner's counters,
//    the interchange is queued for delivery and the document is stored `built` with its numbers,
//    all or nothing, so a rollback leaves no gap and no orphan. Writing the X12 is
//    outbound-render.ts's (shared with `edi outbound preview`).
// The delivery stage (deliver.ts) sends it and moves it to `sent`; an inbound 997/999 moves it on.
import { isDeepStrictEqual } from 'node:util';
import type { OdooOutboundSource, SourceBuild } from '../odoo/builders/source.js';
import { allTogether } from './batch.js';
import type { InboundLookup, OutboundKind } from '../odoo/builders/types.js';
import { businessKeyText } from '../documents/business-key.js';
import { PURPOSE_CODES, type PurchaseOrder } from '../documents/purchase-order.js';
import type { Database } from '../store/database.js';
import { repeatKeyText } from './repeats.js';
import type { Partner } from '../partners/types.js';
import { run, withTransaction, type Tx } from '../store/conn.js';
import { cancelOutboundDocument, findPostedByRepeatKeys, insertOutboundDocument, lockOutboundDocument, replaceOutboundDocument, type OutboundDocumentVersion } from '../store/outbound-documents-repo.js';
import { queueOutbound, takeControlNumbers } from '../store/outbound-repo.js';
import { replaceUndelivered, withdrawUndelivered as withdrawEntry } from '../store/delivery-repo.js';
import { recordAction, type Actor } from '../store/access-repo.js';
import { notify } from '../store/sql/notify.js';
import { waitXactLock } from '../store/sql/locks.js';
import { OUTBOUND_DOCUMENT_STATES, type Json, type OutboundDocumentRecord, type OutboundDocumentState } from '../store/types.js';
import type { SegmentData } from '../x12/writer.js';
import type { PipelineContext } from './context.js';
import { DELIVERY_WAKE } from './deliver.js';
import { renderInterchange, writeChecked } from './outbound-render.js';
import type { OutboundEnvelope } from '../maps/outbound-interchange.js';
import { OUTBOUND_QUEUE, type JobQueue, type OutboundJobData } from './queues.js';
import type { StageHandler } from './runner.js';
import { inParallel } from '../util/in-parallel.js';

export type OutboundContext = Pick<PipelineContext, 'db' | 'log' | 'now' | 'partners'> & {
  /** Only its NOTIFY channel (wakes the delivery loops): `edi outbound build` runs without pg-boss. */
  readonly queue: Pick<JobQueue, 'channel'>;
  readonly source: OdooOutboundSource;
  /** Builds run at once by one fetch loop (default 8). */
  readonly buildsInFlight?: number;
};

const DEFAULT_BUILDS_IN_FLIGHT = 8;

/** What a job did, for tests and logs. */
export type OutboundResult =
  | { skipped: string }
  | { held: OutboundDocumentRecord }
  | { built: OutboundDocumentRecord }
  /** Already built or sent: left alone. */
  | { unchanged: OutboundDocumentRecord };

/** What a regenerate may supersede: a document that was built (numbered), not one held or cancelled. */
export const REGENERABLE: readonly OutboundDocumentState[] = OUTBOUND_DOCUMENT_STATES.filter((s) => s !== 'held' && s !== 'cancelled');

export interface BuildOptions {
  /**
   * A person's regenerate (outbound-actions.ts): when the newest generation is still this document
   * and is not held or cancelled, the record is built as the next generation with new control
   * numbers, and this one is cancelled in the same transaction.
   */
  regenerate?: { documentId: number; actor: Actor; reason?: string };
}

export function outboundHandler(ctx: OutboundContext): StageHandler {
  return {
    queue: OUTBOUND_QUEUE,
    async run(jobs) {
      const failures = new Map<string, unknown>();
      const prepared = new Map<string, PreparedBuild>();
      // Builds wait on Odoo most of their time: several at once, with no transaction open.
      await inParallel(jobs, ctx.buildsInFlight ?? DEFAULT_BUILDS_IN_FLIGHT, async (job) => {
        const data = job.data as unknown as OutboundJobData;
        try {
          const p = await prepareOutbound(ctx, data);
          if ('skipped' in p) ctx.log.debug({ model: data.model, recordId: data.recordId, kind: data.kind, via: data.via }, `no ${data.kind}: ${p.skipped}`);
          else prepared.set(job.id, p);
        } catch (error) {
          failures.set(job.id, error);
        }
      });
      // Then the batch is recorded in one transaction (one per record took turns on the partner's
      // counter rows and a commit each: about 45 documents/s), in a fixed order of partner and record
      // so that two processes' batches cannot deadlock; if it fails, each record alone.
      const ready = jobs.filter((j) => prepared.has(j.id)).sort((a, b) => orderOf(prepared.get(a.id)!).localeCompare(orderOf(prepared.get(b.id)!)));
      const recorded = await allTogether(ctx.db, ready, async (tx, batch) => {
        for (const job of batch) await recordOutbound(ctx, tx, prepared.get(job.id)!);
        return new Map();
      });
      for (const [id, error] of recorded) failures.set(id, error);
      return failures;
    },
    async failed(job, error, final) {
      const data = job.data as unknown as OutboundJobData;
      const message = error instanceof Error ? error.message : String(error);
      // The record is found again by the poller's next look after its write_date window, or by `edi outbound build`.
      ctx.log[final ? 'error' : 'warn']({ model: data.model, recordId: data.recordId, kind: data.kind, error: message }, final ? `building ${data.kind} of ${data.model} ${data.recordId} gave up: ${message}` : `building ${data.kind} failed, will retry: ${message}`);
    },
  };
}

type JobFields = Pick<OutboundJobData, 'model' | 'recordId' | 'kind' | 'via'>;

/** A record's document built and checked, not yet recorded. */
interface PreparedBuild {
  data: JobFields;
  kind: OutboundKind;
  partner: Partner;
  outcome: Exclude<SourceBuild, { skipped: string }>['outcome'];
  written: ReturnType<typeof writeChecked> | undefined;
}

/** Where a prepared build goes in its batch's transaction: by partner (its counters), then record. */
const orderOf = (p: PreparedBuild) => `${p.partner.code}\u0000${p.data.model}\u0000${String(p.data.recordId).padStart(12, '0')}\u0000${p.kind}`;

/** Builds, checks and records one record's document of one kind (the stage's work for one job). */
export async function buildOutbound(ctx: OutboundContext, data: JobFields, options: BuildOptions = {}): Promise<OutboundResult> {
  const prepared = await prepareOutbound(ctx, data);
  if ('skipped' in prepared) return prepared;
  return withTransaction(ctx.db, (tx) => recordOutbound(ctx, tx, prepared, options));
}

/** Steps 1 and 2: the record read afresh and its document built and checked (no transaction). */
async function prepareOutbound(ctx: OutboundContext, data: JobFields): Promise<PreparedBuild | { skipped: string }> {
  const kind = data.kind as OutboundKind;
  const built = await ctx.source.build(kind, data.recordId);
  if ('skipped' in built) return built;
  const { partner, outcome } = built;
  const written = 'built' in outcome ? writeChecked(ctx, partner, kind, outcome.built as Json, ctx.now()) : undefined;
  return { data, kind, partner, outcome, written };
}

/** Step 3, in the caller's transaction. */
async function recordOutbound(ctx: OutboundContext, tx: Tx, prepared: PreparedBuild, options: BuildOptions = {}): Promise<OutboundResult> {
  const { data, kind, partner, outcome, written } = prepared;
  const source = { model: data.model, recordId: data.recordId, setId: kind };
  await run(tx, waitXactLock(`outbound:${data.model}:${data.recordId}:${kind}`));
  const existing = await lockOutboundDocument(tx, source);
  const regenerate = options.regenerate && existing?.id === options.regenerate.documentId && REGENERABLE.includes(existing.state) ? options.regenerate : undefined;
  const reason = 'held' in outcome ? outcome.held : written && 'invalid' in written ? written.invalid : undefined;
  if (existing?.state === 'built' && !regenerate) {
    if (reason !== undefined) return withdrawUndelivered(ctx, tx, prepared, existing, reason);
    if ('built' in outcome && written && 'segments' in written) return supersedeUndelivered(ctx, tx, prepared, existing, outcome.built as Json, written.segments);
  }
  if (existing && existing.state !== 'held' && !regenerate) return { unchanged: existing };
  // A regenerate stores the next generation (and cancels `existing` below); a build replaces a held one.
  const replaced = regenerate ? undefined : existing;
  const generation = regenerate ? existing!.generation + 1 : existing?.generation ?? 1;
  const base = { partner: partner.code, sourceName: outcome.source.name, sourceVersion: outcome.source.writeDate };
  const regenerated = regenerate ? { regenerate: true, previous: existing!.id, ...(regenerate.reason ? { reason: regenerate.reason } : {}) } : {};
  const event = (message: string, details: Json = {}) => ({ stage: 'outbound', actor: regenerate?.actor.name ?? 'system', message, details: { via: data.via, ...regenerated, ...(details as object) } });
  const store = async (version: OutboundDocumentVersion, message: string, details?: Json) => {
    const stored = replaced
      ? await replaceOutboundDocument(tx, replaced.id, ['held'], version, event(message, details))
      : await insertOutboundDocument(tx, { ...source, generation }, version, event(message, details));
    if (regenerate) {
      const why = regenerate.reason ? `: ${regenerate.reason}` : '';
      await cancelOutboundDocument(tx, existing!.id, REGENERABLE, {
        stage: 'outbound', actor: regenerate.actor.name, message: `cancelled: regenerated as generation ${generation} (document ${stored!.id})${why}`,
        details: { regenerate: true, next: stored!.id, ...(regenerate.reason ? { reason: regenerate.reason } : {}) },
      });
      // Who and why, in the audit trail, with the regenerate itself.
      await recordAction(tx, regenerate.actor, {
        action: 'outbound.regenerate', targetKind: 'outbound_document', targetId: String(existing!.id), reason: regenerate.reason ?? null,
        details: { next: stored!.id, state: stored!.state },
      });
    }
    return stored!;
  };
  if (reason !== undefined) {
    if (replaced?.reason === reason) return { held: replaced };
    const version: OutboundDocumentVersion = { ...base, state: 'held', reason, document: 'built' in outcome ? (outcome.built as Json) : null, ...keptNumbers(replaced) };
    return { held: await store(version, `held: ${reason}`) };
  }
  const document = (outcome as { built: Json }).built;
  const segments = (written as { segments: readonly SegmentData[] }).segments;
  const numbered = await numberAndQueue(ctx, tx, partner, kind, segments, { ...source, generation }, controlsOf(replaced));
  const version: OutboundDocumentVersion = {
    ...base, state: 'built', reason: null, document,
    interchangeControl: numbered.controls.interchange, groupControl: numbered.controls.group, controlNumber: numbered.controls.set,
    outboundId: numbered.outboundId, ackWindowSeconds: (partner.acknowledgments.expectWithinHours ?? 24) * 3600,
  };
  const message = `${kind} ${regenerate ? `regenerated as generation ${generation}` : 'built'} from ${outcome.source.model} ${outcome.source.name} for ${partner.code}: ISA13 ${numbered.controls.interchange}, GS06 ${numbered.controls.group}, ST02 ${numbered.controls.set}`;
  const details = { ...('details' in outcome && outcome.details ? { build: outcome.details as Json } : {}), outboundId: numbered.outboundId };
  return { built: await store(version, message, details) };
}

/**
 * Only the latest version of a record is sent (issue 12): a document built but not yet taken by a
 * delivery is replaced by a build that differs, in place and under the same control numbers. The
 * old bytes never left, so the partner never sees those numbers twice, and new numbers would leave
 * a gap in its sequence. Once a delivery claimed the entry, or holds its row (replaceUndelivered),
 * the document is the one sent, and this build is left alone.
 */
async function supersedeUndelivered(ctx: OutboundContext, tx: Tx, prepared: PreparedBuild, existing: OutboundDocumentRecord, document: Json, segments: readonly SegmentData[]): Promise<OutboundResult> {
  const { data, kind, partner, outcome } = prepared;
  // Compared as stored (jsonb): key order and undefined members do not count as a change.
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(document)), existing.document)) return { unchanged: existing };
  const controls = { interchange: Number(existing.interchangeControl), group: Number(existing.groupControl), set: Number(existing.controlNumber) };
  const { payload } = renderInterchange(ctx, partner, kind, segments, controls, ctx.now());
  const where = { model: data.model, recordId: data.recordId, kind, document: existing.id, outbound: existing.outboundId };
  if (existing.outboundId === null || !(await replaceUndelivered(tx, existing.outboundId, payload))) {
    ctx.log.debug(where, `a newer ${kind} of ${data.model} ${data.recordId} is not sent: the delivery already took the one built`);
    return { unchanged: existing };
  }
  const version: OutboundDocumentVersion = {
    partner: partner.code, sourceName: outcome.source.name, sourceVersion: outcome.source.writeDate, state: 'built', reason: null, document,
    interchangeControl: existing.interchangeControl, groupControl: existing.groupControl, controlNumber: existing.controlNumber,
    outboundId: existing.outboundId, ackWindowSeconds: existing.ackWindowSeconds,
  };
  const event = {
    stage: 'outbound', actor: 'system',
    message: `${kind} replaced before delivery by the newer version of ${outcome.source.model} ${outcome.source.name} (written ${outcome.source.writeDate}): the same ISA13 ${existing.interchangeControl}, GS06 ${existing.groupControl}, ST02 ${existing.controlNumber}`,
    details: { via: data.via, replaced: true, outboundId: existing.outboundId, previousVersion: existing.sourceVersion, ...('details' in outcome && outcome.details ? { build: outcome.details as Json } : {}) },
  };
  const stored = await replaceOutboundDocument(tx, existing.id, ['built'], version, event);
  // The document row is locked (lockOutboundDocument): it is still built.
  if (!stored) throw new Error(`outbound document ${existing.id} left built while locked`);
  ctx.log.debug(where, `${kind} of ${data.model} ${data.recordId} replaced by a newer version before delivery`);
  return { built: stored };
}

const NO_NUMBERS = { interchangeControl: null, groupControl: null, controlNumber: null, outboundId: null, ackWindowSeconds: null } as const;

/** A held document keeps the numbers of a version withdrawn before delivery (its next build reuses them); otherwise none. */
function keptNumbers(held: OutboundDocumentRecord | undefined): Pick<OutboundDocumentVersion, 'interchangeControl' | 'groupControl' | 'controlNumber' | 'outboundId' | 'ackWindowSeconds'> {
  return held?.controlNumber ? { interchangeControl: held.interchangeControl, groupControl: held.groupControl, controlNumber: held.controlNumber, outboundId: null, ackWindowSeconds: null } : NO_NUMBERS;
}

/** The numbers a held document kept from a withdrawn version, for its next build. */
function controlsOf(held: OutboundDocumentRecord | undefined): OutboundEnvelope['controls'] | undefined {
  return held?.controlNumber && held.interchangeControl && held.groupControl
    ? { interchange: Number(held.interchangeControl), group: Number(held.groupControl), set: Number(held.controlNumber) }
    : undefined;
}

/**
 * The record changed before its built document was delivered, and its newer version cannot be built
 * (held: data missing in Odoo). The older version must not go out either: its entry is withdrawn
 * while no delivery has touched it, and the document is held with the reason, keeping its control
 * numbers for the build that follows the fix (so the partner's sequence has no gap). Once a delivery
 * took the entry, the older version is the one sent and this build is left alone.
 */
async function withdrawUndelivered(ctx: OutboundContext, tx: Tx, prepared: PreparedBuild, existing: OutboundDocumentRecord, reason: string): Promise<OutboundResult> {
  const { data, kind, outcome } = prepared;
  const where = { model: data.model, recordId: data.recordId, kind, document: existing.id, outbound: existing.outboundId };
  if (existing.outboundId === null || !(await withdrawEntry(tx, existing.outboundId))) {
    ctx.log.debug(where, `a newer ${kind} of ${data.model} ${data.recordId} is held, but the delivery already took the one built`);
    return { unchanged: existing };
  }
  const version: OutboundDocumentVersion = {
    partner: prepared.partner.code, sourceName: outcome.source.name, sourceVersion: outcome.source.writeDate, state: 'held', reason,
    document: 'built' in outcome ? (outcome.built as Json) : null, ...keptNumbers(existing),
  };
  const event = {
    stage: 'outbound', actor: 'system',
    message: `${kind} withdrawn before delivery: ${outcome.source.model} ${outcome.source.name} changed and its newer version is held: ${reason} (ISA13 ${existing.interchangeControl}, GS06 ${existing.groupControl}, ST02 ${existing.controlNumber} kept for its next build)`,
    details: { via: data.via, withdrawn: true, outboundId: existing.outboundId, previousVersion: existing.sourceVersion },
  };
  const stored = await replaceOutboundDocument(tx, existing.id, ['built'], version, event);
  if (!stored) throw new Error(`outbound document ${existing.id} left built while locked`);
  return { held: stored };
}

/**
 * Takes the interchange's numbers from the partner's counters (or reuses `kept`: those of a version
 * withdrawn before delivery, never seen by the partner) and queues it for delivery, in `tx`.
 */
async function numberAndQueue(ctx: OutboundContext, tx: Tx, partner: Partner, kind: OutboundKind, segments: readonly SegmentData[], source: { model: string; recordId: number; generation: number }, kept?: OutboundEnvelope['controls']) {
  const controls = kept ?? {
    interchange: (await takeControlNumbers(tx, partner.code, 'isa', 1))[0]!,
    group: (await takeControlNumbers(tx, partner.code, 'gs', 1))[0]!,
    set: (await takeControlNumbers(tx, partner.code, 'st', 1))[0]!,
  };
  const { interchange: ic, payload } = renderInterchange(ctx, partner, kind, segments, controls, ctx.now());
  const entry = await queueOutbound(tx, { partner: partner.code, kind, fileId: null, sourceKey: `odoo:${source.model}:${source.recordId}:${kind}:${source.generation}`, payload });
  if (!entry) throw new Error(`an outbound entry for ${source.model} ${source.recordId} ${kind} generation ${source.generation} exists already`);
  // Wakes the delivery loops at commit.
  await run(tx, notify(ctx.queue.channel, [DELIVERY_WAKE]));
  return { outboundId: entry.id, controls: { interchange: String(ic.header.controlNumber).padStart(9, '0'), group: ic.groups[0]!.controlNumber, set: ic.groups[0]!.transactions[0]!.controlNumber } };
}


/** What the builders learn from the store: the posted 850 an 855, 856 or 810 answers (any purpose, newest first). */
export function storedInbound(db: Database): InboundLookup {
  return {
    async purchaseOrder(partner, poNumber) {
      const keys = Object.values(PURPOSE_CODES).map((code) => repeatKeyText('odoo', businessKeyText(partner, '850', poNumber, code)));
      const hit = await findPostedByRepeatKeys(db, keys);
      return hit && { documentId: hit.id, document: hit.document as unknown as PurchaseOrder };
    },
  };
}
