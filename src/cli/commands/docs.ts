// edi docs list / edi docs show: what the store holds, for a person at a terminal (or --json for scripts).
import { formatFinding, type Finding } from '../../errors/finding.js';
import {
  DOCUMENT_STATES,
  documentTimeline,
  getDocument,
  getDocumentBytes,
  listDocuments,
  type Conn,
  type DocumentState,
  type EventRecord,
} from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable } from '../table.js';
import type { Output } from './inspect.js';
import { outboundListCommand } from './outbound.js';

export interface DocsListOptions {
  state?: string;
  set?: string;
  partner?: string;
  file?: string;
  limit?: string;
  json?: boolean;
  /** in (default): the documents partners sent us; out: those we send (edi outbound list). */
  direction?: string;
}

export async function docsListCommand(db: Conn, opts: DocsListOptions, io: Output): Promise<number> {
  if (opts.direction === 'out') {
    if (opts.set || opts.file) {
      io.err('error: --set and --file list inbound documents; with --direction out use --state, --partner, --limit');
      return EXIT.usage;
    }
    return outboundListCommand(db, opts, io);
  }
  if (opts.direction !== undefined && opts.direction !== 'in') {
    io.err(`error: --direction is in or out, not ${opts.direction}`);
    return EXIT.usage;
  }
  const states = opts.state?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = states?.filter((s) => !(DOCUMENT_STATES as readonly string[]).includes(s)) ?? [];
  if (unknown.length) {
    io.err(`error: unknown state ${unknown.join(', ')}; states are ${DOCUMENT_STATES.join(', ')} (those of documents we send: --direction out)`);
    return EXIT.usage;
  }
  const limit = positiveInt(opts.limit ?? '50');
  const file = opts.file === undefined ? undefined : positiveInt(opts.file);
  if (limit === undefined || (opts.file !== undefined && file === undefined)) {
    io.err('error: --limit and --file take a positive whole number');
    return EXIT.usage;
  }
  const page = await listDocuments(db, {
    limit,
    ...(states?.length ? { state: states as DocumentState[] } : {}),
    ...(opts.set ? { setId: opts.set } : {}),
    ...(opts.partner ? { partner: opts.partner } : {}),
    ...(file !== undefined ? { fileId: file } : {}),
  });
  if (opts.json) {
    io.out(JSON.stringify(page.items, null, 2));
    return EXIT.valid;
  }
  if (page.items.length === 0) {
    io.out('no documents');
    return EXIT.valid;
  }
  const rows = page.items.map((d) => [
    d.id,
    d.partner,
    d.setId,
    d.controlNumber,
    d.state,
    d.failedStage ?? '',
    d.documentType ?? '',
    d.fileId,
    timestamp(d.updatedAt),
    clip(d.reason ?? d.targetRef ?? '', 60),
  ]);
  for (const line of formatTable(['ID', 'PARTNER', 'SET', 'CONTROL', 'STATE', 'FAILED IN', 'TYPE', 'FILE', 'UPDATED', 'REASON / REF'], rows)) io.out(line);
  if (page.next !== null) io.out(`(more: the newest ${limit} shown; use --limit or filters)`);
  return EXIT.valid;
}

export async function docsShowCommand(db: Conn, idText: string, opts: { json?: boolean }, io: Output): Promise<number> {
  const id = positiveInt(idText);
  if (id === undefined) {
    io.err(`error: ${idText} is not a document id`);
    return EXIT.usage;
  }
  const doc = await getDocument(db, id);
  if (!doc) {
    io.err(`error: no document ${id}`);
    return EXIT.notFound;
  }
  const [timeline, bytes] = await Promise.all([documentTimeline(db, id), getDocumentBytes(db, id)]);
  const segments = bytes ? splitSegments(bytes) : [];
  if (opts.json) {
    io.out(JSON.stringify({ ...doc, timeline, segments }, null, 2));
    return EXIT.valid;
  }
  io.out(`document ${doc.id}: ${doc.setId}${doc.documentType ? ` ${doc.documentType}` : ''}, state ${doc.state.toUpperCase()}${doc.failedStage ? ` (failed in ${doc.failedStage})` : ''}`);
  io.out(`  partner ${doc.partner}, file ${doc.fileId} (${doc.sourceName})`);
  io.out(`  interchange ${doc.senderQualifier}:${doc.senderId} -> ${doc.receiverQualifier}:${doc.receiverId} ISA13 ${doc.interchangeControl}, group ${doc.groupControl}, set ${doc.controlNumber}, version ${doc.version}`);
  io.out(`  created ${timestamp(doc.createdAt)}, updated ${timestamp(doc.updatedAt)}, attempts ${doc.attempts}${doc.targetRef ? `, posted as ${doc.targetRef}` : ''}`);
  if (doc.reason) io.out(`  reason: ${doc.reason}`);

  io.out('');
  io.out(doc.findings.length ? `findings (${doc.findings.length}):` : 'findings: none');
  for (const f of doc.findings) io.out('  ' + formatStoredFinding(f));

  io.out('');
  io.out(`timeline (${timeline.length} event(s)):`);
  for (const line of formatTable(['AT', 'STAGE', 'ACTOR', 'FROM', 'TO', 'MESSAGE'], timeline.map(timelineRow))) io.out('  ' + line);

  io.out('');
  io.out(doc.document === null ? 'canonical document: none yet' : 'canonical document:');
  if (doc.document !== null) for (const line of JSON.stringify(doc.document, null, 2).split('\n')) io.out('  ' + line);

  io.out('');
  io.out(`raw segments (${segments.length}, bytes ${doc.byteOffset}..${doc.byteOffset + doc.byteLength} of the file):`);
  for (const s of segments) io.out('  ' + s);
  return EXIT.valid;
}

export function timelineRow(e: EventRecord): string[] {
  const details = Object.keys(e.details).length ? ` ${clip(JSON.stringify(e.details), 100)}` : '';
  return [timestamp(e.at), e.stage, e.actor, e.fromState ?? '-', e.toState ?? '-', e.message + details];
}

/** Findings are stored as the Finding objects the engine made; anything else is shown as JSON. */
function formatStoredFinding(f: unknown): string {
  const x = f as Partial<Finding>;
  if (x && typeof x === 'object' && typeof x.code === 'string' && typeof x.message === 'string') {
    return formatFinding({ ...x, location: x.location ?? {} } as Finding);
  }
  return JSON.stringify(f);
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

export function timestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function positiveInt(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;
}
