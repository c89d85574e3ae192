// What repositories run on: the pool (auto-commit) or one transaction's client, plus the schema name.
import type pg from 'pg';
import type { QueryResult, QueryResultRow } from 'pg';
import type { Plan } from './sql/plan.js';

/** Anything that runs SQL: pg.Pool, pg.PoolClient, a Conn. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface Conn extends Queryable {
  readonly schema: string;
}

/** A Conn bound to one transaction; `client` is there for libraries that join it (pg-boss `db.executeSql`). */
export interface Tx extends Conn {
  readonly client: pg.PoolClient;
}

export function run<R extends QueryResultRow = QueryResultRow>(conn: Conn, plan: Plan): Promise<QueryResult<R>> {
  return conn.query<R>(plan.text, plan.values);
}

/**
 * Runs `fn` in one transaction (READ COMMITTED) on a client of `db.pool`: commit when it resolves,
 * roll back and rethrow when it throws. Nothing is committed before `fn` returns.
 */
export async function withTransaction<T>(db: { pool: pg.Pool; schema: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  const tx: Tx = {
    schema: db.schema,
    client,
    query: <R extends QueryResultRow>(text: string, values?: unknown[]) => client.query<R>(text, values),
  };
  try {
    await client.query('BEGIN');
    const result = await fn(tx);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      // The connection is broken: throw it away instead of returning it to the pool.
      client.release(rollbackError instanceof Error ? rollbackError : true);
    }
    throw error;
  }
}
