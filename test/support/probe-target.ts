// A posting target for the business-key tests: it keys a posting by partner + PO number (documents
// of different interchanges carrying one PO share the key), takes `ms` per call, and writes the
// start and end of each call into `probe_calls` in the test's schema, by the database's clock, so
// that a test sees overlapping calls of one key across processes.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostingTarget } from '../../src/jobs/ports.js';
import { tableIn } from '../../src/store/identifiers.js';
import type { Conn } from '../../src/store/index.js';

export async function createProbeTable(db: Conn): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${tableIn(db.schema, 'probe_calls')} (
    id bigserial PRIMARY KEY, business_key text NOT NULL, document_id bigint NOT NULL, process text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT clock_timestamp(), ended_at timestamptz)`);
}

export function probeTarget(inner: PostingTarget, db: Conn, options: { ms: number; process: string }): PostingTarget {
  const table = tableIn(db.schema, 'probe_calls');
  const keyOf = (req: Parameters<PostingTarget['post']>[0]) => `${req.partner}:${(req.document as { poNumber?: string }).poNumber ?? req.naturalKey}`;
  return {
    ...inner,
    businessKey: keyOf,
    async post(req) {
      const { rows } = await db.query<{ id: string }>(`INSERT INTO ${table} (business_key, document_id, process) VALUES ($1, $2, $3) RETURNING id`, [keyOf(req), req.documentId, options.process]);
      await sleep(options.ms);
      await db.query(`UPDATE ${table} SET ended_at = clock_timestamp() WHERE id = $1`, [rows[0]!.id]);
      return inner.post(req);
    },
  };
}

export interface ProbeCall {
  businessKey: string;
  documentId: number;
  process: string;
}

export async function probeCalls(db: Conn): Promise<ProbeCall[]> {
  const { rows } = await db.query<{ business_key: string; document_id: string; process: string }>(`SELECT business_key, document_id, process FROM ${tableIn(db.schema, 'probe_calls')} ORDER BY id`);
  return rows.map((r) => ({ businessKey: r.business_key, documentId: Number(r.document_id), process: r.process }));
}

/**
 * Pairs of calls of one business key that ran at the same time (a call still running counts as
 * running until now); with `anyKey`, of any two keys (to see that calls did run side by side).
 */
export async function overlappingCalls(db: Conn, options: { anyKey?: boolean } = {}): Promise<Array<{ businessKey: string; first: number; second: number }>> {
  const table = tableIn(db.schema, 'probe_calls');
  const { rows } = await db.query<{ business_key: string; first: string; second: string }>(
    `SELECT a.business_key, a.document_id AS first, b.document_id AS second FROM ${table} a JOIN ${table} b
       ON (a.business_key = b.business_key OR $1) AND a.id < b.id
      AND a.started_at < coalesce(b.ended_at, clock_timestamp()) AND b.started_at < coalesce(a.ended_at, clock_timestamp())`,
    [options.anyKey === true],
  );
  return rows.map((r) => ({ businessKey: r.business_key, first: Number(r.first), second: Number(r.second) }));
}
