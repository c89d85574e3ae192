// edi parse / validate / ack: one file in, documents, findings or acknowledgments out.
import { formatFinding, type Finding } from '../../errors/finding.js';
import { serializeAcknowledgment } from '../../acks/respond.js';
import { findingsOf, type FileExamination } from '../../inbound/examine.js';
import { EXIT } from '../exit-codes.js';
import { loadAndExamine, UnreadableFile, type InspectOptions } from '../load.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const isError = (f: Finding) => f.severity === 'error';

/** 2 when nothing X12 could be read, 1 when anything is in error, else 0. */
export function exitCodeOf(x: FileExamination): number {
  if (x.read.interchanges.length === 0) return EXIT.unreadable;
  return x.findings.some(isError) ? EXIT.invalid : EXIT.valid;
}

export function summary(x: FileExamination, file: string): string {
  const ics = x.read.interchanges;
  const groups = ics.reduce((n, ic) => n + ic.groups.length, 0);
  const bySet = new Map<string, number>();
  for (const s of x.sets) bySet.set(s.tx.id, (bySet.get(s.tx.id) ?? 0) + 1);
  const sets = [...bySet].map(([id, n]) => `${n} x ${id}`).join(', ') || 'no transaction sets';
  const errors = x.findings.filter(isError).length;
  const warnings = x.findings.length - errors;
  const verdict = ics.length === 0 ? 'NOT READABLE AS X12' : errors ? 'INVALID' : 'VALID';
  return `${file}: ${verdict}: ${ics.length} interchange(s), ${groups} group(s), ${sets}; ${errors} error(s), ${warnings} warning(s)`;
}

async function examine(file: string, opts: InspectOptions, io: Output): Promise<FileExamination | number> {
  try {
    return await loadAndExamine(file, opts);
  } catch (e) {
    if (e instanceof UnreadableFile) {
      io.err(`error: ${e.message}`);
      return EXIT.unreadable;
    }
    throw e;
  }
}

export async function parseCommand(file: string, opts: InspectOptions, io: Output): Promise<number> {
  const x = await examine(file, opts, io);
  if (typeof x === 'number') return x;
  const docs = x.sets.map((s) => ({
    envelope: s.envelope,
    documentType: s.documentType ?? null,
    document: s.document ?? null,
    findings: findingsOf(s).map(formatFinding),
  }));
  io.out(JSON.stringify(docs, null, 2));
  for (const f of x.findings.filter(isError)) io.err(formatFinding(f));
  io.err(summary(x, file));
  return exitCodeOf(x);
}

export async function validateCommand(file: string, opts: InspectOptions & { json?: boolean }, io: Output): Promise<number> {
  const x = await examine(file, opts, io);
  if (typeof x === 'number') return x;
  const acks = x.acks.map((a) => serializeAcknowledgment(a, undefined, '\n'));
  if (opts.json) {
    io.out(JSON.stringify({ file, valid: exitCodeOf(x) === EXIT.valid, findings: x.findings, acknowledgments: acks }, null, 2));
    return exitCodeOf(x);
  }
  io.out(summary(x, file));
  for (const f of x.findings) io.out('  ' + formatFinding(f));
  if (acks.length) {
    io.out(`\nacknowledgment we would send (${opts.ack === '999' ? '999' : '997'}${acks.some((a) => a.includes('TA1')) ? ' and TA1' : ''}):`);
    for (const a of acks) io.out(a.trimEnd());
  } else {
    io.out('\nno acknowledgment would be sent (nothing readable to acknowledge, or the policy asks for none)');
  }
  return exitCodeOf(x);
}

export async function ackCommand(file: string, opts: InspectOptions, io: Output): Promise<number> {
  const x = await examine(file, opts, io);
  if (typeof x === 'number') return x;
  for (const a of x.acks) io.out(serializeAcknowledgment(a, undefined, '\n').trimEnd());
  if (x.acks.length === 0) io.err(`${file}: no acknowledgment is due`);
  return exitCodeOf(x);
}
