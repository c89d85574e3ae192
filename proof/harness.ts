// What every scenario needs: a schema of its own on the proof's PostgreSQL (migrated, dropped after),
// the count of what the recording target's ledger holds, and waiting with a deadline.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../src/logging/logger.js';
import { createPool, databaseOf, type Database } from '../src/store/database.js';
import { quoteIdent, tableIn } from '../src/store/identifiers.js';
import { migrate } from '../src/store/migrations.js';
import type { Conn } from '../src/store/index.js';
import { tally, type Tally } from './tally.js';

export type ProofSize = 'short' | 'full';

export interface ProofContext {
  /** The PostgreSQL the scenarios use (each in a schema of its own). */
  url: string;
  size: ProofSize;
  /** Seeds the random moments (kills, cuts): the same seed, the same run. */
  seed: number;
  /** Progress lines (stderr in the runner). */
  say(line: string): void;
}

export interface ScenarioDatabase extends Database {
  /** The URL with an application_name of this scenario's own: its connections can be told apart in pg_stat_activity. */
  readonly taggedUrl: string;
  readonly tag: string;
  /** Drops the schema (and pg-boss's beside it), then closes. */
  drop(): Promise<void>;
}

export async function scenarioDatabase(url: string, name: string): Promise<ScenarioDatabase> {
  const schema = `proof_${name.replace(/[^a-z0-9]/g, '')}_${randomBytes(3).toString('hex')}`;
  const pool = createPool(url, 10, silentLogger);
  await migrate(pool, schema);
  const db = databaseOf(pool, url, schema);
  const tag = `edi-proof-${schema}`;
  const taggedUrl = `${url}${url.includes('?') ? '&' : '?'}application_name=${tag}`;
  return {
    ...db,
    taggedUrl,
    tag,
    async drop() {
      for (const s of [`${schema}_boss`, schema]) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`).catch(() => undefined);
      await db.close();
    },
  };
}

/** Business keys (PO numbers) in the recording target's ledger, one per posting, and those whose document ended posted. */
export async function recordingLedger(db: Conn): Promise<{ postings: string[]; settled: Set<string> }> {
  const [ledger, docs] = await Promise.all([
    db.query<{ key: string }>(`SELECT payload->'document'->>'poNumber' AS key FROM ${tableIn(db.schema, 'posted')}`),
    db.query<{ key: string }>(`SELECT document->>'poNumber' AS key FROM ${tableIn(db.schema, 'documents')} WHERE state = 'posted'`),
  ]);
  return { postings: ledger.rows.map((r) => r.key), settled: new Set(docs.rows.map((r) => r.key)) };
}

export async function tallyRecording(db: Conn, expected: readonly string[]): Promise<Tally> {
  const { postings, settled } = await recordingLedger(db);
  return tally(expected, postings, settled);
}

/** Files stored and documents by state, for the notes. */
export async function storedCounts(db: Conn): Promise<{ files: number; unsplit: number; byState: Record<string, number> }> {
  const [files, docs] = await Promise.all([
    db.query<{ n: number; unsplit: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE state <> 'split')::int AS unsplit FROM ${tableIn(db.schema, 'files')}`),
    db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} GROUP BY state ORDER BY state`),
  ]);
  return { files: files.rows[0]!.n, unsplit: files.rows[0]!.unsplit, byState: Object.fromEntries(docs.rows.map((r) => [r.state, r.n])) };
}

/** Polls `done` every `everyMs` until it holds (true) or `ms` passed (false). */
export async function until(done: () => boolean | Promise<boolean>, ms: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** Until every expected key is posted; the seconds it took from `since`, or null. */
export async function recovered(db: Conn, expected: readonly string[], since: number, ms: number): Promise<number | null> {
  const ok = await until(async () => (await tallyRecording(db, expected)).lost === 0, ms, 100);
  return ok ? (Date.now() - since) / 1000 : null;
}

export const seconds = (ms: number) => Math.round(ms / 100) / 10;
