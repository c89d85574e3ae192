// Split stage (per file): read the stored bytes, record each interchange (accepted, rejected, or
// duplicate of an earlier one with the same sender + ISA13) and one document per transaction set,
// queue the TA1 of rejected and duplicate interchanges, and hand the file to validate. One
// transaction; a file not in 'received' any more (a second run) is left alone.
import { finding, isError } from '../errors/finding.js';
import { assessInterchange } from '../acks/ta1.js';
import { envelopeOf } from '../inbound/examine.js';
import type { Tx } from '../store/conn.js';
import { insertDocuments } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { getFileBytes, lockFile, setFileState } from '../store/files-repo.js';
import { recordInterchange, setInterchangeFindings } from '../store/interchanges-repo.js';
import type { NewDocument } from '../store/sql/documents.js';
import type { Json } from '../store/types.js';
import type { Interchange, Segment } from '../x12/model.js';
import { readX12 } from '../x12/reader.js';
import { queueAcknowledgment } from './acks.js';
import { eachAlone } from './batch.js';
import type { PipelineContext } from './context.js';
import { envelopeFindings, partnerOf, readOptionsFor } from './partner-settings.js';
import { recordFailure } from './failures.js';
import { STAGE_QUEUES } from './queues.js';
import type { StageHandler } from './runner.js';

export function splitHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.split,
    run: (jobs) => eachAlone(ctx.db, jobs, (tx, job) => splitFile(ctx, tx, (job.data as { fileId: number }).fileId)),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

/** Splits one file inside `tx` (the caller's transaction). */
export async function splitFile(ctx: PipelineContext, tx: Tx, fileId: number): Promise<void> {
  const file = await lockFile(tx, fileId);
  if (!file || file.state !== 'received') return;
  const bytes = (await getFileBytes(tx, fileId)) ?? Buffer.alloc(0);
  const partner = partnerOf(ctx, file.partner);
  const read = readX12(bytes, readOptionsFor(ctx, file.partner, file.sourceName));

  if (read.interchanges.length === 0) {
    const decisive = read.findings.find(isError);
    const reason = decisive ? `${decisive.message} [${decisive.code}]` : 'no X12 interchange (ISA ... IEA) was found in the file';
    await setFileState(tx, { id: fileId, from: ['received'], to: 'rejected', reason });
    await addEvent(tx, {
      fileId, stage: 'split', actor: 'system', fromState: 'received', toState: 'rejected',
      message: `rejected: ${reason}`, details: { findings: read.findings },
    });
    return;
  }

  // Documents go in with one event note per kind of outcome.
  const batches = new Map<string, { docs: NewDocument[]; message: string }>();
  const add = (key: string, message: string, doc: NewDocument) => {
    let b = batches.get(key);
    if (!b) batches.set(key, (b = { docs: [], message }));
    b.docs.push(doc);
  };
  let sets = 0;
  let toValidate = 0;
  const interchangeIds: number[] = [];
  for (const ic of read.interchanges) {
    const h = ic.header;
    // The partner file's ids: an interchange from someone else, or for someone else, is rejected.
    ic.findings.push(...envelopeFindings(partner, ic, file.sourceName));
    const start = ic.segment.offset;
    const recorded = await recordInterchange(tx, {
      fileId,
      byteOffset: start,
      byteLength: segmentEnd(bytes, lastSegmentOf(ic)) - start,
      senderQualifier: h.senderQualifier,
      senderId: h.senderId,
      receiverQualifier: h.receiverQualifier,
      receiverId: h.receiverId,
      controlNumber: h.controlNumber,
      usage: h.usage,
      state: ic.findings.some(isError) ? 'rejected' : 'accepted',
      findings: ic.findings,
      delimiters: ic.delimiters,
    });
    const stored = recorded.interchange;
    interchangeIds.push(stored.id);
    if (recorded.outcome === 'duplicate') {
      const original = recorded.original!;
      ic.findings.push(
        finding(
          'X12_INTERCHANGE_DUPLICATE',
          `interchange ${h.controlNumber} from ${h.senderQualifier}/${h.senderId} was already received (file ${original.fileId}); nothing in it is processed again`,
          { file: file.sourceName, interchange: h.controlNumber, offset: ic.segment.offset, line: ic.segment.line, segmentTag: 'ISA', elementPosition: 13 },
          { value: h.controlNumber },
        ),
      );
      await setInterchangeFindings(tx, stored.id, ic.findings);
    }
    if (stored.state === 'accepted') toValidate++;
    else await queueAcknowledgment(ctx, tx, { partner: file.partner, fileId, interchangeId: stored.id, ic, setFindings: new Map() });

    const verdict = stored.state === 'rejected' ? assessInterchange(ic).message : undefined;
    for (const g of ic.groups) {
      for (const t of g.transactions) {
        sets++;
        const st = t.segments[0]!;
        const doc: NewDocument = {
          fileId,
          interchangeId: stored.id,
          groupControl: g.header.controlNumber,
          version: g.header.version,
          setId: t.id,
          controlNumber: t.controlNumber,
          byteOffset: st.offset,
          byteLength: segmentEnd(bytes, t.segments[t.segments.length - 1]!) - st.offset,
          envelope: envelopeOf(t, g, ic) as unknown as Json,
          line: st.line,
          findings: t.findings,
        };
        if (stored.state === 'duplicate') {
          const reason = `interchange ${h.controlNumber} is a duplicate of one received before (file ${recorded.original!.fileId})`;
          add('duplicate', 'duplicate interchange: not processed', { ...doc, state: 'duplicate', reason, findings: [...ic.findings.filter(isError), ...t.findings] });
        } else if (stored.state === 'rejected') {
          add('rejected-ic', 'rejected with its interchange', { ...doc, state: 'rejected', failedStage: 'split', reason: verdict!, findings: [...ic.findings, ...t.findings] });
        } else if (!t.complete) {
          const first = t.findings.find(isError);
          const reason = first ? `${first.message} [${first.code}]` : 'the transaction set ends without its SE segment';
          add('incomplete', 'rejected: incomplete transaction set', { ...doc, state: 'rejected', failedStage: 'split', reason });
        } else {
          add('parsed', `parsed from ${file.sourceName}`, doc);
        }
      }
    }
  }
  for (const [key, b] of batches) {
    await insertDocuments(tx, b.docs, { stage: 'split', actor: 'system', message: b.message, ...(key === 'parsed' ? {} : { details: { outcome: key } }) });
  }
  await setFileState(tx, { id: fileId, from: ['received'], to: 'split' });
  await addEvent(tx, {
    fileId, stage: 'split', actor: 'system', fromState: 'received', toState: 'split',
    message: `${read.interchanges.length} interchange(s), ${sets} transaction set(s)`,
    details: { interchanges: interchangeIds, fileFindings: read.findings },
  });
  // Validate also answers accepted interchanges that hold no set (a 997 for an empty group, a requested TA1).
  if (toValidate > 0) await ctx.queue.enqueue(tx, [{ stage: 'validate', fileId }]);
}

/** The last segment read of an interchange (its IEA when it has one). */
function lastSegmentOf(ic: Interchange): Segment {
  if (ic.trailer) return ic.trailer;
  let last: Segment = ic.segment;
  const later = (s: Segment | undefined) => {
    if (s && s.offset > last.offset) last = s;
  };
  for (const t of ic.ta1) later(t);
  for (const g of ic.groups) {
    later(g.segment);
    for (const t of g.transactions) later(t.segments[t.segments.length - 1]);
    later(g.trailer);
  }
  return last;
}

/** The byte after a segment's terminator (the file's end when the terminator is missing). */
function segmentEnd(bytes: Buffer, seg: Segment): number {
  const at = bytes.indexOf(seg.delimiters.segment.charCodeAt(0), seg.offset);
  return at < 0 ? bytes.length : at + 1;
}

