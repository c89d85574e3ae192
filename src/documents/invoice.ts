// The canonical invoice (X12 810): header, lines, allowances and charges, taxes,
// terms and totals with every implied decimal already resolved. Independent of
// X12: the 810 map fills it; the Odoo layer turns it into a vendor bill.
import { z } from 'zod';
import {
  AllowanceChargeSchema,
  DateReferenceSchema,
  PartySchema,
  PaymentTermsSchema,
  ProductIdsSchema,
  ReferenceSchema,
} from './common.js';

/** TXI: one tax, on a line or on the whole invoice. */
export const TaxSchema = z.object({
  typeCode: z.string(), // TXI01 (ST state sales, GS goods and services, VA value added, LT local, ...)
  amount: z.number().optional(), // TXI02 (R, explicit decimals)
  percent: z.number().optional(), // TXI03 (R)
  jurisdictionQualifier: z.string().optional(), // TXI04
  jurisdictionCode: z.string().optional(), // TXI05
  exemptCode: z.string().optional(), // TXI06
  relationshipCode: z.string().optional(), // TXI07
  basisAmount: z.number().optional(), // TXI08 (dollar basis for percent)
  taxId: z.string().optional(), // TXI09
});
export type Tax = z.infer<typeof TaxSchema>;

/** CAD: how the invoiced goods were carried. */
export const CarrierDetailsSchema = z.object({
  transportMethod: z.string().optional(), // CAD01 (mandatory from 005010)
  equipmentInitial: z.string().optional(), // CAD02
  equipmentNumber: z.string().optional(), // CAD03
  scac: z.string().optional(), // CAD04
  routing: z.string().optional(), // CAD05
  statusCode: z.string().optional(), // CAD06
  referenceQualifier: z.string().optional(), // CAD07 (BM bill of lading, CN PRO)
  referenceId: z.string().optional(), // CAD08
  serviceLevel: z.string().optional(), // CAD09
});
export type CarrierDetails = z.infer<typeof CarrierDetailsSchema>;

/** One invoiced line: IT1 and what follows it in its loop. */
export const InvoiceLineSchema = z.object({
  lineNumber: z.string().optional(), // IT101 (echoes PO101)
  quantity: z.number(), // IT102
  unit: z.string(), // IT103
  unitPrice: z.number(), // IT104 (R, explicit decimals)
  priceBasis: z.string().optional(), // IT105 (PE per each, CP current price, ...)
  productIds: ProductIdsSchema, // IT106.. qualifier/id pairs
  description: z.string().optional(), // PID05 (PID01 = F)
  references: z.array(ReferenceSchema).default([]), // REF in the IT1 loop
  dates: z.array(DateReferenceSchema).default([]), // DTM in the IT1 loop
  allowancesCharges: z.array(AllowanceChargeSchema).default([]), // SAC in the IT1 loop
  taxes: z.array(TaxSchema).default([]), // TXI in the IT1 loop
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

/** TDS: all four amounts carry two implied decimals in X12 (N2); here they are plain numbers. */
export const InvoiceTotalsSchema = z.object({
  amount: z.number(), // TDS01 total invoice amount (after allowances and charges)
  amountSubjectToDiscount: z.number().optional(), // TDS02
  discountedAmountDue: z.number().optional(), // TDS03
  termsDiscountAmount: z.number().optional(), // TDS04
  lineCount: z.number().optional(), // CTT01 as sent; written as the number of IT1 when absent
  hashTotal: z.number().optional(), // CTT02 as sent; written as the sum of IT102 when absent
});
export type InvoiceTotals = z.infer<typeof InvoiceTotalsSchema>;

/** ISS: units and weight shipped, a summary some partners send. */
export const ShipmentSummarySchema = z.object({
  units: z.number().optional(), // ISS01
  unit: z.string().optional(), // ISS02
  weight: z.number().optional(), // ISS03
  weightUnit: z.string().optional(), // ISS04
});
export type ShipmentSummary = z.infer<typeof ShipmentSummarySchema>;

export const InvoiceSchema = z.object({
  invoiceNumber: z.string(), // BIG02
  invoiceDate: z.string(), // BIG01 ISO date
  poDate: z.string().optional(), // BIG03
  poNumber: z.string().optional(), // BIG04
  releaseNumber: z.string().optional(), // BIG05
  changeOrderSequence: z.string().optional(), // BIG06
  transactionType: z.string().optional(), // BIG07 (DI debit invoice, CR credit memo, ...)
  purposeCode: z.string().optional(), // BIG08 (00 original, ...)
  currency: z.string().optional(), // CUR02 ISO 4217 (CUR01 written as SE, the invoicing party)
  references: z.array(ReferenceSchema).default([]), // REF in the heading
  parties: z.array(PartySchema).default([]), // N1 loops in the heading
  terms: z.array(PaymentTermsSchema).default([]), // ITD
  dates: z.array(DateReferenceSchema).default([]), // DTM in the heading (011 shipped, ...)
  lines: z.array(InvoiceLineSchema).default([]),
  totals: InvoiceTotalsSchema,
  taxes: z.array(TaxSchema).default([]), // TXI in the summary
  carrierDetails: CarrierDetailsSchema.optional(), // CAD in the summary
  allowancesCharges: z.array(AllowanceChargeSchema).default([]), // SAC loop in the summary
  shipmentSummary: z.array(ShipmentSummarySchema).default([]), // ISS loop
});
export type Invoice = z.infer<typeof InvoiceSchema>;
