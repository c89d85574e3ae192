// Who an outbound document goes to: the partner file whose Odoo contact (odoo.partner) is the
// commercial partner of the record, among the enabled partners that send that kind of document
// (documents.outbound). Each partner file's contact is found as the postings find it, and
// remembered with the master data (lookup/cache.ts).
import type { Partner } from '../../partners/types.js';
import { partnerFileLabel } from '../../partners/file-label.js';
import type { OdooClient } from '../client/client.js';
import type { PostingCache } from '../lookup/cache.js';
import { findTradingPartner } from '../lookup/partners.js';
import { idOf } from '../postings/context.js';
import { odooSettingsOf } from '../settings.js';
import type { OutboundKind } from './types.js';

/** The partners that send `kind`, with an Odoo contact configured. */
export function sendersOf(partners: readonly Partner[], kind: OutboundKind): Partner[] {
  return partners.filter((p) => p.enabled !== false && p.odoo && p.documents.outbound.includes(kind));
}

/**
 * The partner file of res.partner `contactId` (a company or one of its addresses) among those that
 * send `kind`; undefined when none does. A partner file whose contact cannot be found is skipped
 * (the postings report that gap; here it only means that partner gets nothing yet).
 */
export async function recipientOf(client: OdooClient, cache: PostingCache, partners: readonly Partner[], kind: OutboundKind, contactId: number): Promise<Partner | undefined> {
  const candidates = sendersOf(partners, kind);
  if (!candidates.length) return undefined;
  const [contact] = await client.read('res.partner', [contactId], ['commercial_partner_id']);
  const commercialId = idOf(contact?.['commercial_partner_id']) ?? contactId;
  for (const partner of candidates) {
    const found = await findTradingPartner({
      client, cache, settings: odooSettingsOf(partner.odoo!), partnerCode: partner.code, partnerName: partner.name, partnerFile: partnerFileLabel(partner),
    }).catch(() => undefined);
    if (found && (found.commercialId === commercialId || found.id === commercialId)) return partner;
  }
  return undefined;
}
