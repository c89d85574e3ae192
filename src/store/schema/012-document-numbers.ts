// Migration 12: the numbers operations staff find a document by (docs/operations.md#finding-a-document).
// - documents.number: the document's own number (850 BEG03, 855 BAK03, 856 BSN02, 810 BIG02);
// - documents.po_number: the purchase order it belongs to (BEG03, BAK03, the 856's first PRF01, BIG04).
// The split reads both from the raw heading segments (src/maps/heading-numbers.ts), so a document
// that never maps still has them. Rows from before this migration get them from their canonical
// document where there is one.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const documentNumbers: Migration = {
  version: 12,
  description: 'documents.number and documents.po_number (search by PO number, shipment id, invoice number)',
  up: [
    `ALTER TABLE documents ADD COLUMN number text, ADD COLUMN po_number text`,
    `UPDATE documents SET
       number = CASE document_type
         WHEN 'purchase_order' THEN document->>'poNumber'
         WHEN 'purchase_order_ack' THEN document->>'poNumber'
         WHEN 'ship_notice' THEN document->>'shipmentId'
         WHEN 'invoice' THEN document->>'invoiceNumber' END,
       po_number = CASE document_type
         WHEN 'purchase_order' THEN document->>'poNumber'
         WHEN 'purchase_order_ack' THEN document->>'poNumber'
         WHEN 'ship_notice' THEN document->'orders'->0->>'poNumber'
         WHEN 'invoice' THEN document->>'poNumber' END
     WHERE document IS NOT NULL`,
    `CREATE INDEX documents_number_idx ON documents (number) WHERE number IS NOT NULL`,
    `CREATE INDEX documents_po_number_idx ON documents (po_number) WHERE po_number IS NOT NULL`,
  ],
};
