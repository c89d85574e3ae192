// The business key of a canonical document: what makes a second document a repeat of one already
// posted, whatever envelope it came in. A partner's resend of the same PO under new ISA13, GS06 and
// ST02 has the same key; the natural key (partner|set|sender|ISA13|GS06|ST02) does not.
// The key: partner, transaction set, the document's own number (850 BEG03, 855 BAK03, 856 BSN02,
// 810 BIG02) and its purpose code (BEG01, BAK01, BSN01, BIG08: data element 353 in all four).
// Purpose 01 (cancellation) and 05 (replace) change what was posted: such a document amends, it is
// never a repeat however often it comes, and goes to the target, whose posting applies it once.
import type { Invoice } from './invoice.js';
import type { PurchaseOrderAck } from './purchase-order-ack.js';
import { PURPOSE_CODES, type PurchaseOrder, type Purpose } from './purchase-order.js';
import type { ShipNotice } from './ship-notice.js';

export interface BusinessKey {
  partner: string;
  /** 850, 855, 856, 810. */
  setId: string;
  /** BEG03 / BAK03 / BSN02 / BIG02. */
  number: string;
  /** BEG01 / BAK01 / BSN01 / BIG08 as sent; '00' (original) when an 810 has no BIG08. */
  purposeCode: string;
  /** Purpose 01 or 05: changes what was posted, so a repeat of the key is not a duplicate. */
  amends: boolean;
  /** partner|set|number|purpose: equal for two documents exactly when one repeats the other. */
  key: string;
}

/** Element 353 codes that change a posted document: 01 cancellation, 05 replace. */
const AMENDING: ReadonlySet<string> = new Set([PURPOSE_CODES.cancellation, PURPOSE_CODES.replace]);

/** Where each keyed document type holds its number and purpose. */
const KEYED: Readonly<Record<string, { setId: string; number: (d: never) => unknown; purpose: (d: never) => string | undefined }>> = {
  purchase_order: { setId: '850', number: (d: PurchaseOrder) => d.poNumber, purpose: (d: PurchaseOrder) => purposeOf(d) },
  purchase_order_ack: { setId: '855', number: (d: PurchaseOrderAck) => d.poNumber, purpose: (d: PurchaseOrderAck) => purposeOf(d) },
  ship_notice: { setId: '856', number: (d: ShipNotice) => d.shipmentId, purpose: (d: ShipNotice) => d.purposeCode },
  invoice: { setId: '810', number: (d: Invoice) => d.invoiceNumber, purpose: (d: Invoice) => d.purposeCode },
};

/**
 * The business key of a document as the post stage hands it to a target (partner, document type,
 * canonical document); undefined for what has none (a 997/999, a document without its number):
 * such a document is only ever its natural key.
 */
export function businessKeyOf(req: { partner: string; documentType: string; document: unknown }): BusinessKey | undefined {
  const keyed = KEYED[req.documentType];
  if (!keyed || typeof req.document !== 'object' || req.document === null) return undefined;
  const number = keyed.number(req.document as never);
  if (typeof number !== 'string' || number.trim() === '') return undefined;
  const purposeCode = keyed.purpose(req.document as never) || PURPOSE_CODES.original;
  return {
    partner: req.partner,
    setId: keyed.setId,
    number,
    purposeCode,
    amends: AMENDING.has(purposeCode),
    key: businessKeyText(req.partner, keyed.setId, number, purposeCode),
  };
}

/** The key's text: partner|set|number|purpose. */
export function businessKeyText(partner: string, setId: string, number: string, purposeCode: string): string {
  return [partner, setId, number, purposeCode].join('|');
}

/** BEG01 / BAK01 as read (the maps keep it), else the code of the named purpose. */
function purposeOf(d: { purpose: Purpose; purposeCode?: string | undefined }): string | undefined {
  return d.purposeCode ?? (d.purpose === 'other' ? undefined : PURPOSE_CODES[d.purpose]);
}
