// Plans of the delivery stage over `outbound` (migration 5): find what is due, claim it (its file
// name is fixed before the first upload), and record the outcome. Rows are locked FOR UPDATE SKIP
// LOCKED, so several gateway processes share the work and never deliver one entry at once.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

export const DELIVERY_COLUMNS =
  'id, partner, kind, file_id, source_key, payload, state, reason, created_at, sent_at, file_name, remote_path, attempts, next_attempt_at';

/** Ready entries whose next attempt is due, oldest first, locked; entries another process holds are skipped. */
export function lockDueDeliveries(schema: string, limit: number): Plan {
  return {
    text: `SELECT ${DELIVERY_COLUMNS} FROM ${tableIn(schema, 'outbound')}
           WHERE state = 'ready' AND (next_attempt_at IS NULL OR next_attempt_at <= now())
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    values: [limit],
  };
}

/** One entry, locked, if it is still ready and no other process holds it. */
export function lockDelivery(schema: string, id: number): Plan {
  return {
    text: `SELECT ${DELIVERY_COLUMNS} FROM ${tableIn(schema, 'outbound')} WHERE id = $1 AND state = 'ready' FOR UPDATE SKIP LOCKED`,
    values: [id],
  };
}

/** Counts a try and fixes the file name (the first name given stays for every later try). */
export function claimDelivery(schema: string, c: { id: number; fileName: string }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET file_name = coalesce(file_name, $2), attempts = attempts + 1, updated_at = now()
           WHERE id = $1 AND state = 'ready'
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.fileName],
  };
}

export function markDelivered(schema: string, c: { id: number; fileName: string; remotePath: string }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET state = 'sent', sent_at = now(), file_name = $2, remote_path = $3, reason = NULL, next_attempt_at = NULL, updated_at = now()
           WHERE id = $1 AND state = 'ready'
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.fileName, c.remotePath],
  };
}

/** Not delivered this time: stays ready until `delaySeconds` from now, or ends 'failed' (`fail`). */
export function deferDelivery(schema: string, c: { id: number; reason: string; delaySeconds: number; fail: boolean }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'outbound')}
           SET reason = $2, next_attempt_at = CASE WHEN $4 THEN NULL ELSE now() + make_interval(secs => $3) END,
               state = CASE WHEN $4 THEN 'failed' ELSE state END, updated_at = now()
           WHERE id = $1 AND state = 'ready'
           RETURNING ${DELIVERY_COLUMNS}`,
    values: [c.id, c.reason, c.delaySeconds, c.fail],
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
