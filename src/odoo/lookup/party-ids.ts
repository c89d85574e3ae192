// Which res.partner field each N1 id of a ship-to / bill-to is looked for in, by its N103
// qualifier, and how the ids are worded for a person. Stock Odoo has one field for a GLN (barcode)
// and one for any other reference (ref), so DUNS, DUNS+4 and the assigned ids share `ref` unless
// the partner file names another field (`odoo.shipTo.fields`). docs/odoo.md#parties.
import type { Party, PartyIds } from '../../documents/common.js';
import { ID_QUALIFIERS } from '../../maps/shared/parties.js';
import type { AddressMatch } from '../settings.js';

/** One id of an N1 party: its N103 qualifier and value. */
export interface PartyId {
  qualifier: string;
  value: string;
}

/** An id as a match step looks for it: in `field`. */
export interface IdSearch extends PartyId {
  step: Exclude<AddressMatch, 'name'>;
  field: string;
}

/** N103 qualifier -> the res.partner field, when the partner file says nothing. */
export const DEFAULT_ADDRESS_FIELDS: Readonly<Record<string, string>> = Object.freeze({ UL: 'barcode', '92': 'ref', '91': 'ref', '1': 'ref', '9': 'ref' });

const KIND_WORDS: Readonly<Record<Exclude<keyof PartyIds, 'other'>, string>> = {
  gln: 'GLN', duns: 'DUNS', dunsPlus4: 'DUNS+4', assignedByBuyer: "buyer's id", assignedBySeller: "seller's id",
};

/** Field names as Odoo's contact form labels them. */
const FIELD_WORDS: Readonly<Record<string, string>> = { ref: 'Reference', barcode: 'Barcode', global_location_number: 'GLN', company_registry: 'Company ID', vat: 'Tax ID' };

/** 'DUNS+4' for 9, 'ZZ' for a qualifier without a name. */
export function idWord(qualifier: string): string {
  const kind = ID_QUALIFIERS.find(([, q]) => q === qualifier)?.[0];
  return kind ? KIND_WORDS[kind] : qualifier;
}

/** 'Reference' for ref, "field 'x_duns'" for a field of its own. */
export function fieldWord(field: string): string {
  return FIELD_WORDS[field] ?? `field '${field}'`;
}

/** Every id of the party, the named ones first (in N1's order), then the others as sent. */
export function partyIdsOf(party: Party): PartyId[] {
  const named = ID_QUALIFIERS.flatMap(([kind, qualifier]) => (party.ids[kind] ? [{ qualifier, value: party.ids[kind] }] : []));
  return [...named, ...party.ids.other.map((o) => ({ qualifier: o.qualifier, value: o.value }))];
}

/**
 * The searches of one id step, in the order they are tried: gln (UL); ref (92, 91, then any other
 * qualifier the partner file names a field for); duns (9 before 1: a DUNS+4 names the location,
 * a DUNS only the company).
 */
export function idSearches(step: IdSearch['step'], ids: readonly PartyId[], fields: Readonly<Record<string, string>>): IdSearch[] {
  const of = (qualifier: string) => ids.filter((i) => i.qualifier === qualifier);
  const qualifiers =
    step === 'gln' ? ['UL']
      : step === 'duns' ? ['9', '1']
        : ['92', '91', ...new Set(ids.map((i) => i.qualifier).filter((q) => fields[q] && !['UL', '9', '1', '92', '91'].includes(q)))];
  return qualifiers.flatMap((q) => of(q).flatMap((id) => (fields[q] ? [{ ...id, step, field: fields[q]! }] : [])));
}

/** "DUNS+4 (9) 1234567890001; GLN (UL) ...": every id, for an address's notes. */
export function idsNote(ids: readonly PartyId[]): string {
  return ids.map((i) => (idWord(i.qualifier) === i.qualifier ? `${i.qualifier} ${i.value}` : `${idWord(i.qualifier)} (${i.qualifier}) ${i.value}`)).join('; ');
}
