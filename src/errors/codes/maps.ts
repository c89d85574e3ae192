// Stable codes for what the maps (X12 <-> canonical documents) can find wrong.
// These are business-level findings: never acknowledged in a 997/999 (docs/x12.md#what-is-never-acknowledged).
import type { CatalogEntry } from '../types.js';

export const mapCodes = {
  MAP_REQUIRED_VALUE: {
    severity: 'error', scope: 'document',
    meaning: 'A value the canonical document needs is missing from the transaction set.',
    fix: 'Ask the partner to send the value; the message names the segment and element.',
  },
  MAP_INVALID_NUMBER: {
    severity: 'error', scope: 'document',
    meaning: 'A quantity, price or amount is not a number.',
    fix: 'Ask the partner to correct the value.',
  },
  // ---- shared by all maps (src/maps/shared) ---------------------------------
  MAP_INVALID_DATE: {
    severity: 'error', scope: 'document',
    meaning: 'A date is not a calendar date in CCYYMMDD form.',
    fix: 'Ask the partner to correct the date.',
  },
  MAP_INVALID_TIME: {
    severity: 'error', scope: 'document',
    meaning: 'A time is not a time of day in HHMM[SS] form.',
    fix: 'Ask the partner to correct the time.',
  },
  MAP_WRONG_TRANSACTION_SET: {
    severity: 'error', scope: 'document', remedy: 'replay',
    meaning: 'The transaction set was given to a map for another set (for example an 856 to the 850 map).',
    fix: 'This is a routing bug in the gateway: report it with the file.',
  },
  MAP_SEGMENT_MISSING: {
    severity: 'error', scope: 'document',
    meaning: 'A segment the canonical document cannot do without (BEG, BAK, PO1...) is missing.',
    fix: 'Ask the partner to send the segment.',
  },
  MAP_SEGMENT_IGNORED: {
    severity: 'warning', scope: 'document',
    meaning: 'A segment the map does not carry into the canonical document was left out of it (it stays in the stored file).',
    fix: 'Nothing to do unless the partner relies on it; then ask for the map to be extended.',
  },
  MAP_UNKNOWN_CODE: {
    severity: 'warning', scope: 'document',
    meaning: 'A code value is not one the map knows; it was kept as sent where the document has room for it.',
    fix: 'Check the value with the partner if it matters for the order.',
  },
  // ---- 856 hierarchy (HL) and containers ------------------------------------
  MAP_HL_DUPLICATE_ID: {
    severity: 'error', scope: 'document',
    meaning: 'Two HL segments carry the same HL01 id; the later one and everything under it was left out.',
    fix: 'Ask the partner to number HL segments uniquely within the ship notice.',
  },
  MAP_HL_UNKNOWN_PARENT: {
    severity: 'error', scope: 'document',
    meaning: 'An HL02 parent id names no HL01 of the ship notice; that level and everything under it was left out.',
    fix: 'Ask the partner to correct HL02 so it points at the parent level.',
  },
  MAP_HL_PARENT_NOT_BEFORE: {
    severity: 'error', scope: 'document',
    meaning: 'An HL02 points at its own HL or at a later HL (a forward reference or a cycle); that level was left out.',
    fix: 'Ask the partner to send each parent HL before its children.',
  },
  MAP_HL_LEVEL_NOT_ALLOWED: {
    severity: 'error', scope: 'document',
    meaning: 'An HL03 level code is not allowed under its parent for the BSN05 hierarchical structure; that level was left out.',
    fix: 'Ask the partner to send the levels their BSN05 structure code promises (e.g. 0001 S/O/P/I), or correct BSN05.',
  },
  MAP_SSCC_CHECK_DIGIT: {
    severity: 'warning', scope: 'document',
    meaning: 'An SSCC-18 (MAN*GM) has a wrong GS1 check digit; the value was kept as sent.',
    fix: 'Ask the partner to check their label printing: scanned carton labels will not match this ship notice.',
  },
  MAP_SSCC_FORMAT: {
    severity: 'warning', scope: 'document',
    meaning: 'A MAN*GM value is not an SSCC-18 (18 digits, or 20 with the 00 application identifier); the value was kept as sent.',
    fix: 'Ask the partner to send the 18-digit SSCC in MAN02.',
  },
  MAP_CONTROL_TOTAL_MISMATCH: {
    severity: 'warning', scope: 'document',
    meaning: 'A control total (CTT01 count or CTT02 hash total) does not match the detail it counts.',
    fix: 'Check the document for missing lines; tell the partner if their totals are computed differently.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type MapCode = keyof typeof mapCodes;
