// Users, sessions, API tokens, login attempts and the audit trail (migration 13). Every change made
// for a person writes its audit row in the same transaction as the change (docs/operations.md#users-and-access).
import type pg from 'pg';
import type { Role } from '../auth/roles.js';
import { run, withTransaction, type Conn, type Tx } from './conn.js';
import * as sql from './sql/access.js';
import type { Json } from './types.js';

/** Who acts: a person through the CLI (OS login name), the console (session), a script (token), or the gateway. */
export interface Actor {
  name: string;
  userId?: number | null;
  via: 'cli' | 'session' | 'token' | 'system';
}

export interface UserRecord {
  id: number;
  username: string;
  role: Role;
  createdAt: Date;
  createdBy: string;
  disabledAt: Date | null;
  lastLoginAt: Date | null;
}

export interface ApiTokenRecord {
  id: number;
  username: string;
  label: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuditRecord {
  id: number;
  at: Date;
  actor: string;
  actorUserId: number | null;
  via: string;
  action: string;
  targetKind: string;
  targetId: string | null;
  reason: string | null;
  details: Json;
  eventId: number | null;
}

type Row = Record<string, unknown>;
type Db = { pool: pg.Pool; schema: string };

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toUser(r: Row): UserRecord {
  return {
    id: Number(r.id), username: String(r.username), role: r.role as Role, createdAt: r.created_at as Date, createdBy: String(r.created_by),
    disabledAt: (r.disabled_at as Date | null) ?? null, lastLoginAt: (r.last_login_at as Date | null) ?? null,
  };
}

function toToken(r: Row): ApiTokenRecord {
  return {
    id: Number(r.id), username: String(r.username), label: String(r.label), createdAt: r.created_at as Date, createdBy: String(r.created_by),
    lastUsedAt: (r.last_used_at as Date | null) ?? null, revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}

function toAudit(r: Row): AuditRecord {
  return {
    id: Number(r.id), at: r.at as Date, actor: String(r.actor), actorUserId: numOrNull(r.actor_user_id), via: String(r.via), action: String(r.action),
    targetKind: String(r.target_kind), targetId: (r.target_id as string | null) ?? null, reason: (r.reason as string | null) ?? null,
    details: r.details as Json, eventId: numOrNull(r.event_id),
  };
}

/** The one way an action is recorded: its audit row, and with `timeline` its event on the document's timeline, in one statement. */
export async function recordAction(conn: Conn, actor: Actor, entry: Omit<sql.NewAudit, 'actor' | 'actorUserId' | 'via'>): Promise<AuditRecord> {
  return toAudit((await run<Row>(conn, sql.insertAudit(conn.schema, { ...entry, actor: actor.name, actorUserId: actor.userId ?? null, via: actor.via }))).rows[0]!);
}

export async function listAudit(conn: Conn, filter: sql.AuditFilter = {}): Promise<AuditRecord[]> {
  return (await run<Row>(conn, sql.listAudit(conn.schema, filter))).rows.map(toAudit);
}

// --- users

export async function hasUsers(conn: Conn): Promise<boolean> {
  return Boolean((await run<{ any: boolean }>(conn, sql.anyUser(conn.schema))).rows[0]?.any);
}

export async function findUser(conn: Conn, username: string): Promise<UserRecord | undefined> {
  const row = (await run<Row>(conn, sql.findUser(conn.schema, username))).rows[0];
  return row && toUser(row);
}

/** The user and its password hash, for a login only. */
export async function userForLogin(conn: Conn, username: string): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
  const row = (await run<Row>(conn, sql.findUser(conn.schema, username))).rows[0];
  return row && { user: toUser(row), passwordHash: String(row.password_hash) };
}

export async function listUsers(conn: Conn): Promise<UserRecord[]> {
  return (await run<Row>(conn, sql.listUsers(conn.schema))).rows.map(toUser);
}

/** Adds a user; undefined when the name is taken (whatever its case). */
export async function addUser(db: Db, user: { username: string; passwordHash: string; role: Role }, actor: Actor): Promise<UserRecord | undefined> {
  return withTransaction(db, async (tx) => {
    const row = (await run<Row>(tx, sql.insertUser(tx.schema, { ...user, createdBy: actor.name }))).rows[0];
    if (!row) return undefined;
    const created = toUser(row);
    await recordAction(tx, actor, { action: 'users.add', targetKind: 'user', targetId: created.username, details: { role: created.role } });
    return created;
  });
}

export type UserChangeResult = { ok: true; user: UserRecord } | { ok: false; reason: 'no such user' | 'the last admin' };

/**
 * Changes a user's role, password or enabled state, audited. Never leaves the gateway without an
 * enabled admin. Disabling or a new password ends the user's sessions.
 */
export async function changeUser(
  db: Db,
  username: string,
  change: { role?: Role; passwordHash?: string; disabled?: boolean },
  actor: Actor,
  options: { now?: Date; reason?: string } = {},
): Promise<UserChangeResult> {
  const now = options.now ?? new Date();
  return withTransaction(db, async (tx) => {
    const row = (await run<Row>(tx, sql.findUser(tx.schema, username, true))).rows[0];
    if (!row) return { ok: false, reason: 'no such user' };
    const before = toUser(row);
    const losesAdmin = before.role === 'admin' && !before.disabledAt && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await run(tx, sql.otherAdmins(tx.schema, before.id))).rows.length === 0) return { ok: false, reason: 'the last admin' };
    const after = toUser((await run<Row>(tx, sql.updateUser(tx.schema, before.id, {
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.passwordHash !== undefined ? { passwordHash: change.passwordHash } : {}),
      ...(change.disabled !== undefined ? { disabledAt: change.disabled ? (before.disabledAt ?? now) : null } : {}),
    }))).rows[0]!);
    if (change.disabled || change.passwordHash !== undefined) await run(tx, sql.endUserSessions(tx.schema, before.id, now));
    const action = change.role !== undefined ? 'users.role' : change.passwordHash !== undefined ? 'users.password' : change.disabled ? 'users.disable' : 'users.enable';
    await recordAction(tx, actor, {
      action, targetKind: 'user', targetId: after.username, reason: options.reason ?? null,
      details: change.role !== undefined ? { from: before.role, to: after.role } : {},
    });
    return { ok: true, user: after };
  });
}

// --- API tokens

/** Stores a token's hash for `username`; undefined when there is no such enabled user. */
export async function addApiToken(db: Db, username: string, token: { tokenHash: string; label: string }, actor: Actor): Promise<ApiTokenRecord | undefined> {
  return withTransaction(db, async (tx) => {
    const row = (await run<Row>(tx, sql.findUser(tx.schema, username))).rows[0];
    if (!row || row.disabled_at) return undefined;
    const created = toToken((await run<Row>(tx, sql.insertApiToken(tx.schema, { ...token, userId: Number(row.id), createdBy: actor.name }))).rows[0]!);
    await recordAction(tx, actor, { action: 'tokens.create', targetKind: 'api_token', targetId: String(created.id), details: { owner: created.username, label: created.label } });
    return created;
  });
}

export async function revokeApiToken(db: Db, id: number, actor: Actor, options: { now?: Date; reason?: string } = {}): Promise<ApiTokenRecord | undefined> {
  return withTransaction(db, async (tx) => {
    const row = (await run<Row>(tx, sql.revokeApiToken(tx.schema, id, options.now ?? new Date()))).rows[0];
    if (!row) return undefined;
    const revoked = toToken(row);
    await recordAction(tx, actor, { action: 'tokens.revoke', targetKind: 'api_token', targetId: String(id), reason: options.reason ?? null, details: { owner: revoked.username, label: revoked.label } });
    return revoked;
  });
}

export async function listApiTokens(conn: Conn, filter: { userId?: number } = {}): Promise<ApiTokenRecord[]> {
  return (await run<Row>(conn, sql.listApiTokens(conn.schema, filter))).rows.map(toToken);
}

/** The enabled user an unrevoked token belongs to; last_used_at written at most once a minute. */
export async function userByApiToken(conn: Conn, tokenHash: string, now: Date): Promise<{ user: UserRecord; tokenId: number } | undefined> {
  const row = (await run<Row>(conn, sql.findApiToken(conn.schema, tokenHash))).rows[0];
  if (!row) return undefined;
  const tokenId = Number(row.token_id);
  const lastUsed = row.token_last_used_at as Date | null;
  if (!lastUsed || now.getTime() - lastUsed.getTime() >= 60_000) await run(conn, sql.touchApiToken(conn.schema, tokenId, now));
  return { user: toUser(row), tokenId };
}

// --- sessions

export interface SessionRecord {
  sessionId: number;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  user: UserRecord;
}

/** Starts a session after a successful login, audited as users.login. */
export async function startSession(db: Db, s: sql.NewSession, actor: Actor): Promise<number> {
  return withTransaction(db, async (tx: Tx) => {
    const id = Number((await run<{ id: string }>(tx, sql.insertSession(tx.schema, s))).rows[0]!.id);
    await run(tx, sql.updateUser(tx.schema, s.userId, { lastLoginAt: s.now }));
    await recordAction(tx, actor, { action: 'users.login', targetKind: 'user', targetId: actor.name, details: { session: id, address: s.address } });
    return id;
  });
}

export async function sessionByToken(conn: Conn, tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
  const row = (await run<Row>(conn, sql.findSession(conn.schema, tokenHash, now))).rows[0];
  return row && { sessionId: Number(row.session_id), csrfToken: String(row.csrf_token), lastSeenAt: row.last_seen_at as Date, expiresAt: row.expires_at as Date, user: toUser(row) };
}

export async function touchSession(conn: Conn, sessionId: number, now: Date, idleExpiresAt: Date): Promise<void> {
  await run(conn, sql.touchSession(conn.schema, sessionId, now, idleExpiresAt));
}

/** Ends a session (logout), audited; false when it had already ended. */
export async function endSession(db: Db, tokenHash: string, actor: Actor, now: Date): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const row = (await run<Row>(tx, sql.endSession(tx.schema, tokenHash, now))).rows[0];
    if (!row) return false;
    await recordAction(tx, actor, { action: 'users.logout', targetKind: 'user', targetId: actor.name, details: { session: Number(row.id) } });
    return true;
  });
}

// --- login attempts

export interface LoginAttempt {
  id: number;
  usernameFailures: Date[];
  addressFailures: Date[];
}

export async function startLoginAttempt(conn: Conn, attempt: sql.NewLoginAttempt): Promise<LoginAttempt> {
  const row = (await run<Row>(conn, sql.startLoginAttempt(conn.schema, attempt))).rows[0]!;
  return { id: Number(row.id), usernameFailures: row.username_failures as Date[], addressFailures: row.address_failures as Date[] };
}

export async function settleLoginAttempt(conn: Conn, id: number, outcome: 'failed' | 'succeeded' | 'refused'): Promise<void> {
  await run(conn, sql.settleLoginAttempt(conn.schema, id, outcome));
}

/** Drops login attempts and sessions nobody needs any more (older than `before`). */
export async function pruneAccess(conn: Conn, before: Date): Promise<void> {
  await run(conn, sql.deleteOldLoginAttempts(conn.schema, before));
  await run(conn, sql.deleteOldSessions(conn.schema, before));
}
