// The 856 of a done delivery, from what the builder read (docs/odoo.md#856-from-done-deliveries).
// Pure: the delivery's move lines (already in their sale line's unit), its packages, carrier and
// weight, and the customer's stored 850 -> a ShipNotice, or the reasons it is held.
//
//   S/O/P/I (BSN05 0001) when the goods are in packages: one P level per package with its SSCC-18;
//   S/O/I (0004) when none is. Items echo the 850 line (PO101, the customer's ids), one per lot.
//   A partner file may fix the hierarchy (documents.rules.'856'.hierarchy, partners/README.md#outbound-settings):
//   SOPI holds a delivery without packages; SOI leaves the packages out (they are our warehouse's business).
import type { ProductIdTarget } from '../lookup/product-ids.js';
import type { ShipNoticeHierarchy } from '../../partners/types.js';
import type { PurchaseOrder, OrderLine } from '../../documents/purchase-order.js';
import { ShipNoticeSchema, type Lading, type ShipNotice, type ShipNoticeItem } from '../../documents/ship-notice.js';
import type { Party } from '../../documents/common.js';
import { checkSscc, completeSscc } from '../../maps/sscc.js';
import { matchSaleLines, unitCodeFor, type SaleLineFacts } from './ack-lines.js';

/** DTM qualifiers the 856 writes: 011 shipped, 036 expiration (of a lot). */
export const SHIPPED_DATE_QUALIFIER = '011';
export const EXPIRATION_DATE_QUALIFIER = '036';
/** The SSCC's extension digit: 0 for the cartons and pallets we number. */
export const SSCC_EXTENSION_DIGIT = '0';

/** One done move line of the delivery. */
export interface ShippedLineFacts {
  saleLineId?: number | undefined;
  productName: string;
  /** In the sale line's unit (the builder converted it). */
  quantity: number;
  lot?: { name: string; expiry?: string | undefined } | undefined;
  packageId?: number | undefined;
}

export interface PackageFacts {
  id: number;
  name: string;
  /** shipping_weight, else weight; undefined when 0 or not on this server. */
  weight?: number | undefined;
}

export interface ShipNoticeFacts {
  pickingName: string;
  orderName: string;
  /** date_done as Odoo gives it (UTC 'YYYY-MM-DD HH:MM:SS'). */
  doneAt: string;
  /** Our company (N1 SF). */
  shipFrom?: string | undefined;
  carrier?: { id: number; name: string; scac?: string | undefined } | undefined;
  trackingRef?: string | undefined;
  /** The delivery's gross weight (shipping_weight, else weight), undefined when 0 or unknown. */
  weight?: number | undefined;
  /** TD108 of every weight (KG, LB). */
  weightUnit: string;
  /** Whether this server keeps a weight on packages (stock_delivery): only then a package without one holds. */
  packagesWeighed: boolean;
  /** The package model (stock.quant.package up to 18, stock.package on 19), for the reasons. */
  packageModel: string;
  po: PurchaseOrder;
  sale: readonly SaleLineFacts[];
  lines: readonly ShippedLineFacts[];
  packages: readonly PackageFacts[];
}

export interface ShipNoticeRules {
  /** GS1_COMPANY_PREFIX as configured (undefined: not set). */
  companyPrefix: string | undefined;
  partnerFile: string;
  productIds?: Readonly<Record<string, ProductIdTarget>>;
  /** The partner's hierarchy (default auto: S/O/P/I when the goods are in packages). */
  hierarchy?: ShipNoticeHierarchy;
}

export type ShipNoticeVerdict = { document: ShipNotice; details: Record<string, unknown> } | { held: string[] };

/** The SCAC of a carrier: its x_scac field, else its name when that is a SCAC (2 to 4 capital letters, as the 856 receipt names carriers). */
export function scacOf(name: string, field: unknown): string | undefined {
  if (typeof field === 'string' && field.trim()) return field.trim().toUpperCase();
  return /^[A-Z]{2,4}$/.test(name.trim()) ? name.trim() : undefined;
}

/** A GS1 company prefix is 4 to 12 digits; undefined when it is not one. */
export function companyPrefixOf(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  return value && /^\d{4,12}$/.test(value) ? value : undefined;
}

/**
 * The SSCC-18 of a package: its name when that already is a valid SSCC-18 (a label printed
 * elsewhere); else extension digit 0 + company prefix + the package's id as serial reference
 * (Odoo never gives an id twice, so the number is stable across rebuilds and never reused).
 */
export function packageSscc(pkg: Pick<PackageFacts, 'id' | 'name'>, prefix: string | undefined): { sscc: string } | { problem: 'no-prefix' | 'too-many' } {
  const named = checkSscc(pkg.name);
  if (!named.problem) return { sscc: named.value };
  if (prefix === undefined) return { problem: 'no-prefix' };
  const digits = 16 - prefix.length;
  const serial = String(pkg.id);
  if (serial.length > digits) return { problem: 'too-many' };
  return { sscc: completeSscc(`${SSCC_EXTENSION_DIGIT}${prefix}${serial.padStart(digits, '0')}`) };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

interface ItemKey { index: number; lot: string; packageId: number | undefined }

export function shipNoticeDocument(facts: ShipNoticeFacts, rules: ShipNoticeRules): ShipNoticeVerdict {
  const held: string[] = [];
  const said = `delivery ${facts.pickingName}`;
  const ordered = facts.po.lines;
  const matches = matchSaleLines(ordered, facts.sale, rules.productIds);
  const indexOfSale = new Map([...matches].map(([index, m]) => [m.sale.id, index]));

  // Only goods of the 850's lines go out in the 856; the rest is listed in the details.
  const notIn850: Array<{ product: string; quantity: number }> = [];
  const hierarchy = rules.hierarchy ?? 'auto';
  const shipped = facts.lines.filter((l) => {
    const known = l.saleLineId !== undefined && indexOfSale.has(l.saleLineId);
    if (!known) notIn850.push({ product: l.productName, quantity: l.quantity });
    return known && l.quantity > 0;
  }).map((l) => (hierarchy === 'SOI' && l.packageId !== undefined ? { ...l, packageId: undefined } : l));
  if (!shipped.length) held.push(`${said} ships nothing of the lines of 850 ${facts.po.poNumber} (sale order ${facts.orderName}): nothing to announce`);

  const packed = shipped.filter((l) => l.packageId !== undefined);
  if (hierarchy === 'SOPI' && shipped.length && !packed.length) {
    held.push(`${said}: its goods are in no package, but ${rules.partnerFile} asks for the 856 in S/O/P/I (documents.rules.856.hierarchy: SOPI): put them in packages (Put in Pack before validating; on a done delivery, unlock it and set a package on each line of its Detailed Operations), then build again`);
  }
  if (packed.length && packed.length < shipped.length) {
    for (const l of shipped.filter((x) => x.packageId === undefined)) {
      held.push(`${said}: ${l.quantity} of ${l.productName} are in no package while the rest is packed: put them in a package too (an 856 has one hierarchy, S/O/P/I or S/O/I), then build again`);
    }
  }

  // Carrier: a delivery without carrier goes without TD5 (a pick-up); one with a carrier needs its SCAC.
  const carrier = facts.carrier;
  if (carrier && !carrier.scac) {
    held.push(`${said}: carrier '${carrier.name}' (delivery.carrier ${carrier.id}) has no SCAC: fill its x_scac field (a custom field) or name the carrier by its SCAC (2 to 4 capital letters), then build again`);
  }

  const prefix = companyPrefixOf(rules.companyPrefix);
  const usedPackages = facts.packages.filter((p) => packed.some((l) => l.packageId === p.id)).sort((a, b) => a.id - b.id);
  const ssccs = new Map<number, string>();
  for (const p of usedPackages) {
    const label = `package ${p.name} (${facts.packageModel} ${p.id})`;
    const result = packageSscc(p, prefix);
    if ('sscc' in result) ssccs.set(p.id, result.sscc);
    else if (result.problem === 'no-prefix') {
      held.push(rules.companyPrefix === undefined || !rules.companyPrefix.trim()
        ? `${said}: ${label} needs an SSCC-18 but no GS1 company prefix is configured: set GS1_COMPANY_PREFIX (4 to 12 digits) in the gateway's environment, or name the package by its SSCC-18, then build again`
        : `${said}: ${label} needs an SSCC-18 but GS1_COMPANY_PREFIX '${rules.companyPrefix}' is not a GS1 company prefix (4 to 12 digits): correct it, then build again`);
    } else {
      held.push(`${said}: ${label}: its id does not fit the ${16 - prefix!.length} serial digits GS1_COMPANY_PREFIX ${prefix} leaves: name the package by an SSCC-18 of another prefix, then build again`);
    }
    if (facts.packagesWeighed && p.weight === undefined) held.push(`${said}: ${label} has no weight: fill its shipping weight (shipping_weight), then build again`);
  }

  // One item per (850 line, lot, package), in the 850's line order.
  const items = new Map<string, { key: ItemKey; quantity: number; expiry?: string | undefined }>();
  for (const l of shipped) {
    const key: ItemKey = { index: indexOfSale.get(l.saleLineId!)!, lot: l.lot?.name ?? '', packageId: l.packageId };
    const id = JSON.stringify(key);
    const item = items.get(id) ?? { key, quantity: 0, expiry: l.lot?.expiry };
    item.quantity = round6(item.quantity + l.quantity);
    items.set(id, item);
  }
  const unitless = new Set<number>();
  const itemOf = (key: ItemKey, quantity: number, expiry: string | undefined): ShipNoticeItem => {
    const line: OrderLine = ordered[key.index]!;
    const sale = matches.get(key.index)!.sale;
    const unit = unitCodeFor(sale, line);
    if (unit === undefined && !unitless.has(key.index)) {
      unitless.add(key.index);
      held.push(`${said}, line ${line.lineNumber ?? key.index + 1} (${sale.productName}): unit '${sale.unitName}' has no X12 code: add its code to odoo.units in ${rules.partnerFile} (<X12 code>: ${sale.unitName}), or set the sale line's unit to one that has, then build again`);
    }
    return {
      lineNumber: line.lineNumber ?? String(key.index + 1),
      productIds: line.productIds,
      quantityShipped: quantity,
      unit: unit ?? line.unit,
      quantityOrdered: line.quantity,
      orderedUnit: line.unit,
      lots: key.lot ? [{ number: key.lot, source: 'LIN' }] : [],
      references: [],
      dates: expiry ? [{ qualifier: EXPIRATION_DATE_QUALIFIER, date: expiry }] : [],
      packs: [],
    };
  };
  const sorted = [...items.values()].sort((a, b) => a.key.index - b.key.index || a.key.lot.localeCompare(b.key.lot));
  const itemsIn = (packageId: number | undefined) => sorted.filter((i) => i.key.packageId === packageId).map((i) => itemOf(i.key, i.quantity, i.expiry));

  const weighed = (weight: number | undefined): Pick<Lading, 'weightQualifier' | 'weight' | 'weightUnit'> =>
    (weight === undefined ? {} : { weightQualifier: 'G', weight, weightUnit: facts.weightUnit });
  const isPacked = packed.length > 0;
  const order = {
    poNumber: facts.po.poNumber,
    ...(facts.po.releaseNumber !== undefined ? { releaseNumber: facts.po.releaseNumber } : {}),
    poDate: facts.po.poDate,
    references: [{ qualifier: 'VN', value: facts.orderName }],
    packs: isPacked ? usedPackages.map((p) => ({ sscc: ssccs.get(p.id), ...(p.weight !== undefined ? { lading: weighed(p.weight) } : {}), items: itemsIn(p.id) })) : [],
    items: isPacked ? [] : itemsIn(undefined),
  };
  if (held.length) return { held };

  const lading: Lading | undefined = isPacked
    ? { packagingCode: 'CTN25', quantity: usedPackages.length, ...weighed(facts.weight) }
    : facts.weight !== undefined ? weighed(facts.weight) : undefined;
  const shipDate = facts.doneAt.slice(0, 10);
  const shipTime = /^\d{4}-\d{2}-\d{2}[ T](\d{2}:\d{2})/.exec(facts.doneAt)?.[1];
  const parties: Party[] = [
    ...facts.po.parties.filter((p) => p.role === 'ship_to'),
    ...(facts.shipFrom ? [{ role: 'ship_from' as const, entityCode: 'SF', name: facts.shipFrom, names: [], ids: { other: [] }, references: [], contacts: [] }] : []),
  ];
  const document = ShipNoticeSchema.parse({
    purposeCode: '00',
    shipmentId: facts.pickingName,
    shipDate,
    ...(shipTime ? { shipTime } : {}),
    structureCode: isPacked ? '0001' : '0004',
    dates: [{ qualifier: SHIPPED_DATE_QUALIFIER, date: shipDate, ...(shipTime ? { time: shipTime } : {}) }],
    // Our delivery order is the shipper's bill of lading; the carrier's tracking number goes as its PRO.
    billOfLading: facts.pickingName,
    ...(facts.trackingRef ? { proNumber: facts.trackingRef } : {}),
    ...(carrier?.scac ? { carrier: { routingSequence: 'B', idQualifier: '2', scac: carrier.scac, routing: carrier.name.slice(0, 35) } } : {}),
    ...(lading ? { lading } : {}),
    parties,
    orders: [order],
  });
  return {
    document,
    details: {
      hierarchy: isPacked ? 'S/O/P/I' : 'S/O/I',
      ...(hierarchy !== 'auto' ? { hierarchyRule: hierarchy } : {}),
      ...(isPacked ? { packages: usedPackages.map((p) => ({ package: p.name, id: p.id, sscc: ssccs.get(p.id) })) } : {}),
      lines: sorted.map((i) => ({ line: ordered[i.key.index]!.lineNumber ?? String(i.key.index + 1), quantity: i.quantity, ...(i.key.lot ? { lot: i.key.lot } : {}) })),
      ...(notIn850.length ? { notIn850 } : {}),
    },
  };
}
