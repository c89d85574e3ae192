// Plans for an order's thread: every document received or sent with one PO number, in time order
// (documents.po_number from the raw heading, migration 12; outbound_documents.po_number, 15), each
// with what answered it: the 997/999/TA1 we sent for a received one, the state a partner's
// acknowledgment gave one we sent.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';
import { ACK_SOURCE_KEY, ackSourceKey } from './outbound.js';

export function orderThread(schema: string, poNumber: string, limit: number): Plan {
  return {
    text: `SELECT * FROM (
             SELECT 'in' AS direction, d.id, f.partner, d.set_id, d.number, d.state, d.created_at,
                    a.kind AS ack_kind, a.state AS ack_state, a.sent_at AS ack_sent_at
             FROM ${tableIn(schema, 'documents')} d
             JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
             LEFT JOIN ${tableIn(schema, 'outbound')} a ON a.source_key = $3 || d.interchange_id || $4
             WHERE d.po_number = $1
             UNION ALL
             SELECT 'out', o.id, o.partner, o.set_id, o.source_name, o.state, o.created_at, NULL, NULL, NULL
             FROM ${tableIn(schema, 'outbound_documents')} o
             WHERE o.po_number = $1 AND o.state <> 'cancelled'
           ) thread ORDER BY created_at, direction, id LIMIT $2`,
    values: [poNumber, limit, ACK_SOURCE_KEY.prefix, ACK_SOURCE_KEY.suffix],
  };
}

/** The acknowledgment we queued for a received interchange (its source key: ackSourceKey). */
export function acknowledgmentOf(schema: string, interchangeId: number): Plan {
  return {
    text: `SELECT id, kind, state, reason, created_at, sent_at FROM ${tableIn(schema, 'outbound')} WHERE source_key = $1`,
    values: [ackSourceKey(interchangeId)],
  };
}
