// Migration 8: repeats across envelopes. A partner's resend of a posted document under new control
// numbers (ISA13, GS06, ST02) has a new natural key but the same business key (partner, set,
// document number, purpose: src/documents/business-key.ts). The post stage writes that key, qualified
// by the target's name, on the document when it claims it (repeat_key), and finds by it the first
// posted document of the key: a repeat ends 'duplicate' instead of being posted again.
// - the partial index on posted rows serves that look-up;
// - a unique index on the repeat key of rows in 'posting' (beside migration 6's on the target's
//   business key) keeps two documents of one repeat key from being posted at once even where the
//   target's business key tells them apart (the Odoo 856 keys by its POs, the repeat key by BSN02).
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const repeatKey: Migration = {
  version: 8,
  description: 'documents.repeat_key: the business key that makes a document a repeat of a posted one',
  up: [
    `ALTER TABLE documents ADD COLUMN repeat_key text`,
    `CREATE INDEX documents_posted_repeat_key ON documents (repeat_key, id) WHERE state = 'posted'`,
    `CREATE UNIQUE INDEX documents_posting_repeat_key ON documents (repeat_key) WHERE state = 'posting'`,
  ],
};
