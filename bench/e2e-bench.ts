// npm run bench:e2e: files through the whole path, arrival -> split -> validate -> map -> post into
// Odoo, in this process. The target (E2E_TARGET): `odoo` (default), the gateway's Odoo posting (sale
// orders from 850s) into the Odoo test double in its own process (bench/odoo-double-process.ts) answering
// every call in 20 ms, with E2E_ODOO_CONCURRENT (default 48) calls in flight: what `edi start` does
// with ODOO_MAX_CONCURRENT=48 (the client's limit and the documents posted at once per batch; the
// gateway's default 4 suits an Odoo with few workers: docs/odoo.md#throughput); `recording`, the
// recording ledger behind a 20 ms wait (the gateway without Odoo's calls per order).
//   1. large: one file of E2E_LARGE_MB (default 60) MB of one-850 interchanges (the issue's 60 MB held
//      46,041) handed to intake; a small file of another partner arrives 2 s later. Prints split time,
//      transactions/s from arrival to the last posting, the small file's arrival -> posted, peak RSS.
//   2. burst: 1,000 files of 10 transactions written into a watched folder (folder transport);
//      transactions/s from the first arrival to the last posting, p50/p99 arrival -> posted.
//   3. sftp: the same burst put into an SFTP mailbox (Debian's OpenSSH sshd when installed and run
//      as root, else the in-process ssh2 server), taken by the partner's SFTP transport polling every
//      second; transactions/s from the first file taken to the last posting, and from the end of the
//      upload (what a partner sees), p50/p99 taken -> posted.
//   4. steady: one file of one 850 every 50 ms (20 transactions/s) for E2E_STEADY_SECONDS (default 30)
//      into the folder; p50/p99 arrival -> posted.
// Peak RSS is this process's high-water mark (VmHWM, reset before each case): the gateway plus the
// bench, which never holds a whole file. DATABASE_URL when set (schema bench_e2e, dropped first), else
// an embedded server. Env: E2E_LARGE_MB, E2E_CASES (e.g. "large" or "burst,steady"), E2E_BURST_FILES,
// E2E_STEADY_SECONDS, E2E_GATEWAY (GatewayOptions to try, JSON), E2E_OPENSSH (no: the in-process
// server), HEAP_GROWTH_PERCENT (as for `edi start`). Ends with one JSON line of all figures.
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
import { startSftpTransport } from '../src/transports/sftp/index.js';
import { opensshUnavailable, startOpenSsh } from '../test/support/openssh.js';
import { startSftpServer } from '../test/support/sftp-server.js';
import { sftpPartner } from '../test/transports/sftp/support.js';
import { silentLogger } from '../src/logging/logger.js';
import { startDoubleProcess } from './odoo-double-child.js';
import { createOdooClient } from '../src/odoo/client/client.js';
import { odooTarget } from '../src/odoo/target.js';
import { mappedProductCodes } from '../src/store/product-map-repo.js';
import { runtimeConfig } from '../src/runtime/config.js';
import { limitHeapGrowth } from '../src/runtime/heap-growth.js';

const LARGE_MB = Number(process.env.E2E_LARGE_MB ?? 60);
const CASES = new Set((process.env.E2E_CASES ?? 'large,burst,sftp,steady').split(','));
const BURST_FILES = Number(process.env.E2E_BURST_FILES ?? 1000);
const BURST_SETS = 10;
const STEADY_SECONDS = Number(process.env.E2E_STEADY_SECONDS ?? 30);
const STEADY_RATE = 20;
const TARGET_MS = 20;
const TARGET = process.env.E2E_TARGET ?? 'odoo';
const ODOO_CONCURRENT = Number(process.env.E2E_ODOO_CONCURRENT ?? 48);
// E2E_SCHEMA: another schema, to run two benches on one database (e.g. before/after side by side).
const SCHEMA = process.env.E2E_SCHEMA ?? 'bench_e2e';
// Gateway options to try, as JSON, e.g. '{"concurrency":{"post":2}}'.
const GATEWAY_OPTIONS = JSON.parse(process.env.E2E_GATEWAY ?? '{}') as Partial<Parameters<typeof startGateway>[0]>;
// V8's heap growth as `edi start` sets it (HEAP_GROWTH_PERCENT; 0: V8's own choice).
const HEAP_GROWTH = runtimeConfig({}, process.env, 'partners').heapGrowthPercent;
limitHeapGrowth(HEAP_GROWTH);

const say = (line: string) => process.stderr.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This process's peak RSS since the last reset, in MB (Linux), else the sampled RSS. */
let sampledPeak = 0;
/** What the sampled peak was made of (E2E_MEMORY=1 prints it): V8's heap, buffers outside it. */
let peakParts = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > sampledPeak) [sampledPeak, peakParts] = [now.rss, now];
}, 50);
let cpuAtReset = process.cpuUsage();
function resetPeak(): void {
  cpuAtReset = process.cpuUsage();
  sampledPeak = process.memoryUsage().rss;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the sampled figure stands
  }
}
/**
 * CPU time of this process (the gateway and the bench's own writing of files) per transaction since
 * the last reset, in ms: what one transaction costs the gateway, a figure the other processes of a
 * busy machine disturb far less than transactions/s.
 */
function cpuMsPerTx(transactions: number): number {
  const used = process.cpuUsage(cpuAtReset);
  return Number(((used.user + used.system) / 1000 / Math.max(1, transactions)).toFixed(2));
}

function peakRssMb(): number {
  if (process.env.E2E_MEMORY === '1') {
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    say(`  sampled peak: rss ${mb(peakParts.rss)} MB = heap ${mb(peakParts.heapTotal)} MB (used ${mb(peakParts.heapUsed)}) + external ${mb(peakParts.external)} MB (array buffers ${mb(peakParts.arrayBuffers)}) + code and the rest`);
  }
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
  const cpu = cpuMsPerTx(lat.documents);
  say(`  split done ${split} ms after arrival; ${lat.documents} posted in ${seconds.toFixed(1)} s: ${txPerSecond.toFixed(0)} transactions/s; gateway CPU ${cpu} ms per transaction; peak RSS ${peak} MB`);
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
    cpuMsPerTx: cpu,
    peakRssMb: peak,
  };
}

async function waitPosted(db: Database, fileId: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // One statement, one snapshot: read apart, a file split between the reads looked posted.
    const { rows } = await db.query<{ n: number; left: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE state <> 'posted')::int AS left FROM ${tableIn(db.schema, 'documents')} WHERE file_id = $1`,
      [fileId],
    );
    if (rows[0]!.n > 0 && rows[0]!.left === 0) return true;
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
    // The customer the double holds for this sender (bench/odoo-double-process.ts).
    odoo: { partner: { ref: sender }, confirmOrders: true },
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
  const cpu = cpuMsPerTx(lat.documents);
  say(`  ${lat.documents} posted in ${seconds.toFixed(1)} s: ${txPerSecond.toFixed(0)} transactions/s; p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms; gateway CPU ${cpu} ms per transaction; peak RSS ${peak} MB`);
  if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
  return { files: BURST_FILES, transactions: BURST_FILES * BURST_SETS, posted: lat.documents, notPosted: left, seconds: Number(seconds.toFixed(1)), txPerSecond: Math.round(txPerSecond), p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, maxMs: lat.maxMs, cpuMsPerTx: cpu, peakRssMb: peak };
}

/** The burst through an SFTP mailbox: put first, then the partner's transport polls every second. */
async function runSftp(db: Database, gateway: Gateway) {
  const skipped = process.env.E2E_OPENSSH === 'no' ? 'E2E_OPENSSH=no' : opensshUnavailable();
  const server = skipped ? await startSftpServer() : await startOpenSsh();
  const serverName = skipped ? `ssh2 in this process (OpenSSH: ${skipped})` : 'OpenSSH sshd';
  const stopServer = () => ('stop' in server ? server.stop() : server.close());
  try {
    const partner = sftpPartner(server, { code: 'sftpbuyer', inbound: { pollSeconds: 1 } });
    const files = burst(BURST_FILES, BURST_SETS, { sender: 'SFTPBUYER' });
    say(`sftp: ${BURST_FILES} files x ${BURST_SETS} transactions put into an SFTP mailbox (${serverName})`);
    for (const f of files) await server.put(`/outbox/${f.name}`, f.bytes);
    resetPeak();
    const uploaded = new Date();
    const transport = startSftpTransport(partner, { db, intake: (input) => gateway.intake(input), log: silentLogger });
    try {
      const ids = await fileIdsOf(db, files.map((f) => f.name), 600_000);
      await gateway.idle(600_000);
      const lat = await latencies(db, ids);
      const seconds = (lat.lastPosted.getTime() - lat.firstArrival.getTime()) / 1000;
      const fromUpload = (lat.lastPosted.getTime() - uploaded.getTime()) / 1000;
      const left = await notPosted(db, ids);
      const txPerSecond = lat.documents / seconds;
      const peak = peakRssMb();
      const cpu = cpuMsPerTx(lat.documents);
      say(`  gateway CPU ${cpu} ms per transaction`);
      say(`  ${lat.documents} posted in ${seconds.toFixed(1)} s from the first file taken: ${txPerSecond.toFixed(0)} transactions/s (${(lat.documents / fromUpload).toFixed(0)}/s from the end of the upload); p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms; peak RSS ${peak} MB`);
      if (Object.keys(left).length) say(`  NOT POSTED: ${JSON.stringify(left)}`);
      return { server: serverName, files: BURST_FILES, transactions: BURST_FILES * BURST_SETS, posted: lat.documents, notPosted: left, seconds: Number(seconds.toFixed(1)), txPerSecond: Math.round(txPerSecond), txPerSecondFromUpload: Math.round(lat.documents / fromUpload), p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, cpuMsPerTx: cpu, peakRssMb: peak };
    } finally {
      await transport.stop();
    }
  } finally {
    await stopServer();
  }
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

/** The posting target of E2E_TARGET, and how to end it. */
async function benchTarget(db: Database, dir: string): Promise<{ target: PostingTarget; close: () => Promise<void> }> {
  if (TARGET === 'recording') return { target: slowTarget(db, TARGET_MS), close: async () => undefined };
  if (TARGET !== 'odoo') throw new Error(`E2E_TARGET must be odoo or recording, not ${TARGET}`);
  const odoo = await startDoubleProcess({ answerMs: TARGET_MS, ...(process.env.BENCH_ODOO_PROF ? { profileDir: process.env.BENCH_ODOO_PROF } : {}) });
  const partners = new Map(
    [['big', 'BIGBUYER'], ['small', 'SMALLBUYER'], ['folder', 'FOLDERBUYER'], ['sftpbuyer', 'SFTPBUYER']].map(([code, sender]) => [code!, folderPartner(code!, sender!, join(dir, 'unused'), join(dir, 'unused'))]),
  );
  const client = createOdooClient({ url: odoo.url, db: odoo.db, username: odoo.login, apiKey: odoo.apiKey, maxConcurrent: ODOO_CONCURRENT });
  const target = odooTarget({
    client,
    partner: (code) => partners.get(code),
    productMappings: (partner, theirCodes) => mappedProductCodes(db, partner, theirCodes),
  });
  return {
    target,
    close: () => odoo.close(),
  };
}

async function main(): Promise<void> {
  const bench = await benchDatabase(200, say);
  const dir = mkdtempSync(join(tmpdir(), 'edi-e2e-'));
  const setup = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, migrate: false, maxConnections: 4 });
  for (const s of [SCHEMA, `${SCHEMA}_boss`]) await setup.query(`DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE`);
  await setup.close();
  const db = await openDatabase({ databaseUrl: bench.url, schema: SCHEMA, maxConnections: 20 });
  const { target, close: closeTarget } = await benchTarget(db, dir);
  // As edi start sets it from ODOO_MAX_CONCURRENT (src/runtime/gateway-runtime.ts).
  const posting = TARGET === 'odoo' ? { callsInFlight: ODOO_CONCURRENT, ...GATEWAY_OPTIONS.posting } : GATEWAY_OPTIONS.posting;
  const gateway = await startGateway({ ...GATEWAY_OPTIONS, ...(posting ? { posting } : {}), db, target });
  const inbox = join(dir, 'in');
  mkdirSync(inbox);
  const folder = startFolderTransport(folderPartner('folder', 'FOLDERBUYER', inbox, join(dir, 'archive')), gateway, { stableMs: 200, rescanMs: 2000 });
  const figures: Record<string, unknown> = { bench: 'e2e', database: bench.embedded ? 'embedded' : 'DATABASE_URL', target: TARGET, targetMs: TARGET_MS, ...(TARGET === 'odoo' ? { odooConcurrent: ODOO_CONCURRENT } : {}), gatewayOptions: GATEWAY_OPTIONS, heapGrowthPercent: HEAP_GROWTH };
  try {
    if (CASES.has('large')) figures.large = await runLarge(db, gateway, dir);
    if (CASES.has('burst')) figures.burst = await runBurst(db, gateway, inbox);
    if (CASES.has('sftp')) figures.sftp = await runSftp(db, gateway);
    if (CASES.has('steady')) figures.steady = await runSteady(db, gateway, inbox);
  } finally {
    await folder.stop();
    await gateway.stop();
    await closeTarget();
    await db.close();
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
  const large = figures.large as { txPerSecond: number; peakRssMb: number; smallFileMs: number | null } | undefined;
  const burstF = figures.burst as { txPerSecond: number } | undefined;
  const sftpF = figures.sftp as { txPerSecond: number } | undefined;
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
    ...(sftpF ? { sftpBurstTxPerSecond: { target: 200, met: sftpF.txPerSecond >= 200 } } : {}),
    ...(steadyF ? { steadyP99Ms: { target: 5000, met: steadyF.p99Ms < 5000 } } : {}),
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

await main();
