// Migration 6: postings outside long transactions. The post stage claims a document (mapped ->
// posting) in a short transaction, calls the target with no transaction open, then records the
// outcome in another short one. While it calls, the row holds a lease (who, until when) and the
// posting's business key:
// - a unique index on the business key of the rows in 'posting' makes the database refuse a second
//   claim of the same key, so two postings of one business key never run at once, in one process or
//   across several, without holding a lock or a connection for the length of the call;
// - a lease that ran out (its holder died) is found by the sweep through the second index.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const postingLease: Migration = {
  version: 6,
  description: 'posting state with lease and business key',
  up: [
    `ALTER TABLE documents
       ADD COLUMN business_key text,
       ADD COLUMN lease_holder text,
       ADD COLUMN lease_expires_at timestamptz`,
    `ALTER TABLE documents DROP CONSTRAINT documents_state_check`,
    `ALTER TABLE documents ADD CONSTRAINT documents_state_check
       CHECK (state IN ('parsed', 'validated', 'mapped', 'posting', 'posted', 'rejected', 'failed', 'duplicate', 'cancelled'))`,
    `CREATE UNIQUE INDEX documents_posting_key ON documents (business_key) WHERE state = 'posting'`,
    `CREATE INDEX documents_posting_lease_idx ON documents (lease_expires_at) WHERE state = 'posting'`,
  ],
};
