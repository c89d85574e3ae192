// Follows the events table and logs one line per state change, so a person running `edi start`
// sees each file and document move (received -> split, parsed -> validated -> mapped -> posted).
// Reading the table (not the workers' own logs) shows what every gateway process on the database did.
import type { Logger } from '../jobs/ports.js';
import type { Conn } from '../store/index.js';
import { tableIn } from '../store/identifiers.js';

export interface TailedEvent {
  id: number;
  fileId: number | null;
  documentId: number | null;
  stage: string;
  actor: string;
  fromState: string | null;
  toState: string | null;
  message: string;
  setId: string | null;
  controlNumber: string | null;
  sourceName: string | null;
}

// TODO(store): belongs in src/store/sql/events.ts as a plan (eventsSince); kept here until the store has it.
function eventsSincePlan(schema: string, afterId: number, limit: number) {
  return {
    text: `SELECT e.id, e.file_id, e.document_id, e.stage, e.actor, e.from_state, e.to_state, e.message,
                  d.set_id, d.control_number, f.source_name
           FROM ${tableIn(schema, 'events')} e
           LEFT JOIN ${tableIn(schema, 'documents')} d ON d.id = e.document_id
           LEFT JOIN ${tableIn(schema, 'files')} f ON f.id = coalesce(e.file_id, d.file_id)
           WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
    values: [afterId, limit],
  };
}

export async function eventsSince(db: Conn, afterId: number, limit = 1000): Promise<TailedEvent[]> {
  const plan = eventsSincePlan(db.schema, afterId, limit);
  const { rows } = await db.query(plan.text, plan.values);
  return rows.map((r) => ({
    id: Number(r.id),
    fileId: r.file_id === null ? null : Number(r.file_id),
    documentId: r.document_id === null ? null : Number(r.document_id),
    stage: String(r.stage),
    actor: String(r.actor),
    fromState: r.from_state ?? null,
    toState: r.to_state ?? null,
    message: String(r.message),
    setId: r.set_id ?? null,
    controlNumber: r.control_number ?? null,
    sourceName: r.source_name ?? null,
  }));
}

export async function lastEventId(db: Conn): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>(`SELECT max(id) AS id FROM ${tableIn(db.schema, 'events')}`);
  return Number(rows[0]?.id ?? 0);
}

/** The log line of one event: what changed, where, and the event's own message. */
export function describeEvent(e: TailedEvent): { details: Record<string, unknown>; message: string } {
  const change = e.toState ? `${e.fromState ?? 'new'} -> ${e.toState}` : e.message;
  const details: Record<string, unknown> = { stage: e.stage };
  if (e.actor !== 'system') details.actor = e.actor;
  if (e.sourceName) details.file = e.sourceName;
  if (e.toState && e.message) details.note = e.message;
  const what = e.documentId !== null
    ? `document ${e.documentId}${e.setId ? ` ${e.setId}` : ''}${e.controlNumber ? `/${e.controlNumber}` : ''}`
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
