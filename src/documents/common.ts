// Building blocks shared by the canonical documents. Canonical documents are
// independent of X12 and of Odoo: a map reads X12 into them and writes them back,
// the Odoo layer reads and writes them, never X12.
// Dates are ISO strings (YYYY-MM-DD), times HH:MM[:SS]; amounts, quantities and prices are
// plain numbers with their decimals made explicit (implied decimals resolved by the map).
import { z } from 'zod';

export const IdentifierSchema = z.object({
  /** The X12 qualifier as sent (N103 "UL", PO106 "UP", ...). */
  qualifier: z.string(),
  value: z.string(),
});
export type Identifier = z.infer<typeof IdentifierSchema>;

/** Party ids, by what they are. `other` keeps every id with a qualifier we do not name. */
export const PartyIdsSchema = z.object({
  gln: z.string().optional(), // N103 UL
  duns: z.string().optional(), // N103 1
  dunsPlus4: z.string().optional(), // N103 9
  assignedByBuyer: z.string().optional(), // N103 92
  assignedBySeller: z.string().optional(), // N103 91
  other: z.array(IdentifierSchema).default([]),
});
export type PartyIds = z.infer<typeof PartyIdsSchema>;

export const AddressSchema = z.object({
  lines: z.array(z.string()).default([]), // N3
  city: z.string().optional(), // N401
  state: z.string().optional(), // N402
  postalCode: z.string().optional(), // N403
  country: z.string().optional(), // N404
  subdivision: z.string().optional(), // N407 (5010)
});
export type Address = z.infer<typeof AddressSchema>;

export const ContactSchema = z.object({
  function: z.string(), // PER01 (BD buyer, IC contact, ...)
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  fax: z.string().optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

/** N101 entity codes we name; any other code is kept in `entityCode` with role "other". */
export const PartyRoleSchema = z.enum([
  'buyer', // BY
  'seller', // SE
  'ship_to', // ST
  'bill_to', // BT
  'ship_from', // SF
  'vendor', // VN
  'supplier', // SU
  'remit_to', // RI
  'mark_for', // Z7
  'other',
]);
export type PartyRole = z.infer<typeof PartyRoleSchema>;

export const PartySchema = z.object({
  role: PartyRoleSchema,
  /** N101 as sent. */
  entityCode: z.string(),
  name: z.string().optional(), // N102
  names: z.array(z.string()).default([]), // N2 additional names
  ids: PartyIdsSchema,
  address: AddressSchema.optional(),
  references: z.lazy(() => z.array(ReferenceSchema)).default([]),
  contacts: z.array(ContactSchema).default([]),
});
export type Party = z.infer<typeof PartySchema>;

/** Product ids by kind (PO1/IT1/LIN/ACK qualifier-id pairs). */
export const ProductIdsSchema = z.object({
  buyerPart: z.string().optional(), // BP / IN
  vendorPart: z.string().optional(), // VN / VP
  upc: z.string().optional(), // UP (UPC-12)
  gtin: z.string().optional(), // UK (GTIN-14)
  ean: z.string().optional(), // EN (EAN-13)
  sku: z.string().optional(), // SK
  other: z.array(IdentifierSchema).default([]),
});
export type ProductIds = z.infer<typeof ProductIdsSchema>;

export const ReferenceSchema = z.object({
  qualifier: z.string(), // REF01
  value: z.string(), // REF02
  description: z.string().optional(), // REF03
});
export type Reference = z.infer<typeof ReferenceSchema>;

export const DateReferenceSchema = z.object({
  qualifier: z.string(), // DTM01 (002 delivery requested, 010 requested ship, 011 shipped, ...)
  date: z.string(), // ISO YYYY-MM-DD
  time: z.string().optional(),
});
export type DateReference = z.infer<typeof DateReferenceSchema>;

export const AllowanceChargeSchema = z.object({
  indicator: z.enum(['allowance', 'charge', 'no_charge', 'other']), // SAC01 A / C / N
  code: z.string().optional(), // SAC02
  /** SAC05 with its two implied decimals resolved. */
  amount: z.number().optional(),
  percentQualifier: z.string().optional(), // SAC06
  percent: z.number().optional(), // SAC07
  rate: z.number().optional(), // SAC08
  unit: z.string().optional(), // SAC09
  quantity: z.number().optional(), // SAC10
  handling: z.string().optional(), // SAC12
  reference: z.string().optional(), // SAC13
  description: z.string().optional(), // SAC15
});
export type AllowanceCharge = z.infer<typeof AllowanceChargeSchema>;

export const PaymentTermsSchema = z.object({
  typeCode: z.string().optional(), // ITD01
  basisDateCode: z.string().optional(), // ITD02
  discountPercent: z.number().optional(), // ITD03
  discountDueDate: z.string().optional(), // ITD04
  discountDays: z.number().optional(), // ITD05
  netDueDate: z.string().optional(), // ITD06
  netDays: z.number().optional(), // ITD07
  /** ITD08 with its two implied decimals resolved. */
  discountAmount: z.number().optional(),
  description: z.string().optional(), // ITD12
});
export type PaymentTerms = z.infer<typeof PaymentTermsSchema>;

export const CarrierSchema = z.object({
  routingSequence: z.string().optional(), // TD501
  idQualifier: z.string().optional(), // TD502
  scac: z.string().optional(), // TD503
  transportMethod: z.string().optional(), // TD504
  routing: z.string().optional(), // TD505
  serviceLevel: z.string().optional(), // TD512
});
export type Carrier = z.infer<typeof CarrierSchema>;

/** Where a canonical document came from (or goes to): enough to find it in the file and acknowledge it. */
export const EnvelopeSchema = z.object({
  senderQualifier: z.string(),
  senderId: z.string(), // ISA06 trimmed
  receiverQualifier: z.string(),
  receiverId: z.string(), // ISA08 trimmed
  interchangeControlNumber: z.string(), // ISA13, zero padding kept
  usage: z.string(), // ISA15
  groupSenderId: z.string(), // GS02
  groupReceiverId: z.string(), // GS03
  groupControlNumber: z.string(), // GS06
  version: z.string(), // GS08
  transactionSetId: z.string(), // ST01
  transactionControlNumber: z.string(), // ST02
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
