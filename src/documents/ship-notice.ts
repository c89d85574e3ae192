// The canonical ship notice (advance ship notice, X12 856): one shipment, its
// orders, and what each order holds as a tree of containers: pallets (tares)
// -> cartons (packs) -> items, cartons -> items, items alone, or items -> cartons.
// Independent of X12: the 856 map fills it from the HL hierarchy.
import { z } from 'zod';
import {
  CarrierSchema,
  DateReferenceSchema,
  IdentifierSchema,
  PartySchema,
  ProductIdsSchema,
  ReferenceSchema,
} from './common.js';

/** TD1: what the shipment, an order or a container is packed in, and its weight. */
export const LadingSchema = z.object({
  packagingCode: z.string().optional(), // TD101 (CTN25, PLT94: form + material)
  quantity: z.number().optional(), // TD102 lading quantity (cartons, pallets)
  weightQualifier: z.string().optional(), // TD106 (G gross, N net)
  weight: z.number().optional(), // TD107
  weightUnit: z.string().optional(), // TD108 (LB, KG)
  volume: z.number().optional(), // TD109
  volumeUnit: z.string().optional(), // TD110
});
export type Lading = z.infer<typeof LadingSchema>;

/** TD3: the trailer or container the shipment travels in. */
export const EquipmentSchema = z.object({
  typeCode: z.string().optional(), // TD301 (TL trailer, CN container, ...)
  initial: z.string().optional(), // TD302
  number: z.string().optional(), // TD303
  sealNumber: z.string().optional(), // TD309
});
export type Equipment = z.infer<typeof EquipmentSchema>;

/**
 * A lot (batch) of an item. Partners send it either as a LIN qualifier/id pair with
 * qualifier LT or as REF*LT at the item level; `source` keeps which, so we answer
 * a partner in the form it uses.
 */
export const LotSchema = z.object({
  number: z.string(),
  source: z.enum(['LIN', 'REF']).default('LIN'),
});
export type Lot = z.infer<typeof LotSchema>;

/** What a pack or tare carries besides the SSCC-18: other MAN marks (CP carrier package id, UC, ...). */
const ContainerFields = {
  /** MAN*GM normalised to 18 digits (a (00)-prefixed 20-digit value is accepted and shortened). */
  sscc: z.string().optional(),
  marks: z.array(IdentifierSchema).default([]), // MAN01/MAN02 other than the first GM
  lading: LadingSchema.optional(), // TD1 at this level
  references: z.array(ReferenceSchema).default([]), // REF
  dates: z.array(DateReferenceSchema).default([]), // DTM
};

/** A carton as the last level: it holds no items (S/O/I/P: cartons of one item). */
export const LeafPackSchema = z.object({ ...ContainerFields });
export type LeafPack = z.infer<typeof LeafPackSchema>;

/** One shipped line (I level): LIN + SN1 (+ PID, REF, DTM), with its cartons in S/O/I/P. */
export const ShipNoticeItemSchema = z.object({
  lineNumber: z.string().optional(), // LIN01, else SN101 (links to PO101)
  productIds: ProductIdsSchema, // LIN02/03 ... pairs, LT excepted
  quantityShipped: z.number(), // SN102
  unit: z.string(), // SN103
  quantityShippedToDate: z.number().optional(), // SN104
  quantityOrdered: z.number().optional(), // SN105
  orderedUnit: z.string().optional(), // SN106
  status: z.string().optional(), // SN108 (AC, IB, ...)
  lots: z.array(LotSchema).default([]),
  description: z.string().optional(), // PID05 (PID01 = F)
  references: z.array(ReferenceSchema).default([]), // REF other than LT
  dates: z.array(DateReferenceSchema).default([]), // DTM (036 expiration, ...)
  /** S/O/I/P: the cartons this item is packed in (P levels under the I level). */
  packs: z.array(LeafPackSchema).default([]),
});
export type ShipNoticeItem = z.infer<typeof ShipNoticeItemSchema>;

/** A carton (P level) and the items in it. */
export const PackSchema = z.object({ ...ContainerFields, items: z.array(ShipNoticeItemSchema).default([]) });
export type Pack = z.infer<typeof PackSchema>;

/** A pallet (T level): its cartons, or items stacked on it directly. */
export const TareSchema = z.object({
  ...ContainerFields,
  packs: z.array(PackSchema).default([]),
  items: z.array(ShipNoticeItemSchema).default([]),
});
export type Tare = z.infer<typeof TareSchema>;

/** One purchase order of the shipment (O level) and its content. */
export const ShipNoticeOrderSchema = z.object({
  poNumber: z.string(), // PRF01
  releaseNumber: z.string().optional(), // PRF02
  changeOrderSequence: z.string().optional(), // PRF03
  poDate: z.string().optional(), // PRF04 ISO date
  references: z.array(ReferenceSchema).default([]), // REF at the O level (IA, DP, ...)
  dates: z.array(DateReferenceSchema).default([]),
  parties: z.array(PartySchema).default([]), // N1 at the O level (BY, Z7 mark-for store)
  lading: LadingSchema.optional(), // TD1 at the O level
  tares: z.array(TareSchema).default([]), // S/O/T/P/I
  packs: z.array(PackSchema).default([]), // S/O/P/I
  items: z.array(ShipNoticeItemSchema).default([]), // S/O/I and S/O/I/P
});
export type ShipNoticeOrder = z.infer<typeof ShipNoticeOrderSchema>;

/** CTT as sent: the map compares them with the detail and warns when they differ. */
export const ShipNoticeTotalsSchema = z.object({
  lineCount: z.number().optional(), // CTT01 (HL segments by the common convention, or items); written as counted HLs when absent
  hashTotal: z.number().optional(), // CTT02 (sum of SN102); written as that sum when absent
});
export type ShipNoticeTotals = z.infer<typeof ShipNoticeTotalsSchema>;

export const ShipNoticeSchema = z.object({
  purposeCode: z.string(), // BSN01 (00 original, 05 replace, 01 cancel, 07 duplicate)
  shipmentId: z.string(), // BSN02
  shipDate: z.string(), // BSN03 ISO date
  shipTime: z.string().optional(), // BSN04 HH:MM[:SS]
  /** BSN05: 0001 S/O/P/I (with optional T: S/O/T/P/I), 0002 S/O/I/P, 0004 S/O/I; as sent. */
  structureCode: z.string().optional(),
  /** Header DTM and S-level DTM (011 shipped, 017 estimated delivery, 067 scheduled delivery). */
  dates: z.array(DateReferenceSchema).default([]),
  billOfLading: z.string().optional(), // REF*BM at the S level
  proNumber: z.string().optional(), // REF*CN carrier PRO / tracking number
  references: z.array(ReferenceSchema).default([]), // other REF at the S level
  carrier: CarrierSchema.optional(), // TD5
  equipment: EquipmentSchema.optional(), // TD3
  lading: LadingSchema.optional(), // TD1 at the S level
  parties: z.array(PartySchema).default([]), // N1 loops at the S level (ST, SF, ...)
  orders: z.array(ShipNoticeOrderSchema).default([]),
  totals: ShipNoticeTotalsSchema.default({}),
});
export type ShipNotice = z.infer<typeof ShipNoticeSchema>;
