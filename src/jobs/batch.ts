// How a stage runs a batch of jobs: each in its own transaction (a large file's slices), or all in
// one transaction for throughput (per-document stages, small files), falling back to one by one when
// the batch fails, so one bad job cannot hold back the others.
import { withTransaction, type Tx } from '../store/conn.js';
import type { Database } from '../store/database.js';
import type { StageJob } from './runner.js';

/** Runs `fn` for each job in its own transaction, one after the other; returns the failures. */
export async function eachAlone(db: Database, jobs: readonly StageJob[], fn: (tx: Tx, job: StageJob) => Promise<void>): Promise<Map<string, unknown>> {
  const failures = new Map<string, unknown>();
  for (const job of jobs) {
    try {
      await withTransaction(db, (tx) => fn(tx, job));
    } catch (error) {
      failures.set(job.id, error);
    }
  }
  return failures;
}

/**
 * Runs `fn` on the whole batch in one transaction. `fn` returns the jobs that failed without
 * spoiling the transaction (e.g. a target's transient error): those fail, the rest commit. When
 * `fn` throws, the batch rolls back and each job is run alone.
 */
export async function allTogether(
  db: Database,
  jobs: readonly StageJob[],
  fn: (tx: Tx, jobs: readonly StageJob[]) => Promise<Map<string, unknown>>,
): Promise<Map<string, unknown>> {
  try {
    return await withTransaction(db, (tx) => fn(tx, jobs));
  } catch (error) {
    if (jobs.length === 1) return new Map([[jobs[0]!.id, error]]);
    const failures = new Map<string, unknown>();
    for (const job of jobs) {
      try {
        for (const [id, e] of await withTransaction(db, (tx) => fn(tx, [job]))) failures.set(id, e);
      } catch (e) {
        failures.set(job.id, e);
      }
    }
    return failures;
  }
}

/**
 * The per-file stages' batches: the jobs of small files (priority 0, queues.ts priorityAt) together in
 * one transaction, as allTogether (a commit per file was most of a small file's split or validation
 * under load); a large file's slices each alone, so that a transaction holds one slice in memory and
 * its file's row lock for one slice only.
 */
export async function smallTogether(db: Database, jobs: readonly StageJob[], fn: (tx: Tx, job: StageJob) => Promise<void>): Promise<Map<string, unknown>> {
  const small = jobs.filter((j) => (j.data.priority ?? 0) >= 0);
  const large = jobs.filter((j) => (j.data.priority ?? 0) < 0);
  const failures = small.length
    ? await allTogether(db, small, async (tx, batch) => {
        for (const job of batch) await fn(tx, job);
        return new Map();
      })
    : new Map<string, unknown>();
  for (const [id, error] of await eachAlone(db, large, fn)) failures.set(id, error);
  return failures;
}
