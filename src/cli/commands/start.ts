// edi start: for now, runs the X12 engine over a folder of files (the samples by default)
// and writes what the gateway would produce: canonical documents and acknowledgments.
// The durable pipeline (issue 3) replaces this with the gateway proper.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative, dirname } from 'node:path';
import { formatFinding } from '../../errors/finding.js';
import { serializeAcknowledgment } from '../../acks/respond.js';
import { loadAndExamine } from '../load.js';
import { exitCodeOf, type Output } from './inspect.js';
import { EXIT } from '../exit-codes.js';

async function ediFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(edi|x12|txt)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export async function startCommand(opts: { in: string; out: string }, io: Output): Promise<number> {
  const files = await ediFiles(opts.in);
  if (files.length === 0) {
    io.err(`no X12 files (*.edi, *.x12, *.txt) under ${opts.in}`);
    return EXIT.usage;
  }
  let worst = 0;
  let docs = 0;
  for (const file of files) {
    const x = await loadAndExamine(file, {});
    const rel = relative(opts.in, file);
    const target = join(opts.out, rel);
    await mkdir(dirname(target), { recursive: true });
    const documents = x.sets.map((s) => ({ envelope: s.envelope, documentType: s.documentType ?? null, document: s.document ?? null }));
    await writeFile(`${target}.json`, JSON.stringify({ file: rel, documents, findings: x.findings.map(formatFinding) }, null, 2) + '\n');
    if (x.acks.length) await writeFile(`${target}.ack.edi`, x.acks.map((a) => serializeAcknowledgment(a, undefined, '\n')).join(''));
    const code = exitCodeOf(x);
    worst = Math.max(worst, code);
    docs += x.accepted.length;
    const errors = x.findings.filter((f) => f.severity === 'error').length;
    const kinds = [...new Set(x.sets.map((s) => s.tx.id))].join('/') || '-';
    io.out(`${code === EXIT.valid ? 'ok  ' : 'FAIL'} ${rel.padEnd(48)} ${kinds.padEnd(9)} ${String(x.accepted.length).padStart(3)} document(s) ${x.acks.length ? 'ack written' : 'no ack'}${errors ? `, ${errors} error(s)` : ''}`);
  }
  io.out(`\n${files.length} file(s), ${docs} document(s) ready to post; results in ${opts.out}`);
  return worst === EXIT.valid ? EXIT.valid : EXIT.invalid;
}
