// A partner's Odoo settings with the defaults applied (partners/<code>.yaml `odoo:`).
import type { OdooPartnerFile, ProductIdTarget } from '../partners/types.js';
import { DEFAULT_ADDRESS_FIELDS } from './lookup/party-ids.js';

export type ProductMatch = 'mapping' | 'gtin' | 'defaultCode' | 'supplierCode';
export type AddressMatch = 'gln' | 'ref' | 'duns' | 'name';

export interface OdooSettings {
  readonly partner: OdooPartnerFile['partner'];
  /** fields: N103 qualifier -> the res.partner field its id is looked for in (the partner's entries over DEFAULT_ADDRESS_FIELDS). */
  readonly shipTo: { readonly match: readonly AddressMatch[]; readonly createMissing: boolean; readonly fields: Readonly<Record<string, string>> };
  /** ids: what an X12 product id qualifier is matched against, over the built-in uses (lookup/product-ids.ts). */
  readonly products: { readonly match: readonly ProductMatch[]; readonly ids: Readonly<Record<string, ProductIdTarget>> };
  /** X12 unit code -> Odoo unit of measure name (the partner's entries over DEFAULT_UNITS). */
  readonly units: Readonly<Record<string, string>>;
  /** missing: list-price (Odoo prices the line, and the posting says so) or reject. */
  readonly prices: { readonly policy: 'edi' | 'odoo' | 'reject'; readonly missing: 'list-price' | 'reject'; readonly tolerancePercent: number };
  readonly confirmOrders: boolean;
  readonly applyAckChanges: boolean;
  readonly validateReceipts: boolean;
}

/**
 * X12 unit codes (element 355) and the names Odoo's default units carry (uom module data). Case,
 * box and pallet sizes differ per product, so CA/BX/PL need a partner entry (e.g. CA: Case of 12).
 */
export const DEFAULT_UNITS: Readonly<Record<string, string>> = Object.freeze({
  EA: 'Units', PC: 'Units', UN: 'Units', EC: 'Units',
  DZ: 'Dozens',
  KG: 'kg', GR: 'g', LB: 'lb', OZ: 'oz',
  LT: 'L', ML: 'ml', GA: 'gal (US)',
  MR: 'm', CM: 'cm', FT: 'ft', IN: 'in', YD: 'yd',
  HR: 'Hours', DA: 'Days',
});

export function odooSettingsOf(file: OdooPartnerFile): OdooSettings {
  return {
    partner: file.partner,
    shipTo: { match: file.shipTo?.match ?? ['gln', 'ref', 'duns', 'name'], createMissing: file.shipTo?.createMissing ?? false, fields: { ...DEFAULT_ADDRESS_FIELDS, ...file.shipTo?.fields } },
    // Mapping table first: it is what a person set for this partner on purpose.
    products: { match: file.products?.match ?? ['mapping', 'gtin', 'defaultCode', 'supplierCode'], ids: file.products?.ids ?? {} },
    units: { ...DEFAULT_UNITS, ...file.units },
    prices: { policy: file.prices?.policy ?? 'edi', missing: file.prices?.missing ?? 'list-price', tolerancePercent: file.prices?.tolerancePercent ?? 0 },
    confirmOrders: file.confirmOrders ?? false,
    applyAckChanges: file.applyAckChanges ?? false,
    validateReceipts: file.validateReceipts ?? false,
  };
}
