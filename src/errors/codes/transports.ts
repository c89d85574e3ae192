// Stable codes for what goes wrong moving files: SFTP sessions with partners' servers and the
// folder transport. The retry policy decides whether an operation is tried again at once (transient)
// or waits for the next poll or delivery try. Spread into src/errors/catalog.ts.
import type { CatalogEntry } from '../types.js';

export const transportCodes = {
  SFTP_HOST_KEY_MISMATCH: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: "The SFTP server's host key is not the one pinned in the partner file (transport.hostKey); the connection is refused.",
    fix: 'Ask the partner whether they changed their key; if so, put the new fingerprint into transport.hostKey.',
  },
  SFTP_AUTH_FAILED: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: 'The SFTP server refused our user name, password or private key.',
    fix: 'Check transport.username and the password or key the partner file names with the partner; the next poll or delivery try picks it up.',
  },
  SFTP_SECRET_UNUSABLE: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: "A secret of the partner's SFTP transport (password, private key, passphrase) cannot be read or is not a usable key.",
    fix: 'Set the environment variable or file the message names, or fix the key or its passphrase.',
  },
  SFTP_CONNECT_FAILED: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'No TCP connection or SSH handshake with the SFTP server (refused, unreachable, no handshake in time).',
    fix: 'Nothing while retries last; otherwise check transport.host and port, the firewall and the partner\'s server.',
  },
  SFTP_TIMEOUT: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'The SFTP server did not answer an operation within transport.timeoutSeconds; the session is closed.',
    fix: 'Nothing while retries last; if it keeps happening, ask the partner about their server or raise timeoutSeconds.',
  },
  SFTP_CONNECTION_LOST: {
    severity: 'error', scope: 'connection', retry: 'transient',
    meaning: 'The SFTP connection went away during an operation (reset, closed by the server).',
    fix: 'Nothing while retries last; otherwise ask the partner whether their server drops sessions.',
  },
  SFTP_NOT_FOUND: {
    severity: 'error', scope: 'file', retry: 'protocol',
    meaning: 'A file or folder the gateway uses is not on the SFTP server (for example the inbound or outbound folder of the partner file).',
    fix: 'Check the folders in the partner file against the partner\'s server.',
  },
  SFTP_PERMISSION_DENIED: {
    severity: 'error', scope: 'file', retry: 'auth',
    meaning: 'The SFTP server does not let our user read, write, rename or delete there.',
    fix: "Ask the partner to grant our user the rights on that folder, or change the folders in the partner file.",
  },
  SFTP_FILE_CHANGED: {
    severity: 'error', scope: 'file', retry: 'transient',
    meaning: 'A file changed size while it was read (the partner was still writing it); it is taken once it stands still.',
    fix: 'Nothing to do; if the partner writes slowly, raise transport.inbound.stableSeconds or ask for done markers.',
  },
  SFTP_SERVER_FAILURE: {
    severity: 'error', scope: 'file', retry: 'protocol',
    meaning: 'The SFTP server refused an operation without a more precise reason (SSH_FX_FAILURE), or a file stands where a folder should.',
    fix: 'Read the message (operation and path); check the folder on the partner\'s server with them.',
  },
  SFTP_NAME_TAKEN: {
    severity: 'error', scope: 'file', retry: 'business',
    meaning: "A file of the name we upload already exists in the partner's inbox; it is not overwritten.",
    fix: 'Ask the partner whether they took the earlier file; check transport.outbound.fileName gives unique names (a {control} or {timestamp}).',
  },
  SFTP_UPLOAD_INCOMPLETE: {
    severity: 'error', scope: 'file', retry: 'transient',
    meaning: 'After an upload the SFTP server held fewer or more bytes than we sent under the temporary name; the upload is tried again.',
    fix: 'Nothing while retries last; if it keeps happening, ask the partner whether their disk is full.',
  },
  TRANSPORT_NO_FREE_NAME: {
    severity: 'error', scope: 'file', retry: 'business',
    meaning: 'Every name tried for a file in an archive or outbound folder is taken; nothing is overwritten.',
    fix: 'Clean up the folder the message names (old archived or undelivered files).',
  },
} as const satisfies Record<string, CatalogEntry>;

export type TransportCode = keyof typeof transportCodes;
