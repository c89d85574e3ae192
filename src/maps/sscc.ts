// SSCC-18 (GS1 Serial Shipping Container Code) as sent in MAN*GM at the pack (P)
// and tare (T) levels of an 856. Guides differ on whether the (00) application
// identifier is included (docs/x12.md#sscc-18), so both forms are accepted and
// normalised to the 18 digits; the check digit is verified, never corrected.

export type SsccProblem = 'format' | 'check_digit';

export interface SsccCheck {
  /** The 18 digits when the input is an SSCC in either form; otherwise the input, trimmed. */
  value: string;
  /** Absent when the value is a well-formed SSCC-18 with a correct check digit. */
  problem?: SsccProblem;
  /** For a wrong check digit: the digit the first 17 digits call for. */
  expectedCheckDigit?: string;
}

/**
 * GS1 mod-10 check digit of a digit string (the SSCC body without its check digit):
 * weights 3, 1, 3, ... from the rightmost digit, check = (10 - sum mod 10) mod 10.
 */
export function gs1CheckDigit(body: string): string {
  if (!/^\d+$/.test(body)) throw new RangeError(`GS1 check digit needs digits, got "${body}"`);
  return String(checkDigitOf(body, body.length));
}

/** The GS1 check digit of the digits s[0, end), as a number (no substring: a large 856 has one SSCC per carton). */
function checkDigitOf(s: string, end: number): number {
  let sum = 0;
  for (let i = 0; i < end; i++) {
    const digit = s.charCodeAt(end - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether s is exactly 18 ASCII digits (/^\d{18}$/ without the regular expression). */
function isEighteenDigits(s: string): boolean {
  if (s.length !== 18) return false;
  for (let i = 0; i < 18; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether s is an SSCC-18 as it should be sent: 18 digits with a correct check digit (checkSscc would find no problem and keep s). */
export function isPlainSscc(s: string): boolean {
  return isEighteenDigits(s) && s.charCodeAt(17) - 48 === checkDigitOf(s, 17);
}

/** Accepts "003...", "00" + 18 digits, or "(00)" + 18 digits; returns the 18 digits and any problem. */
export function checkSscc(raw: string): SsccCheck {
  const trimmed = raw.trim();
  const digits = trimmed.startsWith('(00)') ? trimmed.slice(4) : trimmed.length === 20 ? trimmed.slice(2) : trimmed;
  const withAi = trimmed.startsWith('(00)') || trimmed.length === 20;
  if ((withAi && !trimmed.startsWith('(00)') && !trimmed.startsWith('00')) || !isEighteenDigits(digits)) {
    return { value: trimmed, problem: 'format' };
  }
  const expected = checkDigitOf(digits, 17);
  if (digits.charCodeAt(17) - 48 !== expected) return { value: digits, problem: 'check_digit', expectedCheckDigit: String(expected) };
  return { value: digits };
}

/** Builds a valid SSCC-18 from its first 17 digits (extension digit, company prefix, serial). */
export function completeSscc(body17: string): string {
  if (!/^\d{17}$/.test(body17)) throw new RangeError(`an SSCC body is 17 digits, got "${body17}"`);
  return body17 + gs1CheckDigit(body17);
}
