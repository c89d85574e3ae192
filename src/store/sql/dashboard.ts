// Plans for the console's dashboard (src/http/pages/dashboard-page.ts): what flowed today and in the
// last 7 days, what waits for a person, what we sent that is overdue or failed.
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

/** Documents received since `week`, by partner and state, with how many of them since `today`. */
export function documentCounts(schema: string, since: { today: Date; week: Date }): Plan {
  return {
    text: `SELECT f.partner, d.state, count(*) FILTER (WHERE d.created_at >= $1)::int AS today, count(*)::int AS week
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           WHERE d.created_at >= $2
           GROUP BY f.partner, d.state ORDER BY f.partner, d.state`,
    values: [since.today, since.week],
  };
}

/** Rejected or failed documents, the longest waiting first: a person must act on each. */
export function waitingForPerson(schema: string, limit: number): Plan {
  return {
    text: `SELECT d.id, f.partner, d.set_id, d.number, d.state, d.failed_stage, d.reason, d.updated_at
           FROM ${tableIn(schema, 'documents')} d JOIN ${tableIn(schema, 'files')} f ON f.id = d.file_id
           WHERE d.state IN ('rejected', 'failed')
           ORDER BY d.updated_at, d.id LIMIT $1`,
    values: [limit],
  };
}

/** How many documents wait for a person in all. */
export function countWaitingForPerson(schema: string): Plan {
  return { text: `SELECT count(*)::int AS count FROM ${tableIn(schema, 'documents')} WHERE state IN ('rejected', 'failed')`, values: [] };
}

/** Documents we sent whose acknowledgment is overdue, the oldest due first. */
export function acknowledgmentsOverdue(schema: string, limit: number): Plan {
  return {
    text: `SELECT id, partner, set_id, source_model, source_name, ack_due_at FROM ${tableIn(schema, 'outbound_documents')}
           WHERE state = 'ack-overdue' ORDER BY ack_due_at, id LIMIT $1`,
    values: [limit],
  };
}

/** Deliveries that ended failed (acknowledgments and documents we send), the newest first. */
export function failedDeliveries(schema: string, limit: number): Plan {
  return {
    text: `SELECT id, partner, kind, reason, created_at FROM ${tableIn(schema, 'outbound')}
           WHERE state = 'failed' ORDER BY id DESC LIMIT $1`,
    values: [limit],
  };
}

/** How many AS2 messages we sent are past their time for an asynchronous MDN (mdn-overdue), not tried again since. */
export function countAs2MdnsOverdue(schema: string): Plan {
  return {
    text: `SELECT count(*)::int AS count FROM ${tableIn(schema, 'as2_messages')} m
           WHERE m.state = 'mdn-overdue'
             AND NOT EXISTS (SELECT 1 FROM ${tableIn(schema, 'as2_messages')} l WHERE l.direction = 'out' AND l.outbound_id = m.outbound_id AND l.id > m.id)`,
    values: [],
  };
}
