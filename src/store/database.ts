// Opening the gateway's database: DATABASE_URL (or the option) when given, else the embedded server
// in the data folder; then migrations. Every gateway table lives in one schema (default `edi`).
import pg from 'pg';
import type { QueryResultRow } from 'pg';
import type { Conn } from './conn.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { checkSchemaName } from './identifiers.js';
import { silentLog, type StoreLog } from './log.js';
import { migrate } from './migrations.js';

export const DEFAULT_SCHEMA = 'edi';
export const DEFAULT_DATA_DIR = 'data/postgres';

export interface OpenOptions {
  /** Wins over the DATABASE_URL environment variable; both absent: the embedded server. */
  databaseUrl?: string;
  /** Data folder of the embedded server. Default `./data/postgres`. */
  dataDir?: string;
  /** Default `edi`. Lowercase letters, digits, _. */
  schema?: string;
  log?: StoreLog;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** Embedded server only: skip fsync (tests, benchmarks). */
  ephemeral?: boolean;
}

export interface Database extends Conn {
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly schema: string;
  /** The embedded server this process uses, if any. */
  readonly embedded?: EmbeddedServer;
  /** Ends the pool, then stops the embedded server when this process owns it. Safe to call twice. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const log = options.log ?? silentLog;
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const url = options.databaseUrl || process.env.DATABASE_URL || undefined;
  const embedded = url
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
        log,
        ...(options.ephemeral ? { ephemeral: true } : {}),
      });
  const connectionString = url ?? embedded!.connectionString;
  const pool = createPool(connectionString, options.maxConnections ?? 10, log);
  const db = databaseOf(pool, connectionString, schema, embedded);
  try {
    if (options.migrate ?? true) await migrate(pool, schema, { log });
    else await pool.query('SELECT 1');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw describeConnectError(error, connectionString);
  }
  return db;
}

/**
 * A pool that logs connection errors instead of throwing them: a database that goes away must not
 * crash the process; queries fail (and jobs retry) until it is back.
 */
export function createPool(connectionString: string, max: number, log: StoreLog): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: 'edi-gateway',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => log.warn('database connection lost', { error: error.message }));
  // A checked-out client whose server goes away emits 'error' too; the next query on it fails anyway.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function databaseOf(pool: pg.Pool, connectionString: string, schema: string, embedded?: EmbeddedServer): Database {
  let closing: Promise<void> | undefined;
  return {
    pool,
    connectionString,
    schema,
    ...(embedded ? { embedded } : {}),
    query: <R extends QueryResultRow>(text: string, values?: unknown[]) => pool.query<R>(text, values),
    close: () =>
      (closing ??= (async () => {
        await pool.end();
        if (embedded?.owned) await embedded.stop();
      })()),
  };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

function describeConnectError(error: unknown, connectionString: string): unknown {
  if (!(error instanceof Error) || error.name === 'MigrationError') return error;
  const code = (error as NodeJS.ErrnoException).code;
  const known = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000' || /timeout/i.test(error.message);
  if (!known) return error;
  return new Error(`cannot use the database at ${redactUrl(connectionString)}: ${error.message || code}`, { cause: error });
}
