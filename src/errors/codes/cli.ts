// Stable codes for what the command line itself reports. Spread into src/errors/catalog.ts.
import type { CatalogEntry } from '../types.js';

export const cliCodes = {
  CLI_FILE_UNREADABLE: {
    severity: 'error', scope: 'file', retry: 'business',
    meaning: 'The file given on the command line does not exist, is a folder or cannot be read; edi inspect and validate exit with 2.',
    fix: 'Check the path and the rights on the file.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type CliCode = keyof typeof cliCodes;
