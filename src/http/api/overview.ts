// GET /api/dashboard and GET /api/partners: the data of the console's dashboard and partners pages
// (the same reads: src/store/dashboard-repo.ts, the partner directory), for scripts.
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import type { PartnerDirectory, Secret } from '../../partners/types.js';
import { listPartnerHealth, readDashboard, type Conn } from '../../store/index.js';

export interface OverviewApiOptions {
  db: Conn;
  partners: PartnerDirectory;
  now(): Date;
  access: { read: preHandlerHookHandler };
}

/** A partner as loaded, each secret replaced by where it is read from (never its value). */
export function partnerForDisplay(p: ReturnType<PartnerDirectory['all']>[number]): Record<string, unknown> {
  const t = p.transport;
  const secrets = t.type === 'sftp'
    ? Object.fromEntries((['password', 'privateKey', 'passphrase'] as const).filter((k) => t[k]).map((k) => [k, { from: (t[k] as Secret).source, ref: (t[k] as Secret).ref }]))
    : {};
  // Secrets are not enumerable on a Partner: JSON leaves them out, and `secrets` says where they live.
  return { ...JSON.parse(JSON.stringify(p)), secrets };
}

export function overviewApi(options: OverviewApiOptions): FastifyPluginAsync {
  const { db } = options;
  return async (app) => {
    app.get('/api/dashboard', {
      preHandler: options.access.read,
      schema: {
        summary: 'what the dashboard shows: documents by partner and state (today, 7 days), waiting for a person, partner health, acknowledgments overdue, failed deliveries, partners out of service',
        tags: ['overview'],
        response: { 200: { description: 'the dashboard', type: 'object', additionalProperties: true } },
      },
    }, async () => {
      const [dashboard, health] = await Promise.all([readDashboard(db, options.now()), listPartnerHealth(db)]);
      return { ...dashboard, health, outOfService: options.partners.broken?.() ?? [] };
    });

    app.get('/api/partners', {
      preHandler: options.access.read,
      schema: {
        summary: 'the partners as loaded (secrets only as where they are read from), their health, and the partner files out of service',
        tags: ['overview'],
        response: { 200: { description: 'the partners', type: 'object', additionalProperties: true } },
      },
    }, async () => ({
      partners: options.partners.all().map(partnerForDisplay),
      health: await listPartnerHealth(db),
      outOfService: options.partners.broken?.() ?? [],
    }));
  };
}
