// Reads a run of segments with one handler per tag, for maps whose segments may come
// in any order within a level or loop (810 heading and IT1 loops).
// Whatever has no handler is reported as ignored, so nothing is dropped silently.
// (The 850/855 read their loops in ./order-line.ts; the 856 levels switch on the tag,
// as a large ship notice has too many levels for a table of handler closures per level.)
import type { Party } from '../../documents/common.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentCursor } from './cursor.js';
import { readParty } from './parties.js';
import type { MapReport } from './report.js';

export type SegmentHandlers = Partial<Record<string, (seg: Segment) => void>>;

export interface DispatchOptions {
  /** Stop before the first segment with one of these tags (default: read to the cursor's end). */
  stopAt?: readonly string[];
  /** When given, an N1 starts a party loop (N1, N2, N3, N4, REF, PER) read into this list. */
  parties?: Party[];
}

/** Consumes segments up to `stopAt`, handing each to its handler; `where` names the place in ignored-segment findings. */
export function dispatchSegments(cur: SegmentCursor, report: MapReport, where: string, handlers: SegmentHandlers, options: DispatchOptions = {}): void {
  const stop = options.stopAt ?? [];
  for (let tag = cur.peekTag(); tag !== undefined && !stop.includes(tag); tag = cur.peekTag()) {
    if (options.parties && tag === 'N1') {
      const party = readParty(cur, report);
      if (party) options.parties.push(party);
      continue;
    }
    const seg = cur.next()!;
    const handle = handlers[tag];
    if (handle) handle(seg);
    else report.ignored(seg, where);
  }
}

/** A handler for a segment that occurs once: later occurrences are reported as ignored. */
export function firstOnly(report: MapReport, where: string, read: (seg: Segment) => void): (seg: Segment) => void {
  let seen = false;
  return (seg) => {
    if (seen) {
      report.ignored(seg, `${where} (only the first ${seg.tag} is read)`);
      return;
    }
    seen = true;
    read(seg);
  };
}

/**
 * A PID handler that keeps the first free-form description (PID01 F, PID05) through `set`
 * and reports any other PID as ignored (for documents with a single description field).
 */
export function descriptionHandler(report: MapReport, where: string, get: () => string | undefined, set: (text: string) => void): (seg: Segment) => void {
  return (seg) => {
    const text = report.text(seg, 5);
    if (get() === undefined && report.text(seg, 1) === 'F' && text !== undefined) set(text);
    else report.ignored(seg, `${where} (only the first free-form description is read)`);
  };
}
