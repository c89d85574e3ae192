// The first start: an empty drop folder and an empty database get the sample files, so a new user
// sees files go from the folder to posted without preparing anything.
import { copyFile, mkdir, readdir, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';
import { listFiles, type Database } from '../store/index.js';

/** The sample files of the sets we map (850/855/856/810), both versions. */
const SAMPLE_SETS = ['850', '855', '856', '810'];

/** Copies the samples into `inbox` when it is empty and the database has no file yet. */
export async function seedFirstStart(db: Database, inbox: string, samples: string, log: Logger): Promise<void> {
  await mkdir(inbox, { recursive: true });
  const present = (await readdir(inbox)).filter((n) => !n.startsWith('.'));
  if (present.length > 0 || (await listFiles(db, { limit: 1 })).length > 0) return;
  const files = await sampleFiles(samples);
  // Finished files written by us: dated a minute back, they need not wait out the stability window
  // before their archive step (docs/reliability.md#half-written-files).
  const finished = new Date(Date.now() - 60_000);
  for (const file of files) {
    await copyFile(file.path, join(inbox, file.name));
    await utimes(join(inbox, file.name), finished, finished);
  }
  if (files.length) log.info({ files: files.length, from: samples, inbox }, 'first start: copied the sample files into the drop folder');
}

export async function sampleFiles(samples: string): Promise<Array<{ path: string; name: string }>> {
  const out: Array<{ path: string; name: string }> = [];
  for (const version of (await readdir(samples).catch(() => [] as string[])).sort()) {
    for (const set of SAMPLE_SETS) {
      const dir = join(samples, version, set);
      const names = await readdir(dir).catch(() => [] as string[]);
      // Version first: names stay unique across versions and sort in a readable order.
      for (const name of names.filter((n) => n.endsWith('.edi')).sort()) out.push({ path: join(dir, name), name: `${basename(version)}-${name}` });
    }
  }
  return out;
}

/** The project's samples/ folder (from src/runtime, or dist/src/runtime when built). */
export function defaultSamples(): string {
  return join(fileURLToPath(new URL('../../', import.meta.url)).replace(/dist\/$/, ''), 'samples');
}
