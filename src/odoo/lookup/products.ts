// Products named by a line's ids, matched in the partner's configured order: the gateway's
// mapping table (any id -> our internal reference), barcodes (UPC, GTIN, EAN, case UPCs, drug
// codes), our numbers against the internal reference (default_code), and, for suppliers, their
// numbers against the vendor's product.supplierinfo codes. What each id is, by its qualifier and
// who sent the document: product-ids.ts (docs/odoo.md#products).
import type { ProductIds } from '../../documents/common.js';
import type { OdooRecord } from '../client/client.js';
import { MasterDataGap } from '../postings/gap.js';
import { cacheOf, idOf, type PostingContext } from '../postings/context.js';
import type { ProductMatch } from '../settings.js';
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

// barcode and product_tmpl_id tell which product answers which id of a document read at once.
const PRODUCT_FIELDS = ['id', 'display_name', 'default_code', 'barcode', 'uom_id', 'lst_price', 'tracking', 'product_tmpl_id'];

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
  /**
   * Reads what resolve will search for every line of a document at once: one product.product
   * search (and one product.supplierinfo search for a supplier's codes) instead of one per line.
   */
  prefetch(lines: readonly ProductIds[]): Promise<void>;
}

/** One search of a product by one id: our internal reference, a barcode (any of its forms), a vendor's code. */
type Query = { kind: 'code'; value: string } | { kind: 'barcode'; values: string[] } | { kind: 'supplier'; code: string };

/** A search of a match step, with what messages say of it. */
interface Step {
  query: Query;
  /** 'internal reference X (mapped from BP Y)': what matched several products. */
  what: string;
  /** What was tried without finding a product. */
  missed: string;
}

/**
 * A lookup for one document; `vendorId` (the supplier's commercial partner) enables supplierCode.
 * Results are kept for the document (an 850 often repeats a product) and, where a product was
 * found, in the master-data cache (cache.ts) for the next documents.
 */
export function productLookup(ctx: PostingContext, role: SenderRole, vendorId?: number): ProductLookup {
  const found = new Map<string, Promise<ProductRecord[]>>();
  const mapped = new Map<string, Promise<string | undefined>>();
  // Codes asked in one turn of the event loop (prefetch asks every line's at once) go in one read.
  let unread: string[] = [];
  let reading: Promise<ReadonlyMap<string, string>> | undefined;
  const keyOf = (q: Query) => (q.kind === 'code' ? `product:code:${q.value}` : q.kind === 'barcode' ? `product:barcode:${q.values.join('|')}` : `product:supplier:${vendorId}:${q.code}`);
  const mapping = (value: string) => {
    let hit = mapped.get(value);
    if (hit) return hit;
    unread.push(value);
    reading ??= Promise.resolve().then(() => {
      const codes = unread;
      [unread, reading] = [[], undefined];
      return ctx.productMappings(codes);
    });
    mapped.set(value, (hit = reading.then((codes) => codes.get(value))));
    return hit;
  };

  /** Starts the queries this document has not asked yet: remembered ones from the cache, the others in one read. */
  const load = (queries: readonly Query[]) => {
    let batch: Promise<Map<string, ProductRecord[]>> | undefined;
    const missing: Query[] = [];
    for (const q of queries) {
      const key = keyOf(q);
      if (found.has(key)) continue;
      // remember() calls the loader at once: every miss joins `missing` before the read starts (next microtask).
      found.set(key, cacheOf(ctx).remember(key, () => {
        missing.push(q);
        batch ??= Promise.resolve().then(() => readProducts(missing));
        return batch.then((byKey) => byKey.get(key) ?? []);
      }, (products) => products.length === 1));
    }
  };
  const byQuery = (q: Query) => {
    load([q]);
    return found.get(keyOf(q))!;
  };

  /** The products of each query, from one product.product search (after one product.supplierinfo search for vendors' codes). */
  async function readProducts(queries: readonly Query[]): Promise<Map<string, ProductRecord[]>> {
    const codes = [...new Set(queries.flatMap((q) => (q.kind === 'code' ? [q.value] : [])))];
    const barcodes = [...new Set(queries.flatMap((q) => (q.kind === 'barcode' ? q.values : [])))];
    const supplierCodes = [...new Set(queries.flatMap((q) => (q.kind === 'supplier' ? [q.code] : [])))];
    const leaves: unknown[] = [];
    if (codes.length) leaves.push(['default_code', 'in', codes]);
    if (barcodes.length) leaves.push(['barcode', 'in', barcodes]);
    // supplierinfo names a template unless one variant is given (docs/odoo.md#quirks-and-how-they-were-verified).
    const bySupplierCode = new Map<string, { variants: Set<number>; templates: Set<number> }>();
    if (supplierCodes.length && vendorId) {
      const rows = await ctx.client.searchRead('product.supplierinfo', [['partner_id', 'child_of', vendorId], ['product_code', 'in', supplierCodes]], { fields: ['product_id', 'product_tmpl_id', 'product_code'] });
      for (const r of rows) {
        const entry = bySupplierCode.get(String(r['product_code'])) ?? { variants: new Set<number>(), templates: new Set<number>() };
        const variant = idOf(r['product_id']);
        const template = idOf(r['product_tmpl_id']);
        if (variant) entry.variants.add(variant);
        else if (template) entry.templates.add(template);
        bySupplierCode.set(String(r['product_code']), entry);
      }
      const variants = [...new Set([...bySupplierCode.values()].flatMap((e) => [...e.variants]))];
      const templates = [...new Set([...bySupplierCode.values()].flatMap((e) => [...e.templates]))];
      if (variants.length) leaves.push(['id', 'in', variants]);
      if (templates.length) leaves.push(['product_tmpl_id', 'in', templates]);
    }
    const rows = leaves.length ? await ctx.client.searchRead('product.product', [...leaves.slice(1).map(() => '|'), ...leaves], { fields: PRODUCT_FIELDS, order: 'id' }) : [];
    const out = new Map<string, ProductRecord[]>();
    for (const q of queries) {
      const mine = rows.filter((r) => {
        if (q.kind === 'code') return r['default_code'] === q.value;
        if (q.kind === 'barcode') return typeof r['barcode'] === 'string' && q.values.includes(r['barcode']);
        const entry = bySupplierCode.get(q.code);
        return !!entry && (entry.variants.has(r.id) || entry.templates.has(idOf(r['product_tmpl_id']) ?? 0));
      });
      out.set(keyOf(q), mine.map(toProduct));
    }
    return out;
  }

  const said = (id: ProductIdUseOf) => `${id.qualifier} '${id.value}'`;
  /** The searches of one match step for a line's ids, in the order they are tried. */
  async function stepsOf(how: ProductMatch, sent: readonly ProductIdUseOf[]): Promise<Step[]> {
    if (how === 'mapping') {
      // Any id may be mapped: the sender's own codes first, then the others in the order sent.
      const candidates = [...sent.filter((i) => i.use === 'theirs'), ...sent.filter((i) => i.use !== 'theirs')];
      const codes = await Promise.all(candidates.map((id) => mapping(id.value)));
      return candidates.flatMap((id, i) => {
        const code = codes[i];
        return code ? [{ query: { kind: 'code' as const, value: code }, what: `internal reference '${code}' (mapped from ${said(id)})`, missed: `${said(id)} mapped to internal reference '${code}', which no product has` }] : [];
      });
    }
    if (how === 'gtin') {
      const codes = sent.filter((i) => i.use === 'barcode');
      if (!codes.length) return [];
      const variants = [...new Set(codes.flatMap((i) => barcodeVariants(i.value, i.checkDigit)))];
      return [{ query: { kind: 'barcode', values: variants }, what: `barcode ${codes.map(said).join('/')}`, missed: `barcode ${codes.map(said).join(', ')} (no product has it)` }];
    }
    if (how === 'defaultCode') {
      return sent.filter((i) => i.use === 'ours').map((id) => ({ query: { kind: 'code', value: id.value }, what: `internal reference '${id.value}'`, missed: `${said(id)} as internal reference (no product has it)` }));
    }
    if (how === 'supplierCode' && role === 'supplier' && vendorId) {
      return sent.filter((i) => i.use === 'theirs').map((id) => ({ query: { kind: 'supplier', code: id.value }, what: `vendor product code '${id.value}'`, missed: `${said(id)} (not in the vendor's product codes, Purchase tab of the product)` }));
    }
    return [];
  }

  const mapHint = (value: string) =>
    ctx.settings.products.match.includes('mapping')
      ? `edi products map ${ctx.partnerCode} ${value} <internal reference>`
      : `add mapping to odoo.products.match in ${ctx.partnerFile}, then edi products map ${ctx.partnerCode} ${value} <internal reference>`;

  return {
    async prefetch(lines) {
      const steps = await Promise.all(lines.flatMap((ids) => {
        const sent = productIdUses(ids, role, ctx.settings.products.ids);
        return ctx.settings.products.match.map((how) => stepsOf(how, sent));
      }));
      const queries = steps.flat().map((s) => s.query);
      load(queries);
      await Promise.all(queries.map((q) => found.get(keyOf(q))));
    },
    async resolve(ids, line) {
      const sent = productIdUses(ids, role, ctx.settings.products.ids);
      const tried: string[] = [];
      for (const how of ctx.settings.products.match) {
        for (const step of await stepsOf(how, sent)) {
          const products = await byQuery(step.query);
          if (products.length > 1) throw new MasterDataGap('product', `${line}: ${step.what} matches several products (${products.map((p) => p.name).join('; ')}): make it unique`, { ...ids });
          if (products[0]) return products[0];
          tried.push(step.missed);
        }
      }
      // Every id can be mapped (any qualifier): a fix that always works once the product exists.
      const first = sent.find((i) => i.use === 'theirs') ?? sent.find((i) => i.use !== 'barcode') ?? sent[0];
      const fix = first ? `; fix: ${mapHint(first.value)} (its ${first.qualifier} code), or give the product one of these ids in Odoo` : '';
      const what = tried.length ? tried.join('; ') : `no product id Odoo can match (ids sent: ${describeIds(ids)})`;
      throw new MasterDataGap('product', `${line}: unknown product: ${what}${fix}`, { ...ids });
    },
  };
}

function describeIds(ids: ProductIds): string {
  const parts = Object.entries(ids).filter(([k, v]) => k !== 'other' && typeof v === 'string').map(([k, v]) => `${k} ${v}`);
  for (const o of ids.other) parts.push(`${o.qualifier} ${o.value}`);
  return parts.join(', ') || 'none';
}
