// Waiting for the gateway in the Odoo suites, and partner files made unique to a run.
// The wait ends well before the test's timeout (30 s, vitest.config.ts), so a stall fails with
// what the gateway was doing (files, documents, their states and timelines), not with a bare
// "test timed out". A real Odoo on a busy machine posts a document in seconds, not tens of them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentTimeline, listDocuments, listFiles, type Database } from '../../../src/store/index.js';
import { waitFor } from '../../transports/folder/support.js';

/** One wait for the gateway; a test with two waits gets a longer timeout (TWO_WAITS_MS). */
export const SETTLE_MS = 20_000;
export const TWO_WAITS_MS = 2 * SETTLE_MS + 10_000;

/** Waits for `check`; on a stall, throws with the state of every file and document of `partners`. */
export async function waitForGateway(db: Database, what: string, check: () => Promise<boolean>, partners: readonly string[], ms = SETTLE_MS): Promise<void> {
  try {
    await waitFor(what, check, ms, 100);
  } catch (error) {
    throw new Error(`${(error as Error).message} after ${ms / 1000} s; the gateway's state:\n${await gatewayState(db, partners)}`);
  }
}

/** Files and documents of the partners, newest first, each document with its timeline. */
export async function gatewayState(db: Database, partners: readonly string[]): Promise<string> {
  const out: string[] = [];
  for (const partner of partners) {
    const files = await listFiles(db, { partner, limit: 20 });
    const docs = (await listDocuments(db, { partner, limit: 20 })).items;
    out.push(`${partner}: ${files.length} file(s), ${docs.length} document(s)`);
    for (const f of files) out.push(`  file #${f.id} ${f.sourceName}: ${f.state}${f.reason ? ` (${f.reason})` : ''}`);
    for (const d of docs) {
      out.push(`  document #${d.id} ${d.setId} ${d.controlNumber}: ${d.state}${d.failedStage ? ` at ${d.failedStage}` : ''}${d.reason ? ` (${oneLine(d.reason)})` : ''}`);
      for (const e of await documentTimeline(db, d.id)) {
        out.push(`    ${e.at.toISOString()} ${e.stage} ${e.fromState ?? '-'} -> ${e.toState ?? '-'}: ${oneLine(e.message).slice(0, 300)}`);
      }
    }
  }
  return out.join('\n');
}

/** `code` -> `code-RUN` (codes are whole X12 elements). */
export function runCodes(run: string, codes: readonly string[]): Record<string, string> {
  return Object.fromEntries(codes.map((c) => [c, `${c}-${run}`]));
}

/**
 * Copies a partner file into `dir` with each code (a whole element: PO number, product or party
 * id) replaced, so a real Odoo database can take the suite again and again (the codes of earlier
 * runs are other records). Returns the file's path.
 */
export function dropWithCodes(from: string, dir: string, codes: Readonly<Record<string, string>>): string {
  let text = readFileSync(from, 'latin1');
  for (const [code, replacement] of Object.entries(codes)) {
    text = text.replace(new RegExp(`(?<=[*~\\n])${code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[*~\\r\\n])`, 'g'), replacement);
  }
  const to = join(dir, from.split('/').pop()!);
  writeFileSync(to, text, 'latin1');
  return to;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' | ');
