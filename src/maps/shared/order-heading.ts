// The heading area the 850 and 855 share after their beginning segment (BEG/BAK):
// CUR, REF, PER, SAC loop, ITD, DTM, TD5, N9 loops, N1 loops. Reading takes them in
// any order; writing follows the standard's order.
import type {
  AllowanceCharge, Carrier, Contact, DateReference, Party, PaymentTerms, Reference,
} from '../../documents/common.js';
import type { Note } from '../../documents/purchase-order.js';
import type { SegmentData } from '../../x12/writer.js';
import { readAllowanceCharge, readCarrier, readPaymentTerms, writeAllowanceCharge, writeCarrier, writePaymentTerms } from './allowances.js';
import type { SegmentCursor } from './cursor.js';
import type { X12Version } from './map-types.js';
import { readNoteLoop, writeNoteLoop } from './notes.js';
import { readContact, readParty, writeContact, writeParty } from './parties.js';
import { readDateTime, readReference, writeDateTime, writeReference } from './references.js';
import type { MapReport } from './report.js';

export interface OrderHeading {
  currency?: string;
  references: Reference[];
  contacts: Contact[];
  dates: DateReference[];
  parties: Party[];
  terms: PaymentTerms[];
  carriers: Carrier[];
  allowancesCharges: AllowanceCharge[];
  notes: Note[];
}

/**
 * Reads heading segments up to the first segment with a tag in `stopAt` (PO1, CTT).
 * Segments the heading does not map are reported as ignored.
 */
export function readOrderHeading(cur: SegmentCursor, report: MapReport, stopAt: readonly string[]): OrderHeading {
  const h: OrderHeading = {
    references: [], contacts: [], dates: [], parties: [], terms: [], carriers: [], allowancesCharges: [], notes: [],
  };
  for (let tag = cur.peekTag(); tag !== undefined && !stopAt.includes(tag); tag = cur.peekTag()) {
    if (tag === 'N1') {
      const p = readParty(cur, report);
      if (p) h.parties.push(p);
      continue;
    }
    if (tag === 'N9') {
      const n = readNoteLoop(cur, report);
      if (n) h.notes.push(n);
      continue;
    }
    const seg = cur.next()!;
    switch (tag) {
      case 'CUR': {
        const code = report.text(seg, 2, { required: 'currency code' });
        if (h.currency === undefined) { if (code !== undefined) h.currency = code; } else report.ignored(seg, 'the heading (a second CUR)');
        break;
      }
      case 'REF': { const r = readReference(seg, report); if (r) h.references.push(r); break; }
      case 'PER': { const c = readContact(seg, report); if (c) h.contacts.push(c); break; }
      case 'SAC': {
        const ac = readAllowanceCharge(seg, report);
        if (ac) h.allowancesCharges.push(ac);
        // The SAC loop's own CUR must not be taken for the document currency.
        const sacCur = cur.takeTag('CUR');
        if (sacCur) report.ignored(sacCur, 'an SAC loop');
        break;
      }
      case 'ITD': h.terms.push(readPaymentTerms(seg, report)); break;
      case 'DTM': { const d = readDateTime(seg, report); if (d) h.dates.push(d); break; }
      case 'TD5': h.carriers.push(readCarrier(seg, report)); break;
      default: report.ignored(seg, 'the heading');
    }
  }
  return h;
}

/** CUR01 is the entity whose currency CUR02 is: BY (buyer) on an 850, SE (seller) on an 855. */
export function writeOrderHeading(h: OrderHeading, version: X12Version, currencyEntity: string): SegmentData[] {
  const out: SegmentData[] = [];
  if (h.currency) out.push(['CUR', currencyEntity, h.currency]);
  for (const r of h.references) out.push(writeReference(r));
  for (const c of h.contacts) out.push(writeContact(c));
  for (const ac of h.allowancesCharges) out.push(writeAllowanceCharge(ac));
  for (const t of h.terms) out.push(writePaymentTerms(t));
  for (const d of h.dates) out.push(writeDateTime(d));
  for (const c of h.carriers) out.push(writeCarrier(c));
  for (const n of h.notes) out.push(...writeNoteLoop(n, version));
  for (const p of h.parties) out.push(...writeParty(p, version));
  return out;
}
