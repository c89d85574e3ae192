// Readiness of the store: the database answers and its schema is at this gateway's migration.
import type { Database } from './database.js';
import { latestVersion, schemaVersion } from './migrations.js';

export function databaseReadiness(db: Database): { readonly name: string; check(): Promise<string | undefined> } {
  return {
    name: 'database',
    async check() {
      let version: number;
      try {
        version = await schemaVersion(db.pool, db.schema);
      } catch (error) {
        return `the database does not answer: ${error instanceof Error ? error.message : String(error)}`;
      }
      const latest = latestVersion();
      if (version === latest) return undefined;
      return version < latest
        ? `schema ${db.schema} is at migration ${version}; this gateway needs ${latest} (it migrates at start)`
        : `schema ${db.schema} is at migration ${version}, newer than this gateway's ${latest}`;
    },
  };
}
