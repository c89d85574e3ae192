// Migration 13: who may use the operations console and what they did (docs/operations.md#users-and-access).
// - users: a login name (unique whatever its case), a slow password hash (src/auth/passwords.ts), a role;
//   disabled rather than deleted, so the audit keeps naming them.
// - sessions and api_tokens keep only the sha256 of their secret: a copy of the database logs nobody in.
// - login_attempts: the rate limit lives here, so it holds across several gateway processes.
// - audit: every action (who, when, what, why); an action on a document also writes the document's
//   timeline event in the same statement (event_id), so the two never disagree.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const access: Migration = {
  version: 13,
  description: 'users, sessions, API tokens, login attempts and the audit trail (operations console access)',
  up: [
    `CREATE TABLE users (
       id bigserial PRIMARY KEY,
       username text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
       password_hash text NOT NULL,
       role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by text NOT NULL,
       disabled_at timestamptz,
       last_login_at timestamptz
     )`,
    `CREATE UNIQUE INDEX users_username_idx ON users (lower(username))`,
    `CREATE TABLE sessions (
       id bigserial PRIMARY KEY,
       token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
       user_id bigint NOT NULL REFERENCES users (id),
       csrf_token text NOT NULL,
       created_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL,
       idle_expires_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       ended_at timestamptz,
       address text
     )`,
    `CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL`,
    `CREATE TABLE api_tokens (
       id bigserial PRIMARY KEY,
       token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
       user_id bigint NOT NULL REFERENCES users (id),
       label text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       created_by text NOT NULL,
       last_used_at timestamptz,
       revoked_at timestamptz
     )`,
    `CREATE TABLE login_attempts (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL,
       username text NOT NULL,
       address text NOT NULL,
       outcome text NOT NULL CHECK (outcome IN ('pending', 'failed', 'succeeded', 'refused'))
     )`,
    `CREATE INDEX login_attempts_username_idx ON login_attempts (username, at)`,
    `CREATE INDEX login_attempts_address_idx ON login_attempts (address, at)`,
    `CREATE TABLE audit (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT clock_timestamp(),
       actor text NOT NULL,
       actor_user_id bigint REFERENCES users (id),
       via text NOT NULL CHECK (via IN ('cli', 'session', 'token', 'system')),
       action text NOT NULL,
       target_kind text NOT NULL,
       target_id text,
       reason text,
       details jsonb NOT NULL DEFAULT '{}',
       event_id bigint REFERENCES events (id)
     )`,
    `CREATE INDEX audit_target_idx ON audit (target_kind, target_id, id)`,
    `CREATE INDEX audit_at_idx ON audit (at)`,
  ],
};
