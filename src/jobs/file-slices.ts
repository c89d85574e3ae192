// Reads a stored file part by part: a slice is the whole interchanges found in about `bytes` bytes
// from a place in the file (more when one interchange is larger). The split and validate stages
// work slice by slice, so their memory follows the slice, not the file: parsed segments take some
// 30 times the room of their bytes, and a 60 MB file read whole took about 1 GB.
import type { Finding } from '../errors/finding.js';
import type { Conn } from '../store/conn.js';
import { getFileSlice, type SplitProgress } from '../store/files-repo.js';
import type { Interchange, Segment } from '../x12/model.js';
import { createX12Reader, type ReadOptions } from '../x12/reader.js';
import { lastSegment } from '../x12/segment-list.js';

/** Default slice: 1 MiB, some 800 interchanges of one small purchase order. */
export const DEFAULT_SLICE_BYTES = 1024 * 1024;

export interface Slice {
  /** Complete interchanges (or cut short by the file's end), offsets and lines the file's. */
  interchanges: Interchange[];
  /** File-level findings (not X12, data between interchanges) in the slice's bytes. */
  findings: Finding[];
  from: number;
  /** The byte after the slice's last interchange (the file's size on the last slice). */
  to: number;
  /** Where the next slice starts: `to` and its line. */
  next: SplitProgress;
  /** Nothing follows: the slice reached the file's end (or `until`). */
  last: boolean;
  /** The file's size. */
  size: number;
  /** The bytes read, from `from` (segment offsets minus `from` index them). */
  bytes: Buffer;
}

export interface SliceOptions {
  /** Bytes to read at first (doubled while they hold no whole interchange). */
  bytes: number;
  /** Stop here (a byte after an interchange): the slice ends at it as at the file's end. */
  until?: number;
  read: ReadOptions;
}

/** The slice of file `fileId` from `at` (a byte after an interchange, or 0). */
export async function readSlice(conn: Conn, fileId: number, at: SplitProgress, options: SliceOptions): Promise<Slice> {
  let want = Math.max(1, options.bytes);
  for (;;) {
    const length = options.until === undefined ? want : Math.min(want, options.until - at.offset);
    const part = (await getFileSlice(conn, fileId, at.offset, length)) ?? { bytes: Buffer.alloc(0), size: 0 };
    const end = Math.min(part.size, options.until ?? part.size);
    const last = at.offset + part.bytes.length >= end;
    const interchanges: Interchange[] = [];
    const findings: Finding[] = [];
    const reader = createX12Reader(
      { interchange: (ic) => interchanges.push(ic), fileFinding: (f) => findings.push(f) },
      { ...options.read, keepTransactions: true, ...(at.offset > 0 ? { from: at } : {}) },
    );
    reader.push(part.bytes);
    if (last) {
      reader.end();
      // What follows the last interchange may be a line break only: that is no empty file.
      const kept = at.offset > 0 ? findings.filter((f) => f.code !== 'X12_EMPTY_FILE') : findings;
      return { interchanges, findings: kept, from: at.offset, to: end, next: { offset: end, line: at.line }, last, size: part.size, bytes: part.bytes };
    }
    const final = interchanges[interchanges.length - 1];
    if (final) {
      const lastSegment = lastSegmentOf(final);
      const to = segmentEnd(part.bytes, at.offset, lastSegment);
      // A line break as terminator ends the line of the last segment.
      const line = lastSegment.line + (/^[\r\n]$/.test(lastSegment.delimiters.segment) ? 1 : 0);
      // Findings past the slice's end come again with the next slice.
      const kept = findings.filter((f) => (f.location.offset ?? 0) < to);
      return { interchanges, findings: kept, from: at.offset, to, next: { offset: to, line }, last: false, size: part.size, bytes: part.bytes };
    }
    want *= 2;
  }
}

/** The last segment read of an interchange (its IEA when it has one). */
export function lastSegmentOf(ic: Interchange): Segment {
  if (ic.trailer) return ic.trailer;
  let last: Segment = ic.segment;
  const later = (s: Segment | undefined) => {
    if (s && s.offset > last.offset) last = s;
  };
  for (const t of ic.ta1) later(t);
  for (const g of ic.groups) {
    later(g.segment);
    for (const t of g.transactions) later(lastSegment(t));
    later(g.trailer);
  }
  return last;
}

/** The file byte after a segment's terminator (the end of `bytes` when the terminator is missing); `bytes` start at file byte `base`. */
export function segmentEnd(bytes: Buffer, base: number, seg: Segment): number {
  const at = bytes.indexOf(seg.delimiters.segment.charCodeAt(0), seg.offset - base);
  return at < 0 ? base + bytes.length : base + at + 1;
}
