// Odoo units and addresses a person picks from when fixing a unit or ship-to gap
// (docs/operations.md#fixing-a-master-data-gap); products: product-search.ts.
import type { OdooClient } from '../client/client.js';
import { idOf } from '../postings/context.js';
import { PRODUCT_SEARCH_LIMIT, textOrNull } from './product-search.js';

export interface UnitChoice {
  id: number;
  name: string;
}

export interface AddressChoice {
  id: number;
  name: string;
  /** The company it is an address of. */
  company: string;
  companyId: number | null;
  ref: string | null;
  street: string | null;
  city: string | null;
}


/** Active Odoo units whose name contains the text: a unit mapping names one by its name. */
export async function searchUnits(client: OdooClient, text: string, limit = PRODUCT_SEARCH_LIMIT): Promise<UnitChoice[]> {
  const q = text.trim();
  if (!q) return [];
  const rows = await client.searchRead('uom.uom', [['name', 'ilike', q]], { fields: ['id', 'name'], limit, order: 'name, id' });
  return rows.map((r) => ({ id: r.id, name: String(r['name'] ?? '') }));
}

/**
 * Addresses (contacts with a parent company) whose name, reference or city contains the text,
 * with their company: the posting only takes an address of the partner's own company.
 */
export async function searchAddresses(client: OdooClient, text: string, limit = PRODUCT_SEARCH_LIMIT): Promise<AddressChoice[]> {
  const q = text.trim();
  if (!q) return [];
  const rows = await client.searchRead('res.partner', [['parent_id', '!=', false], '|', '|', ['name', 'ilike', q], ['ref', 'ilike', q], ['city', 'ilike', q]], {
    fields: ['id', 'name', 'commercial_partner_id', 'ref', 'street', 'city'], limit, order: 'id',
  });
  return rows.map((r) => {
    const company = r['commercial_partner_id'];
    return {
      id: r.id, name: String(r['name'] ?? ''), company: Array.isArray(company) ? String(company[1]) : '', companyId: idOf(company) ?? null,
      ref: textOrNull(r['ref']), street: textOrNull(r['street']), city: textOrNull(r['city']),
    };
  });
}
