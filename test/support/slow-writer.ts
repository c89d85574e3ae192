// Partners' clients that write a file in place, in chunks, without a temporary name (issue 10,
// finding 1): used by test/transports/half-written.test.ts and the proof suite (proof/scenarios/).
import { appendFile, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** One handle kept open for the whole file, or the file reopened (appended to) for each chunk. */
export type SlowWriter = 'one handle' | 'reopened per chunk';

/** Writes `bytes` in 3 chunks cut at arbitrary bytes (mid-segment), `pauseMs` apart, under the final name. */
export async function writeInChunks(path: string, bytes: Buffer, writer: SlowWriter, pauseMs: number): Promise<void> {
  const cuts = [0, Math.floor(bytes.length / 3) + 7, Math.floor((2 * bytes.length) / 3) - 5, bytes.length];
  const chunks = [0, 1, 2].map((i) => bytes.subarray(cuts[i], cuts[i + 1]));
  if (writer === 'one handle') {
    const handle = await open(path, 'w');
    try {
      for (const [i, chunk] of chunks.entries()) {
        await handle.write(chunk);
        if (i < 2) await sleep(pauseMs);
      }
    } finally {
      await handle.close();
    }
    return;
  }
  for (const [i, chunk] of chunks.entries()) {
    await appendFile(path, chunk);
    if (i < 2) await sleep(pauseMs);
  }
}
