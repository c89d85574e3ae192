// Days until something of a partner's runs out, counted one way for everyone who says it (the
// expiring alert, edi partners check), so a certificate is "soon" for both on the same day.

const DAY_MS = 86_400_000;

/** Days from `now` to the start (00:00 UTC) of `day` (YYYY-MM-DD), rounded up; negative once past. */
export function daysUntil(day: string, now: Date): number {
  return Math.ceil((new Date(`${day}T00:00:00Z`).getTime() - now.getTime()) / DAY_MS);
}
