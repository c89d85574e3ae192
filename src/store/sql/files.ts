// Plans for files and receipts.
import { tableIn } from '../identifiers.js';
import type { FileState, Json } from '../types.js';
import { json, Params, whereClause, type Plan } from './plan.js';

/** Every column but `bytes`, which only getFileBytes reads. */
export const FILE_COLUMNS = 'id, partner, channel, source_name, sha256, size, metadata, received_at, state, reason';
const RECEIPT_COLUMNS = 'id, file_id, source_name, channel, metadata, received_at, duplicate';

export interface NewFile {
  partner: string;
  channel: string;
  sourceName: string;
  /** Lowercase hex. */
  sha256: string;
  bytes: Uint8Array;
  /** The real size; defaults to bytes.length (differs when an oversized file is kept without its bytes). */
  size?: number;
  metadata?: Json;
  state?: FileState;
  reason?: string | null;
}

/**
 * Inserts the file unless (partner, sha256) exists: then no row comes back. `largeObject`: the bytes
 * are those of that large object (staged part by part, see stageLargeObject), not `bytes`.
 */
export function insertFile(schema: string, f: NewFile, largeObject?: number): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'files')} (partner, channel, source_name, sha256, size, bytes, metadata, state, reason)
           VALUES ($1, $2, $3, $4, $5, ${largeObject === undefined ? '$6' : 'lo_get($6::oid)'}, $7, $8, $9)
           ON CONFLICT (partner, sha256) DO NOTHING
           RETURNING ${FILE_COLUMNS}`,
    values: [
      f.partner,
      f.channel,
      f.sourceName,
      f.sha256,
      f.size ?? f.bytes.length,
      largeObject ?? Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
      json(f.metadata ?? {}),
      f.state ?? 'received',
      f.reason ?? null,
    ],
  };
}

/**
 * A large file's bytes go to the server part by part into a large object of the transaction, which
 * insertFile then copies into `files.bytes` in the server: node-postgres builds each statement's whole
 * message in memory, so one INSERT of a 60 MB file held a second copy of it in the gateway.
 */
export function newLargeObject(part: Uint8Array): Plan {
  return { text: `SELECT lo_from_bytea(0, $1) AS oid`, values: [bufferOf(part)] };
}

/** Writes `part` at `offset` of large object `oid`. */
export function writeLargeObject(oid: number, offset: number, part: Uint8Array): Plan {
  return { text: `SELECT lo_put($1::oid, $2::bigint, $3)`, values: [oid, offset, bufferOf(part)] };
}

export function unlinkLargeObject(oid: number): Plan {
  return { text: `SELECT lo_unlink($1::oid)`, values: [oid] };
}

const bufferOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export function findFileByHash(schema: string, partner: string, sha256: string): Plan {
  return {
    text: `SELECT ${FILE_COLUMNS} FROM ${tableIn(schema, 'files')} WHERE partner = $1 AND sha256 = $2`,
    values: [partner, sha256],
  };
}

export function getFile(schema: string, id: number): Plan {
  return { text: `SELECT ${FILE_COLUMNS} FROM ${tableIn(schema, 'files')} WHERE id = $1`, values: [id] };
}

export function getFileBytes(schema: string, id: number): Plan {
  return { text: `SELECT bytes FROM ${tableIn(schema, 'files')} WHERE id = $1`, values: [id] };
}

/**
 * `length` bytes of the file from byte `from` (0-based), and the file's whole size: the split and
 * validate stages read a large file part by part (migration 9 stores the bytes uncompressed, so this
 * reads only the part's own pages).
 */
export function getFileSlice(schema: string, id: number, from: number, length: number): Plan {
  return {
    text: `SELECT substring(bytes FROM $2::int + 1 FOR $3::int) AS bytes, octet_length(bytes)::bigint AS size FROM ${tableIn(schema, 'files')} WHERE id = $1`,
    values: [id, from, length],
  };
}

/** Where the file's split goes on (migration 9): the byte after its last recorded interchange, and that byte's line. */
export function getSplitProgress(schema: string, id: number): Plan {
  return { text: `SELECT split_offset, split_line FROM ${tableIn(schema, 'files')} WHERE id = $1`, values: [id] };
}

export function setSplitProgress(schema: string, p: { id: number; offset: number; line: number }): Plan {
  return { text: `UPDATE ${tableIn(schema, 'files')} SET split_offset = $2, split_line = $3 WHERE id = $1`, values: [p.id, p.offset, p.line] };
}

/**
 * Who locks a file for the rest of its transaction, and whom that keeps out:
 * - split: another split of the file (they share its progress), not the validation of the slices
 *   it already recorded (splitting and validating a large file take turns otherwise);
 * - validate: only a replay, not another stage;
 * - replay: every stage.
 */
export type FileLockHolder = 'split' | 'validate' | 'replay';
const FILE_LOCKS: Record<FileLockHolder, string> = { split: 'FOR NO KEY UPDATE', validate: 'FOR KEY SHARE', replay: 'FOR UPDATE' };

/** Row lock for the rest of the transaction (FileLockHolder says what it keeps out). */
export function lockFile(schema: string, id: number, holder: FileLockHolder): Plan {
  return { text: `SELECT ${FILE_COLUMNS} FROM ${tableIn(schema, 'files')} WHERE id = $1 ${FILE_LOCKS[holder]}`, values: [id] };
}

export interface FileStateChange {
  id: number;
  /** The change happens only from one of these states; otherwise no row comes back. */
  from: readonly FileState[];
  to: FileState;
  reason?: string | null;
}

export function setFileState(schema: string, c: FileStateChange): Plan {
  return {
    text: `UPDATE ${tableIn(schema, 'files')} SET state = $3, reason = $4
           WHERE id = $1 AND state = ANY($2::text[])
           RETURNING ${FILE_COLUMNS}`,
    values: [c.id, c.from, c.to, c.reason ?? null],
  };
}

export interface FileFilter {
  state?: FileState;
  partner?: string;
  /** Only files received before this time (e.g. a sweeper's grace period). */
  receivedBefore?: Date;
  /** Keyset cursor: ids below this one (newest first). */
  before?: number;
  limit?: number;
}

export function listFiles(schema: string, filter: FileFilter = {}): Plan {
  const p = new Params();
  const where: string[] = [];
  if (filter.state) where.push(`state = ${p.add(filter.state)}`);
  if (filter.partner) where.push(`partner = ${p.add(filter.partner)}`);
  if (filter.receivedBefore) where.push(`received_at < ${p.add(filter.receivedBefore)}`);
  if (filter.before !== undefined) where.push(`id < ${p.add(filter.before)}`);
  return {
    text: `SELECT ${FILE_COLUMNS} FROM ${tableIn(schema, 'files')} ${whereClause(where)}
           ORDER BY id DESC LIMIT ${p.add(filter.limit ?? 100)}`,
    values: p.values,
  };
}

export interface NewReceipt {
  fileId: number;
  sourceName: string;
  channel: string;
  duplicate: boolean;
  metadata?: Json;
}

export function insertReceipt(schema: string, r: NewReceipt): Plan {
  return {
    text: `INSERT INTO ${tableIn(schema, 'receipts')} (file_id, source_name, channel, duplicate, metadata)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${RECEIPT_COLUMNS}`,
    values: [r.fileId, r.sourceName, r.channel, r.duplicate, json(r.metadata ?? {})],
  };
}

/** The receipt of this file read from this source identity (path, size, mtime), if any: a re-read, not a resend. */
export function findReceiptBySource(schema: string, fileId: number, sourceIdentity: string): Plan {
  return {
    text: `SELECT ${RECEIPT_COLUMNS} FROM ${tableIn(schema, 'receipts')} WHERE file_id = $1 AND metadata->>'sourceIdentity' = $2 ORDER BY id LIMIT 1`,
    values: [fileId, sourceIdentity],
  };
}

export function listReceipts(schema: string, fileId: number): Plan {
  return {
    text: `SELECT ${RECEIPT_COLUMNS} FROM ${tableIn(schema, 'receipts')} WHERE file_id = $1 ORDER BY id`,
    values: [fileId],
  };
}

/** How many of these files were rejected as a whole. */
export function countRejectedFiles(schema: string, ids: readonly number[]): Plan {
  return { text: `SELECT count(*)::int AS n FROM ${tableIn(schema, 'files')} WHERE id = ANY($1::bigint[]) AND state = 'rejected'`, values: [[...ids]] };
}
