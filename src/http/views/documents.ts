// What a person sees of one received document or file, assembled once for every way of showing it:
// `edi docs show` / `edi files show` print it, the console's API returns it as JSON and its pages
// render it (docs/operations.md). Reads only.
import { isError, type Finding } from '../../errors/finding.js';
import { codeInReason, documentRemedy, fixOf, REMEDY_TEXT, remedyOf, type Remedy } from '../../errors/remedy.js';
import {
  documentTimeline,
  fileTimeline,
  getDocument,
  getDocumentBytes,
  getFile,
  listDocumentsOf,
  listInterchanges,
  listReceipts,
  acknowledgmentOf,
  readOrderThread,
  type Conn,
  type SentAcknowledgment,
  type ThreadEntry,
  type DocumentDetail,
  type DocumentRecord,
  type EventRecord,
  type FileRecord,
  type InterchangeRecord,
  type ReceiptRecord,
} from '../../store/index.js';

export interface RemedyView {
  kind: Remedy;
  text: string;
}

/** A stored finding with the catalog's fix for its code (errors only). */
export type FindingView = Partial<Finding> & { fix?: string };

export interface DocumentView {
  document: DocumentDetail;
  /** What helps, for a rejected or failed document. */
  remedy: RemedyView | null;
  findings: FindingView[];
  timeline: EventRecord[];
  /** The set's raw segments, one per entry, without terminators. */
  segments: string[];
  /** The 997/999/TA1 we queued for its interchange, if any. */
  acknowledgment: SentAcknowledgment | null;
  /** Every document received or sent with its PO number, in time order (this one among them). */
  thread: ThreadEntry[];
}

export async function documentView(db: Conn, id: number): Promise<DocumentView | undefined> {
  const document = await getDocument(db, id);
  if (!document) return undefined;
  const [timeline, bytes, acknowledgment, thread] = await Promise.all([
    documentTimeline(db, id), getDocumentBytes(db, id), acknowledgmentOf(db, document.interchangeId),
    document.poNumber ? readOrderThread(db, document.poNumber) : Promise.resolve([]),
  ]);
  const findings = (document.findings as FindingView[]).map(withFix);
  const kind = document.state === 'rejected' || document.state === 'failed'
    ? documentRemedy(document.reason, findings.filter(isStoredError).map((f) => f.code!))
    : undefined;
  return {
    document, remedy: kind ? { kind, text: REMEDY_TEXT[kind] } : null, findings, timeline, segments: bytes ? splitSegments(bytes) : [],
    acknowledgment: acknowledgment ?? null, thread,
  };
}

export interface FileView {
  file: FileRecord;
  /** For a file rejected as a whole: the code of its reason, the catalog's fix and what helps. */
  remedy: (RemedyView & { fix?: string }) | null;
  receipts: ReceiptRecord[];
  interchanges: InterchangeRecord[];
  /** Without their canonical documents (a file can hold thousands). */
  documents: Omit<DocumentRecord, 'document'>[];
  timeline: EventRecord[];
}

export async function fileView(db: Conn, id: number): Promise<FileView | undefined> {
  const file = await getFile(db, id);
  if (!file) return undefined;
  const [receipts, interchanges, documents, timeline] = await Promise.all([
    listReceipts(db, id), listInterchanges(db, id), listDocumentsOf(db, { fileId: id }), fileTimeline(db, id),
  ]);
  const code = codeInReason(file.reason);
  const kind = code ? remedyOf(code) : undefined;
  const fix = code ? fixOf(code) : undefined;
  return {
    file,
    remedy: kind ? { kind, text: REMEDY_TEXT[kind], ...(fix ? { fix } : {}) } : null,
    receipts,
    interchanges,
    documents: documents.map(({ document: _omitted, ...d }) => d),
    timeline,
  };
}

/** The numbers a person knows a document by, in the words of its set. */
const NUMBER_NAMES: Readonly<Record<string, string>> = { '850': 'PO number', '855': 'PO number', '856': 'shipment id', '810': 'invoice number' };

/** "PO number PO1010", "shipment id S1, PO number PO1": '' when it has none. */
export function numbersText(doc: { setId: string; number: string | null; poNumber: string | null }): string {
  const parts: string[] = [];
  if (doc.number) parts.push(`${NUMBER_NAMES[doc.setId] ?? 'number'} ${doc.number}`);
  if (doc.poNumber && doc.poNumber !== doc.number) parts.push(`PO number ${doc.poNumber}`);
  return parts.join(', ');
}

function isStoredError(f: FindingView): boolean {
  return typeof f.code === 'string' && isError(f as Finding);
}

function withFix(f: FindingView): FindingView {
  const fix = isStoredError(f) ? fixOf(f.code!) : undefined;
  return fix ? { ...f, fix } : f;
}

/**
 * The set's segments, one per line, for reading: the element separator follows "ST"; the segment
 * terminator is the first character after it that can be neither an ST element (letters and digits)
 * nor the separator. Line breaks after terminators are dropped.
 */
export function splitSegments(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('ST') || text.length < 4) return text.split(/\r?\n/).filter(Boolean);
  const element = text[2]!;
  let terminator: string | undefined;
  for (let i = 3; i < text.length; i++) {
    const c = text[i]!;
    if (c !== element && !/[A-Za-z0-9]/.test(c)) {
      terminator = c;
      break;
    }
  }
  if (terminator === undefined) return [text];
  return text
    .split(terminator)
    .map((s) => s.replace(/^[\r\n]+|[\r\n]+$/g, ''))
    .filter((s) => s.length > 0);
}

/**
 * The Odoo form of the record a document was posted as: its target ref ("sale.order/42 S00042",
 * src/odoo/postings/context.ts refOf; the first when there are several) on the Odoo at `odooUrl`.
 */
export function odooRecordUrl(odooUrl: string | undefined, targetRef: string | null): string | undefined {
  const m = targetRef ? /^([a-z_][a-z0-9_.]*)\/(\d+)/.exec(targetRef) : null;
  if (!odooUrl || !m) return undefined;
  return `${odooUrl.replace(/\/+$/, '')}/web#model=${encodeURIComponent(m[1]!)}&id=${m[2]}&view_type=form`;
}
