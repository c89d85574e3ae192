// Repeats: a partner resends a document that was posted, in a new envelope (new ISA13, GS06, ST02).
// Its natural key is new, its business key (src/documents/business-key.ts: partner, set, document
// number, purpose) is not. The post stage writes that key, qualified by the target's name (a dry run
// does not make the real posting a repeat), on the document it claims (`repeat_key`, migration 8);
// a document whose key a posted document has ends 'duplicate', linked to the first, and the target
// is never called for it. Documents whose purpose amends (01 cancel, 05 replace) always go to the
// target. The claim refuses a key while a document of it is posting, so the first of two repeats
// is posted before the second is looked at: only one of them posts.
import { businessKeyOf } from '../documents/business-key.js';
import { finding, type Finding } from '../errors/finding.js';
import type { Tx } from '../store/conn.js';
import { transitionDocuments, type WorkDocument } from '../store/documents-repo.js';
import { firstPostedOf } from '../store/postings-repo.js';
import type { DocumentChange } from '../store/sql/documents.js';
import type { PipelineContext } from './context.js';
import type { PostingTarget, PostRequest } from './ports.js';

export interface RepeatKey {
  /** target|partner|set|number|purpose. */
  key: string;
  /** False when the purpose amends (01, 05): never a duplicate. */
  check: boolean;
}

/** The repeat key of a request posted to `target`; undefined for a document without a business key (a 997). */
/** A repeat key: the target's name and the business key (a document posted to one target is no repeat for another). */
export function repeatKeyText(targetName: string, businessKey: string): string {
  return `${targetName}|${businessKey}`;
}

export function repeatKeyOf(target: Pick<PostingTarget, 'name'>, req: PostRequest): RepeatKey | undefined {
  const bk = businessKeyOf(req);
  return bk && { key: repeatKeyText(target.name, bk.key), check: !bk.amends };
}

/**
 * In the claim's transaction, for documents locked in 'mapped': those whose repeat key a posted
 * document has go to 'duplicate' with their timeline event. Returns the ids moved.
 */
export async function settleRepeats(ctx: Pick<PipelineContext, 'log'>, tx: Tx, docs: ReadonlyArray<{ doc: WorkDocument; repeat: RepeatKey | undefined }>): Promise<Set<number>> {
  const checked = docs.filter((d) => d.repeat?.check);
  const first = await firstPostedOf(tx, [...new Set(checked.map((d) => d.repeat!.key))]);
  const changes: DocumentChange[] = [];
  for (const { doc, repeat } of checked) {
    const original = first.get(repeat!.key);
    if (!original || original.id === doc.id) continue;
    const message = `duplicate of document #${original.id} (posted as ${original.targetRef ?? 'no reference'})`;
    const note = finding('PIPELINE_DOCUMENT_DUPLICATE', message, {
      file: doc.sourceName, interchange: doc.interchangeControl, group: doc.groupControl, transaction: doc.controlNumber, transactionSetId: doc.setId,
    });
    const findings = [...(doc.findings as Finding[]).filter((f) => !f.code.startsWith('PIPELINE_')), note];
    changes.push({ id: doc.id, to: 'duplicate', reason: message, findings, event: { message, details: { duplicateOf: original.id, targetRef: original.targetRef, repeatKey: repeat!.key } } });
  }
  if (changes.length === 0) return new Set();
  const moved = await transitionDocuments(tx, { from: ['mapped'], stage: 'post', actor: 'system', changes });
  for (const d of moved) ctx.log.info({ documentId: d.id, reason: d.reason }, 'repeat of a posted document: duplicate, not posted');
  return new Set(moved.map((d) => d.id));
}
