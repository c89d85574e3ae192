// Plans of the delivery stage over `outbound` (migrations 5 and 7): find what is due, claim it (its
// file name is fixed before the first upload; a lease says who delivers it until when), and record
// the outcome where the claimer's lease still stands. Due rows are locked FOR UPDATE SKIP LOCKED
// only for the short claim; during the upload the lease keeps other processes away.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

export const DELIVERY_COLUMNS =
  'id, partner, kind, file_id, source_key, payload, state, reason, created_at, sent_at, file_name, remote_path, attempts, next_attempt_at, lease_holder, lease_expires_at';

/** No one delivers the entry now: never claimed, recorded since, or its holder's lease ran out (database clock). */
const UNLEASED = `(lease_expires_at IS NULL OR lease_expires_at < now())`;

/**
 * The record's guard: `holder` still holds the lease (null: the caller has the row locked from a
 * claim, and no lease was taken).
 */
const HELD_BY = (param: string) => `(${param}::text IS NULL OR lease_holder = ${param}::text)`;

/** Ready entries whose next attempt is due and that no one delivers, oldest first, locked for the claim; rows another claim locks are skipped. */
export function lockDueDeliveries(schema: string, limit: number): Plan {
  return {
    text: `SELECT ${DELIVERY_COLUMNS} FROM ${tableIn(schema, 'outbound')}
           WHERE state = 'ready' AND (next_attempt_at IS NULL OR next_attempt_at <= now()) AND ${UNLEASED}
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    values: [limit],
  };
}

/**
 * Counts a try, fixes the file name (the first name given stays for every later try) and leases the
 * entry to `holder` for `leaseSeconds` (a lease left by a dead holder is taken over).
 */
export function claimDelivery(schema: string, c: { id: number; fileName: string; holder: string; leaseSeconds: number }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET file_name = coalesce(file_name, $2), attempts = attempts + 1,
               lease_holder = $3, lease_expires_at = now() + $4::float8 * interval '1 second', updated_at = now()
           WHERE id = $1 AND state = 'ready' AND ${UNLEASED}
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.fileName, c.holder, c.leaseSeconds],
  };
}

/** Pushes the expiry of the holder's leases out again; returns the ids it still holds. */
export function renewDeliveryLeases(schema: string, r: { ids: readonly number[]; holder: string; leaseSeconds: number }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')} SET lease_expires_at = now() + $3::float8 * interval '1 second'
           WHERE id = ANY($1::bigint[]) AND state = 'ready' AND lease_holder = $2
           RETURNING id`,
    values: [r.ids, r.holder, r.leaseSeconds],
  };
}

/** ready -> sent, lease released; no row back when `holder` no longer holds the lease. */
export function markDelivered(schema: string, c: { id: number; fileName: string; remotePath: string; holder: string }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET state = 'sent', sent_at = now(), file_name = $2, remote_path = $3, reason = NULL, next_attempt_at = NULL,
               lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
           WHERE id = $1 AND state = 'ready' AND ${HELD_BY('$4')}
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.fileName, c.remotePath, c.holder],
  };
}

/**
 * Not delivered this time: stays ready until `delaySeconds` from now, or ends 'failed' (`fail`);
 * the lease is released. Guarded by `holder` as markDelivered.
 */
export function deferDelivery(schema: string, c: { id: number; reason: string; delaySeconds: number; fail: boolean; holder: string | null }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET reason = $2, next_attempt_at = CASE WHEN $4 THEN NULL ELSE now() + make_interval(secs => $3) END,
               state = CASE WHEN $4 THEN 'failed' ELSE state END, lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
           WHERE id = $1 AND state = 'ready' AND ${HELD_BY('$5')}
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.reason, c.delaySeconds, c.fail, c.holder],
  };
}

/** failed -> ready with fresh tries (the file name stays: a file that did arrive is not sent twice). */
export function replayDelivery(schema: string, id: number): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET state = 'ready', attempts = 0, next_attempt_at = NULL, reason = NULL, updated_at = now()
           WHERE id = $1 AND state = 'failed'
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [id],
  };
}

export function getDelivery(schema: string, id: number): Plan {
  return { text: `SELECT ${DELIVERY_COLUMNS} FROM ${tableIn(schema, 'outbound')} WHERE id = $1`, values: [id] };
}

/**
 * A newer version of a business document takes the place of its entry's bytes, only while no delivery
 * ever touched it: ready, never claimed (no file name fixed, no try counted) and unleased. A row some
 * delivery holds (a claim in progress, or the record of an upload, which then locks the document the
 * caller holds) is skipped rather than waited for: the delivery wins, and no lock cycle can form.
 * Once this holds the row, a claim skips it and takes the new bytes later.
 */
export function replaceUndelivered(schema: string, id: number, payload: string): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')} SET payload = $2, updated_at = now()
           WHERE id = (SELECT id FROM ${tableIn(schema, 'outbound')}
                       WHERE id = $1 AND state = 'ready' AND file_name IS NULL AND attempts = 0 AND ${UNLEASED}
                       FOR UPDATE SKIP LOCKED)
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [id, payload],
  };
}

/**
 * Takes back an entry no delivery ever touched (the conditions of replaceUndelivered), for a document
 * whose newer version cannot be built: deleted, after the document lets go of it in the same
 * statement, so its stale bytes can never be delivered or replayed. Nothing back: a delivery has it.
 */
export function withdrawUndelivered(schema: string, id: number): Plan {
  const outbound = tableIn(schema, 'outbound');
  return {
    text: `WITH target AS (SELECT id FROM ${outbound}
                           WHERE id = $1 AND state = 'ready' AND file_name IS NULL AND attempts = 0 AND ${UNLEASED}
                           FOR UPDATE SKIP LOCKED),
                released AS (UPDATE ${tableIn(schema, 'outbound_documents')} SET outbound_id = NULL WHERE outbound_id IN (SELECT id FROM target) RETURNING id)
           DELETE FROM ${outbound} WHERE id IN (SELECT id FROM target) RETURNING id`,
    values: [id],
  };
}
