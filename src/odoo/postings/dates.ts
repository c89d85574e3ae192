// Dates between X12 (ISO dates in the canonical documents) and Odoo (naive UTC strings).
import type { DateReference } from '../../documents/common.js';
import type { OrderLine } from '../../documents/purchase-order.js';

/** The first date with one of the qualifiers, in the order given. */
export function firstDate(dates: readonly DateReference[], qualifiers: readonly string[]): string | undefined {
  for (const q of qualifiers) {
    const hit = dates.find((d) => d.qualifier === q);
    if (hit) return hit.date;
  }
  return undefined;
}

/**
 * An ISO date as an Odoo datetime. Noon UTC: the calendar day stays the same in every time zone
 * from UTC-11 to UTC+11, which a midnight value would not (Odoo shows datetimes in the user's zone).
 */
export function odooDatetime(date: string): string {
  return `${date} 12:00:00`;
}

/** Requested delivery first (002), then requested ship (010), do-not-deliver-before (064) and ship-not-before (037). */
export const REQUESTED_DATE_QUALIFIERS = ['002', '010', '064', '037'] as const;

export interface RequestedDate {
  /** The order's commitment date: the heading's requested date, else the earliest line's. */
  date?: string;
  /** Each line's own requested date (label -> ISO date), when the lines carry any. */
  perLine: { label: string; date: string }[];
}

/**
 * The order's requested date (docs/odoo.md#dates). Stock Odoo holds one date per sale order
 * (commitment_date) and none per line, so a heading DTM wins and otherwise the earliest line DTM
 * stands for the order: nothing is promised later than the customer asked.
 */
export function requestedDate(headingDates: readonly DateReference[], lines: readonly OrderLine[]): RequestedDate {
  const perLine: RequestedDate['perLine'] = [];
  for (const [index, line] of lines.entries()) {
    const date = firstDate(line.dates, REQUESTED_DATE_QUALIFIERS);
    if (date) perLine.push({ label: `line ${line.lineNumber ?? index + 1}`, date });
  }
  const heading = firstDate(headingDates, REQUESTED_DATE_QUALIFIERS);
  // ISO dates compare as strings.
  const date = heading ?? perLine.reduce<string | undefined>((min, l) => (min === undefined || l.date < min ? l.date : min), undefined);
  return date === undefined ? { perLine } : { date, perLine };
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
