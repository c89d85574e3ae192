// The N1 loop (N1, N2, N3, N4, REF, PER) <-> Party, and PER <-> Contact, both directions.
import type { Address, Contact, Party, PartyIds, PartyRole } from '../../documents/common.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentData } from '../../x12/writer.js';
import type { SegmentCursor } from './cursor.js';
import type { X12Version } from './map-types.js';
import { readReference, writeReference } from './references.js';
import type { MapReport } from './report.js';

/** N101 entity identifier codes with a canonical role; any other code reads as 'other'. */
export const PARTY_ROLES: Readonly<Record<string, PartyRole>> = {
  BY: 'buyer', SE: 'seller', ST: 'ship_to', BT: 'bill_to', SF: 'ship_from',
  VN: 'vendor', SU: 'supplier', RI: 'remit_to', Z7: 'mark_for',
};

/** The entity code written for a role when the party carries none of its own. */
export const ROLE_CODES: Readonly<Record<Exclude<PartyRole, 'other'>, string>> = {
  buyer: 'BY', seller: 'SE', ship_to: 'ST', bill_to: 'BT', ship_from: 'SF',
  vendor: 'VN', supplier: 'SU', remit_to: 'RI', mark_for: 'Z7',
};

type NamedIdKind = Exclude<keyof PartyIds, 'other'>;

/** N103 qualifiers with a named slot, in the order N1 writes them (N1 has room for one id). */
export const ID_QUALIFIERS: readonly [NamedIdKind, string][] = [
  ['gln', 'UL'], ['duns', '1'], ['dunsPlus4', '9'], ['assignedByBuyer', '92'], ['assignedBySeller', '91'],
];

/** Segments that belong to an N1 loop in the maps that use this module. */
export const PARTY_LOOP_TAGS = ['N2', 'N3', 'N4', 'REF', 'PER'] as const;

export function roleOf(entityCode: string): PartyRole {
  return PARTY_ROLES[entityCode] ?? 'other';
}

/** PER01 function, PER02 name, PER03..08 communication pairs (TE phone, EM e-mail, FX fax). */
export function readContact(seg: Segment, report: MapReport): Contact | undefined {
  const fn = report.text(seg, 1, { required: 'contact function code' });
  if (fn === undefined) return undefined;
  const contact: Contact = { function: fn };
  const name = report.text(seg, 2);
  if (name !== undefined) contact.name = name;
  for (let q = 3; q <= 7; q += 2) {
    const qualifier = report.text(seg, q);
    const value = report.text(seg, q + 1);
    if (qualifier === undefined || value === undefined) continue;
    if (qualifier === 'TE' && contact.phone === undefined) contact.phone = value;
    else if (qualifier === 'EM' && contact.email === undefined) contact.email = value;
    else if (qualifier === 'FX' && contact.fax === undefined) contact.fax = value;
    else report.unknownCode(seg, q, qualifier, 'communication qualifier for this contact (kept: TE, EM, FX once each)');
  }
  return contact;
}

export function writeContact(c: Contact): SegmentData {
  const comm: (string | undefined)[] = [];
  if (c.phone) comm.push('TE', c.phone);
  if (c.email) comm.push('EM', c.email);
  if (c.fax) comm.push('FX', c.fax);
  return ['PER', c.function, c.name, ...comm];
}

function setId(ids: PartyIds, qualifier: string, value: string): void {
  const named = ID_QUALIFIERS.find(([, q]) => q === qualifier);
  if (named && ids[named[0]] === undefined) ids[named[0]] = value;
  else ids.other.push({ qualifier, value });
}

const N4_FIELDS = [[1, 'city'], [2, 'state'], [3, 'postalCode'], [4, 'country'], [7, 'subdivision']] as const;

function pushText(list: string[], seg: Segment, element: number, report: MapReport): void {
  const v = report.text(seg, element);
  if (v !== undefined) list.push(v);
}

/**
 * Reads one N1 loop; the cursor must be at the N1. Stops at the first segment that is not
 * N2/N3/N4/REF/PER, which the caller handles (another N1, the detail, an unmapped segment).
 */
export function readParty(cur: SegmentCursor, report: MapReport): Party | undefined {
  const n1 = cur.takeTag('N1');
  if (!n1) return undefined;
  const entityCode = report.text(n1, 1, { required: 'entity identifier code' });
  const party: Party = {
    role: roleOf(entityCode ?? ''), entityCode: entityCode ?? '', names: [], ids: { other: [] }, references: [], contacts: [],
  };
  const name = report.text(n1, 2);
  if (name !== undefined) party.name = name;
  const qualifier = report.text(n1, 3);
  const id = report.text(n1, 4);
  if (qualifier !== undefined && id !== undefined) setId(party.ids, qualifier, id);
  else if (qualifier !== undefined) report.text(n1, 4, { required: `party id for qualifier ${qualifier}` });
  else if (id !== undefined) report.text(n1, 3, { required: `qualifier of party id "${id}"` });
  if (name === undefined && id === undefined) report.text(n1, 2, { required: 'party name or id (N103/N104)' });

  let address: Address | undefined;
  for (;;) {
    const seg = cur.take(...PARTY_LOOP_TAGS);
    if (!seg) break;
    switch (seg.tag) {
      case 'N2':
        pushText(party.names, seg, 1, report);
        pushText(party.names, seg, 2, report);
        break;
      case 'N3':
        address ??= { lines: [] };
        pushText(address.lines, seg, 1, report);
        pushText(address.lines, seg, 2, report);
        break;
      case 'N4': {
        // N405/N406 (location qualifier/id) have no place in Address and are not read.
        for (const [e, key] of N4_FIELDS) {
          const v = report.text(seg, e);
          if (v !== undefined) (address ??= { lines: [] })[key] = v;
        }
        break;
      }
      case 'REF': { const r = readReference(seg, report); if (r) party.references.push(r); break; }
      case 'PER': { const c = readContact(seg, report); if (c) party.contacts.push(c); break; }
    }
  }
  if (address) party.address = address;
  return party;
}

/** Two values per segment (N2, N3 carry two each). */
function pairs(tag: string, values: readonly string[]): SegmentData[] {
  const out: SegmentData[] = [];
  for (let i = 0; i < values.length; i += 2) out.push([tag, values[i], values[i + 1]]);
  return out;
}

/**
 * N407 (country subdivision) exists from 005010 on, and only where N402 is absent
 * (syntax E0207) and N404 names the country (C0704). Elsewhere it is left out, as in 004010.
 */
function subdivisionOf(a: Address, version: X12Version): string | undefined {
  if (version !== '005010' || !a.subdivision || a.state || !a.country) return undefined;
  return a.subdivision;
}

/**
 * Writes one N1 loop. N1 has room for one id: the first of gln, duns, dunsPlus4,
 * assignedByBuyer, assignedBySeller, other[0]. N407 is written in 005010 only, never with N402.
 */
export function writeParty(p: Party, version: X12Version): SegmentData[] {
  const entity = p.entityCode || (p.role === 'other' ? '' : ROLE_CODES[p.role]);
  let id: [string, string] | undefined;
  for (const [kind, q] of ID_QUALIFIERS) {
    const v = p.ids[kind];
    if (v) { id = [q, v]; break; }
  }
  const first = p.ids.other[0];
  if (!id && first) id = [first.qualifier, first.value];
  const out: SegmentData[] = [['N1', entity, p.name, id?.[0], id?.[1]]];
  out.push(...pairs('N2', p.names));
  const a = p.address;
  if (a) {
    out.push(...pairs('N3', a.lines));
    const sub = subdivisionOf(a, version);
    if (a.city || a.state || a.postalCode || a.country || sub) {
      out.push(['N4', a.city, a.state, a.postalCode, a.country, undefined, undefined, sub]);
    }
  }
  for (const r of p.references) out.push(writeReference(r));
  for (const c of p.contacts) out.push(writeContact(c));
  return out;
}
