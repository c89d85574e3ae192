// The pure half of the 850 builder: what was read of a confirmed purchase.order (facts, no Odoo
// shapes) -> the canonical PurchaseOrder write850 sends to the supplier, or every reason it must
// wait for a person (the record and the field to fill). No I/O: tested on its own.
import type { Address, Party, ProductIds } from '../../documents/common.js';
import type { OrderLine, PurchaseOrder } from '../../documents/purchase-order.js';
import { fieldWord } from '../lookup/party-ids.js';
import { DEFAULT_UNITS, type OdooSettings } from '../settings.js';
import { x12UnitCodes } from './units.js';

/** DTM01 / line DTM01 of the date we want the goods delivered. */
export const REQUESTED_DELIVERY = '002';

export interface AddressFacts {
  /** The contact's name as Odoo shows it (N102). */
  name: string;
  gln?: string | undefined;
  street?: string | undefined;
  street2?: string | undefined;
  city?: string | undefined;
  /** State and country codes (N402, N404). */
  state?: string | undefined;
  zip?: string | undefined;
  country?: string | undefined;
}

export interface OrderLineFacts {
  /** The product's name, for messages. */
  productName: string;
  /** Our internal reference (default_code). */
  defaultCode?: string | undefined;
  barcode?: string | undefined;
  /** This vendor's product code (product.supplierinfo). */
  vendorCode?: string | undefined;
  /** The line's own description (its first line). */
  description?: string | undefined;
  quantity: number;
  /** The Odoo unit of measure of the line. */
  unitName: string;
  price: number;
  /** ISO date the line is expected. */
  plannedOn?: string | undefined;
}

export interface PurchaseOrderFacts {
  /** The order's name (P00017): BEG03. */
  name: string;
  /** The vendor as Odoo shows it, for messages. */
  vendorName: string;
  /** ISO dates: confirmation, order date, expected arrival. */
  approvedOn?: string | undefined;
  orderedOn: string;
  plannedOn?: string | undefined;
  currency?: string | undefined;
  shipTo: {
    /** The warehouse the order's operation type belongs to (its code), when it has one. */
    warehouse?: string | undefined;
    address?: AddressFacts | undefined;
    /** The res.partner fields a GLN is read from (barcode, global_location_number ...). */
    glnFields: readonly string[];
  };
  billTo: AddressFacts;
  lines: readonly OrderLineFacts[];
}

export interface PurchaseOrderRules {
  /** X12 code -> Odoo unit name (OdooSettings.units). */
  units: Readonly<Record<string, string>>;
  /** Whether a line without this vendor's product code is held (vendorCodeRequired). */
  vendorCodeRequired: boolean;
  /** The partner file, as messages name it. */
  partnerFile: string;
}

export type PurchaseOrderVerdict = { document: PurchaseOrder } | { held: string[] };

/**
 * The vendor's code is required when the partner's odoo.products.match lists supplierCode (the
 * default does): such a supplier's 855/856/810 name products by its own codes, so it knows them by
 * those. A partner whose match leaves supplierCode out is sent whatever ids the product has; its
 * lines are held only when they have none at all.
 */
export function vendorCodeRequired(settings: Pick<OdooSettings, 'products'>): boolean {
  return settings.products.match.includes('supplierCode');
}


/**
 * A barcode as the GS1 id it is: 12 digits a UPC-A (UP), 8, 13 or 14 digits a GTIN written as
 * GTIN-14 (UK, leading zeros: the one form every GTIN has). Anything else is no GTIN and not sent.
 */
export function gtinIdsOf(barcode: string | undefined): Pick<ProductIds, 'upc' | 'gtin'> {
  const code = barcode?.trim() ?? '';
  if (!/^\d+$/.test(code)) return {};
  if (code.length === 12) return { upc: code };
  if ([8, 13, 14].includes(code.length)) return { gtin: code.padStart(14, '0') };
  return {};
}

export function purchaseOrderDocument(facts: PurchaseOrderFacts, rules: PurchaseOrderRules): PurchaseOrderVerdict {
  const held: string[] = [];
  const po = `purchase order ${facts.name}`;
  const codes = x12UnitCodes(rules.units);
  const plannedOn = facts.plannedOn ?? earliest(facts.lines.map((l) => l.plannedOn));

  const lines = facts.lines.map((fact, i): OrderLine => {
    const label = `${po} line ${i + 1} (${fact.productName})`;
    const unit = codes.get(fact.unitName.trim().toLowerCase())?.[0];
    if (!unit) held.push(`${label}: unit '${fact.unitName}' has no X12 unit code: add it to odoo.units in ${rules.partnerFile} (<X12 code>: ${fact.unitName}, e.g. CA: ${fact.unitName})`);
    const productIds = productIdsOf(fact);
    if (!productIds.vendorPart && rules.vendorCodeRequired) {
      held.push(`${label}: product has no vendor product code for ${facts.vendorName} (Purchase tab of the product)${productIds.buyerPart || productIds.upc || productIds.gtin ? `, or leave supplierCode out of odoo.products.match in ${rules.partnerFile} if ${facts.vendorName} knows products by barcode or our Internal Reference` : ''}`);
    } else if (!productIds.vendorPart && !productIds.buyerPart && !productIds.upc && !productIds.gtin) {
      held.push(`${label}: product has no id to send: give it a vendor product code for ${facts.vendorName} (Purchase tab of the product), an Internal Reference or a barcode`);
    }
    const line: OrderLine = {
      lineNumber: String(i + 1),
      quantity: fact.quantity,
      unit: unit ?? '',
      unitPrice: fact.price,
      productIds,
      descriptions: [],
      references: [],
      dates: fact.plannedOn && fact.plannedOn !== plannedOn ? [{ qualifier: REQUESTED_DELIVERY, date: fact.plannedOn }] : [],
      allowancesCharges: [],
      notes: [],
      parties: [],
    };
    if (fact.description) line.description = fact.description;
    return line;
  });

  const shipTo = shipToParty(facts, po, held);
  if (held.length) return { held };
  const document: PurchaseOrder = {
    purpose: 'original',
    purposeCode: '00',
    orderType: 'SA',
    poNumber: facts.name,
    poDate: facts.approvedOn ?? facts.orderedOn,
    references: [],
    contacts: [],
    dates: plannedOn ? [{ qualifier: REQUESTED_DELIVERY, date: plannedOn }] : [],
    parties: [shipTo!, party('bill_to', 'BT', facts.billTo)],
    terms: [],
    carriers: [],
    allowancesCharges: [],
    notes: [],
    lines,
    // CTT01 as the reader gives it back: the document equals its own round trip.
    totals: { lineCount: lines.length },
  };
  if (facts.currency) document.currency = facts.currency;
  return { document };
}

/** Vendor part (VP), our reference (BP), the barcode as UPC or GTIN: every id the product has. */
function productIdsOf(fact: OrderLineFacts): ProductIds {
  const ids: ProductIds = { other: [] };
  if (fact.defaultCode?.trim()) ids.buyerPart = fact.defaultCode.trim();
  if (fact.vendorCode?.trim()) ids.vendorPart = fact.vendorCode.trim();
  return { ...ids, ...gtinIdsOf(fact.barcode) };
}

/** Our warehouse's address with its GLN; a hold when it has none (suppliers deliver to a GLN). */
function shipToParty(facts: PurchaseOrderFacts, po: string, held: string[]): Party | undefined {
  const { warehouse, address, glnFields } = facts.shipTo;
  if (!address) {
    held.push(warehouse
      ? `${po}: warehouse ${warehouse} has no address to ship to: set its Address (Inventory > Configuration > Warehouses)`
      : `${po}: its Deliver To operation type belongs to no warehouse, so there is no address to ship to: pick an operation type of a warehouse on the order (Other Information tab)`);
    return undefined;
  }
  if (!address.gln) {
    held.push(`${po}: ship-to address '${address.name}'${warehouse ? ` (warehouse ${warehouse})` : ''} has no GLN: fill its ${glnFields.map(fieldWord).join(' or ')} in Odoo (Contacts > ${address.name})`);
  }
  return party('ship_to', 'ST', address);
}

function party(role: Party['role'], entityCode: string, a: AddressFacts): Party {
  const p: Party = { role, entityCode, name: a.name, names: [], ids: { other: [] }, references: [], contacts: [] };
  if (a.gln) p.ids.gln = a.gln;
  const address: Address = { lines: [a.street, a.street2].filter((s): s is string => !!s?.trim()) };
  if (a.city) address.city = a.city;
  if (a.state) address.state = a.state;
  if (a.zip) address.postalCode = a.zip;
  if (a.country) address.country = a.country;
  if (address.lines.length || Object.keys(address).length > 1) p.address = address;
  return p;
}

/** ISO dates compare as strings. */
function earliest(dates: readonly (string | undefined)[]): string | undefined {
  return dates.reduce<string | undefined>((min, d) => (d && (!min || d < min) ? d : min), undefined);
}
