// Seeds the received documents the console lists (npm run bench:console, test/store/document-list-plans.test.ts)
// in two INSERT ... SELECT generate_series statements: files of 1-50 documents from ~20 partners
// over the last 30 days, one interchange each, documents mostly posted with some rejected or failed,
// each with its number and PO number (migration 12). Partners and sizes are skewed as in life: a few
// partners send most files, most files are small.
import { run, type Conn } from '../src/store/conn.js';
import { tableIn } from '../src/store/identifiers.js';
import type { Plan } from '../src/store/sql/plan.js';

export interface ConsoleSeed {
  documents: number;
  /** Default 20. */
  partners?: number;
  /** Default 30: the documents' created_at spread over this many days up to now. */
  days?: number;
}

export const SEED_SETS = ['850', '855', '856', '810'] as const;

/** The files (with their interchanges' sender) and the count and set of the documents each will hold (in metadata.seed). */
export function seedFiles(schema: string, seed: ConsoleSeed): Plan {
  const { documents, partners = 20, days = 30 } = seed;
  return {
    // random()^2: most files are small, most traffic comes from the first partners.
    text: `WITH planned AS MATERIALIZED (
             SELECT g, 1 + floor(49 * random() ^ 2)::int AS n,
                    format('partner%s', lpad((1 + floor($2 * random() ^ 2))::int::text, 2, '0')) AS partner,
                    ($4::text[])[1 + floor(random() * 4)::int] AS set_id
             FROM generate_series(1, $5::int) g),
           cut AS (SELECT *, sum(n) OVER (ORDER BY g) AS upto FROM planned)
           INSERT INTO ${tableIn(schema, 'files')} (partner, channel, source_name, sha256, size, bytes, metadata, received_at, state)
           SELECT partner, 'sftp', format('%s_%s_%s.edi', set_id, partner, g), encode(sha256(convert_to(g::text, 'UTF8')), 'hex'), 4, '\\x49534121'::bytea,
                  jsonb_build_object('seed', jsonb_build_object('documents', least(n, $1 - (upto - n)), 'set', set_id)),
                  now() - make_interval(days => $3) * (1 - (upto - n)::float8 / $1), 'split'
           FROM cut WHERE upto - n < $1 ORDER BY g`,
    // Enough candidate files to reach the count (files average 1 + 49/3 documents); the cut keeps what is needed.
    values: [documents, partners, days, SEED_SETS, Math.ceil(documents / 10) + 10],
  };
}

/** One interchange per seeded file and its documents, created shortly after the file arrived. */
export function seedDocuments(schema: string): Plan {
  const files = tableIn(schema, 'files');
  return {
    text: `WITH ich AS (
             INSERT INTO ${tableIn(schema, 'interchanges')} (file_id, byte_offset, byte_length, sender_qualifier, sender_id, receiver_qualifier, receiver_id, control_number, usage, state, created_at)
             SELECT id, 0, 4, 'ZZ', upper(partner), 'ZZ', 'GATEWAY', lpad(id::text, 9, '0'), 'P', 'accepted', received_at
             FROM ${files} WHERE metadata ? 'seed'
             RETURNING id, file_id),
           planned AS MATERIALIZED (
             SELECT f.id AS file_id, ich.id AS interchange_id, f.metadata->'seed'->>'set' AS set_id, k,
                    f.received_at + make_interval(secs => 2 + k * 0.05) AS created_at, random() AS r,
                    format('%s%s', f.id, lpad(k::text, 2, '0')) AS seq
             FROM ${files} f JOIN ich ON ich.file_id = f.id, generate_series(1, (f.metadata->'seed'->>'documents')::int) k)
           INSERT INTO ${tableIn(schema, 'documents')} (file_id, interchange_id, group_control, version, set_id, control_number, byte_offset, byte_length,
                  state, failed_stage, reason, document_type, target_ref, created_at, updated_at, line, number, po_number)
           SELECT file_id, interchange_id, '1', '004010', set_id, lpad(k::text, 4, '0'), k * 100, 100,
                  CASE WHEN r < 0.90 THEN 'posted' WHEN r < 0.95 THEN 'rejected' WHEN r < 0.97 THEN 'failed' WHEN r < 0.985 THEN 'duplicate' WHEN r < 0.99 THEN 'cancelled' ELSE 'mapped' END,
                  CASE WHEN r >= 0.90 AND r < 0.95 THEN 'validate' WHEN r >= 0.95 AND r < 0.97 THEN 'post' END,
                  CASE WHEN r >= 0.90 AND r < 0.95 THEN 'X12_SE_COUNT: SE01 says 12 segments, the set has 11' WHEN r >= 0.95 AND r < 0.97 THEN 'ODOO_UNREACHABLE: Odoo did not answer' END,
                  CASE set_id WHEN '850' THEN 'purchase_order' WHEN '855' THEN 'purchase_order_ack' WHEN '856' THEN 'ship_notice' ELSE 'invoice' END,
                  CASE WHEN r < 0.90 THEN 'sale.order:' || seq END,
                  created_at, created_at + make_interval(secs => 1 + r * 60), 1 + k * 20,
                  CASE set_id WHEN '856' THEN 'SH' || seq WHEN '810' THEN 'INV' || seq ELSE 'PO' || seq END,
                  'PO' || seq
           FROM planned ORDER BY file_id, k`,
    values: [],
  };
}

/** Seeds and analyzes; returns how many documents were written. */
export async function seedConsole(db: Conn, seed: ConsoleSeed): Promise<number> {
  await run(db, seedFiles(db.schema, seed));
  const { rowCount } = await run(db, seedDocuments(db.schema));
  for (const t of ['files', 'interchanges', 'documents']) await db.query(`ANALYZE ${tableIn(db.schema, t)}`);
  return rowCount ?? 0;
}

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, as EXPLAIN (FORMAT JSON) gives it (the query is planned, not run). */
export async function explainNodes(db: Conn, plan: Plan): Promise<PlanNode[]> {
  const { rows } = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${plan.text}`, plan.values);
  const all: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    all.push(n);
    n.Plans?.forEach(walk);
  };
  walk(rows[0]!['QUERY PLAN'][0]!.Plan);
  return all;
}

/** The tables of a plan read by a sequential scan. */
export const seqScanned = (nodes: readonly PlanNode[]): string[] => nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'] ?? '?');
