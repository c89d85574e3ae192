// Reloads partners/ when a file in it changes or on SIGHUP. A reload that finds any problem keeps
// the previous configuration and logs every problem; work in flight is never dropped: the
// directory object stays the same and transports read the new configuration at their next poll.
//
//   const partners = await watchPartners({ dir: 'partners', dataDir: 'data', log });  // throws PartnerConfigError
//   startGateway({ db, partners });
//   partners.onChange((change) => restartTransports(change));
//   await partners.close();
import { silentLogger, type Logger } from '../logging/logger.js';
import { watch, type FSWatcher } from 'node:fs';
import { PartnerConfigError } from './config-error.js';
import { partnerDirectory } from './directory.js';
import { loadPartners, type LoadResult } from './load.js';
import type { Env } from './secrets.js';
import type { ConfigError, PartnerChange, PartnerDirectory } from './types.js';

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
}

export type ReloadResult =
  | { ok: true; change: PartnerChange }
  | { ok: false; errors: readonly ConfigError[] };

export interface PartnerWatcher extends PartnerDirectory {
  /** Reloads now (after a reload in progress). */
  reload(reason?: string): Promise<ReloadResult>;
  /** The last reload's result (undefined before the first reload). */
  lastReload(): ReloadResult | undefined;
  /** Stops watching and listening for SIGHUP. */
  close(): Promise<void>;
}

const quiet: Logger = silentLogger;

/** Loads the configuration (every problem at once: PartnerConfigError) and keeps it current. */
export async function watchPartners(options: WatchOptions): Promise<PartnerWatcher> {
  const log = options.log ?? quiet;
  const load = () => loadPartners(options.dir, options.env ?? process.env, options.dataDir ? { dataDir: options.dataDir } : {});
  const first = await load();
  if (first.errors.length) throw new PartnerConfigError(first.errors);
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
        result = { partners: new Map(), gateway: {}, files: [], missing: false, errors: [{ file: options.dir, path: '', message: `${options.dir}: cannot be read (${String(error)})` }] };
      }
      if (result.errors.length) {
        for (const e of result.errors) log.error({ file: e.file, key: e.path || undefined, line: e.line }, e.message);
        log.warn({ reason, errors: result.errors.length }, 'partner reload failed: the previous configuration stays in force');
        return (last = { ok: false, errors: result.errors });
      }
      const change = directory.replace(result);
      log.info({ reason, ...change }, 'partners reloaded');
      return (last = { ok: true, change });
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
