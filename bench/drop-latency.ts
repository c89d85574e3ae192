// From a file dropped into a local folder to its order posted: the drop folder of `edi start` with
// its default windows (settle 1 s, stability window 5 s, chokidar events), the real gateway and
// PostgreSQL, the recording target. One small 850 at a time, each written at once (no temporary
// name): complete X12, so it is taken after the settle, not after the window.
// Target (issue 10, finding 1): p50 under 2 s. `npm run bench:latency` runs it alone; bench:e2e too.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway } from '../src/jobs/gateway.js';
import { BUILT_IN } from '../src/partners/defaults.js';
import type { Database } from '../src/store/index.js';
import { tableIn } from '../src/store/identifiers.js';
import { startDropFolder } from '../src/transports/drop-folder.js';
import { burstFile } from './pipeline-files.js';

export interface DropLatency {
  drops: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}

export async function measureDropLatency(db: Database, drops = 15, say: (line: string) => void = () => {}): Promise<DropLatency> {
  const root = mkdtempSync(join(tmpdir(), 'edi-latency-'));
  const inbox = join(root, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const gateway = await startGateway({ db });
  const partner = `lat${Date.now() % 100000}`;
  const folder = startDropFolder({ folder: inbox, archive: join(root, 'archive'), partner, intake: (input) => gateway.intake(input), stableMs: BUILT_IN.inbound.stableSeconds * 1000, db });
  const times: number[] = [];
  try {
    await folder.ready;
    for (let i = 1; i <= drops; i++) {
      const file = burstFile(i, 1, { sender: partner.toUpperCase() });
      const at = Date.now();
      writeFileSync(join(inbox, `po-${i}.edi`), file.bytes);
      await postedOne(db, partner, i, at + 30_000);
      times.push(Date.now() - at);
      say(`  drop ${i}: posted after ${times.at(-1)} ms`);
      await sleep(200);
    }
  } finally {
    await folder.stop();
    await gateway.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { drops, p50Ms: at(0.5), p90Ms: at(0.9), maxMs: sorted.at(-1)! };
}

/** Waits until `n` documents of the partner are posted. */
async function postedOne(db: Database, partner: string, n: number, deadline: number): Promise<void> {
  const text = `SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} d JOIN ${tableIn(db.schema, 'files')} f ON f.id = d.file_id WHERE f.partner = $1 AND d.state = 'posted'`;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(text, [partner]);
    if (rows[0]!.n >= n) return;
    if (Date.now() > deadline) throw new Error(`drop ${n} not posted within 30 s`);
    await sleep(10);
  }
}
