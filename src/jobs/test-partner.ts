// Test mode (partners/README.md, "Test mode"): a partner with `mode: test` is processed fully (stored,
// validated, mapped, acknowledged in the store) but nothing is posted. Its mapped documents reach the
// post stage, which hands them here instead of claiming them: the dry run of the posting (dry-run.ts,
// reads Odoo, writes nothing) says what it would have made, and the document ends 'cancelled' with a
// PARTNER_TEST_MODE note carrying that. 'posted' is never claimed. Delivery keeps its entries unsent
// (src/transports/outbound.ts).
import { finding, type Finding } from '../errors/finding.js';
import { withTransaction } from '../store/conn.js';
import { moveDocuments, type WorkDocument } from '../store/documents-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { Json } from '../store/types.js';
import { inParallel } from '../util/in-parallel.js';
import { messageOf, type PipelineContext } from './context.js';
import { dryRunRequest, type DryRunReport } from './dry-run.js';
import { partnerOf } from './partner-settings.js';
import type { PostRequest } from './ports.js';

/** Whether documents of partner `code` are kept from posting (mode: test). */
export function isTestPartner(ctx: Pick<PipelineContext, 'partners'>, code: string): boolean {
  return partnerOf(ctx, code)?.mode === 'test';
}

/** What the dry run of a test partner's posting says, as one sentence and its report (undefined without a rehearsal). */
async function rehearsalOf(ctx: PipelineContext, req: PostRequest): Promise<{ said: string; report?: Omit<DryRunReport, 'documentId' | 'state'> }> {
  if (!ctx.rehearse) return { said: 'no Odoo configured (ODOO_URL), nothing to rehearse' };
  try {
    const report = await dryRunRequest(req, ctx.rehearse);
    return { said: `dry run: ${report.lines.join('; ')}`, report };
  } catch (error) {
    return { said: `the dry run could not run: ${messageOf(error)}` };
  }
}

/** Rehearses each test partner's document (no transaction open), then moves it mapped -> cancelled with what the rehearsal said. */
export async function settleTestDocuments(ctx: PipelineContext, docs: ReadonlyArray<{ doc: WorkDocument; req: PostRequest }>): Promise<void> {
  if (docs.length === 0) return;
  const changes: DocumentChange[] = [];
  await inParallel(docs, ctx.posting?.callsInFlight ?? 4, async ({ doc, req }) => {
    const { said, report } = await rehearsalOf(ctx, req);
    const message = `test partner ${doc.partner}: not posted (${said})`;
    const note = finding('PARTNER_TEST_MODE', message, {
      ...(doc.sourceName ? { file: doc.sourceName } : {}), interchange: doc.interchangeControl, group: doc.groupControl, transaction: doc.controlNumber, transactionSetId: doc.setId,
    });
    const findings = [...(doc.findings as Finding[]).filter((f) => f.code !== 'PARTNER_TEST_MODE'), note];
    const details = { mode: 'test', ...(report ? { dryRun: { outcome: report.outcome, lines: report.lines } } : {}) } as unknown as Json;
    changes.push({ id: doc.id, to: 'cancelled', reason: message, findings, event: { message, details } });
  });
  // Guarded on mapped: a second process that rehearsed the same document records nothing.
  await withTransaction(ctx.db, (tx) => moveDocuments(tx, { from: ['mapped'], stage: 'post', actor: 'system', changes }));
  ctx.log.info({ documents: docs.map((d) => d.doc.id) }, 'test partner documents not posted (mode: test)');
}
