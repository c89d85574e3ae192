// Migration 18: a partner's codes mapped from the console to fix a master-data gap, for the gap
// kinds the partner file alone could not fix at once (docs/operations.md#fixing-a-master-data-gap):
// - unit: an X12 unit code -> the name of an Odoo unit (consulted before odoo.units);
// - address: a ship-to / bill-to GLN -> the id of the Odoo address (res.partner) it is.
// Products keep their own table (product_map, migration 4).
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const masterDataMap: Migration = {
  version: 18,
  description: 'master_data_map: unit codes and GLNs mapped to Odoo units and addresses',
  up: [
    `CREATE TABLE master_data_map (
       partner text NOT NULL,
       kind text NOT NULL CHECK (kind IN ('unit', 'address')),
       their_code text NOT NULL,
       target text NOT NULL,
       note text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (partner, kind, their_code)
     )`,
  ],
};
