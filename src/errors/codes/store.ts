// Stable codes for what goes wrong with the gateway's own database. Spread into src/errors/catalog.ts.
import type { CatalogEntry } from '../types.js';

export const storeCodes = {
  STORE_UNREACHABLE: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'The database cannot be used: refused connection, unknown host, wrong password, missing database or no connection in time.',
    fix: 'Check DATABASE_URL (the message shows it without its password) and that PostgreSQL runs and accepts the gateway.',
  },
  STORE_SCHEMA_TOO_NEW: {
    severity: 'error', scope: 'config', retry: 'protocol',
    meaning: 'The database schema was written by a newer gateway than this one; it is left untouched and the gateway does not start.',
    fix: 'Run the newer gateway version (or point DATABASE_URL at another database).',
  },
  STORE_MIGRATION_FAILED: {
    severity: 'error', scope: 'config', retry: 'protocol',
    meaning: 'A schema migration failed; it was rolled back and the gateway does not start.',
    fix: "Read the statement and PostgreSQL's message (often missing rights of the database user); fix that and start again, or report it.",
  },
  STORE_EMBEDDED_START_FAILED: {
    severity: 'error', scope: 'config', retry: 'protocol',
    meaning: 'The embedded PostgreSQL (used without DATABASE_URL) did not start or does not accept connections, or died under a running gateway and did not start again (edi start then exits 70); the message ends with its log.',
    fix: 'Read the PostgreSQL log in the message (a port in use, rights on the data folder, a full disk); fix that, or set DATABASE_URL.',
  },
  STORE_POOL_EXHAUSTED: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: "Every connection of the gateway's database pool (DATABASE_POOL_SIZE, default 10) stayed in use for 10 s while more work waited; what waited failed and is retried. Logged at most once a minute, with how many connections were in use and how many callers waited.",
    fix: 'Raise DATABASE_POOL_SIZE (PostgreSQL must allow that many connections more), or find what holds connections that long: pg_stat_activity rows with application_name edi-gateway.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type StoreCode = keyof typeof storeCodes;
