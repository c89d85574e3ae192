// Follows the events table and logs one line per state change, so a person running `edi start`
// sees each file and document move (received -> split, parsed -> validated -> mapped -> posted).
// Reading the table (not the workers' own logs) shows what every gateway process on the database did.
import type { Logger } from '../logging/logger.js';
import { eventsSince, type Conn, type TailedEvent } from '../store/index.js';

export { lastEventId } from '../store/index.js';

/**
 * The log line of one event: what changed, where, and the event's own message. Its ids (file,
 * interchange, document, outbound document) and partner are fields of the line, so that one id
 * greps a document's whole story with LOG_FORMAT=json (docs/observability.md#logs).
 */
export function describeEvent(e: TailedEvent): { details: Record<string, unknown>; message: string } {
  const change = e.toState ? `${e.fromState ?? 'new'} -> ${e.toState}` : e.message;
  const details: Record<string, unknown> = { stage: e.stage };
  if (e.actor !== 'system') details.actor = e.actor;
  if (e.sourceName) details.file = e.sourceName;
  if (e.toState && e.message) details.note = e.message;
  const partner = e.filePartner ?? e.outboundPartner;
  if (partner) details.partner = partner;
  if (e.fileId !== null) details.fileId = e.fileId;
  if (e.interchangeId !== null) details.interchangeId = e.interchangeId;
  if (e.documentId !== null) details.documentId = e.documentId;
  if (e.outboundDocumentId !== null) details.outboundDocumentId = e.outboundDocumentId;
  const set = `${e.setId ? ` ${e.setId}` : ''}${e.controlNumber ? `/${e.controlNumber}` : ''}`;
  const what = e.documentId !== null
    ? `document ${e.documentId}${set}`
    : e.outboundDocumentId !== null
      ? `outbound ${e.outboundDocumentId}${set}${e.outboundPartner ? ` to ${e.outboundPartner}` : ''}`
      : `file ${e.fileId ?? '?'}`;
  return { details, message: `${what}: ${change}` };
}

export interface EventTail {
  /** Logs everything recorded so far (waits for a poll in progress). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startEventTail(db: Conn, log: Logger, options: { afterId: number; intervalMs?: number; gapGraceMs?: number }): EventTail {
  const grace = options.gapGraceMs ?? 3000;
  // Ids come from a sequence but commit in any order: an id missing below the newest may still
  // commit. Read from the first missing id; after `grace` ms treat the gap as a rolled-back insert.
  let after = options.afterId;
  const logged = new Set<number>();
  const missingSince = new Map<number, number>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const advance = () => {
    const now = Date.now();
    const top = Math.max(after, ...logged);
    for (let id = after + 1; id <= top; id++) {
      if (logged.delete(id)) {
        missingSince.delete(id);
        after = id;
        continue;
      }
      const since = missingSince.get(id) ?? now;
      missingSince.set(id, since);
      if (now - since < grace) break;
      missingSince.delete(id);
      after = id;
    }
  };
  const poll = () =>
    (running = running
      .then(async () => {
        for (;;) {
          const events = await eventsSince(db, after);
          let fresh = 0;
          for (const e of events) {
            if (logged.has(e.id)) continue;
            fresh++;
            const { details, message } = describeEvent(e);
            if (e.toState === 'rejected' || e.toState === 'failed') log.warn(details, message);
            else log.info(details, message);
            logged.add(e.id);
          }
          advance();
          if (events.length < 1000 || fresh === 0) return;
        }
      })
      .catch((error: unknown) => {
        // The database may be away for a while: say so, keep going.
        if (!stopped) log.warn({ error: error instanceof Error ? error.message : String(error) }, 'cannot read the event log');
      }));
  const timer = setInterval(() => void poll(), options.intervalMs ?? 250);
  return {
    flush: () => poll(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
