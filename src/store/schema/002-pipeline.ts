// Migration 2: what the pipeline stages need beyond migration 1.
// - interchanges keep their delimiters, so the map stage reads one set's own bytes (ST..SE) without
//   re-reading the whole file;
// - documents keep their envelope and the line of their ST (sender, receiver, ISA13, GS02/GS03/GS06/GS08, ST01/ST02) for the
//   map and post stages and the natural key;
// - documents are unique by their place in the interchange (was: GS06 + ST02);
// - a file whose split fails for good (retries exhausted) ends 'failed' (dead letter), like documents.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const pipeline: Migration = {
  version: 2,
  description: 'interchange delimiters, document envelopes and lines, failed files',
  up: [
    // Null on rows written before this migration: those sets are read back from the whole file.
    `ALTER TABLE interchanges
       ADD COLUMN element_separator text,
       ADD COLUMN component_separator text,
       ADD COLUMN repetition_separator text,
       ADD COLUMN segment_terminator text`,
    // line: where the ST is in the file (1-based), so findings of a set read back alone name the right line.
    `ALTER TABLE documents ADD COLUMN envelope jsonb, ADD COLUMN line integer`,
    // A set is identified by its place in its interchange: two sets sharing GS06 + ST02 (a partner's
    // error, X12_ST_DUPLICATE / X12_GS_DUPLICATE) are both kept, visible and rejected, not silently merged.
    `ALTER TABLE documents DROP CONSTRAINT documents_interchange_id_group_control_control_number_key`,
    `ALTER TABLE documents ADD CONSTRAINT documents_place_key UNIQUE (interchange_id, byte_offset)`,
    `ALTER TABLE files DROP CONSTRAINT files_state_check`,
    `ALTER TABLE files ADD CONSTRAINT files_state_check CHECK (state IN ('received', 'split', 'rejected', 'failed'))`,
  ],
};
