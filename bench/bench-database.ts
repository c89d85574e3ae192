// The database a benchmark runs on: DATABASE_URL when set, else an embedded server in a
// temporary folder that close() stops and removes. Shared by the pipeline and transport benches.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/store/index.js';

export interface BenchDatabase {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export async function benchDatabase(maxConnections: number, say: (line: string) => void): Promise<BenchDatabase> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { url: fromEnv, embedded: false, close: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'edi-bench-pg-'));
  await chmod(dir, 0o755); // the server runs as `postgres` when we are root
  say(`starting an embedded PostgreSQL in ${dir}...`);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), ephemeral: true, settings: { max_connections: String(maxConnections) } });
  return {
    url: server.connectionString,
    embedded: true,
    close: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
