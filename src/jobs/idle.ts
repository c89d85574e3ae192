// When is the pipeline idle? No job queued or active and no document being posted, in every
// process on the database: a posting whose job expired elsewhere keeps its document busy after
// its job ended. `edi start --once`, tests and benches wait for it before they count.

export interface IdleReaders {
  /** Jobs queued or active, by queue (an empty object when none). */
  pending(): Promise<Record<string, number>>;
  /** Documents in 'posting'. */
  postings(): Promise<number>;
}

/**
 * Polls until both readers say nothing is left. Postings are read first: a document leaves
 * 'posting' for 'mapped' in the transaction that queues its post job (the sweep after a lease ran
 * out), so a job read after the postings cannot be missed. Read the other way round, a sweep that
 * committed between the two reads looked idle.
 */
export async function waitIdle(readers: IdleReaders, timeoutMs: number, pollMs = 25, maxPollMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // The look grows from pollMs to maxPollMs while work goes on: the two counts scan tables that grow
  // with the work (jobs kept after completion), and a waiter looking every 25 ms through a long run
  // cost the database a sixth of its time in bench:e2e.
  for (let wait = pollMs; ; wait = Math.min(maxPollMs, wait * 2)) {
    const posting = await readers.postings();
    const pending = await readers.pending();
    if (posting > 0) pending['documents in posting'] = posting;
    if (Object.keys(pending).length === 0) return;
    if (Date.now() >= deadline) throw new Error(`the pipeline is not idle after ${timeoutMs} ms: ${JSON.stringify(pending)}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
