// The gateway's Odoo target from the environment: ODOO_URL & co. set -> postings go to that Odoo,
// with the partner directory's settings and the store's product mapping; unset -> undefined (the
// gateway keeps its recording target).
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

/**
 * The source of outbound documents (src/odoo/builders) on the same Odoo, or undefined without
 * ODOO_URL. `inbound`: what the store knows of the orders the documents answer.
 */
export function odooOutboundFromEnv(env: NodeJS.ProcessEnv, deps: { partners: Pick<PartnerDirectory, 'all'>; inbound: InboundLookup }): OdooOutboundSource | undefined {
  const options = odooOptionsFromEnv(env);
  if (!options) return undefined;
  const cacheSeconds = odooCacheSecondsFromEnv(env);
  return odooOutboundSource({
    client: createOdooClient(options), partners: () => deps.partners.all(), inbound: deps.inbound, builders: OUTBOUND_BUILDERS,
    ...(cacheSeconds !== undefined ? { cacheSeconds } : {}),
  });
}

export function odooTargetFromEnv(env: NodeJS.ProcessEnv, deps: { db: Database; partners: Pick<PartnerDirectory, 'get'>; log: Logger; partnersDir?: string }): OdooTarget | undefined {
  const options = odooTargetOptionsFromEnv(env, deps);
  const client = odooOptionsFromEnv(env);
  if (!options || !client) return undefined;
  deps.log.info({ odoo: client.url, db: client.db, user: client.username, api: client.api ?? 'auto' }, 'posting to Odoo');
  return odooTarget(options);
}

/** Dry runs of postings (dry-run.ts) with the same Odoo and settings as the target; undefined without ODOO_URL. */
export function odooRehearsalFromEnv(env: NodeJS.ProcessEnv, deps: { db: Database; partners: Pick<PartnerDirectory, 'get'>; log: Logger; partnersDir?: string }): { client: OdooClient; rehearse: (req: PostRequest) => Promise<PostingRehearsal> } | undefined {
  const options = odooTargetOptionsFromEnv(env, deps);
  return options && { client: options.client, rehearse: odooRehearsal(options) };
}

function odooTargetOptionsFromEnv(env: NodeJS.ProcessEnv, deps: { db: Database; partners: Pick<PartnerDirectory, 'get'>; log: Logger; partnersDir?: string }): OdooTargetOptions | undefined {
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
