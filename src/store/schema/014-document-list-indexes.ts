// Migration 14: the indexes behind the console's document list and search (GET /api/documents,
// edi docs list; the figures: npm run bench:console, docs/operations.md#how-fast-the-lists-are).
// - created_at, id: a date range is read in created order, newest first, over that range only;
// - set_id, id: one transaction set's documents newest first without reading the others;
// - control_number and files.source_name: a search by ST02 or by file name (an exact match) finds
//   its rows through an index, with the number and PO number indexes of migration 12.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const documentListIndexes: Migration = {
  version: 14,
  description: 'indexes for the document list: date range, set, control number, file name',
  up: [
    `CREATE INDEX documents_created_idx ON documents (created_at, id)`,
    `CREATE INDEX documents_set_idx ON documents (set_id, id)`,
    `CREATE INDEX documents_control_number_idx ON documents (control_number)`,
    `CREATE INDEX files_source_name_idx ON files (source_name)`,
  ],
};
