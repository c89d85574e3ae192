// Migration 3: the transports' health per partner and the remote files they took.
// - partner_health: per partner and transport, the last success and the last error, how many
//   failures in a row and when the next attempt is due (exponential backoff). `edi partners` prints it.
// - remote_files: files a transport took from a partner's mailbox, by name + size + mtime, with
//   their sha256: a file ingested whose archive step failed ('ingested') is not taken a second time,
//   only its archive step retried; 'leave' mailboxes remember every file they took ('remembered').
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const partners: Migration = {
  version: 3,
  description: 'partner health and remembered remote files',
  up: [
    `CREATE TABLE partner_health (
       partner text NOT NULL,
       transport text NOT NULL,
       last_success timestamptz,
       last_error text,
       last_error_at timestamptz,
       consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
       next_attempt_at timestamptz,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (partner, transport))`,
    // mtime: milliseconds since the epoch as the server reports it (SFTP gives whole seconds).
    `CREATE TABLE remote_files (
       partner text NOT NULL,
       mailbox text NOT NULL,
       path text NOT NULL,
       size bigint NOT NULL CHECK (size >= 0),
       mtime bigint NOT NULL,
       sha256 text NOT NULL,
       state text NOT NULL CHECK (state IN ('ingested', 'archived', 'remembered')),
       file_id bigint REFERENCES files (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (partner, mailbox, path, size, mtime))`,
    `CREATE INDEX remote_files_state_idx ON remote_files (partner, mailbox, state)`,
  ],
};
