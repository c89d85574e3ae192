// Migration 15: the PO number of what we send, so the console shows an order's documents as one
// thread, received and sent (850 -> 997 -> 855 -> 856 -> 810; src/store/sql/threads.ts).
// Computed by PostgreSQL from the canonical document it keeps (the 856 names it per order: the
// first order's), so no writer can forget it.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const outboundPoNumber: Migration = {
  version: 15,
  description: 'outbound_documents.po_number (generated from the document) for order threads',
  up: [
    `ALTER TABLE outbound_documents ADD COLUMN po_number text
       GENERATED ALWAYS AS (coalesce(document->>'poNumber', document->'orders'->0->>'poNumber')) STORED`,
    `CREATE INDEX outbound_documents_po_number_idx ON outbound_documents (po_number) WHERE po_number IS NOT NULL`,
  ],
};
