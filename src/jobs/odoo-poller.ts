// The Odoo poller: the safety net for webhooks Odoo lost, sent too early or never sent (Odoo 16,
// plans without automation rules). For each kind some partner receives, it asks for the records in
// the triggering state written since its cursor (minus an overlap: write_date is the start of the
// writing transaction, and a transaction that began earlier may commit later), queues a job for
// those without a document of that version yet, and moves the cursor. The same sweep marks what
// waited too long for its 997/999 `ack-overdue`.
import type { Logger } from '../logging/logger.js';
import type { OdooOutboundSource } from '../odoo/builders/source.js';
import { getOdooCursor, knownOutboundVersions, setOdooCursor } from '../store/outbound-documents-repo.js';
import type { Database } from '../store/database.js';
import { markAcksOverdue } from './reconcile.js';
import type { JobQueue, OutboundJobData } from './queues.js';

export interface PollerOptions {
  /** Between looks (ODOO_POLL_SECONDS, default 60). */
  intervalMs: number;
  /** How far before the cursor each look starts again (default 300 s). */
  overlapSeconds?: number;
  /** Records read per look and kind (more are read by the next look at once). */
  batch?: number;
  now?: () => Date;
}

export interface PollContext {
  db: Database;
  queue: Pick<JobQueue, 'enqueue'>;
  source: OdooOutboundSource;
  log: Logger;
}

/** A time as Odoo writes write_date: '2026-12-07 10:15:02', UTC, whole seconds. */
const odooTime = (at: Date): string => at.toISOString().slice(0, 19).replace('T', ' ');

/** Odoo's write_date minus `seconds`, in the same form. */
export function odooTimeMinus(writeDate: string, seconds: number): string {
  return odooTime(new Date(Date.parse(`${writeDate.replace(' ', 'T').slice(0, 19)}Z`) - seconds * 1000));
}

async function startCursor(ctx: PollContext, model: string, kind: string, now: Date): Promise<string> {
  const at = odooTime(now);
  await setOdooCursor(ctx.db, model, kind, at);
  return at;
}

/** One look at every kind: the jobs queued per kind. */
export async function pollOdoo(ctx: PollContext, options: Omit<PollerOptions, 'intervalMs'> = {}): Promise<Record<string, number>> {
  const overlap = options.overlapSeconds ?? 300;
  const batch = options.batch ?? 200;
  const now = (options.now ?? (() => new Date()))();
  const queued: Record<string, number> = {};
  for (const { kind, model } of ctx.source.sentKinds()) {
    // No cursor yet: from now on. Records confirmed before the gateway first looked are history, not
    // news: sending them all (every confirmed order's 855) would surprise partners; a person builds one
    // with `edi outbound build`.
    const cursor = (await getOdooCursor(ctx.db, model, kind)) ?? (await startCursor(ctx, model, kind, now));
    const since = odooTimeMinus(cursor, overlap);
    const changed = await ctx.source.changedSince(kind, since, batch);
    if (!changed.length) continue;
    const known = await knownOutboundVersions(ctx.db, { model, setId: kind, recordIds: changed.map((c) => c.id) });
    const due = changed.filter((c) => {
      const k = known.get(c.id);
      // A held record changed may build now; a built one changed may replace its undelivered version (outbound.ts).
      return !k || ((k.state === 'held' || k.state === 'built') && k.sourceVersion !== c.writeDate);
    });
    const jobs: OutboundJobData[] = due.map((c) => ({ stage: 'outbound', model, recordId: c.id, kind, via: 'poll' }));
    if (jobs.length) await ctx.queue.enqueue(ctx.db, jobs);
    queued[kind] = jobs.length;
    await setOdooCursor(ctx.db, model, kind, changed[changed.length - 1]!.writeDate);
  }
  await markAcksOverdue(ctx.db, now);
  return queued;
}

/** Looks every intervalMs until stopped; a failed look is logged and the next one tries again. */
export function startOdooPoller(ctx: PollContext, options: PollerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const look = async () => {
    try {
      const queued = await pollOdoo(ctx, options);
      if (Object.values(queued).some((n) => n > 0)) ctx.log.info({ queued }, 'Odoo poll queued outbound builds');
    } catch (error) {
      ctx.log.warn({ error: error instanceof Error ? error.message : String(error) }, 'Odoo poll failed; the next look tries again');
    }
  };
  const loop = () => {
    if (stopped) return;
    running = look().finally(() => {
      if (!stopped) timer = setTimeout(loop, options.intervalMs);
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
