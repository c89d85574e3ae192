// npm run bench:latency: one small order at a time from the drop folder to posted (bench/drop-latency.ts).
// DATABASE_URL when set (schema bench_latency, dropped first), else an embedded server in a temp folder.
// Options: --drops N. Ends with one JSON line.
import { parseArgs } from 'node:util';
import { quoteIdent } from '../src/store/identifiers.js';
import { openDatabase } from '../src/store/index.js';
import { benchDatabase } from './bench-database.js';
import { measureDropLatency } from './drop-latency.js';

const { values: args } = parseArgs({ options: { drops: { type: 'string', default: '15' } } });
const say = (line: string) => process.stderr.write(line + '\n');
const SCHEMA = 'bench_latency';

const server = await benchDatabase(40, say);
const old = await openDatabase({ databaseUrl: server.url, schema: SCHEMA, migrate: false });
for (const s of [SCHEMA, `${SCHEMA}_boss`]) await old.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
await old.close();
const db = await openDatabase({ databaseUrl: server.url, schema: SCHEMA });
try {
  say('drop folder -> posted, one small 850 at a time (default windows: settle 1 s, stability 5 s):');
  const figures = await measureDropLatency(db, Number(args.drops), say);
  say(`p50 ${figures.p50Ms} ms, p90 ${figures.p90Ms} ms, max ${figures.maxMs} ms (target p50 < 2000 ms: ${figures.p50Ms < 2000 ? 'PASS' : 'FAIL'})`);
  process.stdout.write(JSON.stringify({ bench: 'latency', ...figures, targetP50Ms: 2000 }) + '\n');
} finally {
  await db.close();
  await server.close();
}
