// Documents waiting on a master-data gap (plans in sql/gaps.ts).
import { run, type Conn } from './conn.js';
import * as sql from './sql/gaps.js';
import type { Json } from './types.js';

/**
 * Every document of a partner rejected for an Odoo master-data gap, with its latest rejection's
 * details, read `page` at a time (in id order) so that none is left out however many wait.
 */
export async function rejectedForGaps(conn: Conn, partner: string, page = 1000): Promise<Array<{ id: number; details: Json }>> {
  const all: Array<{ id: number; details: Json }> = [];
  for (let after = 0; ;) {
    const { rows } = await run<{ id: string; details: Json }>(conn, sql.rejectedForGaps(conn.schema, partner, page, after));
    for (const r of rows) all.push({ id: Number(r.id), details: r.details });
    if (rows.length < page) return all;
    after = all[all.length - 1]!.id;
  }
}
