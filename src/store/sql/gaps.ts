// Plans for fixing master-data gaps (docs/operations.md#fixing-a-master-data-gap): the documents a
// target rejected for a gap, with the details of their latest rejection (what was looked for).
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

/**
 * A partner's documents rejected at post for an Odoo master-data gap, oldest first, at most `max`,
 * each with its latest rejection event's details (details.failure: code, gap, lookedFor).
 */
export function rejectedForGaps(schema: string, partner: string, max: number, afterId = 0): Plan {
  return {
    text: `SELECT d.id, e.details
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           CROSS JOIN LATERAL (SELECT details FROM ${tableIn(schema, 'events')}
                               WHERE document_id = d.id AND to_state = 'rejected' ORDER BY id DESC LIMIT 1) e
           WHERE d.state = 'rejected' AND d.failed_stage = 'post' AND f.partner = $1 AND d.id > $3
             AND e.details -> 'failure' ->> 'code' = 'ODOO_MASTER_DATA_GAP'
           ORDER BY d.id LIMIT $2`,
    values: [partner, max, afterId],
  };
}
