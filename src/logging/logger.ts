// The one logger interface every layer uses: pino's shape (a pino instance fits as is), structured
// details first, the message second. Declared in the lowest layer so that any module may log.

/** A pino-compatible logger. */
export interface Logger {
  debug(details: object, message?: string): void;
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Says nothing. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/** Lines on stderr (so a command's stdout stays clean): for scripts and tools without pino. */
export const stderrLogger: Logger = {
  debug() {},
  info: (details, message) => console.error(message ?? '', details),
  warn: (details, message) => console.error(message ?? '', details),
  error: (details, message) => console.error(message ?? '', details),
  child: () => stderrLogger,
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The same logger with each level sent on as another, or dropped (undefined): a quieter view of it. */
export function relevel(log: Logger, route: (level: LogLevel) => LogLevel | undefined): Logger {
  const at = (level: LogLevel) => (details: object, message?: string) => {
    const to = route(level);
    if (to) log[to](details, message);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (bindings) => relevel(log.child(bindings), route) };
}
