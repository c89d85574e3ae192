// Opening the gateway's database: DATABASE_URL (or the option) when given, else the embedded server
// in the data folder; then migrations. Every gateway table lives in one schema (default `edi`).
import pg from 'pg';
import type { QueryResultRow } from 'pg';
import { GatewayError, isGatewayError } from '../errors/failure.js';
import type { Conn } from './conn.js';
import { startEmbeddedPostgres, startSupervisedPostgres, type EmbeddedServer, type RestartPolicy } from './embedded.js';
import { checkSchemaName } from './identifiers.js';
import { lockConnection, type LockConnection } from './lock-connection.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { migrate } from './migrations.js';

export const DEFAULT_SCHEMA = 'edi';
export const DEFAULT_DATA_DIR = 'data/postgres';
/** DATABASE_POOL_SIZE when unset: the pipeline's stage workers, intake and pg-boss share it; locks do not use it. */
export const DEFAULT_POOL_SIZE = 10;
/** Below 2 one transaction would stall everything else; above 1000 no PostgreSQL lets a process in. */
const POOL_SIZE_RANGE = { min: 2, max: 1000 } as const;

export interface OpenOptions {
  /** Wins over the DATABASE_URL environment variable; both absent: the embedded server. */
  databaseUrl?: string;
  /** Data folder of the embedded server. Default `./data/postgres`. */
  dataDir?: string;
  /** Default `edi`. Lowercase letters, digits, _. */
  schema?: string;
  log?: Logger;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Pool size; wins over the DATABASE_POOL_SIZE environment variable. Default 10. */
  maxConnections?: number;
  /** Embedded server only: skip fsync (tests, benchmarks). */
  ephemeral?: boolean;
  /** Embedded server only: start it again when it dies (a running gateway); `embedded.lost` says when that failed. */
  restartEmbedded?: RestartPolicy | boolean;
}

export interface Database extends Conn {
  readonly pool: pg.Pool;
  readonly connectionString: string;
  readonly schema: string;
  /** The embedded server this process uses, if any. */
  readonly embedded?: EmbeddedServer;
  /** The mailbox and folder locks: one connection of their own, opened at the first lock, outside the pool. */
  readonly locks: LockConnection;
  /** Ends the lock connection and the pool, then stops the embedded server when this process owns it. Safe to call twice. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const log = options.log ?? silentLogger;
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const url = options.databaseUrl || process.env.DATABASE_URL || undefined;
  const poolSize = options.maxConnections ?? poolSizeOf(process.env.DATABASE_POOL_SIZE);
  const embeddedOptions = { dataDir: options.dataDir ?? DEFAULT_DATA_DIR, log, ...(options.ephemeral ? { ephemeral: true } : {}) };
  const restart = options.restartEmbedded;
  const embedded = url
    ? undefined
    : restart
      ? await startSupervisedPostgres({ ...embeddedOptions, ...(typeof restart === 'object' ? { restart } : {}) })
      : await startEmbeddedPostgres(embeddedOptions);
  const connectionString = url ?? embedded!.connectionString;
  const pool = createPool(connectionString, poolSize, log);
  const db = databaseOf(pool, connectionString, schema, embedded, log);
  try {
    if (options.migrate ?? true) await migrate(pool, schema, { log });
    else await pool.query('SELECT 1');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw describeConnectError(error, connectionString);
  }
  return db;
}

/** DATABASE_POOL_SIZE: unset or empty, the default; otherwise a whole number in range, or the gateway does not start. */
export function poolSizeOf(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_POOL_SIZE;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= POOL_SIZE_RANGE.min && n <= POOL_SIZE_RANGE.max) return n;
  throw new GatewayError(
    'RUNTIME_CONFIG_INVALID',
    `DATABASE_POOL_SIZE takes a whole number of database connections from ${POOL_SIZE_RANGE.min} to ${POOL_SIZE_RANGE.max} (default ${DEFAULT_POOL_SIZE}), not ${JSON.stringify(raw)}`,
    { setting: 'DATABASE_POOL_SIZE', value: raw },
  );
}

export interface PoolOptions {
  /** How long a caller waits for a connection of a full pool before the pool counts as exhausted. Default 10 s. */
  acquireTimeoutMs?: number;
  /** At most one log line per this period says the pool is exhausted. Default 60 s. */
  reportEveryMs?: number;
}

/**
 * A pool that logs connection errors instead of throwing them: a database that goes away must not
 * crash the process; queries fail (and jobs retry) until it is back. A caller that waits too long
 * for a connection fails with STORE_POOL_EXHAUSTED, and one error line (at most one per period)
 * says why, instead of every caller reporting a bare timeout.
 */
export function createPool(connectionString: string, max: number, log: Logger, options: PoolOptions = {}): pg.Pool {
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 10_000;
  const pool = new GatewayPool(
    {
      connectionString,
      max,
      application_name: 'edi-gateway',
      connectionTimeoutMillis: acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
    },
    exhaustionReport(max, acquireTimeoutMs, options.reportEveryMs ?? 60_000, log),
  );
  pool.on('error', (error) => log.warn({ error: error.message }, 'database connection lost'));
  // A checked-out client whose server goes away emits 'error' too; the next query on it fails anyway.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** node-postgres's message for a caller that waited connectionTimeoutMillis while every connection was in use. */
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/** pg.Pool whose checkout timeout is STORE_POOL_EXHAUSTED (pool.query checks out through connect too). */
class GatewayPool extends pg.Pool {
  constructor(config: pg.PoolConfig, private readonly exhausted: (pool: pg.Pool) => GatewayError) {
    super(config);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    const translate = (error: unknown) => (error instanceof Error && error.message === POOL_WAIT_TIMEOUT ? this.exhausted(this) : error);
    if (callback) return super.connect((error, client, done) => callback(error ? (translate(error) as Error) : error, client, done));
    return super.connect().catch((error: unknown) => {
      throw translate(error);
    });
  }
}

/** The error for each caller that timed out, and the rate-limited log line that names the cause. */
function exhaustionReport(max: number, waitedMs: number, everyMs: number, log: Logger): (pool: pg.Pool) => GatewayError {
  let lastReport = -Infinity;
  let unreported = 0;
  return (pool) => {
    const inUse = pool.totalCount - pool.idleCount;
    const waiting = pool.waitingCount;
    const message =
      `the database pool (${max} connections) had no free connection for ${waitedMs / 1000} s: ${inUse} in use, ${waiting} waiting; ` +
      'raise DATABASE_POOL_SIZE, or find what holds connections that long (pg_stat_activity, application_name edi-gateway)';
    const details = { poolSize: max, inUse, waiting, waitedMs };
    if (Date.now() - lastReport >= everyMs) {
      log.error({ code: 'STORE_POOL_EXHAUSTED', ...details, ...(unreported ? { timedOutSinceLastReport: unreported } : {}) }, message);
      lastReport = Date.now();
      unreported = 0;
    } else {
      unreported++;
    }
    return new GatewayError('STORE_POOL_EXHAUSTED', message, details);
  };
}

export function databaseOf(pool: pg.Pool, connectionString: string, schema: string, embedded?: EmbeddedServer, log: Logger = silentLogger): Database {
  let closing: Promise<void> | undefined;
  const locks = lockConnection(connectionString, { log });
  return {
    pool,
    connectionString,
    schema,
    ...(embedded ? { embedded } : {}),
    locks,
    query: <R extends QueryResultRow>(text: string, values?: unknown[]) => pool.query<R>(text, values),
    close: () =>
      (closing ??= (async () => {
        await locks.close();
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
  if (!(error instanceof Error) || isGatewayError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const known = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000' || /timeout/i.test(error.message);
  if (!known) return error;
  const database = redactUrl(connectionString);
  return new GatewayError('STORE_UNREACHABLE', `cannot use the database at ${database}: ${error.message || code}`, { database }, { cause: error });
}
