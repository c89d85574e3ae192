// Plans for the product code mapping (migration 4).
import { tableIn } from '../identifiers.js';
import { Params, whereClause, type Plan } from './plan.js';

const COLUMNS = 'partner, their_code, default_code, note, created_at, updated_at';

export interface ProductMapping {
  partner: string;
  theirCode: string;
  defaultCode: string;
  note?: string | null;
}

/** Adds or replaces a mapping. */
export function upsertProductMapping(schema: string, m: ProductMapping): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'product_map')} (partner, their_code, default_code, note)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (partner, their_code) DO UPDATE SET default_code = EXCLUDED.default_code, note = EXCLUDED.note, updated_at = now()
           RETURNING ${COLUMNS}`,
    values: [m.partner, m.theirCode, m.defaultCode, m.note ?? null],
  };
}

/** The mappings of several of a partner's codes at once: one query per document, not one per id. */
export function findProductMappings(schema: string, partner: string, theirCodes: readonly string[]): Plan {
  return { text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'product_map')} WHERE partner = $1 AND their_code = ANY($2::text[])`, values: [partner, [...theirCodes]] };
}

export function deleteProductMapping(schema: string, partner: string, theirCode: string): Plan {
  return { text: `DELETE FROM ${tableIn(schema, 'product_map')} WHERE partner = $1 AND their_code = $2 RETURNING ${COLUMNS}`, values: [partner, theirCode] };
}

export function listProductMappings(schema: string, filter: { partner?: string } = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.partner) where.push(`partner = ${p.add(filter.partner)}`);
  return { text: `SELECT ${COLUMNS} FROM ${tableIn(schema, 'product_map')} ${whereClause(where)} ORDER BY partner, their_code`, values: p.values };
}
