// /healthz and /readyz over a real socket, and the readiness checks of the store and the pipeline.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes, type ReadinessCheck } from '../../src/http/health.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { workersReadiness } from '../../src/jobs/readiness.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createPool, databaseOf } from '../../src/store/database.js';
import { databaseReadiness } from '../../src/store/readiness.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(checks: ReadinessCheck[]): Promise<string> {
  const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
  server.register(healthRoutes(checks));
  servers.push(server);
  return (await server.listen()).url;
}

const ok = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

describe('health routes', () => {
  it('/healthz answers while the process runs; /readyz is 200 when every check passes', async () => {
    const url = await serve([ok('database'), ok('workers')]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', pid: process.pid });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', workers: 'ok' } });
  });

  it('/readyz is 503 with the reason of each failing check, a thrown error and a check that hangs', { timeout: 10_000 }, async () => {
    const url = await serve([
      ok('gateway'),
      { name: 'database', check: async () => 'the database does not answer' },
      { name: 'workers', check: () => Promise.reject(new Error('boom')) },
      { name: 'slow', check: () => new Promise(() => undefined) },
    ]);
    const started = Date.now();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      checks: { gateway: 'ok', database: 'the database does not answer', workers: 'boom', slow: 'no answer within 2000 ms' },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('/readyz shows an informational check (the posting target down) and stays 200', async () => {
    const url = await serve([ok('database'), { name: 'posting target', informational: true, check: async () => 'odoo is down: circuit breaker open' }]);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', 'posting target': 'odoo is down: circuit breaker open' } });
  });

  it('an unknown path is 404; a taken port is a clear error naming HTTP_PORT', async () => {
    const url = await serve([]);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = createHttpServer({ host: '127.0.0.1', port, log: silentLogger });
      await expect(server.listen()).rejects.toMatchObject({ code: 'HTTP_LISTEN_FAILED', message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*HTTP_PORT`)) });
      await server.close();
    } finally {
      blocker.close();
    }
  });

  it('closing stops new connections', async () => {
    const server = createHttpServer({ host: '127.0.0.1', port: 0, log: silentLogger });
    server.register(healthRoutes([]));
    const { url } = await server.listen();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('readiness checks', () => {
  it('database: ready on a migrated schema; names the schema that is behind; says when the server does not answer', async () => {
    expect(await databaseReadiness(db).check()).toBeUndefined();
    const unmigrated = databaseOf(db.pool, db.url, `${db.schema}_never`);
    expect(await databaseReadiness(unmigrated).check()).toMatch(new RegExp(`schema ${db.schema}_never is at migration 0; this gateway needs \\d+`));
    // A port nobody listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const deadUrl = `postgres://nobody@127.0.0.1:${port}/none`;
    const dead = databaseOf(createPool(deadUrl, 1, silentLogger), deadUrl, db.schema);
    try {
      expect(await databaseReadiness(dead).check()).toMatch(/^the database does not answer: .*ECONNREFUSED/);
    } finally {
      await dead.close();
    }
  });

  it('workers: ready while the loops fetch; otherwise says why', async () => {
    const status = (s: ReturnType<Parameters<typeof workersReadiness>[0]['status']>) => workersReadiness({ status: () => s }).check();
    expect(await status({ workers: 'running', failing: {} })).toBeUndefined();
    expect(await status({ workers: 'none', failing: {} })).toBe('no stage workers run in this process');
    expect(await status({ workers: 'stopping', failing: {} })).toBe('stopping');
    expect(await status({ workers: 'running', failing: { 'edi-post': 'connection refused' } })).toBe('cannot fetch jobs: edi-post: connection refused');
  });
});
