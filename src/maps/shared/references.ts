// REF (reference identification) and DTM (date/time reference) <-> canonical, both directions.
import type { DateReference, Reference } from '../../documents/common.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentData } from '../../x12/writer.js';
import type { MapReport } from './report.js';
import { formatDate, formatTime } from './values.js';

/** REF01 qualifier, REF02 value, REF03 description (REF needs REF02 or REF03: syntax R0203). */
export function readReference(seg: Segment, report: MapReport): Reference | undefined {
  const qualifier = report.text(seg, 1, { required: 'reference qualifier' });
  const value = report.text(seg, 2);
  const description = report.text(seg, 3);
  if (value === undefined && description === undefined) {
    report.text(seg, 2, { required: 'reference number (or REF03 description)' });
  }
  if (qualifier === undefined || (value === undefined && description === undefined)) return undefined;
  const ref: Reference = { qualifier, value: value ?? '' };
  if (description !== undefined) ref.description = description;
  return ref;
}

export function writeReference(ref: Reference): SegmentData {
  return ['REF', ref.qualifier, ref.value || undefined, ref.description];
}

/** DTM01 qualifier, DTM02 date, DTM03 time. */
export function readDateTime(seg: Segment, report: MapReport): DateReference | undefined {
  const qualifier = report.text(seg, 1, { required: 'date/time qualifier' });
  const date = report.date(seg, 2, { required: 'date' });
  const time = report.time(seg, 3);
  if (qualifier === undefined || date === undefined) return undefined;
  const out: DateReference = { qualifier, date };
  if (time !== undefined) out.time = time;
  return out;
}

export function writeDateTime(d: DateReference): SegmentData {
  return ['DTM', d.qualifier, formatDate(d.date), d.time === undefined ? undefined : formatTime(d.time)];
}
