// The canonical purchase order acknowledgment (855): the seller's answer to an 850,
// with the order's lines echoed and one or more line acknowledgments (ACK) each.
import { z } from 'zod';
import {
  AllowanceChargeSchema, CarrierSchema, ContactSchema, DateReferenceSchema, PartySchema,
  PaymentTermsSchema, ProductIdsSchema, ReferenceSchema,
} from './common.js';
import { NoteSchema, OrderLineSchema, OrderTotalsSchema, PurposeSchema } from './purchase-order.js';

/** BAK02 acknowledgment types, for display. */
export const ACK_TYPE_NAMES: Readonly<Record<string, string>> = {
  AC: 'acknowledge with detail and change',
  AD: 'acknowledge with detail, no change',
  AE: 'acknowledge with exception detail only',
  AH: 'acknowledge, hold status',
  AK: 'acknowledge, no detail or change',
  AP: 'acknowledge, product replenishment',
  AT: 'accepted',
  NA: 'no acknowledgment needed',
  RD: 'reject with detail',
  RF: 'reject with exception detail only',
  RJ: 'rejected, no detail',
  RO: 'rejected with counter offer',
  ZZ: 'mutually defined',
};

/** ACK01 line item status codes. */
export const LINE_STATUS_NAMES: Readonly<Record<string, string>> = {
  AC: 'item accepted and shipped',
  AR: 'item accepted and released for shipment',
  BP: 'item accepted, partial shipment, balance backordered',
  DR: 'item accepted, date rescheduled',
  IA: 'item accepted',
  IB: 'item backordered',
  IC: 'item accepted, changes made',
  ID: 'item deleted',
  IE: 'item accepted, price pending',
  IF: 'item on hold, incomplete description',
  IH: 'item on hold',
  IP: 'item accepted, price changed',
  IQ: 'item accepted, quantity changed',
  IR: 'item rejected',
  IS: 'item accepted, substitution made',
  IW: 'item on hold, waiver required',
  R1: 'item rejected, not a contract item',
  R2: 'item rejected, invalid item product number',
  R3: 'item rejected, invalid unit of issue',
  R4: 'item rejected, contract item not available',
  R5: 'item rejected, reorder item as a just in time order',
  R6: 'item rejected, reorder item as an extended delivery order',
  R7: 'item rejected, reorder item as a drop ship order',
  R8: 'item rejected, reorder item as a delivery order',
  SP: 'item accepted, schedule date pending',
};

/** One ACK segment: what the seller does with (part of) the line. */
export const LineAckSchema = z.object({
  status: z.string(), // ACK01
  /** From LINE_STATUS_NAMES ('unknown' for codes outside it); not written back. */
  statusName: z.string(),
  quantity: z.number().optional(), // ACK02 (R)
  unit: z.string().optional(), // ACK03
  dateQualifier: z.string().optional(), // ACK04 (068 current schedule ship, 067 current schedule delivery, 017 estimated delivery)
  date: z.string().optional(), // ACK05, ISO date
  productIds: ProductIdsSchema, // ACK07..ACK28
});
export type LineAck = z.infer<typeof LineAckSchema>;

export const AckLineSchema = OrderLineSchema.extend({
  acks: z.array(LineAckSchema).default([]),
});
export type AckLine = z.infer<typeof AckLineSchema>;

export const PurchaseOrderAckSchema = z.object({
  purpose: PurposeSchema,
  /** BAK01 as sent; written as is (else derived from `purpose`). */
  purposeCode: z.string().optional(),
  ackType: z.string(), // BAK02 (see ACK_TYPE_NAMES)
  poNumber: z.string(), // BAK03
  poDate: z.string(), // BAK04, ISO date
  releaseNumber: z.string().optional(), // BAK05
  requestReference: z.string().optional(), // BAK06
  contractNumber: z.string().optional(), // BAK07
  sellerOrderNumber: z.string().optional(), // BAK08
  ackDate: z.string().optional(), // BAK09, ISO date
  currency: z.string().optional(), // CUR02
  references: z.array(ReferenceSchema).default([]),
  contacts: z.array(ContactSchema).default([]),
  dates: z.array(DateReferenceSchema).default([]),
  parties: z.array(PartySchema).default([]),
  terms: z.array(PaymentTermsSchema).default([]),
  carriers: z.array(CarrierSchema).default([]),
  allowancesCharges: z.array(AllowanceChargeSchema).default([]),
  notes: z.array(NoteSchema).default([]),
  lines: z.array(AckLineSchema).default([]),
  totals: OrderTotalsSchema.default({}),
});
export type PurchaseOrderAck = z.infer<typeof PurchaseOrderAckSchema>;
