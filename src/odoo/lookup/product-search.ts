// Products a person picks from when mapping a partner's code (docs/operations.md#fixing-a-master-data-gap):
// Odoo's products whose name, internal reference or barcode contains the text.
import type { OdooClient } from '../client/client.js';

/** A text field as Odoo answers it (false when empty) as text or null. */
export const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export interface ProductChoice {
  id: number;
  name: string;
  /** The internal reference a mapping points at; null when the product has none (it cannot be mapped to). */
  defaultCode: string | null;
  barcode: string | null;
}

export const PRODUCT_SEARCH_LIMIT = 20;

export async function searchProducts(client: OdooClient, text: string, limit = PRODUCT_SEARCH_LIMIT): Promise<ProductChoice[]> {
  const q = text.trim();
  if (!q) return [];
  const rows = await client.searchRead('product.product', ['|', '|', ['name', 'ilike', q], ['default_code', 'ilike', q], ['barcode', 'ilike', q]], {
    fields: ['id', 'name', 'default_code', 'barcode'], limit, order: 'default_code, id',
  });
  return rows.map((r) => ({ id: r.id, name: String(r['name'] ?? ''), defaultCode: textOrNull(r['default_code']), barcode: textOrNull(r['barcode']) }));
}
