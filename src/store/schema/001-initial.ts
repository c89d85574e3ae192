// Migration 1: the tables of the durable inbound pipeline (files, receipts, interchanges,
// documents, events, outbound, control numbers, the posted ledger). Runs with search_path = the gateway's schema,
// so names are unqualified. States are listed here literally, not imported: a released migration
// must never change when the code's constants do (a later migration alters the checks instead).
import type { Migration } from '../migrations.js';

export const initial: Migration = {
  version: 1,
  description: 'files, receipts, interchanges, documents, events, outbound, control numbers, posted ledger',
  up: [
    // Every distinct file, once per partner (partner + sha256); its bytes are the source of truth.
    `CREATE TABLE files (
       id bigserial PRIMARY KEY,
       partner text NOT NULL,
       channel text NOT NULL,
       source_name text NOT NULL,
       sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       size integer NOT NULL CHECK (size >= 0),
       bytes bytea NOT NULL,
       metadata jsonb NOT NULL DEFAULT '{}',
       received_at timestamptz NOT NULL DEFAULT now(),
       state text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'split', 'rejected')),
       reason text,
       UNIQUE (partner, sha256)
     )`,
    // Lets a sweeper find files whose split job never ran (a crash between commit and enqueue is
    // impossible when both share a transaction, but a lost queue is not).
    `CREATE INDEX files_received_idx ON files (id) WHERE state = 'received'`,

    // Every arrival of bytes; the same bytes again from the same partner is a duplicate receipt of the same file.
    `CREATE TABLE receipts (
       id bigserial PRIMARY KEY,
       file_id bigint NOT NULL REFERENCES files (id),
       source_name text NOT NULL,
       channel text NOT NULL,
       metadata jsonb NOT NULL DEFAULT '{}',
       received_at timestamptz NOT NULL DEFAULT now(),
       duplicate boolean NOT NULL
     )`,
    `CREATE INDEX receipts_file_idx ON receipts (file_id, id)`,

    // One row per ISA..IEA found in a file. byte_offset makes a re-run of the split idempotent
    // (same file, same place: the same interchange).
    `CREATE TABLE interchanges (
       id bigserial PRIMARY KEY,
       file_id bigint NOT NULL REFERENCES files (id),
       byte_offset integer NOT NULL CHECK (byte_offset >= 0),
       byte_length integer NOT NULL CHECK (byte_length >= 0),
       sender_qualifier text NOT NULL,
       sender_id text NOT NULL,
       receiver_qualifier text NOT NULL,
       receiver_id text NOT NULL,
       control_number text NOT NULL,
       usage text NOT NULL,
       state text NOT NULL CHECK (state IN ('accepted', 'rejected', 'duplicate')),
       duplicate_of bigint REFERENCES interchanges (id),
       findings jsonb NOT NULL DEFAULT '[]',
       created_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (file_id, byte_offset),
       CHECK ((state = 'duplicate') = (duplicate_of IS NOT NULL))
     )`,
    // Sender + ISA13 identify an interchange (X12.5): a second one is recorded as 'duplicate' of the first.
    `CREATE UNIQUE INDEX interchanges_sender_control_key
       ON interchanges (sender_qualifier, sender_id, control_number) WHERE state = 'accepted'`,

    `CREATE TABLE documents (
       id bigserial PRIMARY KEY,
       file_id bigint NOT NULL REFERENCES files (id),
       interchange_id bigint NOT NULL REFERENCES interchanges (id),
       group_control text NOT NULL,
       version text NOT NULL,
       set_id text NOT NULL,
       control_number text NOT NULL,
       byte_offset integer NOT NULL CHECK (byte_offset >= 0),
       byte_length integer NOT NULL CHECK (byte_length >= 0),
       state text NOT NULL CHECK (state IN ('parsed', 'validated', 'mapped', 'posted', 'rejected', 'failed', 'duplicate', 'cancelled')),
       failed_stage text CHECK (failed_stage IN ('split', 'validate', 'map', 'post')),
       reason text,
       document_type text,
       document jsonb,
       findings jsonb NOT NULL DEFAULT '[]',
       target_ref text,
       attempts integer NOT NULL DEFAULT 0,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (interchange_id, group_control, control_number)
     )`,
    `CREATE INDEX documents_state_idx ON documents (state, id)`,
    `CREATE INDEX documents_file_idx ON documents (file_id, id)`,

    // The timeline: one row per state change or notable step. clock_timestamp() orders events inside one transaction.
    `CREATE TABLE events (
       id bigserial PRIMARY KEY,
       file_id bigint REFERENCES files (id),
       document_id bigint REFERENCES documents (id),
       at timestamptz NOT NULL DEFAULT clock_timestamp(),
       stage text NOT NULL,
       actor text NOT NULL,
       from_state text,
       to_state text,
       message text NOT NULL,
       details jsonb NOT NULL DEFAULT '{}'
     )`,
    `CREATE INDEX events_document_idx ON events (document_id, id)`,
    `CREATE INDEX events_file_idx ON events (file_id, id)`,

    // Acknowledgments (and later outbound documents) waiting for delivery. source_key names what an
    // entry answers (e.g. 'interchange:42:997') so a re-run queues it once.
    `CREATE TABLE outbound (
       id bigserial PRIMARY KEY,
       partner text NOT NULL,
       kind text NOT NULL,
       file_id bigint REFERENCES files (id),
       source_key text UNIQUE,
       payload text NOT NULL,
       state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'sent', 'failed')),
       reason text,
       created_at timestamptz NOT NULL DEFAULT now(),
       sent_at timestamptz
     )`,
    `CREATE INDEX outbound_ready_idx ON outbound (partner, id) WHERE state = 'ready'`,

    // The next ISA13 / GS06 / ST02 to hand out per partner.
    `CREATE TABLE control_numbers (
       partner text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('isa', 'gs', 'st')),
       next bigint NOT NULL CHECK (next >= 1),
       PRIMARY KEY (partner, kind)
     )`,

    // Idempotency ledger of the recording / dry-run target: one row per (target, natural key).
    `CREATE TABLE posted (
       target text NOT NULL,
       natural_key text NOT NULL,
       document_id bigint REFERENCES documents (id),
       target_ref text NOT NULL,
       payload jsonb,
       posted_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (target, natural_key)
     )`,
  ],
};
