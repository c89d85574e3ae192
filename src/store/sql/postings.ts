// Plans for the post stage's claim -> call -> record: the claim moves documents mapped -> posting
// with a lease (holder, expiry) and their business key; the holder renews the lease while it calls
// the target; the outcome is recorded with transitionDocuments guarded by the lease (documents.ts).
import { tableIn } from '../identifiers.js';
import { LEASE_EXPIRED } from './documents.js';
import { json, Params, type Plan } from './plan.js';

export interface PostingClaim {
  id: number;
  /** Two documents in 'posting' never share one (unique index of migration 6). Distinct within a claim. */
  businessKey: string;
  /**
   * What makes the document a repeat (migration 8), written on it: nor do two documents in 'posting'
   * share one. Distinct within a claim. With `checkRepeat`, a document whose repeat key a posted
   * document has is not claimed (it stays mapped: the post stage finds it a repeat next time).
   */
  repeatKey?: string | null;
  checkRepeat?: boolean;
  /** The timeline entry of the claim; none for a try the post stage does not note (its timeline is folded). */
  event?: { message: string; details?: Record<string, unknown> };
}

export interface ClaimRequest {
  claims: readonly PostingClaim[];
  holder: string;
  leaseSeconds: number;
  stage: string;
  actor: string;
}

/**
 * Claims the documents still 'mapped' whose business key no document in 'posting' holds, with one
 * event each and one more attempt. Rows are locked in id order; a claim racing another one for the
 * same key (neither sees the other's uncommitted row) fails on the unique index with 23505, after
 * the other commits: run it again and the key is seen as held.
 */
export function claimPostings(schema: string, c: ClaimRequest): Plan {
  const documents = tableIn(schema, 'documents');
  const p = new Params();
  const input = [
    `${p.add(c.claims.map((x) => x.id))}::bigint[]`,
    `${p.add(c.claims.map((x) => x.businessKey))}::text[]`,
    `${p.add(c.claims.map((x) => x.repeatKey ?? null))}::text[]`,
    `${p.add(c.claims.map((x) => x.checkRepeat === true))}::bool[]`,
    `${p.add(c.claims.map((x) => x.event?.message ?? null))}::text[]`,
    `${p.add(c.claims.map((x) => (x.event ? json(x.event.details ?? {}) : null)))}::jsonb[]`,
  ];
  return {
    text: `WITH input AS (
             SELECT * FROM unnest(${input.join(', ')}) AS t(id, business_key, repeat_key, check_repeat, event_message, event_details)
           ),
           old AS (
             SELECT d.id, d.state FROM ${documents} d JOIN input i ON i.id = d.id
             WHERE d.state = 'mapped'
               AND NOT EXISTS (SELECT 1 FROM ${documents} o WHERE o.business_key = i.business_key AND o.state = 'posting')
               AND NOT EXISTS (SELECT 1 FROM ${documents} o WHERE o.repeat_key = i.repeat_key AND o.state = 'posting')
               AND NOT (i.check_repeat AND EXISTS (SELECT 1 FROM ${documents} o WHERE o.repeat_key = i.repeat_key AND o.state = 'posted'))
             ORDER BY d.id FOR UPDATE OF d
           ),
           changed AS (
             UPDATE ${documents} d SET
               state = 'posting',
               business_key = i.business_key,
               repeat_key = i.repeat_key,
               lease_holder = ${p.add(c.holder)},
               lease_expires_at = now() + ${p.add(c.leaseSeconds)} * interval '1 second',
               attempts = d.attempts + 1,
               updated_at = now()
             FROM old JOIN input i ON i.id = old.id
             WHERE d.id = old.id AND d.state = 'mapped'
             RETURNING d.id, d.file_id, d.lease_expires_at, old.state AS previous_state, i.event_message, i.event_details
           ),
           event AS (
             INSERT INTO ${tableIn(schema, 'events')} (file_id, document_id, stage, actor, from_state, to_state, message, details)
             SELECT file_id, id, ${p.add(c.stage)}, ${p.add(c.actor)}, previous_state, 'posting', event_message, event_details FROM changed
             WHERE event_message IS NOT NULL
           )
           SELECT id, lease_expires_at FROM changed ORDER BY id`,
    values: p.values,
  };
}

/** The first posted document of each of `repeatKeys` (lowest id): what a repeat of the key is a duplicate of. */
export function firstPosted(schema: string, repeatKeys: readonly string[]): Plan {
  return {
    text: `SELECT DISTINCT ON (repeat_key) repeat_key, id, target_ref FROM ${tableIn(schema, 'documents')}
           WHERE repeat_key = ANY($1::text[]) AND state = 'posted'
           ORDER BY repeat_key, id`,
    values: [repeatKeys],
  };
}

/** Pushes the expiry of the holder's leases out again; returns the ids it still holds. */
export function renewLeases(schema: string, r: { ids: readonly number[]; holder: string; leaseSeconds: number }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'documents')} SET lease_expires_at = now() + $3 * interval '1 second'
           WHERE id = ANY($1::bigint[]) AND state = 'posting' AND lease_holder = $2
           RETURNING id`,
    values: [r.ids, r.holder, r.leaseSeconds],
  };
}

const LEASE_COLUMNS = (alias: string) =>
  `${alias}.id, ${alias}.file_id, ${alias}.business_key, ${alias}.lease_holder, ${alias}.lease_expires_at, ${LEASE_EXPIRED(alias)} AS expired`;

/** The leases of those of `ids` that are in 'posting' (expired: by the database's clock). */
export function leasesOf(schema: string, ids: readonly number[]): Plan {
  return {
    text: `SELECT ${LEASE_COLUMNS('d')} FROM ${tableIn(schema, 'documents')} d WHERE d.id = ANY($1::bigint[]) AND d.state = 'posting' ORDER BY d.id`,
    values: [ids],
  };
}

/** Documents in 'posting' whose lease ran out (their holder died or lost the database), oldest lease first. */
export function expiredPostings(schema: string, limit: number): Plan {
  return {
    text: `SELECT ${LEASE_COLUMNS('d')} FROM ${tableIn(schema, 'documents')} d
           WHERE d.state = 'posting' AND ${LEASE_EXPIRED('d')}
           ORDER BY d.lease_expires_at NULLS FIRST, d.id LIMIT $1`,
    values: [limit],
  };
}

/** How many documents are being posted now (a claim holds them); served by the partial lease index. */
export function countPostings(schema: string): Plan {
  return { text: `SELECT count(*)::int AS n FROM ${tableIn(schema, 'documents')} WHERE state = 'posting'`, values: [] };
}
