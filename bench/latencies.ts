// Arrival -> posted per document of some files, from the events table: the latency figures of the
// pipeline and end-to-end benches (arrival: the file's first event, else its received_at).
import type { Database } from '../src/store/index.js';
import { tableIn } from '../src/store/identifiers.js';

export interface Latency {
  documents: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  firstArrival: Date;
  lastPosted: Date;
}

/** Arrival (the file's first event) -> posted per document of the given files, from the events table. */
export async function latencies(db: Database, fileIds: readonly number[]): Promise<Latency> {
  const events = tableIn(db.schema, 'events');
  const documents = tableIn(db.schema, 'documents');
  const { rows } = await db.query<{ documents: number; p50: number; p99: number; max: number; first_arrival: Date; last_posted: Date }>(
    `WITH arrival AS (
       SELECT f.id AS file_id, coalesce(min(e.at), f.received_at) AS at
       FROM ${tableIn(db.schema, 'files')} f LEFT JOIN ${events} e ON e.file_id = f.id AND e.document_id IS NULL
       WHERE f.id = ANY($1::bigint[]) GROUP BY f.id),
     posted AS (
       SELECT e.document_id, min(e.at) AS at FROM ${events} e JOIN ${documents} d ON d.id = e.document_id
       WHERE e.to_state = 'posted' AND d.file_id = ANY($1::bigint[]) GROUP BY e.document_id),
     lat AS (
       SELECT extract(epoch FROM p.at - a.at) * 1000 AS ms, a.at AS arrival_at, p.at AS posted_at
       FROM posted p JOIN ${documents} d ON d.id = p.document_id JOIN arrival a ON a.file_id = d.file_id)
     SELECT count(*)::int AS documents,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
            max(ms) AS max, min(arrival_at) AS first_arrival, max(posted_at) AS last_posted
     FROM lat`,
    [fileIds],
  );
  const r = rows[0]!;
  return { documents: r.documents, p50Ms: Math.round(Number(r.p50)), p99Ms: Math.round(Number(r.p99)), maxMs: Math.round(Number(r.max)), firstArrival: r.first_arrival, lastPosted: r.last_posted };
}
