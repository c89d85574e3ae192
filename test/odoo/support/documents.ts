// Canonical documents for the posting tests, built around a seeded World (codes carry the run id).
import type { Envelope } from '../../../src/documents/common.js';
import { InvoiceSchema, type Invoice } from '../../../src/documents/invoice.js';
import { PurchaseOrderAckSchema, type PurchaseOrderAck } from '../../../src/documents/purchase-order-ack.js';
import { PurchaseOrderSchema, type PurchaseOrder } from '../../../src/documents/purchase-order.js';
import { ShipNoticeSchema, type ShipNotice } from '../../../src/documents/ship-notice.js';
import type { World } from './seed.js';

let control = 0;

/** An envelope with a fresh ISA13, so each document has its own natural key. */
export function envelopeFor(setId: string): Envelope {
  control++;
  return {
    senderQualifier: 'ZZ', senderId: 'PARTNER', receiverQualifier: 'ZZ', receiverId: 'ACMEDIST',
    interchangeControlNumber: String(control).padStart(9, '0'), usage: 'P', groupSenderId: 'PARTNER', groupReceiverId: 'ACMEDIST',
    groupControlNumber: String(control), version: '004010', transactionSetId: setId, transactionControlNumber: '0001',
  };
}

export function naturalKeyOf(partner: string, env: Envelope): string {
  return [partner, env.transactionSetId, `${env.senderQualifier}/${env.senderId}`, env.interchangeControlNumber, env.groupControlNumber, env.transactionControlNumber].join('|');
}

/** A customer's 850: line 1 by GTIN-14 (the EAN-13 with a leading 0), line 2 by our part number, line 3 by their buyer part. */
export function purchaseOrder(world: World, poNumber: string, overrides: Partial<PurchaseOrder> = {}): PurchaseOrder {
  const [oats, honey, almonds] = world.products;
  return PurchaseOrderSchema.parse({
    purpose: 'original', purposeCode: '00', orderType: 'SA', poNumber, poDate: '2026-11-20',
    dates: [{ qualifier: '002', date: '2026-12-04' }],
    parties: [
      { role: 'buyer', entityCode: 'BY', name: world.customer.name, ids: {} },
      { role: 'ship_to', entityCode: 'ST', name: world.shipTo.name, ids: { gln: world.shipTo.gln } },
      { role: 'bill_to', entityCode: 'BT', name: 'AP', ids: { gln: world.billTo.gln } },
    ],
    lines: [
      { lineNumber: '1', quantity: 120, unit: 'EA', unitPrice: oats!.price, productIds: { gtin: `0${oats!.barcode}` } },
      { lineNumber: '2', quantity: 48, unit: 'EA', unitPrice: honey!.price, productIds: { vendorPart: honey!.defaultCode } },
      { lineNumber: '3', quantity: 15.5, unit: 'EA', unitPrice: almonds!.price, productIds: { buyerPart: `BUYER-ALM-${world.run}` } },
    ],
    ...overrides,
  });
}

/** A supplier's 855 for our PO: line 1 accepted, line 2 quantity changed, line 3 rejected; with a promised date on line 1. */
export function purchaseOrderAck(world: World, poNumber: string): PurchaseOrderAck {
  const [a, b, c] = world.products;
  return PurchaseOrderAckSchema.parse({
    purpose: 'original', ackType: 'AC', poNumber, poDate: '2026-11-20', sellerOrderNumber: `SO-${world.run}`,
    lines: [
      { lineNumber: '1', quantity: 100, unit: 'EA', productIds: { vendorPart: a!.vendorCode }, acks: [{ status: 'IA', statusName: 'item accepted', quantity: 100, unit: 'EA', dateQualifier: '068', date: '2026-12-10', productIds: {} }] },
      { lineNumber: '2', quantity: 50, unit: 'EA', productIds: { vendorPart: b!.vendorCode }, acks: [{ status: 'IQ', statusName: 'item accepted, quantity changed', quantity: 40, unit: 'EA', productIds: {} }] },
      { lineNumber: '3', quantity: 20, unit: 'EA', productIds: { buyerPart: c!.defaultCode }, acks: [{ status: 'IR', statusName: 'item rejected', quantity: 20, unit: 'EA', productIds: {} }] },
    ],
  });
}

/**
 * A supplier's 855 that prices its lines as the 850 rule reads them: line 1 accepted at our price
 * (CTP NET), line 2 at a new price announced by IP (CTP NET over a retail RES), line 3 accepted
 * with another price in PO104 but no price-change status.
 */
export function pricedPurchaseOrderAck(world: World, poNumber: string): PurchaseOrderAck {
  const [a, b, c] = world.products;
  const accepted = (status: string, statusName: string, quantity: number) => [{ status, statusName, quantity, unit: 'EA', productIds: {} }];
  return PurchaseOrderAckSchema.parse({
    purpose: 'original', ackType: 'AC', poNumber, poDate: '2026-11-20', sellerOrderNumber: `SO-P-${world.run}`,
    lines: [
      { lineNumber: '1', quantity: 100, unit: 'EA', prices: [{ qualifier: 'NET', unitPrice: a!.price }], productIds: { vendorPart: a!.vendorCode }, acks: accepted('IA', 'item accepted', 100) },
      { lineNumber: '2', quantity: 50, unit: 'EA', prices: [{ qualifier: 'RES', unitPrice: 29.99 }, { classOfTrade: 'WS', qualifier: 'NET', unitPrice: 21.9 }], productIds: { vendorPart: b!.vendorCode }, acks: accepted('IP', 'item accepted, price changed', 50) },
      { lineNumber: '3', quantity: 20, unit: 'EA', unitPrice: 3.5, prices: [{ qualifier: 'NET', unitPrice: 3 }], productIds: { vendorPart: c!.vendorCode }, acks: accepted('IA', 'item accepted', 20) },
    ],
  });
}

/** A supplier's 856 (S/O/P/I): two cartons of product 1 (with a lot), one of product 2. */
export function shipNotice(world: World, poNumber: string, quantities: { first: [number, number]; second: number }): ShipNotice {
  const [a, b] = world.products;
  const sscc = (n: number) => `00${world.run.replace(/\D/g, '').padEnd(8, '0').slice(0, 8)}${String(n).padStart(8, '0')}`;
  return ShipNoticeSchema.parse({
    purposeCode: '00', shipmentId: `SH-${world.run}`, shipDate: '2026-11-25', proNumber: `PRO-${world.run}`,
    carrier: { scac: 'UPSN' },
    orders: [{
      poNumber,
      packs: [
        { sscc: sscc(1), items: [{ lineNumber: '1', productIds: { vendorPart: a!.vendorCode }, quantityShipped: quantities.first[0], unit: 'EA', lots: [{ number: `LOT-A-${world.run}` }] }] },
        { sscc: sscc(2), items: [{ lineNumber: '1', productIds: { vendorPart: a!.vendorCode }, quantityShipped: quantities.first[1], unit: 'EA', lots: [{ number: `LOT-B-${world.run}` }] }] },
        { sscc: sscc(3), items: [{ lineNumber: '2', productIds: { buyerPart: b!.defaultCode }, quantityShipped: quantities.second, unit: 'EA' }] },
      ],
    }],
  });
}

/** A supplier's 810 for our PO: line 1 as ordered, line 2 at a higher price than the PO. */
export function invoice(world: World, poNumber: string, invoiceNumber: string, quantities: [number, number]): Invoice {
  const [a, b] = world.products;
  const lines = [
    { lineNumber: '1', quantity: quantities[0], unit: 'EA', unitPrice: a!.price, productIds: { vendorPart: a!.vendorCode } },
    { lineNumber: '2', quantity: quantities[1], unit: 'EA', unitPrice: b!.price + 1, productIds: { vendorPart: b!.vendorCode } },
  ];
  const amount = Math.round(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100;
  return InvoiceSchema.parse({ invoiceNumber, invoiceDate: '2026-11-26', poNumber, terms: [{ netDays: 30 }], lines, totals: { amount } });
}
