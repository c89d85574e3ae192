// Files and their receipts.
import { createHash } from 'node:crypto';
import { run, type Conn } from './conn.js';
import { toFile, toReceipt, type Row } from './rows.js';
import * as sql from './sql/files.js';
import type { FileRecord, ReceiptRecord } from './types.js';

export type StoreFileInput = Omit<sql.NewFile, 'sha256'> & {
  sha256?: string;
  /** Where the bytes were read (path, size, mtime): kept in the receipt's metadata, tells a re-read from a resend. */
  sourceIdentity?: string;
};

export interface StoredFile {
  file: FileRecord;
  receipt: ReceiptRecord;
  /** True when the partner sent these bytes before: the file is the earlier one, only a receipt was added. */
  duplicate: boolean;
  /** A duplicate read from the same source identity as an earlier receipt (returned, no new one): our re-read, not the partner's resend. */
  reread?: boolean;
}

/**
 * Records one arrival of bytes: the file (once per partner + sha256) and a receipt (every time).
 * Run it in the transaction that also enqueues the processing job, so both commit or neither does.
 */
export async function storeFile(conn: Conn, input: StoreFileInput): Promise<StoredFile> {
  const sha256 = input.sha256 ?? createHash('sha256').update(input.bytes).digest('hex');
  const inserted = input.bytes.length > STAGED_PART_BYTES
    ? await insertStaged(conn, { ...input, sha256 })
    : await run<Row>(conn, sql.insertFile(conn.schema, { ...input, sha256 }));
  let row = inserted.rows[0];
  const duplicate = row === undefined;
  // READ COMMITTED: this new statement sees the row that made the insert a no-op, even if a
  // concurrent arrival of the same bytes committed it a moment ago.
  row ??= (await run<Row>(conn, sql.findFileByHash(conn.schema, input.partner, sha256))).rows[0];
  if (!row) throw new Error(`file ${input.partner}/${sha256} conflicted on insert but cannot be read back`);
  const file = toFile(row);
  if (duplicate && input.sourceIdentity) {
    const earlier = (await run<Row>(conn, sql.findReceiptBySource(conn.schema, file.id, input.sourceIdentity))).rows[0];
    if (earlier) return { file, receipt: toReceipt(earlier), duplicate, reread: true };
  }
  const metadata = input.sourceIdentity ? { ...(input.metadata ?? {}), sourceIdentity: input.sourceIdentity } : input.metadata;
  const receipt = await run<Row>(
    conn,
    sql.insertReceipt(conn.schema, {
      fileId: file.id,
      sourceName: input.sourceName,
      channel: input.channel,
      duplicate,
      ...(metadata ? { metadata } : {}),
    }),
  );
  return { file, receipt: toReceipt(receipt.rows[0]!), duplicate };
}

/** Files larger than this reach the server in parts of this size (sql.newLargeObject): the gateway holds the file once, not twice. */
export const STAGED_PART_BYTES = 4 * 1024 * 1024;

/** insertFile of a large file: its bytes staged part by part in a large object of `conn`'s transaction, removed after. */
async function insertStaged(conn: Conn, file: sql.NewFile): Promise<{ rows: Row[] }> {
  const { bytes } = file;
  const oid = Number((await run<{ oid: number }>(conn, sql.newLargeObject(bytes.subarray(0, STAGED_PART_BYTES)))).rows[0]!.oid);
  for (let at = STAGED_PART_BYTES; at < bytes.length; at += STAGED_PART_BYTES) {
    await run(conn, sql.writeLargeObject(oid, at, bytes.subarray(at, at + STAGED_PART_BYTES)));
  }
  const inserted = await run<Row>(conn, sql.insertFile(conn.schema, file, oid));
  await run(conn, sql.unlinkLargeObject(oid));
  return inserted;
}

export async function findFileByHash(conn: Conn, partner: string, sha256: string): Promise<FileRecord | undefined> {
  const row = (await run<Row>(conn, sql.findFileByHash(conn.schema, partner, sha256))).rows[0];
  return row && toFile(row);
}

export async function getFile(conn: Conn, id: number): Promise<FileRecord | undefined> {
  const row = (await run<Row>(conn, sql.getFile(conn.schema, id))).rows[0];
  return row && toFile(row);
}

export async function getFileBytes(conn: Conn, id: number): Promise<Buffer | undefined> {
  const row = (await run<Row>(conn, sql.getFileBytes(conn.schema, id))).rows[0];
  return row?.bytes as Buffer | undefined;
}

/** Part of a file's bytes (see sql.getFileSlice), with the file's size; undefined when the file does not exist. */
export async function getFileSlice(conn: Conn, id: number, from: number, length: number): Promise<{ bytes: Buffer; size: number } | undefined> {
  const row = (await run<Row>(conn, sql.getFileSlice(conn.schema, id, from, length))).rows[0];
  return row && { bytes: (row.bytes as Buffer | null) ?? Buffer.alloc(0), size: Number(row.size ?? 0) };
}

export interface SplitProgress {
  /** The byte where the next slice starts (0: nothing split yet). */
  offset: number;
  /** Its line (1-based). */
  line: number;
}

export async function getSplitProgress(conn: Conn, id: number): Promise<SplitProgress> {
  const row = (await run<Row>(conn, sql.getSplitProgress(conn.schema, id))).rows[0];
  return { offset: Number(row?.split_offset ?? 0), line: Number(row?.split_line ?? 1) };
}

export async function setSplitProgress(conn: Conn, id: number, progress: SplitProgress): Promise<void> {
  await run(conn, sql.setSplitProgress(conn.schema, { id, ...progress }));
}

/** Locks the file row until the transaction ends (use inside withTransaction). */
export async function lockFile(conn: Conn, id: number, holder: sql.FileLockHolder): Promise<FileRecord | undefined> {
  const row = (await run<Row>(conn, sql.lockFile(conn.schema, id, holder))).rows[0];
  return row && toFile(row);
}

/** Undefined when the guard refused (the file is not in one of `from`). */
export async function setFileState(conn: Conn, change: sql.FileStateChange): Promise<FileRecord | undefined> {
  const row = (await run<Row>(conn, sql.setFileState(conn.schema, change))).rows[0];
  return row && toFile(row);
}

export async function listFiles(conn: Conn, filter: sql.FileFilter = {}): Promise<FileRecord[]> {
  return (await run<Row>(conn, sql.listFiles(conn.schema, filter))).rows.map(toFile);
}

export async function listReceipts(conn: Conn, fileId: number): Promise<ReceiptRecord[]> {
  return (await run<Row>(conn, sql.listReceipts(conn.schema, fileId))).rows.map(toReceipt);
}

export async function countRejectedFiles(conn: Conn, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  return (await run<{ n: number }>(conn, sql.countRejectedFiles(conn.schema, ids))).rows[0]?.n ?? 0;
}
