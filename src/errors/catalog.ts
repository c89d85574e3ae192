// The one error catalog: every stable code the gateway reports, with its meaning,
// its fix and the acknowledgment codes it feeds. docs/errors.md is generated from it
// (npm run docs:errors) and a test keeps the two in step.
import { x12Codes } from '../x12/codes.js';
import { mapCodes } from '../maps/codes.js';
import { ackCodes } from '../acks/codes.js';
import { pipelineCodes } from '../jobs/codes.js';
import type { CatalogEntry } from './types.js';

export const catalog = { ...x12Codes, ...mapCodes, ...ackCodes, ...pipelineCodes } as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof catalog;

export function catalogEntry(code: ErrorCode): CatalogEntry {
  return catalog[code];
}
