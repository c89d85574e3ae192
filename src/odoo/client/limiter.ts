// At most N calls in flight per Odoo server: Odoo runs few workers (often 2-4 per server), and a
// burst of parallel postings would only queue there and time out.

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency limit must be a whole number >= 1, got ${max}`);
  let active = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    active--;
    queue.shift()?.();
  };
  return {
    get active() { return active; },
    get waiting() { return queue.length; },
    async run(task) {
      if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
