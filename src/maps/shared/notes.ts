// Notes: the N9 loop (N9, DTM, MSG in 004010 / MTX in 005010) and free-text MSG/MTX
// lines <-> Note. Reading accepts MSG and MTX in either version.
import type { Note } from '../../documents/purchase-order.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentData } from '../../x12/writer.js';
import type { SegmentCursor } from './cursor.js';
import type { X12Version } from './map-types.js';
import { readDateTime, writeDateTime } from './references.js';
import type { MapReport } from './report.js';

/** MSG01 is 1-264 characters; longer 005010 texts are split over several MSG in 004010. */
const MSG_MAX = 264;

/** Segments that carry one line of note text. */
export const MESSAGE_TAGS = ['MSG', 'MTX'] as const;

/** The text of a MSG (MSG01) or MTX (MTX02) segment. */
export function readMessage(seg: Segment, report: MapReport): string | undefined {
  return report.text(seg, seg.tag === 'MTX' ? 2 : 1, { required: 'message text' });
}

/** One line of text: MSG in 004010 (split at 264 characters), MTX in 005010. */
export function writeMessage(text: string, version: X12Version): SegmentData[] {
  if (version === '005010') return [['MTX', undefined, text]];
  const out: SegmentData[] = [];
  for (let i = 0; i < text.length; i += MSG_MAX) out.push(['MSG', text.slice(i, i + MSG_MAX)]);
  return out;
}

/** Reads one N9 loop; the cursor must be at the N9. Its DTM and MSG/MTX follow it. */
export function readNoteLoop(cur: SegmentCursor, report: MapReport): Note | undefined {
  const n9 = cur.takeTag('N9');
  if (!n9) return undefined;
  const qualifier = report.text(n9, 1, { required: 'reference qualifier' });
  const note: Note = { dates: [], messages: [] };
  if (qualifier !== undefined) note.qualifier = qualifier;
  const reference = report.text(n9, 2);
  const description = report.text(n9, 3);
  if (reference !== undefined) note.reference = reference;
  if (description !== undefined) note.description = description;
  for (;;) {
    const seg = cur.take('DTM', ...MESSAGE_TAGS);
    if (!seg) break;
    if (seg.tag === 'DTM') {
      const d = readDateTime(seg, report);
      if (d) note.dates.push(d);
    } else {
      const m = readMessage(seg, report);
      if (m !== undefined) note.messages.push(m);
    }
  }
  return note;
}

/**
 * An N9 loop. A note without a qualifier (free text, e.g. from the ERP) is written as
 * N9*L1*NOTES: N9 needs a qualifier and N902 or N903.
 */
export function writeNoteLoop(note: Note, version: X12Version): SegmentData[] {
  const qualifier = note.qualifier ?? 'L1';
  const reference = note.reference ?? (note.description === undefined ? 'NOTES' : undefined);
  const out: SegmentData[] = [['N9', qualifier, reference, note.description]];
  for (const d of note.dates) out.push(writeDateTime(d));
  for (const m of note.messages) out.push(...writeMessage(m, version));
  return out;
}

/** A free-text note (no qualifier) as bare message segments, as a PO1 loop carries them. */
export function writeFreeText(note: Note, version: X12Version): SegmentData[] {
  return note.messages.flatMap((m) => writeMessage(m, version));
}
