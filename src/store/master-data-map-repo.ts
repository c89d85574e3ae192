// Unit and address mappings made to fix master-data gaps (plans in sql/master-data-map.ts).
import { run, type Conn } from './conn.js';
import * as sql from './sql/master-data-map.js';

export async function mapMasterData(conn: Conn, m: sql.MasterDataMapping): Promise<void> {
  await run(conn, sql.upsertMasterDataMapping(conn.schema, m));
}

/** The target by their code, for those of `theirCodes` that are mapped. */
export async function mappedMasterData(conn: Conn, partner: string, kind: sql.MasterDataKind, theirCodes: readonly string[]): Promise<Map<string, string>> {
  if (!theirCodes.length) return new Map();
  const { rows } = await run<{ their_code: string; target: string }>(conn, sql.findMasterDataMappings(conn.schema, partner, kind, theirCodes));
  return new Map(rows.map((r) => [r.their_code, r.target]));
}
