// The gateway's Odoo from the environment: ODOO_URL & co. set -> postings go to that Odoo, with the
// partner directory's settings and the store's mappings, and its records become outbound documents;
// unset -> undefined (the gateway keeps its recording target and sends nothing from Odoo).
import type { Logger } from '../logging/logger.js';
import type { PartnerDirectory } from '../partners/types.js';
import type { Database } from '../store/database.js';
import { mappedProductCodes } from '../store/product-map-repo.js';
import { mappedMasterData } from '../store/master-data-map-repo.js';
import { createOdooClient, type OdooClient } from './client/client.js';
import { odooRehearsal, type PostingRehearsal } from './dry-run.js';
import type { PostRequest } from '../documents/post-request.js';
import { odooCacheSecondsFromEnv, odooOptionsFromEnv } from './config.js';
import { odooTarget, type OdooTarget, type OdooTargetOptions } from './target.js';
import { OUTBOUND_BUILDERS } from './builders/index.js';
import { odooOutboundSource, type OdooOutboundSource } from './builders/source.js';
import type { InboundLookup } from './builders/types.js';

type OdooDeps = { db: Database; partners: Pick<PartnerDirectory, 'get'>; log: Logger; partnersDir?: string };

/** What the gateway does with the Odoo of ODOO_URL & co.; all three share one client. */
export interface GatewayOdoo {
  /** Postings of received documents. */
  target: OdooTarget;
  /** Dry runs of postings (dry-run.ts): test partners, a replay's rehearsal, the gap searches. */
  rehearsal: { client: OdooClient; rehearse: (req: PostRequest) => Promise<PostingRehearsal> };
  /** The source of outbound documents (src/odoo/builders). */
  outbound: OdooOutboundSource;
}

/**
 * The gateway's Odoo, or undefined without ODOO_URL. One client serves the postings, the dry runs and
 * the outbound builds: one session, one schema cache and one limit on the calls in flight, so
 * ODOO_MAX_CONCURRENT bounds what the whole gateway asks of Odoo at once.
 * `inbound`: what the store knows of the orders outbound documents answer.
 */
export function odooFromEnv(env: NodeJS.ProcessEnv, deps: OdooDeps & { partners: Pick<PartnerDirectory, 'get' | 'all'>; inbound: InboundLookup }): GatewayOdoo | undefined {
  const options = odooTargetOptionsFromEnv(env, deps);
  const client = odooOptionsFromEnv(env);
  if (!options || !client) return undefined;
  deps.log.info({ odoo: client.url, db: client.db, user: client.username, api: client.api ?? 'auto' }, 'posting to Odoo');
  return {
    target: odooTarget(options),
    rehearsal: { client: options.client, rehearse: odooRehearsal(options) },
    outbound: odooOutboundSource({
      client: options.client, partners: () => deps.partners.all(), inbound: deps.inbound, builders: OUTBOUND_BUILDERS,
      ...(options.cacheSeconds !== undefined ? { cacheSeconds: options.cacheSeconds } : {}),
    }),
  };
}

/** Dry runs of postings (dry-run.ts) with the same Odoo and settings as the target, for a command; undefined without ODOO_URL. */
export function odooRehearsalFromEnv(env: NodeJS.ProcessEnv, deps: OdooDeps): GatewayOdoo['rehearsal'] | undefined {
  const options = odooTargetOptionsFromEnv(env, deps);
  return options && { client: options.client, rehearse: odooRehearsal(options) };
}

function odooTargetOptionsFromEnv(env: NodeJS.ProcessEnv, deps: OdooDeps): OdooTargetOptions | undefined {
  const options = odooOptionsFromEnv(env);
  if (!options) return undefined;
  const cacheSeconds = odooCacheSecondsFromEnv(env);
  return {
    client: createOdooClient(options),
    partner: (code) => deps.partners.get(code),
    productMappings: (partner, theirCodes) => mappedProductCodes(deps.db, partner, theirCodes),
    masterDataMappings: (partner, kind, theirCodes) => mappedMasterData(deps.db, partner, kind, theirCodes),
    log: deps.log,
    ...(deps.partnersDir ? { partnersDir: deps.partnersDir } : {}),
    ...(cacheSeconds !== undefined ? { cacheSeconds } : {}),
  };
}
