// /healthz: the process is alive and its event loop answers. /readyz: it can do its work now: every
// readiness check of the capabilities passes (database reachable and migrated, stage workers
// running, not stopping); otherwise 503 with each failing check's reason, for a load balancer or
// an orchestrator to route around this process.
import type { FastifyPluginAsync } from 'fastify';

/** One capability's answer to "can you work now?": undefined when it can, else the reason. */
export interface ReadinessCheck {
  readonly name: string;
  /** Shown in /readyz but never makes the process not ready (the posting target being down: files still come in). */
  readonly informational?: boolean;
  check(): Promise<string | undefined>;
}

/** A check that takes longer than this counts as failed (a hung database must not hang /readyz). */
const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes(checks: readonly ReadinessCheck[]): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok', pid: process.pid }));
    app.get('/readyz', async (_request, reply) => {
      const results = await Promise.all(checks.map(async (c) => [c.name, await withTimeout(c)] as const));
      const failing = results.filter(([, reason], i) => reason !== undefined && !checks[i]!.informational);
      const body = { status: failing.length ? 'not ready' : 'ready', checks: Object.fromEntries(results.map(([name, reason]) => [name, reason ?? 'ok'])) };
      return reply.status(failing.length ? 503 : 200).send(body);
    });
  };
}

async function withTimeout(c: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([c.check().catch((error: unknown) => (error instanceof Error ? error.message : String(error)) || 'failed'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
