// Issue 10, finding 1: partners' clients write files in place, in chunks, without a temporary name.
// Measured before the fix: 3 chunks 1.5 s apart, 17 of 20 files stored partial, 170 of 200 orders
// never posted, the writer going on into the archived copy; writers that reopen the file per chunk
// left tails rejected as "not X12". Here every intake path (the drop folder of `edi start` and a
// partner folder) with its default windows, both kinds of writers, the real gateway and PostgreSQL:
// every file is stored whole, once, every order posted once, and the archive holds the stored bytes.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burstFile, type BurstFile } from '../../bench/pipeline-files.js';
import { tableIn } from '../../src/store/identifiers.js';
import { startDropFolder } from '../../src/transports/drop-folder.js';
import { startFolderTransport } from '../../src/transports/folder/index.js';
import { useTestGateway } from '../support/test-gateway.js';
import { useTestDatabase } from '../support/db.js';
import { writeInChunks } from '../support/slow-writer.js';
import { folderPartner, folders, waitFor } from './folder/support.js';

const db = useTestDatabase();
const gateway = useTestGateway(db);

const FILES = 4;
const SETS = 10;
const CHUNK_PAUSE_MS = 1500;

let run = 0;
/** Files of SETS orders each, with a sender of their own (so no test's interchanges repeat another's). */
function filesFor(partner: string): BurstFile[] {
  return Array.from({ length: FILES }, (_, i) => burstFile(i + 1, SETS, { sender: `HALF${partner.toUpperCase()}` }));
}

interface Outcome {
  stored: Buffer[];
  rejectedFiles: number;
  documents: Record<string, number>;
}

async function outcomeOf(partner: string): Promise<Outcome> {
  const t = (name: string) => tableIn(db.schema, name);
  const files = await db.query<{ bytes: Buffer; state: string }>(`SELECT bytes, state FROM ${t('files')} WHERE partner = $1 ORDER BY id`, [partner]);
  const docs = await db.query<{ state: string; n: number }>(`SELECT d.state, count(*)::int AS n FROM ${t('documents')} d JOIN ${t('files')} f ON f.id = d.file_id WHERE f.partner = $1 GROUP BY d.state`, [partner]);
  return {
    stored: files.rows.map((r) => r.bytes),
    rejectedFiles: files.rows.filter((r) => r.state === 'rejected').length,
    documents: Object.fromEntries(docs.rows.map((r) => [r.state, r.n])),
  };
}

const list = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

async function expectWholeAndOnce(partner: string, files: BurstFile[], inbox: string, archive: string): Promise<void> {
  await waitFor('every file archived', () => list(archive).length >= FILES && list(inbox).length === 0, 30_000, 100);
  await waitFor('every order posted', async () => ((await outcomeOf(partner)).documents.posted ?? 0) >= FILES * SETS, 30_000, 100);
  await gateway.idle(10_000);
  const outcome = await outcomeOf(partner);
  // Every file stored whole and once: no partial file, no tail.
  expect(outcome.stored.map((b) => b.toString('latin1')).sort()).toEqual(files.map((f) => f.bytes.toString('latin1')).sort());
  expect(outcome.rejectedFiles).toBe(0);
  expect(outcome.documents).toEqual({ posted: FILES * SETS });
  // The archive holds exactly the stored bytes: nothing was written into an archived copy.
  const archived = readdirSync(archive).map((n) => readFileSync(join(archive, n)).toString('latin1')).sort();
  expect(archived).toEqual(files.map((f) => f.bytes.toString('latin1')).sort());
  expect(readdirSync(inbox)).toEqual([]);
}

describe('half-written files: writers without a temporary name (issue 10, finding 1)', () => {
  for (const writer of ['one handle', 'reopened per chunk'] as const) {
    it(`the drop folder of edi start (default windows): ${FILES} files written in 3 chunks ${CHUNK_PAUSE_MS} ms apart through ${writer}`, { timeout: 60_000 }, async () => {
      const partner = `drop${++run}`;
      const root = mkdtempSync(join(tmpdir(), 'half-written-'));
      const inbox = join(root, 'inbox');
      const archive = join(root, 'archive');
      mkdirSync(inbox, { recursive: true });
      mkdirSync(archive, { recursive: true });
      // As gateway-runtime starts it: the built-in window, chokidar and a 2 s rescan.
      const folder = startDropFolder({ folder: inbox, archive, partner, intake: (input) => gateway.intake(input), intervalMs: 2000, stableMs: 5000 });
      try {
        await folder.ready;
        const files = filesFor(partner);
        await Promise.all(files.map((f, i) => writeInChunks(join(inbox, `po-${i}.edi`), f.bytes, writer, CHUNK_PAUSE_MS)));
        await expectWholeAndOnce(partner, files, inbox, archive);
      } finally {
        await folder.stop();
      }
    });

    it(`a partner folder (stableSeconds 5): ${FILES} files written in 3 chunks ${CHUNK_PAUSE_MS} ms apart through ${writer}`, { timeout: 60_000 }, async () => {
      const partner = `part${++run}`;
      const where = folders('half-written-partner-');
      const transport = startFolderTransport(folderPartner(where, { code: partner, inbound: { stableSeconds: 5, pollSeconds: 60 } }), gateway, {});
      try {
        await transport.ready;
        const files = filesFor(partner);
        await Promise.all(files.map((f, i) => writeInChunks(join(where.inbox, `po-${i}.edi`), f.bytes, writer, CHUNK_PAUSE_MS)));
        await expectWholeAndOnce(partner, files, where.inbox, where.archive);
      } finally {
        await transport.stop();
      }
    });
  }
});
