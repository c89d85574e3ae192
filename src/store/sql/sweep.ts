// Plans over pg-boss's job table (in its own schema; read and written here and nowhere else): the
// sweep's files left 'received' without a job, the jobs still pending, the heartbeat of jobs in
// hand; and one sweeper at a time per schema.
import { checkSchemaName, quoteIdent, tableIn } from '../identifiers.js';
import type { Plan } from './plan.js';

/**
 * Files in 'received' that no job of `queues` (the split queue and the dead-letter queue) waits
 * for or works on. Intake and replay commit a file with its split job, and the split moves the file
 * on before its job completes, so in one snapshot a received file without such a job lost it.
 */
export function filesWithoutJob(schema: string, bossSchema: string, w: { queues: readonly string[]; limit: number }): Plan {
  const jobs = `${quoteIdent(checkSchemaName(bossSchema))}.job`;
  return {
    text: `SELECT f.id FROM ${tableIn(schema, 'files')} f
           WHERE f.state = 'received'
             AND NOT EXISTS (
               SELECT 1 FROM ${jobs} j
               WHERE j.name = ANY($1::text[]) AND j.state < 'completed' AND j.data->>'fileId' = f.id::text)
           ORDER BY f.id LIMIT $2`,
    values: [w.queues, w.limit],
  };
}

/** Jobs of `queues` waiting or being worked on (a state before 'completed'), counted per queue: one statement where pg-boss's getQueueSize takes one per queue. */
export function pendingJobs(bossSchema: string, queues: readonly string[]): Plan {
  const jobs = `${quoteIdent(checkSchemaName(bossSchema))}.job`;
  return {
    text: `SELECT name, count(*)::int AS n FROM ${jobs} WHERE name = ANY($1::text[]) AND state < 'completed' GROUP BY name`,
    values: [[...queues]],
  };
}

/**
 * The heartbeat pg-boss 10 lacks: restarts the expiry clock of jobs this process is still working on
 * (pg-boss expires an active job when started_on + expire_in is past), so a short expiry hands out
 * again only the jobs of a dead process, never a long batch of a live one.
 */
export function touchJobs(bossSchema: string, t: { queue: string; ids: readonly string[] }): Plan {
  const jobs = `${quoteIdent(checkSchemaName(bossSchema))}.job`;
  return {
    text: `UPDATE ${jobs} SET started_on = now() WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
    values: [t.queue, t.ids],
  };
}

/**
 * Jobs of `queue` waiting for a later start (a retry's backoff, a wait for the posting target's next
 * probe) become due now: the posting target answers again, so the documents need not sit out their delays.
 */
export function dueNow(bossSchema: string, queue: string): Plan {
  const jobs = `${quoteIdent(checkSchemaName(bossSchema))}.job`;
  return {
    text: `UPDATE ${jobs} SET start_after = now() WHERE name = $1 AND state IN ('created', 'retry') AND start_after > now()`,
    values: [queue],
  };
}

/** True for one transaction at a time per schema (released at its end): one process sweeps, the others skip the round. */
export function trySweepLock(schema: string): Plan {
  return { text: `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, values: [`edi.sweep:${checkSchemaName(schema)}`] };
}

/**
 * An index in pg-boss's schema that serves its fetch (`ORDER BY priority DESC, created_on, id LIMIT n`
 * over a queue's waiting jobs) in the order it asks for: pg-boss's own index (name, start_after) makes
 * every fetch read and sort all waiting jobs of the queue, 100-200 ms once a large file has queued
 * tens of thousands of them, where this one reads the n it hands out. Created once, with the queues.
 */
export function fetchOrderIndex(bossSchema: string): Plan {
  const schema = quoteIdent(checkSchemaName(bossSchema));
  return { text: `CREATE INDEX IF NOT EXISTS edi_job_fetch_order ON ${schema}.job (name, priority DESC, created_on, id) WHERE state < 'active'`, values: [] };
}
