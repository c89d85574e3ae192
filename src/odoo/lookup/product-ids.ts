// What each product id of a line is matched against in Odoo, by its X12 qualifier (element 235/234)
// and by who sent the document. Real partners identify products with many qualifiers beyond
// BP/VN/UP: case and consumer-package UPCs (UA, UI, UN), catalog numbers (CB, VC), styles (VA),
// manufacturer parts (MG), drug codes (N4, ND). A partner file may say otherwise per qualifier
// (`odoo.products.ids`). docs/odoo.md#products.
//
//   productIdUses(ids, 'customer', { MG: 'defaultCode' })
//   // [{ qualifier: 'BP', value: 'X-1', use: 'theirs' }, { qualifier: 'UA', value: '01234567890', use: 'barcode', checkDigit: 'missing' }, ...]
import type { ProductIds } from '../../documents/common.js';
import { DEFAULT_PRODUCT_QUALIFIERS, PRODUCT_ID_WRITE_ORDER } from '../../maps/shared/products.js';

/**
 * theirs: the sender's own code (the gateway's mapping table; a supplier's product codes);
 * ours: our internal reference (default_code); barcode: the product's barcode; mapping: only the
 * mapping table (a qualifier nobody said anything about).
 */
export type ProductIdUse = 'theirs' | 'ours' | 'barcode' | 'mapping';

/** What a partner file may name for a qualifier (`odoo.products.ids`). */
export type ProductIdTarget = 'mapping' | 'barcode' | 'defaultCode' | 'supplierCode';

export interface ProductIdUseOf {
  qualifier: string;
  value: string;
  use: ProductIdUse;
  /** UA/UI/UN carry no check digit: the barcode is tried with one computed too. */
  checkDigit?: 'missing';
}

type Party = 'buyer' | 'vendor';

/** The party whose numbering a qualifier is, or a barcode kind. */
const BUILT_IN: Readonly<Record<string, Party | 'ours' | 'barcode' | 'barcode-no-check'>> = {
  // The buyer's numbers.
  BP: 'buyer', IN: 'buyer', CB: 'buyer', PI: 'buyer', IT: 'buyer',
  // The vendor's (seller's) and manufacturer's numbers.
  VN: 'vendor', VP: 'vendor', VC: 'vendor', VA: 'vendor', MG: 'vendor',
  // A stock keeping unit: ours, whoever quotes it.
  SK: 'ours',
  // Barcodes: UPC-A, GTIN-14, EAN-13, EAN-8, and drug codes as printed in them.
  UP: 'barcode', UK: 'barcode', EN: 'barcode', EO: 'barcode', EA: 'barcode', N4: 'barcode', ND: 'barcode',
  // Case and consumer-package UPCs written without their check digit (2-5-5, 1-5-5, 1-1-5-5).
  UA: 'barcode-no-check', UI: 'barcode-no-check', UN: 'barcode-no-check',
};

const USE_OF_TARGET: Readonly<Record<ProductIdTarget, ProductIdUse>> = { mapping: 'mapping', barcode: 'barcode', defaultCode: 'ours', supplierCode: 'theirs' };

/** Every id of a line with what it is matched against, in the order sent (named kinds first). */
export function productIdUses(ids: ProductIds, sender: 'customer' | 'supplier', overrides: Readonly<Record<string, ProductIdTarget>> = {}): ProductIdUseOf[] {
  const sent: Array<{ qualifier: string; value: string }> = [];
  for (const kind of PRODUCT_ID_WRITE_ORDER) {
    const value = ids[kind];
    if (value) sent.push({ qualifier: DEFAULT_PRODUCT_QUALIFIERS[kind], value });
  }
  sent.push(...ids.other);
  return sent.map(({ qualifier, value }): ProductIdUseOf => {
    const q = qualifier.toUpperCase();
    const named = overrides[q];
    if (named) return { qualifier: q, value, use: USE_OF_TARGET[named], ...(named === 'barcode' && BUILT_IN[q] === 'barcode-no-check' ? { checkDigit: 'missing' as const } : {}) };
    const kind = BUILT_IN[q];
    if (kind === 'barcode') return { qualifier: q, value, use: 'barcode' };
    if (kind === 'barcode-no-check') return { qualifier: q, value, use: 'barcode', checkDigit: 'missing' };
    if (kind === 'ours') return { qualifier: q, value, use: 'ours' };
    // The sender's own numbers are theirs; the other party's are ours.
    if (kind) return { qualifier: q, value, use: (kind === 'buyer') === (sender === 'customer') ? 'theirs' : 'ours' };
    return { qualifier: q, value, use: 'mapping' };
  });
}

/** The GS1 mod-10 check digit of a digit string (UPC, EAN, GTIN without their last digit). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // From the right: the last digit weighs 3, then 1, 3, ...
    const weight = (digits.length - i) % 2 === 1 ? 3 : 1;
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}
