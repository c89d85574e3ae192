import { describe, expect, it } from 'vitest';
import { checkSscc, completeSscc, gs1CheckDigit, isPlainSscc } from '../../src/maps/sscc.js';

describe('SSCC-18', () => {
  it('computes the GS1 mod-10 check digit (GS1 example 1 0614141 234567890 8)', () => {
    expect(gs1CheckDigit('10614141234567890')).toBe('8');
    expect(gs1CheckDigit('00061414100000001')).toBe('4');
    expect(completeSscc('00012345600000000')).toBe('000123456000000005');
  });

  it('accepts a good 18-digit SSCC as is', () => {
    expect(checkSscc('106141412345678908')).toEqual({ value: '106141412345678908' });
  });

  it('isPlainSscc holds exactly when checkSscc keeps the value as is, with no problem', () => {
    const values = ['106141412345678908', '106141412345678907', '00106141412345678908', '(00)106141412345678908',
      ' 106141412345678908', '10614141234567890', '1061414123456789O8', '', '000614141000000014'];
    for (const v of values) {
      const c = checkSscc(v);
      expect(isPlainSscc(v), v).toBe(c.problem === undefined && c.value === v);
    }
  });

  it('normalises the 20-digit form with the (00) application identifier to 18 digits', () => {
    expect(checkSscc('00106141412345678908')).toEqual({ value: '106141412345678908' });
    expect(checkSscc('(00)106141412345678908')).toEqual({ value: '106141412345678908' });
    expect(checkSscc(' 00000614141000000014 ')).toEqual({ value: '000614141000000014' });
  });

  it('keeps a value with a wrong check digit and says which digit was expected', () => {
    expect(checkSscc('106141412345678907')).toEqual({ value: '106141412345678907', problem: 'check_digit', expectedCheckDigit: '8' });
    expect(checkSscc('00106141412345678901')).toEqual({ value: '106141412345678901', problem: 'check_digit', expectedCheckDigit: '8' });
  });

  it('reports values that are not an SSCC at all, kept as sent', () => {
    expect(checkSscc('1Z999AA10123456784')).toEqual({ value: '1Z999AA10123456784', problem: 'format' });
    expect(checkSscc('12345')).toEqual({ value: '12345', problem: 'format' });
    // 20 digits that do not start with the 00 AI are not an SSCC with its prefix
    expect(checkSscc('11106141412345678908')).toEqual({ value: '11106141412345678908', problem: 'format' });
  });

  it('refuses to compute from non-digits (our own bug, so it throws)', () => {
    expect(() => gs1CheckDigit('12A')).toThrow(RangeError);
    expect(() => completeSscc('123')).toThrow(RangeError);
  });
});
