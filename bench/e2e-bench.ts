// npm run bench:e2e: files through the whole path, arrival -> split -> validate -> map -> post, with a
// posting target that answers in 20 ms (the recording ledger behind a 20 ms wait: an Odoo call's
// latency, without an Odoo double's records growing in this process), in this process.
//   1. large: one file of E2E_LARGE_MB (default 60) MB of one-850 interchanges (the issue's 60 MB held
//      46,041) handed to intake; a small file of another partner arrives 2 s later. Prints split time,
//      transactions/s from arrival to the last posting, the small file's arrival -> posted, peak RSS.
//   2. burst: 1,000 files of 10 transactions written into a watched folder (folder transport);
//      transactions/s from the first arrival to the last posting, p50/p99 arrival -> posted.
//   3. steady: one file of one 850 every 50 ms (20 transactions/s) for E2E_STEADY_SECONDS (default 30)
//      into the folder; p50/p99 arrival -> posted.
// Peak RSS is this process's high-water mark (VmHWM, reset before each case): the gateway plus the
// bench, which never holds a whole file. DATABASE_URL when set (schema bench_e2e, dropped first), else
// an embedded server. Env: E2E_LARGE_MB, E2E_CASES (e.g. "large" or "burst,steady"), E2E_BURST_FILES,
// E2E_STEADY_SECONDS, E2E_GATEWAY (GatewayOptions to try, JSON). Ends with one JSON line of all figures.
import { latencies } from './latencies.js';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDatabase } from './bench-database.js';
import { burst, burstFile, LARGE_FILE_INTERCHANGE_BYTES, writeLargeFile } from './pipeline-files.js';
import { startGateway, type Gateway } from '../src/jobs/gateway.js';
import { recordingTarget } from '../src/jobs/recording-target.js';
import type { PostingTarget } from '../src/jobs/ports.js';
import { openDatabase, type Database } from '../src/store/index.js';
import { quoteIdent, tableIn } from '../src/store/identifiers.js';
import type { Partner } from '../src/partners/types.js';
import { startFolderTransport } from '../src/transports/folder/index.js';

const LARGE_MB = Number(process.env.E2E_LARGE_MB ?? 60);
const CASES = new Set((process.env.E2E_CASES ?? 'large,burst,steady').split(','));
const BURST_FILES = Number(process.env.E2E_BURST_FILES ?? 1000);
const BURST_SETS = 10;
const STEADY_SECONDS = Number(process.env.E2E_STEADY_SECONDS ?? 30);
const STEADY_RATE = 20;
const TARGET_MS = 20;
// E2E_SCHEMA: another schema, to run two benches on one database (e.g. before/after side by side).
const SCHEMA = process.env.E2E_SCHEMA ?? 'bench_e2e';
// Gateway options to try, as JSON, e.g. '{"concurrency":{"post":2}}'.
const GATEWAY_OPTIONS = JSON.parse(process.env.E2E_GATEWAY ?? '{}') as Partial<Parameters<typeof startGateway>[0]>;

const say = (line: string) => process.stderr.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This process's peak RSS since the last reset, in MB (Linux), else the sampled RSS. */
let sampledPeak = 0;
const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 50);
function resetPeak(): void {
  sampledPeak = process.memoryUsage().rss;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the sampled figure stands
  }
}
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Math.round(Math.max(Number(hwm[1]) * 1024, sampledPeak) / 1024 / 1024);
  } catch {
    // fall through
  }
  return Math.round(sampledPeak / 1024 / 1024);
}

/** The recording ledger behind a wait: a target that answers in `ms`. */
function slowTarget(db: Database, ms: number): PostingTarget {
  const inner = recordingTarget(db);
  return { ...inner, post: async (req) => (await sleep(ms), inner.post(req)) };
}


/** When the file's split ended (its 'split' event), in ms after its arrival. */
async function splitMs(db: Database, fileId: number): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM max(e.at) FILTER (WHERE e.to_state = 'split') - min(e.at)) * 1000 AS ms
     FROM ${tableIn(db.schema, 'events')} e WHERE e.file_id = $1 AND e.document_id IS NULL`,
    [fileId],
  );
  return rows[0]?.ms == null ? null : Math.round(Number(rows[0].ms));
}

async function notPosted(db: Database, fileIds: readonly number[]): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE file_id = ANY($1::bigint[]) AND state <> 'posted' GROUP BY state`,
    [fileIds],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

async function runLarge(db: Database, gateway: Gateway, dir: string) {
  const count = Math.max(1, Math.round((LARGE_MB * 1e6) / LARGE_FILE_INTERCHANGE_BYTES));
  const path = join(dir, 'large.edi');
  const out = createWriteStream(path);
  const bytes = await writeLargeFile(count, async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
  say(`large: one file of ${count} interchanges (one 850 each), ${(bytes / 1e6).toFixed(1)} MB`);
  resetPeak();
  const t0 = performance.now();
  // What a transport does: read the file, hand its bytes to intake.
  const large = await gateway.intake({ partner: 'big', channel: 'bench', sourceName: 'large.edi', bytes: await readFile(path) });
  rmSync(path);
  // Another partner's small file, once the large one is being split.
  await sleep(2000);
  const small = burstFile(1, 1, { sender: 'SMALLBUYER' });
  const smallFile = await gateway.intake({ partner: 'small', channel: 'bench', sourceName: small.name, bytes: small.bytes });
  const smallPosted = await waitPosted(db, smallFile.fileId, 600_000);
  const smallLat = await latencies(db, [smallFile.fileId]);
  say(`  small file posted ${smallPosted ? `${smallLat.maxMs} ms after its arrival` : 'NOT within 10 min'}`);
  await gateway.idle(3_600_000);
  const seconds = (performance.now() - t0) / 1000;
  const lat = await latencies(db, [large.fileId]);
  const split = await splitMs(db, large.fileId);
  const left = await notPosted(db, [large.fileId]);
  const txPerSecond = lat.documents / ((lat.lastPosted.getTime() - lat.firstArrival.getTime()) / 1000);
  const peak = peakRssMb();
  say(`  split done ${split} ms after arrival; ${lat.documents} posted in ${seconds.toFixed(1)} s: ${txPerSecond.toFixed(0)} transactions/s; peak RSS ${peak} MB`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return {
    megabytes: Number((bytes / 1e6).toFixed(1)),
    interchanges: count,
    posted: lat.documents,
    notPosted: left,
    splitMs: split,
    seconds: Number(seconds.toFixed(1)),
    txPerSecond: Math.round(txPerSecond),
    smallFileMs: smallPosted ? smallLat.maxMs : null,
    peakRssMb: peak,
  };
}

async function waitPosted(db: Database, fileId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const left = await notPosted(db, [fileId]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'documents')} WHERE file_id = $1`, [fileId]);
    if (rows[0]!.n > 0 && Object.keys(left).length === 0) return true;
    await sleep(100);
  }
  return false;
}

/** A folder partner (the folder transport's partner file as loaded) whose interchanges come from `sender`. */
function folderPartner(code: string, sender: string, inbox: string, archive: string): Partner {
  return {
    code,
    name: code,
    file: `/bench/${code}.yaml`,
    mode: 'production',
    enabled: true,
    identity: { isa: { qualifier: 'ZZ', id: sender }, gs: sender },
    us: { isa: { qualifier: 'ZZ', id: 'OURCOMPANY' }, gs: 'OURCOMPANY' },
    x12: { version: '004010', delimiters: { element: '*', component: '>', repetition: '^', segment: '~' }, lineBreak: true },
    documents: { inbound: ['850'], outbound: [] },
    acknowledgments: { kind: '997', ta1: 'requested', detail: 'all-sets', allowVariableIsa: false },
    maxFileBytes: 100 * 1024 * 1024,
    transport: {
      type: 'folder',
      inbound: { folder: inbox, patterns: ['*.edi'], ignore: ['*.part', '.*'], pollSeconds: 60, stableSeconds: 1, doneMarker: false, archive: { action: 'delete' } },
    },
  } as Partner;
}

/** Files written into `inbox` under a temporary name and renamed (as partners must); their ids once taken. */
async function fileIdsOf(db: Database, names: readonly string[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ id: number }>(
      `SELECT DISTINCT file_id AS id FROM ${tableIn(db.schema, 'receipts')} WHERE source_name = ANY($1::text[])`,
      [names],
    );
    if (rows.length >= names.length || Date.now() > deadline) return rows.map((r) => Number(r.id));
    await sleep(100);
  }
}

async function runBurst(db: Database, gateway: Gateway, inbox: string) {
  const files = burst(BURST_FILES, BURST_SETS, { sender: 'FOLDERBUYER' });
  say(`burst: ${BURST_FILES} files x ${BURST_SETS} transactions into the watched folder`);
  resetPeak();
  for (const f of files) {
    writeFileSync(join(inbox, `${f.name}.part`), f.bytes);
    renameSync(join(inbox, `${f.name}.part`), join(inbox, f.name));
  }
  const ids = await fileIdsOf(db, files.map((f) => f.name), 600_000);
  await gateway.idle(600_000);
  const lat = await latencies(db, ids);
  const seconds = (lat.lastPosted.getTime() - lat.firstArrival.getTime()) / 1000;
  const left = await notPosted(db, ids);
  const txPerSecond = lat.documents / seconds;
  const peak = peakRssMb();
  say(`  ${lat.documents} posted in ${seconds.toFixed(1)} s: ${txPerSecond.toFixed(0)} transactions/s; p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms; peak RSS ${peak} MB`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return { files: BURST_FILES, transactions: BURST_FILES * BURST_SETS, posted: lat.documents, notPosted: left, seconds: Number(seconds.toFixed(1)), txPerSecond: Math.round(txPerSecond), p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, maxMs: lat.maxMs, peakRssMb: peak };
}

async function runSteady(db: Database, gateway: Gateway, inbox: string) {
  const count = STEADY_RATE * STEADY_SECONDS;
  const gapMs = 1000 / STEADY_RATE;
  say(`steady: ${STEADY_RATE} transactions/s for ${STEADY_SECONDS} s into the watched folder`);
  resetPeak();
  const files = Array.from({ length: count }, (_, i) => burstFile(BURST_FILES + i + 1, 1, { sender: 'FOLDERBUYER' }));
  const t0 = performance.now();
  for (const [i, f] of files.entries()) {
    const wait = t0 + i * gapMs - performance.now();
    if (wait > 0) await sleep(wait);
    writeFileSync(join(inbox, `${f.name}.part`), f.bytes);
    renameSync(join(inbox, `${f.name}.part`), join(inbox, f.name));
  }
  const ids = await fileIdsOf(db, files.map((f) => f.name), 120_000);
  await gateway.idle(300_000);
  const lat = await latencies(db, ids);
  const left = await notPosted(db, ids);
  const peak = peakRssMb();
  say(`  ${lat.documents} posted; p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms, max ${lat.maxMs} ms; peak RSS ${peak} MB`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return { rate: STEADY_RATE, seconds: STEADY_SECONDS, transactions: count, posted: lat.documents, notPosted: left, p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, maxMs: lat.maxMs, peakRssMb: peak };
}

async function main(): Promise<void> {
  const bench = await benchDatabase(200, say);
  const dir = mkdtempSync(join(tmpdir(), 'edi-e2e-'));
  const setup = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, migrate: false, maxConnections: 4 });
  for (const s of [SCHEMA, `${SCHEMA}_boss`]) await setup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
  await setup.close();
  const db = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, maxConnections: 20 });
  const gateway = await startGateway({ ...GATEWAY_OPTIONS, db, target: slowTarget(db, TARGET_MS) });
  const inbox = join(dir, 'in');
  mkdirSync(inbox);
  const folder = startFolderTransport(folderPartner('folder', 'FOLDERBUYER', inbox, join(dir, 'archive')), gateway, { stableMs: 200, rescanMs: 2000 });
  const figures: Record<string, unknown> = { bench: 'e2e', database: bench.embedded ? 'embedded' : 'DATABASE_URL', targetMs: TARGET_MS, gatewayOptions: GATEWAY_OPTIONS };
  try {
    if (CASES.has('large')) figures.large = await runLarge(db, gateway, dir);
    if (CASES.has('burst')) figures.burst = await runBurst(db, gateway, inbox);
    if (CASES.has('steady')) figures.steady = await runSteady(db, gateway, inbox);
  } finally {
    await folder.stop();
    await gateway.stop();
    await db.close();
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
  const large = figures.large as { txPerSecond: number; peakRssMb: number; smallFileMs: number | null } | undefined;
  const burstF = figures.burst as { txPerSecond: number } | undefined;
  const steadyF = figures.steady as { p99Ms: number } | undefined;
  figures.targets = {
    ...(large
      ? {
          largeTxPerSecond: { target: 200, met: large.txPerSecond >= 200 },
          largePeakRssMb: { target: 300, met: large.peakRssMb < 300 },
          smallFileMs: { target: 10_000, met: large.smallFileMs !== null && large.smallFileMs < 10_000 },
        }
      : {}),
    ...(burstF ? { burstTxPerSecond: { target: 200, met: burstF.txPerSecond >= 200 } } : {}),
    ...(steadyF ? { steadyP99Ms: { target: 5000, met: steadyF.p99Ms < 5000 } } : {}),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await main();
