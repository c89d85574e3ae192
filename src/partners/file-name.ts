// Outbound file names from a partner's pattern, and the checks every name from or to a partner
// passes before it becomes part of a path.
//
//   renderFileName('{partner}_{set}_{control}_{timestamp}.edi', { partner: 'acme', set: '855', control: 42, now })
//     -> 'acme_855_000000042_20250101120000.edi'
import { randomUUID } from 'node:crypto';

export const FILE_NAME_PLACEHOLDERS = ['partner', 'set', 'control', 'timestamp', 'uuid'] as const;
export type FileNamePlaceholder = (typeof FILE_NAME_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholder names in a pattern that we do not know (empty when the pattern is fine). */
export function unknownPlaceholders(pattern: string): string[] {
  return [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !(FILE_NAME_PLACEHOLDERS as readonly string[]).includes(n));
}

/** Whether the pattern makes names that differ from file to file ({control}, {timestamp} or {uuid}). */
export function isUniquePattern(pattern: string): boolean {
  return /\{(control|timestamp|uuid)\}/.test(pattern);
}

export interface FileNameValues {
  partner: string;
  /** Transaction set id ('855'), or the kind ('997', 'TA1'). */
  set: string;
  /** ISA13: zero-padded to nine digits. */
  control: string | number;
  now?: Date;
}

/** The file name for one outbound interchange, made safe (see safeFileName). */
export function renderFileName(pattern: string, values: FileNameValues): string {
  const now = values.now ?? new Date();
  const name = pattern.replace(PLACEHOLDER, (whole, key: string) => {
    switch (key) {
      case 'partner': return values.partner;
      case 'set': return values.set;
      case 'control': return String(values.control).padStart(9, '0');
      case 'timestamp': return utcStamp(now);
      case 'uuid': return randomUUID();
      default: return whole;
    }
  });
  return safeFileName(name);
}

/** yyyymmddHHMMss in UTC. */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * A single path component safe to join to a folder: no separators, no '..', no control
 * characters, not empty. Anything else is replaced by '_' (the original is kept as metadata by callers).
 */
export function safeFileName(name: string): string {
  let out = name.replace(/[\u0000-\u001f\u007f/\\:]/g, '_');
  if (out === '' || out === '.' || out === '..') out = `_${out}`;
  // A leading dot would hide the file and a '..' run inside reads as a parent reference to some tools.
  out = out.replace(/\.\.+/g, '_').replace(/^\./, '_');
  return withinBytes(out, MAX_NAME_BYTES);
}

/**
 * A file name may have 255 bytes (NAME_MAX), not characters: 85 CJK characters fill it. The archive
 * and temporary names add up to 50 bytes to this one, so it keeps at most 200.
 */
const MAX_NAME_BYTES = 200;

/** The longest start of `s` of at most `max` UTF-8 bytes, never cutting a character in two. */
function withinBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

/** Whether a name is usable as is (safeFileName would not change it). */
export function isSafeFileName(name: string): boolean {
  return safeFileName(name) === name;
}
