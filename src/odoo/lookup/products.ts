// Products named by a line's ids, matched in the partner's configured order: the gateway's
// mapping table (any id -> our internal reference), barcodes (UPC, GTIN, EAN, case UPCs, drug
// codes), our numbers against the internal reference (default_code), and, for suppliers, their
// numbers against the vendor's product.supplierinfo codes. What each id is, by its qualifier and
// who sent the document: product-ids.ts (docs/odoo.md#products).
import type { ProductIds } from '../../documents/common.js';
import type { Domain, OdooRecord } from '../client/client.js';
import { MasterDataGap } from '../postings/gap.js';
import { idOf, type PostingContext } from '../postings/context.js';
import { gs1CheckDigit, productIdUses, type ProductIdUseOf } from './product-ids.js';

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

/**
 * The ways a GTIN-14, EAN-13 or UPC-12 of one item may be stored as a barcode (leading zeros differ).
 * `checkDigit: 'missing'` (UA, UI, UN codes): the code with its computed check digit too.
 */
export function barcodeVariants(code: string, checkDigit?: 'missing'): string[] {
  // Drug codes come with hyphens (5-4-2); anything not all digits is compared as sent.
  const digits = code.replace(/[\s-]+/g, '');
  if (!/^\d{7,14}$/.test(digits)) return [code.replace(/\s+/g, '')];
  const forms = checkDigit === 'missing' && digits.length <= 13 ? [digits, `${digits}${gs1CheckDigit(digits)}`] : [digits];
  const out = new Set<string>();
  for (const form of forms) {
    out.add(form);
    const bare = form.replace(/^0+/, '');
    for (const width of [12, 13, 14]) if (bare.length <= width) out.add(bare.padStart(width, '0'));
  }
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

  const mapHint = (value: string) =>
    ctx.settings.products.match.includes('mapping')
      ? `edi products map ${ctx.partnerCode} ${value} <internal reference>`
      : `add mapping to odoo.products.match in ${ctx.partnerFile}, then edi products map ${ctx.partnerCode} ${value} <internal reference>`;

  return {
    async resolve(ids, line) {
      const sent = productIdUses(ids, role, ctx.settings.products.ids);
      const said = (id: ProductIdUseOf) => `${id.qualifier} '${id.value}'`;
      const tried: string[] = [];
      const pick = (found: ProductRecord[], what: string): ProductRecord | undefined => {
        if (found.length > 1) throw new MasterDataGap('product', `${line}: ${what} matches several products (${found.map((p) => p.name).join('; ')}): make it unique`, { ...ids });
        return found[0];
      };
      for (const how of ctx.settings.products.match) {
        if (how === 'mapping') {
          // Any id may be mapped: the sender's own codes first, then the others in the order sent.
          const candidates = [...sent.filter((i) => i.use === 'theirs'), ...sent.filter((i) => i.use !== 'theirs')];
          for (const id of candidates) {
            const code = await ctx.productMapping(id.value);
            if (!code) continue;
            const found = pick(await byDomain([['default_code', '=', code]]), `internal reference '${code}' (mapped from ${said(id)})`);
            if (found) return found;
            tried.push(`${said(id)} mapped to internal reference '${code}', which no product has`);
          }
        } else if (how === 'gtin') {
          const codes = sent.filter((i) => i.use === 'barcode');
          if (!codes.length) continue;
          const variants = [...new Set(codes.flatMap((i) => barcodeVariants(i.value, i.checkDigit)))];
          const found = pick(await byDomain([['barcode', 'in', variants]]), `barcode ${codes.map(said).join('/')}`);
          if (found) return found;
          tried.push(`barcode ${codes.map(said).join(', ')} (no product has it)`);
        } else if (how === 'defaultCode') {
          for (const id of sent.filter((i) => i.use === 'ours')) {
            const found = pick(await byDomain([['default_code', '=', id.value]]), `internal reference '${id.value}'`);
            if (found) return found;
            tried.push(`${said(id)} as internal reference (no product has it)`);
          }
        } else if (how === 'supplierCode' && role === 'supplier' && vendorId) {
          for (const id of sent.filter((i) => i.use === 'theirs')) {
            const found = pick(await supplierProducts(id.value), `vendor product code '${id.value}'`);
            if (found) return found;
            tried.push(`${said(id)} (not in the vendor's product codes, Purchase tab of the product)`);
          }
        }
      }
      // Every id can be mapped (any qualifier): a fix that always works once the product exists.
      const first = sent.find((i) => i.use === 'theirs') ?? sent.find((i) => i.use !== 'barcode') ?? sent[0];
      const fix = first ? `; fix: ${mapHint(first.value)} (its ${first.qualifier} code), or give the product one of these ids in Odoo` : '';
      const what = tried.length ? tried.join('; ') : `no product id Odoo can match (ids sent: ${describeIds(ids)})`;
      throw new MasterDataGap('product', `${line}: unknown product: ${what}${fix}`, { ...ids });
    },
  };

  /** Products whose vendor product codes (product.supplierinfo of the vendor) hold `code`. */
  function supplierProducts(code: string): Promise<ProductRecord[]> {
    return find(`si:${vendorId}:${code}`, async () => {
      const rows = await ctx.client.searchRead('product.supplierinfo', [['partner_id', 'child_of', vendorId!], ['product_code', '=', code]], { fields: ['product_id', 'product_tmpl_id'], limit: 5 });
      const variantIds = [...new Set(rows.map((r) => idOf(r['product_id'])).filter((id): id is number => !!id))];
      const templateIds = [...new Set(rows.filter((r) => !idOf(r['product_id'])).map((r) => idOf(r['product_tmpl_id'])).filter((id): id is number => !!id))];
      if (!variantIds.length && !templateIds.length) return [];
      // supplierinfo names a template unless one variant is given (docs/odoo.md#quirks-and-how-they-were-verified).
      const domain: Domain = variantIds.length && templateIds.length ? ['|', ['id', 'in', variantIds], ['product_tmpl_id', 'in', templateIds]] : variantIds.length ? [['id', 'in', variantIds]] : [['product_tmpl_id', 'in', templateIds]];
      return (await ctx.client.searchRead('product.product', domain, { fields: PRODUCT_FIELDS, limit: 2, order: 'id' })).map(toProduct);
    });
  }
}

function describeIds(ids: ProductIds): string {
  const parts = Object.entries(ids).filter(([k, v]) => k !== 'other' && typeof v === 'string').map(([k, v]) => `${k} ${v}`);
  for (const o of ids.other) parts.push(`${o.qualifier} ${o.value}`);
  return parts.join(', ') || 'none';
}
