// The character-level checks behind the element validator.
import { describe, expect, it } from 'vitest';
import { decimalDigits, firstControlChar, isValidDate, isValidTime, numericDigits } from '../../src/x12/datatypes.js';

const whole = <T>(fn: (s: string, a: number, b: number) => T) => (s: string) => fn(s, 0, s.length);

describe('numeric (N, Nn)', () => {
  const n = whole(numericDigits);
  it('counts digits, not the sign', () => {
    expect([n('0'), n('123'), n('-123'), n('000120')]).toEqual([1, 3, 3, 6]);
  });
  it('rejects anything but an optional leading minus and digits', () => {
    for (const bad of ['', '-', '+1', '1.0', '1-', '1 ', ' 1', '1e3', '١']) expect(n(bad), bad).toBe(-1);
  });
  it('reads a range of a longer string', () => {
    expect(numericDigits('ab-12cd', 2, 5)).toBe(2);
  });
});

describe('decimal (R)', () => {
  const r = whole(decimalDigits);
  it('counts digits, not the sign or the point', () => {
    expect([r('1'), r('-1.5'), r('.5'), r('5.'), r('-0.001'), r('12345678901234.5')]).toEqual([1, 2, 1, 1, 4, 15]);
  });
  it('rejects letters, a second point, a sign elsewhere and values without digits', () => {
    for (const bad of ['', '-', '.', '-.', '1.2.3', '12A', '+1', '1-', '1,5', '1e5', ' 1']) expect(r(bad), bad).toBe(-1);
  });
});

describe('printable (AN, ID)', () => {
  it('finds the first control character', () => {
    expect(firstControlChar('abc', 0, 3)).toBe(-1);
    expect(firstControlChar('a\tb', 0, 3)).toBe(1);
    expect(firstControlChar('ab\u007f', 0, 3)).toBe(2);
    expect(firstControlChar('é ü ™', 0, 5)).toBe(-1);
  });
});

describe('date (DT)', () => {
  const d8 = (s: string) => isValidDate(s, 0, s.length, 8);
  const d6 = (s: string) => isValidDate(s, 0, s.length, 6);
  it('CCYYMMDD with real calendar days and leap years', () => {
    for (const ok of ['20240115', '20240229', '20000229', '19991231', '20241130']) expect(d8(ok), ok).toBe(true);
    for (const bad of ['20230229', '19000229', '20241301', '20240001', '20240100', '20240431', '2024011', '240115', '2024O115', '202401155']) {
      expect(d8(bad), bad).toBe(false);
    }
  });
  it('YYMMDD only where the element is at most 6 long', () => {
    for (const ok of ['240229', '000229', '991231']) expect(d6(ok), ok).toBe(true);
    for (const bad of ['230229', '241301', '20240115', '24011']) expect(d6(bad), bad).toBe(false);
  });
});

describe('time (TM)', () => {
  const t = (s: string) => isValidTime(s, 0, s.length);
  it('HHMM, HHMMSS and decimal seconds on a 24-hour clock', () => {
    for (const ok of ['0000', '2359', '120000', '235959', '1200005', '12000059']) expect(t(ok), ok).toBe(true);
    for (const bad of ['', '123', '12345', '2400', '1260', '126000', '120060', '123456789', '12:30', '12a0']) expect(t(bad), bad).toBe(false);
  });
});
