// Group commit of the post stage's outcomes (post.ts): each waits a little for company, and all
// that are there go into one transaction.
//
//   const recorder = groupCommit(async (items) => record(items), (items, error) => failed(items, error), 50);
//   recorder.add(outcome);          // recorded within ~50 ms, with whatever else came meanwhile
//   await recorder.settled();       // everything added so far recorded (at once, no more waiting)

/**
 * Group commit: an outcome waits up to `maxWaitMs` for others, and all that are there go into one
 * transaction, so a batch of fast calls records in one or two transactions while a slow call's
 * outcome is recorded soon after it came. `settled` records what is left at once.
 */
export function groupCommit<T>(flush: (items: T[]) => Promise<void>, failed: (items: T[], error: unknown) => void, maxWaitMs: number): { add(item: T): void; settled(): Promise<void> } {
  let pending: T[] = [];
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const drain = async () => {
    while (pending.length) {
      const items = pending;
      pending = [];
      await flush(items).catch((error: unknown) => failed(items, error));
    }
    running = undefined;
  };
  const now = () => {
    clearTimeout(timer);
    timer = undefined;
    // Nothing pending: no drain (an empty one would finish before being stored, and settled() would wait on it forever).
    if (!running && pending.length) running = drain();
  };
  return {
    add(item) {
      pending.push(item);
      // A running flush takes it next; else it waits for company, a little.
      if (!running && !timer) timer = setTimeout(now, maxWaitMs);
    },
    async settled() {
      now();
      while (running) await running;
    },
  };
}
