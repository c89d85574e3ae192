// The product code mapping: a partner's product code -> our internal reference.
import { run, type Conn } from './conn.js';
import * as sql from './sql/product-map.js';

export interface ProductMappingRecord {
  partner: string;
  theirCode: string;
  defaultCode: string;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface MappingRow {
  partner: string;
  their_code: string;
  default_code: string;
  note: string | null;
  created_at: Date;
  updated_at: Date;
}

function toMapping(r: MappingRow): ProductMappingRecord {
  return { partner: r.partner, theirCode: r.their_code, defaultCode: r.default_code, note: r.note, createdAt: r.created_at, updatedAt: r.updated_at };
}

export async function mapProduct(conn: Conn, m: sql.ProductMapping): Promise<ProductMappingRecord> {
  return toMapping((await run<MappingRow>(conn, sql.upsertProductMapping(conn.schema, m))).rows[0]!);
}

/** Our internal reference by their code, for those of `theirCodes` that are mapped. */
export async function mappedProductCodes(conn: Conn, partner: string, theirCodes: readonly string[]): Promise<Map<string, string>> {
  if (!theirCodes.length) return new Map();
  const { rows } = await run<MappingRow>(conn, sql.findProductMappings(conn.schema, partner, theirCodes));
  return new Map(rows.map((r) => [r.their_code, r.default_code]));
}

export async function unmapProduct(conn: Conn, partner: string, theirCode: string): Promise<ProductMappingRecord | undefined> {
  const row = (await run<MappingRow>(conn, sql.deleteProductMapping(conn.schema, partner, theirCode))).rows[0];
  return row && toMapping(row);
}

export async function listProductMappings(conn: Conn, filter: { partner?: string } = {}): Promise<ProductMappingRecord[]> {
  return (await run<MappingRow>(conn, sql.listProductMappings(conn.schema, filter))).rows.map(toMapping);
}
