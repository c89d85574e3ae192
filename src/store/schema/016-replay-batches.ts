// Migration 16: a bulk replay a person started from the console or `edi replay --filter`
// (docs/operations.md#bulk-replay): the filter as given, the documents it matched then, who and why.
// Its progress is read from those documents' current states, so nothing here is updated afterwards.
// Literal values only: a released migration never changes.
import type { Migration } from '../migrations.js';

export const replayBatches: Migration = {
  version: 16,
  description: 'replay_batches: bulk replays of a filtered set of documents (who, why, which documents)',
  up: [
    `CREATE TABLE replay_batches (
       id bigserial PRIMARY KEY,
       filter jsonb NOT NULL,
       document_ids bigint[] NOT NULL,
       skipped jsonb NOT NULL DEFAULT '[]',
       actor text NOT NULL,
       actor_user_id bigint REFERENCES users (id),
       via text NOT NULL,
       reason text,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  ],
};
