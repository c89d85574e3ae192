// GET /api/dashboard and GET /api/partners: the data of the console's dashboard and partners pages
// (the same reads: src/store/dashboard-repo.ts, the partner directory), for scripts.
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import { certificateFacts } from '../../partners/as2-keys.js';
import type { PartnerDirectory, Secret } from '../../partners/types.js';
import { listPartnerHealth, readDashboard, type Conn } from '../../store/index.js';

export interface OverviewApiOptions {
  db: Conn;
  partners: PartnerDirectory;
  now(): Date;
  access: { read: preHandlerHookHandler };
}

/** A partner as loaded, each secret replaced by where it is read from (never its value). */
export function partnerForDisplay(p: ReturnType<PartnerDirectory['all']>[number], now = new Date()): Record<string, unknown> {
  const t = p.transport;
  const from = (s: Secret) => ({ from: s.source, ref: s.ref });
  const secrets = t.type === 'sftp'
    ? Object.fromEntries((['password', 'privateKey', 'passphrase'] as const).filter((k) => t[k]).map((k) => [k, from(t[k]!)]))
    : t.type === 'as2'
      ? Object.fromEntries((['privateKey', 'passphrase', 'pkcs12', 'password'] as const).filter((k) => t.ourKeys[k]).map((k) => [`as2.${k}`, from(t.ourKeys[k]!)]))
      : {};
  // Secrets are not enumerable on a Partner: JSON leaves them out, and `secrets` says where they live.
  const shown = JSON.parse(JSON.stringify(p)) as Record<string, unknown> & { transport: Record<string, unknown> };
  if (t.type === 'as2') {
    // Certificates as the facts people check (expiry first); ours also as PEM, to give to the partner.
    const ours = t.ourKeys.certificates[0];
    shown.transport.certificates = t.certificates.map((c) => certificateFacts(c, now));
    shown.transport.ourKeys = {
      ...(shown.transport.ourKeys as object),
      certificates: t.ourKeys.certificates.map((c) => certificateFacts(c, now)),
      ...(ours ? { certificatePem: ours.toString() } : {}),
    };
  }
  return { ...shown, secrets };
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
      partners: options.partners.all().map((p) => partnerForDisplay(p, options.now())),
      health: await listPartnerHealth(db),
      outOfService: options.partners.broken?.() ?? [],
    }));
  };
}
