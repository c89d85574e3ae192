// The pack rule (docs/odoo.md#units-and-packs): a line ordered in a pack unit (CA, BX ...) carries
// its pack size in PO401, and one `CA` mapping per partner cannot tell a case of 12 from a case of
// 4. Pure: which Odoo unit holds PO401 of the product's unit, from the table of Odoo's units.
import type { OdooRecord } from '../client/client.js';

/** An Odoo unit as the rule sees it: its family and its size in the family's reference unit. */
export interface UnitSize {
  readonly id: number;
  readonly name: string;
  /** Up to 18 the unit's category; on 19 (no categories) the root of its relative_uom_id chain. */
  readonly family: number;
  /** How many of the family's reference (18) or root (19) unit one of this unit holds. */
  readonly size: number;
  readonly active: boolean;
}

/** The uom.uom fields the table is built from. */
export function unitTableFields(version: number): string[] {
  return version >= 19 ? ['id', 'name', 'relative_uom_id', 'factor', 'active'] : ['id', 'name', 'category_id', 'factor', 'active'];
}

const idOf = (v: unknown): number | undefined => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : typeof v === 'number' ? v : undefined);

/**
 * Up to 18 `factor` is how many of the unit one reference unit makes (Case of 12: 1/12); on 19
 * `factor` is how many root units the unit holds (Case of 12: 12), computed from relative_factor
 * along relative_uom_id (real 18 and 19, docs/odoo.md#units-and-packs).
 */
export function unitTable(rows: readonly OdooRecord[], version: number): Map<number, UnitSize> {
  const parent = new Map(rows.map((r) => [r.id, idOf(r['relative_uom_id'])]));
  const rootOf = (id: number): number => {
    const seen = new Set<number>();
    let at = id;
    for (let up = parent.get(at); up !== undefined && !seen.has(up); up = parent.get(at)) {
      seen.add(at);
      at = up;
    }
    return at;
  };
  const table = new Map<number, UnitSize>();
  for (const r of rows) {
    const factor = Number(r['factor'] ?? 0);
    if (!(factor > 0)) continue;
    table.set(r.id, {
      id: r.id,
      name: String(r['name']),
      family: version >= 19 ? rootOf(r.id) : (idOf(r['category_id']) ?? 0),
      size: version >= 19 ? factor : 1 / factor,
      active: r['active'] !== false,
    });
  }
  return table;
}

/** Equal sizes, given that Odoo stores 1/12 as a float (12.000000000000002). */
const sameSize = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

export type PackVerdict =
  /** The line is not in a pack bigger than the product's unit, or the units cannot be compared. */
  | { kind: 'not-a-pack' }
  | { kind: 'fits' }
  /** Another unit holds PO401 of the product's unit: post in it. */
  | { kind: 'switch'; unit: UnitSize; mapped: UnitSize; reference: UnitSize; mappedRatio: number }
  /** No active unit holds PO401: a gap. */
  | { kind: 'missing'; mapped: UnitSize; reference: UnitSize; mappedRatio: number };

/**
 * Checks the mapped unit against PO401 (inner units per outer pack, counted in the product's unit):
 * right when it holds PO401 product units; else the active unit of the same family that does,
 * preferring one whose name starts like the mapped unit's ('Case of 4' for 'Case of 12'), then
 * the lowest id; else missing.
 */
export function packVerdict(table: ReadonlyMap<number, UnitSize>, mappedId: number, productUomId: number, pack: number): PackVerdict {
  const mapped = table.get(mappedId);
  const reference = table.get(productUomId);
  if (!mapped || !reference || mapped.family !== reference.family || !(pack > 0)) return { kind: 'not-a-pack' };
  const mappedRatio = mapped.size / reference.size;
  // A unit no bigger than the product's (Units, or the product's own case unit) says nothing of a pack.
  if (mappedRatio <= 1 || sameSize(mappedRatio, 1)) return { kind: 'not-a-pack' };
  if (sameSize(mappedRatio, pack)) return { kind: 'fits' };
  const word = firstWord(mapped.name);
  const candidates = [...table.values()]
    .filter((u) => u.active && u.family === reference.family && sameSize(u.size / reference.size, pack))
    .sort((a, b) => Number(firstWord(b.name) === word) - Number(firstWord(a.name) === word) || a.id - b.id);
  const unit = candidates[0];
  return unit ? { kind: 'switch', unit, mapped, reference, mappedRatio } : { kind: 'missing', mapped, reference, mappedRatio };
}

const firstWord = (name: string) => name.trim().split(/\s+/)[0]!.toLowerCase();

const PACK_WORDS: Readonly<Record<string, string>> = {
  CA: 'case', CS: 'case', BX: 'box', CT: 'carton', PK: 'pack', PL: 'pallet', BG: 'bag', BE: 'bundle', DR: 'drum', RL: 'roll', TB: 'tube', JR: 'jar', BO: 'bottle',
};

/** "cases of 4", "boxes of 6", for an X12 unit code and PO401 (any other code: "packs of"). */
export function packPhrase(code: string, pack: number): string {
  const word = PACK_WORDS[code.toUpperCase()] ?? 'pack';
  return `${/(x|s|ch|sh)$/.test(word) ? `${word}es` : `${word}s`} of ${trim(pack)}`;
}

/** 'Case of 4': the name suggested for a unit to create. */
export function packUnitName(code: string, pack: number): string {
  const word = PACK_WORDS[code.toUpperCase()] ?? 'pack';
  return `${word[0]!.toUpperCase()}${word.slice(1)} of ${trim(pack)}`;
}

/** 12, 0.5: a number as a person writes it. */
export function trim(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
