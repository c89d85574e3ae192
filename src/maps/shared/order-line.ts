// The PO1 loop the 850 and 855 share: PO1, PID, PO4, REF, SAC, DTM, MSG/MTX, N9 and
// N1 loops. The 855 adds its ACK segments through `onOther` / `extra`.
import type { ItemDescription, LinePrice, OrderLine, Pack } from '../../documents/purchase-order.js';
import type { Segment } from '../../x12/model.js';
import type { SegmentData } from '../../x12/writer.js';
import { readAllowanceCharge, writeAllowanceCharge } from './allowances.js';
import type { SegmentCursor } from './cursor.js';
import type { X12Version } from './map-types.js';
import { readMessage, readNoteLoop, writeFreeText, writeNoteLoop } from './notes.js';
import { readParty, writeParty } from './parties.js';
import { readProductIds, writeProductIds } from './products.js';
import { readDateTime, readReference, writeDateTime, writeReference } from './references.js';
import type { MapReport } from './report.js';
import { formatDecimal } from './values.js';

/** PO106..PO125: ten qualifier/id pairs. */
const PO1_ID_PAIRS = 10;

const dec = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatDecimal(n));

export interface ReadLineOptions {
  /** Tags that end the line besides the next PO1 (the summary: CTT). */
  stopAt: readonly string[];
  /** Called for a segment the shared line does not map; return true when it was handled. */
  onOther?: (seg: Segment) => boolean;
}

/**
 * PID05 of a plain free-form product description (PID01 F, PID02 empty or 08, no PID03/04)
 * becomes the line's description: its text, else undefined.
 */
function mainDescription(seg: Segment, report: MapReport): string | undefined {
  const ch = report.text(seg, 2);
  return report.text(seg, 1) === 'F' && (ch === undefined || ch === '08')
    && report.text(seg, 3) === undefined && report.text(seg, 4) === undefined ? report.text(seg, 5) : undefined;
}

// The readers below set optional fields one by one rather than through assignDefined:
// they run for the segments of every line.

function readDescription(seg: Segment, report: MapReport): ItemDescription {
  const d: ItemDescription = { type: report.text(seg, 1, { required: 'item description type' }) ?? '' };
  const characteristic = report.text(seg, 2);
  const agency = report.text(seg, 3);
  const code = report.text(seg, 4);
  const text = report.text(seg, 5);
  if (characteristic !== undefined) d.characteristic = characteristic;
  if (agency !== undefined) d.agency = agency;
  if (code !== undefined) d.code = code;
  if (text !== undefined) d.text = text;
  return d;
}

/** PO401-PO404; undefined when none of them is there. */
function readPack(seg: Segment, report: MapReport): Pack | undefined {
  const pack = report.decimal(seg, 1);
  const size = report.decimal(seg, 2);
  const unit = report.text(seg, 3);
  const packaging = report.text(seg, 4);
  if (pack === undefined && size === undefined && unit === undefined && packaging === undefined) return undefined;
  const p: Pack = {};
  if (pack !== undefined) p.pack = pack;
  if (size !== undefined) p.size = size;
  if (unit !== undefined) p.unit = unit;
  if (packaging !== undefined) p.packaging = packaging;
  return p;
}

/** CTP01-CTP05-01; undefined when none of them is there. */
function readLinePrice(seg: Segment, report: MapReport): LinePrice | undefined {
  const classOfTrade = report.text(seg, 1);
  const qualifier = report.text(seg, 2);
  const unitPrice = report.decimal(seg, 3);
  const quantity = report.decimal(seg, 4);
  const unit = report.text(seg, 5, { component: 1 });
  if (classOfTrade === undefined && qualifier === undefined && unitPrice === undefined && quantity === undefined && unit === undefined) return undefined;
  const p: LinePrice = {};
  if (classOfTrade !== undefined) p.classOfTrade = classOfTrade;
  if (qualifier !== undefined) p.qualifier = qualifier;
  if (unitPrice !== undefined) p.unitPrice = unitPrice;
  if (quantity !== undefined) p.quantity = quantity;
  if (unit !== undefined) p.unit = unit;
  return p;
}

/** How findings name the line (built only when a finding needs it). */
function lineName(line: OrderLine, po1: Segment, report: MapReport): string {
  return line.lineNumber !== undefined ? `line ${line.lineNumber}` : `the line at segment ${report.position(po1) ?? '?'}`;
}

/** Reads one PO1 loop; the cursor must be at the PO1. */
export function readOrderLine(cur: SegmentCursor, report: MapReport, options: ReadLineOptions): OrderLine {
  const po1 = cur.next()!;
  const line: OrderLine = {
    quantity: report.decimal(po1, 2, { required: 'quantity ordered' }) ?? 0,
    unit: report.text(po1, 3, { required: 'unit of measure' }) ?? '',
    productIds: readProductIds(po1, 6, PO1_ID_PAIRS, report),
    descriptions: [], references: [], dates: [], allowancesCharges: [], notes: [], parties: [],
  };
  // Plain assignments rather than assignDefined: this runs for every line of every order.
  const lineNumber = report.text(po1, 1);
  const unitPrice = report.decimal(po1, 4);
  const priceBasis = report.text(po1, 5);
  if (lineNumber !== undefined) line.lineNumber = lineNumber;
  if (unitPrice !== undefined) line.unitPrice = unitPrice;
  if (priceBasis !== undefined) line.priceBasis = priceBasis;
  const stopAt = options.stopAt;
  let freeText: string[] | undefined;
  for (let tag = cur.peekTag(); tag !== undefined && tag !== 'PO1' && !stopAt.includes(tag); tag = cur.peekTag()) {
    if (tag === 'N1') {
      const p = readParty(cur, report);
      if (p) line.parties.push(p);
      continue;
    }
    if (tag === 'N9') {
      const n = readNoteLoop(cur, report);
      if (n) line.notes.push(n);
      continue;
    }
    const seg = cur.next()!;
    switch (tag) {
      case 'PID': {
        const main = line.description === undefined ? mainDescription(seg, report) : undefined;
        if (main !== undefined) line.description = main;
        else line.descriptions.push(readDescription(seg, report));
        break;
      }
      case 'PO4': {
        if (line.pack !== undefined) { report.ignored(seg, `${lineName(line, po1, report)} (a second PO4)`); break; }
        const pack = readPack(seg, report);
        // Only PO401-PO404 are mapped: a PO4 with weights or dimensions alone carries nothing we keep.
        if (pack) line.pack = pack;
        else report.ignored(seg, `${lineName(line, po1, report)} (PO4 without pack, size or packaging)`);
        break;
      }
      case 'REF': { const r = readReference(seg, report); if (r) line.references.push(r); break; }
      case 'DTM': { const d = readDateTime(seg, report); if (d) line.dates.push(d); break; }
      case 'CTP': {
        const p = readLinePrice(seg, report);
        if (p) (line.prices ??= []).push(p);
        const ctpCur = cur.takeTag('CUR');
        if (ctpCur) report.ignored(ctpCur, `a CTP loop of ${lineName(line, po1, report)}`);
        break;
      }
      case 'SAC': {
        const ac = readAllowanceCharge(seg, report);
        if (ac) line.allowancesCharges.push(ac);
        const sacCur = cur.takeTag('CUR');
        if (sacCur) report.ignored(sacCur, `an SAC loop of ${lineName(line, po1, report)}`);
        break;
      }
      case 'MSG': case 'MTX': {
        const m = readMessage(seg, report);
        if (m !== undefined) (freeText ??= []).push(m);
        break;
      }
      default:
        if (!options.onOther?.(seg)) report.ignored(seg, lineName(line, po1, report));
    }
  }
  // All bare message lines of a line form one free-text note, first in `notes`, as written back.
  if (freeText) line.notes.unshift({ dates: [], messages: freeText });
  return line;
}

export interface WriteLineOptions {
  /** Segments of the set's own (the 855's ACK loops): written after the DTMs, where the standard places the ACK loop. */
  extra?: readonly SegmentData[];
  /**
   * Whether the PO1 loop has a bare message segment (MSG in the 004010 850, MTX in the
   * 005010 850; default true). The 855 PO1 loop has none in either version: its free-text
   * notes go into an N9 loop (N9*L1*NOTES) instead.
   */
  bareMessages?: boolean;
}

/**
 * Writes one PO1 loop in the standard's order: PO1, CTP, PID, PO4, REF, SAC, DTM, `extra`,
 * free-text MSG/MTX, N9 loops, N1 loops.
 */
export function writeOrderLine(line: OrderLine, version: X12Version, options: WriteLineOptions = {}): SegmentData[] {
  const { extra = [], bareMessages = true } = options;
  const ids = writeProductIds(line.productIds, PO1_ID_PAIRS).elements;
  const out: SegmentData[] = [['PO1', line.lineNumber, dec(line.quantity), line.unit, dec(line.unitPrice), line.priceBasis, ...ids]];
  for (const c of line.prices ?? []) out.push(['CTP', c.classOfTrade, c.qualifier, dec(c.unitPrice), dec(c.quantity), c.unit === undefined ? undefined : [c.unit]]);
  if (line.description !== undefined) out.push(['PID', 'F', undefined, undefined, undefined, line.description]);
  for (const d of line.descriptions) out.push(['PID', d.type, d.characteristic, d.agency, d.code, d.text]);
  const p = line.pack;
  if (p) out.push(['PO4', dec(p.pack), dec(p.size), p.unit, p.packaging]);
  for (const r of line.references) out.push(writeReference(r));
  for (const ac of line.allowancesCharges) out.push(writeAllowanceCharge(ac));
  for (const d of line.dates) out.push(writeDateTime(d));
  out.push(...extra);
  if (bareMessages) {
    for (const n of line.notes) if (n.qualifier === undefined) out.push(...writeFreeText(n, version));
    for (const n of line.notes) if (n.qualifier !== undefined) out.push(...writeNoteLoop(n, version));
  } else {
    for (const n of line.notes) out.push(...writeNoteLoop(n, version));
  }
  for (const party of line.parties) out.push(...writeParty(party, version));
  return out;
}
