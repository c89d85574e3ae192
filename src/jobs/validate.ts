// Validate stage (per file): re-read the stored bytes (reading is pure and fast), validate every
// 'parsed' set against its spec, decide per set as the 997/999 does (src/acks assessGroup), queue
// the acknowledgment of each accepted interchange once, and hand validated sets to map. One
// transaction, the file row locked; sets no longer 'parsed' are left alone.
import { finding, formatFinding, type Finding } from '../errors/finding.js';
import { assessGroup } from '../acks/functional-ack.js';
import { examineTransaction } from '../inbound/examine.js';
import type { Tx } from '../store/conn.js';
import { listDocumentsOf, transitionDocuments } from '../store/documents-repo.js';
import { getFileBytes, lockFile } from '../store/files-repo.js';
import { listInterchanges } from '../store/interchanges-repo.js';
import { findOutbound } from '../store/outbound-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { TransactionSet } from '../x12/model.js';
import { readX12 } from '../x12/reader.js';
import { Validator } from '../x12/validate.js';
import { ackSourceKey, queueAcknowledgment } from './acks.js';
import { eachAlone } from './batch.js';
import type { PipelineContext } from './context.js';
import { groupFindings, isTestDataForProduction, partnerOf, readOptionsFor, setFindings as partnerSetFindings } from './partner-settings.js';
import { recordFailure } from './failures.js';
import { STAGE_QUEUES } from './queues.js';
import type { StageHandler } from './runner.js';

export function validateHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.validate,
    run: (jobs) => eachAlone(ctx.db, jobs, (tx, job) => validateFile(ctx, tx, (job.data as { fileId: number }).fileId)),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

export async function validateFile(ctx: PipelineContext, tx: Tx, fileId: number): Promise<void> {
  const file = await lockFile(tx, fileId);
  if (!file || file.state !== 'split') return;
  const parsed = new Map((await listDocumentsOf(tx, { fileId })).filter((d) => d.state === 'parsed').map((d) => [d.byteOffset, d]));
  const interchanges = (await listInterchanges(tx, fileId)).filter((i) => i.state === 'accepted');
  const unanswered = new Set<number>();
  for (const i of interchanges) if (!(await findOutbound(tx, ackSourceKey(i.id)))) unanswered.add(i.id);
  if (parsed.size === 0 && unanswered.size === 0) return;

  const bytes = (await getFileBytes(tx, fileId)) ?? Buffer.alloc(0);
  const partner = partnerOf(ctx, file.partner);
  const read = readX12(bytes, readOptionsFor(ctx, file.partner, file.sourceName));
  const byOffset = new Map(read.interchanges.map((ic) => [ic.segment.offset, ic]));
  const changes: DocumentChange[] = [];
  // One for the file's sets: it compiles each spec once.
  const validator = new Validator();
  for (const stored of interchanges) {
    const ic = byOffset.get(stored.byteOffset);
    if (!ic) throw new Error(`file ${fileId} no longer holds interchange ${stored.id} at byte ${stored.byteOffset}`);
    const setFindings = new Map<TransactionSet, Finding[]>();
    for (const g of ic.groups) {
      // The file is read afresh on every run: these are added once per run.
      g.findings.push(...groupFindings(partner, g, ic, file.sourceName));
      for (const t of g.transactions) {
        const refused = partnerSetFindings(partner, t, g, ic, file.sourceName);
        // A set the partner may not send is not validated against its spec: the refusal is the reason.
        setFindings.set(t, refused.length ? refused : examineTransaction(t, g, ic, { file: file.sourceName, map: false, validator }).validation);
      }
      const verdict = assessGroup(g, setFindings);
      for (const s of verdict.sets) {
        const doc = parsed.get(s.tx.segments[0]!.offset);
        if (!doc) continue;
        const findings = [...s.tx.findings, ...(setFindings.get(s.tx) ?? [])];
        if (verdict.status !== 'R' && s.status === 'A' && isTestDataForProduction(partner, ic)) {
          // Acknowledged like any valid set (the partner tests its side), never posted.
          const note = finding('PARTNER_TEST_DATA', `test data (ISA15 = T) from partner ${file.partner}, which is in production mode: acknowledged, not posted`, {
            file: file.sourceName, interchange: ic.header.controlNumber, offset: ic.segment.offset, line: ic.segment.line, segmentTag: 'ISA', elementPosition: 15,
          }, { value: 'T' });
          changes.push({ id: doc.id, to: 'cancelled', reason: note.message, findings: [note, ...findings], event: { message: note.message } });
        } else if (verdict.status !== 'R' && s.status === 'A') {
          const warnings = findings.length;
          changes.push({ id: doc.id, to: 'validated', findings, event: { message: warnings ? `valid, with ${warnings} warning(s)` : 'valid' } });
        } else {
          const decisive = s.errors[0] ?? verdict.errors[0];
          const reason = decisive ? formatFinding(decisive) : `its functional group ${g.header.controlNumber} was rejected`;
          changes.push({
            id: doc.id, to: 'rejected', failedStage: 'validate', reason,
            findings: [...verdict.errors, ...findings],
            event: { message: `invalid: ${reason}`, details: { errors: s.errors.length + verdict.errors.length } },
          });
        }
      }
    }
    if (unanswered.has(stored.id)) await queueAcknowledgment(ctx, tx, { partner: file.partner, fileId, interchangeId: stored.id, ic, setFindings });
  }
  const changed = await transitionDocuments(tx, { from: ['parsed'], stage: 'validate', actor: 'system', changes });
  const valid = changed.filter((d) => d.state === 'validated');
  await ctx.queue.enqueue(tx, valid.map((d) => ({ stage: 'map' as const, documentId: d.id })));
}
