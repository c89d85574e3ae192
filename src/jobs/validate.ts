// Validate stage (per slice of a file, as the split recorded it; the whole file when the job names
// none): re-read the slice's stored bytes (reading is pure and fast), validate every 'parsed' set
// against its spec, decide per set as the 997/999 does (src/acks assessGroup), queue the
// acknowledgment of each accepted interchange once, and hand validated sets to map. One transaction,
// the file row locked; sets no longer 'parsed' are left alone. A whole file is read slice by slice.
import { finding, formatFinding, type Finding } from '../errors/finding.js';
import { assessGroup } from '../acks/functional-ack.js';
import { examineTransaction } from '../inbound/examine.js';
import type { Tx } from '../store/conn.js';
import { listDocumentStates, moveDocuments } from '../store/documents-repo.js';
import { lockFile } from '../store/files-repo.js';
import { listInterchanges } from '../store/interchanges-repo.js';
import { findOutboundSourceKeys } from '../store/outbound-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { Interchange, TransactionSet } from '../x12/model.js';
import { Validator } from '../x12/validate.js';
import { firstSegment } from '../x12/segment-list.js';
import { ackSourceKey, queueAcknowledgments, type AckInput } from './acks.js';
import { smallTogether } from './batch.js';
import type { PipelineContext } from './context.js';
import { DEFAULT_SLICE_BYTES, readSlice } from './file-slices.js';
import { groupFindings, isTestDataForProduction, partnerOf, readOptionsFor, setFindings as partnerSetFindings } from './partner-settings.js';
import { recordFailure } from './failures.js';
import { priorityAt, STAGE_QUEUES, type JobData } from './queues.js';
import type { StageHandler } from './runner.js';

// One for the process: it compiles each spec once (per file, compiling was a tenth of a small file's
// validation). Its per-set state lives only inside one synchronous validate() call.
const validator = new Validator();

export function validateHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.validate,
    run: (jobs) =>
      smallTogether(ctx.db, jobs, (tx, job) => {
        const data = job.data as Extract<JobData, { stage: 'validate' }>;
        return validateFile(ctx, tx, data.fileId, data.slice);
      }),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

/** Validates a slice of a file (bytes [from, to) from line `line`, as split recorded it), or the whole file. */
export async function validateFile(ctx: PipelineContext, tx: Tx, fileId: number, slice?: { from: number; to: number; line: number }): Promise<void> {
  const file = await lockFile(tx, fileId, 'validate');
  // 'received': the file's later slices are still being split.
  if (!file || (file.state !== 'split' && file.state !== 'received')) return;
  const range = slice ? { from: slice.from, to: slice.to } : undefined;
  const parsed = new Map((await listDocumentStates(tx, { fileId, ...(range ? { range } : {}) })).filter((d) => d.state === 'parsed').map((d) => [d.byteOffset, d]));
  const interchanges = (await listInterchanges(tx, fileId, range)).filter((i) => i.state === 'accepted');
  const answered = await findOutboundSourceKeys(tx, interchanges.map((i) => ackSourceKey(i.id)));
  const unanswered = new Set(interchanges.filter((i) => !answered.has(ackSourceKey(i.id))).map((i) => i.id));
  if (parsed.size === 0 && unanswered.size === 0) return;

  const partner = partnerOf(ctx, file.partner);
  const stored = new Map(interchanges.map((i) => [i.byteOffset, i]));
  const changes: DocumentChange[] = [];
  const acks: AckInput[] = [];
  const validateInterchange = (ic: Interchange, storedId: number) => {
    const setFindings = new Map<TransactionSet, Finding[]>();
    for (const g of ic.groups) {
      // The file is read afresh on every run: these are added once per run.
      g.findings.push(...groupFindings(partner, g, ic, file.sourceName));
      for (const t of g.transactions) {
        const refused = partnerSetFindings(partner, t, g, ic, file.sourceName);
        // A set the partner may not send is not validated against its spec: the refusal is the reason.
        setFindings.set(t, refused.length ? refused : examineTransaction(t, g, ic, { file: file.sourceName, map: false, validator, ...(partner?.guides ? { guides: partner.guides } : {}) }).validation);
      }
      const verdict = assessGroup(g, setFindings);
      for (const s of verdict.sets) {
        const doc = parsed.get(firstSegment(s.tx)!.offset);
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
    if (unanswered.has(storedId)) acks.push({ partner: file.partner, fileId, interchangeId: storedId, ic, setFindings });
  };

  // Slice by slice: what is held at once is one slice's interchanges, whatever the file's size.
  let at = slice ? { offset: slice.from, line: slice.line } : { offset: 0, line: 1 };
  const readOptions = readOptionsFor(ctx, file.partner, file.sourceName);
  for (;;) {
    const read = await readSlice(tx, fileId, at, { bytes: slice ? slice.to - slice.from : (ctx.sliceBytes ?? DEFAULT_SLICE_BYTES), ...(slice ? { until: slice.to } : {}), read: readOptions });
    for (const ic of read.interchanges) {
      const s = stored.get(ic.segment.offset);
      if (!s) continue;
      stored.delete(ic.segment.offset);
      validateInterchange(ic, s.id);
    }
    await queueAcknowledgments(ctx, tx, acks.splice(0));
    if (read.last) break;
    at = read.next;
  }
  const lost = stored.values().next().value;
  if (lost) throw new Error(`file ${fileId} no longer holds interchange ${lost.id} at byte ${lost.byteOffset}`);
  const changed = await moveDocuments(tx, { from: ['parsed'], stage: 'validate', actor: 'system', changes });
  const valid = changed.filter((d) => d.state === 'validated');
  await ctx.queue.enqueue(tx, valid.map((d) => ({ stage: 'map' as const, documentId: d.id, priority: priorityAt(d.byteOffset, file.size) })));
}
