// Migration 4: the product code mapping the Odoo postings use.
// - product_map: a partner's own product code (a customer's buyer part number, a supplier's
//   vendor part number) -> our internal reference (product default_code). The postings try it
//   first (odoo.products.match); `edi products map|unmap|list` keeps it.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const odoo: Migration = {
  version: 4,
  description: 'product code mapping per partner',
  up: [
    `CREATE TABLE product_map (
       partner text NOT NULL,
       their_code text NOT NULL CHECK (their_code <> ''),
       default_code text NOT NULL CHECK (default_code <> ''),
       note text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (partner, their_code))`,
  ],
};
