// The one place that knows which field and model names each Odoo version uses (see
// docs/odoo.md#field-names-by-version), so the postings are written once. Optional fields that depend on
// installed modules (stock_delivery's carrier_tracking_ref, account_add_gln's
// global_location_number, 19's purchase.order.acknowledged) are confirmed at run time with
// fields_get (OdooSchema.has), which also absorbs drift between minor releases.
import type { OdooClient } from './client/client.js';

export interface OdooFieldNames {
  readonly version: number;
  readonly saleLine: { readonly uom: string; readonly taxes: string };
  readonly purchaseLine: { readonly uom: string; readonly taxes: string };
  readonly purchase: { readonly note: string };
  readonly supplierinfo: { readonly uom: string };
  /** Where an SSCC goes: stock.quant.package (<= 18) or stock.package (19). */
  readonly packageModel: string;
  /** Done quantity on stock.move.line: qty_done (16) or quantity (17+). */
  readonly moveLineQuantity: string;
  /** stock.move.line.picked exists from 17 on. */
  readonly moveLinePicked: boolean;
  /** name_search's domain parameter: args (<= 18) or domain (19). */
  readonly nameSearchDomain: string;
}

export function fieldNamesFor(version: number): OdooFieldNames {
  const v19 = version >= 19;
  return {
    version,
    saleLine: { uom: v19 ? 'product_uom_id' : 'product_uom', taxes: v19 ? 'tax_ids' : 'tax_id' },
    purchaseLine: { uom: v19 ? 'product_uom_id' : 'product_uom', taxes: v19 ? 'tax_ids' : 'taxes_id' },
    purchase: { note: v19 ? 'note' : 'notes' },
    supplierinfo: { uom: v19 ? 'product_uom_id' : 'product_uom' },
    packageModel: v19 ? 'stock.package' : 'stock.quant.package',
    moveLineQuantity: version >= 17 ? 'quantity' : 'qty_done',
    moveLinePicked: version >= 17,
    nameSearchDomain: v19 ? 'domain' : 'args',
  };
}

/** Field names of this server, plus what fields_get says of its fields. */
export interface OdooSchema {
  readonly names: OdooFieldNames;
  /** Whether the model has the field on this server (fields_get asked once per model). */
  has(model: string, field: string): Promise<boolean>;
  /**
   * The decimal digits Odoo rounds a float field to when it stores it (fields_get `digits`:
   * [16, 2]); undefined for a field without. 3.125 is kept as 3.13 under the default 'Product
   * Price' precision of Odoo 18 (verified on a real 18).
   */
  digits(model: string, field: string): Promise<number | undefined>;
}

export function odooSchema(client: OdooClient, names: OdooFieldNames): OdooSchema {
  const fields = new Map<string, Promise<Record<string, Record<string, unknown>>>>();
  const fieldsOf = (model: string) => {
    let known = fields.get(model);
    if (!known) {
      known = client.fieldsGet(model, ['type', 'digits']);
      known.catch(() => fields.delete(model));
      fields.set(model, known);
    }
    return known;
  };
  return {
    names,
    async has(model, field) {
      return field in (await fieldsOf(model));
    },
    async digits(model, field) {
      const digits = (await fieldsOf(model))[field]?.['digits'];
      return Array.isArray(digits) && typeof digits[1] === 'number' ? digits[1] : undefined;
    },
  };
}

export async function loadOdooSchema(client: OdooClient): Promise<OdooSchema> {
  return odooSchema(client, fieldNamesFor(await client.version()));
}

/**
 * The schema of `client`'s server, loaded at first use and kept; a failed load is tried again at the
 * next use (Odoo may be down when the gateway starts).
 */
export function odooSchemaOnce(client: OdooClient): () => Promise<OdooSchema> {
  let schema: Promise<OdooSchema> | undefined;
  return () => (schema ??= loadOdooSchema(client).catch((error: unknown) => {
    schema = undefined;
    throw error;
  }));
}
