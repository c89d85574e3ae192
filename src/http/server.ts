// The gateway's HTTP server (fastify). Each capability that serves HTTP owns a plugin under src/http/
// (health, the Odoo webhooks, the console's API, metrics) and the composition root registers
// them; nothing here knows about routes, except GET /api/openapi.json, made of the /api/ routes
// registered (openapi.ts). Requests are logged at debug level through the one logger.
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { GatewayError } from '../errors/failure.js';
import type { Logger } from '../logging/logger.js';
import { isApiRoute, openApiDocument, type ApiRoute } from './openapi.js';

export interface HttpOptions {
  host: string;
  /** 0: any free port (tests). */
  port: number;
  log: Logger;
}

export interface HttpServer {
  /** Registers a capability's routes; before listen() only. */
  register(plugin: FastifyPluginAsync): void;
  /** Resolves once the socket accepts connections, with its address. */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops accepting connections, lets the requests in flight finish, closes idle keep-alive sockets. */
  close(): Promise<void>;
  /** For route tests (fastify's inject). */
  readonly app: FastifyInstance;
}

export function createHttpServer(options: HttpOptions): HttpServer {
  const app = Fastify({ logger: false, forceCloseConnections: 'idle', return503OnClosing: true });
  const log = options.log;
  app.addHook('onResponse', async (request, reply) => {
    log.debug({ method: request.method, url: request.routeOptions.url ?? request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http request');
  });
  app.setErrorHandler(async (error: unknown, request, reply) => {
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    // The route's pattern, not the URL: a path may hold a secret (/hooks/odoo/<token>).
    if (status >= 500) log.error({ method: request.method, url: request.routeOptions.url ?? request.url.split('?')[0], error: error instanceof Error ? error.message : String(error) }, 'http request failed');
    await reply.status(status).send({ error: status >= 500 ? 'internal error' : error instanceof Error ? error.message : String(error) });
  });
  // Every /api/ route with a schema, as registered: the OpenAPI document is made of them (openapi.ts).
  const apiRoutes: ApiRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!isApiRoute(route)) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, schema: route.schema as ApiRoute['schema'] });
  });
  app.get('/api/openapi.json', { schema: { summary: 'this document: the JSON API of the gateway', tags: ['meta'] } }, async () =>
    openApiDocument(apiRoutes, { title: 'EDI gateway API', version: '1' }));
  let closing: Promise<void> | undefined;
  return {
    app,
    register(plugin) {
      void app.register(plugin);
    },
    async listen() {
      try {
        await app.listen({ host: options.host, port: options.port });
      } catch (error) {
        throw new GatewayError('HTTP_LISTEN_FAILED', `cannot serve HTTP on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)} (set HTTP_HOST / HTTP_PORT)`, { host: options.host, port: options.port }, { cause: error });
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      log.info({ url: `http://${host}:${port}` }, 'serving HTTP');
      return { url: `http://${host}:${port}`, port };
    },
    close: () => (closing ??= app.close()),
  };
}
