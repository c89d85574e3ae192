// Element access and X12 data-type conversions (DT, TM, R, Nn), both directions.
// Pure functions: reading returns undefined for an empty element and for a value
// that does not parse; the caller (see ./report.ts) tells the two apart.
import type { Segment } from '../../x12/model.js';

/** Element `position` of a segment, trimmed; undefined when absent or blank. */
export function elementValue(seg: Segment, position: number): string | undefined {
  const raw = seg.elements[position];
  if (raw === undefined) return undefined;
  const v = raw.trim();
  return v === '' ? undefined : v;
}

/** The components of a composite element (split on the interchange's component separator). */
export function componentValues(seg: Segment, position: number): (string | undefined)[] {
  const raw = seg.elements[position];
  if (raw === undefined || raw === '') return [];
  const sep = seg.delimiters.component;
  const parts = sep ? raw.split(sep) : [raw];
  return parts.map((p) => (p.trim() === '' ? undefined : p.trim()));
}

/** Component `component` (1-based) of composite element `position`. */
export function componentValue(seg: Segment, position: number, component: number): string | undefined {
  return componentValues(seg, position)[component - 1];
}

// ---- DT: CCYYMMDD (and the 6-digit YYMMDD older partners send) <-> YYYY-MM-DD ----

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** CCYYMMDD (or YYMMDD, century 20 below 50) to YYYY-MM-DD; undefined if not a calendar date. */
export function parseDate(text: string): string | undefined {
  let s = text.trim();
  if (/^\d{6}$/.test(s)) s = (Number(s.slice(0, 2)) < 50 ? '20' : '19') + s;
  if (!/^\d{8}$/.test(s)) return undefined;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  if (!validDate(y, m, d)) return undefined;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** YYYY-MM-DD to CCYYMMDD. Throws on anything else: canonical dates are ours to get right. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`not an ISO date (YYYY-MM-DD): "${iso}"`);
  }
  return `${m[1]}${m[2]}${m[3]}`;
}

// ---- TM: HHMM[SS[d..]] <-> HH:MM[:SS[.d..]] -------------------------------------

/** HHMM, HHMMSS or HHMMSSd.. to HH:MM[:SS[.d..]]; undefined if not a time of day. */
export function parseTime(text: string): string | undefined {
  const m = /^(\d{2})(\d{2})(?:(\d{2})(\d{1,2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, hh, mm, ss, frac] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return undefined;
  let out = `${hh}:${mm}`;
  if (ss !== undefined) out += `:${ss}`;
  if (frac !== undefined) out += `.${frac}`;
  return out;
}

/** HH:MM[:SS[.d..]] to HHMM[SS[d..]]. Throws on anything else. */
export function formatTime(time: string): string {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,2}))?)?$/.exec(time);
  if (!m) throw new RangeError(`not a time (HH:MM[:SS]): "${time}"`);
  return `${m[1]}${m[2]}${m[3] ?? ''}${m[4] ?? ''}`;
}

// ---- R: explicit decimal ----------------------------------------------------------

/** An R value ("12.5", "-3", ".75", "10.") to a number; undefined if it is not one. */
export function parseDecimal(text: string): number | undefined {
  const s = text.trim();
  if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Writes a number without exponent: "1e-7" becomes "0.0000001". */
function plain(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', int = '', frac = '', expText = '0'] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Rounds half away from zero at `decimals`, after removing binary noise (1.005 -> 1.01). */
export function roundDecimal(n: number, decimals: number): number {
  const scaled = Number((Math.abs(n) * 10 ** decimals).toPrecision(15));
  const r = Math.round(scaled) / 10 ** decimals;
  return n < 0 && r !== 0 ? -r : r;
}

/**
 * A number as an R value: no exponent, no trailing zeros, no point for integers,
 * float noise removed (0.1 + 0.2 -> "0.3"). `maxDecimals` rounds first.
 */
export function formatDecimal(n: number, maxDecimals?: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as an X12 decimal`);
  const v = maxDecimals === undefined ? n : roundDecimal(n, maxDecimals);
  const text = plain(Number(v.toPrecision(15)));
  return text === '-0' ? '0' : text;
}

// ---- Nn: implied decimals (N2: "12345" = 123.45) ------------------------------------

/** An Nn value to a number: "12345" with 2 decimals is 123.45, "-5" is -0.05. */
export function parseImplied(text: string, decimals: number): number | undefined {
  const m = /^(-?)(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const [, sign, digits] = m as unknown as [string, string, string];
  if (decimals === 0) return Number(sign + digits);
  const padded = digits.padStart(decimals + 1, '0');
  const n = Number(`${sign}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`);
  return Object.is(n, -0) ? 0 : n;
}

/** A number as an Nn value: 123.45 with 2 decimals is "12345"; more decimals round half away from zero. */
export function formatImplied(n: number, decimals: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as an X12 number`);
  const scaled = Math.round(Number((Math.abs(n) * 10 ** decimals).toPrecision(15)));
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`${n} is too large for an X12 N${decimals} value`);
  return (n < 0 && scaled !== 0 ? '-' : '') + String(scaled);
}

/** Copies the defined values onto `target`, so canonical objects carry no `key: undefined`. */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  // for-in rather than Object.entries: this runs for every segment of every document.
  for (const k in values) {
    const v = (values as Record<string, unknown>)[k];
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}

/** Empty string or undefined to undefined: for writing optional elements. */
export function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
