// Migration 5: delivery of the outbound table: file name, tries, next attempt, remote path. An entry gets its file name once, before
// its first upload, so a retry after a crash re-uses the name (and finds the file already there)
// instead of leaving a second copy under another name; tries are counted and spaced out
// (next_attempt_at); remote_path says where it went.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const delivery: Migration = {
  version: 5,
  description: 'outbound delivery: file name, tries, next attempt, remote path',
  up: [
    `ALTER TABLE outbound
       ADD COLUMN file_name text,
       ADD COLUMN remote_path text,
       ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
       ADD COLUMN next_attempt_at timestamptz,
       ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`,
    // What the delivery sweep reads: ready entries that are due, oldest first.
    `CREATE INDEX outbound_due_idx ON outbound (id) WHERE state = 'ready'`,
  ],
};
