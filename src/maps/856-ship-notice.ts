// 856 ship notice <-> ShipNotice, both directions.
// Reading builds the hierarchy from HL02 parent pointers (./hl-tree.ts), never from
// segment order, then reads each level's segments by what the level is (HL03).
// Writing numbers the HL levels depth-first and counts them into CTT01.
import type {
  Equipment, Lading, LeafPack, Lot, Pack, ShipNotice, ShipNoticeItem, ShipNoticeOrder, Tare,
} from '../documents/ship-notice.js';
import type { DateReference, Identifier, ProductIds, Reference } from '../documents/common.js';
import type { Location, Segment, TransactionSet } from '../x12/model.js';
import type { SetBounds } from '../x12/validate-bounds.js';
import { segmentsOf, type SegmentList } from '../x12/segment-list.js';
import type { SegmentData } from '../x12/writer.js';
import { levelOutsideRules, linkHlTree, writeHlTree, type HlColumns, type HlLevelOut, type HlLinks, type LevelRules } from './hl-tree.js';
import { checkSscc, isPlainSscc } from './sscc.js';
import { SegmentCursor } from './shared/cursor.js';
import type { MapContext, MapResult, X12Version } from './shared/map-types.js';
import { readParty, writeParty } from './shared/parties.js';
import { emptyProductIds, readProductIds, SharedProductIds, writeProductIds } from './shared/products.js';
import { readDateTime, readReference, writeDateTime, writeReference } from './shared/references.js';
import { readCarrier, writeCarrier } from './shared/allowances.js';
import { MapReport, type ReadOptions } from './shared/report.js';
import { listOrNone, noItems } from './shared/lists.js';
import { assignDefined, formatDate, formatDecimal, formatTime, roundDecimal } from './shared/values.js';

// ---- hierarchy rules (BSN05), as data -------------------------------------------------

/**
 * HL03 levels allowed under each level, per BSN05 hierarchical structure code.
 * 0001 (pick and pack) takes an optional tare level: S/O/P/I and S/O/T/P/I.
 */
export const STRUCTURE_RULES: Readonly<Record<string, LevelRules>> = {
  '0001': { '': ['S'], S: ['O'], O: ['T', 'P'], T: ['P', 'I'], P: ['I'] },
  '0002': { '': ['S'], S: ['O'], O: ['I'], I: ['P'] },
  '0004': { '': ['S'], S: ['O'], O: ['I'] },
};

/** Without a known BSN05: every shape the canonical document can hold. */
export const ANY_STRUCTURE: LevelRules = { '': ['S'], S: ['O'], O: ['T', 'P', 'I'], T: ['P', 'I'], P: ['I'], I: ['P'] };

/**
 * The structure code a hierarchy's shape calls for, when the document carries none: the
 * first of 0004 (S/O/I), 0002 (S/O/I/P), 0001 (S/O/(T)/P/I) that fits every level, or
 * undefined for a mix of shapes (BSN05 is then left out, and readers take the levels by HL03).
 */
export function structureOf(levels: readonly HlLevelOut[]): string | undefined {
  return ['0004', '0002', '0001'].find((code) => levelOutsideRules(levels, STRUCTURE_RULES[code]!) === undefined);
}

// ---- reading ------------------------------------------------------------------------------

/**
 * The HL levels of the set, by position in segment order: each level's HL01-03 and where its
 * segments sit in the set. Columns rather than an object per level (a large ship notice has
 * a hundred thousand levels, and all of them live until the map ends): its segments are read
 * through a cursor over the set, and its location is built only when a finding needs it.
 */
class Levels implements HlColumns {
  /** The segments after the HL up to the next HL or CTT: segments starts[i] .. ends[i] - 1 of the set (the HL is starts[i] - 1). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /**
   * HL01 and HL02 as numbers when they are plain decimals (as almost always: 1, 2, 3, ...), else -1
   * with the text in `texts` (keyed 2i for HL01, 2i + 1 for HL02): no string per level to keep.
   */
  private readonly idNumbers: Int32Array;
  private readonly parentNumbers: Int32Array;
  private readonly texts = new Map<number, string>();
  private readonly codes: string[];
  length = 0;

  /** `capacity`: at least the number of levels to come (sized once: no array grown level by level). */
  constructor(private readonly report: MapReport, private readonly segments: SegmentList, capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.idNumbers = new Int32Array(capacity);
    this.parentNumbers = new Int32Array(capacity);
    this.codes = new Array<string>(capacity);
  }

  /** Notes the level of `hl`, segment start - 1 of the set. */
  add(hl: Segment, start: number, end: number): void {
    const report = this.report;
    const i = this.length++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.idNumbers[i] = this.number(hl, 1, 2 * i);
    this.parentNumbers[i] = this.number(hl, 2, 2 * i + 1);
    this.codes[i] = report.text(hl, 3) ?? '';
  }

  /** Element `position` of the HL as a plain decimal, or -1 with its text (trimmed, '' when absent) noted under `key`. */
  private number(hl: Segment, position: number, key: number): number {
    const n = this.report.elements.plainNumber(hl, position);
    if (n < 0) this.texts.set(key, this.report.text(hl, position) ?? '');
    return n;
  }

  /** The HL segment of level i (made when asked: only findings need it). */
  hl(i: number): Segment {
    return this.segments.at(this.starts[i]! - 1);
  }

  id(i: number): string {
    const n = this.idNumbers[i]!;
    return n >= 0 ? String(n) : this.texts.get(2 * i)!;
  }

  parentId(i: number): string {
    const n = this.parentNumbers[i]!;
    return n >= 0 ? String(n) : this.texts.get(2 * i + 1)!;
  }

  idNumber(i: number): number {
    return this.idNumbers[i]!;
  }

  parentNumber(i: number): number {
    return this.parentNumbers[i]!;
  }

  /** HL03. */
  level(i: number): string {
    return this.codes[i]!;
  }

  location(i: number): Location {
    return this.report.at(this.hl(i));
  }
}

function readLading(seg: Segment, report: MapReport): Lading {
  return assignDefined<Lading>({}, {
    packagingCode: report.text(seg, 1),
    quantity: report.decimal(seg, 2),
    weightQualifier: report.text(seg, 6),
    weight: report.decimal(seg, 7),
    weightUnit: report.text(seg, 8),
    volume: report.decimal(seg, 9),
    volumeUnit: report.text(seg, 10),
  });
}

function readEquipment(seg: Segment, report: MapReport): Equipment {
  return assignDefined<Equipment>({}, {
    typeCode: report.text(seg, 1),
    initial: report.text(seg, 2),
    number: report.text(seg, 3),
    sealNumber: report.text(seg, 9),
  });
}

/** `list` with the REF's reference added (a list made for it when there was none). */
function withReference(list: Reference[], seg: Segment, report: MapReport): Reference[];
function withReference(list: Reference[] | undefined, seg: Segment, report: MapReport): Reference[] | undefined;
function withReference(list: Reference[] | undefined, seg: Segment, report: MapReport): Reference[] | undefined {
  const r = readReference(seg, report);
  if (r) (list ??= []).push(r);
  return list;
}

/** `list` with the DTM's date added (a list made for it when there was none). */
function withDate(list: DateReference[], seg: Segment, report: MapReport): DateReference[];
function withDate(list: DateReference[] | undefined, seg: Segment, report: MapReport): DateReference[] | undefined;
function withDate(list: DateReference[] | undefined, seg: Segment, report: MapReport): DateReference[] | undefined {
  const d = readDateTime(seg, report);
  if (d) (list ??= []).push(d);
  return list;
}

/**
 * What a container level's segments give, gathered before its object is made: the object is then
 * made in one piece with its fields in the order they were met (a field added to an object made
 * without it costs a second allocation, kept as long as the document; a large ship notice has a
 * container per carton).
 */
interface ContainerParts {
  /** Made at the first one read (most containers have none: see ./shared/lists.ts). */
  marks: Identifier[] | undefined;
  references: Reference[] | undefined;
  dates: DateReference[] | undefined;
  sscc: string | undefined;
  lading: Lading | undefined;
  /** The TD1 came before the SSCC (the order of the two fields). */
  ladingFirst: boolean;
}

/** The container with its fields as met: marks, references, dates, then sscc and lading in the order read. */
function containerOf(p: ContainerParts): LeafPack {
  const marks = listOrNone(p.marks), references = listOrNone(p.references), dates = listOrNone(p.dates);
  const { sscc, lading } = p;
  if (lading === undefined) return sscc === undefined ? { marks, references, dates } : { marks, references, dates, sscc };
  if (sscc === undefined) return { marks, references, dates, lading };
  return p.ladingFirst ? { marks, references, dates, lading, sscc } : { marks, references, dates, sscc, lading };
}

/** A pack: the container's fields, then its items (filled by the caller). */
function packOf(p: ContainerParts, items: ShipNoticeItem[]): Pack {
  const marks = listOrNone(p.marks), references = listOrNone(p.references), dates = listOrNone(p.dates);
  const { sscc } = p;
  if (p.lading === undefined) return sscc === undefined ? { marks, references, dates, items } : { marks, references, dates, sscc, items };
  const pack = containerOf(p) as Pack;
  pack.items = items;
  return pack;
}

// Options of readers run for every carton or item, made once rather than at each call.
const MARK_QUALIFIER: ReadOptions = { required: 'marks and numbers qualifier' };
const MARK_VALUE: ReadOptions = { required: 'marks and numbers' };
const UNITS_SHIPPED: ReadOptions = { required: 'units shipped' };
const UNIT: ReadOptions = { required: 'unit of measure' };

/** MAN01 GM is the SSCC-18 (checked, normalised); any other mark is kept as sent. */
function readMark(seg: Segment, container: ContainerParts, report: MapReport): void {
  const qualifier = report.text(seg, 1, MARK_QUALIFIER);
  const value = report.text(seg, 2, MARK_VALUE);
  if (qualifier === undefined || value === undefined) return;
  if (qualifier !== 'GM' || container.sscc !== undefined) {
    (container.marks ??= []).push({ qualifier, value });
    return;
  }
  // The common case, a well-formed SSCC, needs no check object (one per carton).
  if (isPlainSscc(value)) {
    container.sscc = value;
    return;
  }
  const check = checkSscc(value);
  container.sscc = check.value;
  if (check.problem === 'check_digit') {
    report.add('MAP_SSCC_CHECK_DIGIT', `MAN02 SSCC "${value}" has check digit ${check.value[17]}, expected ${check.expectedCheckDigit}`, report.at(seg, 2), value);
  } else if (check.problem === 'format') {
    report.add('MAP_SSCC_FORMAT', `MAN02 "${value}" is not an SSCC-18 (18 digits, or 20 starting with the 00 application identifier)`, report.at(seg, 2), value);
  }
}

/** Whether a LIN pair has qualifier LT (a loop, not a closure: this runs for every item). */
function hasLot(ids: readonly Identifier[]): boolean {
  for (let i = 0; i < ids.length; i++) if (ids[i]!.qualifier === 'LT') return true;
  return false;
}

/** "pack level HL 3": how findings name a level (built only for findings). */
function levelName(kind: string, levels: Levels, i: number): string {
  return `${kind} level HL ${levels.id(i)}`;
}

/**
 * Reads the levels of the tree. Each level's segments are read with a switch on the tag
 * (no table of handler closures per level: a large ship notice has tens of thousands of
 * levels); a segment a level reads once is reported as ignored when it comes again.
 */
class ShipNoticeReader {
  /** Every SN102 read, for the CTT02 check. */
  shippedTotal = 0;
  itemCount = 0;

  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly parts: ContainerParts = { marks: undefined, references: undefined, dates: undefined, sscc: undefined, lading: undefined, ladingFirst: false };
  /** A large notice's items share the ProductIds of a product (see SharedProductIds). */
  private readonly sharedIds: SharedProductIds | undefined;

  constructor(private readonly report: MapReport, private readonly segments: SegmentList, private readonly levels: Levels, tree: HlLinks) {
    this.firstChild = tree.firstChild;
    this.nextSibling = tree.nextSibling;
    this.sharedIds = report.large ? new SharedProductIds() : undefined;
  }

  private body(level: number): SegmentCursor {
    return new SegmentCursor(this.segments, this.levels.starts[level], this.levels.ends[level]);
  }

  private repeated(seg: Segment, kind: string, level: number): void {
    this.report.ignored(seg, `${levelName(kind, this.levels, level)} (only the first ${seg.tag} is read)`);
  }

  private notAllowed(child: number, under: string): void {
    const levels = this.levels;
    const code = levels.level(child);
    this.report.add('MAP_HL_LEVEL_NOT_ALLOWED', `HL ${levels.id(child)} level "${code}" is not allowed ${under}; this level was left out`, this.report.at(levels.hl(child), 3), code);
  }

  /** Gathers a container level's segments (its object is made by containerOf or packOf). The parts are reused: read them before the next container. */
  private container(level: number, kind: string): ContainerParts {
    const report = this.report;
    const c = this.parts;
    c.marks = undefined;
    c.references = undefined;
    c.dates = undefined;
    c.sscc = undefined;
    c.lading = undefined;
    c.ladingFirst = false;
    let td1 = false;
    // Indexes rather than a cursor: no cursor object per carton.
    const segments = this.segments;
    for (let i = this.levels.starts[level]!, end = this.levels.ends[level]!; i < end; i++) {
      const seg = segments.at(i);
      switch (seg.tag) {
        case 'MAN': readMark(seg, c, report); break;
        case 'TD1':
          if (td1) this.repeated(seg, kind, level);
          else { td1 = true; c.lading = readLading(seg, report); c.ladingFirst = c.sscc === undefined; }
          break;
        case 'REF': c.references = withReference(c.references, seg, report); break;
        case 'DTM': c.dates = withDate(c.dates, seg, report); break;
        default: report.ignored(seg, levelName(kind, this.levels, level));
      }
    }
    return c;
  }

  shipment(level: number, doc: ShipNotice): void {
    const report = this.report;
    let td1 = false;
    let td5 = false;
    let td3 = false;
    const cur = this.body(level);
    for (let tag = cur.peekTag(); tag !== undefined; tag = cur.peekTag()) {
      if (tag === 'N1') {
        const party = readParty(cur, report);
        if (party) doc.parties.push(party);
        continue;
      }
      const seg = cur.next()!;
      switch (tag) {
        case 'TD1':
          if (td1) this.repeated(seg, 'shipment', level);
          else { td1 = true; doc.lading = readLading(seg, report); }
          break;
        case 'TD5':
          if (td5) this.repeated(seg, 'shipment', level);
          else { td5 = true; doc.carrier = readCarrier(seg, report); }
          break;
        case 'TD3':
          if (td3) this.repeated(seg, 'shipment', level);
          else { td3 = true; doc.equipment = readEquipment(seg, report); }
          break;
        case 'REF': {
          const r = readReference(seg, report);
          if (!r) break;
          // The first BM and CN have their own fields; repeats stay references.
          if (r.qualifier === 'BM' && doc.billOfLading === undefined && r.value) doc.billOfLading = r.value;
          else if (r.qualifier === 'CN' && doc.proNumber === undefined && r.value) doc.proNumber = r.value;
          else doc.references.push(r);
          break;
        }
        case 'DTM': doc.dates = withDate(doc.dates, seg, report); break;
        default: report.ignored(seg, levelName('shipment', this.levels, level));
      }
    }
    const orders: ShipNoticeOrder[] = [];
    for (let c = this.firstChild[level]!; c >= 0; c = this.nextSibling[c]!) orders.push(this.order(c));
    doc.orders = orders;
  }

  order(level: number): ShipNoticeOrder {
    const report = this.report;
    const levels = this.levels;
    const order: ShipNoticeOrder = { poNumber: '', references: [], dates: [], parties: [], tares: [], packs: [], items: [] };
    let prf = false;
    let td1 = false;
    const cur = this.body(level);
    for (let tag = cur.peekTag(); tag !== undefined; tag = cur.peekTag()) {
      if (tag === 'N1') {
        const party = readParty(cur, report);
        if (party) order.parties.push(party);
        continue;
      }
      const seg = cur.next()!;
      switch (tag) {
        case 'PRF':
          if (prf) { this.repeated(seg, 'order', level); break; }
          prf = true;
          order.poNumber = report.requiredText(seg, 1, 'purchase order number');
          assignDefined(order, { releaseNumber: report.text(seg, 2), changeOrderSequence: report.text(seg, 3), poDate: report.date(seg, 4) });
          break;
        case 'TD1':
          if (td1) this.repeated(seg, 'order', level);
          else { td1 = true; order.lading = readLading(seg, report); }
          break;
        case 'REF': order.references = withReference(order.references, seg, report); break;
        case 'DTM': order.dates = withDate(order.dates, seg, report); break;
        default: report.ignored(seg, levelName('order', levels, level));
      }
    }
    if (!prf) report.missingSegment('PRF', `purchase order reference of ${levelName('order', levels, level)}`, levels.hl(level));
    for (let child = this.firstChild[level]!; child >= 0; child = this.nextSibling[child]!) {
      const kind = levels.level(child);
      if (kind === 'T') order.tares.push(this.tare(child));
      else if (kind === 'P') order.packs.push(this.pack(child));
      else if (kind === 'I') order.items.push(this.item(child, false));
      else this.notAllowed(child, `under an order level (HL ${levels.id(level)})`);
    }
    return order;
  }

  tare(level: number): Tare {
    const levels = this.levels;
    // The container's fields, then the tare's own (the order an object spread would give).
    const tare = containerOf(this.container(level, 'tare')) as Tare;
    tare.packs = [];
    tare.items = [];
    for (let child = this.firstChild[level]!; child >= 0; child = this.nextSibling[child]!) {
      const kind = levels.level(child);
      if (kind === 'P') tare.packs.push(this.pack(child));
      else if (kind === 'I') tare.items.push(this.item(child, true));
      else this.notAllowed(child, `under a tare level (HL ${levels.id(level)})`);
    }
    return tare;
  }

  pack(level: number): Pack {
    const levels = this.levels;
    const items = this.childList<ShipNoticeItem>(level);
    const pack = packOf(this.container(level, 'pack'), items);
    let n = 0;
    for (let child = this.firstChild[level]!; child >= 0; child = this.nextSibling[child]!) {
      if (levels.level(child) === 'I') items[n++] = this.item(child, true);
      else this.notAllowed(child, `under a pack level (HL ${levels.id(level)})`);
    }
    if (items.length !== n) items.length = n; // (setting it, even unchanged, is a runtime call per carton)
    return pack;
  }

  /**
   * An array for the children of a level, sized to their number: a list grown by push from
   * empty holds room for 16 (a carton of one item is the common case, and the document keeps
   * its list). The caller fills it from index 0 and cuts it to the number it kept.
   */
  private childList<T>(level: number): T[] {
    let n = 0;
    for (let child = this.firstChild[level]!; child >= 0; child = this.nextSibling[child]!) n++;
    return new Array<T>(n);
  }

  /** `packed`: the item already sits in a container, so it cannot hold cartons itself. */
  item(level: number, packed: boolean): ShipNoticeItem {
    const report = this.report;
    const levels = this.levels;
    // The fields are gathered first and the item made in one piece (see ContainerParts). Fields
    // past lineNumber (SN104-SN108, PID05: rare) go in `later` as key, value, ... in the order
    // read, lineNumber with them when it came after one of them.
    let productIds: ProductIds | undefined;
    let quantityShipped = 0;
    let unit = '';
    let lineNumber: string | undefined;
    let hasLine = false;
    let later: unknown[] | undefined;
    let described = false;
    // Made at the first one read: most items have none (./shared/lists.ts).
    let lots: Lot[] | undefined;
    let references: Reference[] | undefined;
    let dates: DateReference[] | undefined;
    let lin = false;
    let sn1 = false;
    let lineFromSn1: string | undefined;
    const segments = this.segments;
    for (let i = levels.starts[level]!, end = levels.ends[level]!; i < end; i++) {
      const seg = segments.at(i);
      switch (seg.tag) {
        case 'LIN': {
          if (lin) { this.repeated(seg, 'item', level); break; }
          lin = true;
          const line = report.text(seg, 1);
          if (line !== undefined) {
            hasLine = true;
            if (later === undefined) lineNumber = line;
            else later.push('lineNumber', line);
          }
          const ids = readProductIds(seg, 2, 15, report, this.sharedIds);
          productIds = ids;
          // Lots travel as LIN qualifier LT in some guides: they are lots, not product ids.
          if (ids.other.length > 0 && hasLot(ids.other)) {
            for (const l of ids.other) if (l.qualifier === 'LT') (lots ??= []).push({ number: l.value, source: 'LIN' });
            ids.other = ids.other.filter((i) => i.qualifier !== 'LT');
          }
          break;
        }
        case 'SN1': {
          if (sn1) { this.repeated(seg, 'item', level); break; }
          sn1 = true;
          lineFromSn1 = report.text(seg, 1);
          quantityShipped = report.decimal(seg, 2, UNITS_SHIPPED) ?? 0;
          unit = report.text(seg, 3, UNIT) ?? '';
          const toDate = report.decimal(seg, 4);
          const ordered = report.decimal(seg, 5);
          const orderedUnit = report.text(seg, 6);
          const status = report.text(seg, 8);
          if (toDate !== undefined) (later ??= []).push('quantityShippedToDate', toDate);
          if (ordered !== undefined) (later ??= []).push('quantityOrdered', ordered);
          if (orderedUnit !== undefined) (later ??= []).push('orderedUnit', orderedUnit);
          if (status !== undefined) (later ??= []).push('status', status);
          break;
        }
        case 'PID': {
          // Only the first free-form description (PID01 F, PID05) is kept.
          const text = report.text(seg, 5);
          if (!described && report.text(seg, 1) === 'F' && text !== undefined) {
            described = true;
            (later ??= []).push('description', text);
          } else {
            report.ignored(seg, `${levelName('item', levels, level)} (only the first free-form description is read)`);
          }
          break;
        }
        case 'REF': {
          const r = readReference(seg, report);
          if (r?.qualifier === 'LT' && r.value) (lots ??= []).push({ number: r.value, source: 'REF' });
          else if (r) (references ??= []).push(r);
          break;
        }
        case 'DTM': dates = withDate(dates, seg, report); break;
        default: report.ignored(seg, levelName('item', levels, level));
      }
    }
    if (!hasLine && lineFromSn1 !== undefined) {
      if (later === undefined) lineNumber = lineFromSn1;
      else later.push('lineNumber', lineFromSn1);
    }
    if (!lin) report.missingSegment('LIN', `item identification of ${levelName('item', levels, level)}`, levels.hl(level));
    if (!sn1) report.missingSegment('SN1', `units shipped of ${levelName('item', levels, level)}`, levels.hl(level));
    this.shippedTotal += quantityShipped;
    this.itemCount++;
    const ids = productIds ?? emptyProductIds();
    const packs = this.firstChild[level]! >= 0 ? this.childList<LeafPack>(level) : noItems<LeafPack>();
    const item: ShipNoticeItem = lineNumber === undefined
      ? { productIds: ids, quantityShipped, unit, lots: listOrNone(lots), references: listOrNone(references), dates: listOrNone(dates), packs }
      : { productIds: ids, quantityShipped, unit, lots: listOrNone(lots), references: listOrNone(references), dates: listOrNone(dates), packs, lineNumber };
    if (later !== undefined) for (let i = 0; i < later.length; i += 2) (item as unknown as Record<string, unknown>)[later[i] as string] = later[i + 1];
    let n = 0;
    for (let child = this.firstChild[level]!; child >= 0; child = this.nextSibling[child]!) {
      if (levels.level(child) === 'P' && !packed) {
        const leaf = containerOf(this.container(child, 'pack'));
        for (let grandchild = this.firstChild[child]!; grandchild >= 0; grandchild = this.nextSibling[grandchild]!) {
          this.notAllowed(grandchild, `under a pack of an item (HL ${levels.id(child)})`);
        }
        packs[n++] = leaf;
      } else {
        this.notAllowed(child, `under ${packed ? 'an item that is already in a container' : 'an item level'} (HL ${levels.id(level)})`);
      }
    }
    if (packs.length !== n) packs.length = n; // never the shared empty list: it has no children to lose
    return item;
  }
}

function checkTotals(doc: ShipNotice, ctt: Segment, hlCount: number, reader: ShipNoticeReader, report: MapReport): void {
  const { lineCount, hashTotal } = doc.totals;
  // CTT01 counts HL segments by the common convention; some partners count items instead.
  if (lineCount !== undefined && lineCount !== hlCount && lineCount !== reader.itemCount) {
    report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT01 is ${lineCount}, but the ship notice has ${hlCount} HL segments and ${reader.itemCount} items`, report.at(ctt, 1), String(lineCount));
  }
  const shipped = roundDecimal(reader.shippedTotal, 6);
  if (hashTotal !== undefined && roundDecimal(hashTotal, 6) !== shipped) {
    report.add('MAP_CONTROL_TOTAL_MISMATCH', `CTT02 is ${hashTotal}, but the units shipped (SN102) add up to ${shipped}`, report.at(ctt, 2), String(hashTotal));
  }
}

/** The number of HL segments from segment `from` up to the first CTT: at least the levels read856 collects. */
function countHl(segments: SegmentList, from: number): number {
  let n = 0;
  for (let k = from, end = segments.length; k < end; k++) {
    const tag = segments.tagAt(k);
    if (tag === 'HL') n++;
    else if (tag === 'CTT') break;
  }
  return n;
}

/** Reads an 856 transaction set into a ShipNotice; the document is absent when an error finding makes it unusable. */
export function read856(tx: TransactionSet, ctx: MapContext = {}, bounds?: SetBounds): MapResult<ShipNotice> {
  const report = new MapReport(tx, ctx, bounds);
  if (tx.id !== '856') {
    report.add('MAP_WRONG_TRANSACTION_SET', `the 856 map was given a ${tx.id} transaction set`, report.at(tx.segments[0]));
    return { findings: report.findings };
  }
  const cur = SegmentCursor.body(tx);
  const bsn = cur.take('BSN');
  if (!bsn) {
    report.missingSegment('BSN', 'beginning segment for ship notice', cur.peek());
    return { findings: report.findings };
  }
  const doc: ShipNotice = {
    purposeCode: report.requiredText(bsn, 1, 'transaction set purpose code'),
    shipmentId: report.requiredText(bsn, 2, 'shipment identification'),
    shipDate: report.date(bsn, 3, { required: 'shipment date' }) ?? '',
    dates: [], references: [], parties: [], orders: [], totals: {},
  };
  assignDefined(doc, { shipTime: report.time(bsn, 4), structureCode: report.text(bsn, 5) });
  for (const s of cur.takeWhile('DTM')) doc.dates = withDate(doc.dates, s, report);
  for (const s of cur.takeUntil('HL', 'CTT')) report.ignored(s, 'the heading');

  const segments = segmentsOf(tx);
  const levels = new Levels(report, segments, countHl(segments, cur.index));
  while (cur.peekTag() === 'HL') {
    const hl = cur.next()!;
    const start = cur.index;
    // Tags compared one by one: cur.at('HL', 'CTT') would make an array for every segment.
    for (let tag = cur.peekTag(); tag !== undefined && tag !== 'HL' && tag !== 'CTT'; tag = cur.peekTag()) cur.skip();
    levels.add(hl, start, cur.index);
  }
  const ctt = cur.take('CTT');
  if (ctt) {
    assignDefined(doc.totals, { lineCount: report.decimal(ctt, 1), hashTotal: report.decimal(ctt, 2) });
  }
  for (const s of cur.takeUntil()) report.ignored(s, 'the summary');

  let rules = ANY_STRUCTURE;
  if (doc.structureCode !== undefined) {
    const known = STRUCTURE_RULES[doc.structureCode];
    if (known) rules = known;
    else report.unknownCode(bsn, 5, doc.structureCode, 'hierarchical structure code (0001, 0002, 0004); levels were read by HL03 alone');
  }
  const tree = linkHlTree(levels, rules);
  report.findings.push(...tree.findings);
  const reader = new ShipNoticeReader(report, segments, levels, tree);
  const [shipment, ...others] = tree.roots;
  if (shipment === undefined) {
    report.missingSegment('HL', 'shipment level (HL03 S)', ctt ?? bsn);
  } else {
    reader.shipment(shipment, doc);
    for (const extra of others) {
      report.add('MAP_HL_LEVEL_NOT_ALLOWED', `HL ${levels.id(extra)} is a second shipment level; one ship notice carries one shipment, this level was left out`, report.at(levels.hl(extra), 3), 'S');
    }
  }
  if (ctt) checkTotals(doc, ctt, levels.length, reader, report);
  return report.hasErrors ? { findings: report.findings } : { document: doc, findings: report.findings };
}

// ---- writing ------------------------------------------------------------------------------

const dec = (n: number | undefined): string | undefined => (n === undefined ? undefined : formatDecimal(n));

function writeLading(l: Lading): SegmentData {
  return ['TD1', l.packagingCode, dec(l.quantity), undefined, undefined, undefined, l.weightQualifier, dec(l.weight), l.weightUnit, dec(l.volume), l.volumeUnit];
}

function writeEquipment(e: Equipment): SegmentData {
  return ['TD3', e.typeCode, e.initial, e.number, undefined, undefined, undefined, undefined, undefined, e.sealNumber];
}

/** A tare or pack level in the HL loop's order: TD1, REF, MAN, DTM (MAN comes after TD1 and REF). */
function containerSegments(c: LeafPack): SegmentData[] {
  const out: SegmentData[] = [];
  if (c.lading) out.push(writeLading(c.lading));
  for (const r of c.references) out.push(writeReference(r));
  if (c.sscc !== undefined) out.push(['MAN', 'GM', c.sscc]);
  for (const m of c.marks) out.push(['MAN', m.qualifier, m.value]);
  for (const d of c.dates) out.push(writeDateTime(d));
  return out;
}

/** LIN has 15 qualifier/id pairs (LIN02..LIN31): product ids first, then lots sent as LT pairs. */
function writeLin(item: ShipNoticeItem): SegmentData {
  const lots: Identifier[] = item.lots.filter((l) => l.source === 'LIN').map((l) => ({ qualifier: 'LT', value: l.number }));
  const { elements, dropped } = writeProductIds(item.productIds, 15 - lots.length);
  if (dropped.length > 0) {
    throw new RangeError(`LIN of line ${item.lineNumber ?? '?'}: ${dropped.length} product id(s) and lots do not fit in 15 qualifier/id pairs`);
  }
  return ['LIN', item.lineNumber, ...elements, ...lots.flatMap((l) => [l.qualifier, l.value])];
}

/** `packed`: the item sits in a tare or pack, where it cannot hold cartons of its own (the reader would refuse them). */
function itemLevel(item: ShipNoticeItem, packed: boolean): HlLevelOut {
  if (packed && item.packs.length > 0) {
    throw new RangeError(`item ${item.lineNumber ?? '?'} sits in a container and also holds cartons: an 856 cannot nest them that way`);
  }
  const segments: SegmentData[] = [
    writeLin(item),
    ['SN1', item.lineNumber, formatDecimal(item.quantityShipped), item.unit, dec(item.quantityShippedToDate), dec(item.quantityOrdered), item.orderedUnit, undefined, item.status],
  ];
  if (item.description !== undefined) segments.push(['PID', 'F', undefined, undefined, undefined, item.description]);
  for (const r of item.references) segments.push(writeReference(r));
  for (const l of item.lots) if (l.source === 'REF') segments.push(['REF', 'LT', l.number]);
  for (const d of item.dates) segments.push(writeDateTime(d));
  return { level: 'I', segments, children: item.packs.map((p) => ({ level: 'P', segments: containerSegments(p), children: [] })) };
}

function packLevel(pack: Pack): HlLevelOut {
  return { level: 'P', segments: containerSegments(pack), children: pack.items.map((i) => itemLevel(i, true)) };
}

function orderLevel(order: ShipNoticeOrder, version: X12Version): HlLevelOut {
  const segments: SegmentData[] = [
    ['PRF', order.poNumber, order.releaseNumber, order.changeOrderSequence, order.poDate === undefined ? undefined : formatDate(order.poDate)],
  ];
  if (order.lading) segments.push(writeLading(order.lading));
  for (const r of order.references) segments.push(writeReference(r));
  for (const d of order.dates) segments.push(writeDateTime(d));
  for (const p of order.parties) segments.push(...writeParty(p, version));
  const children: HlLevelOut[] = [
    ...order.tares.map((t) => ({ level: 'T', segments: containerSegments(t), children: [...t.packs.map(packLevel), ...t.items.map((i) => itemLevel(i, true))] })),
    ...order.packs.map(packLevel),
    ...order.items.map((i) => itemLevel(i, false)),
  ];
  return { level: 'O', segments, children };
}

function allItems(doc: ShipNotice): ShipNoticeItem[] {
  return doc.orders.flatMap((o) => [
    ...o.tares.flatMap((t) => [...t.packs.flatMap((p) => p.items), ...t.items]),
    ...o.packs.flatMap((p) => p.items),
    ...o.items,
  ]);
}

/** DTM may occur 10 times in the heading and 10 times in each HL level. */
const DTM_MAX = 10;

/**
 * BSN04 is mandatory in both versions. A ship notice without a time (one built from the
 * ERP) is written with 0000, the start of its ship date; one read from X12 always has one.
 */
const DEFAULT_SHIP_TIME = '0000';

/**
 * Reading puts heading and S-level dates into one list, heading first. The last ten are
 * written at the S level and any before them in the heading, so reading gives the list back.
 */
function splitDates(dates: readonly DateReference[]): { heading: DateReference[]; shipment: DateReference[] } {
  if (dates.length > 2 * DTM_MAX) {
    throw new RangeError(`${dates.length} ship notice dates do not fit in the ${DTM_MAX} heading and ${DTM_MAX} shipment-level DTM segments`);
  }
  const cut = Math.max(0, dates.length - DTM_MAX);
  return { heading: dates.slice(0, cut), shipment: dates.slice(cut) };
}

/** The S level in the HL loop's order: TD1, TD5, TD3, REF, DTM, N1 loops. */
function shipmentSegments(doc: ShipNotice, dates: readonly DateReference[], version: X12Version): SegmentData[] {
  const out: SegmentData[] = [];
  if (doc.lading) out.push(writeLading(doc.lading));
  if (doc.carrier) out.push(writeCarrier(doc.carrier));
  if (doc.equipment) out.push(writeEquipment(doc.equipment));
  if (doc.billOfLading !== undefined) out.push(['REF', 'BM', doc.billOfLading]);
  if (doc.proNumber !== undefined) out.push(['REF', 'CN', doc.proNumber]);
  for (const r of doc.references) out.push(writeReference(r));
  for (const d of dates) out.push(writeDateTime(d));
  for (const p of doc.parties) out.push(...writeParty(p, version));
  return out;
}

/** The segments between ST and SE of an 856 for `doc`: BSN, the HL levels depth-first, CTT. */
export function write856(doc: ShipNotice, version: X12Version): SegmentData[] {
  const dates = splitDates(doc.dates);
  const hierarchy: HlLevelOut[] = [{
    level: 'S', segments: shipmentSegments(doc, dates.shipment, version), children: doc.orders.map((o) => orderLevel(o, version)),
  }];
  // A structure code the partner sent is kept; the levels must then fit it, or readers reject them.
  const rules = doc.structureCode === undefined ? undefined : STRUCTURE_RULES[doc.structureCode];
  const misfit = rules && levelOutsideRules(hierarchy, rules);
  if (misfit) throw new RangeError(`BSN05 ${doc.structureCode} does not allow the level ${misfit} that this ship notice holds`);
  const body: SegmentData[] = [[
    'BSN', doc.purposeCode, doc.shipmentId, formatDate(doc.shipDate),
    doc.shipTime === undefined ? DEFAULT_SHIP_TIME : formatTime(doc.shipTime), doc.structureCode ?? structureOf(hierarchy),
  ]];
  for (const d of dates.heading) body.push(writeDateTime(d));
  const levels = writeHlTree(hierarchy);
  body.push(...levels);
  const hlCount = levels.filter((s) => s[0] === 'HL').length;
  const items = allItems(doc);
  const hash = doc.totals.hashTotal ?? (items.length > 0 ? items.reduce((sum, i) => sum + i.quantityShipped, 0) : undefined);
  body.push(['CTT', String(doc.totals.lineCount ?? hlCount), dec(hash)]);
  return body;
}
