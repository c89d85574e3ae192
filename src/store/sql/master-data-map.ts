// Plans for unit and address mappings (migration 18).
import { tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

export type MasterDataKind = 'unit' | 'address';

export interface MasterDataMapping {
  partner: string;
  kind: MasterDataKind;
  theirCode: string;
  /** An Odoo unit's name (unit), an Odoo address's id (address). */
  target: string;
  note?: string | null;
}

/** Adds or replaces a mapping. */
export function upsertMasterDataMapping(schema: string, m: MasterDataMapping): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'master_data_map')} (partner, kind, their_code, target, note)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (partner, kind, their_code) DO UPDATE SET target = EXCLUDED.target, note = EXCLUDED.note, updated_at = now()
           RETURNING their_code, target`,
    values: [m.partner, m.kind, m.theirCode, m.target, m.note ?? null],
  };
}

/** The mappings of several of a partner's codes of one kind at once. */
export function findMasterDataMappings(schema: string, partner: string, kind: MasterDataKind, theirCodes: readonly string[]): Plan {
  return {
    text: `SELECT their_code, target FROM ${tableIn(schema, 'master_data_map')} WHERE partner = $1 AND kind = $2 AND their_code = ANY($3::text[])`,
    values: [partner, kind, [...theirCodes]],
  };
}
