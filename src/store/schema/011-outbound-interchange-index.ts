// Migration 11: an inbound TA1 names the interchange it answers by our ISA13 only (TA101), so the
// partner's outbound documents are looked up by interchange_control (src/jobs/reconcile.ts).
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const outboundInterchangeIndex: Migration = {
  version: 11,
  description: 'outbound documents found by their interchange control number (inbound TA1)',
  up: [`CREATE INDEX outbound_documents_interchange_idx ON outbound_documents (partner, interchange_control)`],
};
