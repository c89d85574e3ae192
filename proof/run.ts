// `npm run proof`: the fault-injection proof (issue 10). Runs every scenario (proof/scenarios/),
// prints the table (scenario, files, transactions, lost, duplicated, time to recover) and ends with
// one JSON line; exits 1 when any scenario lost or duplicated a transaction or did not finish.
// PROOF_SHORT=1: the small counts the CI test runs (test/proof/proof-short.test.ts). PROOF_SEED
// seeds the random moments; PROOF_ONLY=kill,target runs some scenarios. DATABASE_URL: the
// PostgreSQL to use (one schema per scenario, dropped after); without it an embedded server.
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/store/embedded.js';
import { runScenarios } from './runner.js';

const short = process.env.PROOF_SHORT === '1';
const seed = Number(process.env.PROOF_SEED ?? 20261207);
const only = process.env.PROOF_ONLY?.split(',').filter(Boolean);

let url = process.env.DATABASE_URL;
let cleanup = async () => undefined as void;
if (!url) {
  const dir = await mkdtemp(join(tmpdir(), 'edi-proof-pg-'));
  await chmod(dir, 0o755); // the server runs as `postgres` when we are root
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), ephemeral: true, settings: { max_connections: '200' } });
  url = server.connectionString;
  cleanup = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

const started = Date.now();
try {
  const { results, table } = await runScenarios({ url, size: short ? 'short' : 'full', seed, say: (l) => void process.stderr.write(`${l}\n`) }, only);
  const ok = results.every((r) => r.lost === 0 && r.duplicated === 0 && r.recoverSeconds !== null);
  process.stdout.write(`\n${table}\n\n`);
  process.stdout.write(`${JSON.stringify({ proof: short ? 'short' : 'full', seed, ok, seconds: Math.round((Date.now() - started) / 1000), results })}\n`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await cleanup();
}
