// GET /api/dashboard and GET /api/partners: what the dashboard and the partners page show, for
// scripts; a partner's secrets only as where they are read from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { newApiToken, secretHash } from '../../src/auth/tokens.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { operationsConsole } from '../../src/http/console.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/logging/logger.js';
import { loadPartners, partnerDirectory } from '../../src/partners/index.js';
import { addApiToken, addUser } from '../../src/store/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const SECRET = 'passphrase-never-shown';
let server: HttpServer;
let token = '';

beforeAll(async () => {
  const loaded = await loadPartners(join(import.meta.dirname, '..', '..', 'partners'), { ACME_KEY_PASSPHRASE: SECRET }, { dataDir: '/srv/data' });
  const partners = partnerDirectory({
    partners: loaded.partners,
    broken: [{ code: 'initech', file: '/srv/partners/initech.yaml', display: 'partners/initech.yaml', errors: [{ file: 'partners/initech.yaml', path: 'identity', message: 'partners/initech.yaml: identity: required' }] }],
  });
  await addUser(db, { username: 'vic', role: 'viewer', passwordHash: await hashPassword('vic password 123', { ln: 10, r: 8, p: 1 }) }, { name: 'test', via: 'cli' });
  token = newApiToken();
  await addApiToken(db, 'vic', { tokenHash: secretHash(token), label: 'test' }, { name: 'test', via: 'cli' });
  server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  const outboundActions = { resend: async () => ({ notFound: true as const }), regenerate: async () => ({ notFound: true as const }) };
  for (const plugin of operationsConsole({ db, partners, log: silentLogger, outboundActions })) server.register(plugin);
  await server.app.ready();
});
afterAll(async () => server?.close());

const get = (url: string, auth = true) => server.app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${token}` } : {} });

describe('overview API', () => {
  it('the dashboard: its sections and the partner files out of service', async () => {
    const r = await get('/api/dashboard');
    expect(r.statusCode).toBe(200);
    const body = r.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['counts', 'waiting', 'waitingTotal', 'overdue', 'failedDeliveries', 'health', 'outOfService']));
    expect(body.outOfService).toEqual([expect.objectContaining({ code: 'initech' })]);
    expect((await get('/api/dashboard', false)).statusCode).toBe(401);
  });

  it('the partners as loaded, each secret only as where it comes from', async () => {
    const r = await get('/api/partners');
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain(SECRET);
    const acme = (r.json() as { partners: Array<{ code: string; secrets: Record<string, unknown> }> }).partners.find((p) => p.code === 'acme-sftp')!;
    expect(acme.secrets).toEqual({ privateKey: { from: 'file', ref: '/etc/edi/acme_ed25519' }, passphrase: { from: 'env', ref: 'ACME_KEY_PASSPHRASE' } });
  });
});
