// Scenario 5: what partners do to a drop folder (edi start's, src/transports/drop-folder.ts, with its
// default 5 s window): files written slowly in 3 chunks without a temporary name; the same files
// dropped again; the same orders resent re-enveloped with new ISA13, GS06 and ST02. Every order must
// be posted once: the repeat bytes are only receipts, the resent orders end `duplicate`.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burstFile } from '../../bench/pipeline-files.js';
import { startGateway, type Gateway } from '../../src/jobs/gateway.js';
import { tableIn } from '../../src/store/identifiers.js';
import { startDropFolder, type DropFolder } from '../../src/transports/drop-folder.js';
import { writeInChunks } from '../../test/support/slow-writer.js';
import { scenarioDatabase, until, tallyRecording, type ProofContext, type ScenarioDatabase } from '../harness.js';
import { someKeys, type ProofResult } from '../tally.js';

async function documentStates(db: ScenarioDatabase): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} GROUP BY state`);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function duplicateReceipts(db: ScenarioDatabase): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'receipts')} WHERE duplicate`);
  return rows[0]!.n;
}

export async function repeatsScenario(ctx: ProofContext): Promise<ProofResult[]> {
  const full = ctx.size === 'full';
  const FILES = full ? 40 : 6;
  const SETS = full ? 10 : 5;
  const PAUSE_MS = 1500;
  const db = await scenarioDatabase(ctx.url, 'repeats');
  const root = mkdtempSync(join(tmpdir(), 'edi-proof-repeats-'));
  const inbox = join(root, 'inbox');
  const archive = join(root, 'archive');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(archive, { recursive: true });
  let gateway: Gateway | undefined;
  let folder: DropFolder | undefined;
  const results: ProofResult[] = [];
  try {
    gateway = await startGateway({ db });
    const g = gateway;
    folder = startDropFolder({ folder: inbox, archive, partner: 'repeats', intake: (input) => g.intake(input), intervalMs: 2000 });
    await folder.ready;
    const files = Array.from({ length: FILES }, (_, i) => burstFile(i + 1, SETS, { sender: 'PROOFREP' }));
    const expected = files.flatMap((f) => f.poNumbers);
    const archived = () => readdirSync(archive, { withFileTypes: true }).filter((e) => e.isFile()).length;
    const settle = async (archivedFiles: number, done: (states: Record<string, number>) => boolean) => {
      const ok = await until(async () => archived() >= archivedFiles && readdirSync(inbox).length === 0 && done(await documentStates(db)), full ? 120_000 : 30_000, 100);
      await g.idle(30_000).catch(() => undefined);
      return ok;
    };
    const row = async (scenario: string, since: number, ok: boolean, notes: string): Promise<void> => {
      const t = await tallyRecording(db, expected);
      results.push({
        scenario, files: FILES, transactions: expected.length, lost: t.lost, duplicated: t.duplicated, recoverSeconds: ok ? (Date.now() - since) / 1000 : null,
        notes: `${notes}${t.lost ? `; lost ${someKeys(t.lostKeys)}` : ''}${t.duplicated ? `; twice ${someKeys(t.duplicatedKeys)}` : ''}`,
      });
    };

    // 1. Written slowly, in place: half through one handle, half reopened per chunk.
    await Promise.all(files.map((f, i) => writeInChunks(join(inbox, f.name), f.bytes, i % 2 ? 'reopened per chunk' : 'one handle', PAUSE_MS)));
    let since = Date.now();
    let ok = await settle(FILES, (s) => (s.posted ?? 0) >= expected.length);
    const rejected = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'files')} WHERE state <> 'split'`);
    await row(`written slowly (3 chunks ${PAUSE_MS / 1000}s apart)`, since, ok, `files not split ${rejected.rows[0]!.n}; documents ${JSON.stringify(await documentStates(db))}`);

    // 2. The same files dropped again (same names, same bytes): receipts, no new documents.
    for (const f of files) writeFileSync(join(inbox, f.name), f.bytes);
    since = Date.now();
    ok = await settle(2 * FILES, () => true);
    await row('same files dropped twice', since, ok, `duplicate receipts ${await duplicateReceipts(db)}; documents ${JSON.stringify(await documentStates(db))}`);

    // 3. The same orders re-enveloped: new ISA13, GS06, ST02 (new bytes, new interchanges).
    for (const [i, f] of files.entries()) {
      const resent = burstFile(i + 1, SETS, { sender: 'PROOFREP', control: 9000 + i });
      writeFileSync(join(inbox, resent.name), resent.bytes);
      if (resent.bytes.equals(f.bytes)) throw new Error('a resend must differ in its envelope');
    }
    since = Date.now();
    ok = await settle(3 * FILES, (s) => (s.duplicate ?? 0) >= expected.length);
    await row('resent with new control numbers', since, ok, `documents ${JSON.stringify(await documentStates(db))}`);
    return results;
  } finally {
    await folder?.stop();
    await gateway?.stop();
    await db.drop();
    await rm(root, { recursive: true, force: true });
  }
}
