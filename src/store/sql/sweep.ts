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

/** True for one transaction at a time per schema (released at its end): one process sweeps, the others skip the round. */
export function trySweepLock(schema: string): Plan {
  return { text: `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, values: [`edi.sweep:${checkSchemaName(schema)}`] };
}
