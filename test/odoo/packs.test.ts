// The pack rule on its own (src/odoo/lookup/packs.ts), on uom.uom rows as real Odoo 18 and 19 answer them.
import { describe, expect, it } from 'vitest';
import { packPhrase, packUnitName, packVerdict, unitTable } from '../../src/odoo/lookup/packs.js';

// As a real 19 answered uom.uom search_read (docs/odoo.md#units-and-packs), plus cases made as a person would (relative to Units).
const rows19 = [
  { id: 1, name: 'Units', relative_uom_id: false, factor: 1, active: true },
  { id: 2, name: 'Pack of 6', relative_uom_id: [1, 'Units'], factor: 6, active: true },
  { id: 3, name: 'Dozens', relative_uom_id: [1, 'Units'], factor: 12, active: false },
  { id: 7, name: 'mm', relative_uom_id: false, factor: 1, active: true },
  { id: 8, name: 'cm', relative_uom_id: [7, 'mm'], factor: 10, active: false },
  { id: 9, name: 'm', relative_uom_id: [8, 'cm'], factor: 1000, active: true },
  { id: 31, name: 'Case of 12', relative_uom_id: [1, 'Units'], factor: 12, active: true },
  { id: 32, name: 'Box of 4', relative_uom_id: [1, 'Units'], factor: 4, active: true },
  { id: 33, name: 'Case of 4', relative_uom_id: [1, 'Units'], factor: 4, active: true },
  { id: 34, name: 'Case of 2 Packs of 6', relative_uom_id: [2, 'Pack of 6'], factor: 12, active: true },
];
// 18: factor = units of this per reference unit, stored as the float 1/12.
const rows18 = [
  { id: 1, name: 'Units', category_id: [1, 'Unit'], factor: 1, active: true },
  { id: 2, name: 'Dozens', category_id: [1, 'Unit'], factor: 1 / 12, active: true },
  { id: 12, name: 'kg', category_id: [2, 'Weight'], factor: 1, active: true },
  { id: 40, name: 'Case of 12', category_id: [1, 'Unit'], factor: 1 / 12, active: true },
  { id: 41, name: 'Case of 4', category_id: [1, 'Unit'], factor: 0.25, active: true },
  { id: 42, name: 'Case of 48 (old)', category_id: [1, 'Unit'], factor: 1 / 48, active: false },
];

describe('the pack rule', () => {
  const t19 = unitTable(rows19, 19);
  const t18 = unitTable(rows18, 18);

  it('sizes units in their family: 19 by the root of relative_uom_id (through archived cm), 18 by category and 1/factor', () => {
    expect(t19.get(9)).toMatchObject({ family: 7, size: 1000 });
    expect(t19.get(34)).toMatchObject({ family: 1, size: 12 });
    expect(t18.get(40)!.size).toBeCloseTo(12, 9);
    expect(t18.get(12)).toMatchObject({ family: 2, size: 1 });
  });

  it('keeps the mapped unit when it holds PO401 of the product unit (also through a pack of packs)', () => {
    expect(packVerdict(t19, 31, 1, 12)).toEqual({ kind: 'fits' });
    expect(packVerdict(t19, 34, 1, 12)).toEqual({ kind: 'fits' });
    expect(packVerdict(t18, 40, 1, 12)).toEqual({ kind: 'fits' }); // 1 / (1/12) is 12.000000000000002
  });

  it('switches to the unit that holds PO401, preferring the mapped unit\'s kind (Case of 4 over Box of 4)', () => {
    expect(packVerdict(t19, 31, 1, 4)).toMatchObject({ kind: 'switch', unit: { name: 'Case of 4' }, mappedRatio: 12 });
    expect(packVerdict(t18, 40, 1, 4)).toMatchObject({ kind: 'switch', unit: { name: 'Case of 4' } });
    // Box of 4 and Case of 4 hold 4, neither named like the mapped 'Pack of 6': the lowest id.
    expect(packVerdict(t19, 2, 1, 4)).toMatchObject({ kind: 'switch', unit: { name: 'Box of 4' } });
    // Any unit of the family may hold it: 18's Dozens for cases of 12.
    expect(packVerdict(t18, 41, 1, 12)).toMatchObject({ kind: 'switch', unit: { name: 'Case of 12' } });
  });

  it('finds no unit for a size only an archived unit holds, nor across families', () => {
    expect(packVerdict(t18, 40, 1, 48)).toMatchObject({ kind: 'missing', mapped: { name: 'Case of 12' }, reference: { name: 'Units' } });
    expect(packVerdict(t19, 31, 1, 24)).toMatchObject({ kind: 'missing' });
  });

  it('leaves a line alone whose unit is no pack of the product unit, or not comparable', () => {
    expect(packVerdict(t19, 1, 1, 4)).toEqual({ kind: 'not-a-pack' }); // eaches
    expect(packVerdict(t19, 1, 31, 4)).toEqual({ kind: 'not-a-pack' }); // smaller than a product sold by the case
    expect(packVerdict(t18, 12, 1, 4)).toEqual({ kind: 'not-a-pack' }); // kg for a product in Units: the category check's business
    expect(packVerdict(t19, 31, 1, 0)).toEqual({ kind: 'not-a-pack' });
  });

  it('names packs as people say them', () => {
    expect(packPhrase('CA', 4)).toBe('cases of 4');
    expect(packPhrase('BX', 6)).toBe('boxes of 6');
    expect(packPhrase('ZZ', 2.5)).toBe('packs of 2.5');
    expect(packUnitName('CA', 24)).toBe('Case of 24');
  });
});
