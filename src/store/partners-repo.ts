// Partner health (per partner and transport) and files taken from partners' mailboxes (migration 3).
//
//   await recordHealthSuccess(db, { partner: 'acme', transport: 'sftp' });
//   const h = await recordHealthFailure(db, { partner: 'acme', transport: 'sftp', error: 'ECONNREFUSED',
//                                            backoff: { baseSeconds: 30, maxSeconds: 3600 } });
//   if (h.nextAttemptAt && h.nextAttemptAt > new Date()) ...     // skip this partner until then
//
//   const key = { partner: 'acme', mailbox: 'sftp:/outbox', path: 'po-1.edi', size: 812, mtime: 1700000000000 };
//   await rememberRemoteFile(tx, { ...key, sha256, state: 'ingested', fileId });  // in intake's wake, before archiving
//   await setRemoteFileState(db, { ...key, from: ['ingested'], to: 'archived' });  // after the archive rename
import { run, type Conn } from './conn.js';
import { toPartnerHealth, toRemoteFile, type Row } from './rows.js';
import * as sql from './sql/partners.js';
import type { PartnerHealthRecord, RemoteFileRecord } from './types.js';

export async function recordHealthSuccess(conn: Conn, key: sql.HealthKey): Promise<PartnerHealthRecord> {
  return toPartnerHealth((await run<Row>(conn, sql.recordHealthSuccess(conn.schema, key))).rows[0]!);
}

/** Counts one more failure in a row; with `backoff`, the returned nextAttemptAt says when to try again. */
export async function recordHealthFailure(conn: Conn, failure: sql.HealthFailure): Promise<PartnerHealthRecord> {
  return toPartnerHealth((await run<Row>(conn, sql.recordHealthFailure(conn.schema, failure))).rows[0]!);
}

export async function listPartnerHealth(conn: Conn, filter: { partner?: string } = {}): Promise<PartnerHealthRecord[]> {
  return (await run<Row>(conn, sql.listHealth(conn.schema, filter))).rows.map(toPartnerHealth);
}

export async function rememberRemoteFile(conn: Conn, entry: sql.RemoteFileEntry): Promise<RemoteFileRecord> {
  return toRemoteFile((await run<Row>(conn, sql.upsertRemoteFile(conn.schema, entry))).rows[0]!);
}

export async function findRemoteFile(conn: Conn, key: sql.RemoteFileKey): Promise<RemoteFileRecord | undefined> {
  const row = (await run<Row>(conn, sql.findRemoteFile(conn.schema, key))).rows[0];
  return row && toRemoteFile(row);
}

/** undefined when the entry does not exist or is not in one of `from`. */
export async function setRemoteFileState(conn: Conn, change: Parameters<typeof sql.setRemoteFileState>[1]): Promise<RemoteFileRecord | undefined> {
  const row = (await run<Row>(conn, sql.setRemoteFileState(conn.schema, change))).rows[0];
  return row && toRemoteFile(row);
}

/** A mailbox's entries (one query per poll, then look files up in memory: see remoteFileKey). */
export async function listRemoteFiles(conn: Conn, filter: Parameters<typeof sql.listRemoteFiles>[1]): Promise<RemoteFileRecord[]> {
  return (await run<Row>(conn, sql.listRemoteFiles(conn.schema, filter))).rows.map(toRemoteFile);
}

export async function forgetRemoteFile(conn: Conn, key: sql.RemoteFileKey): Promise<RemoteFileRecord | undefined> {
  const row = (await run<Row>(conn, sql.deleteRemoteFile(conn.schema, key))).rows[0];
  return row && toRemoteFile(row);
}

/** Drops 'archived' entries whose path is not in `present` (the last listing); returns how many. */
export async function pruneRemoteFiles(conn: Conn, c: Parameters<typeof sql.pruneRemoteFiles>[1]): Promise<number> {
  return (await run(conn, sql.pruneRemoteFiles(conn.schema, c))).rowCount ?? 0;
}

/** A map key for a listed file: `${path}\u0000${size}\u0000${mtime}`. */
export function remoteFileKey(f: { path: string; size: number; mtime: number }): string {
  return `${f.path}\u0000${f.size}\u0000${f.mtime}`;
}
