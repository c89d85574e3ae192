// Character-level checks of X12 data element values (X12.6 data types).
// Each check reads the range [start, end) of a string with char-code loops, so
// validating a valid value allocates nothing (no substring, no regex).

const MINUS = 45; // '-'
const POINT = 46; // '.'
const ZERO = 48;
const NINE = 57;

/**
 * N, N0..N9: digits with an optional leading minus. Returns the number of digits
 * (the length X12 counts: the sign does not count) or -1 when a character is not allowed.
 */
export function numericDigits(s: string, start: number, end: number): number {
  let i = start;
  if (i < end && s.charCodeAt(i) === MINUS) i++;
  if (i === end) return -1;
  for (let j = i; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c < ZERO || c > NINE) return -1;
  }
  return end - i;
}

/**
 * R: optional leading minus, digits, at most one decimal point anywhere, at least one digit.
 * Returns the number of digits (sign and point do not count toward the length, per X12.6) or -1.
 */
export function decimalDigits(s: string, start: number, end: number): number {
  let i = start;
  if (i < end && s.charCodeAt(i) === MINUS) i++;
  let digits = 0;
  let points = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= ZERO && c <= NINE) digits++;
    else if (c === POINT && points === 0) points++;
    else return -1;
  }
  return digits === 0 ? -1 : digits;
}

/** AN and ID: any printable character; control characters (C0 and DEL) are not X12 data. Returns the first bad index or -1. */
export function firstControlChar(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return i;
  }
  return -1;
}

function allDigits(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

function two(s: string, i: number): number {
  return (s.charCodeAt(i) - ZERO) * 10 + (s.charCodeAt(i + 1) - ZERO);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= last;
}

/**
 * DT: CCYYMMDD, or YYMMDD where the element is 6 long at most (ISA09, older elements).
 * `maxLength` is the element's maximum; it decides which of the two forms is expected.
 */
export function isValidDate(s: string, start: number, end: number, maxLength: number): boolean {
  const len = end - start;
  const expected = maxLength >= 8 ? 8 : 6;
  if (len !== expected || !allDigits(s, start, end)) return false;
  if (len === 8) return validDay(two(s, start) * 100 + two(s, start + 2), two(s, start + 4), two(s, start + 6));
  // YYMMDD: the century is unknown; 2000 + YY gives the right leap years for 1901-2099.
  return validDay(2000 + two(s, start), two(s, start + 2), two(s, start + 4));
}

/** TM: HHMM, HHMMSS or HHMMSSd / HHMMSSdd (decimal seconds), 24-hour clock. */
export function isValidTime(s: string, start: number, end: number): boolean {
  const len = end - start;
  if ((len !== 4 && len < 6) || len > 8 || !allDigits(s, start, end)) return false;
  if (two(s, start) > 23 || two(s, start + 2) > 59) return false;
  return len === 4 || two(s, start + 4) <= 59;
}

/**
 * A number standing for a code of 1 to 4 ASCII characters (length and 7-bit characters
 * packed into 31 bits), or -1 for a longer or non-ASCII value: ID values are looked up in
 * their code list without cutting a substring out of the segment.
 */
export function shortCodeKey(s: string, start: number, end: number): number {
  const len = end - start;
  if (len < 1 || len > 4) return -1;
  let key = len;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return -1;
    key = (key << 7) | c;
  }
  return key;
}
