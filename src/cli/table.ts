// Plain text for the terminal: tables with columns padded to their widest cell (numbers
// right-aligned), timestamps, timeline rows, and the id arguments the commands take.
import type { EventRecord } from '../store/types.js';

export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) =>
    r
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** Cuts a one-line text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

/** A timeline entry as a table row: at, stage, actor, from, to, message (with its details). */
export function timelineRow(e: EventRecord): string[] {
  const details = Object.keys(e.details).length ? ` ${clip(JSON.stringify(e.details), 100)}` : '';
  return [timestamp(e.at), e.stage, e.actor, e.fromState ?? '-', e.toState ?? '-', e.message + details];
}

/** UTC, to the second: 2026-12-07 19:30:16Z. */
export function timestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** A positive whole number given on the command line, else undefined. */
export function positiveInt(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;
}
