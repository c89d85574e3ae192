// edi partners test CODE FILES...: a partner's sample files through what the gateway would do with
// them (docs/operations.md "Bringing a partner live"): the partner file's envelope and set checks as
// split and validate apply them, validation against our specs, mapping to canonical documents, the
// dry run of each posting (ODOO_URL & co.; reads Odoo, writes nothing: src/jobs/dry-run.ts), and the
// 997/999/TA1 we would send, in the partner's delimiters. Nothing is written: not to Odoo, not to the
// store (the acknowledgment takes no control numbers), not to the partner's mailbox.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { defaultAckPolicy } from '../../acks/policy.js';
import { GatewayError } from '../../errors/failure.js';
import { finding, formatFinding, isError, type Finding } from '../../errors/finding.js';
import { examineFile, type ExaminedTransaction, type FileExamination } from '../../inbound/examine.js';
import { acknowledgmentFor, addressedIdentity } from '../../jobs/acks.js';
import { dryRunRequest, type DryRunReport, type Rehearse } from '../../jobs/dry-run.js';
import { envelopeFindings, groupFindings, isTestDataForProduction, setFindings } from '../../jobs/partner-settings.js';
import { naturalKeyOf } from '../../jobs/post.js';
import { silentLogger } from '../../logging/logger.js';
import { odooRehearsalFromEnv } from '../../odoo/from-env.js';
import type { Env } from '../../partners/secrets.js';
import type { Partner, PartnerDirectory } from '../../partners/types.js';
import type { Database } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { summary, type Output } from './inspect.js';
import { validPartners } from './partner-files.js';

export interface PartnerTestOptions {
  partners?: string;
  dataDir?: string;
  json?: boolean;
}

interface TestedDocument {
  setId: string;
  control: string;
  documentType: string | null;
  /** What the gateway would do with it: post (dry run below), or why not. */
  outcome: 'post' | 'not-posted';
  reason?: string;
  dryRun?: Omit<DryRunReport, 'documentId' | 'state'>;
}

interface TestedFile {
  file: string;
  exit: number;
  summary: string;
  findings: Finding[];
  documents: TestedDocument[];
  acknowledgments: Array<{ kind: string; payload: string }>;
}

/** 0 all fine, 1 findings in error or a posting that would stop (a master-data gap), 2 a file unreadable, 3 unknown partner. */
export async function partnersTestCommand(code: string, files: readonly string[], opts: PartnerTestOptions, io: Output, db?: Database, env: Env = process.env, now = new Date()): Promise<number> {
  const partners = await validPartners(opts, env, io);
  if (typeof partners === 'number') return partners;
  const partner = partners.directory.get(code);
  if (!partner) {
    io.err(`error: no partner ${code} in ${partners.dir} (edi partners lists them)`);
    return EXIT.notFound;
  }
  let rehearse: Rehearse | undefined;
  let odoo: string;
  try {
    rehearse = db ? odooRehearsalFromEnv(env as NodeJS.ProcessEnv, { db, partners: partners.directory, log: silentLogger, partnersDir: partners.dir })?.rehearse : undefined;
    odoo = rehearse ? `dry run against ${env['ODOO_URL']} (reads only)` : 'skipped: ODOO_URL is not set, so there is no Odoo to rehearse the postings against (docs/odoo.md)';
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    rehearse = undefined;
    odoo = `skipped: ${error.message}`;
  }
  const tested: TestedFile[] = [];
  for (const path of files) tested.push(await testFile(path, partner, partners.directory, rehearse, now));
  const exit = Math.max(...tested.map((t) => t.exit));
  if (opts.json) {
    io.out(JSON.stringify({ partner: code, mode: partner.mode, odoo, files: tested.map(({ summary: _s, ...t }) => t) }, null, 2));
    return exit;
  }
  io.out(`partner ${code} (${partner.mode} mode): ${files.length} file(s); Odoo: ${odoo}; nothing is written to Odoo, the store or the partner`);
  if (partner.mode === 'test') io.out('in test mode the running gateway posts nothing either: each document ends cancelled with this dry run, and nothing is sent (partners/README.md, "Test mode")');
  for (const t of tested) print(t, io);
  return exit;
}

async function testFile(path: string, partner: Partner, directory: PartnerDirectory, rehearse: Rehearse | undefined, now: Date): Promise<TestedFile> {
  const file = basename(path);
  const empty = { file, findings: [], documents: [], acknowledgments: [] };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ...empty, exit: EXIT.unreadable, summary: `${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const x = examineFile(bytes, {
    file,
    allowVariableIsa: partner.acknowledgments.allowVariableIsa,
    // The implementation guides its file names (guide:), as the validate stage checks them.
    ...(partner.guides ? { guides: partner.guides } : {}),
    checks: {
      interchange: (ic) => envelopeFindings(partner, ic, file),
      group: (g, ic) => groupFindings(partner, g, ic, file),
      set: (tx, g, ic) => setFindings(partner, tx, g, ic, file),
    },
  });
  // Intake keeps a file over the limit without reading it.
  if (bytes.length > partner.maxFileBytes) {
    x.findings.unshift(finding('PIPELINE_FILE_TOO_LARGE', `the file is ${bytes.length} bytes, more than the partner's maxFileBytes of ${partner.maxFileBytes}: intake would reject it`, { file }));
  }
  const documents: TestedDocument[] = [];
  for (const s of x.sets) documents.push(await testDocument(s, x, partner, rehearse));
  const acknowledgments = acknowledgmentsOf(x, partner.code, directory, now);
  const readable = x.read.interchanges.length > 0;
  const bad = x.findings.some(isError) || documents.some((d) => d.dryRun?.outcome === 'would-stop');
  return { file, exit: !readable ? EXIT.unreadable : bad ? EXIT.invalid : EXIT.valid, summary: summary(x, file), findings: x.findings, documents, acknowledgments };
}

async function testDocument(s: ExaminedTransaction, x: FileExamination, partner: Partner, rehearse: Rehearse | undefined): Promise<TestedDocument> {
  const e = s.envelope;
  const base = { setId: s.tx.id, control: s.tx.controlNumber, documentType: s.documentType ?? null };
  const ic = x.read.interchanges.find((i) => i.header.controlNumber === e.interchangeControlNumber && i.groups.some((g) => g.transactions.includes(s.tx)));
  if (!x.accepted.includes(s)) {
    const first = [...s.tx.findings, ...s.validation, ...s.mapping].find(isError);
    return { ...base, outcome: 'not-posted', reason: first ? `rejected: ${formatFinding(first)}` : 'rejected with its group or interchange' };
  }
  if (ic && isTestDataForProduction(partner, ic)) return { ...base, outcome: 'not-posted', reason: 'test data (ISA15 = T) for a partner in production mode: acknowledged, not posted [PARTNER_TEST_DATA]' };
  if (!rehearse) return { ...base, outcome: 'post' };
  const naturalKey = naturalKeyOf({
    partner: partner.code, setId: s.tx.id, senderQualifier: e.senderQualifier, senderId: e.senderId,
    interchangeControl: e.interchangeControlNumber, groupControl: e.groupControlNumber, controlNumber: e.transactionControlNumber,
  });
  const dryRun = await dryRunRequest({ documentId: 0, documentType: s.documentType!, naturalKey, partner: partner.code, document: s.document, envelope: e }, rehearse);
  return { ...base, outcome: 'post', dryRun };
}

/** What the validate stage would queue for each accepted interchange, numbered from 1 (no counter is taken). */
function acknowledgmentsOf(x: FileExamination, code: string, directory: PartnerDirectory, now: Date): Array<{ kind: string; payload: string }> {
  const ctx = { partners: directory, maxFileBytes: 0, ack: { policy: defaultAckPolicy, identity: addressedIdentity } };
  const setFindings = new Map(x.sets.map((s) => [s.tx, s.validation] as const));
  let groups = 0;
  let sets = 0;
  const numbers = { interchange: 1, group: () => String(++groups), nextSet: () => String(++sets).padStart(4, '0') };
  return x.read.interchanges.flatMap((ic) => acknowledgmentFor(ctx, code, ic, setFindings, numbers, now) ?? []);
}

function print(t: TestedFile, io: Output): void {
  io.out(`\n== ${t.summary}`);
  for (const f of t.findings) io.out(`  ${formatFinding(f)}`);
  io.out('documents:');
  if (t.documents.length === 0) io.out('  none');
  for (const d of t.documents) {
    const what = `${d.setId} ${d.control}${d.documentType ? ` -> ${d.documentType}` : ''}`;
    if (d.outcome === 'not-posted') io.out(`  ${what}: not posted: ${d.reason}`);
    else if (!d.dryRun) io.out(`  ${what}: would be posted (Odoo dry run skipped)`);
    else {
      io.out(`  ${what}: dry run ${d.dryRun.outcome}`);
      for (const line of d.dryRun.lines) io.out(`    ${line}`);
    }
  }
  if (t.acknowledgments.length === 0) io.out('acknowledgment we would send: none (nothing readable to acknowledge, or the policy asks for none)');
  for (const a of t.acknowledgments) {
    io.out(`acknowledgment we would send (${a.kind}):`);
    io.out(a.payload.trimEnd());
  }
}
