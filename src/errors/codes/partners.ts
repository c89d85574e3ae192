// Stable codes for the partner configuration (partners/*.yaml) and the secrets it names. Spread into
// src/errors/catalog.ts; the partner checks on data (PARTNER_SENDER_MISMATCH...) are pipeline codes.
import type { CatalogEntry } from '../types.js';

export const partnerCodes = {
  PARTNER_CONFIG_INVALID: {
    severity: 'error', scope: 'config', retry: 'business',
    meaning: 'The partner configuration has problems (each listed with its file, key and line); the gateway does not start with it, and a reload keeps the last good one.',
    fix: 'Fix each problem listed (npx edi partners check lists them), then start again or send SIGHUP.',
  },
  PARTNER_SECRET_UNREADABLE: {
    severity: 'error', scope: 'config', retry: 'auth',
    meaning: 'A secret a partner file names (an environment variable or a file) is not set or cannot be read; the value is never shown.',
    fix: 'Set the variable or create the file the message names, readable by the gateway.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type PartnerCode = keyof typeof partnerCodes;
