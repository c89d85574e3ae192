// Product/service id qualifier-value pairs (PO106.., IT106.., LIN02.., ACK07..,
// SLN..) <-> ProductIds. Reading files each pair by kind; a second pair of the same
// kind, and every unnamed qualifier, goes to `other` in the order sent. Writing uses
// one fixed order, so X12 -> canonical -> X12 -> canonical is exact.
import type { Identifier, ProductIds } from '../../documents/common.js';
import type { Segment } from '../../x12/model.js';
import type { ElementValue } from '../../x12/writer.js';
import type { MapReport } from './report.js';
import { noItems } from './lists.js';

export type ProductIdKind = 'buyerPart' | 'vendorPart' | 'upc' | 'gtin' | 'ean' | 'sku';

/** Qualifiers read into each named kind. */
export const PRODUCT_ID_QUALIFIERS: Readonly<Record<string, ProductIdKind>> = {
  BP: 'buyerPart', // buyer's part number
  IN: 'buyerPart', // buyer's item number
  VN: 'vendorPart', // vendor's item number
  VP: 'vendorPart', // vendor's part number
  UP: 'upc', // UCC-12 / UPC-A
  UK: 'gtin', // GTIN-14
  EN: 'ean', // EAN-13
  SK: 'sku', // stock keeping unit
};

/** Write order and the qualifier each kind is written with (a partner may want IN or VP instead). */
/**
 * The same as a table indexed by the two character codes of a qualifier: looking a
 * freshly read string up by itself (in an object or a Map) hashes it first, which costs
 * more than the rest of reading a product id.
 */
const KIND_BY_CODES: (ProductIdKind | undefined)[] = new Array<ProductIdKind | undefined>(128 * 128).fill(undefined);
for (const [q, kind] of Object.entries(PRODUCT_ID_QUALIFIERS)) KIND_BY_CODES[q.charCodeAt(0) * 128 + q.charCodeAt(1)] = kind;

function kindOf(qualifier: string): ProductIdKind | undefined {
  if (qualifier.length === 2) {
    const a = qualifier.charCodeAt(0);
    const b = qualifier.charCodeAt(1);
    if (a < 128 && b < 128) return KIND_BY_CODES[a * 128 + b];
  }
  return PRODUCT_ID_QUALIFIERS[qualifier];
}

/** Files an id under its kind while that kind is free, else in `other` (named stores: this runs for every pair). */
function fileId(ids: ProductIds, qualifier: string, value: string): void {
  const kind = kindOf(qualifier);
  switch (kind) {
    case 'buyerPart': if (ids.buyerPart === undefined) { ids.buyerPart = value; return; } break;
    case 'vendorPart': if (ids.vendorPart === undefined) { ids.vendorPart = value; return; } break;
    case 'upc': if (ids.upc === undefined) { ids.upc = value; return; } break;
    case 'gtin': if (ids.gtin === undefined) { ids.gtin = value; return; } break;
    case 'ean': if (ids.ean === undefined) { ids.ean = value; return; } break;
    case 'sku': if (ids.sku === undefined) { ids.sku = value; return; } break;
    case undefined: break;
    default: {
      const unhandled: never = kind; // a new kind must be filed above
      throw new Error(`product id kind ${String(unhandled)} has no field`);
    }
  }
  ids.other.push({ qualifier, value });
}

export const PRODUCT_ID_WRITE_ORDER: readonly ProductIdKind[] = ['buyerPart', 'vendorPart', 'upc', 'gtin', 'ean', 'sku'];
export const DEFAULT_PRODUCT_QUALIFIERS: Readonly<Record<ProductIdKind, string>> = {
  buyerPart: 'BP', vendorPart: 'VN', upc: 'UP', gtin: 'UK', ean: 'EN', sku: 'SK',
};

export function emptyProductIds(): ProductIds {
  return { other: [] };
}

/**
 * Reads `maxPairs` qualifier/id pairs starting at element `first` (PO106: first 6, 10 pairs).
 * A qualifier without an id (or the reverse) is a MAP_REQUIRED_VALUE finding.
 */
export function readProductIds(seg: Segment, first: number, maxPairs: number, report: MapReport, shared?: SharedProductIds): ProductIds {
  // Pairs past the segment's last element are all empty: no need to look at them.
  const pairs = Math.min(maxPairs, Math.ceil((report.elements.count(seg) - first) / 2));
  // Most segments carry one pair: it is held and made into the object at the end in one piece
  // (a field added to an object made without it costs a second allocation, kept with the document).
  let ids: ProductIds | undefined;
  let heldQualifier: string | undefined;
  let heldValue = '';
  for (let p = 0; p < pairs; p++) {
    const q = first + 2 * p;
    const qualifier = report.text(seg, q);
    const value = report.text(seg, q + 1);
    if (qualifier === undefined && value === undefined) continue;
    if (qualifier === undefined) { report.text(seg, q, { required: `qualifier of product id "${value}"` }); continue; }
    if (value === undefined) { report.text(seg, q + 1, { required: `product id for qualifier ${qualifier}` }); continue; }
    if (ids === undefined && heldQualifier === undefined) {
      heldQualifier = qualifier;
      heldValue = value;
      continue;
    }
    if (ids === undefined) {
      ids = emptyProductIds();
      fileId(ids, heldQualifier!, heldValue);
    }
    fileId(ids, qualifier, value);
  }
  if (ids !== undefined) return ids;
  if (heldQualifier === undefined) return emptyProductIds();
  const kind = kindOf(heldQualifier);
  if (kind === undefined) return { other: [{ qualifier: heldQualifier, value: heldValue }] };
  return shared !== undefined ? shared.of(kind, heldValue) : oneProductId(kind, heldValue);
}

/** The ProductIds of one named id, as fileId would file it into empty ones (`other` the shared empty list: ./lists.ts). */
function oneProductId(kind: ProductIdKind, value: string): ProductIds {
  // One literal per kind: each object is made with its two fields at once.
  switch (kind) {
    case 'buyerPart': return { other: noItems(), buyerPart: value };
    case 'vendorPart': return { other: noItems(), vendorPart: value };
    case 'upc': return { other: noItems(), upc: value };
    case 'gtin': return { other: noItems(), gtin: value };
    case 'ean': return { other: noItems(), ean: value };
    case 'sku': return { other: noItems(), sku: value };
  }
}

/**
 * One frozen ProductIds per single product id a large set repeats (most items of a large ship
 * notice name their product by one id, and a few products fill thousands of cartons): every
 * item of the product shares it rather than keeping a copy as long as the document. Frozen, like
 * the shared empty list: documents are never changed in place, and a change would throw rather
 * than reach other items. At most CAP ids are kept; the rest get their own objects.
 */
export class SharedProductIds {
  static readonly CAP = 4096;
  private readonly byKind = new Map<ProductIdKind, Map<string, ProductIds>>();
  private size = 0;

  of(kind: ProductIdKind, value: string): ProductIds {
    let known = this.byKind.get(kind);
    const ids = known?.get(value);
    if (ids !== undefined) return ids;
    const made = oneProductId(kind, value);
    if (this.size >= SharedProductIds.CAP) return made;
    if (known === undefined) this.byKind.set(kind, (known = new Map()));
    known.set(value, Object.freeze(made));
    this.size++;
    return made;
  }
}

/** The pairs in write order: named kinds first, then `other` as given. */
export function productIdPairs(ids: ProductIds, qualifiers: Partial<Record<ProductIdKind, string>> = {}): Identifier[] {
  const out: Identifier[] = [];
  for (const kind of PRODUCT_ID_WRITE_ORDER) {
    const value = ids[kind];
    if (value !== undefined && value !== '') out.push({ qualifier: qualifiers[kind] ?? DEFAULT_PRODUCT_QUALIFIERS[kind], value });
  }
  for (const o of ids.other) out.push(o);
  return out;
}

/**
 * Flat element values for the pairs (qualifier, id, qualifier, id, ...), at most `maxPairs`.
 * Pairs beyond the segment's room are reported in `dropped`, never silently lost.
 */
export function writeProductIds(
  ids: ProductIds, maxPairs: number, qualifiers: Partial<Record<ProductIdKind, string>> = {},
): { elements: ElementValue[]; dropped: Identifier[] } {
  const pairs = productIdPairs(ids, qualifiers);
  const elements: ElementValue[] = [];
  for (const p of pairs.slice(0, maxPairs)) elements.push(p.qualifier, p.value);
  return { elements, dropped: pairs.slice(maxPairs) };
}
