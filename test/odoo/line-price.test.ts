// Which price of an 850 line is the document's (documentPrice) and which date is the order's (requestedDate): pure rules.
import { describe, expect, it } from 'vitest';
import { OrderLineSchema, type OrderLine } from '../../src/documents/purchase-order.js';
import { requestedDate } from '../../src/odoo/postings/dates.js';
import { documentPrice } from '../../src/odoo/postings/line-price.js';

const line = (fields: Partial<OrderLine>): OrderLine => OrderLineSchema.parse({ quantity: 10, unit: 'EA', productIds: {}, ...fields });

describe('documentPrice', () => {
  it('takes PO104 over any CTP', () => {
    expect(documentPrice(line({ unitPrice: 7.25, prices: [{ qualifier: 'NET', unitPrice: 6 }] }))).toEqual({ price: 7.25, source: 'PO104' });
  });
  it('takes CTP by qualifier: NET, CON, PRP, UCP, DIS, CAT, then one without CTP02; never a retail price', () => {
    const prices = [{ qualifier: 'RES', unitPrice: 9.99 }, { qualifier: 'CAT', unitPrice: 5 }, { qualifier: 'UCP', unitPrice: 4.8 }, { qualifier: 'CON', unitPrice: 4.5 }];
    expect(documentPrice(line({ prices }))).toEqual({ price: 4.5, source: 'CTP CON' });
    expect(documentPrice(line({ prices: [...prices, { qualifier: 'NET', unitPrice: 4.2 }] }))).toEqual({ price: 4.2, source: 'CTP NET' });
    expect(documentPrice(line({ prices: [{ unitPrice: 3 }, { qualifier: 'CAT', unitPrice: 5 }] }))).toEqual({ price: 5, source: 'CTP CAT' });
    expect(documentPrice(line({ prices: [{ unitPrice: 3 }] }))).toEqual({ price: 3, source: 'CTP' });
    expect(documentPrice(line({ prices: [{ qualifier: 'RES', unitPrice: 9.99 }, { qualifier: 'MSR', unitPrice: 11 }] }))).toBeUndefined();
    expect(documentPrice(line({}))).toBeUndefined();
  });
  it('takes the price break the quantity reaches, and only a price in the line unit', () => {
    const prices = [{ qualifier: 'CON', unitPrice: 11.2, quantity: 1 }, { qualifier: 'CON', unitPrice: 10.8, quantity: 10 }, { qualifier: 'CON', unitPrice: 10.5, quantity: 50 }];
    expect(documentPrice(line({ quantity: 10, prices }))?.price).toBe(10.8);
    expect(documentPrice(line({ quantity: 9, prices }))?.price).toBe(11.2);
    expect(documentPrice(line({ quantity: 60, prices }))?.price).toBe(10.5);
    expect(documentPrice(line({ prices: [{ qualifier: 'NET', unitPrice: 120, unit: 'CA' }, { qualifier: 'CAT', unitPrice: 11, unit: 'EA' }] }))).toEqual({ price: 11, source: 'CTP CAT' });
  });
});

describe('requestedDate', () => {
  const lines = [line({ lineNumber: '1', dates: [{ qualifier: '002', date: '2026-12-14' }] }), line({ dates: [{ qualifier: '038', date: '2026-12-01' }, { qualifier: '010', date: '2026-12-09' }] }), line({ lineNumber: '3' })];
  it('takes the earliest line date when the heading has none, and lists each line', () => {
    expect(requestedDate([], lines)).toEqual({ date: '2026-12-09', perLine: [{ label: 'line 1', date: '2026-12-14' }, { label: 'line 2', date: '2026-12-09' }] });
  });
  it('keeps the heading date when there is one', () => {
    expect(requestedDate([{ qualifier: '010', date: '2026-12-20' }], lines).date).toBe('2026-12-20');
  });
  it('has no date when neither heading nor lines request one', () => {
    expect(requestedDate([{ qualifier: '038', date: '2026-12-20' }], [line({})])).toEqual({ perLine: [] });
  });
});
