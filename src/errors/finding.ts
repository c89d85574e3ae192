// A finding is one problem (or warning) found in partner data: a value, not an
// exception, so one pass can report every problem to the acknowledgment.
import type { Location } from './location.js';
import { catalog, type ErrorCode } from './catalog.js';
import type { AckCodes } from './types.js';

export interface Finding {
  code: ErrorCode;
  severity: 'error' | 'warning';
  /** Specific, plain-language message: what was found and what was expected. */
  message: string;
  location: Location;
  /** Acknowledgment codes, copied from the catalog. */
  ack: AckCodes;
  /** A copy of the bad data (AK404/IK404), at most 99 characters. */
  value?: string;
}

export interface FindingOptions {
  /** Overrides the catalog severity (partner tolerances lower errors to warnings). */
  severity?: 'error' | 'warning';
  value?: string;
}

export function finding(code: ErrorCode, message: string, location: Location, options: FindingOptions = {}): Finding {
  const entry = catalog[code];
  const f: Finding = {
    code,
    severity: options.severity ?? entry.severity,
    message,
    location: { ...location },
    ack: 'ack' in entry ? { ...entry.ack } : {},
  };
  if (options.value !== undefined) f.value = options.value.slice(0, 99);
  return f;
}

export function isError(f: Finding): boolean {
  return f.severity === 'error';
}

/** "orders.edi line 12 (byte 904), interchange 000000905, group 17, set 850 0001, segment 5 PO1, element 02: ... [X12_ELEMENT_TOO_LONG]" */
export function formatFinding(f: Finding): string {
  const l = f.location;
  const parts: string[] = [];
  const where: string[] = [];
  if (l.file) where.push(l.file);
  if (l.line !== undefined) where.push(`line ${l.line}` + (l.offset !== undefined ? ` (byte ${l.offset})` : ''));
  else if (l.offset !== undefined) where.push(`byte ${l.offset}`);
  if (where.length) parts.push(where.join(' '));
  if (l.interchange !== undefined) parts.push(`interchange ${l.interchange}`);
  if (l.group !== undefined) parts.push(`group ${l.group}`);
  if (l.transaction !== undefined) parts.push(`set ${l.transactionSetId ? l.transactionSetId + ' ' : ''}${l.transaction}`);
  if (l.segmentTag !== undefined || l.segmentPosition !== undefined) {
    parts.push(`segment ${l.segmentPosition ?? '?'}${l.segmentTag ? ' ' + l.segmentTag : ''}`);
  }
  if (l.elementPosition !== undefined) {
    let e = `element ${String(l.elementPosition).padStart(2, '0')}`;
    if (l.componentPosition !== undefined) e += `-${l.componentPosition}`;
    if (l.repetitionPosition !== undefined) e += ` (repetition ${l.repetitionPosition})`;
    parts.push(e);
  }
  const prefix = parts.length ? parts.join(', ') + ': ' : '';
  return `${prefix}${f.severity === 'warning' ? 'warning: ' : ''}${f.message} [${f.code}]`;
}
