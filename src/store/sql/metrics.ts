// Plans read when /metrics is scraped (src/http/metrics.ts): the documents of both directions by
// set and state, in one statement.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

/** Documents received (inbound) and sent (outbound) counted by set and state. */
export function documentsBySetDirectionState(schema: string): Plan {
  return {
    text: `SELECT 'inbound' AS direction, set_id, state, count(*)::int AS n FROM ${tableIn(schema, 'documents')} GROUP BY set_id, state
           UNION ALL
           SELECT 'outbound' AS direction, set_id, state, count(*)::int AS n FROM ${tableIn(schema, 'outbound_documents')} GROUP BY set_id, state`,
    values: [],
  };
}
