// Plans for users, sessions, API tokens, login attempts and the audit trail (migration 13).
// Times come from the caller's clock (tests move it); secrets arrive as their sha256 only.
import { tableIn } from '../identifiers.js';
import type { Json } from '../types.js';
import { json, Params, whereClause, type Plan } from './plan.js';

const USER_COLUMNS = 'id, username, password_hash, role, created_at, created_by, disabled_at, last_login_at';

export interface NewUser {
  username: string;
  passwordHash: string;
  role: string;
  createdBy: string;
}

/** Adds a user; no row when the name is taken (whatever its case). */
export function insertUser(schema: string, u: NewUser): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'users')} (username, password_hash, role, created_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT ((lower(username))) DO NOTHING RETURNING ${USER_COLUMNS}`,
    values: [u.username, u.passwordHash, u.role, u.createdBy],
  };
}

export function anyUser(schema: string): Plan {
  return { text: `SELECT EXISTS (SELECT 1 FROM ${tableIn(schema, 'users')}) AS any`, values: [] };
}

/** `lock`: FOR UPDATE, inside a transaction that changes the user. */
export function findUser(schema: string, username: string, lock = false): Plan {
  return { text: `SELECT ${USER_COLUMNS} FROM ${tableIn(schema, 'users')} WHERE lower(username) = lower($1)${lock ? ' FOR UPDATE' : ''}`, values: [username] };
}

export function listUsers(schema: string): Plan {
  return { text: `SELECT ${USER_COLUMNS} FROM ${tableIn(schema, 'users')} ORDER BY lower(username)`, values: [] };
}

/** The enabled admins other than `userId`, locked: the last one is never disabled or demoted. */
export function otherAdmins(schema: string, userId: number): Plan {
  return { text: `SELECT id FROM ${tableIn(schema, 'users')} WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1 FOR UPDATE`, values: [userId] };
}

export interface UserChange {
  role?: string;
  passwordHash?: string;
  /** null enables. */
  disabledAt?: Date | null;
  lastLoginAt?: Date;
}

export function updateUser(schema: string, userId: number, change: UserChange): Plan {
  const p = new Params();
  const set: string[] = [];
  if (change.role !== undefined) set.push(`role = ${p.add(change.role)}`);
  if (change.passwordHash !== undefined) set.push(`password_hash = ${p.add(change.passwordHash)}`);
  if (change.disabledAt !== undefined) set.push(`disabled_at = ${p.add(change.disabledAt)}`);
  if (change.lastLoginAt !== undefined) set.push(`last_login_at = ${p.add(change.lastLoginAt)}`);
  if (!set.length) throw new Error('updateUser: nothing to change');
  return { text: `UPDATE ${tableIn(schema, 'users')} SET ${set.join(', ')} WHERE id = ${p.add(userId)} RETURNING ${USER_COLUMNS}`, values: p.values };
}

// --- sessions

const SESSION_JOIN = (schema: string) => `${tableIn(schema, 'sessions')} s JOIN ${tableIn(schema, 'users')} u ON u.id = s.user_id`;
const SESSION_COLUMNS = `s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.${USER_COLUMNS.split(', ').join(', u.')}`;

export interface NewSession {
  tokenHash: string;
  userId: number;
  csrfToken: string;
  now: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
  address: string | null;
}

export function insertSession(schema: string, s: NewSession): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'sessions')} (token_hash, user_id, csrf_token, created_at, last_seen_at, idle_expires_at, expires_at, address)
           VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id`,
    values: [s.tokenHash, s.userId, s.csrfToken, s.now, s.idleExpiresAt, s.expiresAt, s.address],
  };
}

/** A live session of an enabled user, with the user. */
export function findSession(schema: string, tokenHash: string, now: Date): Plan {
  return {
    text: `SELECT ${SESSION_COLUMNS} FROM ${SESSION_JOIN(schema)}
           WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND s.idle_expires_at > $2 AND u.disabled_at IS NULL`,
    values: [tokenHash, now],
  };
}

export function touchSession(schema: string, sessionId: number, now: Date, idleExpiresAt: Date): Plan {
  return { text: `UPDATE ${tableIn(schema, 'sessions')} SET last_seen_at = $2, idle_expires_at = least($3, expires_at) WHERE id = $1 AND ended_at IS NULL`, values: [sessionId, now, idleExpiresAt] };
}

export function endSession(schema: string, tokenHash: string, now: Date): Plan {
  return { text: `UPDATE ${tableIn(schema, 'sessions')} SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL RETURNING id, user_id`, values: [tokenHash, now] };
}

export function endUserSessions(schema: string, userId: number, now: Date): Plan {
  return { text: `UPDATE ${tableIn(schema, 'sessions')} SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, values: [userId, now] };
}

/** Sessions that ended or expired before `before`: nothing needs them any more. */
export function deleteOldSessions(schema: string, before: Date): Plan {
  return { text: `DELETE FROM ${tableIn(schema, 'sessions')} WHERE coalesce(ended_at, least(expires_at, idle_expires_at)) < $1`, values: [before] };
}

// --- API tokens

const TOKEN_COLUMNS = 't.id, t.label, t.created_at, t.created_by, t.last_used_at, t.revoked_at, u.username';

export interface NewApiToken {
  tokenHash: string;
  userId: number;
  label: string;
  createdBy: string;
}

export function insertApiToken(schema: string, t: NewApiToken): Plan {
  return {
    text: `WITH t AS (INSERT INTO ${tableIn(schema, 'api_tokens')} (token_hash, user_id, label, created_by) VALUES ($1, $2, $3, $4) RETURNING *)
           SELECT ${TOKEN_COLUMNS} FROM t JOIN ${tableIn(schema, 'users')} u ON u.id = t.user_id`,
    values: [t.tokenHash, t.userId, t.label, t.createdBy],
  };
}

/** An unrevoked token of an enabled user, with the user. */
export function findApiToken(schema: string, tokenHash: string): Plan {
  return {
    text: `SELECT t.id AS token_id, t.last_used_at AS token_last_used_at, u.${USER_COLUMNS.split(', ').join(', u.')}
           FROM ${tableIn(schema, 'api_tokens')} t JOIN ${tableIn(schema, 'users')} u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
    values: [tokenHash],
  };
}

export function touchApiToken(schema: string, tokenId: number, now: Date): Plan {
  return { text: `UPDATE ${tableIn(schema, 'api_tokens')} SET last_used_at = $2 WHERE id = $1`, values: [tokenId, now] };
}

export function revokeApiToken(schema: string, tokenId: number, now: Date): Plan {
  return {
    text: `WITH t AS (UPDATE ${tableIn(schema, 'api_tokens')} SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *)
           SELECT ${TOKEN_COLUMNS} FROM t JOIN ${tableIn(schema, 'users')} u ON u.id = t.user_id`,
    values: [tokenId, now],
  };
}

export function listApiTokens(schema: string, filter: { userId?: number } = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.userId !== undefined) where.push(`t.user_id = ${p.add(filter.userId)}`);
  return { text: `SELECT ${TOKEN_COLUMNS} FROM ${tableIn(schema, 'api_tokens')} t JOIN ${tableIn(schema, 'users')} u ON u.id = t.user_id ${whereClause(where)} ORDER BY t.id`, values: p.values };
}

// --- login attempts

export interface NewLoginAttempt {
  /** Lower-cased. */
  username: string;
  address: string;
  now: Date;
  /** Look back to here. */
  since: Date;
  /** How many failures of each kind to return (newest first). */
  usernameMax: number;
  addressMax: number;
}

/**
 * Records a login attempt as pending and returns the failures before it, newest first: those of its
 * name since the name's last success, and those of its address. The new row is not among them (a
 * statement does not see its own insert), and a burst of parallel attempts each counts the others
 * once they are committed.
 */
export function startLoginAttempt(schema: string, a: NewLoginAttempt): Plan {
  const t = tableIn(schema, 'login_attempts');
  return {
    text: `WITH ins AS (INSERT INTO ${t} (at, username, address, outcome) VALUES ($3, $1, $2, 'pending') RETURNING id)
           SELECT (SELECT id FROM ins) AS id,
             array(SELECT at FROM ${t} WHERE username = $1 AND outcome IN ('pending', 'failed') AND at > $4
                     AND at > coalesce((SELECT max(at) FROM ${t} WHERE username = $1 AND outcome = 'succeeded'), '-infinity')
                   ORDER BY at DESC LIMIT $5) AS username_failures,
             array(SELECT at FROM ${t} WHERE address = $2 AND outcome IN ('pending', 'failed') AND at > $4 ORDER BY at DESC LIMIT $6) AS address_failures`,
    values: [a.username, a.address, a.now, a.since, a.usernameMax, a.addressMax],
  };
}

export function settleLoginAttempt(schema: string, id: number, outcome: 'failed' | 'succeeded' | 'refused'): Plan {
  return { text: `UPDATE ${tableIn(schema, 'login_attempts')} SET outcome = $2 WHERE id = $1`, values: [id, outcome] };
}

export function deleteOldLoginAttempts(schema: string, before: Date): Plan {
  return { text: `DELETE FROM ${tableIn(schema, 'login_attempts')} WHERE at < $1`, values: [before] };
}

// --- audit

const AUDIT_COLUMNS = 'id, at, actor, actor_user_id, via, action, target_kind, target_id, reason, details, event_id';

export interface NewAudit {
  actor: string;
  actorUserId?: number | null;
  via: 'cli' | 'session' | 'token' | 'system';
  /** e.g. users.add, documents.replay */
  action: string;
  /** user, api_token, document, file, outbound_document, product_mapping ... */
  targetKind: string;
  targetId?: string | null;
  reason?: string | null;
  details?: Json;
  /** Also an event on this timeline (a document's, a file's or an outbound document's). */
  timeline?: { documentId?: number; fileId?: number; outboundDocumentId?: number; stage?: string; message: string };
}

/** The audit row, and with `timeline` its event in the same statement (audit.event_id). */
export function insertAudit(schema: string, a: NewAudit): Plan {
  const p = new Params();
  const tl = a.timeline;
  const event = tl
    ? `, ev AS (INSERT INTO ${tableIn(schema, 'events')} (file_id, document_id, outbound_document_id, stage, actor, message, details)
               VALUES (${p.add(tl.fileId ?? null)}::bigint, ${p.add(tl.documentId ?? null)}::bigint, ${p.add(tl.outboundDocumentId ?? null)}::bigint,
                       ${p.add(tl.stage ?? 'ops')}, ${p.add(a.actor)}, ${p.add(tl.message)}, ${p.add(json({ action: a.action, reason: a.reason ?? null, via: a.via, ...(a.details ?? {}) }))}::jsonb)
               RETURNING id)`
    : '';
  return {
    text: `WITH noop AS (SELECT 1)${event}
           INSERT INTO ${tableIn(schema, 'audit')} (actor, actor_user_id, via, action, target_kind, target_id, reason, details, event_id)
           VALUES (${p.add(a.actor)}, ${p.add(a.actorUserId ?? null)}::bigint, ${p.add(a.via)}, ${p.add(a.action)}, ${p.add(a.targetKind)}, ${p.add(a.targetId ?? null)},
                   ${p.add(a.reason ?? null)}, ${p.add(json(a.details ?? {}))}::jsonb, ${tl ? '(SELECT id FROM ev)' : 'NULL'})
           RETURNING ${AUDIT_COLUMNS}`,
    values: p.values,
  };
}

export interface AuditFilter {
  targetKind?: string;
  targetId?: string;
  actor?: string;
  limit?: number;
}

/** Newest first. */
export function listAudit(schema: string, filter: AuditFilter = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.targetKind) where.push(`target_kind = ${p.add(filter.targetKind)}`);
  if (filter.targetId) where.push(`target_id = ${p.add(filter.targetId)}`);
  if (filter.actor) where.push(`actor = ${p.add(filter.actor)}`);
  return { text: `SELECT ${AUDIT_COLUMNS} FROM ${tableIn(schema, 'audit')} ${whereClause(where)} ORDER BY id DESC LIMIT ${p.add(filter.limit ?? 100)}`, values: p.values };
}
