// The poller's time arithmetic on Odoo's write_date text (UTC, seconds).
import { describe, expect, it } from 'vitest';
import { odooTimeMinus } from '../../src/jobs/odoo-poller.js';

describe('odooTimeMinus', () => {
  it('moves a write_date back by the overlap, across midnight and months, in the same form', () => {
    expect(odooTimeMinus('2026-12-07 10:15:02', 300)).toBe('2026-12-07 10:10:02');
    expect(odooTimeMinus('2026-12-01 00:02:00', 300)).toBe('2026-11-30 23:57:00');
    // Odoo 18 answers with microseconds on some paths: they are dropped, never misread.
    expect(odooTimeMinus('2026-12-07 10:15:02.123456', 0)).toBe('2026-12-07 10:15:02');
  });
});
