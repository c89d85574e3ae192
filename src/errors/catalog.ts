// The one error catalog: every stable code the gateway reports, findings and operational failures,
// with its meaning, its fix, the acknowledgment codes it feeds and what the gateway does about it
// (retry). docs/errors.md is generated from it (npm run docs:errors) and a test keeps the two in step.
import { x12Codes } from './codes/x12.js';
import { mapCodes } from './codes/maps.js';
import { ackCodes } from './codes/acks.js';
import { pipelineCodes } from './codes/pipeline.js';
import { partnerCodes } from './codes/partners.js';
import { storeCodes } from './codes/store.js';
import { odooCodes } from './codes/odoo.js';
import { transportCodes } from './codes/transports.js';
import { cliCodes } from './codes/cli.js';
import { runtimeCodes } from './codes/runtime.js';
import { as2Codes } from './codes/as2.js';
import type { CatalogEntry } from './types.js';

export const catalog = {
  ...x12Codes, ...mapCodes, ...ackCodes, ...pipelineCodes,
  ...partnerCodes, ...storeCodes, ...odooCodes, ...transportCodes, ...cliCodes, ...runtimeCodes,
  ...as2Codes,
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof catalog;
