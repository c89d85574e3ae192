// Exit codes scripts can rely on (README "The edi command line").
export const EXIT = {
  /** The file is valid (warnings may have been printed); a gateway command succeeded. */
  valid: 0,
  /** The file was read but has errors; `edi start --once`: some document did not reach its final state. */
  invalid: 1,
  /** The file could not be read as X12 at all (missing, empty, not X12). */
  unreadable: 2,
  /** The document or file asked for does not exist. */
  notFound: 3,
  /** `edi partners check --connect`: the server's host key is not the pinned one (its SHA256 is printed). */
  hostKey: 4,
  /** `edi partners check --connect`: the login was refused, or a secret cannot be read. */
  login: 5,
  /** `edi partners check --connect`: no connection or SSH handshake with the server. */
  unreachable: 6,
  /** The command line is wrong. */
  usage: 64,
  /** The gateway could not start or run (database unreachable, folder unusable). */
  failure: 70,
} as const;
