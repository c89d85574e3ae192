// What /metrics reads from the database at scrape time (plans in sql/metrics.ts and sql/sweep.ts).
import { run, type Conn } from './conn.js';
import { documentsBySetDirectionState } from './sql/metrics.js';
import { pendingJobs } from './sql/sweep.js';

export interface DocumentCount {
  direction: 'inbound' | 'outbound';
  setId: string;
  state: string;
  count: number;
}

export async function countDocumentsBySetDirectionState(conn: Conn): Promise<DocumentCount[]> {
  const { rows } = await run<{ direction: 'inbound' | 'outbound'; set_id: string; state: string; n: number }>(conn, documentsBySetDirectionState(conn.schema));
  return rows.map((r) => ({ direction: r.direction, setId: r.set_id, state: r.state, count: r.n }));
}

/** Jobs waiting or in hand per queue; a queue with none is 0. */
export async function countPendingJobs(conn: Conn, bossSchema: string, queues: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await run<{ name: string; n: number }>(conn, pendingJobs(bossSchema, queues));
  const counts: Record<string, number> = Object.fromEntries(queues.map((q) => [q, 0]));
  for (const r of rows) counts[r.name] = r.n;
  return counts;
}
