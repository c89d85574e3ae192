// The few log calls the store makes. Small on purpose: any logger (pino, console) adapts in one line.

export type LogDetails = Record<string, unknown>;

export interface StoreLog {
  debug?(message: string, details?: LogDetails): void;
  info(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
}

export const silentLog: StoreLog = { info() {}, warn() {}, error() {} };

/** Writes to stderr, so a command's stdout stays clean for its output. */
export const consoleLog: StoreLog = {
  info: (m, d) => console.error(m, ...(d ? [d] : [])),
  warn: (m, d) => console.error(m, ...(d ? [d] : [])),
  error: (m, d) => console.error(m, ...(d ? [d] : [])),
};
