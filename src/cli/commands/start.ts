// edi start: the gateway. Opens the database (DATABASE_URL, else the embedded server in
// <data-dir>/postgres), starts the pipeline, watches the drop folder <data-dir>/inbox/<partner>/ and
// moves taken files to <data-dir>/archive/<partner>/. On the very first start it puts the sample
// files into the drop folder, so a new user sees files go from the folder to posted.
// --once: take what is in the folder, wait until the pipeline is idle, print a summary, exit.
// Partners: partners/*.yaml (--partners, PARTNERS_DIR, default ./partners) are loaded (any problem:
// every one printed, no start), reloaded on change or SIGHUP, and each gets its transport (SFTP
// poller, watched folder); the sample partner keeps the drop folder unless a partner file claims it.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway, type Gateway, type Logger } from '../../jobs/gateway.js';
import { OdooConfigError } from '../../odoo/config.js';
import { odooTargetFromEnv } from '../../odoo/from-env.js';
import { countDocumentsByState, listFiles, openDatabase, redactUrl, type Database, type DocumentState } from '../../store/index.js';
import { tableIn } from '../../store/identifiers.js';
import { DOCUMENT_STATES } from '../../store/types.js';
import { startDropFolder, type DropFolder } from '../../transports/drop-folder.js';
import { partnerOutboundChannels } from '../../transports/outbound.js';
import { PartnerConfigError } from '../../partners/config-error.js';
import { watchPartners, type PartnerWatcher } from '../../partners/watch.js';
import type { PartnerDirectory } from '../../partners/types.js';
import { mergeDrained, NOTHING_DRAINED, type DrainResult, type RunningPartnerTransports } from './partner-transports.js';
import { startTransports, type TransportStarters } from './transport-starters.js';
import { partnersDir } from './partners.js';
import { startEventTail, lastEventId } from '../event-tail.js';
import { EXIT } from '../exit-codes.js';
import { storeLog } from '../log.js';
import { formatTable } from '../table.js';
import type { Output } from './inspect.js';

export interface StartOptions {
  /** Default `data`: the embedded database in <data-dir>/postgres, inbox and archive beside it. */
  dataDir?: string;
  partner?: string;
  inbox?: string;
  archive?: string;
  /** Seconds between scans of the drop folder. Default 2. */
  interval?: string;
  once?: boolean;
  /** --once: give up waiting after this many seconds. Default 120. */
  timeout?: string;
  /** Folder of sample files for the first start; false: never seed. Default: the project's samples/. */
  samples?: string | false;
  /** Also the pipeline's and the drop folder's own info lines (the event lines say what happened already). */
  verbose?: boolean;
  /** The gateway's schema (default edi). */
  schema?: string;
  /** The partners folder. Default: PARTNERS_DIR, else ./partners. */
  partners?: string;
}

export interface StartDeps {
  io: Output;
  log: Logger;
  /** An open database (tests); default: openDatabase for the data folder. Not closed here when given. */
  db?: Database;
  /** Aborting stops a continuous run (the CLI wires SIGINT and SIGTERM to it). */
  signal?: AbortSignal;
  /** Gateway settings beyond the defaults (tests: short expiry and retries). */
  gateway?: Partial<Parameters<typeof startGateway>[0]>;
  /** Transports by type (tests); default: the SFTP poller/uploader and the watched folder. */
  transports?: TransportStarters;
  /** Environment for PARTNERS_DIR and the partners' secrets. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The sample files of the sets we map (850/855/856/810), both versions. */
const SAMPLE_SETS = ['850', '855', '856', '810'];
const FINAL: readonly DocumentState[] = ['posted', 'duplicate', 'cancelled'];

export async function startCommand(opts: StartOptions, deps: StartDeps): Promise<number> {
  const { io } = deps;
  // Ctrl-C in a terminal reaches the embedded PostgreSQL too (same process group): it shuts down at
  // once, and every connection then complains. Once a stop was asked for, those are expected.
  let stopping = false;
  const log = calmWhenStopping(deps.log, () => stopping);
  const dataDir = opts.dataDir ?? 'data';
  const partner = opts.partner ?? 'sample';
  const inbox = opts.inbox ?? join(dataDir, 'inbox', partner);
  const archive = opts.archive ?? join(dataDir, 'archive', partner);
  const outbound = join(dataDir, 'outbound', partner);
  const intervalMs = Math.max(0.1, Number(opts.interval ?? '2')) * 1000;
  const timeoutMs = Math.max(1, Number(opts.timeout ?? '120')) * 1000;
  if (!Number.isFinite(intervalMs) || !Number.isFinite(timeoutMs) || !/^[a-z0-9_.-]+$/i.test(partner)) {
    io.err('error: --interval and --timeout take seconds; --partner letters, digits, _ . -');
    return EXIT.usage;
  }

  let db: Database;
  try {
    db = deps.db ?? (await openDatabase({ dataDir: join(dataDir, 'postgres'), log: storeLog(log), ...(opts.schema ? { schema: opts.schema } : {}) }));
  } catch (error) {
    io.err(`error: cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
  }
  const ownDb = deps.db === undefined;
  let gateway: Gateway | undefined;
  let folder: DropFolder | undefined;
  let tail: ReturnType<typeof startEventTail> | undefined;
  let partners: PartnerWatcher | undefined;
  let transports: RunningPartnerTransports | undefined;
  const env = deps.env ?? process.env;
  const detail = (component: string) => (opts.verbose ? log.child({ component }) : warningsOnly(log.child({ component })));
  const partnersFolder = partnersDir(opts, env);
  try {
    partners = await watchPartners({ dir: partnersFolder, env, dataDir, log: detail('partners'), sighup: !opts.once, watch: !opts.once });
  } catch (error) {
    if (ownDb) await db.close().catch(() => undefined);
    if (!(error instanceof PartnerConfigError)) throw error;
    for (const e of error.errors) io.err(e.message);
    io.err(`error: ${error.errors.length} problem(s) in ${partnersFolder}: the gateway does not start (edi partners check lists them)`);
    return EXIT.failure;
  }
  try {
    log.info(
      {
        database: db.embedded ? `embedded in ${db.embedded.dataDir}` : redactUrl(db.connectionString), schema: db.schema, inbox, archive, partner,
        partners: `${partnersFolder}: ${partners.all().map((p) => p.code).join(', ') || 'none'}`,
      },
      'gateway starting',
    );
    const sampleClaimed = partners.get(partner) !== undefined;
    // Acknowledgments (and later outbound documents) go out through each partner's outbound mailbox;
    // the sample partner's into <data-dir>/outbound/<partner>/.
    const channels = partnerOutboundChannels({
      directory: partners,
      dataDir,
      fallback: (code) => (code === partner && !sampleClaimed ? outbound : undefined),
      log: detail('delivery'),
    });
    // ODOO_URL & co.: post to that Odoo; otherwise the recording target (src/odoo/from-env.ts).
    let odoo: ReturnType<typeof odooTargetFromEnv>;
    try {
      odoo = odooTargetFromEnv(env, { db, partners, log: detail('odoo') });
    } catch (error) {
      if (!(error instanceof OdooConfigError)) throw error;
      io.err(`error: ${error.message}`);
      return EXIT.failure;
    }
    log.info({ target: odoo ? `odoo ${env['ODOO_URL'] ?? ''}`.trim() : 'recording (no ODOO_URL: documents are recorded in the posted ledger)' }, 'posting target');
    gateway = await startGateway({ log: detail('pipeline'), delivery: { channels }, ...(odoo ? { target: odoo } : {}), ...deps.gateway, db, partners });
    transports = startTransports(
      partners,
      { db, intake: (input) => gateway!.intake(input), log: detail('transports'), directory: partners as PartnerDirectory },
      { dataDir, ...(opts.once ? { once: true } : {}) },
      deps.transports,
    );
    if (opts.samples !== false) await seedFirstStart(db, inbox, opts.samples ?? defaultSamples(), log);
    tail = startEventTail(db, log, { afterId: await lastEventId(db) });
    if (!sampleClaimed) folder = startDropFolder({
      folder: inbox,
      archive,
      partner,
      intake: (input) => gateway!.intake(input),
      intervalMs,
      settleMs: Math.min(1000, intervalMs / 2),
      schedule: !opts.once,
      log: detail('drop-folder'),
    });

    if (opts.once) return await runOnce(db, gateway, folder, transports, tail, timeoutMs, io, log);

    log.info({ inbox }, 'gateway running: drop X12 files into the inbox; Ctrl-C stops');
    await new Promise<void>((resolve) => {
      if (deps.signal?.aborted) return resolve();
      deps.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    stopping = true;
    log.info({}, 'stopping: finishing the work in hand (anything cut short is done again at the next start)');
    return EXIT.valid;
  } catch (error) {
    log.error({ err: error }, 'the gateway stopped on an error');
    return EXIT.failure;
  } finally {
    stopping = true;
    await folder?.stop().catch(() => undefined);
    await transports?.stop().catch((e: unknown) => log.error({ err: e }, 'partner transports stop failed'));
    await partners?.close().catch(() => undefined);
    await gateway?.stop().catch((e: unknown) => log.error({ err: e }, 'gateway stop failed'));
    await tail?.flush().catch(() => undefined);
    await tail?.stop().catch(() => undefined);
    if (ownDb) await db.close().catch(() => undefined);
    log.info({}, 'gateway stopped');
  }
}

/** After a stop was asked for, warnings (lost connections) are only debug lines. */
function calmWhenStopping(log: Logger, stopping: () => boolean): Logger {
  return {
    debug: (details, message) => log.debug(details, message),
    info: (details, message) => log.info(details, message),
    warn: (details, message) => (stopping() ? log.debug(details, message) : log.warn(details, message)),
    error: (details, message) => log.error(details, message),
    child: (bindings) => calmWhenStopping(log.child(bindings), stopping),
  };
}

/** One line per file and per state change comes from the event log; the components add only warnings and errors. */
function warningsOnly(log: Logger): Logger {
  return {
    debug() {},
    info() {},
    warn: (details, message) => log.warn(details, message),
    error: (details, message) => log.error(details, message),
    child: (bindings) => warningsOnly(log.child(bindings)),
  };
}

async function runOnce(db: Database, gateway: Gateway, folder: DropFolder | undefined, transports: RunningPartnerTransports, tail: { flush(): Promise<void> }, timeoutMs: number, io: Output, log: Logger): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  // The sample drop folder and every partner's transport: one summary, one exit code.
  const drained = mergeDrained([folder ? await folder.drain(timeoutMs) : NOTHING_DRAINED, await transports.drain(Math.max(1000, deadline - Date.now()))]);
  let idle = true;
  await gateway.idle(Math.max(1000, deadline - Date.now())).catch((error: unknown) => {
    idle = false;
    log.error({ error: error instanceof Error ? error.message : String(error) }, 'the pipeline did not become idle in time');
  });
  // What validate queued goes out now (the delivery loop may have sent most of it already).
  await gateway.deliver().catch((error: unknown) => log.error({ error: error instanceof Error ? error.message : String(error) }, 'delivery sweep failed'));
  await tail.flush();
  const counts = await countsOf(db, drained.taken);
  const facts = await fileFacts(db, drained.taken);
  printSummary(io, drained.taken, counts, drained.failed, drained.pending);
  const acks = Object.entries(facts.acks).map(([kind, n]) => `${n} x ${kind}`).join(', ');
  if (acks) io.out(`acknowledgments for the partner: ${acks}`);
  if (facts.rejected) io.out(`${facts.rejected} file(s) rejected as a whole (see the file's reason)`);
  const unfinished = Object.entries(counts).filter(([state, n]) => n > 0 && !FINAL.includes(state as DocumentState));
  return idle && unfinished.length === 0 && facts.rejected === 0 && drained.failed.length === 0 && drained.pending === 0 ? EXIT.valid : EXIT.invalid;
}

async function countsOf(db: Database, taken: DrainResult['taken']): Promise<Record<DocumentState, number>> {
  const total = Object.fromEntries(DOCUMENT_STATES.map((s) => [s, 0])) as Record<DocumentState, number>;
  for (const fileId of new Set(taken.map((t) => t.fileId))) {
    const counts = await countDocumentsByState(db, { fileId });
    for (const [state, n] of Object.entries(counts)) total[state as DocumentState] += n ?? 0;
  }
  return total;
}

// TODO(store): plans for these two counts belong in src/store/sql; kept here until the store has them.
async function fileFacts(db: Database, taken: DrainResult['taken']): Promise<{ rejected: number; acks: Record<string, number> }> {
  const ids = [...new Set(taken.map((t) => t.fileId))];
  if (ids.length === 0) return { rejected: 0, acks: {} };
  const [files, outbound] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tableIn(db.schema, 'files')} WHERE id = ANY($1::bigint[]) AND state = 'rejected'`, [ids]),
    db.query<{ kind: string; state: string; n: number }>(`SELECT kind, state, count(*)::int AS n FROM ${tableIn(db.schema, 'outbound')} WHERE file_id = ANY($1::bigint[]) GROUP BY kind, state ORDER BY kind, state`, [ids]),
  ]);
  return { rejected: files.rows[0]?.n ?? 0, acks: Object.fromEntries(outbound.rows.map((r) => [`${r.kind} ${r.state}`, r.n])) };
}

function printSummary(io: Output, taken: DrainResult['taken'], counts: Record<DocumentState, number>, failed: readonly string[], pending: number): void {
  const duplicates = taken.filter((t) => t.duplicate).length;
  io.out('');
  io.out(`${taken.length} file(s) taken from the drop folder${duplicates ? ` (${duplicates} received before)` : ''}${failed.length ? `, ${failed.length} failed: ${failed.join(', ')}` : ''}${pending ? `, ${pending} still being written` : ''}`);
  const rows = DOCUMENT_STATES.filter((s) => counts[s] > 0).map((s) => [s, counts[s]] as [string, number]);
  const total = rows.reduce((n, [, c]) => n + c, 0);
  if (rows.length === 0) {
    io.out('no documents');
    return;
  }
  for (const line of formatTable(['STATE', 'DOCUMENTS'], [...rows, ['total', total]])) io.out(line);
}

/** First start: the drop folder is empty and the database has no file yet. */
async function seedFirstStart(db: Database, inbox: string, samples: string, log: Logger): Promise<void> {
  await mkdir(inbox, { recursive: true });
  const present = (await readdir(inbox)).filter((n) => !n.startsWith('.'));
  if (present.length > 0 || (await listFiles(db, { limit: 1 })).length > 0) return;
  const files = await sampleFiles(samples);
  for (const file of files) await copyFile(file.path, join(inbox, file.name));
  if (files.length) log.info({ files: files.length, from: samples, inbox }, 'first start: copied the sample files into the drop folder');
}

export async function sampleFiles(samples: string): Promise<Array<{ path: string; name: string }>> {
  const out: Array<{ path: string; name: string }> = [];
  for (const version of (await readdir(samples).catch(() => [] as string[])).sort()) {
    for (const set of SAMPLE_SETS) {
      const dir = join(samples, version, set);
      const names = await readdir(dir).catch(() => [] as string[]);
      // Version first: names stay unique across versions and sort in a readable order.
      for (const name of names.filter((n) => n.endsWith('.edi')).sort()) out.push({ path: join(dir, name), name: `${basename(version)}-${name}` });
    }
  }
  return out;
}

function defaultSamples(): string {
  // From src/cli/commands (or dist/src/cli/commands when built) to the project's samples/.
  return join(fileURLToPath(new URL('../../../', import.meta.url)).replace(/dist\/$/, ''), 'samples');
}
