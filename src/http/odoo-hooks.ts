// POST /hooks/odoo/<token>: the webhooks of Odoo automation rules ("Send Webhook Notification").
// Odoo signs nothing and sends no auth header, so the path's secret token (ODOO_WEBHOOK_TOKEN) both
// names the Odoo source and authenticates it: compared in constant time; a wrong one gets 404 like
// any unknown path (and a log line without the token). The body is only a hint: Odoo 18 posts before
// its transaction commits, several times per record, and never retries (docs/odoo.md#webhooks). So
// it only queues a build a few seconds later, which reads the record afresh; the poller catches what
// never came.
import { sameSecret } from '../auth/tokens.js';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';

export interface OdooHookOptions {
  /** The configured token (read at each request: a rotated secret applies at once). */
  token(): string | undefined;
  /** Queues the builds a record of `model` may need; how many. */
  queue(model: string, recordId: number): Promise<number>;
  log: Logger;
}

const HookBody = z.object({ _model: z.string().min(1), _id: z.coerce.number().int().positive() });

export function odooHookRoutes(options: OdooHookOptions): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { token: string } }>('/hooks/odoo/:token', async (request, reply) => {
      const expected = options.token();
      if (!expected || !sameSecret(request.params.token, expected)) {
        options.log.warn({ ip: request.ip }, 'Odoo webhook with an unknown token refused (ODOO_WEBHOOK_TOKEN)');
        return reply.status(404).send({ error: 'not found' });
      }
      const body = HookBody.safeParse(request.body);
      if (!body.success) {
        options.log.warn({ error: body.error.issues[0]?.message }, 'Odoo webhook without _model and _id ignored');
        return reply.status(400).send({ error: 'the body must carry _model and _id (an automation rule\'s "Send Webhook Notification")' });
      }
      try {
        const queued = await options.queue(body.data._model, body.data._id);
        options.log.debug({ model: body.data._model, id: body.data._id, queued }, 'Odoo webhook');
        return await reply.status(202).send({ queued });
      } catch (error) {
        // Answered here, not by the server's error handler, which logs the URL: it holds the token.
        options.log.warn({ model: body.data._model, id: body.data._id, error: error instanceof Error ? error.message : String(error) }, 'Odoo webhook not queued (the poller finds the record later)');
        return reply.status(503).send({ error: 'not queued now; the gateway finds the record at its next poll' });
      }
    });
  };
}
