// Interchanges, with sender + ISA13 deduplication.
import { run, type Conn } from './conn.js';
import { toInterchange, type Row } from './rows.js';
import * as sql from './sql/interchanges.js';
import type { ByteRange } from './sql/plan.js';
import type { InterchangeRecord } from './types.js';

export interface RecordedInterchange {
  interchange: InterchangeRecord;
  /**
   * created: new; existing: this file's interchange at this offset was recorded before (a re-run);
   * duplicate: another file already brought this sender + ISA13, and this one was recorded as its duplicate.
   */
  outcome: 'created' | 'existing' | 'duplicate';
  /** For a duplicate: the interchange it repeats. */
  original?: InterchangeRecord;
}

/**
 * Records an interchange found in a file. Idempotent per (file, byte offset); a second interchange
 * with the same sender and ISA13 is stored with state 'duplicate' and duplicate_of = the first.
 * Run it in the split stage's transaction, after lockFile, so two runs of one file take turns.
 */
export async function recordInterchange(conn: Conn, input: Omit<sql.NewInterchange, 'duplicateOf'>): Promise<RecordedInterchange> {
  const prior = (await run<Row>(conn, sql.findInterchangeAt(conn.schema, input.fileId, input.byteOffset))).rows[0];
  if (prior) {
    const interchange = toInterchange(prior);
    const original = interchange.duplicateOf === null ? undefined : await getInterchange(conn, interchange.duplicateOf);
    return { interchange, outcome: 'existing', ...(original ? { original } : {}) };
  }
  // A conflicting row can vanish between the two statements (its transaction rolled back): try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = (await run<Row>(conn, sql.insertInterchange(conn.schema, { ...input, duplicateOf: null }))).rows[0];
    if (inserted) return { interchange: toInterchange(inserted), outcome: 'created' };
    const first = (await run<Row>(conn, sql.findInterchangeByControl(conn.schema, input))).rows[0];
    if (!first) continue;
    const original = toInterchange(first);
    const duplicate = (
      await run<Row>(conn, sql.insertInterchange(conn.schema, { ...input, state: 'duplicate', duplicateOf: original.id }))
    ).rows[0]!;
    return { interchange: toInterchange(duplicate), outcome: 'duplicate', original };
  }
  throw new Error(`interchange ${input.senderQualifier}/${input.senderId}/${input.controlNumber} could not be recorded`);
}

/**
 * recordInterchange for many interchanges of one file at once (a slice of a large file), in order:
 * two statements for the slice, and one interchange at a time only for those that are duplicates.
 */
export async function recordInterchanges(conn: Conn, inputs: readonly Omit<sql.NewInterchange, 'duplicateOf'>[]): Promise<RecordedInterchange[]> {
  if (inputs.length === 0) return [];
  const fileId = inputs[0]!.fileId;
  const found = new Map<number, RecordedInterchange>();
  const prior = (await run<Row>(conn, sql.findInterchangesAt(conn.schema, fileId, inputs.map((i) => i.byteOffset)))).rows.map(toInterchange);
  const fresh = inputs.filter((i) => !prior.some((p) => p.byteOffset === i.byteOffset));
  for (const row of (await run<Row>(conn, sql.insertInterchanges(conn.schema, fresh))).rows) {
    const interchange = toInterchange(row);
    found.set(interchange.byteOffset, { interchange, outcome: 'created' });
  }
  const out: RecordedInterchange[] = [];
  // The rest (re-runs, duplicates) one by one, in file order, as before.
  for (const input of inputs) out.push(found.get(input.byteOffset) ?? (await recordInterchange(conn, input)));
  return out;
}

export async function getInterchange(conn: Conn, id: number): Promise<InterchangeRecord | undefined> {
  const row = (await run<Row>(conn, sql.getInterchange(conn.schema, id))).rows[0];
  return row && toInterchange(row);
}

export async function listInterchanges(conn: Conn, fileId: number, range?: ByteRange): Promise<InterchangeRecord[]> {
  return (await run<Row>(conn, sql.listInterchanges(conn.schema, fileId, range))).rows.map(toInterchange);
}

export async function countInterchanges(conn: Conn, fileId: number): Promise<number> {
  return (await run<{ n: number }>(conn, sql.countInterchanges(conn.schema, fileId))).rows[0]?.n ?? 0;
}

export async function setInterchangeFindings(conn: Conn, id: number, findings: readonly unknown[]): Promise<InterchangeRecord | undefined> {
  const row = (await run<Row>(conn, sql.setInterchangeFindings(conn.schema, id, findings))).rows[0];
  return row && toInterchange(row);
}
