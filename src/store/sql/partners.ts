// Plans for partner health and remembered remote files (migration 3).
import { tableIn } from '../identifiers.js';
import type { RemoteFileState } from '../types.js';
import { Params, whereClause, type Plan } from './plan.js';

const HEALTH_COLUMNS =
  'partner, transport, last_success, last_error, last_error_at, consecutive_failures, next_attempt_at, updated_at';
const REMOTE_COLUMNS = 'partner, mailbox, path, size, mtime, sha256, state, file_id, created_at, updated_at';

export interface HealthKey {
  partner: string;
  /** 'sftp', 'folder', ... */
  transport: string;
}

/** A success: failures reset, no backoff. */
export function recordHealthSuccess(schema: string, k: HealthKey): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'partner_health')} AS h (partner, transport, last_success, consecutive_failures)
           VALUES ($1, $2, now(), 0)
           ON CONFLICT (partner, transport) DO UPDATE
             SET last_success = now(), consecutive_failures = 0, next_attempt_at = NULL, updated_at = now()
           RETURNING ${HEALTH_COLUMNS}`,
    values: [k.partner, k.transport],
  };
}

export interface HealthFailure extends HealthKey {
  /** What went wrong (never a secret). */
  error: string;
  /**
   * Exponential backoff computed from the new failure count n: next_attempt_at = now() +
   * min(maxSeconds, baseSeconds * 2^(n-1)). Without it next_attempt_at is cleared.
   */
  backoff?: { baseSeconds: number; maxSeconds: number };
}

/** A failure: one more in a row, the error kept, the next attempt pushed out. */
export function recordHealthFailure(schema: string, f: HealthFailure): Plan {
  const base = f.backoff?.baseSeconds ?? null;
  const max = f.backoff?.maxSeconds ?? null;
  // The exponent is capped so that 2^n never overflows before min() applies.
  const next = (count: string) =>
    `CASE WHEN $4::float8 IS NULL THEN NULL
          ELSE now() + make_interval(secs => least($5::float8, $4::float8 * power(2, least(${count} - 1, 40)))) END`;
  return {
    text: `INSERT INTO ${tableIn(schema, 'partner_health')} AS h
             (partner, transport, last_error, last_error_at, consecutive_failures, next_attempt_at)
           VALUES ($1, $2, $3, now(), 1, ${next('1')})
           ON CONFLICT (partner, transport) DO UPDATE
             SET last_error = $3, last_error_at = now(), consecutive_failures = h.consecutive_failures + 1,
                 next_attempt_at = ${next('(h.consecutive_failures + 1)')}, updated_at = now()
           RETURNING ${HEALTH_COLUMNS}`,
    values: [f.partner, f.transport, f.error, base, max],
  };
}

export function listHealth(schema: string, filter: { partner?: string } = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.partner) where.push(`partner = ${p.add(filter.partner)}`);
  return {
    text: `SELECT ${HEALTH_COLUMNS} FROM ${tableIn(schema, 'partner_health')} ${whereClause(where)} ORDER BY partner, transport`,
    values: p.values,
  };
}

/** A file in a mailbox, as a listing shows it: name, size and mtime (ms since the epoch). */
export interface RemoteFileKey {
  partner: string;
  mailbox: string;
  path: string;
  size: number;
  mtime: number;
}

export interface RemoteFileEntry extends RemoteFileKey {
  sha256: string;
  state: RemoteFileState;
  fileId?: number | null;
}

const KEY_WHERE = 'partner = $1 AND mailbox = $2 AND path = $3 AND size = $4 AND mtime = $5';
const keyValues = (k: RemoteFileKey): unknown[] => [k.partner, k.mailbox, k.path, k.size, k.mtime];

/** Inserts or overwrites the entry of this path + size + mtime. */
export function upsertRemoteFile(schema: string, e: RemoteFileEntry): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'remote_files')} (partner, mailbox, path, size, mtime, sha256, state, file_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (partner, mailbox, path, size, mtime) DO UPDATE
             SET sha256 = EXCLUDED.sha256, state = EXCLUDED.state,
                 file_id = coalesce(EXCLUDED.file_id, ${tableIn(schema, 'remote_files')}.file_id), updated_at = now()
           RETURNING ${REMOTE_COLUMNS}`,
    values: [...keyValues(e), e.sha256, e.state, e.fileId ?? null],
  };
}

export function findRemoteFile(schema: string, k: RemoteFileKey): Plan {
  return { text: `SELECT ${REMOTE_COLUMNS} FROM ${tableIn(schema, 'remote_files')} WHERE ${KEY_WHERE}`, values: keyValues(k) };
}

/** Guarded: only from one of `from` (no row back otherwise). */
export function setRemoteFileState(schema: string, c: RemoteFileKey & { from: readonly RemoteFileState[]; to: RemoteFileState }): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'remote_files')} SET state = $7, updated_at = now()
           WHERE ${KEY_WHERE} AND state = ANY($6::text[])
           RETURNING ${REMOTE_COLUMNS}`,
    values: [...keyValues(c), c.from, c.to],
  };
}

export function listRemoteFiles(schema: string, filter: { partner: string; mailbox?: string; state?: RemoteFileState; limit?: number }): Plan {
  const p = new Params();
  const where = [`partner = ${p.add(filter.partner)}`];
  if (filter.mailbox !== undefined) where.push(`mailbox = ${p.add(filter.mailbox)}`);
  if (filter.state) where.push(`state = ${p.add(filter.state)}`);
  return {
    text: `SELECT ${REMOTE_COLUMNS} FROM ${tableIn(schema, 'remote_files')} ${whereClause(where)}
           ORDER BY mailbox, path, mtime ${filter.limit !== undefined ? `LIMIT ${p.add(filter.limit)}` : ''}`,
    values: p.values,
  };
}

export function deleteRemoteFile(schema: string, k: RemoteFileKey): Plan {
  return { text: `DELETE FROM ${tableIn(schema, 'remote_files')} WHERE ${KEY_WHERE} RETURNING ${REMOTE_COLUMNS}`, values: keyValues(k) };
}

/**
 * Forgets archived entries of a mailbox whose path is no longer listed there (the file is gone:
 * nothing to protect). 'ingested' and 'remembered' entries stay.
 */
export function pruneRemoteFiles(schema: string, c: { partner: string; mailbox: string; present: readonly string[] }): Plan {
  return {
    text: `DELETE FROM ${tableIn(schema, 'remote_files')}
           WHERE partner = $1 AND mailbox = $2 AND state = 'archived' AND NOT (path = ANY($3::text[]))`,
    values: [c.partner, c.mailbox, c.present],
  };
}
