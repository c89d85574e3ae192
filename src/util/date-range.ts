// The date bounds a person types to list documents (edi docs list --since/--until, GET /api/documents?from=&to=):
// an ISO date or date-time. A bare date as the upper bound includes that whole day (UTC).

/** YYYY-MM-DD, or a date-time such as 2026-12-07T14:30:00Z (without a zone: the gateway's local time). */
export const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$';
const ISO_DATE = new RegExp(ISO_DATE_PATTERN);
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `from`: the first instant included; `to`: the first instant excluded (a bare date: the next day's
 * start, so `--until 2026-12-07` includes the 7th). Undefined when the text is not such a date.
 */
export function dateBound(text: string, bound: 'from' | 'to'): Date | undefined {
  const t = text.trim();
  if (!ISO_DATE.test(t)) return undefined;
  const at = new Date(t);
  if (Number.isNaN(at.getTime())) return undefined;
  return bound === 'to' && BARE_DATE.test(t) ? new Date(at.getTime() + 86_400_000) : at;
}
