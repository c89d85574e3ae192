// The canonical purchase order (850), independent of X12 and of Odoo. The pieces a
// line is made of (notes, descriptions, pack) are shared with the PO acknowledgment,
// whose lines echo the order's lines.
import { z } from 'zod';
import {
  AllowanceChargeSchema, CarrierSchema, ContactSchema, DateReferenceSchema, PartySchema,
  PaymentTermsSchema, ProductIdsSchema, ReferenceSchema,
} from './common.js';

/** BEG01 / BAK01 transaction set purpose codes with a name; any other code reads as 'other'. */
export const PurposeSchema = z.enum(['original', 'cancellation', 'change', 'replace', 'confirmation', 'duplicate', 'other']);
export type Purpose = z.infer<typeof PurposeSchema>;

export const PURPOSE_CODES: Readonly<Record<Exclude<Purpose, 'other'>, string>> = {
  original: '00', cancellation: '01', change: '04', replace: '05', confirmation: '06', duplicate: '07',
};

/** The reverse of PURPOSE_CODES, built once: purposeOf runs for every order read. */
const PURPOSE_BY_CODE: ReadonlyMap<string, Purpose> = new Map(
  Object.entries(PURPOSE_CODES).map(([purpose, code]) => [code, purpose as Purpose]),
);

export function purposeOf(code: string): Purpose {
  return PURPOSE_BY_CODE.get(code) ?? 'other';
}

/** The purpose code written for a document (BEG01/BAK01): as read, else from `purpose`. */
export function purposeCodeOf(doc: { purpose: Purpose; purposeCode?: string | undefined }): string {
  if (doc.purposeCode) return doc.purposeCode;
  if (doc.purpose === 'other') throw new RangeError('purpose "other" needs a purposeCode to be written');
  return PURPOSE_CODES[doc.purpose];
}

/** A note: an N9 loop (N9 + DTM + MSG/MTX lines), or free text (a bare MSG) when `qualifier` is absent. */
export const NoteSchema = z.object({
  qualifier: z.string().optional(), // N901 (L1 letters or notes, ZZ, ...)
  reference: z.string().optional(), // N902
  description: z.string().optional(), // N903
  dates: z.array(DateReferenceSchema).default([]), // DTM in the N9 loop
  messages: z.array(z.string()).default([]), // MSG01 (004010) or MTX02 (005010), one per segment
});
export type Note = z.infer<typeof NoteSchema>;

/** A PID segment other than the line's main description. */
export const ItemDescriptionSchema = z.object({
  type: z.string(), // PID01: F free-form, S structured, X both
  characteristic: z.string().optional(), // PID02 (08 product, 73 color, 74 size, ...)
  agency: z.string().optional(), // PID03
  code: z.string().optional(), // PID04
  text: z.string().optional(), // PID05
});
export type ItemDescription = z.infer<typeof ItemDescriptionSchema>;

/** PO4 item physical details: how the item is packed. */
export const PackSchema = z.object({
  pack: z.number().optional(), // PO401 inner units per outer pack
  size: z.number().optional(), // PO402
  unit: z.string().optional(), // PO403 unit of the size
  packaging: z.string().optional(), // PO404 packaging code (CTN25, ...)
});
export type Pack = z.infer<typeof PackSchema>;

/** A CTP segment of the PO1 loop: pricing information (which one applies: src/odoo/postings/line-price.ts). */
export const LinePriceSchema = z.object({
  classOfTrade: z.string().optional(), // CTP01 (WS wholesale, RS resale, ...)
  qualifier: z.string().optional(), // CTP02 price identifier (NET, CON, CAT, UCP, RES, ...)
  unitPrice: z.number().optional(), // CTP03 (R)
  quantity: z.number().optional(), // CTP04: the quantity the price applies from (a price break)
  unit: z.string().optional(), // CTP05-01
});
export type LinePrice = z.infer<typeof LinePriceSchema>;

/** One PO1 line; the 855 echoes the same fields. */
export const OrderLineSchema = z.object({
  lineNumber: z.string().optional(), // PO101 (echoed by 855/856/810 lines)
  quantity: z.number(), // PO102 (R)
  unit: z.string(), // PO103
  unitPrice: z.number().optional(), // PO104 (R: explicit decimals)
  priceBasis: z.string().optional(), // PO105
  /** CTP segments of the line, in the order sent (absent when there is none). */
  prices: z.array(LinePriceSchema).optional(),
  productIds: ProductIdsSchema, // PO106..PO125
  /** PID05 of the first free-form PID with no characteristic or characteristic 08 (product). */
  description: z.string().optional(),
  /** Every other PID of the line, in the order sent. */
  descriptions: z.array(ItemDescriptionSchema).default([]),
  pack: PackSchema.optional(), // PO4
  references: z.array(ReferenceSchema).default([]),
  dates: z.array(DateReferenceSchema).default([]),
  allowancesCharges: z.array(AllowanceChargeSchema).default([]),
  notes: z.array(NoteSchema).default([]),
  /** N1 loops of the line (per-line ship-to, mark-for store). */
  parties: z.array(PartySchema).default([]),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** CTT and AMT*TT, as sent: maps compare them with the lines and warn when they differ. */
export const OrderTotalsSchema = z.object({
  lineCount: z.number().optional(), // CTT01
  hashTotal: z.number().optional(), // CTT02
  amount: z.number().optional(), // AMT02 where AMT01 = TT
});
export type OrderTotals = z.infer<typeof OrderTotalsSchema>;

export const PurchaseOrderSchema = z.object({
  purpose: PurposeSchema,
  /** BEG01 as sent; written as is (else derived from `purpose`). */
  purposeCode: z.string().optional(),
  orderType: z.string(), // BEG02 (SA stand-alone, DS drop ship, RL release, ...)
  poNumber: z.string(), // BEG03
  releaseNumber: z.string().optional(), // BEG04
  poDate: z.string(), // BEG05, ISO date
  contractNumber: z.string().optional(), // BEG06
  currency: z.string().optional(), // CUR02
  references: z.array(ReferenceSchema).default([]),
  contacts: z.array(ContactSchema).default([]), // PER
  dates: z.array(DateReferenceSchema).default([]), // DTM
  parties: z.array(PartySchema).default([]), // N1 loops
  terms: z.array(PaymentTermsSchema).default([]), // ITD
  carriers: z.array(CarrierSchema).default([]), // TD5
  allowancesCharges: z.array(AllowanceChargeSchema).default([]), // header SAC
  notes: z.array(NoteSchema).default([]), // N9 loops
  lines: z.array(OrderLineSchema).default([]),
  totals: OrderTotalsSchema.default({}),
});
export type PurchaseOrder = z.infer<typeof PurchaseOrderSchema>;
