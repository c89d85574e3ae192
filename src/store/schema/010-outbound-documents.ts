// Migration 10: outbound business documents (850 to suppliers; 855, 856, 810 to customers).
// - outbound_documents: one row per Odoo record and document kind (and generation: a person's
//   regenerate makes the next one), with its state (held | built | sent | acknowledged |
//   accepted-with-errors | ack-rejected | ack-overdue | cancelled), the canonical document it was built
//   as, the control numbers it carries (ISA13, GS06, ST02: what an inbound 997/999 names) and its
//   delivery entry in `outbound`; once sent, an acknowledgment is due within ack_window_seconds
//   (the partner's window, kept from when the document was built): ack_due_at;
// - events.outbound_document_id: the document's timeline, in the one events table;
// - odoo_cursors: the poller's place per model and kind (write_date of the last record seen).
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const outboundDocuments: Migration = {
  version: 10,
  description: 'outbound documents built from Odoo records, their timeline, and the Odoo poller cursors',
  up: [
    `CREATE TABLE outbound_documents (
       id bigserial PRIMARY KEY,
       partner text NOT NULL,
       set_id text NOT NULL CHECK (set_id IN ('850', '855', '856', '810')),
       source_model text NOT NULL,
       source_id bigint NOT NULL,
       source_name text,
       source_version text,
       generation integer NOT NULL DEFAULT 1 CHECK (generation >= 1),
       state text NOT NULL CHECK (state IN ('held', 'built', 'sent', 'acknowledged', 'accepted-with-errors', 'ack-rejected', 'ack-overdue', 'cancelled')),
       reason text,
       document jsonb,
       interchange_control text,
       group_control text,
       control_number text,
       outbound_id bigint REFERENCES outbound (id),
       ack_window_seconds integer,
       ack_due_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       sent_at timestamptz,
       acknowledged_at timestamptz,
       UNIQUE (source_model, source_id, set_id, generation)
     )`,
    `CREATE INDEX outbound_documents_controls_idx ON outbound_documents (partner, group_control, control_number)`,
    `CREATE INDEX outbound_documents_state_idx ON outbound_documents (state, id)`,
    `CREATE INDEX outbound_documents_delivery_idx ON outbound_documents (outbound_id)`,
    `ALTER TABLE events ADD COLUMN outbound_document_id bigint REFERENCES outbound_documents (id)`,
    `CREATE INDEX events_outbound_document_idx ON events (outbound_document_id, id) WHERE outbound_document_id IS NOT NULL`,
    `CREATE TABLE odoo_cursors (
       model text NOT NULL,
       kind text NOT NULL,
       write_date text NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (model, kind)
     )`,
  ],
};
