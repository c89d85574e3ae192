// Versioned migrations, applied at start. The runner takes a transaction-scoped advisory lock derived
// from the schema name, so several gateway processes starting at once apply each migration exactly once
// (the others wait, then find nothing to do), and a failed migration leaves the schema as it was.
import type pg from 'pg';
import { GatewayError } from '../errors/failure.js';
import type { Queryable } from './conn.js';
import { checkSchemaName, quoteIdent } from './identifiers.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { migrations as allMigrations } from './schema/index.js';

export interface Migration {
  /** 1, 2, 3, ... without gaps. Never change a released migration: add the next one. */
  readonly version: number;
  readonly description: string;
  /** Statements with unqualified table names: they run with search_path set to the target schema only. */
  readonly up: readonly string[];
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

export class MigrationError extends GatewayError {
  override name = 'MigrationError';
  constructor(code: 'STORE_SCHEMA_TOO_NEW' | 'STORE_MIGRATION_FAILED', message: string, details: Record<string, unknown>, options?: { cause?: unknown }) {
    super(code, message, details, options);
  }
}

export function latestVersion(migrations: readonly Migration[] = allMigrations): number {
  return migrations.at(-1)?.version ?? 0;
}

export async function migrate(
  pool: pg.Pool,
  schema: string,
  options: { migrations?: readonly Migration[]; log?: Logger } = {},
): Promise<MigrationResult> {
  const migrations = options.migrations ?? allMigrations;
  const log = options.log ?? silentLogger;
  checkOrder(migrations);
  const quoted = quoteIdent(checkSchemaName(schema));
  const latest = latestVersion(migrations);

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`edi.migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (
         version integer PRIMARY KEY,
         description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await currentVersion(client, quoted);
    if (from > latest) {
      throw new MigrationError(
        'STORE_SCHEMA_TOO_NEW',
        `schema ${schema} is at version ${from} but this gateway knows migrations up to ${latest}: ` +
          `run a newer gateway (refusing to touch a database written by newer code)`,
        { schema, version: from, known: latest },
      );
    }
    const pending = migrations.filter((m) => m.version > from);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    for (const migration of pending) {
      for (const statement of migration.up) {
        try {
          await client.query(statement);
        } catch (error) {
          throw new MigrationError(
            'STORE_MIGRATION_FAILED',
            `migration ${migration.version} (${migration.description}) failed in schema ${schema}: ${(error as Error).message}\n${statement}`,
            { schema, migration: migration.version },
            { cause: error },
          );
        }
      }
      await client.query(`INSERT INTO ${quoted}.schema_version (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
    if (pending.length) log.info({ schema, from, to: latest }, 'database migrated');
    return { from, to: latest, applied: pending.map((m) => m.version) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The schema's version: 0 when it has never been migrated. */
export async function schemaVersion(db: Queryable, schema: string): Promise<number> {
  const quoted = quoteIdent(checkSchemaName(schema));
  const exists = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${quoted}.schema_version`]);
  if (!exists.rows[0]?.t) return 0;
  return currentVersion(db, quoted);
}

async function currentVersion(db: Queryable, quoted: string): Promise<number> {
  const result = await db.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${quoted}.schema_version`);
  return result.rows[0]?.v ?? 0;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
}
