// No secret reaches a log line: each kind (SFTP password, key passphrase, private key, Odoo API key,
// webhook token, metrics token, API token, session cookie, CSRF token, the password of DATABASE_URL)
// goes through the gateway's logger in both formats, as a field and inside messages and errors of
// the real failing paths (Odoo refusing the key, an SFTP login refused, webhooks with the token in
// their path, a database that cannot be reached), and the output holds none of them.
// docs/observability.md#what-never-reaches-a-log-line
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliLogger } from '../../src/cli/log.js';
import { messageOf } from '../../src/errors/failure.js';
import { createHttpServer } from '../../src/http/server.js';
import { odooHookRoutes } from '../../src/http/odoo-hooks.js';
import { relevel, type Logger } from '../../src/logging/logger.js';
import { secretScrubber, secretsOfEnv } from '../../src/logging/redact.js';
import { createOdooClient } from '../../src/odoo/client/client.js';
import { openDatabase } from '../../src/store/database.js';
import { createSftpPoller } from '../../src/transports/sftp/poller.js';
import { startOdooDouble, type OdooDouble } from '../odoo-double/index.js';
import { useTestDatabase } from '../support/db.js';
import { startSftpServer, type TestSftpServer } from '../support/sftp-server.js';
import { sftpPartner } from '../transports/sftp/support.js';

const db = useTestDatabase();

/** The environment of a gateway with every kind of secret set. */
const ENV = {
  ODOO_API_KEY: 'odoo-key-7d2f9c1e5a',
  ODOO_WEBHOOK_TOKEN: 'hook-token-Q8xZ3vLm',
  METRICS_TOKEN: 'metrics-token-Hn4Kp2',
  ACME_SFTP_PASSWORD: 'sftp-pass-Wq93#x!',
  ACME_KEY_PASSPHRASE: 'passphrase-J7&rT0',
  DATABASE_URL: 'postgres://edi:db-pass-Zk81%40y@127.0.0.1:1/edi',
  LOG_FORMAT: 'json',
};
/** Secrets that reach the process other than through its environment, caught by the redact paths. */
const OTHERS = {
  privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-private-body\n-----END OPENSSH PRIVATE KEY-----',
  apiToken: 'edi_tok_3b9c1f0e2d7a',
  sessionCookie: 'session-value-a81c44',
  csrfToken: 'csrf-value-5be20d',
};
const DB_PASSWORD = 'db-pass-Zk81@y';
const SECRETS = [...Object.entries(ENV).filter(([k]) => k !== 'LOG_FORMAT' && k !== 'DATABASE_URL').map(([, v]) => v), DB_PASSWORD, ...Object.values(OTHERS)];

interface Captured {
  log: Logger;
  out: string[];
}

/** The gateway's logger as `edi start` builds it, in one format, at debug level, writing into `out`. */
function gatewayLogger(format: 'json' | 'pretty'): Captured {
  const out: string[] = [];
  const log = cliLogger({ format, level: 'debug', write: (line) => void out.push(line), secrets: secretsOfEnv(ENV) });
  return { log, out };
}

const loggers = () => [gatewayLogger('json'), gatewayLogger('pretty')];

function expectNoSecret(out: readonly string[]): void {
  const text = out.join('');
  expect(text.length).toBeGreaterThan(0);
  for (const secret of SECRETS) {
    expect(text, `secret ${secret} leaked`).not.toContain(secret);
    // Nor any recognisable part of a multi-line key.
    for (const part of secret.split('\n')) if (part.length > 12) expect(text).not.toContain(part);
  }
}

let double: OdooDouble;
let sftp: TestSftpServer;
beforeAll(async () => {
  double = await startOdooDouble({ version: 18 });
  sftp = await startSftpServer({ password: ENV.ACME_SFTP_PASSWORD });
});
afterAll(async () => {
  await sftp?.close();
  await double?.close();
});

describe('the secrets of the environment', () => {
  it('are the variables named like secrets and the password of a URL; short values are left alone', () => {
    expect(secretsOfEnv(ENV).sort()).toEqual([ENV.ACME_KEY_PASSPHRASE, ENV.ACME_SFTP_PASSWORD, DB_PASSWORD, ENV.METRICS_TOKEN, ENV.ODOO_API_KEY, ENV.ODOO_WEBHOOK_TOKEN].sort());
    expect(secretsOfEnv({ X_TOKEN: 'abc', HOME: '/root' })).toEqual([]);
    // Cut in every form a line may hold it: as is, JSON-escaped, URL-encoded.
    const scrub = secretScrubber(['a"b/c d']);
    expect(scrub('x a"b/c d y a\\"b/c d z a%22b%2Fc%20d')).toBe('x [redacted] y [redacted] z [redacted]');
  });
});

describe('no secret in a log line', () => {
  it('as fields under their own names, at the top and nested, also through child and re-levelled loggers', () => {
    for (const { log, out } of loggers()) {
      const fields = {
        password: ENV.ACME_SFTP_PASSWORD, passphrase: ENV.ACME_KEY_PASSPHRASE, privateKey: OTHERS.privateKey, apiKey: ENV.ODOO_API_KEY,
        token: OTHERS.apiToken, webhookToken: ENV.ODOO_WEBHOOK_TOKEN, csrfToken: OTHERS.csrfToken, cookie: `edi_session=${OTHERS.sessionCookie}`,
        authorization: `Bearer ${ENV.METRICS_TOKEN}`,
      };
      log.info(fields, 'top level');
      log.child({ component: 'x' }).warn({ transport: fields, headers: { cookie: `edi_session=${OTHERS.sessionCookie}`, authorization: `Bearer ${OTHERS.apiToken}`, 'set-cookie': OTHERS.sessionCookie, 'x-csrf-token': OTHERS.csrfToken } }, 'nested');
      relevel(log.child({ component: 'y' }), () => 'error').info({ config: { apiKey: ENV.ODOO_API_KEY, password: ENV.ACME_SFTP_PASSWORD } }, 'relevelled');
      expectNoSecret(out);
      expect(out.join('')).toContain('[redacted]');
    }
  });

  it('inside messages and free text: a webhook URL, a database URL, a header quoted by a library', () => {
    for (const { log, out } of loggers()) {
      log.warn({ url: `http://gateway:8080/hooks/odoo/${ENV.ODOO_WEBHOOK_TOKEN}` }, `install the webhook at /hooks/odoo/${ENV.ODOO_WEBHOOK_TOKEN}`);
      log.error({ error: `connect ECONNREFUSED ${ENV.DATABASE_URL}` }, `database ${ENV.DATABASE_URL} away`);
      log.info({ note: `scrape with Bearer ${ENV.METRICS_TOKEN}; key ${ENV.ODOO_API_KEY}; pass ${ENV.ACME_KEY_PASSPHRASE}` }, 'free text');
      expectNoSecret(out);
    }
  });

  it('when Odoo refuses the API key, and when it cannot be reached', { timeout: 30_000 }, async () => {
    for (const { log, out } of loggers()) {
      const client = createOdooClient({ url: double.url, db: double.dbName, username: double.login, apiKey: ENV.ODOO_API_KEY, api: 'jsonrpc' });
      const refused = await client.searchRead('res.partner', [], { limit: 1 }).catch((e: unknown) => e as Error & { details?: unknown });
      expect(refused).toBeInstanceOf(Error);
      log.error({ error: messageOf(refused), details: (refused as { details?: unknown }).details, stack: (refused as Error).stack }, 'posting failed');
      const away = createOdooClient({ url: 'http://127.0.0.1:1', db: 'x', username: 'u', apiKey: ENV.ODOO_API_KEY, version: 18, timeoutMs: 2000 });
      const unreachable = await away.search('res.partner', []).catch((e: unknown) => e as Error);
      log.error({ error: messageOf(unreachable), stack: (unreachable as Error).stack }, 'Odoo away');
      expectNoSecret(out);
    }
  });

  it('when an SFTP login is refused (wrong password) and when a key passphrase is wrong', { timeout: 30_000 }, async () => {
    for (const { log, out } of loggers()) {
      const poller = createSftpPoller({ db, log, intake: async () => { throw new Error('not called'); } });
      const wrong = await poller.poll(sftpPartner(sftp, { code: `w${out.length}${Math.random().toString(36).slice(2, 6)}`, password: `${ENV.ACME_SFTP_PASSWORD}-old` }), { force: true });
      expect(wrong.outcome).toBe('failed');
      log.error({ error: wrong.error }, 'poll result');
      const keyed = await poller.poll(sftpPartner(sftp, { code: `k${Math.random().toString(36).slice(2, 8)}`, auth: 'key', privateKey: OTHERS.privateKey, passphrase: ENV.ACME_KEY_PASSPHRASE }), { force: true });
      expect(keyed.outcome).toBe('failed');
      log.error({ error: keyed.error }, 'poll result');
      expectNoSecret(out);
    }
  });

  it('for webhooks that carry the token in their path: right, wrong, failing, and a server error', async () => {
    for (const { log, out } of loggers()) {
      const server = createHttpServer({ host: '127.0.0.1', port: 0, log });
      let fail = false;
      server.register(odooHookRoutes({ token: () => ENV.ODOO_WEBHOOK_TOKEN, queue: async () => { if (fail) throw new Error(`queue down for /hooks/odoo/${ENV.ODOO_WEBHOOK_TOKEN}`); return 1; }, log }));
      server.register(async (app) => {
        app.get('/hooks/odoo/:token/boom', async () => {
          throw new Error('handler broke');
        });
      });
      const { url } = await server.listen();
      try {
        const post = (token: string, body: unknown) => fetch(`${url}/hooks/odoo/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect((await post(ENV.ODOO_WEBHOOK_TOKEN, { _model: 'sale.order', _id: 1 })).status).toBe(202);
        expect((await post(`${ENV.ODOO_WEBHOOK_TOKEN}x`, { _model: 'sale.order', _id: 1 })).status).toBe(404);
        expect((await post(ENV.ODOO_WEBHOOK_TOKEN, {})).status).toBe(400);
        fail = true;
        expect((await post(ENV.ODOO_WEBHOOK_TOKEN, { _model: 'sale.order', _id: 1 })).status).toBe(503);
        expect((await fetch(`${url}/hooks/odoo/${ENV.ODOO_WEBHOOK_TOKEN}/boom`)).status).toBe(500);
      } finally {
        await server.close();
      }
      // The server logged each request (debug) and the failure (error): by route, never by URL.
      expect(out.join('')).toContain('http request failed');
      expectNoSecret(out);
    }
  });

  it('when the database of DATABASE_URL cannot be reached', { timeout: 30_000 }, async () => {
    for (const { log, out } of loggers()) {
      const error = await openDatabase({ databaseUrl: ENV.DATABASE_URL, log, schema: 'edi' }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      log.error({ error: messageOf(error), stack: (error as Error).stack }, `cannot open ${ENV.DATABASE_URL}`);
      expectNoSecret(out);
    }
  });
});
