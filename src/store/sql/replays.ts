// Plans for bulk replays (migration 16): the batch as started, and its progress read from the
// current states of the documents it replayed (docs/operations.md#bulk-replay).
import { tableIn } from '../identifiers.js';
import type { Json } from '../types.js';
import { listDocuments, type DocumentFilter } from './documents.js';
import { json, type Plan } from './plan.js';

export interface NewReplayBatch {
  filter: Json;
  documentIds: readonly number[];
  skipped: readonly unknown[];
  actor: string;
  actorUserId: number | null;
  via: string;
  reason: string | null;
}

/**
 * The ids of the documents a filter matches, at most `max`, oldest first: the documents list's own
 * plan (so a bulk replay takes exactly what the list shows) without its page.
 */
export function documentIdsMatching(schema: string, filter: Omit<DocumentFilter, 'before' | 'limit'>, max: number): Plan {
  const list = listDocuments(schema, { ...filter, limit: max });
  return { text: `SELECT m.id FROM (${list.text}) m ORDER BY m.id`, values: list.values };
}

const BATCH_COLUMNS = 'id, filter, document_ids, skipped, actor, via, reason, created_at';

export function insertReplayBatch(schema: string, b: NewReplayBatch): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'replay_batches')} (filter, document_ids, skipped, actor, actor_user_id, via, reason)
           VALUES ($1::jsonb, $2::bigint[], $3::jsonb, $4, $5::bigint, $6, $7) RETURNING ${BATCH_COLUMNS}`,
    values: [json(b.filter), [...b.documentIds], json(b.skipped), b.actor, b.actorUserId, b.via, b.reason],
  };
}

/** The batch and how many of its documents are in each state now. */
export function replayBatchProgress(schema: string, id: number): Plan {
  return {
    text: `SELECT ${BATCH_COLUMNS.split(', ').map((c) => `b.${c}`).join(', ')},
                  coalesce((SELECT jsonb_object_agg(s.state, s.n) FROM (
                    SELECT d.state, count(*)::int AS n FROM ${tableIn(schema, 'documents')} d WHERE d.id = ANY(b.document_ids) GROUP BY d.state
                  ) s), '{}'::jsonb) AS states
           FROM ${tableIn(schema, 'replay_batches')} b WHERE b.id = $1`,
    values: [id],
  };
}

/** What the batch replayed and left alone, written once in the transaction that started it. */
export function setReplayBatchDocuments(schema: string, id: number, documentIds: readonly number[], skipped: readonly unknown[]): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'replay_batches')} SET document_ids = $2::bigint[], skipped = $3::jsonb WHERE id = $1`,
    values: [id, [...documentIds], json(skipped)],
  };
}
