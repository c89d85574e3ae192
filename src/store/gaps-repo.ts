// Documents waiting on a master-data gap (plans in sql/gaps.ts).
import { run, type Conn } from './conn.js';
import * as sql from './sql/gaps.js';
import type { Json } from './types.js';

/** A partner's documents rejected for an Odoo master-data gap, with their latest rejection's details. */
export async function rejectedForGaps(conn: Conn, partner: string, max = 1000): Promise<Array<{ id: number; details: Json }>> {
  const { rows } = await run<{ id: string; details: Json }>(conn, sql.rejectedForGaps(conn.schema, partner, max));
  return rows.map((r) => ({ id: Number(r.id), details: r.details }));
}
