// SAC <-> AllowanceCharge, ITD <-> PaymentTerms, TD5 <-> Carrier, both directions.
// SAC05 and ITD08 are N2 (implied two decimals); SAC07/SAC08/SAC10 and ITD03 are R.
import type { AllowanceCharge, Carrier, PaymentTerms } from '../../documents/common.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentData } from '../../x12/writer.js';
import type { MapReport } from './report.js';
import { assignDefined, formatDate, formatDecimal, formatImplied } from './values.js';

const INDICATORS: Readonly<Record<string, AllowanceCharge['indicator']>> = { A: 'allowance', C: 'charge', N: 'no_charge' };
const INDICATOR_CODES: Readonly<Record<AllowanceCharge['indicator'], string | undefined>> = {
  allowance: 'A', charge: 'C', no_charge: 'N', other: undefined,
};

const dec = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatDecimal(n));
const n2 = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatImplied(n, 2));
const dt = (d: string | undefined): string | undefined => (d === undefined ? undefined : formatDate(d));

export function readAllowanceCharge(seg: Segment, report: MapReport): AllowanceCharge | undefined {
  const code = report.text(seg, 1, { required: 'allowance or charge indicator' });
  if (code === undefined) return undefined;
  const indicator = INDICATORS[code];
  if (indicator === undefined) report.unknownCode(seg, 1, code, 'allowance/charge indicator (A, C, N)');
  // Field by field rather than through assignDefined: an SAC may come with every line.
  const ac: AllowanceCharge = { indicator: indicator ?? 'other' };
  const chargeCode = report.text(seg, 2);
  const amount = report.implied(seg, 5, 2);
  const percentQualifier = report.text(seg, 6);
  const percent = report.decimal(seg, 7);
  const rate = report.decimal(seg, 8);
  const unit = report.text(seg, 9);
  const quantity = report.decimal(seg, 10);
  const handling = report.text(seg, 12);
  const reference = report.text(seg, 13);
  const description = report.text(seg, 15);
  if (chargeCode !== undefined) ac.code = chargeCode;
  if (amount !== undefined) ac.amount = amount;
  if (percentQualifier !== undefined) ac.percentQualifier = percentQualifier;
  if (percent !== undefined) ac.percent = percent;
  if (rate !== undefined) ac.rate = rate;
  if (unit !== undefined) ac.unit = unit;
  if (quantity !== undefined) ac.quantity = quantity;
  if (handling !== undefined) ac.handling = handling;
  if (reference !== undefined) ac.reference = reference;
  if (description !== undefined) ac.description = description;
  return ac;
}

/** Throws for indicator 'other': SAC01 has no code for it (the canonical document does not keep the raw code). */
export function writeAllowanceCharge(ac: AllowanceCharge): SegmentData {
  const indicator = INDICATOR_CODES[ac.indicator];
  if (indicator === undefined) throw new RangeError(`SAC01: allowance/charge indicator "${ac.indicator}" has no X12 code`);
  return [
    'SAC', indicator, ac.code, undefined, undefined, n2(ac.amount), ac.percentQualifier, dec(ac.percent),
    dec(ac.rate), ac.unit, dec(ac.quantity), undefined, ac.handling, ac.reference, undefined, ac.description,
  ];
}

export function readPaymentTerms(seg: Segment, report: MapReport): PaymentTerms {
  return assignDefined<PaymentTerms>({}, {
    typeCode: report.text(seg, 1),
    basisDateCode: report.text(seg, 2),
    discountPercent: report.decimal(seg, 3),
    discountDueDate: report.date(seg, 4),
    discountDays: report.implied(seg, 5, 0),
    netDueDate: report.date(seg, 6),
    netDays: report.implied(seg, 7, 0),
    discountAmount: report.implied(seg, 8, 2),
    description: report.text(seg, 12),
  });
}

export function writePaymentTerms(t: PaymentTerms): SegmentData {
  return [
    'ITD', t.typeCode, t.basisDateCode, dec(t.discountPercent), dt(t.discountDueDate),
    t.discountDays === undefined ? undefined : formatImplied(t.discountDays, 0), dt(t.netDueDate),
    t.netDays === undefined ? undefined : formatImplied(t.netDays, 0), n2(t.discountAmount),
    undefined, undefined, undefined, t.description,
  ];
}

export function readCarrier(seg: Segment, report: MapReport): Carrier {
  return assignDefined<Carrier>({}, {
    routingSequence: report.text(seg, 1),
    idQualifier: report.text(seg, 2),
    scac: report.text(seg, 3),
    transportMethod: report.text(seg, 4),
    routing: report.text(seg, 5),
    serviceLevel: report.text(seg, 12),
  });
}

export function writeCarrier(c: Carrier): SegmentData {
  return [
    'TD5', c.routingSequence, c.idQualifier, c.scac, c.transportMethod, c.routing,
    undefined, undefined, undefined, undefined, undefined, undefined, c.serviceLevel,
  ];
}
