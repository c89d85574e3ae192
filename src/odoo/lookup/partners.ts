// The partner's own res.partner record, and its addresses (ship-to, bill-to) matched from N1 loops.
import type { Party } from '../../documents/common.js';
import type { Domain } from '../client/client.js';
import { MasterDataGap } from '../postings/gap.js';
import { idOf, type PostingContext } from '../postings/context.js';

export interface PartnerRecord {
  id: number;
  name: string;
  /** The company the record belongs to (itself for a company). */
  commercialId: number;
}

const PARTNER_FIELDS = ['id', 'name', 'display_name', 'commercial_partner_id', 'type', 'parent_id'];

function toPartner(row: Record<string, unknown>): PartnerRecord {
  return { id: row['id'] as number, name: String(row['display_name'] ?? row['name']), commercialId: idOf(row['commercial_partner_id']) ?? (row['id'] as number) };
}

/** The res.partner named by the partner file's odoo.partner (id, ref, name or vat): exactly one. */
export async function findTradingPartner(ctx: PostingContext): Promise<PartnerRecord> {
  const how = ctx.settings.partner;
  const file = `${ctx.partnerFile}`;
  let domain: Domain;
  let said: string;
  if (how.id !== undefined) [domain, said] = [[['id', '=', how.id]], `id ${how.id}`];
  else if (how.ref) [domain, said] = [[['ref', '=', how.ref]], `Internal Reference '${how.ref}'`];
  else if (how.vat) [domain, said] = [[['vat', '=', how.vat]], `Tax ID '${how.vat}'`];
  else if (how.name) [domain, said] = [[['name', '=', how.name], ['parent_id', '=', false]], `name '${how.name}'`];
  else throw new MasterDataGap('partner', `${file} odoo.partner names no id, ref, name or vat: say how to find ${ctx.partnerName} in Odoo`, { partner: ctx.partnerCode });
  const rows = await ctx.client.searchRead('res.partner', domain, { fields: PARTNER_FIELDS, limit: 2 });
  if (rows.length === 0) {
    throw new MasterDataGap('partner', `no contact in Odoo has ${said} (${file} odoo.partner): create ${ctx.partnerName} in Odoo with it, or correct the partner file`, { model: 'res.partner', ...how });
  }
  if (rows.length > 1) {
    throw new MasterDataGap('partner', `several contacts in Odoo have ${said} (${file} odoo.partner): make it unique, or name the contact by id`, { model: 'res.partner', ...how, ids: rows.map((r) => r.id) });
  }
  return toPartner(rows[0]!);
}

export type AddressType = 'delivery' | 'invoice';

/** Words for messages. */
const ROLE_WORDS: Record<AddressType, string> = { delivery: 'ship-to', invoice: 'bill-to' };

/**
 * The address of `company` that an N1 party names, tried in the partner's order (GLN against
 * barcode / global_location_number, reference against ref, name). Not found: created when the
 * partner allows it, else a gap naming the GLN and name looked for.
 */
export async function findAddress(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType): Promise<PartnerRecord> {
  const within: Domain = [['id', 'child_of', company.commercialId]];
  const tried: string[] = [];
  const hasGlnField = await ctx.schema.has('res.partner', 'global_location_number');
  const ref = party.ids.assignedByBuyer ?? party.ids.assignedBySeller ?? party.ids.other[0]?.value;
  for (const how of ctx.settings.shipTo.match) {
    let domain: Domain | undefined;
    if (how === 'gln' && party.ids.gln) {
      domain = hasGlnField ? ['|', ['barcode', '=', party.ids.gln], ['global_location_number', '=', party.ids.gln]] : [['barcode', '=', party.ids.gln]];
      tried.push(`GLN ${party.ids.gln}`);
    } else if (how === 'ref' && ref) {
      domain = [['ref', '=', ref]];
      tried.push(`reference '${ref}'`);
    } else if (how === 'name' && party.name) {
      domain = [['name', '=ilike', party.name]];
      tried.push(`name '${party.name}'`);
    }
    if (!domain) continue;
    const rows = await ctx.client.searchRead('res.partner', [...within, ...domain], { fields: PARTNER_FIELDS, limit: 2, order: 'id' });
    if (rows.length === 1) return toPartner(rows[0]!);
    if (rows.length > 1) {
      throw new MasterDataGap('address', `${ROLE_WORDS[type]} ${tried.at(-1)} matches several addresses of ${company.name} (ids ${rows.map((r) => r.id).join(', ')}): make it unique`, { model: 'res.partner', type, ...party.ids });
    }
  }
  if (ctx.settings.shipTo.createMissing) return createAddress(ctx, party, company, type);
  const what = tried.length ? tried.join(', ') : 'no GLN, reference or name';
  const gln = party.ids.gln;
  const fix = gln
    ? `create a ${type} address under ${company.name} with Barcode (GLN) ${gln}${party.name ? ` named '${party.name}'` : ''}`
    : `create a ${type} address under ${company.name}${party.name ? ` named '${party.name}'` : ''}${ref ? ` with Reference ${ref}` : ''}`;
  throw new MasterDataGap(
    'address',
    `unknown ${ROLE_WORDS[type]} ${party.name ? `'${party.name}' ` : ''}(${what}) for ${company.name}: ${fix}, or set odoo.shipTo.createMissing in ${ctx.partnerFile}`,
    { model: 'res.partner', type, name: party.name, ...party.ids },
  );
}

async function createAddress(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType): Promise<PartnerRecord> {
  const a = party.address;
  const values: Record<string, unknown> = {
    parent_id: company.commercialId,
    type,
    name: party.name ?? `${ROLE_WORDS[type]} ${party.ids.gln ?? ''}`.trim(),
    ...(a?.lines[0] ? { street: a.lines[0] } : {}),
    ...(a?.lines[1] ? { street2: a.lines[1] } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.postalCode ? { zip: a.postalCode } : {}),
  };
  if (party.ids.gln) {
    values['barcode'] = party.ids.gln;
    if (await ctx.schema.has('res.partner', 'global_location_number')) values['global_location_number'] = party.ids.gln;
  }
  if (party.ids.assignedByBuyer) values['ref'] = party.ids.assignedByBuyer;
  if (a?.country) {
    const countries = await ctx.client.searchRead('res.country', [['code', '=', a.country.slice(0, 2).toUpperCase()]], { fields: ['id'], limit: 1 });
    if (countries[0]) values['country_id'] = countries[0].id;
  }
  const id = await ctx.client.create('res.partner', values);
  return { id, name: String(values['name']), commercialId: company.commercialId };
}
