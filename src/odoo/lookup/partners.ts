// The partner's own res.partner record, and its addresses (ship-to, bill-to) matched from N1 loops.
import type { Party } from '../../documents/common.js';
import type { Domain, OdooRecord } from '../client/client.js';
import { MasterDataGap } from '../postings/gap.js';
import { cacheOf, idOf, type PostingContext } from '../postings/context.js';
import type { AddressMatch } from '../settings.js';
import { fieldWord, idSearches, idsNote, idWord, partyIdsOf, type IdSearch, type PartyId } from './party-ids.js';

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

/** What finding the trading partner needs: a posting's context, or an outbound build's. */
export type TradingPartnerContext = Pick<PostingContext, 'client' | 'settings' | 'partnerFile' | 'partnerName' | 'partnerCode' | 'cache'>;

/** The res.partner named by the partner file's odoo.partner (id, ref, name or vat): exactly one. */
export async function findTradingPartner(ctx: TradingPartnerContext): Promise<PartnerRecord> {
  const how = ctx.settings.partner;
  const file = `${ctx.partnerFile}`;
  let domain: Domain;
  let said: string;
  if (how.id !== undefined) [domain, said] = [[['id', '=', how.id]], `id ${how.id}`];
  else if (how.ref) [domain, said] = [[['ref', '=', how.ref]], `Internal Reference '${how.ref}'`];
  else if (how.vat) [domain, said] = [[['vat', '=', how.vat]], `Tax ID '${how.vat}'`];
  else if (how.name) [domain, said] = [[['name', '=', how.name], ['parent_id', '=', false]], `name '${how.name}'`];
  else throw new MasterDataGap('partner', `${file} odoo.partner names no id, ref, name or vat: say how to find ${ctx.partnerName} in Odoo`, { partner: ctx.partnerCode });
  const rows = await cacheOf(ctx).remember(`res.partner:${JSON.stringify(domain)}`, () => ctx.client.searchRead('res.partner', domain, { fields: PARTNER_FIELDS, limit: 2 }), (r) => r.length === 1);
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

/** One search of a match step: what it is called in messages, its domain, and the id it looks for. */
interface Look {
  said: string;
  domain: Domain;
  search?: IdSearch;
}

/** How many addresses an ambiguous match names. */
const NAMED_AT_MOST = 5;

/**
 * The address of `company` that an N1 party names, tried in the partner's order (odoo.shipTo.match):
 * gln, ref and duns look for each id in the field odoo.shipTo.fields names for its qualifier; name
 * looks among the addresses only, never at the company itself. The first search that finds one
 * address wins; one that finds several is a gap naming them. Not found: created when the partner
 * allows it, else a gap saying what to create so that the next try finds it. docs/odoo.md#parties.
 */
export async function findAddress(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType): Promise<PartnerRecord> {
  const ids = partyIdsOf(party);
  const within: Domain = [['id', 'child_of', company.commercialId]];
  const mapped = await mappedAddress(ctx, party, within);
  if (mapped) return mapped;
  const tried: Look[] = [];
  for (const step of ctx.settings.shipTo.match) {
    const looks = step === 'name' ? nameLooks(party, company) : await idLooks(ctx, idSearches(step, ids, ctx.settings.shipTo.fields));
    for (const look of looks) {
      const shown = [...new Set(['ref', 'barcode', ...(look.search ? [look.search.field] : [])])];
      const domain = [...within, ...look.domain];
      // One address found is remembered; none or several are asked again (a person may fix them).
      const rows = await cacheOf(ctx).remember(`res.partner:${JSON.stringify(domain)}:${shown.join(',')}`, () => ctx.client.searchRead('res.partner', domain, { fields: [...PARTNER_FIELDS, ...shown], limit: NAMED_AT_MOST, order: 'id' }), (r) => r.length === 1);
      tried.push(look);
      if (rows.length === 1) return toPartner(rows[0]!);
      if (rows.length > 1) throw ambiguous(ctx, party, company, type, look, tried, rows, shown);
    }
  }
  if (ctx.settings.shipTo.createMissing && tried.length) return createAddress(ctx, party, company, type, ids, tried);
  throw unknownAddress(ctx, party, company, type, ids, tried);
}

/**
 * The address a person mapped the party's GLN to from the console (migration 18), before any
 * search: it fixes a ship-to whatever odoo.shipTo.match looks at. Only an address of the company
 * counts; a mapping to another company's contact, or to one since deleted, is passed over.
 */
async function mappedAddress(ctx: PostingContext, party: Party, within: Domain): Promise<PartnerRecord | undefined> {
  const gln = party.ids.gln;
  if (!gln || !ctx.masterDataMappings) return undefined;
  const id = Number((await ctx.masterDataMappings('address', [gln])).get(gln));
  if (!Number.isInteger(id) || id <= 0) return undefined;
  const rows = await ctx.client.searchRead('res.partner', [...within, ['id', '=', id]], { fields: PARTNER_FIELDS, limit: 1 });
  return rows[0] && toPartner(rows[0]);
}

/** The name among the company's addresses: the company itself is the customer, never its own ship-to by name. */
function nameLooks(party: Party, company: PartnerRecord): Look[] {
  return party.name ? [{ said: `name '${party.name}'`, domain: [['id', '!=', company.commercialId], ['name', '=ilike', party.name]] }] : [];
}

/** The searches of an id step; a GLN also in Odoo 19's global_location_number. */
async function idLooks(ctx: PostingContext, searches: readonly IdSearch[]): Promise<Look[]> {
  const looks: Look[] = [];
  for (const search of searches) {
    await requireField(ctx, search);
    const fields = [search.field];
    if (search.step === 'gln' && search.field !== 'global_location_number' && (await ctx.schema.has('res.partner', 'global_location_number'))) fields.push('global_location_number');
    const domain: Domain = fields.length === 1 ? [[search.field, '=', search.value]] : ['|', ...fields.map((f) => [f, '=', search.value])];
    looks.push({ said: `${idWord(search.qualifier)} ${search.value} in ${fields.map(fieldWord).join(' or ')}`, domain, search });
  }
  return looks;
}

/** A field the partner file named must exist on this server (a custom field is made in Odoo first). */
async function requireField(ctx: PostingContext, search: IdSearch): Promise<void> {
  if (await ctx.schema.has('res.partner', search.field)) return;
  throw new MasterDataGap(
    'address',
    `${ctx.partnerFile} odoo.shipTo.fields names the res.partner field '${search.field}' for N103 qualifier ${search.qualifier} (${idWord(search.qualifier)}), which this Odoo does not have: create the field in Odoo (e.g. with Studio) or name an existing one`,
    { model: 'res.partner', field: search.field, qualifier: search.qualifier },
  );
}

function ambiguous(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType, look: Look, tried: readonly Look[], rows: readonly OdooRecord[], shown: readonly string[]): MasterDataGap {
  const describe = (r: OdooRecord) => {
    const values = shown.filter((f) => r[f]).map((f) => `${fieldWord(f)} ${String(r[f])}`);
    return `id ${r.id} '${String(r['display_name'] ?? r['name'])}' (${values.length ? values.join(', ') : `no ${shown.map(fieldWord).join(', no ')}`})`;
  };
  const earlier = tried.find((t) => t.search);
  const fix = look.search
    ? `keep ${fieldWord(look.search.field)} ${look.search.value} on the one address it names and clear it on the others`
    : earlier?.search
      ? `give the right one ${fieldWord(earlier.search.field)} ${earlier.search.value} (${idWord(earlier.search.qualifier)}), the id this N1 sends (looked for before the name), or rename or archive all but one`
      : `rename or archive all but one, or ask ${ctx.partnerName} to send a GLN or another id with the name`;
  const many = rows.length === NAMED_AT_MOST ? `${NAMED_AT_MOST} or more` : String(rows.length);
  return new MasterDataGap('address', `${ROLE_WORDS[type]} ${look.said} matches ${many} addresses of ${company.name}: ${rows.map(describe).join('; ')}: ${fix}`, {
    model: 'res.partner', type, name: party.name, ...party.ids, ids: rows.map((r) => r.id),
  });
}

/** Not found: what was looked for, and what to create so that the same search finds it next time. */
function unknownAddress(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType, ids: readonly PartyId[], tried: readonly Look[]): MasterDataGap {
  const role = ROLE_WORDS[type];
  const byId = tried.find((t) => t.search)?.search;
  const named = party.name && tried.some((t) => !t.search) ? ` named '${party.name}'` : '';
  let fix: string;
  if (byId) fix = `create a ${type} address under ${company.name} with ${fieldWord(byId.field)} ${byId.value} (${idWord(byId.qualifier)})${named}`;
  else if (named) fix = `create a ${type} address under ${company.name}${named}`;
  else fix = nothingToFind(ctx, ids);
  const orCreate = tried.length ? `, or set odoo.shipTo.createMissing in ${ctx.partnerFile}` : '';
  const itself = named && party.name!.toLowerCase() === company.name.toLowerCase() ? ` (${company.name} itself has this name, but a ${role} must be one of its addresses)` : '';
  return new MasterDataGap(
    'address',
    `unknown ${role} ${party.name ? `'${party.name}' ` : ''}(${tried.length ? tried.map((t) => t.said).join(', ') : 'nothing to look for'}) for ${company.name}: ${fix}${orCreate}${itself}`,
    { model: 'res.partner', type, name: party.name, ...party.ids },
  );
}

/** Why no search ran: ids the partner file does not look for, or none at all. */
function nothingToFind(ctx: PostingContext, ids: readonly PartyId[]): string {
  if (!ids.length) return `the N1 sends no id and no name the partner file matches on: ask ${ctx.partnerName} to send a GLN, DUNS or name`;
  const { fields, match } = ctx.settings.shipTo;
  const why = ids.map((i) => (fields[i.qualifier] ? `${idWord(i.qualifier)} (${i.qualifier}) is not in odoo.shipTo.match` : `N103 qualifier ${i.qualifier} has no field in odoo.shipTo.fields (e.g. ${i.qualifier}: ref)`));
  return `the N1 sends ${idsNote(ids)}, which is looked for nowhere: ${why.join('; ')} in ${ctx.partnerFile} (match: ${match.join(', ')})`;
}

/**
 * A new address keeping every id of the party: each in its field while that field is still free
 * (in the order the steps look, so the next order's first search finds it), all of them in the
 * notes for people. Without N102 the name says what it is ('ship-to DUNS+4 1234567890001').
 */
async function createAddress(ctx: PostingContext, party: Party, company: PartnerRecord, type: AddressType, ids: readonly PartyId[], tried: readonly Look[]): Promise<PartnerRecord> {
  const a = party.address;
  const first = tried.find((t) => t.search)?.search ?? ids[0];
  const values: Record<string, unknown> = {
    parent_id: company.commercialId,
    type,
    name: party.name ?? `${ROLE_WORDS[type]}${first ? ` ${idWord(first.qualifier)} ${first.value}` : ''}`,
    ...(a?.lines[0] ? { street: a.lines[0] } : {}),
    ...(a?.lines[1] ? { street2: a.lines[1] } : {}),
    ...(a?.city ? { city: a.city } : {}),
    ...(a?.postalCode ? { zip: a.postalCode } : {}),
    ...(ids.length ? { comment: `EDI N1 ${party.entityCode} ids: ${idsNote(ids)}` } : {}),
  };
  const { match, fields } = ctx.settings.shipTo;
  const steps = (['gln', 'ref', 'duns'] as const).slice().sort((x, y) => rank(match, x) - rank(match, y));
  const idValues: Record<string, unknown> = {};
  for (const search of steps.flatMap((step) => idSearches(step, ids, fields))) {
    const into = search.step === 'gln' ? [search.field, 'global_location_number'] : [search.field];
    for (const field of into) {
      if (values[field] === undefined && (await ctx.schema.has('res.partner', field))) values[field] = idValues[field] = search.value;
    }
  }
  if (a?.country) {
    const code = a.country.slice(0, 2).toUpperCase();
    const countries = await cacheOf(ctx).remember(`res.country:${code}`, () => ctx.client.searchRead('res.country', [['code', '=', code]], { fields: ['id'], limit: 1 }), (r) => r.length === 1);
    if (countries[0]) values['country_id'] = countries[0].id;
  }
  const id = await ctx.client.create('res.partner', values);
  await keepIds(ctx, id, idValues);
  return { id, name: String(values['name']), commercialId: company.commercialId };
}

/**
 * Odoo copies its commercial fields (vat, company_registry, ...) from the company over the values a
 * new address is created with (18 always, 19 when the company has one); a write on the address keeps
 * them. So the ids are read back and written again where Odoo replaced them (docs/odoo.md#quirks-and-how-they-were-verified).
 */
async function keepIds(ctx: PostingContext, id: number, idValues: Record<string, unknown>): Promise<void> {
  const fields = Object.keys(idValues);
  if (!fields.length) return;
  const [created] = await ctx.client.read('res.partner', [id], fields);
  const lost = Object.fromEntries(Object.entries(idValues).filter(([f, v]) => created?.[f] !== v));
  if (Object.keys(lost).length) await ctx.client.write('res.partner', [id], lost);
}

/** A step's place in the partner's match order; steps left out come last. */
function rank(match: readonly AddressMatch[], step: AddressMatch): number {
  const i = match.indexOf(step);
  return i < 0 ? match.length : i;
}
