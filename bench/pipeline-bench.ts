// npm run bench:pipeline: the durable pipeline end to end, intake -> split -> validate -> map -> post
// (recording target), in this process on this machine.
//   1. burst: 1,000 files holding 10,000 transactions handed to intake as fast as it takes them;
//      transactions/s from the first intake to the last 'posted' event, p50/p99 intake -> posted.
//   2. steady: 20 transactions/s (one file of one 850 every 50 ms) for 30 s; p50/p99 intake -> posted.
// Latencies come from the events table (the file's first event at intake, the document's 'posted'
// event), so they are what the timeline shows. Peak RSS is this process's (gateway and bench).
// DATABASE_URL when set (schema bench_pipeline, dropped first), else an embedded server in a temp folder.
// Options: --files N --sets N --steady-seconds N --rate N (transactions/s) --intake-concurrency N
// --gateway JSON (GatewayOptions to try). Ends with one JSON line.
import { latencies } from './latencies.js';
import { benchDatabase } from './bench-database.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { burst, burstFile } from './pipeline-files.js';
import { startGateway, type Gateway } from '../src/jobs/gateway.js';
import { openDatabase, type Database } from '../src/store/index.js';
import { quoteIdent, tableIn } from '../src/store/identifiers.js';

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '1000' },
    sets: { type: 'string', default: '10' },
    'steady-seconds': { type: 'string', default: '30' },
    rate: { type: 'string', default: '20' },
    'intake-concurrency': { type: 'string', default: '8' },
    // Gateway options to try, as JSON, e.g. '{"concurrency":{"split":2,"validate":2}}'.
    gateway: { type: 'string', default: '{}' },
  },
});
const FILES = Number(args.files);
const SETS = Number(args.sets);
const STEADY_SECONDS = Number(args['steady-seconds']);
const RATE = Number(args.rate);
const INTAKE_CONCURRENCY = Number(args['intake-concurrency']);
const SCHEMA = 'bench_pipeline';
const GATEWAY_OPTIONS = JSON.parse(args.gateway!) as Partial<Parameters<typeof startGateway>[0]>;

const say = (line: string) => process.stderr.write(line + '\n');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);


async function unfinished(db: Database, fileIds: number[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE file_id = ANY($1::bigint[]) AND state <> 'posted' GROUP BY state`,
    [fileIds],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function runBurst(db: Database, gateway: Gateway) {
  say(`generating ${FILES} files x ${SETS} transactions...`);
  const files = burst(FILES, SETS, { sender: 'BENCHBURST' });
  const megabytes = files.reduce((n, f) => n + f.bytes.length, 0) / 1e6;
  say(`burst: ${FILES} files, ${FILES * SETS} transactions, ${megabytes.toFixed(1)} MB, intake with ${INTAKE_CONCURRENCY} at a time`);
  const fileIds: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: INTAKE_CONCURRENCY }, async () => {
      while (next < files.length) {
        const f = files[next++]!;
        const r = await gateway.intake({ partner: 'bench', channel: 'bench', sourceName: f.name, bytes: f.bytes });
        fileIds.push(r.fileId);
      }
    }),
  );
  const intakeSeconds = (performance.now() - t0) / 1000;
  say(`  intake done in ${intakeSeconds.toFixed(2)} s (${(FILES / intakeSeconds).toFixed(0)} files/s); waiting for the pipeline...`);
  await gateway.idle(600_000);
  const lat = await latencies(db, fileIds);
  const seconds = (lat.lastPosted.getTime() - lat.firstArrival.getTime()) / 1000;
  const left = await unfinished(db, fileIds);
  const txPerSecond = lat.documents / seconds;
  say(`  ${lat.documents} posted in ${seconds.toFixed(2)} s: ${txPerSecond.toFixed(0)} transactions/s; intake -> posted p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms, max ${lat.maxMs} ms`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return {
    files: FILES,
    transactions: FILES * SETS,
    posted: lat.documents,
    notPosted: left,
    megabytes: Number(megabytes.toFixed(1)),
    intakeSeconds: Number(intakeSeconds.toFixed(2)),
    seconds: Number(seconds.toFixed(2)),
    txPerSecond: Math.round(txPerSecond),
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
  };
}

async function runSteady(db: Database, gateway: Gateway) {
  const count = Math.round(RATE * STEADY_SECONDS);
  const gapMs = 1000 / RATE;
  say(`steady: ${RATE} transactions/s for ${STEADY_SECONDS} s (${count} files of one 850, one every ${gapMs.toFixed(0)} ms)`);
  // Numbered after the burst's files: the same PO numbers again would be repeats (duplicate, not posted).
  const files = Array.from({ length: count }, (_, i) => burstFile(FILES + i + 1, 1, { sender: 'BENCHSTEADY' }));
  const fileIds: number[] = [];
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  let late = 0;
  for (const [i, f] of files.entries()) {
    // Absolute schedule: a slow intake does not slow the arrivals down.
    const wait = t0 + i * gapMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -gapMs) late++;
    inFlight.push(gateway.intake({ partner: 'bench', channel: 'bench', sourceName: f.name, bytes: f.bytes }).then((r) => void fileIds.push(r.fileId)));
  }
  await Promise.all(inFlight);
  await gateway.idle(120_000);
  const lat = await latencies(db, fileIds);
  const left = await unfinished(db, fileIds);
  say(`  ${lat.documents} posted; intake -> posted p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms, max ${lat.maxMs} ms${late ? `; ${late} arrivals were late (the bench could not keep up)` : ''}`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return { rate: RATE, seconds: STEADY_SECONDS, transactions: count, posted: lat.documents, notPosted: left, lateArrivals: late, p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, maxMs: lat.maxMs };
}

async function main(): Promise<void> {
  const bench = await benchDatabase(200, say);
  const url = bench.url;
  const db = await openDatabase({ databaseUrl: url, schema: SCHEMA, migrate: false, maxConnections: 20 });
  let gateway: Gateway | undefined;
  try {
    for (const s of [SCHEMA, `${SCHEMA}_boss`]) await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
    await db.close();
    const fresh = await openDatabase({ databaseUrl: url, schema: SCHEMA, maxConnections: 20 });
    gateway = await startGateway({ ...GATEWAY_OPTIONS, db: fresh });
    const burstFigures = await runBurst(fresh, gateway);
    const steadyFigures = await runSteady(fresh, gateway);
    await gateway.stop();
    gateway = undefined;
    await fresh.close();
    clearInterval(sampler);
    const figures = {
      bench: 'pipeline',
      database: bench.embedded ? 'embedded' : 'DATABASE_URL',
      gatewayOptions: GATEWAY_OPTIONS,
      burst: burstFigures,
      steady: steadyFigures,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      targets: {
        burstTxPerSecond: { target: 300, met: burstFigures.txPerSecond >= 300 },
        steadyP50Ms: { target: 1000, met: steadyFigures.p50Ms < 1000 },
        steadyP99Ms: { target: 3000, met: steadyFigures.p99Ms < 3000 },
      },
    };
    say(`peak RSS ${figures.peakRssMb} MB`);
    process.stdout.write(JSON.stringify(figures) + '\n');
  } finally {
    await gateway?.stop().catch(() => undefined);
    clearInterval(sampler);
    await bench.close();
  }
}

await main();
