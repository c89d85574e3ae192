// A person's actions on received documents, one implementation each for the CLI, the JSON API and
// the console's pages (docs/operations.md#acting-on-documents):
// - replay: a rejected or failed document back to the stage that failed (./replay.ts);
// - cancel: a rejected or failed document the partner will not correct becomes `cancelled`, with a
//   reason; a posted one never is (it lives in Odoo: reverse it there);
// - bulk replay: every rejected or failed document a filter matches (the list's filters), recorded as
//   a replay batch whose progress is read from its documents' current states;
// - downloads: a set's X12, a file's bytes as received, the acknowledgment we sent for its interchange.
// Each change and its audit row (who, when, what, why; src/store/access-repo.ts recordAction) commit
// together, so the audit and the timeline never disagree with what happened.
import type { Actor, DocumentFilter } from '../store/index.js';
import {
  documentIdsMatching, findOutbound, getDocument, getDocumentBytes, getFile, getFileBytes, getReplayBatch, recordAction,
  DOCUMENT_STATES, setDocumentState, withTransaction, type DocumentState, type Json, type ReplayBatchRecord,
} from '../store/index.js';
import { dateBound } from '../util/date-range.js';
import { ackSourceKey } from './acks.js';
import type { PipelineContext } from './context.js';
import { REPLAYABLE, replayAsBatch, replayDocumentIn, type ReplayResult } from './replay.js';

type Ctx = Pick<PipelineContext, 'db' | 'queue'>;

/** States a replayed document passes through on its way to posted, rejected or failed. */
export const IN_FLIGHT: readonly DocumentState[] = ['parsed', 'validated', 'mapped', 'posting'];
/** A bulk replay takes at most this many documents: a larger set is narrowed first (by partner, set or date). */
export const BULK_REPLAY_MAX = 10_000;

/** The filter fields as a query string or a form gives them (GET /api/documents' names). */
export interface FilterText {
  state?: string;
  partner?: string;
  set?: string;
  search?: string;
  from?: string;
  to?: string;
}

/** A filter as typed (query string, form, `edi replay --filter`) -> the documents' filter, or what is wrong with it. */
export function parseFilter(q: FilterText): ReplayFilter | { error: string } {
  const states = q.state?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const unknown = states.filter((s) => !(DOCUMENT_STATES as readonly string[]).includes(s));
  if (unknown.length) return { error: `unknown state ${unknown.join(', ')}; states are ${DOCUMENT_STATES.join(', ')}` };
  const from = q.from ? dateBound(q.from, 'from') : undefined;
  const to = q.to ? dateBound(q.to, 'to') : undefined;
  if ((q.from && !from) || (q.to && !to)) return { error: 'from and to are ISO dates (2026-12-07) or date-times (2026-12-07T14:30:00Z)' };
  if (q.set && !/^\d{3}$/.test(q.set)) return { error: `set ${q.set} is not a transaction set number such as 850` };
  return {
    ...(states.length ? { state: states as DocumentState[] } : {}),
    ...(q.partner?.trim() ? { partner: q.partner.trim() } : {}),
    ...(q.set ? { setId: q.set } : {}),
    ...(q.search?.trim() ? { search: q.search.trim() } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

/** The filters of GET /api/documents and `edi docs list` a bulk replay takes. */
export type ReplayFilter = Pick<DocumentFilter, 'partner' | 'setId' | 'search' | 'from' | 'to'> & { state?: readonly DocumentState[] };

export type CancelResult =
  | { notFound: true }
  /** Why not, in words a person can act on. */
  | { refused: string }
  | { cancelled: { documentId: number; from: DocumentState; auditId: number } };

/** `more`: more than BULK_REPLAY_MAX match (count is the maximum then). */
export type BulkCount = { refused: string } | { count: number; more: boolean; states: DocumentState[] };
export type BulkStart = { refused: string } | { batchId: number; replayed: number; skipped: number };

export interface BulkProgress {
  id: number;
  filter: Json;
  actor: string;
  reason: string | null;
  createdAt: Date;
  total: number;
  posted: number;
  rejected: number;
  failed: number;
  inFlight: number;
  /** Ended otherwise: duplicate or cancelled meanwhile. */
  other: number;
  /** Matched but not replayed (rejected with their envelope, changed since counted), with why. */
  skipped: ReplayBatchRecord['skipped'];
  /** Every replayed document settled (posted, rejected, failed or otherwise). */
  done: boolean;
}

export interface Download {
  fileName: string;
  bytes: Buffer;
}

export interface DocumentActions {
  replay(id: number, actor: Actor, reason?: string | null): Promise<ReplayResult>;
  cancel(id: number, actor: Actor, reason: string): Promise<CancelResult>;
  countBulk(filter: ReplayFilter): Promise<BulkCount>;
  startBulk(filter: ReplayFilter, actor: Actor, reason?: string | null): Promise<BulkStart>;
  bulkProgress(id: number): Promise<BulkProgress | undefined>;
  rawDocument(id: number): Promise<Download | undefined>;
  rawFile(id: number): Promise<Download | undefined>;
  acknowledgment(documentId: number): Promise<Download | undefined>;
}

export function documentActions(ctx: Ctx): DocumentActions {
  const { db } = ctx;
  return {
    replay: (id, actor, reason) => withTransaction(db, async (tx) => {
      const result = await replayDocumentIn(ctx, tx, id, actor.name);
      // A replay that changed nothing (not rejected or failed) is answered, not audited.
      if (result.replayed.length) {
        const to = result.replayed.map((r) => `${r.from} -> back to ${r.stage}`).join(', ');
        await recordAction(tx, actor, {
          action: 'documents.replay', targetKind: 'document', targetId: String(id), reason: reason?.trim() || null,
          details: { replayed: result.replayed } as unknown as Json,
          timeline: { documentId: id, stage: 'replay', message: `${actor.name} replayed it (${to})${reason?.trim() ? `: ${reason.trim()}` : ''}` },
        });
      }
      return result;
    }),

    cancel: (id, actor, reason) => withTransaction(db, async (tx) => {
      const why = reason.trim();
      if (!why) return { refused: 'say why: a cancel needs a reason' };
      const doc = await getDocument(tx, id);
      if (!doc) return { notFound: true };
      if (!REPLAYABLE.includes(doc.state)) return { refused: cancelRefusal(id, doc.state) };
      const changed = await setDocumentState(tx, { id, from: REPLAYABLE, to: 'cancelled', reason: `cancelled by ${actor.name}: ${why}` });
      if (!changed) return { refused: `document ${id} changed meanwhile: look again` };
      const audit = await recordAction(tx, actor, {
        action: 'documents.cancel', targetKind: 'document', targetId: String(id), reason: why, details: { from: changed.previousState },
        timeline: { documentId: id, stage: 'cancel', message: `cancelled by ${actor.name} (was ${changed.previousState}): ${why}` },
      });
      return { cancelled: { documentId: id, from: changed.previousState, auditId: audit.id } };
    }),

    async countBulk(filter) {
      const states = replayStates(filter);
      if ('refused' in states) return states;
      const ids = await documentIdsMatching(db, { ...filter, state: states.states }, BULK_REPLAY_MAX + 1);
      return { count: Math.min(ids.length, BULK_REPLAY_MAX), more: ids.length > BULK_REPLAY_MAX, states: states.states };
    },

    async startBulk(filter, actor, reason) {
      const states = replayStates(filter);
      if ('refused' in states) return states;
      const ids = await documentIdsMatching(db, { ...filter, state: states.states }, BULK_REPLAY_MAX + 1);
      if (ids.length === 0) return { refused: 'no rejected or failed document matches this filter' };
      if (ids.length > BULK_REPLAY_MAX) return { refused: `more than ${BULK_REPLAY_MAX} documents match: at most that many are replayed at once; narrow the filter (partner, set, dates)` };
      const why = reason?.trim() || null;
      return withTransaction(db, async (tx) => {
        const result = await replayAsBatch(ctx, tx, ids, actor, { filter: filterJson(filter), reason: why, note: (id) => `bulk replay ${id}${why ? `: ${why}` : ''}` });
        const { batchId } = result;
        await recordAction(tx, actor, {
          action: 'documents.replay-bulk', targetKind: 'replay_batch', targetId: String(batchId), reason: why,
          details: { filter: filterJson(filter), matched: ids.length, replayed: result.replayed.length, skipped: result.skipped.length },
        });
        return { batchId, replayed: result.replayed.length, skipped: result.skipped.length };
      });
    },

    async bulkProgress(id) {
      const batch = await getReplayBatch(db, id);
      if (!batch) return undefined;
      const n = (s: DocumentState) => batch.states[s] ?? 0;
      const total = batch.documentIds.length;
      const inFlight = IN_FLIGHT.reduce((sum, s) => sum + n(s), 0);
      const posted = n('posted'), rejected = n('rejected'), failed = n('failed');
      return {
        id: batch.id, filter: batch.filter, actor: batch.actor, reason: batch.reason, createdAt: batch.createdAt,
        total, posted, rejected, failed, inFlight, other: total - posted - rejected - failed - inFlight, skipped: batch.skipped, done: inFlight === 0,
      };
    },

    async rawDocument(id) {
      const doc = await getDocument(db, id);
      const bytes = doc && (await getDocumentBytes(db, id));
      return doc && bytes ? { fileName: `document-${id}-${doc.setId}.x12`, bytes } : undefined;
    },

    async rawFile(id) {
      const file = await getFile(db, id);
      const bytes = file && (await getFileBytes(db, id));
      return file && bytes ? { fileName: downloadFileName(file.sourceName, `file-${id}.x12`), bytes } : undefined;
    },

    async acknowledgment(documentId) {
      const doc = await getDocument(db, documentId);
      const ack = doc && (await findOutbound(db, ackSourceKey(doc.interchangeId)));
      return ack ? { fileName: `${ack.kind}-for-interchange-${doc!.interchangeControl}.x12`, bytes: Buffer.from(ack.payload, 'latin1') } : undefined;
    },
  };
}

/** The states a bulk replay takes: rejected and failed, or those of them the filter names. */
function replayStates(filter: ReplayFilter): { states: DocumentState[] } | { refused: string } {
  const states = filter.state?.length ? REPLAYABLE.filter((s) => filter.state!.includes(s)) : [...REPLAYABLE];
  return states.length ? { states } : { refused: `only rejected or failed documents are replayed; the filter asks for ${filter.state!.join(', ')}` };
}

function cancelRefusal(id: number, state: DocumentState): string {
  if (state === 'posted') return `document ${id} is posted: it lives in Odoo now, so it is never cancelled here (reverse it in Odoo)`;
  if (state === 'cancelled') return `document ${id} is cancelled already`;
  return `document ${id} is ${state}: only rejected or failed documents are cancelled`;
}

function filterJson(filter: ReplayFilter): Json {
  return JSON.parse(JSON.stringify(filter)) as Json;
}

/** A name safe in a Content-Disposition header and on any disk: letters, digits, dot, dash, underscore. */
export function downloadFileName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 120);
  return safe && /[A-Za-z0-9]/.test(safe) ? safe : fallback;
}
