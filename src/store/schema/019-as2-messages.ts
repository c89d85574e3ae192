// Migration 19: AS2 messages, both ways (docs/as2.md). What a partner POSTs is kept whole (headers
// and body) before the MDN is answered; the MDN we answered is kept with it, so a repeat of the same
// Message-ID gets the same MDN back and is never taken in twice. What we send keeps its Message-ID
// (the same on every try of one delivery, so the partner's server takes it once), its MIC and the
// MDN that came back; an asynchronous MDN is awaited until mdn_due_at (then mdn-overdue).
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const as2Messages: Migration = {
  version: 19,
  description: 'as2_messages: AS2 messages received and sent, with their MDNs',
  up: [
    `CREATE TABLE as2_messages (
       id bigserial PRIMARY KEY,
       direction text NOT NULL CHECK (direction IN ('in', 'out')),
       partner text,
       as2_from text NOT NULL,
       as2_to text NOT NULL,
       message_id text NOT NULL,
       state text NOT NULL CHECK (state IN ('processed', 'rejected', 'sending', 'awaiting-mdn', 'delivered', 'mdn-error', 'mdn-overdue')),
       reason text,
       headers jsonb NOT NULL DEFAULT '{}',
       body bytea,
       file_id bigint REFERENCES files (id),
       outbound_id bigint REFERENCES outbound (id),
       mic text,
       mic_algorithm text,
       mdn_mode text NOT NULL DEFAULT 'none' CHECK (mdn_mode IN ('sync', 'async', 'none')),
       mdn_url text,
       mdn_content_type text,
       mdn_body bytea,
       mdn_disposition text,
       mdn_state text CHECK (mdn_state IN ('pending', 'sent', 'failed')),
       mdn_attempts integer NOT NULL DEFAULT 0,
       mdn_next_at timestamptz,
       mdn_due_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    // A Message-ID is the sender's: unique per direction and pair of AS2 ids.
    `CREATE UNIQUE INDEX as2_messages_message_idx ON as2_messages (direction, as2_from, as2_to, message_id)`,
    `CREATE INDEX as2_messages_outbound_idx ON as2_messages (outbound_id, id) WHERE outbound_id IS NOT NULL`,
    `CREATE INDEX as2_messages_mdn_due_idx ON as2_messages (mdn_next_at) WHERE mdn_state = 'pending'`,
    `CREATE INDEX as2_messages_awaiting_idx ON as2_messages (mdn_due_at) WHERE state = 'awaiting-mdn'`,
    `CREATE INDEX as2_messages_list_idx ON as2_messages (created_at DESC, id DESC)`,
  ],
};
