// Reloads partners/ when a file in it changes or on SIGHUP. A partner file with a problem takes
// only that partner out of service (logged at error level with the file, key and rule; listed by
// broken()), while the others run; a partner that was running keeps its previous configuration
// until its file is fixed. Problems of the gateway's own settings (_gateway.yaml) stop the start,
// and a reload that finds them keeps the previous configuration as a whole. Work in flight is never
// dropped: the directory object stays the same and transports read the new configuration at their next poll.
//
//   const partners = await watchPartners({ dir: 'partners', dataDir: 'data', log });  // throws PartnerConfigError
//   startGateway({ db, partners });
//   partners.onChange((change) => restartTransports(change));
//   partners.broken();                                  // [{ code, display, errors }] out of service
//   await partners.close();
import { silentLogger, type Logger } from '../logging/logger.js';
import { watch, type FSWatcher } from 'node:fs';
import { PartnerConfigError } from './config-error.js';
import { partnerDirectory } from './directory.js';
import { loadPartners, type LoadResult } from './load.js';
import type { Env } from './secrets.js';
import type { BrokenPartner, ConfigError, Partner, PartnerChange, PartnerDirectory } from './types.js';

export interface WatchOptions {
  dir: string;
  env?: Env;
  dataDir?: string;
  log?: Logger;
  /** Watch the folder for changes. Default true. */
  watch?: boolean;
  /** Reload on SIGHUP. Default true. */
  sighup?: boolean;
  /** Changes within this many ms make one reload (editors write a file in several steps). Default 300. */
  debounceMs?: number;
  /** The clock certificates' expiry is judged by at each load (tests). Default: the real one. */
  now?: () => Date;
}

export type ReloadResult =
  | { ok: true; change: PartnerChange }
  /** Some problem: with `change`, the valid files were loaded and only the broken partners stayed as they were. */
  | { ok: false; errors: readonly ConfigError[]; change?: PartnerChange };

export interface PartnerWatcher extends PartnerDirectory {
  /** Reloads now (after a reload in progress). */
  reload(reason?: string): Promise<ReloadResult>;
  /** The last reload's result (undefined before the first reload). */
  lastReload(): ReloadResult | undefined;
  /** Partner files with problems (never absent here). */
  broken(): readonly BrokenPartner[];
  /** Stops watching and listening for SIGHUP. */
  close(): Promise<void>;
}

const quiet: Logger = silentLogger;

/**
 * Loads the configuration and keeps it current. Throws PartnerConfigError (every problem at once)
 * only when the gateway's own settings are broken; a broken partner file is logged and left out.
 */
export async function watchPartners(options: WatchOptions): Promise<PartnerWatcher> {
  const log = options.log ?? quiet;
  const load = () => loadPartners(options.dir, options.env ?? process.env, { ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.now ? { now: options.now() } : {}) });
  const first = await load();
  if (first.fatal.length) throw new PartnerConfigError(first.errors);
  reportBroken(log, first.broken);
  reportWarnings(log, first.warnings);
  const directory = partnerDirectory(first);
  log.info({ dir: options.dir, partners: [...first.partners.keys()] }, first.missing ? 'no partners folder: no partner configured' : 'partners loaded');

  let running: Promise<ReloadResult> = Promise.resolve({ ok: true, change: { added: [], removed: [], changed: [] } });
  let last: ReloadResult | undefined;
  const reload = (reason = 'requested'): Promise<ReloadResult> => {
    running = running.then(async () => {
      let result: LoadResult;
      try {
        result = await load();
      } catch (error) {
        const unreadable = { file: options.dir, path: '', message: `${options.dir}: cannot be read (${String(error)})` };
        result = { partners: new Map(), gateway: {}, files: [], missing: false, errors: [unreadable], warnings: [], fatal: [unreadable], broken: [] };
      }
      if (result.fatal.length) {
        for (const e of result.errors) log.error({ file: e.file, key: e.path || undefined, line: e.line }, e.message);
        log.warn({ reason, errors: result.errors.length }, 'partner reload failed: the previous configuration stays in force');
        return (last = { ok: false, errors: result.errors });
      }
      // A running partner whose file broke keeps what it had; a new or out-of-service one stays out.
      const partners = new Map<string, Partner>(result.partners);
      const broken = result.broken.map((b): BrokenPartner => {
        const previous = directory.get(b.code);
        if (!previous) return b;
        partners.set(b.code, previous);
        return { ...b, previousInForce: true };
      });
      reportBroken(log, broken);
      reportWarnings(log, result.warnings);
      const change = directory.replace({ partners, gateway: result.gateway, broken });
      log.info({ reason, ...change }, 'partners reloaded');
      return (last = result.errors.length ? { ok: false, errors: result.errors, change } : { ok: true, change });
    });
    return running;
  };

  let timer: NodeJS.Timeout | undefined;
  const soon = (reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(reason), options.debounceMs ?? 300);
  };
  let watcher: FSWatcher | undefined;
  if ((options.watch ?? true) && !first.missing) {
    try {
      watcher = watch(options.dir, { persistent: false }, (_event, name) => {
        if (!name || /\.ya?ml$/.test(String(name))) soon(`changed: ${name ?? options.dir}`);
      });
      watcher.on('error', (error) => log.warn({ dir: options.dir, error: error.message }, 'watching the partners folder failed: reload with SIGHUP'));
    } catch (error) {
      log.warn({ dir: options.dir, error: (error as Error).message }, 'cannot watch the partners folder: reload with SIGHUP');
    }
  }
  const onHup = () => void reload('SIGHUP');
  if (options.sighup ?? true) process.on('SIGHUP', onHup);

  return {
    get: directory.get,
    all: directory.all,
    gateway: directory.gateway,
    broken: directory.broken,
    byAs2: directory.byAs2,
    as2Ids: directory.as2Ids,
    onChange: directory.onChange,
    reload,
    lastReload: () => last,
    async close() {
      clearTimeout(timer);
      watcher?.close();
      process.off('SIGHUP', onHup);
      await running;
    },
  };
}

/** Every problem of each broken partner file at error level (file, key, line, rule), then what it means for the partner. */
function reportBroken(log: Logger, broken: readonly BrokenPartner[]): void {
  for (const b of broken) {
    for (const e of b.errors) log.error({ partner: b.code, file: e.file, key: e.path || undefined, line: e.line }, e.message);
    if (b.previousInForce) {
      log.warn({ partner: b.code, file: b.display, problems: b.errors.length }, `partner ${b.code}: ${b.errors.length} problem(s) in ${b.display}: its previous configuration stays in force until the file is fixed`);
    } else {
      log.error({ partner: b.code, file: b.display, problems: b.errors.length }, `partner ${b.code} is OUT OF SERVICE: ${b.errors.length} problem(s) in ${b.display} (the other partners run; fixing the file brings it back)`);
    }
  }
}

/** What loads but needs a person soon (an expired certificate), at warn level at every load. */
function reportWarnings(log: Logger, warnings: readonly ConfigError[]): void {
  for (const w of warnings) log.warn({ file: w.file, key: w.path || undefined, line: w.line }, w.message);
}
