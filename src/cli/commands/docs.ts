// edi docs list / edi docs show: what the store holds, for a person at a terminal (or --json for scripts).
import { formatFinding, type Finding } from '../../errors/finding.js';
import { documentView, numbersText } from '../../http/views/documents.js';
import {
  DOCUMENT_STATES,
  listDocuments,
  listFiles,
  type Conn,
  type DocumentState,
} from '../../store/index.js';
import { dateBound } from '../../util/date-range.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable, positiveInt, timelineRow, timestamp } from '../table.js';
import type { Output } from './inspect.js';
import { fileTable } from './files.js';
import { outboundListCommand } from './outbound.js';

export interface DocsListOptions {
  state?: string;
  set?: string;
  partner?: string;
  file?: string;
  /** A PO number, shipment id, invoice number, ST02 or file name (exact). */
  search?: string;
  /** An ISO date or date-time: documents recorded since then (src/util/date-range.ts). */
  since?: string;
  /** An ISO date (that day included) or date-time: documents recorded before then. */
  until?: string;
  limit?: string;
  json?: boolean;
  /** in (default): the documents partners sent us; out: those we send (edi outbound list). */
  direction?: string;
}

export async function docsListCommand(db: Conn, opts: DocsListOptions, io: Output): Promise<number> {
  if (opts.direction === 'out') {
    if (opts.set || opts.file || opts.search || opts.since || opts.until) {
      io.err('error: --set, --file, --search, --since and --until list inbound documents; with --direction out use --state, --partner, --limit');
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
  const from = opts.since === undefined ? undefined : dateBound(opts.since, 'from');
  const to = opts.until === undefined ? undefined : dateBound(opts.until, 'to');
  if ((opts.since !== undefined && !from) || (opts.until !== undefined && !to)) {
    io.err('error: --since and --until take an ISO date (2026-12-07) or date-time (2026-12-07T14:30:00Z)');
    return EXIT.usage;
  }
  const page = await listDocuments(db, {
    limit,
    ...(states?.length ? { state: states as DocumentState[] } : {}),
    ...(opts.set ? { setId: opts.set } : {}),
    ...(opts.partner ? { partner: opts.partner } : {}),
    ...(file !== undefined ? { fileId: file } : {}),
    ...(opts.search ? { search: opts.search } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  });
  if (opts.json) {
    io.out(JSON.stringify(page.items, null, 2));
    return EXIT.valid;
  }
  // Files rejected as a whole (empty, not X12, too large) have no document: named here so that a
  // look for what was rejected finds them too.
  const wholeFiles = file === undefined && !opts.set && !opts.search && !from && !to && (!states?.length || states.includes('rejected'))
    ? await listFiles(db, { state: 'rejected', limit: REJECTED_FILES_SHOWN + 1, ...(opts.partner ? { partner: opts.partner } : {}) })
    : [];
  if (page.items.length === 0) io.out('no documents');
  else documentTable(page, limit, io);
  if (wholeFiles.length) {
    io.out('');
    io.out(`files rejected as a whole, with no documents (the newest ${Math.min(wholeFiles.length, REJECTED_FILES_SHOWN)}; edi files show FILE tells why and what helps):`);
    for (const line of fileTable(wholeFiles.slice(0, REJECTED_FILES_SHOWN))) io.out('  ' + line);
    if (wholeFiles.length > REJECTED_FILES_SHOWN) io.out('  (more: edi files list --state rejected)');
  }
  return EXIT.valid;
}

const REJECTED_FILES_SHOWN = 10;

function documentTable(page: Awaited<ReturnType<typeof listDocuments>>, limit: number, io: Output): void {
  const rows = page.items.map((d) => [
    d.id,
    d.partner,
    d.setId,
    d.controlNumber,
    d.number ?? '',
    d.state,
    d.failedStage ?? '',
    d.documentType ?? '',
    d.fileId,
    timestamp(d.updatedAt),
    clip(d.reason ?? d.targetRef ?? '', 60),
  ]);
  for (const line of formatTable(['ID', 'PARTNER', 'SET', 'CONTROL', 'NUMBER', 'STATE', 'FAILED IN', 'TYPE', 'FILE', 'UPDATED', 'REASON / REF'], rows)) io.out(line);
  if (page.next !== null) io.out(`(more: the newest ${limit} shown; use --limit or filters)`);
}

export async function docsShowCommand(db: Conn, idText: string, opts: { json?: boolean }, io: Output): Promise<number> {
  const id = positiveInt(idText);
  if (id === undefined) {
    io.err(`error: ${idText} is not a document id`);
    return EXIT.usage;
  }
  const view = await documentView(db, id);
  if (!view) {
    io.err(`error: no document ${id}`);
    return EXIT.notFound;
  }
  const { document: doc, remedy, findings, timeline, segments } = view;
  if (opts.json) {
    io.out(JSON.stringify({ ...doc, ...(remedy ? { remedy } : {}), timeline, segments }, null, 2));
    return EXIT.valid;
  }
  io.out(`document ${doc.id}: ${doc.setId}${doc.documentType ? ` ${doc.documentType}` : ''}, state ${doc.state.toUpperCase()}${doc.failedStage ? ` (failed in ${doc.failedStage})` : ''}`);
  io.out(`  partner ${doc.partner}, file ${doc.fileId} (${doc.sourceName})`);
  io.out(`  interchange ${doc.senderQualifier}:${doc.senderId} -> ${doc.receiverQualifier}:${doc.receiverId} ISA13 ${doc.interchangeControl}, group ${doc.groupControl}, set ${doc.controlNumber}, version ${doc.version}`);
  const numbers = numbersText(doc);
  if (numbers) io.out(`  ${numbers}`);
  io.out(`  created ${timestamp(doc.createdAt)}, updated ${timestamp(doc.updatedAt)}, attempts ${doc.attempts}${doc.targetRef ? `, posted as ${doc.targetRef}` : ''}`);
  if (doc.reason) io.out(`  reason: ${doc.reason}`);
  if (remedy) io.out(`  what helps: ${remedy.text}`);

  io.out('');
  io.out(findings.length ? `findings (${findings.length}):` : 'findings: none');
  for (const f of findings) {
    io.out('  ' + formatStoredFinding(f));
    if (f.fix) io.out(`      how to fix: ${f.fix}`);
  }

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

/** Findings are stored as the Finding objects the engine made; anything else is shown as JSON. */
function formatStoredFinding(f: unknown): string {
  const x = f as Partial<Finding>;
  if (x && typeof x === 'object' && typeof x.code === 'string' && typeof x.message === 'string') {
    return formatFinding({ ...x, location: x.location ?? {} } as Finding);
  }
  return JSON.stringify(f);
}
