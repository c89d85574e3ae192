// The OpenAPI document of the JSON API, built from the routes themselves: every route under /api/
// declares its parameters and answers as fastify JSON schemas, the server collects them as they are
// registered (server.ts), and GET /api/openapi.json serves what was collected. So the document
// cannot list a route that does not exist nor miss one that does (test/http/openapi.test.ts).
import type { RouteOptions } from 'fastify';

// What an /api/ route says about itself beside its JSON schemas (OpenAPI's operation fields).
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
  }
}

export interface ApiRoute {
  method: string;
  /** fastify's form: /api/documents/:id */
  url: string;
  schema: {
    summary?: string;
    description?: string;
    tags?: string[];
    params?: JsonSchema;
    querystring?: JsonSchema;
    body?: JsonSchema;
    response?: Record<string, JsonSchema>;
  };
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema & { description?: string }>; required?: string[]; [k: string]: unknown };

/** Whether a route belongs in the document: under /api/, with a schema, not HEAD (fastify adds one per GET). */
export function isApiRoute(route: Pick<RouteOptions, 'url' | 'method' | 'schema'>): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return route.url.startsWith('/api/') && route.schema !== undefined && !methods.every((m) => m === 'HEAD');
}

/** The OpenAPI 3.1 document of `routes`. */
export function openApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = r.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    const parameters = [
      ...parametersOf(r.schema.params, 'path'),
      ...parametersOf(r.schema.querystring, 'query'),
    ];
    const responses = Object.fromEntries(
      Object.entries(r.schema.response ?? { 200: {} }).map(([status, schema]) => [status, {
        description: (schema as { description?: string }).description ?? (status.startsWith('2') ? 'OK' : 'error'),
        content: { 'application/json': { schema } },
      }]),
    );
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      ...(r.schema.summary ? { summary: r.schema.summary } : {}),
      ...(r.schema.description ? { description: r.schema.description } : {}),
      ...(r.schema.tags ? { tags: r.schema.tags } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.schema.body ? { requestBody: { content: { 'application/json': { schema: r.schema.body } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'edi_session' },
        token: { type: 'http', scheme: 'bearer', description: 'an API token: edi users token create NAME' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}

function parametersOf(schema: JsonSchema | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (schema.required ?? []).includes(name),
    ...(s.description ? { description: s.description } : {}),
    schema: Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'description')),
  }));
}
