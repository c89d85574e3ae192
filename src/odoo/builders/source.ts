// Outbound documents from Odoo records: which builder makes a kind, who the record's document goes
// to, and which records changed since the poller last looked. The outbound stage
// (src/jobs/outbound.ts) numbers, stores and queues what this builds.
import type { Partner } from '../../partners/types.js';
import type { OdooClient } from '../client/client.js';
import { odooSchemaOnce } from '../field-names.js';
import { DEFAULT_CACHE_SECONDS, masterDataCache } from '../lookup/cache.js';
import { idOf } from '../postings/context.js';
import { partnerFileLabel } from '../../partners/file-label.js';
import { odooSettingsOf } from '../settings.js';
import { recipientOf, sendersOf } from './recipients.js';
import type { Builder, BuildOutcome, InboundLookup, OutboundKind } from './types.js';

export interface OutboundSourceOptions {
  client: OdooClient;
  /** The partners as loaded now (the directory may be reloaded). */
  partners(): readonly Partner[];
  inbound: InboundLookup;
  builders: readonly Builder<OutboundKind>[];
  cacheSeconds?: number;
}

export type SourceBuild =
  | { skipped: string }
  | { partner: Partner; outcome: Exclude<BuildOutcome<OutboundKind>, { skipped: string }> };

export interface ChangedRecord {
  id: number;
  writeDate: string;
}

export interface OdooOutboundSource {
  /** The kinds some partner receives, with their models: what webhooks and the poller look at. */
  sentKinds(): Array<{ kind: OutboundKind; model: string }>;
  /** The kinds a record of `model` may trigger. */
  kindsOf(model: string): OutboundKind[];
  /** Reads the record afresh and builds its document (or says why not). */
  build(kind: OutboundKind, recordId: number): Promise<SourceBuild>;
  /** Records of the kind's model in its triggering state written at or after `since` (oldest first). */
  changedSince(kind: OutboundKind, since: string | undefined, limit: number): Promise<ChangedRecord[]>;
}

export function odooOutboundSource(options: OutboundSourceOptions): OdooOutboundSource {
  const byKind = new Map(options.builders.map((b) => [b.kind, b]));
  const cache = masterDataCache({ seconds: options.cacheSeconds ?? DEFAULT_CACHE_SECONDS });
  const schemaOnce = odooSchemaOnce(options.client);
  const builderOf = (kind: OutboundKind) => {
    const b = byKind.get(kind);
    if (!b) throw new RangeError(`no outbound builder for ${kind}`);
    return b;
  };
  const sentKinds = () => [...byKind.values()].filter((b) => sendersOf(options.partners(), b.kind).length > 0).map((b) => ({ kind: b.kind, model: b.model }));

  return {
    sentKinds,
    kindsOf: (model) => sentKinds().filter((k) => k.model === model).map((k) => k.kind),
    async build(kind, recordId) {
      const builder = builderOf(kind);
      const [record] = await options.client.read(builder.model, [recordId], [builder.partnerField]);
      if (!record) return { skipped: `${builder.model} ${recordId} does not exist (deleted?)` };
      const contactId = idOf(record[builder.partnerField]);
      if (!contactId) return { skipped: `${builder.model} ${recordId} has no ${builder.partnerField}` };
      const partner = await recipientOf(options.client, cache.forPosting(false), options.partners(), kind, contactId);
      if (!partner) return { skipped: `no partner file sends ${kind} to res.partner ${contactId} (documents.outbound and odoo.partner)` };
      const outcome = await builder.build({
        client: options.client,
        schema: await schemaOnce(),
        partnerCode: partner.code,
        partnerName: partner.name,
        partnerFile: partnerFileLabel(partner),
        settings: odooSettingsOf(partner.odoo!),
        inbound: options.inbound,
        ...(partner.documents.rules?.[kind] ? { rules: partner.documents.rules[kind] } : {}),
      }, recordId);
      return 'skipped' in outcome ? outcome : { partner, outcome };
    },
    async changedSince(kind, since, limit) {
      const builder = builderOf(kind);
      const domain = [...builder.triggerDomain(await schemaOnce()), ...(since ? [['write_date', '>=', since]] : [])];
      const rows = await options.client.searchRead(builder.model, domain, { fields: ['id', 'write_date'], order: 'write_date asc, id asc', limit });
      return rows.map((r) => ({ id: r.id, writeDate: String(r['write_date']) }));
    },
  };
}
