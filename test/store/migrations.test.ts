import { describe, expect, it } from 'vitest';
import { checkSchemaName, quoteIdent } from '../../src/store/identifiers.js';
import { latestVersion, migrate, MigrationError, schemaVersion, type Migration } from '../../src/store/migrations.js';
import { migrations } from '../../src/store/schema/index.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase({ migrate: false });

const TABLES = ['alert_log', 'alert_state', 'api_tokens', 'as2_messages', 'audit', 'control_numbers', 'documents', 'events', 'files', 'interchanges', 'login_attempts', 'master_data_map', 'odoo_cursors', 'outbound', 'outbound_documents', 'partner_health', 'posted', 'product_map', 'receipts', 'remote_files', 'replay_batches', 'schema_version', 'sessions', 'users'];

async function tablesOf(schema: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}

async function versionRows(schema: string): Promise<number[]> {
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${quoteIdent(schema)}.schema_version ORDER BY version`);
  return rows.map((r) => r.version);
}

describe('migrations', () => {
  it('apply once on a fresh schema, then find nothing to do', async () => {
    const schema = `${db.schema}_once`;
    expect(await schemaVersion(db, schema)).toBe(0);

    const first = await migrate(db.pool, schema);
    expect(first).toEqual({ from: 0, to: latestVersion(), applied: migrations.map((m) => m.version) });
    expect(await tablesOf(schema)).toEqual(TABLES);

    const second = await migrate(db.pool, schema);
    expect(second).toEqual({ from: latestVersion(), to: latestVersion(), applied: [] });
    expect(await versionRows(schema)).toEqual(migrations.map((m) => m.version));
  });

  it('are safe when three processes start at once (advisory lock: no error, each version once)', async () => {
    const schema = `${db.schema}_race`;
    const processes = [db.another(2), db.another(2), db.another(2)];
    const results = await Promise.all(processes.map((p) => migrate(p.pool, schema)));
    expect(results.flatMap((r) => r.applied)).toEqual(migrations.map((m) => m.version));
    expect(results.filter((r) => r.applied.length === 0)).toHaveLength(2);
    expect(await versionRows(schema)).toEqual(migrations.map((m) => m.version));
    expect(await tablesOf(schema)).toEqual(TABLES);
  });

  it('refuse a database written by newer code', async () => {
    const schema = `${db.schema}_newer`;
    await migrate(db.pool, schema);
    await db.query(`INSERT INTO ${quoteIdent(schema)}.schema_version (version, description) VALUES (99, 'from the future')`);
    await expect(migrate(db.pool, schema)).rejects.toThrow(MigrationError);
    await expect(migrate(db.pool, schema)).rejects.toThrow(new RegExp(`version 99 .* up to ${latestVersion()}`));
    await expect(migrate(db.pool, schema)).rejects.toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW', policy: 'protocol', details: { schema, version: 99 } });
  });

  it('roll back a failing migration whole, naming it and its statement', async () => {
    const schema = `${db.schema}_broken`;
    await migrate(db.pool, schema);
    const broken: Migration = {
      version: latestVersion() + 1,
      description: 'a broken one',
      up: ['CREATE TABLE half_done (id int)', 'ALTER TABLE no_such_table ADD COLUMN x int'],
    };
    const error = await migrate(db.pool, schema, { migrations: [...migrations, broken] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'STORE_MIGRATION_FAILED', details: { schema, migration: latestVersion() + 1 } });
    expect((error as Error).message).toMatch(new RegExp(`migration ${latestVersion() + 1} \\(a broken one\\) failed .*no_such_table`, 's'));
    expect(await schemaVersion(db, schema)).toBe(latestVersion());
    expect(await tablesOf(schema)).not.toContain('half_done');
  });

  it('apply later migrations on top of earlier ones, in the configured schema only', async () => {
    const schema = `${db.schema}_later`;
    await migrate(db.pool, schema);
    const v = latestVersion() + 1;
    const next: Migration = { version: v, description: 'add a note column', up: ['ALTER TABLE files ADD COLUMN note text'] };
    expect(await migrate(db.pool, schema, { migrations: [...migrations, next] })).toEqual({ from: v - 1, to: v, applied: [v] });
    const { rows } = await db.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'files' AND column_name = 'note'`,
      [schema],
    );
    expect(rows).toHaveLength(1);
    expect(await tablesOf('public')).not.toContain('files');
  });

  it('refuse a list with a gap (our own bug, caught before touching the database)', async () => {
    const gap: Migration = { version: latestVersion() + 2, description: 'skips one', up: [] };
    await expect(migrate(db.pool, `${db.schema}_gap`, { migrations: [...migrations, gap] })).rejects.toThrow(/out of order/);
  });

  it('accept only plain schema names and quote identifiers like format(%I)', async () => {
    expect(checkSchemaName('edi')).toBe('edi');
    expect(checkSchemaName('t_0123abcd')).toBe('t_0123abcd');
    for (const bad of ['', 'Edi', 'edi-test', '1edi', 'edi;drop', 'a'.repeat(64)]) expect(() => checkSchemaName(bad)).toThrow(/invalid schema name/);
    const { rows } = await db.query<{ q: string }>(`SELECT format('%I', $1::text) AS q`, ['we"ird name']);
    expect(quoteIdent('we"ird name')).toBe(rows[0]!.q);
  });
});
