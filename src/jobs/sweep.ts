// The sweep: a loop in every process with workers that resumes work nothing else would resume.
// - A posting whose lease ran out (its process died between claim and record, or lost the
//   database for longer than the lease): back to mapped with a post job, in one transaction. The
//   target's lookup-before-create makes the repeat find what the lost call made.
// - A file left in 'received' without a split job (intake commits the file with its job, but a job
//   can be lost: deleted or archived by hand, a restore of the database without pg-boss's schema):
//   its split job again.
// One process sweeps at a time (a transaction-scoped advisory lock; the others skip the round).
import { codeField } from '../errors/failure.js';
import { withTransaction, type Tx } from '../store/conn.js';
import { transitionDocuments } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { expiredPostings, filesWithoutJob, trySweepLock, type PostingLease } from '../store/postings-repo.js';
import { messageOf, type PipelineContext } from './context.js';
import { postingSettings } from './posting-settings.js';
import { DEAD_LETTER_QUEUE, STAGE_QUEUES } from './queues.js';

export interface SweepResult {
  /** Documents whose expired posting was sent back to mapped with a post job. */
  postings: number[];
  /** Files in 'received' that got a split job again. */
  files: number[];
}

export interface Sweep {
  /** One round now (tests); resolves after it committed. */
  run(): Promise<SweepResult>;
  /** Ends the loop after the round in progress. */
  stop(): Promise<void>;
}

type SweepContext = Pick<PipelineContext, 'db' | 'queue' | 'log' | 'posting'>;

/** Starts the loop: a first round at once (a restart after a crash resumes what the crash left), then one every `posting.sweepIntervalSeconds`. */
export function startSweep(ctx: SweepContext): Sweep {
  const every = (ctx.posting ?? postingSettings()).sweepIntervalSeconds * 1000;
  let stopped = false;
  let round: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    const next = round.then(() => sweepOnce(ctx));
    round = next.catch(() => undefined);
    return next;
  };
  const schedule = (delay = every) => {
    if (stopped) return;
    timer = setTimeout(() => {
      run()
        .then((r) => {
          if (r.postings.length || r.files.length) ctx.log.info({ ...r }, 'sweep resumed lost work');
        })
        .catch((error: unknown) => ctx.log.warn({ error: messageOf(error), ...codeField(error) }, 'sweep failed; trying again next round'))
        .finally(() => schedule());
    }, delay);
  };
  schedule(0);
  return {
    run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}

/** One round, in one transaction (nothing when another process is sweeping right now). */
export async function sweepOnce(ctx: SweepContext, options: { limit?: number } = {}): Promise<SweepResult> {
  const limit = options.limit ?? 100;
  return withTransaction(ctx.db, async (tx) => {
    if (!(await trySweepLock(tx))) return { postings: [], files: [] };
    const postings = await resumePostings(ctx, tx, await expiredPostings(tx, limit), {
      actor: 'system',
      message: (l) => `the posting by ${l.holder ?? 'an unknown holder'} did not finish before its lease ran out${l.expiresAt ? ` (${l.expiresAt.toISOString()})` : ''}: posting again`,
    });
    const files = await filesWithoutJob(tx, ctx.queue.bossSchema, { queues: [STAGE_QUEUES.split, DEAD_LETTER_QUEUE], limit });
    for (const fileId of files) {
      await addEvent(tx, { fileId, stage: 'split', actor: 'system', message: 'no split job was waiting for this received file: queued again' });
    }
    await ctx.queue.enqueue(tx, files.map((fileId) => ({ stage: 'split' as const, fileId })));
    return { postings, files };
  });
}

/**
 * Sends documents in 'posting' whose lease ran out back to mapped, each with an event and a post
 * job (the guard re-checks the expiry: a holder that renewed in time keeps its document). Returns
 * the ids it resumed. Also replay's way with such a document.
 */
export async function resumePostings(
  ctx: Pick<PipelineContext, 'queue'>,
  tx: Tx,
  leases: readonly PostingLease[],
  note: { actor: string; message: (lease: PostingLease) => string },
): Promise<number[]> {
  const changed = await transitionDocuments(tx, {
    from: ['posting'],
    lease: 'expired',
    stage: 'post',
    actor: note.actor,
    changes: leases.map((l) => ({
      id: l.id,
      to: 'mapped',
      event: { message: note.message(l), details: { holder: l.holder, leaseExpiredAt: l.expiresAt?.toISOString() ?? null, businessKey: l.businessKey } },
    })),
  });
  await ctx.queue.enqueue(tx, changed.map((d) => ({ stage: 'post' as const, documentId: d.id })));
  return changed.map((d) => d.id);
}
