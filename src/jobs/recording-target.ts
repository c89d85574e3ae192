// The recording target: "posts" a canonical document by recording it in the `posted` ledger, once
// per natural key. It is the default target until the Odoo target exists, and stays as the dry run.
// Its posting IS the ledger row, so the row is written by `record`, in the transaction that moves
// the document to 'posted' (only while the post stage's claim stands): the ledger never holds a
// document that is not posted, and a crash between call and record leaves nothing to undo. (Making
// `post` write the row idempotently instead would leave rows of documents that then fail or wait.)
// The ledger's key is the last guard: a natural key arrives twice only if the interchange checks
// upstream failed, and then the first posting's row stays.
// Its business key is the document's (src/documents/business-key.ts: partner, set, number, purpose),
// as the post stage's repeat check uses it: a resend in a new envelope never reaches the ledger
// (the pipeline records it 'duplicate'); a replace or cancellation is posted, one row per document.
import { businessKeyOf } from '../documents/business-key.js';
import type { Database } from '../store/database.js';
import { recordPostedMany } from '../store/posted-repo.js';
import type { PostingTarget } from './ports.js';

export function recordingTarget(_db: Database, options: { name?: string } = {}): PostingTarget {
  const name = options.name ?? 'recording';
  return {
    name,
    businessKey: (req) => businessKeyOf(req)?.key ?? req.naturalKey,
    post: async (req) => ({ ref: `${name}:${req.documentId}` }),
    async record(tx, postings) {
      await recordPostedMany(
        tx,
        postings.map(({ req, result }) => ({
          target: name,
          naturalKey: req.naturalKey,
          documentId: req.documentId,
          targetRef: result.ref,
          payload: { documentType: req.documentType, partner: req.partner, businessKey: businessKeyOf(req)?.key ?? null, document: req.document, envelope: req.envelope },
        })),
      );
    },
  };
}

/** The same ledger under the name 'dry-run': what would have been posted. */
export function dryRunTarget(db: Database): PostingTarget {
  return recordingTarget(db, { name: 'dry-run' });
}
