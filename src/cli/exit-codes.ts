// Exit codes scripts can rely on (README "The edi command line").
export const EXIT = {
  /** The file is valid (warnings may have been printed). */
  valid: 0,
  /** The file was read but has errors. */
  invalid: 1,
  /** The file could not be read as X12 at all (missing, empty, not X12). */
  unreadable: 2,
  /** The command line is wrong. */
  usage: 64,
} as const;
