// The store's public surface: open the database, run repositories on it or in a transaction.
// Plans (SQL as { text, values }) are under `sql`; repositories run them and return camelCase records.
//
//   const db = await openDatabase({ log });            // DATABASE_URL, else embedded in ./data/postgres; migrated
//   const stored = await withTransaction(db, async (tx) => {
//     const s = await storeFile(tx, { partner, channel, sourceName, bytes });
//     if (!s.duplicate) await boss.send(..., { db: { executeSql: (t, v) => tx.client.query(t, v) } });
//     return s;                                        // commit happens after this returns
//   });
//   await setDocumentState(db, { id, from: ['parsed'], to: 'validated', stage: 'validate', actor: 'system', event: { message: 'valid' } });
//   await db.close();
export { openDatabase, createPool, databaseOf, redactUrl, poolSizeOf, DEFAULT_SCHEMA, DEFAULT_DATA_DIR, DEFAULT_POOL_SIZE } from './database.js';
export type { Database, OpenOptions, PoolOptions } from './database.js';
export { lockConnection } from './lock-connection.js';
export type { LockConnection, LockConnectionOptions, SessionLock } from './lock-connection.js';
export { withTransaction, run } from './conn.js';
export type { Conn, Queryable, Tx } from './conn.js';
export { startEmbeddedPostgres, startSupervisedPostgres, stopOrphanedServer, EmbeddedStartError } from './embedded.js';
export type { EmbeddedOptions, EmbeddedServer, RestartPolicy } from './embedded.js';
export { migrate, schemaVersion, latestVersion, MigrationError } from './migrations.js';
export type { Migration, MigrationResult } from './migrations.js';
export { checkSchemaName, quoteIdent } from './identifiers.js';
export { silentLogger, type Logger } from '../logging/logger.js';
export * from './types.js';
export * from './files-repo.js';
export * from './interchanges-repo.js';
export * from './documents-repo.js';
export * from './events-repo.js';
export * from './outbound-repo.js';
export * from './outbound-documents-repo.js';
export * from './posted-repo.js';
export * from './postings-repo.js';
export * from './partners-repo.js';
export * from './product-map-repo.js';
export * from './reconcile-repo.js';
export * from './dashboard-repo.js';
export * from './threads-repo.js';
export * as sql from './sql/index.js';
export type { NewFile, NewReceipt, FileFilter, FileStateChange } from './sql/files.js';
export type { NewInterchange } from './sql/interchanges.js';
export type { NewDocument, DocumentChange, Transition, DocumentFilter, EventNote } from './sql/documents.js';
export type { NewEvent } from './sql/events.js';
export type { NewOutbound } from './sql/outbound.js';
export type { NewPosted } from './sql/posted.js';
export type { PostingClaim, ClaimRequest } from './sql/postings.js';
export type { ProductMapping } from './sql/product-map.js';
export type { AckStateMove } from './sql/reconcile.js';
export type { HealthKey, HealthFailure, RemoteFileKey, RemoteFileEntry } from './sql/partners.js';
export * from './access-repo.js';
export * from './replays-repo.js';
export * from './gaps-repo.js';
export * from './master-data-map-repo.js';
export type { MasterDataKind, MasterDataMapping } from './sql/master-data-map.js';
export * from './alerts-repo.js';
