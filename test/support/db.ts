// Test harness: each test FILE gets its own schema in the run's database (see global-setup.ts),
// named from a hash of the file's path, migrated before its tests and dropped after them.
// Extra schemas a file makes (pg-boss, migration tests) should be named `${db.schema}_something`:
// they are dropped with it.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type pg from 'pg';
import type { QueryResultRow } from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPool, databaseOf, type Database } from '../../src/store/database.js';
import { quoteIdent } from '../../src/store/identifiers.js';
import { silentLogger } from '../../src/logging/logger.js';
import { migrate } from '../../src/store/migrations.js';

export interface TestDatabase extends Database {
  /** The run's database URL (embedded or DATABASE_URL). */
  readonly url: string;
  /** A second Database on the same schema with its own pool and lock connection (closed after the file): another process, or more connections. */
  another(max?: number): Database;
}

export function testSchemaName(testFile: string): string {
  return `t_${createHash('sha256').update(relative(process.cwd(), testFile)).digest('hex').slice(0, 16)}`;
}

/** Call once at the top of a test file. The returned object is usable from beforeAll on. */
export function useTestDatabase(options: { migrate?: boolean } = {}): TestDatabase {
  let db: Database | undefined;
  let url: string | undefined;
  const others: Database[] = [];
  const current = (): Database => {
    if (!db) throw new Error('the test database is ready only from beforeAll on (call useTestDatabase at the top of the file)');
    return db;
  };

  beforeAll(async ({}, suite) => {
    url = inject('databaseUrl') ?? process.env.DATABASE_URL;
    if (!url) {
      throw new Error('no test database: add test/support/global-setup.ts to globalSetup in vitest.config.ts, or set DATABASE_URL');
    }
    const schema = testSchemaName(suite.file.filepath);
    const pool = createPool(url, 10, silentLogger);
    await dropSchemas(pool, schema); // left over from a killed run
    if (options.migrate ?? true) await migrate(pool, schema);
    db = databaseOf(pool, url, schema);
  });

  afterAll(async () => {
    if (!db) return;
    await Promise.all(others.map((d) => d.close()));
    await dropSchemas(db.pool, db.schema);
    await db.close();
  });

  return {
    get pool() {
      return current().pool;
    },
    get schema() {
      return current().schema;
    },
    get connectionString() {
      return current().connectionString;
    },
    get locks() {
      return current().locks;
    },
    get url() {
      current();
      return url!;
    },
    query: <R extends QueryResultRow>(text: string, values?: unknown[]) => current().query<R>(text, values),
    // The harness closes the database after the file; a test must not.
    close: async () => undefined,
    another(max = 10) {
      const other = databaseOf(createPool(this.url, max, silentLogger), this.url, this.schema);
      others.push(other);
      return other;
    },
  };
}

async function dropSchemas(pool: pg.Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace WHERE nspname = $1 OR nspname LIKE $2`,
    [schema, `${schema}\\_%`],
  );
  for (const { name } of rows) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
}
