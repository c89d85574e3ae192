// Plans for the posted ledger: what the recording / dry-run target posted, once per natural key.
import { tableIn } from '../identifiers.js';
import { json, Params, whereClause, type Plan } from './plan.js';

const POSTED_COLUMNS = 'target, natural_key, document_id, target_ref, payload, posted_at';

export interface NewPosted {
  target: string;
  /** What makes a posting the same posting (e.g. partner + PO number). */
  naturalKey: string;
  documentId?: number | null;
  targetRef: string;
  payload?: unknown;
}

/** Records a posting; when (target, natural key) is already there, nothing changes and no row comes back. */
export function insertPosted(schema: string, r: NewPosted): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'posted')} (target, natural_key, document_id, target_ref, payload)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (target, natural_key) DO NOTHING
           RETURNING ${POSTED_COLUMNS}`,
    values: [r.target, r.naturalKey, r.documentId ?? null, r.targetRef, r.payload === undefined ? null : json(r.payload)],
  };
}

/** Records many postings in one statement; one whose (target, natural key) is there already is skipped (not returned). */
export function insertPostedMany(schema: string, entries: readonly NewPosted[]): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'posted')} (target, natural_key, document_id, target_ref, payload)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[])
           ON CONFLICT (target, natural_key) DO NOTHING
           RETURNING ${POSTED_COLUMNS}`,
    values: [
      entries.map((r) => r.target),
      entries.map((r) => r.naturalKey),
      entries.map((r) => r.documentId ?? null),
      entries.map((r) => r.targetRef),
      entries.map((r) => (r.payload === undefined ? null : json(r.payload))),
    ],
  };
}

export function findPosted(schema: string, target: string, naturalKey: string): Plan {
  return {
    text: `SELECT ${POSTED_COLUMNS} FROM ${tableIn(schema, 'posted')} WHERE target = $1 AND natural_key = $2`,
    values: [target, naturalKey],
  };
}

export function listPosted(schema: string, filter: { target?: string; documentId?: number } = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.target) where.push(`target = ${p.add(filter.target)}`);
  if (filter.documentId !== undefined) where.push(`document_id = ${p.add(filter.documentId)}`);
  return {
    text: `SELECT ${POSTED_COLUMNS} FROM ${tableIn(schema, 'posted')} ${whereClause(where)} ORDER BY posted_at, natural_key`,
    values: p.values,
  };
}
