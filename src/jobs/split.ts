// Split stage (per file, slice by slice): read the next slice of the stored bytes (the whole
// interchanges in about a mebibyte, file-slices.ts), record each interchange (accepted, rejected, or
// duplicate of an earlier one with the same sender + ISA13) and one document per transaction set,
// queue the TA1 of rejected and duplicate interchanges, apply the TA1s a partner sends us to what we
// sent (reconcile.ts), hand the slice to validate, and queue the
// next slice. One transaction per slice, with the file's progress (files.split_offset): a split cut
// short goes on from its last committed slice, and a second run of a slice finds it done. The next
// slice's job comes after the jobs of files that arrived meanwhile (queues.ts priorityAt).
import { finding, isError } from '../errors/finding.js';
import { assessInterchange } from '../acks/ta1.js';
import { envelopeOf } from '../inbound/examine.js';
import type { Tx } from '../store/conn.js';
import { addDocuments, countDocumentsByState } from '../store/documents-repo.js';
import { addEvent } from '../store/events-repo.js';
import { getSplitProgress, lockFile, setFileState, setSplitProgress } from '../store/files-repo.js';
import { countInterchanges, recordInterchanges, setInterchangeFindings } from '../store/interchanges-repo.js';
import type { NewDocument } from '../store/sql/documents.js';
import type { Json } from '../store/types.js';
import { queueAcknowledgments, type AckInput } from './acks.js';
import { smallTogether } from './batch.js';
import type { PipelineContext } from './context.js';
import { DEFAULT_SLICE_BYTES, lastSegmentOf, readSlice, segmentEnd } from './file-slices.js';
import { envelopeFindings, partnerOf, readOptionsFor } from './partner-settings.js';
import { recordFailure } from './failures.js';
import { priorityAt, STAGE_QUEUES } from './queues.js';
import { reconcileInterchangeAcks } from './reconcile.js';
import type { StageHandler } from './runner.js';
import { headingNumbers } from '../maps/heading-numbers.js';
import { firstSegment, lastSegment } from '../x12/segment-list.js';

export function splitHandler(ctx: PipelineContext): StageHandler {
  return {
    queue: STAGE_QUEUES.split,
    run: (jobs) => smallTogether(ctx.db, jobs, (tx, job) => splitFile(ctx, tx, (job.data as { fileId: number }).fileId)),
    failed: (job, error, final) => recordFailure(ctx, job, error, final),
  };
}

/**
 * Splits the next slice of one file inside `tx` (the caller's transaction): the last slice moves the
 * file to 'split', the others queue the next one.
 */
export async function splitFile(ctx: PipelineContext, tx: Tx, fileId: number): Promise<void> {
  const file = await lockFile(tx, fileId, 'split');
  if (!file || file.state !== 'received') return;
  const at = await getSplitProgress(tx, fileId);
  const partner = partnerOf(ctx, file.partner);
  const read = await readSlice(tx, fileId, at, { bytes: ctx.sliceBytes ?? DEFAULT_SLICE_BYTES, read: readOptionsFor(ctx, file.partner, file.sourceName) });
  const bytes = read.bytes;

  if (read.interchanges.length === 0 && at.offset === 0) {
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
  // The slice's interchanges are recorded together (one statement), then handled in file order.
  const recordedAll = await recordInterchanges(
    tx,
    read.interchanges.map((ic) => {
      const h = ic.header;
      // The partner file's ids: an interchange from someone else, or for someone else, is rejected.
      ic.findings.push(...envelopeFindings(partner, ic, file.sourceName));
      const start = ic.segment.offset;
      return {
        fileId,
        byteOffset: start,
        byteLength: segmentEnd(bytes, read.from, lastSegmentOf(ic)) - start,
        senderQualifier: h.senderQualifier,
        senderId: h.senderId,
        receiverQualifier: h.receiverQualifier,
        receiverId: h.receiverId,
        controlNumber: h.controlNumber,
        usage: h.usage,
        state: ic.findings.some(isError) ? ('rejected' as const) : ('accepted' as const),
        findings: ic.findings,
        delimiters: ic.delimiters,
      };
    }),
  );
  const tA1s: AckInput[] = [];
  for (const [n, ic] of read.interchanges.entries()) {
    const h = ic.header;
    const recorded = recordedAll[n]!;
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
    // The partner's TA1s answer interchanges we sent: applied once, here, as no document carries them.
    if (stored.state === 'accepted' && ic.ta1.length) {
      const noted = await reconcileInterchangeAcks(ctx, tx, { partner: file.partner, fileId, sourceName: file.sourceName, interchangeId: stored.id, ic });
      if (noted.length) await setInterchangeFindings(tx, stored.id, [...ic.findings, ...noted]);
    }
    if (stored.state === 'accepted') toValidate++;
    else tA1s.push({ partner: file.partner, fileId, interchangeId: stored.id, ic, setFindings: new Map() });

    const verdict = stored.state === 'rejected' ? assessInterchange(ic).message : undefined;
    for (const g of ic.groups) {
      for (const t of g.transactions) {
        sets++;
        // The ends alone: a large set is held compactly, and t.segments would build its whole array.
        const st = firstSegment(t)!;
        // Read from the raw heading: a set that never maps is still found by its PO number.
        const numbers = headingNumbers(t);
        const doc: NewDocument = {
          fileId,
          interchangeId: stored.id,
          groupControl: g.header.controlNumber,
          version: g.header.version,
          setId: t.id,
          controlNumber: t.controlNumber,
          byteOffset: st.offset,
          byteLength: segmentEnd(bytes, read.from, lastSegment(t)!) - st.offset,
          envelope: envelopeOf(t, g, ic) as unknown as Json,
          line: st.line,
          findings: t.findings,
          number: numbers.number ?? null,
          poNumber: numbers.poNumber ?? null,
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
  await queueAcknowledgments(ctx, tx, tA1s);
  for (const [key, b] of batches) {
    await addDocuments(tx, b.docs, { stage: 'split', actor: 'system', message: b.message, ...(key === 'parsed' ? {} : { details: { outcome: key } }) });
  }
  const priority = priorityAt(read.from, read.size);
  // Validate also answers accepted interchanges that hold no set (a 997 for an empty group, a requested TA1).
  if (toValidate > 0) await ctx.queue.enqueue(tx, [{ stage: 'validate', fileId, slice: { from: read.from, to: read.to, line: at.line }, priority }]);
  const details = { interchanges: interchangeIds, fileFindings: read.findings, bytes: { from: read.from, to: read.to } };
  if (!read.last) {
    await setSplitProgress(tx, fileId, read.next);
    await addEvent(tx, {
      fileId, stage: 'split', actor: 'system',
      message: `bytes ${read.from} to ${read.to} of ${read.size}: ${read.interchanges.length} interchange(s), ${sets} transaction set(s); the rest follows`,
      details,
    });
    await ctx.queue.enqueue(tx, [{ stage: 'split', fileId, priority: priorityAt(read.to, read.size) }]);
    return;
  }
  // A file of several slices: the totals of all of them.
  const [interchanges, documents] = at.offset === 0
    ? [read.interchanges.length, sets]
    : [await countInterchanges(tx, fileId), Object.values(await countDocumentsByState(tx, { fileId })).reduce((a, b) => a + b, 0)];
  await setFileState(tx, { id: fileId, from: ['received'], to: 'split' });
  await addEvent(tx, {
    fileId, stage: 'split', actor: 'system', fromState: 'received', toState: 'split',
    message: `${interchanges} interchange(s), ${documents} transaction set(s)`,
    details,
  });
}

