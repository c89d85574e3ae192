// Migration 9: large files are split in slices, each committed on its own (src/jobs/split.ts).
// - files.split_offset / split_line: where the next slice starts (the byte after the last interchange
//   recorded, and its line), so a split cut short resumes there, whichever process runs it;
// - files.bytes is stored uncompressed (STORAGE EXTERNAL): the stages read parts of a file (a slice,
//   one set's ST..SE) with substring(), which on a compressed value decompresses everything before the
//   part: on a 60 MB file each set read cost tens of milliseconds. X12 compresses about 10:1, so a file
//   takes that much more room on disk; rows written before this migration stay compressed.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const splitProgress: Migration = {
  version: 9,
  description: 'files.split_offset and split_line (split in slices); files.bytes stored uncompressed for partial reads',
  up: [
    `ALTER TABLE files ADD COLUMN split_offset bigint NOT NULL DEFAULT 0, ADD COLUMN split_line integer NOT NULL DEFAULT 1`,
    `ALTER TABLE files ALTER COLUMN bytes SET STORAGE EXTERNAL`,
  ],
};
