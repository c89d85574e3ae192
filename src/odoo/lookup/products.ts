// Products named by a line's ids, matched in the partner's configured order: the gateway's
// mapping table (their part number -> our internal reference), GTIN/UPC/EAN against barcodes,
// our part number against the internal reference (default_code), and, for suppliers, their part
// number against the vendor's product.supplierinfo codes. Which of the X12 ids is "theirs" depends
// on who sent the document: a customer's buyer part (BP) is theirs, a supplier's vendor part (VP) is.
import type { ProductIds } from '../../documents/common.js';
import type { Domain, OdooRecord } from '../client/client.js';
import { MasterDataGap } from '../postings/gap.js';
import { idOf, type PostingContext } from '../postings/context.js';

export interface ProductRecord {
  id: number;
  name: string;
  defaultCode?: string;
  uomId: number;
  /** Sales price (lst_price). */
  listPrice: number;
  /** none | lot | serial */
  tracking: string;
}

/** Who sent the document: whose part numbers are whose. */
export type SenderRole = 'customer' | 'supplier';

const PRODUCT_FIELDS = ['id', 'display_name', 'default_code', 'uom_id', 'lst_price', 'tracking', 'product_tmpl_id'];

function toProduct(row: OdooRecord): ProductRecord {
  const code = row['default_code'];
  return {
    id: row.id,
    name: String(row['display_name'] ?? ''),
    ...(typeof code === 'string' && code ? { defaultCode: code } : {}),
    uomId: idOf(row['uom_id']) ?? 0,
    listPrice: Number(row['lst_price'] ?? 0),
    tracking: typeof row['tracking'] === 'string' ? row['tracking'] : 'none',
  };
}

/** The ways a GTIN-14, EAN-13 or UPC-12 of one item may be stored as a barcode (leading zeros differ). */
export function barcodeVariants(code: string): string[] {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{8,14}$/.test(digits)) return [digits];
  const bare = digits.replace(/^0+/, '');
  const out = new Set([digits]);
  for (const width of [12, 13, 14]) if (bare.length <= width) out.add(bare.padStart(width, '0'));
  return [...out];
}

export interface ProductLookup {
  /** The product, or a gap that lists every id tried and how to fix it. */
  resolve(ids: ProductIds, line: string): Promise<ProductRecord>;
}

/**
 * A lookup for one document; `vendorId` (the supplier's commercial partner) enables supplierCode.
 * Results are cached for the document (an 850 often repeats a product).
 */
export function productLookup(ctx: PostingContext, role: SenderRole, vendorId?: number): ProductLookup {
  const cache = new Map<string, Promise<ProductRecord[]>>();
  const find = (key: string, run: () => Promise<ProductRecord[]>) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = run()));
    return hit;
  };
  const byDomain = (domain: Domain) => find(JSON.stringify(domain), async () => (await ctx.client.searchRead('product.product', domain, { fields: PRODUCT_FIELDS, limit: 2, order: 'id' })).map(toProduct));

  return {
    async resolve(ids, line) {
      const theirs = role === 'customer' ? ids.buyerPart : ids.vendorPart;
      const ours = role === 'customer' ? (ids.vendorPart ?? ids.sku) : (ids.buyerPart ?? ids.sku);
      const barcodes = [ids.gtin, ids.upc, ids.ean].filter((c): c is string => !!c);
      const tried: string[] = [];
      const pick = (found: ProductRecord[], said: string): ProductRecord | undefined => {
        if (found.length > 1) throw new MasterDataGap('product', `${line}: ${said} matches several products (${found.map((p) => p.name).join('; ')}): make it unique`, { ...ids });
        return found[0];
      };
      for (const how of ctx.settings.products.match) {
        if (how === 'mapping' && theirs) {
          const code = await ctx.productMapping(theirs);
          if (!code) {
            tried.push(`${role === 'customer' ? 'buyer' : 'vendor'} part '${theirs}' (no mapping: add one with \`edi products map ${ctx.partnerCode} ${theirs} <internal reference>\`)`);
            continue;
          }
          const found = pick(await byDomain([['default_code', '=', code]]), `internal reference '${code}' (mapped from '${theirs}')`);
          if (found) return found;
          tried.push(`${role === 'customer' ? 'buyer' : 'vendor'} part '${theirs}' mapped to internal reference '${code}', which no product has`);
        } else if (how === 'gtin' && barcodes.length) {
          const variants = [...new Set(barcodes.flatMap(barcodeVariants))];
          const found = pick(await byDomain([['barcode', 'in', variants]]), `barcode ${barcodes.join('/')}`);
          if (found) return found;
          tried.push(`GTIN/UPC ${barcodes.join('/')} (no product has this barcode)`);
        } else if (how === 'defaultCode' && ours) {
          const found = pick(await byDomain([['default_code', '=', ours]]), `internal reference '${ours}'`);
          if (found) return found;
          tried.push(`our part '${ours}' (no product has this internal reference)`);
        } else if (how === 'supplierCode' && role === 'supplier' && theirs && vendorId) {
          const infos = await find(`si:${vendorId}:${theirs}`, async () => {
            const rows = await ctx.client.searchRead('product.supplierinfo', [['partner_id', 'child_of', vendorId], ['product_code', '=', theirs]], { fields: ['product_id', 'product_tmpl_id'], limit: 5 });
            const variantIds = [...new Set(rows.map((r) => idOf(r['product_id'])).filter((id): id is number => !!id))];
            const templateIds = [...new Set(rows.filter((r) => !idOf(r['product_id'])).map((r) => idOf(r['product_tmpl_id'])).filter((id): id is number => !!id))];
            if (!variantIds.length && !templateIds.length) return [];
            // supplierinfo names a template unless one variant is given (docs/odoo.md#quirks-and-how-they-were-verified).
            const domain: Domain = variantIds.length && templateIds.length ? ['|', ['id', 'in', variantIds], ['product_tmpl_id', 'in', templateIds]] : variantIds.length ? [['id', 'in', variantIds]] : [['product_tmpl_id', 'in', templateIds]];
            return (await ctx.client.searchRead('product.product', domain, { fields: PRODUCT_FIELDS, limit: 2, order: 'id' })).map(toProduct);
          });
          const found = pick(infos, `vendor product code '${theirs}'`);
          if (found) return found;
          tried.push(`vendor part '${theirs}' (not in the vendor's product codes, Purchase tab of the product)`);
        }
      }
      const said = tried.length ? tried.join('; ') : `no product id Odoo can match (ids sent: ${describeIds(ids)})`;
      throw new MasterDataGap('product', `${line}: unknown product: ${said}`, { ...ids });
    },
  };
}

function describeIds(ids: ProductIds): string {
  const parts = Object.entries(ids).filter(([k, v]) => k !== 'other' && typeof v === 'string').map(([k, v]) => `${k} ${v}`);
  for (const o of ids.other) parts.push(`${o.qualifier} ${o.value}`);
  return parts.join(', ') || 'none';
}
