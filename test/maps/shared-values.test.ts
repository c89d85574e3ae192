import { describe, expect, it } from 'vitest';
import {
  formatDate, formatDecimal, formatImplied, formatTime, parseDate, parseDecimal, parseImplied, parseTime, roundDecimal,
} from '../../src/maps/shared/values.js';

describe('DT dates', () => {
  it('reads CCYYMMDD and the 6-digit form', () => {
    expect(parseDate('20240311')).toBe('2024-03-11');
    expect(parseDate('240311')).toBe('2024-03-11');
    expect(parseDate('991231')).toBe('1999-12-31');
    expect(parseDate('20240229')).toBe('2024-02-29');
  });
  it('rejects what is not a calendar date', () => {
    for (const bad of ['20230229', '20241301', '20240400', '2024031', '2024-03-11', 'ABCDEFGH']) {
      expect(parseDate(bad), bad).toBeUndefined();
    }
  });
  it('writes CCYYMMDD and refuses a non-ISO date', () => {
    expect(formatDate('2024-03-11')).toBe('20240311');
    expect(() => formatDate('2024-02-30')).toThrow(RangeError);
    expect(() => formatDate('20240311')).toThrow(RangeError);
  });
});

describe('TM times', () => {
  it('reads HHMM, HHMMSS and decimal seconds', () => {
    expect(parseTime('0800')).toBe('08:00');
    expect(parseTime('235959')).toBe('23:59:59');
    expect(parseTime('13453025')).toBe('13:45:30.25');
    expect(parseTime('2400')).toBeUndefined();
    expect(parseTime('1260')).toBeUndefined();
    expect(parseTime('800')).toBeUndefined();
  });
  it('writes back what it reads', () => {
    for (const t of ['0800', '235959', '13453025']) expect(formatTime(parseTime(t)!)).toBe(t);
    expect(() => formatTime('8:00')).toThrow(RangeError);
  });
});

describe('R explicit decimals', () => {
  it('reads the forms X12 allows', () => {
    expect(parseDecimal('12.50')).toBe(12.5);
    expect(parseDecimal('-3')).toBe(-3);
    expect(parseDecimal('.75')).toBe(0.75);
    expect(parseDecimal('10.')).toBe(10);
    expect(parseDecimal('0.0875')).toBe(0.0875);
  });
  it('rejects what is not a decimal', () => {
    for (const bad of ['1,5', '1.2.3', '+4', '1e3', '-', '.', 'ten', '']) expect(parseDecimal(bad), bad).toBeUndefined();
  });
  it('writes without trailing zeros, exponent or float noise', () => {
    expect(formatDecimal(12.5)).toBe('12.5');
    expect(formatDecimal(12.5)).not.toBe('12.50000');
    expect(formatDecimal(120)).toBe('120');
    expect(formatDecimal(0.1 + 0.2)).toBe('0.3');
    expect(formatDecimal(1e-7)).toBe('0.0000001');
    expect(formatDecimal(-0)).toBe('0');
    expect(formatDecimal(-15.25)).toBe('-15.25');
    expect(formatDecimal(123456789012)).toBe('123456789012');
  });
  it('rounds half away from zero when asked', () => {
    expect(formatDecimal(1.005, 2)).toBe('1.01');
    expect(formatDecimal(-1.005, 2)).toBe('-1.01');
    expect(formatDecimal(2.4999, 2)).toBe('2.5');
    expect(formatDecimal(-0.001, 2)).toBe('0');
    expect(roundDecimal(0.125, 2)).toBe(0.13);
  });
  it('refuses NaN and infinities', () => {
    expect(() => formatDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => formatDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('Nn implied decimals (SAC05, TDS01, ITD08 are N2)', () => {
  it('reads N2', () => {
    expect(parseImplied('12345', 2)).toBe(123.45);
    expect(parseImplied('5', 2)).toBe(0.05);
    expect(parseImplied('0', 2)).toBe(0);
    expect(parseImplied('-5', 2)).toBe(-0.05);
    expect(parseImplied('-12345', 2)).toBe(-123.45);
    expect(parseImplied('-0', 2)).toBe(0);
    expect(parseImplied('000100', 2)).toBe(1);
    expect(parseImplied('30', 0)).toBe(30);
  });
  it('rejects an explicit point or other characters in an N value', () => {
    for (const bad of ['123.45', '12,345', '1e3', '-', '+5', '']) expect(parseImplied(bad, 2), bad).toBeUndefined();
  });
  it('writes N2, rounding half away from zero', () => {
    expect(formatImplied(123.45, 2)).toBe('12345');
    expect(formatImplied(0.05, 2)).toBe('5');
    expect(formatImplied(-0.05, 2)).toBe('-5');
    expect(formatImplied(45, 2)).toBe('4500');
    expect(formatImplied(1.005, 2)).toBe('101');
    expect(formatImplied(-1.005, 2)).toBe('-101');
    expect(formatImplied(0.004, 2)).toBe('0');
    expect(formatImplied(-0.004, 2)).toBe('0');
    expect(formatImplied(19.999, 2)).toBe('2000');
    expect(formatImplied(0.1 + 0.2, 2)).toBe('30');
  });
  it('round-trips every cent value exactly', () => {
    for (let cents = -2000; cents <= 2000; cents += 7) {
      const text = String(cents);
      expect(formatImplied(parseImplied(text, 2)!, 2)).toBe(text === '-0' ? '0' : text);
    }
  });
  it('refuses a value too large to be exact', () => {
    expect(() => formatImplied(1e20, 2)).toThrow(RangeError);
  });
});
