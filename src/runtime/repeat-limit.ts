// While the database is away every loop of the gateway fails at its own pace (the event tail four
// times a second, the drop folder, delivery, wake-ups): the same warning over and over buries what
// matters. A warning or error is logged the first time; the same message from the same component
// again within the period is counted, and the next one logged after the period carries that count.
import type { Logger } from '../logging/logger.js';

interface Seen {
  at: number;
  suppressed: number;
}

/** At most one line per `everyMs` for each (component, level, message) among warnings and errors. */
export function limitRepeats(log: Logger, everyMs = 30_000, now: () => number = Date.now): Logger {
  return limited(log, everyMs, now, new Map(), '');
}

const MAX_KEYS = 1000;

function limited(log: Logger, everyMs: number, now: () => number, seen: Map<string, Seen>, scope: string): Logger {
  const pass = (level: 'warn' | 'error') => (details: object, message?: string) => {
    const key = `${scope}\0${level}\0${message ?? ''}`;
    const t = now();
    const last = seen.get(key);
    if (last && t - last.at < everyMs) {
      last.suppressed++;
      return;
    }
    if (seen.size >= MAX_KEYS) {
      for (const [k, v] of seen) if (t - v.at >= everyMs) seen.delete(k);
    }
    seen.set(key, { at: t, suppressed: 0 });
    log[level](last?.suppressed ? { ...details, repeatedSinceLastLine: last.suppressed } : details, message);
  };
  return {
    debug: (details, message) => log.debug(details, message),
    info: (details, message) => log.info(details, message),
    warn: pass('warn'),
    error: pass('error'),
    child: (bindings) => limited(log.child(bindings), everyMs, now, seen, `${scope}/${JSON.stringify(bindings)}`),
  };
}
