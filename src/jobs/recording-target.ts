// The recording target: "posts" a canonical document by recording it in the `posted` ledger, once
// per natural key. It is the default target until the Odoo target exists, and stays as the dry run.
// Given the post stage's transaction, the ledger row commits together with the document's 'posted'
// state, so a crash between the two cannot post twice.
import type { Database } from '../store/database.js';
import { recordPosted } from '../store/posted-repo.js';
import type { PostingTarget } from './ports.js';

export function recordingTarget(db: Database, options: { name?: string } = {}): PostingTarget {
  const name = options.name ?? 'recording';
  return {
    name,
    async post(req) {
      const { posted } = await recordPosted(req.tx ?? db, {
        target: name,
        naturalKey: req.naturalKey,
        documentId: req.documentId,
        targetRef: `${name}:${req.documentId}`,
        payload: { documentType: req.documentType, partner: req.partner, document: req.document, envelope: req.envelope },
      });
      // A repeat of the same key returns the first posting's reference.
      return { ref: posted.targetRef };
    },
  };
}

/** The same ledger under the name 'dry-run': what would have been posted. */
export function dryRunTarget(db: Database): PostingTarget {
  return recordingTarget(db, { name: 'dry-run' });
}
