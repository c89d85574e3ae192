// Bounded concurrency over a list, without a dependency: what the post stage (calls in flight), the
// outbound stage (builds in flight) and the SFTP client (parallel reads and writes) share.

/**
 * Runs `work` over `items`, at most `limit` at a time, in order of start. After a failure no new item
 * starts; once those running settle, the first failure is thrown.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
