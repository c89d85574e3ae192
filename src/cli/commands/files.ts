// edi files list / edi files show: the files the gateway received, for a person at a terminal
// (or --json for scripts). A file rejected as a whole (empty, not X12, a PDF, too large) has no
// document, so this is where its reason is found (docs/operations.md#files-rejected-as-a-whole).
import { formatFinding, type Finding } from '../../errors/finding.js';
import { fileView } from '../../http/views/documents.js';
import {
  FILE_STATES,
  listFiles,
  type Conn,
  type FileRecord,
  type FileState,
} from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { clip, formatTable, positiveInt, timelineRow, timestamp } from '../table.js';
import type { Output } from './inspect.js';

export interface FilesListOptions {
  state?: string;
  partner?: string;
  limit?: string;
  json?: boolean;
}

export async function filesListCommand(db: Conn, opts: FilesListOptions, io: Output): Promise<number> {
  if (opts.state !== undefined && !(FILE_STATES as readonly string[]).includes(opts.state)) {
    io.err(`error: unknown file state ${opts.state}; states are ${FILE_STATES.join(', ')}`);
    return EXIT.usage;
  }
  const limit = positiveInt(opts.limit ?? '50');
  if (limit === undefined) {
    io.err('error: --limit takes a positive whole number');
    return EXIT.usage;
  }
  const files = await listFiles(db, { limit, ...(opts.state ? { state: opts.state as FileState } : {}), ...(opts.partner ? { partner: opts.partner } : {}) });
  if (opts.json) {
    io.out(JSON.stringify(files, null, 2));
    return EXIT.valid;
  }
  if (files.length === 0) {
    io.out('no files');
    return EXIT.valid;
  }
  for (const line of fileTable(files)) io.out(line);
  if (files.length === limit) io.out(`(more: the newest ${limit} shown; use --limit or filters)`);
  return EXIT.valid;
}

/** The files as a table (also under `edi docs list`, for the files rejected as a whole). */
export function fileTable(files: readonly FileRecord[]): string[] {
  return formatTable(
    ['FILE', 'PARTNER', 'NAME', 'BYTES', 'STATE', 'RECEIVED', 'REASON'],
    files.map((f) => [f.id, f.partner, clip(f.sourceName, 40), f.size, f.state, timestamp(f.receivedAt), clip(f.reason ?? '', 70)]),
  );
}

export async function filesShowCommand(db: Conn, idText: string, opts: { json?: boolean }, io: Output): Promise<number> {
  const id = positiveInt(idText);
  if (id === undefined) {
    io.err(`error: ${idText} is not a file id`);
    return EXIT.usage;
  }
  const view = await fileView(db, id);
  if (!view) {
    io.err(`error: no file ${id}`);
    return EXIT.notFound;
  }
  const { file, remedy, receipts, interchanges, documents, timeline } = view;
  if (opts.json) {
    io.out(JSON.stringify({ ...file, ...(remedy ? { remedy } : {}), receipts, interchanges, documents, timeline }, null, 2));
    return EXIT.valid;
  }
  io.out(`file ${file.id}: ${file.sourceName}, ${file.size} bytes, state ${file.state.toUpperCase()}`);
  io.out(`  partner ${file.partner}, channel ${file.channel}, received ${timestamp(file.receivedAt)}, sha256 ${file.sha256}`);
  if (file.reason) io.out(`  reason: ${file.reason}`);
  if (remedy?.fix) io.out(`  how to fix: ${remedy.fix}`);
  if (remedy) io.out(`  what helps: ${remedy.text}`);
  if (receipts.length > 1) {
    io.out('');
    io.out(`received ${receipts.length} times:`);
    for (const r of receipts) io.out(`  ${timestamp(r.receivedAt)} ${r.channel} ${r.sourceName}${r.duplicate ? ' (same bytes again: not processed twice)' : ''}`);
  }
  io.out('');
  io.out(interchanges.length ? `interchanges (${interchanges.length}):` : 'interchanges: none read');
  for (const ic of interchanges) {
    io.out(`  ISA13 ${ic.controlNumber} ${ic.senderQualifier}:${ic.senderId} -> ${ic.receiverQualifier}:${ic.receiverId}, ${ic.state}${ic.duplicateOf ? ` (duplicate of interchange ${ic.duplicateOf})` : ''}`);
    for (const f of ic.findings as Finding[]) io.out(`    ${formatFinding({ ...f, location: f.location ?? {} })}`);
  }
  io.out('');
  io.out(documents.length ? `documents (${documents.length}):` : 'documents: none');
  if (documents.length) {
    const rows = documents.map((d) => [d.id, d.setId, d.controlNumber, d.number ?? '', d.state, clip(d.reason ?? d.targetRef ?? '', 60)]);
    for (const line of formatTable(['ID', 'SET', 'CONTROL', 'NUMBER', 'STATE', 'REASON / REF'], rows)) io.out('  ' + line);
  }
  io.out('');
  io.out(`timeline (${timeline.length} event(s)):`);
  for (const line of formatTable(['AT', 'STAGE', 'ACTOR', 'FROM', 'TO', 'MESSAGE'], timeline.map(timelineRow))) io.out('  ' + line);
  return EXIT.valid;
}
